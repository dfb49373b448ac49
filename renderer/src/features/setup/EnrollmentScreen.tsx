import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { EnrollmentStatus } from '../../../../shared/ipc/contract';
import type { MainClient } from '../../platform/main-client';
import { errorText } from '../../ui/errors';

/**
 * The first-start screen (issue 16): shown while this PC holds no device credential for its central. The
 * installer types only the one-time code; central, unit and counter come from the configuration, and main's
 * enrollment service (the one `motcua enroll` uses) checks the clock and the unit before spending the code.
 * "Later" opens the counter offline: dossiers are kept and sent once the PC is enrolled.
 */
export function EnrollmentScreen({ main, status, onDone }: { main: MainClient; status: EnrollmentStatus; onDone: () => void }) {
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  const [deviceName, setDeviceName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const codeId = useId();
  const nameId = useId();
  const presetError = status.preset?.outcome === 'failed' && status.preset.error ? status.preset : undefined;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy || code.trim() === '') return;
    setBusy(true);
    setError(null);
    try {
      const enrolled = await main.call('enrollment:enroll', { enrollmentCode: code.trim(), ...(deviceName.trim() ? { deviceName: deviceName.trim() } : {}) });
      setDone(t('setup.enrolled', { name: enrolled.device?.deviceName ?? '', unit: enrolled.unit.name, counter: enrolled.counterNo }));
      onDone();
    } catch (err) {
      setError(errorText(t, err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="app-main enrollment-screen" data-testid="enrollment-screen" aria-labelledby="enrollment-heading">
      <h1 id="enrollment-heading">{t('setup.enrollHeading')}</h1>
      <p>{t('setup.enrollIntro')}</p>
      <dl className="enrollment-facts">
        <dt>{t('setup.central')}</dt>
        <dd>{status.centralUrl}</dd>
        <dt>{t('setup.unit')}</dt>
        <dd>
          {status.unit.name} ({status.unit.code})
        </dd>
        <dt>{t('setup.counter')}</dt>
        <dd>{status.counterNo}</dd>
      </dl>
      {presetError?.error && (
        <p className="error" role="alert" data-testid="preset-error">
          {t('setup.presetFailed')} {t(`errors.${presetError.error.code}`, { ...presetError.error.details })} {presetError.codeRemoved ? t('setup.presetRemoved') : t('setup.presetKept')}
        </p>
      )}
      <form onSubmit={(e) => void submit(e)} className="enrollment-form">
        <label htmlFor={codeId}>{t('setup.code')}</label>
        <input
          id={codeId}
          name="enrollmentCode"
          autoFocus
          autoComplete="off"
          spellCheck={false}
          maxLength={40}
          value={code}
          onChange={(e) => setCode(e.target.value.toUpperCase())}
          aria-describedby={error ? 'enrollment-error' : undefined}
          aria-invalid={error ? true : undefined}
        />
        <label htmlFor={nameId}>{t('setup.deviceName')}</label>
        <input id={nameId} name="deviceName" autoComplete="off" maxLength={100} value={deviceName} onChange={(e) => setDeviceName(e.target.value)} />
        {error && (
          <p className="error" role="alert" id="enrollment-error" data-testid="enrollment-error">
            {error}
          </p>
        )}
        {done && (
          <p role="status" data-testid="enrollment-done">
            {done}
          </p>
        )}
        <div className="enrollment-actions">
          <button type="submit" className="primary" disabled={busy || code.trim() === ''}>
            {busy ? t('setup.enrolling') : t('setup.enroll')}
          </button>
          <button type="button" onClick={onDone} disabled={busy}>
            {t('setup.later')}
          </button>
        </div>
        <p className="hint">{t('setup.laterHint')}</p>
      </form>
      <p className="hint">{t('setup.shortcutHint')}</p>
    </main>
  );
}
