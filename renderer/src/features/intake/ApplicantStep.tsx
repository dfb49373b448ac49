import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { applicantSchema, type Applicant } from '../../../../shared/domain/dossier';
import { parseCccdQr } from '../../../../shared/domain/cccd';
import { parseTaxCode } from '../../../../shared/domain/tax-code';
import { useServices } from '../../app/services';
import { findApplicants } from '../../db/counter-desk';
import type { KnownApplicantRow } from '../../db/database';
import { errorText } from '../../ui/errors';

type Field = 'fullName' | 'idNumber' | 'phone' | 'address' | 'email' | 'orgName' | 'taxCode' | 'behalfName' | 'behalfId' | 'behalfRelation';
type Values = Record<Field, string>;
const personFields: readonly Field[] = ['fullName', 'idNumber', 'phone', 'address', 'email'];

const empty: Values = { fullName: '', idNumber: '', phone: '', address: '', email: '', orgName: '', taxCode: '', behalfName: '', behalfId: '', behalfRelation: '' };

function valuesOf(a: Applicant): Values {
  return {
    fullName: a.fullName,
    idNumber: a.idNumber,
    phone: a.phone,
    address: a.address,
    email: a.email ?? '',
    orgName: a.organisation?.name ?? '',
    taxCode: a.organisation?.taxCode ?? '',
    behalfName: a.onBehalfOf?.fullName ?? '',
    behalfId: a.onBehalfOf?.idNumber ?? '',
    behalfRelation: a.onBehalfOf?.relation ?? '',
  };
}

/** zod issue path → the form field it belongs to. */
function fieldOfPath(path: readonly PropertyKey[]): Field {
  const [head, sub] = path;
  if (head === 'organisation') return sub === 'name' ? 'orgName' : 'taxCode';
  if (head === 'onBehalfOf') return sub === 'idNumber' ? 'behalfId' : sub === 'relation' ? 'behalfRelation' : 'behalfName';
  return head as Field;
}

/**
 * The applicant: an individual (card QR or typed), an organisation (tax code with its check digit), or a
 * person submitting on someone's behalf. A returning applicant is found by number, phone or name.
 */
