import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { applicantSchema, type Applicant } from '../../../../shared/domain/dossier';
import { parseCccdQr, type CccdData } from '../../../../shared/domain/cccd';
import { checkPersonalNumber } from '../../../../shared/domain/identity';
import { parseTaxCode } from '../../../../shared/domain/tax-code';
import { useServices } from '../../app/services';
import { findApplicants } from '../../db/counter-desk';
import type { KnownApplicantRow } from '../../db/database';
import { errorText } from '../../ui/errors';
import { CardQrSources } from '../identity/CardQrSources';
import { WedgeDetector } from '../identity/wedge';
import { formatIsoDateVietnamese, parseVietnameseDate } from '../../ui/dates';
import { VneidCheckControl } from './ReceptionDutyControls';
import type { VneidCheck } from '../../../../shared/domain/reception-duties';

type Field = 'fullName' | 'idNumber' | 'birthDate' | 'gender' | 'idIssuedDate' | 'phone' | 'address' | 'email' | 'orgName' | 'taxCode' | 'behalfName' | 'behalfId' | 'behalfRelation';
type Values = Record<Field, string>;
const personFields: readonly Field[] = ['fullName', 'idNumber', 'birthDate', 'gender', 'idIssuedDate', 'phone', 'address', 'email'];
/** Typed and shown as dd/mm/yyyy whatever the operating system's language (a native date input follows it). */
const dateFields: ReadonlySet<Field> = new Set(['birthDate', 'idIssuedDate']);
/** What a newly read card does not carry: cleared when the card is another person's. */
const notOnCard: readonly Field[] = ['phone', 'email', 'behalfName', 'behalfId', 'behalfRelation'];
const shownDate = (iso: string | undefined) => (iso ? formatIsoDateVietnamese(iso) : '');
const isField = (name: string): name is Field => name in empty;

const empty: Values = { fullName: '', idNumber: '', birthDate: '', gender: '', idIssuedDate: '', phone: '', address: '', email: '', orgName: '', taxCode: '', behalfName: '', behalfId: '', behalfRelation: '' };

