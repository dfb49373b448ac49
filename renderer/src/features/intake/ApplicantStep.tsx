import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { applicantSchema, type Applicant } from '../../../../shared/domain/dossier';

type Field = keyof Applicant;
const fields: readonly Field[] = ['fullName', 'idNumber', 'phone', 'address'];

export function ApplicantStep({ initial, onBack, onNext }: { initial: Applicant | null; onBack: () => void; onNext: (a: Applicant) => void }) {
  const { t } = useTranslation();
  const [values, setValues] = useState<Record<Field, string>>(initial ?? { fullName: '', idNumber: '', phone: '', address: '' });
  const [invalid, setInvalid] = useState<ReadonlySet<Field>>(new Set());

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = applicantSchema.safeParse({ ...values, fullName: values.fullName.normalize('NFC'), address: values.address.normalize('NFC') });
    if (parsed.success) onNext(parsed.data);
    else setInvalid(new Set(parsed.error.issues.map((issue) => issue.path[0] as Field)));
  };

  return (
    <form onSubmit={submit} noValidate aria-labelledby="applicant-heading">
      <h2 id="applicant-heading">{t('applicant.heading')}</h2>
      <div className="form-grid">
        {fields.map((field, index) => (
          <label key={field} className={invalid.has(field) ? 'invalid' : ''}>
            <span>{t(`applicant.${field}`)}</span>
            <input
              name={field}
              autoFocus={index === 0}
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
