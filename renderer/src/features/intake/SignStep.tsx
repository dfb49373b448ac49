import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { SignerRole, SignerStatus } from '../../../../shared/ipc/contract';
import { formatVietnamDate } from '../../../../shared/domain/appointment';
import { copySignerOf, copySigningPolicy, signersNeeded, type CopySigningPolicy } from '../../../../shared/domain/copy-signature';
import type { ProcedureComponent } from '../../../../shared/domain/procedure';
import { useServices } from '../../app/services';
import { errorText } from '../../ui/errors';
import { ProgressBar } from '../../ui/ProgressBar';
import type { AcceptProgress, UnlockedSigner } from './accept-dossier';
import { OcrWaitPrompt, useOcrWait } from './ocr-wait';

interface Props {
  /** The components that have pages or files: one signed PDF each. */
  readonly components: readonly ProcedureComponent[];
  readonly onBack: () => void;
  readonly onAccept: (signers: readonly UnlockedSigner[], copySigning: CopySigningPolicy, onProgress: (p: AcceptProgress) => void) => Promise<void>;
}

interface SignerEntry {
  readonly role: SignerRole;
  readonly status: SignerStatus;
}

export function SignStep({ components, onBack, onAccept }: Props) {
  const { t } = useTranslation();
  const { main, config, db } = useServices();
  const [signers, setSigners] = useState<readonly SignerEntry[] | null>(null);
  /** Pages of this dossier still being read (issue 20), and the clerk's answer when signing would drop their text. */
  const ocr = useOcrWait(db, main, components.map((c) => c.code));
  const [ocrPrompt, setOcrPrompt] = useState<'closed' | 'asking' | 'waiting'>('closed');
  // Pages read while the clerk was deciding: nothing left to ask.
  const promptOpen = ocrPrompt !== 'closed' && ocr.reading > 0;
  const [error, setError] = useState<string | null>(null);
  const [progress, setProgress] = useState<AcceptProgress | null>(null);
  const [working, setWorking] = useState(false);

  useEffect(() => {
    main.call('signer:list', {}).then(setSigners, (err: unknown) => setError(errorText(t, err)));
  }, [main, t]);

  const replace = (role: SignerRole, status: SignerStatus) => setSigners((list) => list?.map((s) => (s.role === role ? { role, status } : s)) ?? null);
  // Only the keys this dossier's components need (Decree 118 Art. 17.1.c: the clerk's, unless a component
  // names the organisation's): a key that signs nothing here is not asked for.
  const policy = copySigningPolicy(config.copySigning?.defaultSigner, signers?.map((s) => s.role) ?? []);
  const needed = signersNeeded(components, policy);
  const notConfigured = signers === null ? [] : needed.filter((role) => !signers.some((s) => s.role === role));
  const asked = signers?.filter((s) => needed.includes(s.role)) ?? null;
  const unlocked = asked?.flatMap((s) => (s.status.state === 'unlocked' ? [{ role: s.role, status: s.status }] : [])) ?? [];
  const ready = asked !== null && notConfigured.length === 0 && unlocked.length === needed.length;
  const acceptButton = useRef<HTMLButtonElement>(null);
  // Once every key is open, Enter signs: the button was there (disabled) before, so autoFocus cannot do it.
  // The same when the OCR prompt closes (it held the keyboard).
  useEffect(() => {
    if (ready && !promptOpen) acceptButton.current?.focus();
  }, [ready, promptOpen]);

  /** `withoutText`: the clerk chose to sign although pages are still being read. */
  const accept = async (withoutText = false) => {
    if (!ready || working) return;
    if (!withoutText && ocr.reading > 0) {
      setOcrPrompt((state) => (state === 'waiting' ? state : 'asking'));
      return;
    }
    setOcrPrompt('closed');
    setError(null);
    setWorking(true);
    try {
      await onAccept(unlocked, policy, setProgress);
    } catch (err) {
      setError(errorText(t, err));
      setProgress(null);
      // A certificate may have expired meanwhile, or a token been pulled out: show the real state.
      setSigners(await main.call('signer:list', {}).catch(() => signers));
    } finally {
      setWorking(false);
    }
  };

  // Waiting: sign as soon as the last page is read (from a timer, outside React's render: accept sets state).
  // The same when the last page is read while the clerk is still being asked: the clerk did press "sign", and
  // there is nothing left to drop (without this the press was lost and the screen sat still: CI15's e2e).
  const readAll = ocr.reading === 0;
  useEffect(() => {
    if (!readAll || ocrPrompt === 'closed') return;
    const timer = setTimeout(() => void accept(true), 0);
    return () => clearTimeout(timer);
    // accept reads the current state; the effect runs on the count and the prompt's state only.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [readAll, ocrPrompt]);

  return (
    <section aria-labelledby="sign-heading">
      <h2 id="sign-heading">{t('sign.heading')}</h2>
      <p>{t('copySigning.summary', { count: components.length })}</p>
      {/* Drawn once the configured keys are known: the default signer depends on them (old configurations). */}
      {signers !== null && (
        <ul className="copy-signers" aria-label={t('copySigning.whoSigns')}>
          {components.map((c) => (
            <li key={c.code} data-component-signer={copySignerOf(c, policy)}>
              {c.name}:{' '}
              <strong>
                {t(`copySigning.signerOf.${copySignerOf(c, policy)}`)}
                {copySignerOf(c, policy) === 'organisation' && config.signatureAppearance.kind === 'copy-stamp' ? ` (${t('copySigning.stamp', { copyForm: config.signatureAppearance.copyForm })})` : ''}
              </strong>
            </li>
          ))}
        </ul>
      )}
      {policy.legacyFallback && (
        <p className="notice" role="status">
          {t('copySigning.legacyFallback')}
        </p>
      )}
      {notConfigured.map((role) => (
        <p key={role} className="error" role="alert">
          {t('errors.SIGNER_NOT_CONFIGURED', { role: t(`sign.roles.${role}`) })}
        </p>
      ))}
      {asked?.map(({ role, status }, index) => (
        <SignerCard key={role} role={role} status={status} autoFocus={index === unlocked.length} disabled={working} onStatus={(next) => replace(role, next)} />
      ))}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {progress && <AcceptProgressView progress={progress} />}
      {promptOpen && (
        <OcrWaitPrompt
          wait={ocr}
          waiting={ocrPrompt === 'waiting'}
          onWait={() => setOcrPrompt('waiting')}
          onSignNow={() => void accept(true)}
          onCancel={() => setOcrPrompt('closed')}
        />
      )}
      <div className="actions">
        <button type="button" onClick={onBack} disabled={working}>
          {t('common.back')}
        </button>
        <button ref={acceptButton} type="button" className="primary" disabled={working || !ready || promptOpen} onClick={() => void accept()}>
          {t('sign.accept')}
        </button>
      </div>
    </section>
  );
}

/** One configured signer: its certificate when open, else its password or PIN form. */
export function SignerCard({ role, status, autoFocus, disabled, onStatus }: { role: SignerRole; status: SignerStatus; autoFocus: boolean; disabled: boolean; onStatus: (s: SignerStatus) => void }) {
  const { t } = useTranslation();
  const { main } = useServices();
  const [secret, setSecret] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [working, setWorking] = useState(false);
  const [lockedByClerk, setLockedByClerk] = useState(false);
  const isToken = status.keystoreKind === 'pkcs11';
  const secretInput = useRef<HTMLInputElement>(null);
  // A refused password or PIN: the field (disabled while main checked it) takes the keyboard back.
  useEffect(() => {
    if (error && !working) secretInput.current?.focus();
  }, [error, working]);

  const unlock = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setWorking(true);
    try {
      onStatus(await main.call('signer:unlock', { role, secret }));
    } catch (err) {
      setError(errorText(t, err));
      // A wrong PIN changes the token's PIN state (final try, locked): show it.
      const list = await main.call('signer:list', {}).catch(() => null);
      const current = list?.find((s) => s.role === role);
      if (current) onStatus(current.status);
    } finally {
      setSecret('');
      setWorking(false);
    }
  };

  // The clerk leaves the counter: main locks the key (issue 17); the password or PIN is asked again.
  const lock = async () => {
    setError(null);
    setWorking(true);
    try {
      onStatus(await main.call('signer:lock', { role }));
      setLockedByClerk(true);
    } catch (err) {
      setError(errorText(t, err));
    } finally {
      setWorking(false);
    }
  };

  return (
    <div className={`signer-card ${status.state}`} data-role={role}>
      <h3>{t(`sign.roles.${role}`)}</h3>
      {status.pinState && status.pinState !== 'ok' && (
        <p className={status.pinState === 'count-low' ? 'notice' : 'error'} role="alert">
          {t(`sign.pinStates.${status.pinState}`)}
        </p>
      )}
      {status.state === 'locked' ? (
        <form className="unlock" onSubmit={(e) => void unlock(e)}>
          <p>{t('sign.locked', { label: status.keystoreLabel })}</p>
          {lockedByClerk && (
            <p className="notice" role="status">
              {t('signingSession.lockedNow')}
            </p>
          )}
          <label>
            <span>{isToken ? t('sign.pin') : t('sign.password')}</span>
            <input
              ref={secretInput}
              type="password"
              name={`secret-${role}`}
              inputMode={isToken ? 'numeric' : 'text'}
              autoFocus={autoFocus}
              autoComplete="off"
              value={secret}
              onChange={(e) => setSecret(e.target.value)}
              disabled={disabled || working || status.pinState === 'locked'}
            />
          </label>
          <button type="submit" className="primary" disabled={disabled || working || !secret || status.pinState === 'locked'}>
            {t('sign.unlock')}
          </button>
          {error && (
            <p className="error" role="alert">
              {error}
            </p>
          )}
        </form>
      ) : (
        <>
          {/* The names a clerk recognises; the full distinguished names stay in the tooltip for IT. */}
          <p className="certificate" title={`${status.certificate.subject}\n${status.certificate.issuer}`}>
            {t('sign.certificate', {
              subject: [status.certificate.subjectCommonName, status.certificate.subjectOrganisation].filter(Boolean).join(' — ') || status.certificate.subject,
              issuer: status.certificate.issuerCommonName ?? status.certificate.issuer,
              notAfter: formatVietnamDate(new Date(status.certificate.notAfter)),
            })}
          </p>
          <p className="lock-key">
            <button type="button" data-lock-role={role} aria-describedby={`lock-hint-${role}`} disabled={disabled || working} onClick={() => void lock()}>
              {t('signingSession.lock')}
            </button>{' '}
            <small id={`lock-hint-${role}`}>{t('signingSession.lockHint')}</small>
          </p>
          {error && (
            <p className="error" role="alert">
              {error}
            </p>
          )}
        </>
      )}
    </div>
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
