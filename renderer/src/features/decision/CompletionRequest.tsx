import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { checkCompleteness, defaultCompletionItem, type CompletionItem } from '../../../../shared/domain/completeness';
import type { Applicant } from '../../../../shared/domain/dossier';
import type { Procedure } from '../../../../shared/domain/procedure';
import { copyTypeLabels } from '../../../../shared/pdf/forms/mau02';
import { forms } from '../../../../shared/pdf/forms';
import { formUnit, useClerkName } from '../../app/clerk';
import { useServices } from '../../app/services';
import { requestCompletion } from '../../db/counter-desk';
import { recordAudit } from '../../db/audit-record';
import type { PendingAttachment } from '../../db/database';
import { errorText } from '../../ui/errors';
import { FormIssued } from './FormIssued';
import { formApplicant } from './form-data';

interface Props {
  readonly procedure: Procedure;
  readonly applicant: Applicant;
  /** Components handed in (pages in the workspace or kept files): Mẫu 02 does not ask for them again. */
  readonly present: ReadonlySet<string>;
  /** Files kept on a pending dossier of an older version (kept until the applicant returns). */
  readonly attachments: readonly PendingAttachment[];
  /** The dossier was already waiting: this is a further round on the same record. */
  readonly pendingId?: string;
  readonly onBack: () => void;
  readonly onDone: () => void;
}

/**
 * Requesting completion (Mẫu 02): the clerk lists, once and in writing, each missing component, the form
 * it must come in, what to do and why. The incomplete dossier is kept on this counter until the applicant
 * comes back.
 */
export function CompletionRequest({ procedure, applicant, present, attachments, pendingId, onBack, onDone }: Props) {
  const { t } = useTranslation();
  const { db, main, config, loadFonts } = useServices();
  const clerk = useClerkName();
  const completeness = checkCompleteness(procedure, present);
  const [items, setItems] = useState<readonly (CompletionItem & { readonly selected: boolean })[]>(() =>
    [...completeness.missingRequired, ...completeness.missingOptional].map((c) => ({ ...defaultCompletionItem(c), selected: c.required })),
  );
  const [contactPhone, setContactPhone] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pdf, setPdf] = useState<Uint8Array | null>(null);

  const chosen = items.filter((i) => i.selected);
  const update = (code: string, patch: Partial<CompletionItem & { selected: boolean }>) => setItems((list) => list.map((i) => (i.componentCode === code ? { ...i, ...patch } : i)));

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const now = new Date();
      const lines = chosen.map(({ componentCode, component, copyType, request, reason }) => ({ componentCode, component, copyType, reason: reason.trim(), ...(request?.trim() ? { request: request.trim() } : {}) }));
      const bytes = await forms.mau02.build(
        {
          unit: formUnit(config),
          date: now,
          applicant: formApplicant(applicant),
          procedureName: procedure.name,
          items: lines.map(({ componentCode: _code, ...line }) => line),
          contact: { name: clerk, phone: contactPhone.trim() || applicant.phone },
          clerkName: clerk,
        },
        await loadFonts(),
      );
      await requestCompletion(
        db,
        { procedure: { code: procedure.code, name: procedure.name }, applicant, attachments, items: lines, clerk, at: now, ...(pendingId ? { pendingId } : {}) },
        { formId: 'mau02', label: `Mẫu 02 — ${applicant.fullName} — ${procedure.name}`, pdf: bytes, clerk },
      );
      await recordAudit(db, main, { action: 'supplement-requested', details: { procedureCode: procedure.code, items: lines.length } });
      setPdf(bytes);
    } catch (err) {
      setError(errorText(t, err));
    } finally {
      setBusy(false);
    }
  };

  if (pdf) {
    return (
      <FormIssued id="completion-done-heading" heading={t('decision.completionDone')} pdf={pdf} fileName="mau02-yeu-cau-bo-sung.pdf" label={t('decision.mau02')} onDone={onDone}>
        <p>{t('decision.completionKept')}</p>
      </FormIssued>
    );
  }

  return (
    <section aria-labelledby="completion-heading">
      <h2 id="completion-heading">{t('decision.completionHeading')}</h2>
      <p className="procedure-chosen">
        <span className="code">{procedure.code}</span> {procedure.name}
      </p>
      <p className="hint">{t('decision.completionIntro')}</p>
      <ol className="completion-items">
        {items.map((item) => (
          <li key={item.componentCode} data-component={item.componentCode}>
            <label className="checkbox">
              <input type="checkbox" checked={item.selected} onChange={(e) => update(item.componentCode, { selected: e.target.checked })} /> <strong>{item.component}</strong>
            </label>
            {item.selected && (
              <div className="form-grid">
                <label>
                  <span>{t('decision.copyType')}</span>
                  <select value={item.copyType} onChange={(e) => update(item.componentCode, { copyType: e.target.value as CompletionItem['copyType'] })}>
                    {Object.entries(copyTypeLabels).map(([value, label]) => (
                      <option key={value} value={value}>
                        {label}
                      </option>
                    ))}
                  </select>
                </label>
                <label>
                  <span>{t('decision.request')}</span>
                  <input value={item.request ?? ''} onChange={(e) => update(item.componentCode, { request: e.target.value })} />
                </label>
                <label className="wide">
                  <span>{t('decision.reason')}</span>
                  <input value={item.reason} onChange={(e) => update(item.componentCode, { reason: e.target.value })} />
                </label>
              </div>
            )}
          </li>
        ))}
      </ol>
      <label>
        <span>{t('decision.contactPhone', { name: clerk })}</span>
        <input name="contact-phone" inputMode="numeric" value={contactPhone} onChange={(e) => setContactPhone(e.target.value)} />
      </label>
      {chosen.length === 0 && <p className="hint">{t('decision.chooseOne')}</p>}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {busy && (
        <p className="hint" role="status">
          {t('decision.producing')}
        </p>
      )}
      <div className="actions">
        <button type="button" onClick={onBack}>
          {t('common.back')}
        </button>
        <button type="button" className="primary" disabled={busy || chosen.length === 0 || chosen.some((i) => !i.reason.trim())} onClick={() => void submit()}>
          {t('decision.issueMau02')}
        </button>
      </div>
    </section>
  );
}
