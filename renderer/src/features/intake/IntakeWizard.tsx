import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Applicant } from '../../../../shared/domain/dossier';
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
import { clearWorkspace } from '../capture/page-store';

const steps = ['procedure', 'applicant', 'components', 'sign', 'receipt'] as const;
type Step = (typeof steps)[number] | 'completion' | 'refusal';

function pendingAttachmentsOf(attachments: AttachmentsByComponent): PendingAttachment[] {
  return Object.entries(attachments).flatMap(([componentCode, list]) => list.map((a) => ({ componentCode, name: a.name, bytes: a.bytes })));
}

/**
 * The clerk's path for one dossier. Nothing is stored until the clerk decides: accept (signed and queued),
 * request completion (kept here until the applicant returns, Mẫu 02) or refuse (recorded, Mẫu 03).
 */
export function IntakeWizard({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const services = useServices();
  const clerk = useClerkName();
  const catalog = useCatalog();
  const calendar = useWorkingCalendar();
  const [step, setStep] = useState<Step>('procedure');
  const [procedure, setProcedure] = useState<Procedure | null>(null);
  const [applicant, setApplicant] = useState<Applicant | null>(null);
  const [attachments, setAttachments] = useState<AttachmentsByComponent>({});
  const [accepted, setAccepted] = useState<AcceptedDossier | null>(null);
  /** The dossier being completed, when it was reopened from the waiting list. */
  const [pending, setPending] = useState<PendingDossierRow | null>(null);
  const [reopenError, setReopenError] = useState<string | null>(null);

  const stepIndex = steps.indexOf(step === 'completion' || step === 'refusal' ? 'components' : step);

  // The applicant is back: the same dossier, with what was brought last time, goes on at the components.
  const reopen = async (row: PendingDossierRow) => {
    setReopenError(null);
    try {
      const found = catalog.find((p) => p.code === row.procedure.code);
      if (!found) throw new AppError('PROCEDURE_UNKNOWN', { code: row.procedure.code });
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
  /** Picked files plus the workspace's captured pages, per component: what the sign step assembles. */
  const [toSign, setToSign] = useState<AttachmentsByComponent>({});
  const [mergeError, setMergeError] = useState<string | null>(null);

  const fileCount = procedure ? procedure.components.filter((c) => (toSign[c.code]?.length ?? 0) > 0).length : 0;

  return (
    <div className="wizard">
      <ol className="stepper" aria-label="Các bước">
        {steps.map((s, i) => (
          <li key={s} className={i === stepIndex ? 'current' : stepIndex > i ? 'done' : ''} aria-current={i === stepIndex ? 'step' : undefined}>
            <span className="num">{i + 1}</span> {t(`steps.${s}`)}
          </li>
        ))}
      </ol>
      <div className="wizard-body">
        {pending && step !== 'receipt' && (
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
          <ProcedureStep
            onChoose={(p) => {
              if (p.code !== procedure?.code) setAttachments({});
              setProcedure(p);
              setStep('applicant');
            }}
            onReopen={(row) => void reopen(row)}
          />
        )}
        {step === 'applicant' && (
          <ApplicantStep
            initial={applicant}
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
              onBack={() => setStep('applicant')}
              onRequestCompletion={() => setStep('completion')}
              onRefuse={() => setStep('refusal')}
              onNext={() => {
                setMergeError(null);
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
            fileCount={fileCount}
            onBack={() => setStep('components')}
            onAccept={async (signers, onProgress) => {
              const result = await acceptDossier(
                { procedure, applicant, attachments: toSign, config: services.config, signers, clerk, ...(pending ? { pending: { id: pending.id, rounds: pending.rounds.length } } : {}) },
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