export function ApplicantStep({ initial, onBack, onNext }: { initial: Applicant | null; onBack: () => void; onNext: (a: Applicant) => void }) {
  const { t } = useTranslation();
  const { db } = useServices();
  const [values, setValues] = useState<Values>(initial ? valuesOf(initial) : empty);
  const [kind, setKind] = useState<'individual' | 'organisation'>(initial?.organisation ? 'organisation' : 'individual');
  const [onBehalf, setOnBehalf] = useState(Boolean(initial?.onBehalfOf));
  const [invalid, setInvalid] = useState<ReadonlyMap<Field, string>>(new Map());
  const [qr, setQr] = useState('');
  const phoneInput = useRef<HTMLInputElement>(null);
  const [qrMessage, setQrMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [lookup, setLookup] = useState('');
  const [found, setFound] = useState<readonly KnownApplicantRow[]>([]);

  useEffect(() => {
    let current = true;
    void findApplicants(db, lookup).then((rows) => current && setFound(rows));
    return () => {
      current = false;
    };
  }, [db, lookup]);

  const pick = (row: KnownApplicantRow) => {
    setValues(valuesOf(row.applicant));
    setKind(row.applicant.organisation ? 'organisation' : 'individual');
    setOnBehalf(Boolean(row.applicant.onBehalfOf));
    setInvalid(new Map());
    setLookup('');
  };

  // A USB barcode reader types the card's QR text and presses Enter (keyboard wedge): fill the form from it.
  const readQr = () => {
    try {
      const card = parseCccdQr(qr);
      setValues((v) => ({ ...v, fullName: card.fullName, idNumber: card.personalNumber, address: card.address }));
      setInvalid(new Map());
      setQrMessage({ ok: true, text: t('applicant.qrRead', { name: card.fullName, birthDate: card.birthDate.split('-').reverse().join('/') }) });
      // The card has no phone number: that is what the clerk types next.
      phoneInput.current?.focus();
    } catch (err) {
      setQrMessage({ ok: false, text: errorText(t, err) });
    }
    setQr('');
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problems = new Map<Field, string>();
    let taxCode = values.taxCode;
    if (kind === 'organisation') {
      // The tax code's own message says what is wrong with it (format, check digit…).
      try {
        taxCode = parseTaxCode(values.taxCode).formatted;
      } catch (err) {
        problems.set('taxCode', errorText(t, err));
      }
    }
    const candidate = {
      fullName: values.fullName.normalize('NFC'),
      idNumber: values.idNumber.trim(),
      phone: values.phone.replace(/[\s.]/g, ''),
      address: values.address.normalize('NFC'),
      ...(values.email.trim() ? { email: values.email.trim() } : {}),
      ...(kind === 'organisation' ? { organisation: { name: values.orgName.normalize('NFC'), taxCode } } : {}),
      ...(kind === 'individual' && onBehalf
        ? {
            onBehalfOf: {
              fullName: values.behalfName.normalize('NFC'),
              ...(values.behalfId.trim() ? { idNumber: values.behalfId.trim() } : {}),
              ...(values.behalfRelation.trim() ? { relation: values.behalfRelation.trim() } : {}),
            },
          }
        : {}),
    };
    const parsed = applicantSchema.safeParse(candidate);
    if (!parsed.success) for (const issue of parsed.error.issues) if (!problems.has(fieldOfPath(issue.path))) problems.set(fieldOfPath(issue.path), t(`applicant.invalid.${fieldOfPath(issue.path)}`));
    if (problems.size > 0 || !parsed.success) setInvalid(problems);
    else onNext(parsed.data);
  };

  const input = (field: Field, extra: { ref?: typeof phoneInput; numeric?: boolean } = {}) => (
    <label key={field} className={invalid.has(field) ? 'invalid' : ''}>
      <span>{t(`applicant.${field}`)}</span>
      <input
        name={field}
        ref={extra.ref}
        inputMode={extra.numeric ? 'numeric' : 'text'}
        aria-invalid={invalid.has(field)}
        value={values[field]}
        onChange={(e) => setValues({ ...values, [field]: e.target.value })}
      />
      {invalid.has(field) && <small role="alert">{invalid.get(field)}</small>}
    </label>
  );

  return (
    <form onSubmit={submit} noValidate aria-labelledby="applicant-heading">
      <h2 id="applicant-heading">{t('applicant.heading')}</h2>
      <div className="lookup">
        <label>
          <span>{t('applicant.lookup')}</span>
          <input type="search" name="applicant-lookup" autoComplete="off" placeholder={t('applicant.lookupHint')} value={lookup} onChange={(e) => setLookup(e.target.value)} />
        </label>
        {found.length > 0 && (
          <ul className="lookup-results" aria-label={t('applicant.lookupResults')}>
            {found.map((row) => (
              <li key={row.key}>
                <button type="button" onClick={() => pick(row)}>
                  <strong>{row.applicant.organisation?.name ?? row.applicant.fullName}</strong> · {row.key} · {row.phone} ·{' '}
                  <span className="muted">{t('applicant.visits', { count: row.visits })}</span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
      <fieldset className="kind">
        <legend>{t('applicant.kind')}</legend>
        <label>
          <input type="radio" name="kind" checked={kind === 'individual'} onChange={() => setKind('individual')} /> {t('applicant.individual')}
        </label>
        <label>
          <input type="radio" name="kind" checked={kind === 'organisation'} onChange={() => setKind('organisation')} /> {t('applicant.organisation')}
        </label>
      </fieldset>
      {kind === 'organisation' && <div className="form-grid">{(['orgName', 'taxCode'] as const).map((f) => input(f, { numeric: f === 'taxCode' }))}</div>}
      <label className="qr-input">
        <span>{kind === 'organisation' ? t('applicant.qrSubmitter') : t('applicant.qr')}</span>
        <input
          name="cccd-qr"
          autoFocus
          autoComplete="off"
          placeholder={t('applicant.qrHint')}
          value={qr}
          onChange={(e) => setQr(e.target.value)}
          onKeyDown={(e) => {
            if (e.key !== 'Enter' || !qr) return;
            e.preventDefault();
            readQr();
          }}
        />
      </label>
      {qrMessage && (
        <p className={qrMessage.ok ? 'notice-ok' : 'error'} role={qrMessage.ok ? 'status' : 'alert'}>
          {qrMessage.text}
        </p>
      )}
      <div className="form-grid">{personFields.map((f) => input(f, { ...(f === 'phone' ? { ref: phoneInput } : {}), numeric: f === 'idNumber' || f === 'phone' }))}</div>
      {kind === 'individual' && (
        <>
          <label className="checkbox">
            <input type="checkbox" name="on-behalf" checked={onBehalf} onChange={(e) => setOnBehalf(e.target.checked)} /> {t('applicant.onBehalf')}
          </label>
          {onBehalf && <div className="form-grid">{(['behalfName', 'behalfId', 'behalfRelation'] as const).map((f) => input(f, { numeric: f === 'behalfId' }))}</div>}
        </>
      )}
      <div className="actions">
        <button type="button" onClick={onBack}>
          {t('common.back')}
        </button>
        <button type="submit" className="primary">
          {t('common.next')}
        </button>
      </div>
    </form>
  );
}
