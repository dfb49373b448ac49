import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Applicant } from '../../../../shared/domain/dossier';
import type { Procedure } from '../../../../shared/domain/procedure';
import { useServices } from '../../app/services';
import { acceptDossier, type AcceptedDossier } from './accept-dossier';
import { ApplicantStep } from './ApplicantStep';
import { ComponentsStep, type AttachmentsByComponent } from './ComponentsStep';
import { ProcedureStep } from './ProcedureStep';
import { ReceiptStep } from './ReceiptStep';
import { SignStep } from './SignStep';
import { withCapturedPages } from '../capture/to-attachments';
import { clearWorkspace } from '../capture/page-store';
import { errorText } from '../../ui/errors';

const steps = ['procedure', 'applicant', 'components', 'sign', 'receipt'] as const;
type Step = (typeof steps)[number];

/** The clerk's path for one dossier. Nothing is stored until the last step succeeds. */
export function IntakeWizard({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const services = useServices();
  const [step, setStep] = useState<Step>('procedure');
  const [procedure, setProcedure] = useState<Procedure | null>(null);
  const [applicant, setApplicant] = useState<Applicant | null>(null);
  const [attachments, setAttachments] = useState<AttachmentsByComponent>({});
  const [accepted, setAccepted] = useState<AcceptedDossier | null>(null);
  /** Picked files plus the workspace's captured pages, per component: what the sign step assembles. */
  const [toSign, setToSign] = useState<AttachmentsByComponent>({});
  const [mergeError, setMergeError] = useState<string | null>(null);

  const fileCount = procedure ? procedure.components.filter((c) => (toSign[c.code]?.length ?? 0) > 0).length : 0;

  return (
    <div className="wizard">
      <ol className="stepper" aria-label="Các bước">
        {steps.map((s, i) => (
          <li key={s} className={s === step ? 'current' : steps.indexOf(step) > i ? 'done' : ''} aria-current={s === step ? 'step' : undefined}>
            <span className="num">{i + 1}</span> {t(`steps.${s}`)}
          </li>
        ))}
      </ol>
      <div className="wizard-body">
        {step === 'procedure' && (
          <ProcedureStep
            onChoose={(p) => {
              if (p.code !== procedure?.code) setAttachments({});
              setProcedure(p);
              setStep('applicant');
            }}
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
              onNext={() => {
                setMergeError(null);
                withCapturedPages(services.db, procedure, attachments).then(
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
        {step === 'sign' && procedure && applicant && (
          <SignStep
            fileCount={fileCount}
            onBack={() => setStep('components')}
            onAccept={async (signers, onProgress) => {
              const result = await acceptDossier(
                { procedure, applicant, attachments: toSign, config: services.config, signers },
                { db: services.db, main: services.main, fonts: services.loadFonts },
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
