import { useEffect, useRef, useState } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import { useTranslation } from 'react-i18next';
import type { Applicant } from '../../../../shared/domain/dossier';
import { recordReceptionDuties, type DocumentSource, type VneidCheck } from '../../../../shared/domain/reception-duties';
import type { Procedure } from '../../../../shared/domain/procedure';
import { AppError } from '../../../../shared/errors';
import { useClerkName } from '../../app/clerk';
import { useServices } from '../../app/services';
import { useCatalog, useWorkingCalendar } from '../../app/reference-data';
import type { PendingAttachment, PendingDossierRow } from '../../db/database';
import { errorText } from '../../ui/errors';
import { CompletionRequest } from '../decision/CompletionRequest';
import { RefusalForm } from '../decision/RefusalForm';
import { acceptDossier, type AcceptedDossier } from './accept-dossier';
import { ApplicantStep } from './ApplicantStep';
import { readAttachment } from './attachments';
import { ComponentsStep, type AttachmentsByComponent } from './ComponentsStep';
import { ProcedureStep } from './ProcedureStep';
import { ReceiptStep } from './ReceiptStep';
import { SignStep } from './SignStep';
import { withCapturedPages } from '../capture/to-attachments';
import type { PageCountConfirmation, PaperPageEntry } from '../../../../shared/domain/digitization';
import { clearWorkspace, listPages } from '../capture/page-store';
import { draftOwner, draftPageCount, releaseDraft, reopenIntoDraft } from '../../db/workspaces';

const steps = ['procedure', 'applicant', 'components', 'sign', 'receipt'] as const;
type Step = (typeof steps)[number] | 'completion' | 'refusal';

function pendingAttachmentsOf(attachments: AttachmentsByComponent): PendingAttachment[] {
  return Object.entries(attachments).flatMap(([componentCode, list]) => list.map((a) => ({ componentCode, name: a.name, bytes: a.bytes })));
}

/** Puts the keyboard in the current step's first field (Alt+1, or after the clerk starts over). */
function focusFirstField(body: HTMLElement | null) {
  const target = body?.querySelector<HTMLElement>('[data-primary]:not([disabled]), input:not([type=hidden]):not(.visually-hidden):not([disabled]), select:not([disabled]), textarea:not([disabled]), button:not([disabled])');
  target?.focus();
}

/**
 * The clerk's path for one dossier. Nothing is stored until the clerk decides: accept (signed and queued),
 * request completion (kept here with its pages until the applicant returns, Mẫu 02) or refuse (recorded,
 * Mẫu 03). "Hồ sơ mới" drops what is being entered — or puts a reopened dossier back, untouched.
 */
