import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { applicantSchema, type Applicant } from '../../../../shared/domain/dossier';
import { parseCccdQr } from '../../../../shared/domain/cccd';
import { errorText } from '../../ui/errors';

type Field = keyof Applicant;
const fields: readonly Field[] = ['fullName', 'idNumber', 'phone', 'address'];

export function ApplicantStep({ initial, onBack, onNext }: { initial: Applicant | null; onBack: () => void; onNext: (a: Applicant) => void }) {
  const { t } = useTranslation();
  const [values, setValues] = useState<Record<Field, string>>(initial ?? { fullName: '', idNumber: '', phone: '', address: '' });
  const [invalid, setInvalid] = useState<ReadonlySet<Field>>(new Set());
  const [qr, setQr] = useState('');
  const phoneInput = useRef<HTMLInputElement>(null);
  const [qrMessage, setQrMessage] = useState<{ ok: boolean; text: string } | null>(null);

  // A USB barcode reader types the card's QR text and presses Enter (keyboard wedge): fill the form from it.
  const readQr = () => {
    try {
      const card = parseCccdQr(qr);
      setValues((v) => ({ ...v, fullName: card.fullName, idNumber: card.personalNumber, address: card.address }));
      setInvalid(new Set());
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
    const parsed = applicantSchema.safeParse({ ...values, fullName: values.fullName.normalize('NFC'), address: values.address.normalize('NFC') });
    if (parsed.success) onNext(parsed.data);
    else setInvalid(new Set(parsed.error.issues.map((issue) => issue.path[0] as Field)));
  };

  return (
    <form onSubmit={submit} noValidate aria-labelledby="applicant-heading">
      <h2 id="applicant-heading">{t('applicant.heading')}</h2>
      <label className="qr-input">
        <span>{t('applicant.qr')}</span>
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
      <div className="form-grid">
        {fields.map((field) => (
          <label key={field} className={invalid.has(field) ? 'invalid' : ''}>
            <span>{t(`applicant.${field}`)}</span>
            <input
              name={field}
              ref={field === 'phone' ? phoneInput : undefined}
              inputMode={field === 'idNumber' || field === 'phone' ? 'numeric' : 'text'}
              aria-invalid={invalid.has(field)}
              value={values[field]}
              onChange={(e) => setValues({ ...values, [field]: e.target.value })}
            />
            {invalid.has(field) && <small role="alert">{t(`applicant.invalid.${field}`)}</small>}
          </label>
        ))}
      </div>
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
