/**
 * The board's form 07a block: a period typed as two dates (dd/mm/yyyy, the first of the month to today by
 * default) and the form as PDF or XLSX, with what the counter cannot count said beside it.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatVietnamDate, fromVietnamParts, toVietnamIso } from '../../../../shared/domain/time';
import { formatIsoDateVietnamese, parseVietnameseDate } from '../../ui/dates';
import type { Period } from './reports';

/** 00:00:00 of the first day to 23:59:59 of the last (Vietnam time); null when not a valid, ordered pair. */
function periodOf(fromText: string, toText: string): Period | null {
  const from = parseVietnameseDate(fromText);
  const to = parseVietnameseDate(toText);
  if (!from || !to || from > to) return null;
  const [fy, fm, fd] = from.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = to.split('-').map(Number) as [number, number, number];
  return { from: fromVietnamParts(fy, fm, fd), to: fromVietnamParts(ty, tm, td, 23, 59, 59) };
}

export function Form07aSection({ busy, onPdf, onXlsx, countIn }: { busy: boolean; onPdf: (period: Period) => void; onXlsx: (period: Period) => void; countIn: (period: Period) => number }) {
  const { t } = useTranslation();
  const today = toVietnamIso(new Date()).slice(0, 10);
  const [fromText, setFromText] = useState(() => formatIsoDateVietnamese(`${today.slice(0, 8)}01`));
  const [toText, setToText] = useState(() => formatIsoDateVietnamese(today));
  const period = periodOf(fromText, toText);
  return (
    <section aria-labelledby="form07a-heading" className="form-07a">
      <h3 id="form07a-heading">{t('reception.form07a.heading')}</h3>
      <div className="actions left">
        <label className="inline">
          <span>{t('reception.form07a.from')}</span>
          <input name="form07a-from" inputMode="numeric" placeholder="dd/mm/yyyy" aria-invalid={!period} value={fromText} onChange={(e) => setFromText(e.target.value)} />
        </label>
        <label className="inline">
          <span>{t('reception.form07a.to')}</span>
          <input name="form07a-to" inputMode="numeric" placeholder="dd/mm/yyyy" aria-invalid={!period} value={toText} onChange={(e) => setToText(e.target.value)} />
        </label>
        {period ? (
          <span className="muted">{t('reception.form07a.range', { from: formatVietnamDate(period.from), to: formatVietnamDate(period.to), count: countIn(period) })}</span>
        ) : (
          <span className="error" role="alert">
            {t('reception.form07a.invalid')}
          </span>
        )}
      </div>
      <div className="actions left">
        <button type="button" disabled={busy || !period} onClick={() => period && onPdf(period)}>
          {t('reception.form07a.pdf')}
        </button>
        <button type="button" disabled={busy || !period} onClick={() => period && onXlsx(period)}>
          {t('reception.form07a.xlsx')}
        </button>
      </div>
      <p className="muted">{t('reception.form07a.scope')}</p>
    </section>
  );
}