export function IntakeWizard({ onDone, focusRequest = 0 }: { onDone: () => void; focusRequest?: number }) {
  const { t } = useTranslation();
  const services = useServices();
  const clerk = useClerkName();
  const catalog = useCatalog();
  const calendar = useWorkingCalendar();
  const [step, setStep] = useState<Step>('procedure');
  const [procedure, setProcedure] = useState<Procedure | null>(null);
  const [applicant, setApplicant] = useState<Applicant | null>(null);
  /** Reception duties (Decree 118 Art. 17.1.a–b): claim nothing until the clerk says so. */
  const [vneid, setVneid] = useState<VneidCheck>('not-checked');
  const [sources, setSources] = useState<Readonly<Record<string, DocumentSource>>>({});
  /** Files restored from a pending dossier of an older version (bytes kept on its row, not as pages). */
  const [attachments, setAttachments] = useState<AttachmentsByComponent>({});
  const [accepted, setAccepted] = useState<AcceptedDossier | null>(null);
  /** The dossier being completed, when it was reopened from the waiting list. */
  const [pending, setPending] = useState<PendingDossierRow | null>(null);
  const [reopenError, setReopenError] = useState<string | null>(null);
  /** Components already handed in, when the clerk asks for the rest (Mẫu 02 lists only what is missing). */
  const [present, setPresent] = useState<ReadonlySet<string>>(new Set());
  const [confirmingNew, setConfirmingNew] = useState(false);
  /** The paper page counts the clerk typed (and differences acknowledged), and those confirmed on "Tiếp tục". */
  const [paperPages, setPaperPages] = useState<Readonly<Record<string, PaperPageEntry>>>({});
  const [pageCounts, setPageCounts] = useState<readonly PageCountConfirmation[]>([]);
  const draftPages = useLiveQuery(() => draftPageCount(services.db), [services.db]) ?? 0;
  /** Set when the draft holds a reopened dossier's pages (after a restart the wizard itself has forgotten). */
  const owner = useLiveQuery(() => draftOwner(services.db), [services.db]) ?? null;
  const bodyRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (focusRequest > 0) focusFirstField(bodyRef.current);
  }, [focusRequest]);

  const stepIndex = steps.indexOf(step === 'completion' || step === 'refusal' ? 'components' : step);
  const decided = step === 'receipt' || accepted !== null;
  const inProgress = !decided && step !== 'completion' && step !== 'refusal' && (procedure !== null || applicant !== null || pending !== null || draftPages > 0);

  // The applicant is back: the same dossier, with its pages and what was brought last time, goes on at the components.
  const reopen = async (row: PendingDossierRow) => {
    setReopenError(null);
    try {
      const found = catalog.find((p) => p.code === row.procedure.code);
      if (!found) throw new AppError('PROCEDURE_UNKNOWN', { code: row.procedure.code });
      if (pending && pending.id !== row.id) await releaseDraft(services.db);
      const moved = await reopenIntoDraft(services.db, row.id);
      if ('draftBusy' in moved) {
        setReopenError(t('intake.draftBusy', { count: moved.draftBusy }));
        return;
      }
      const restored: Record<string, Awaited<ReturnType<typeof readAttachment>>[]> = {};
      for (const a of row.attachments) (restored[a.componentCode] ??= []).push(await readAttachment(new File([a.bytes.slice()], a.name)));
      setProcedure(found);
      setApplicant(row.applicant);
      setAttachments(restored);
      setPending(row);
      setStep('components');
    } catch (err) {
      setReopenError(errorText(t, err));
    }
  };

  /** Starts over: a reopened dossier goes back to its waiting place as it was; a new one is dropped. */
  const startOver = async () => {
    try {
      if (pending || (await draftOwner(services.db))) await releaseDraft(services.db);
      else await clearWorkspace(services.db);
      onDone();
    } catch (err) {
      setReopenError(errorText(t, err));
      setConfirmingNew(false);
    }
  };

  const chooseProcedure = async (p: Procedure) => {
    // A reopened dossier's pages never go to a new applicant: also when the app restarted in between and only
    // the database still knows whose pages the draft holds.
    const owned = pending !== null || (await draftOwner(services.db).catch(() => null)) !== null;
    if (owned) {
      // Another procedure from the list while a reopened dossier is open: that is a new applicant.
      try {
        await releaseDraft(services.db);
      } catch (err) {
        setReopenError(errorText(t, err));
        return;
      }
      setPending(null);
      setApplicant(null);
      setAttachments({});
      setVneid('not-checked');
      setSources({});
    } else if (p.code !== procedure?.code) setAttachments({});
    if (p.code !== procedure?.code) setPaperPages({});
    setProcedure(p);
    setStep('applicant');
  };

  /** Picked files plus the workspace's captured pages, per component: what the sign step assembles. */
  const [toSign, setToSign] = useState<AttachmentsByComponent>({});
  const [mergeError, setMergeError] = useState<string | null>(null);

  const presentComponents = procedure ? procedure.components.filter((c) => (toSign[c.code]?.length ?? 0) > 0) : [];
  const pendingName = pending ? (pending.applicant.organisation?.name ?? pending.applicant.fullName) : '';

  return (
    <div className="wizard">
      <div className="wizard-head">
        <ol className="stepper" aria-label="Các bước">
          {steps.map((s, i) => (
            <li key={s} className={i === stepIndex ? 'current' : stepIndex > i ? 'done' : ''} aria-current={i === stepIndex ? 'step' : undefined}>
              <span className="num">{i + 1}</span> {t(`steps.${s}`)}
            </li>
          ))}
        </ol>
        {inProgress && !confirmingNew && (
          <button type="button" className="new-dossier" onClick={() => setConfirmingNew(true)}>
            {pending ? t('intake.putBack', { name: pendingName }) : t('intake.newDossier')}
          </button>
        )}
      </div>
      {confirmingNew && (
        <div className="confirm-new" role="alertdialog" aria-labelledby="confirm-new-question">
          <p id="confirm-new-question">
            <strong>{pending ? t('intake.putBackQuestion', { name: pendingName }) : t('intake.discardQuestion')}</strong>
            {!pending && draftPages > 0 && <> {t('intake.discardPages', { count: draftPages })}</>}
          </p>
          <div className="actions">
            <button type="button" autoFocus onClick={() => setConfirmingNew(false)}>
              {t('intake.keepEditing')}
            </button>
            <button type="button" className={pending ? 'primary' : 'danger'} onClick={() => void startOver()}>
              {pending ? t('intake.putBack', { name: pendingName }) : t('intake.discard')}
            </button>
          </div>
        </div>
      )}
      <div className="wizard-body" ref={bodyRef}>
        {pending && step !== 'receipt' && step !== 'procedure' && (
          <p className="notice" role="status">
            {t('decision.reopened', { rounds: pending.rounds.length, items: pending.rounds.at(-1)?.items.map((i) => i.component).join('; ') ?? '' })}
          </p>
        )}
        {reopenError && (
          <p className="error" role="alert">
            {reopenError}
          </p>
        )}
        {step === 'procedure' && (
          <>
            {pending && (
              <div className="notice" role="status">
                <p>{t('intake.pendingOpen', { name: pendingName, procedure: pending.procedure.name })}</p>
                <button type="button" onClick={() => setStep('components')}>
                  {t('intake.continuePending', { name: pendingName })}
                </button>
              </div>
            )}
            {!pending && !owner && !procedure && draftPages > 0 && (
              <p className="notice" role="status">
                {t('intake.leftoverPages', { count: draftPages })}
              </p>
            )}
            <ProcedureStep onChoose={(p) => void chooseProcedure(p)} onReopen={(row) => void reopen(row)} openPendingId={pending?.id ?? null} />
          </>
        )}
        {step === 'applicant' && (
          <ApplicantStep
            initial={applicant}
            vneid={vneid}
            onVneidChange={setVneid}
            onBack={() => setStep('procedure')}
            onNext={(a) => {
              setApplicant(a);
              setStep('components');
            }}
          />
        )}
        {step === 'components' && procedure && (
          <>
            <ComponentsStep
              procedure={procedure}
              attachments={attachments}
              onChange={setAttachments}
              sources={sources}
              onSourceChange={(code, source) => setSources((previous) => ({ ...previous, [code]: source }))}
              onBack={() => setStep('applicant')}
              onRequestCompletion={() => {
                setMergeError(null);
                listPages(services.db).then(
                  (pages) => {
                    setPresent(new Set([...pages.flatMap((p) => (p.componentCode ? [p.componentCode] : [])), ...Object.entries(attachments).flatMap(([code, list]) => (list.length ? [code] : []))]));
                    setStep('completion');
                  },
                  (err: unknown) => setMergeError(errorText(t, err)),
                );
              }}
              onRefuse={() => setStep('refusal')}
              paperPages={paperPages}
              onPaperPages={(code, entry) => setPaperPages((previous) => ({ ...previous, [code]: entry }))}
              onNext={(confirmed) => {
                setMergeError(null);
                setPageCounts(confirmed);
                withCapturedPages(services.db, procedure, attachments, { minDpi: services.config.imaging.minDpiPolicy }).then(
                  (merged) => {
                    setToSign(merged);
                    setStep('sign');
                  },
                  (err: unknown) => setMergeError(errorText(t, err)),
                );
              }}
            />
            {mergeError && (
              <p className="error" role="alert">
                {mergeError}
              </p>
            )}
          </>
        )}
        {step === 'completion' && procedure && applicant && (
          <CompletionRequest
            procedure={procedure}
            applicant={applicant}
            present={present}
            attachments={pendingAttachmentsOf(attachments)}
            {...(pending ? { pendingId: pending.id } : {})}
            onBack={() => setStep('components')}
            onDone={onDone}
          />
        )}
        {step === 'refusal' && procedure && applicant && (
          <RefusalForm procedure={procedure} applicant={applicant} {...(pending ? { pendingId: pending.id } : {})} onBack={() => setStep('components')} onDone={onDone} />
        )}
        {step === 'sign' && procedure && applicant && (
          <SignStep
            components={presentComponents}
            onBack={() => setStep('components')}
            onAccept={async (signers, copySigning, onProgress) => {
              // Read again: pages cleaned and read since "Tiếp tục" bring their cleaned image and OCR words.
              const latest = await withCapturedPages(services.db, procedure, attachments, { minDpi: services.config.imaging.minDpiPolicy });
              const result = await acceptDossier(
                { procedure, applicant, attachments: latest, config: services.config, signers, copySigning, pageCounts, clerk, receptionDuties: recordReceptionDuties(vneid, sources, procedure.components.filter((c) => (toSign[c.code]?.length ?? 0) > 0).map((c) => c.code)), ...(pending ? { pending: { id: pending.id, rounds: pending.rounds.length } } : {}) },
                { db: services.db, main: services.main, fonts: services.loadFonts, storageSpace: services.storageSpace, calendar, recordCode: services.recordCode },
                onProgress,
              );
              setAccepted(result);
              // The pages now live in the signed PDFs: the workspace starts empty for the next dossier.
              await clearWorkspace(services.db);
              setStep('receipt');
              void services.sync.syncNow();
            }}
          />
        )}
        {step === 'receipt' && accepted && <ReceiptStep accepted={accepted} onNew={onDone} />}
      </div>
    </div>
  );
}
