import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Applicant } from '../../../../shared/domain/dossier';
import type { Procedure } from '../../../../shared/domain/procedure';
import { forms } from '../../../../shared/pdf/forms';
import { formUnit, useClerkName } from '../../app/clerk';
import { useServices } from '../../app/services';
import { recordRefusal } from '../../db/counter-desk';
import { recordAudit } from '../../db/audit-record';
import { errorText } from '../../ui/errors';
import { FormIssued } from './FormIssued';
import { formApplicant } from './form-data';

/** Refusing the dossier (Mẫu 03) with the specific reason; the refusal is recorded on this counter. */
export function RefusalForm({ procedure, applicant, pendingId, onBack, onDone }: { procedure: Procedure; applicant: Applicant; pendingId?: string; onBack: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const { db, main, config, loadFonts } = useServices();
  const clerk = useClerkName();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pdf, setPdf] = useState<Uint8Array | null>(null);

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const now = new Date();
      const bytes = await forms.mau03.build({ unit: formUnit(config), date: now, applicant: formApplicant(applicant), procedureName: procedure.name, reason: reason.trim(), clerkName: clerk }, await loadFonts());
      await recordRefusal(
        db,
        { procedure: { code: procedure.code, name: procedure.name }, applicant, reason, clerk, at: now, ...(pendingId ? { pendingId } : {}) },
        { formId: 'mau03', label: `Mẫu 03 — ${applicant.fullName} — ${procedure.name}`, pdf: bytes, clerk },
      );
      await recordAudit(db, main, { action: 'dossier-refused', details: { procedureCode: procedure.code } });
      setPdf(bytes);
    } catch (err) {
      setError(errorText(t, err));
    } finally {
      setBusy(false);
    }
  };

  if (pdf) {
    return <FormIssued id="refusal-done-heading" heading={t('decision.refusalDone')} pdf={pdf} fileName="mau03-tu-choi.pdf" label={t('decision.mau03')} onDone={onDone} />;
  }

  return (
    <section aria-labelledby="refusal-heading">
      <h2 id="refusal-heading">{t('decision.refusalHeading')}</h2>
      <p className="procedure-chosen">
        <span className="code">{procedure.code}</span> {procedure.name}
      </p>
      <label className="wide">
        <span>{t('decision.refusalReason')}</span>
        <textarea name="refusal-reason" rows={4} autoFocus value={reason} onChange={(e) => setReason(e.target.value)} />
      </label>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="actions">
        <button type="button" onClick={onBack}>
          {t('common.back')}
        </button>
        <button type="button" className="primary danger" disabled={busy || !reason.trim()} onClick={() => void submit()}>
          {t('decision.issueMau03')}
        </button>
      </div>
    </section>
  );
}
