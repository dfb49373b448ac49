import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { defaultWorkingRules, formatVietnamDateTime, type WorkingRules } from '../../../../shared/domain/appointment';
import { LEGAL_BASIS_2025, legalBasisOf } from '../../../../shared/domain/legal-basis';
import { defaultSupplementWindow, supplementWindowEnd } from '../../../../shared/domain/time-limit-rules';
import type { Procedure } from '../../../../shared/domain/procedure';
import { copySigningPolicy } from '../../../../shared/domain/copy-signature';
import type { SignerRole, SignerStatus } from '../../../../shared/ipc/contract';
import { useClerkName } from '../../app/clerk';
import { useServices } from '../../app/services';
import { errorText } from '../../ui/errors';
import { ProgressBar } from '../../ui/ProgressBar';
import type { TrackedDossier } from '../board/board-data';
import { readAttachment, type Attachment } from '../intake/attachments';
import { AttachmentTiles } from '../intake/AttachmentTiles';
import { SignerCard } from '../intake/SignStep';
import { receiveSupplement, recountAfterSupplement, type ReceivedSupplement, type SupplementProgress } from './receive-supplement';

const progressSteps: readonly SupplementProgress['step'][] = ['assemble', 'sign', 'receipt', 'save'];

/**
 * Status 5 at the desk: what the deciding agency asked for, the papers the applicant brought (picked files,
 * checked as at intake), the signers, and "record": one signed PDF, the new appointment and a receipt.
 */
