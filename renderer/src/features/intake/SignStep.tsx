import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { SignerStatus } from '../../../../shared/ipc/contract';
import { formatVietnamDate } from '../../../../shared/domain/appointment';
import { useServices } from '../../app/services';
import { errorText } from '../../ui/errors';
import { ProgressBar } from '../../ui/ProgressBar';
import type { AcceptProgress } from './accept-dossier';

interface Props {
  readonly fileCount: number;
  readonly onBack: () => void;
  readonly onAccept: (signer: Extract<SignerStatus, { state: 'unlocked' }>, onProgress: (p: AcceptProgress) => void) => Promise<void>;
}

export function SignStep({ fileCount, onBack, onAccept }: Props) {
  const { t } = useTranslation();
  const { main } = useServices();
  const [status, setStatus] = useState<SignerStatus | null>(null);
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [progress, setProgress] = useState<AcceptProgress | null>(null);
  const [working, setWorking] = useState(false);

  useEffect(() => {
    main.call('signer:status', {}).then(setStatus, (err: unknown) => setError(errorText(t, err)));
  }, [main, t]);

  const unlock = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setWorking(true);
    try {
      setStatus(await main.call('signer:unlock', { password }));
    } catch (err) {
      setError(errorText(t, err));
    } finally {
      setPassword('');
      setWorking(false);
    }
  };

  const accept = async () => {
    if (status?.state !== 'unlocked') return;
    setError(null);
    setWorking(true);
    try {
      await onAccept(status, setProgress);
    } catch (err) {
      setError(errorText(t, err));
      setProgress(null);
      // The certificate may have expired meanwhile, or main locked the key: show the real state.
      setStatus(await main.call('signer:status', {}).catch(() => status));
    } finally {
      setWorking(false);
    }
  };

  return (
    <section aria-labelledby="sign-heading">
      <h2 id="sign-heading">{t('sign.heading')}</h2>
      <p>{t('sign.summary', { count: fileCount })}</p>
      {status?.state === 'locked' && (
        <form className="unlock" onSubmit={(e) => void unlock(e)}>
          <p>{t('sign.locked', { label: status.keystoreLabel })}</p>
          <label>
            <span>{t('sign.password')}</span>
            <input type="password" name="p12-password" autoFocus autoComplete="off" value={password} onChange={(e) => setPassword(e.target.value)} disabled={working} />
          </label>
          <button type="submit" className="primary" disabled={working || !password}>
            {t('sign.unlock')}
          </button>
        </form>
      )}
      {status?.state === 'unlocked' && (
        <p className="certificate">
          {t('sign.certificate', {
            subject: status.certificate.subject,
            issuer: status.certificate.issuer,
            notAfter: formatVietnamDate(new Date(status.certificate.notAfter)),
          })}
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {progress && <AcceptProgressView progress={progress} />}
      <div className="actions">
        <button type="button" onClick={onBack} disabled={working}>
          {t('common.back')}
        </button>
        <button type="button" className="primary" autoFocus={status?.state === 'unlocked'} disabled={working || status?.state !== 'unlocked'} onClick={() => void accept()}>
          {t('sign.accept')}
        </button>
      </div>
    </section>
  );
}

function AcceptProgressView({ progress }: { progress: AcceptProgress }) {
  const { t } = useTranslation();
  const label = progress.step === 'assemble' || progress.step === 'sign' ? t(`sign.progress.${progress.step}`, { name: progress.name }) : t(`sign.progress.${progress.step}`);
  // Two steps per component (build, sign), plus code, save and receipt.
  const total = progress.step === 'assemble' || progress.step === 'sign' ? progress.total * 2 + 3 : 1;
  const done =
    progress.step === 'code' ? 0 : progress.step === 'assemble' ? 1 + progress.index * 2 : progress.step === 'sign' ? 2 + progress.index * 2 : progress.step === 'save' ? 0.9 : 0.95;
  const fraction = total === 1 ? done : done / total;
  return (
    <div className="accept-progress" role="status" aria-live="polite">
      <span>{label}</span>
      <ProgressBar value={fraction} />
    </div>
  );
}