function valuesOf(a: Applicant): Values {
  return {
    fullName: a.fullName,
    idNumber: a.idNumber,
    phone: a.phone,
    address: a.address,
    email: a.email ?? '',
    birthDate: shownDate(a.birthDate),
    gender: a.gender ?? '',
    idIssuedDate: shownDate(a.idIssuedDate),
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
export function ApplicantStep({
  initial,
  onBack,
  onNext,
  vneid,
  onVneidChange,
}: {
  initial: Applicant | null;
  onBack: () => void;
  onNext: (a: Applicant) => void;
  /** The VNeID check (Decree 118 Art. 17.1.a), kept by the wizard with the dossier being received. */
  vneid: VneidCheck;
  onVneidChange: (check: VneidCheck) => void;
}) {
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
  /** Fields last filled from the card's QR (shown as such until the clerk edits them). */
  const [fromQr, setFromQr] = useState<ReadonlySet<Field>>(new Set());
  const wedge = useRef(new WedgeDetector());

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

  // The card's QR, however it was read (reader, picture, scanned page, camera), fills the person's fields.
  const fillFromCard = (card: CccdData) => {
    setValues((v) => {
      // Another person's card: nothing of the previous person may stay (a phone typed after would append).
      const others = v.idNumber.trim() && v.idNumber.trim() !== card.personalNumber ? Object.fromEntries(notOnCard.map((f) => [f, ''])) : {};
      return { ...v, ...others, fullName: card.fullName, idNumber: card.personalNumber, address: card.address, birthDate: shownDate(card.birthDate), gender: card.gender, idIssuedDate: shownDate(card.issuedDate) };
    });
    setFromQr(new Set<Field>(['fullName', 'idNumber', 'address', 'birthDate', 'gender', ...(card.issuedDate ? (['idIssuedDate'] as const) : [])]));
    setInvalid(new Map());
    setQrMessage({ ok: true, text: t('applicant.qrRead', { name: card.fullName, birthDate: card.birthDate.split('-').reverse().join('/') }) });
    // The card has no phone number: that is what the clerk types next.
    phoneInput.current?.focus();
  };

  // A malformed code leaves the form as it was: only the message changes.
  const readQrText = (text: string) => {
    try {
      fillFromCard(parseCccdQr(text));
    } catch (err) {
      setQrMessage({ ok: false, text: errorText(t, err) });
    }
  };

  // A USB barcode reader types the card's QR text and presses Enter (keyboard wedge) into the QR field.
  const readQr = () => {
    readQrText(qr);
    setQr('');
  };

  // …or into whichever field had the focus: the burst is recognised, the field put back as it was. The text
  // comes from beforeinput (native: React has no beforeinput event of its own), Enter from keydown.
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    const form = formRef.current;
    if (!form) return;
    const onInput = (e: InputEvent) => wedge.current.input(e);
    form.addEventListener('beforeinput', onInput, true);
    return () => form.removeEventListener('beforeinput', onInput, true);
  }, []);
  const onKeyDownCapture = (e: KeyboardEvent<HTMLFormElement>) => {
    const reading = wedge.current.key(e.nativeEvent);
    if (!reading) return;
    e.preventDefault();
    e.stopPropagation();
    const name = reading.target?.name ?? '';
    if (name === 'cccd-qr') setQr('');
    else if (name === 'applicant-lookup') setLookup(reading.valueBefore);
    else if (isField(name)) setValues((v) => ({ ...v, [name]: reading.valueBefore }));
    readQrText(reading.text);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problems = new Map<Field, string>();
    const isoDates: Partial<Record<Field, string>> = {};
    for (const field of dateFields) {
      if (!values[field].trim()) continue;
      const iso = parseVietnameseDate(values[field]);
      if (iso) isoDates[field] = iso;
      else problems.set(field, t('applicant.invalid.date'));
    }
    const birthDate = isoDates.birthDate ?? '';
    const idIssuedDate = isoDates.idIssuedDate ?? '';
    let taxCode = values.taxCode;
    if (kind === 'organisation') {
      // The tax code's own message says what is wrong with it (format, check digit…).
      try {
        taxCode = parseTaxCode(values.taxCode).formatted;
      } catch (err) {
        problems.set('taxCode', errorText(t, err));
      }
    }
    // The number's century/gender/year digits must agree with the birth date and sex, typed or from the QR.
    if (/^\d{12}$/.test(values.idNumber.trim()) && birthDate && (values.gender === 'male' || values.gender === 'female')) {
      try {
        checkPersonalNumber(values.idNumber.trim(), { birthDate, gender: values.gender });
      } catch (err) {
        problems.set('idNumber', errorText(t, err));
      }
    }
    const candidate = {
      fullName: values.fullName.normalize('NFC'),
      idNumber: values.idNumber.trim(),
      phone: values.phone.replace(/[\s.]/g, ''),
      address: values.address.normalize('NFC'),
      ...(values.email.trim() ? { email: values.email.trim() } : {}),
      ...(birthDate ? { birthDate } : {}),
      ...(values.gender === 'male' || values.gender === 'female' ? { gender: values.gender } : {}),
      ...(idIssuedDate ? { idIssuedDate } : {}),
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
    if (problems.size > 0 || !parsed.success) {
      setInvalid(problems);
      // The keyboard goes to the first field to correct, in the form's order.
      const first = [...(formRef.current?.querySelectorAll<HTMLElement>('[name]') ?? [])].find((el) => isField(el.getAttribute('name') ?? '') && problems.has(el.getAttribute('name') as Field));
      first?.focus();
    } else onNext(parsed.data);
  };

  const edit = (field: Field, value: string) => {
    setValues({ ...values, [field]: value });
    if (fromQr.has(field)) setFromQr(new Set([...fromQr].filter((f) => f !== field)));
  };
  const qrBadge = (field: Field) =>
    fromQr.has(field) && (
      <span className="from-qr" aria-hidden="true">
        {t('applicant.fromQr')}
      </span>
    );

  const input = (field: Field, extra: { ref?: typeof phoneInput; numeric?: boolean } = {}) =>
    field === 'gender' ? (
      <label key={field} className={[invalid.has(field) ? 'invalid' : '', fromQr.has(field) ? 'filled-from-qr' : ''].join(' ').trim()}>
        <span>
          {t('applicant.gender')} {qrBadge(field)}
        </span>
        <select name="gender" value={values.gender} data-source={fromQr.has(field) ? 'qr' : undefined} onChange={(e) => edit('gender', e.currentTarget.value)}>
          <option value="">—</option>
          <option value="male">{t('applicant.genders.male')}</option>
          <option value="female">{t('applicant.genders.female')}</option>
        </select>
      </label>
    ) : (
      <label key={field} className={[invalid.has(field) ? 'invalid' : '', fromQr.has(field) ? 'filled-from-qr' : ''].join(' ').trim()}>
        <span>
          {t(`applicant.${field}`)} {qrBadge(field)}
        </span>
        <input
          name={field}
          ref={extra.ref}
          type="text"
          inputMode={extra.numeric ? 'numeric' : 'text'}
          {...(dateFields.has(field) ? { placeholder: t('applicant.datePlaceholder'), autoComplete: 'off' } : {})}
          aria-invalid={invalid.has(field)}
          data-source={fromQr.has(field) ? 'qr' : undefined}
          value={values[field]}
          onChange={(e) => edit(field, e.target.value)}
        />
        {invalid.has(field) && <small role="alert">{invalid.get(field)}</small>}
      </label>
    );

  return (
    <form ref={formRef} onSubmit={submit} onKeyDownCapture={onKeyDownCapture} noValidate aria-labelledby="applicant-heading">
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
      {/* After the fields: one Tab from the QR field reaches "Họ và tên", as the hint says. */}
      <CardQrSources onCard={fillFromCard} onError={(text) => setQrMessage({ ok: false, text })} />
      {kind === 'individual' && (
        <>
          <label className="checkbox">
            <input type="checkbox" name="on-behalf" checked={onBehalf} onChange={(e) => setOnBehalf(e.target.checked)} /> {t('applicant.onBehalf')}
          </label>
          {onBehalf && <div className="form-grid">{(['behalfName', 'behalfId', 'behalfRelation'] as const).map((f) => input(f, { numeric: f === 'behalfId' }))}</div>}
        </>
      )}
      <VneidCheckControl value={vneid} onChange={onVneidChange} onEnter={() => formRef.current?.requestSubmit()} />
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