export function SupplementReceipt({
  tracked,
  now,
  procedure,
  workingRules = defaultWorkingRules,
  onDone,
}: {
  tracked: TrackedDossier;
  now: Date;
  /** The dossier's procedure in the catalog in force (its time limit goes on the receipt). */
  procedure?: Procedure;
  workingRules?: WorkingRules;
  onDone: (result: ReceivedSupplement) => void;
}) {
  const { t } = useTranslation();
  const { db, main, config, loadFonts, storageSpace } = useServices();
  const clerk = useClerkName();
  const { dossier, state } = tracked;
  const request = tracked.history.filter((c) => c.status === 5).at(-1);
  const items = request?.supplementItems ?? [];
  const [attachments, setAttachments] = useState<readonly Attachment[]>([]);
  const [problems, setProblems] = useState<readonly string[]>([]);
  const [reading, setReading] = useState(false);
  const [signers, setSigners] = useState<readonly { role: SignerRole; status: SignerStatus }[] | null>(null);
  const [progress, setProgress] = useState<SupplementProgress | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    main.call('signer:list', {}).then(setSigners, (err: unknown) => setError(errorText(t, err)));
  }, [main, t]);

  // Only the key the supplement's copy needs: the counter's default signer (the clerk's personal one; issue 15).
  const copySigning = copySigningPolicy(config.copySigning?.defaultSigner, signers?.map((s) => s.role) ?? []);
  const asked = signers?.filter((s) => s.role === copySigning.defaultSigner) ?? null;
  const unlocked = asked?.flatMap((s) => (s.status.state === 'unlocked' ? [{ role: s.role, status: s.status }] : [])) ?? [];
  const signersReady = asked !== null && asked.length > 0 && unlocked.length === asked.length;
  const working = progress !== null;
  const pausedSince = state.pausedSince ? new Date(state.pausedSince) : null;
  // 2025 dossiers: the time limit restarts at the completed receipt; 2018: it moves by the pause (receive-supplement.ts).
  const recount = pausedSince ? recountAfterSupplement(dossier, state, procedure, now, workingRules) : null;
  const preview = recount?.appointmentAt ?? null;
  const windowEnd = pausedSince && legalBasisOf(dossier) === LEGAL_BASIS_2025 ? supplementWindowEnd(pausedSince, config.timeLimits?.supplementWindow ?? defaultSupplementWindow, workingRules) : null;

  const addFiles = async (files: FileList | null) => {
    if (!files?.length) return;
    setReading(true);
    const added: Attachment[] = [];
    const failed: string[] = [];
    for (const file of Array.from(files)) {
      try {
        added.push(await readAttachment(file));
      } catch (err) {
        failed.push(errorText(t, err));
      }
    }
    setAttachments((previous) => [...previous, ...added]);
    setProblems(failed);
    setReading(false);
  };

  const remove = (attachment: Attachment) => {
    if (attachment.previewUrl) URL.revokeObjectURL(attachment.previewUrl);
    setAttachments((previous) => previous.filter((a) => a.id !== attachment.id));
  };

  const record = async () => {
    setError(null);
    setProgress({ step: 'assemble' });
    try {
      const result = await receiveSupplement(
        { dossier, state, requestedItems: items, attachments, config, signers: unlocked, copySigning, clerk, ...(procedure ? { procedure } : {}) },
        { db, main, fonts: loadFonts, storageSpace, rules: workingRules },
        setProgress,
      );
      for (const a of attachments) if (a.previewUrl) URL.revokeObjectURL(a.previewUrl);
      setAttachments([]);
      onDone(result);
    } catch (err) {
      setError(errorText(t, err));
      // A certificate may have expired meanwhile, or a token been pulled out: show the real state.
      setSigners(await main.call('signer:list', {}).catch(() => signers));
    } finally {
      setProgress(null);
    }
  };

  return (
    <section className="panel-form supplement" aria-labelledby="supplement-heading">
      <h4 id="supplement-heading">{t('desk.supplementHeading')}</h4>
      <p>{t('desk.supplementAsked', { round: state.supplementRounds, date: request ? formatVietnamDateTime(new Date(request.at)) : '—' })}</p>
      {items.length > 0 ? (
        <ul className="supplement-items">
          {items.map((item) => (
            <li key={item}>{item}</li>
          ))}
        </ul>
      ) : (
        <p className="muted">{t('desk.supplementNoItems')}</p>
      )}
      {request?.note && <p className="muted">{request.note}</p>}
      {preview && pausedSince && (
        <p className="notice" data-testid="supplement-new-appointment">
          {recount?.rule === 'pause'
            ? t('desk.supplementPaused', { since: formatVietnamDateTime(pausedSince), time: formatVietnamDateTime(preview) })
            : t('timeLimits.supplementRestart', { since: formatVietnamDateTime(pausedSince), time: formatVietnamDateTime(preview) })}
          {windowEnd && <> {t('timeLimits.supplementWindow', { closedAt: formatVietnamDateTime(windowEnd) })}</>}
        </p>
      )}
      <h5>{t('desk.supplementFiles')}</h5>
      <AttachmentTiles attachments={attachments} onRemove={remove} disabled={working} add={{ testId: 'supplement-files', onFiles: addFiles }} />
      {reading && (
        <p className="hint" role="status">
          {t('components.reading')}
        </p>
      )}
      {problems.map((message) => (
        <p key={message} className="error" role="alert">
          {message}
        </p>
      ))}
      {signers !== null && asked?.length === 0 && (
        <p className="error" role="alert">
          {t('errors.SIGNER_NOT_CONFIGURED', { role: t(`sign.roles.${copySigning.defaultSigner}`) })}
        </p>
      )}
      {asked?.map(({ role, status }, index) => (
        <SignerCard
          key={role}
          role={role}
          status={status}
          autoFocus={index === unlocked.length}
          disabled={working}
          onStatus={(next) => setSigners((list) => list?.map((s) => (s.role === role ? { role, status: next } : s)) ?? null)}
        />
      ))}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {progress && (
        <div className="accept-progress" role="status" aria-live="polite">
          <span>{t(`desk.supplementProgress.${progress.step}`)}</span>
          <ProgressBar value={(progressSteps.indexOf(progress.step) + 0.5) / progressSteps.length} />
        </div>
      )}
      <button type="button" className="primary" disabled={working || reading || !signersReady || attachments.length === 0} onClick={() => void record()}>
        {t('desk.supplementRecord')}
      </button>
    </section>
  );
}
