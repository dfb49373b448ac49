import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { FormOutput } from '../../ui/FormOutput';

/** What the clerk sees once a decision form (Mẫu 02 or 03) is produced: the heading, "finish", the form. */
export function FormIssued({ id, heading, children, pdf, fileName, label, onDone }: { id: string; heading: string; children?: ReactNode; pdf: Uint8Array; fileName: string; label: string; onDone: () => void }) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{heading}</h2>
      {children}
      <div className="actions">
        <button type="button" className="primary" autoFocus onClick={onDone}>
          {t('decision.finish')}
        </button>
      </div>
      <FormOutput pdf={pdf} fileName={fileName} label={label} />
    </section>
  );
}
