import { useEffect, useMemo, useRef, useState } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import { useTranslation } from 'react-i18next';
import { deadlineColours, type DeadlineColour } from '../../../../shared/domain/deadline';
import { boardColour, computeIndicators, formatRate, type IndicatorGrouping } from '../../../../shared/domain/indicators';
import { formatVietnamDate, formatVietnamDateTime, toVietnamIso } from '../../../../shared/domain/time';
import { CURRENT_LEGAL_BASIS } from '../../../../shared/domain/legal-basis';
import { printedForm } from '../../../../shared/pdf/forms';
import { buildWeeklyReport } from '../../../../shared/pdf/forms/weekly-report';
import { buildForm07a } from '../../../../shared/pdf/forms/form-07a';
import { useCatalog } from '../../app/reference-data';
import { formUnit, useClerkName } from '../../app/clerk';
import { useServices } from '../../app/services';
import { boardThresholds, recordPrintedForm, setBoardThresholds } from '../../db/counter-desk';
import { errorText } from '../../ui/errors';
import { FormOutput } from '../../ui/FormOutput';
import { dossierStatusNames } from '../../../../shared/sync/protocol';
import { useSupplementClosureRules } from '../../app/reference-data';
import { holderOf, inProcessing, loadTrackedDossiers, markSupplementClosures, stillInProcessing } from './board-data';
import { form07aData, form07aXlsx, receivedIn, registerEntries, registerXlsx, weekOf, weeklyReportData, weeklyReportXlsx } from './reports';
import { Form07aSection } from './Form07aSection';
import { formatIsoDateVietnamese, parseVietnameseDate } from '../../ui/dates';

const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function download(bytes: Uint8Array, fileName: string, type: string): void {
  const url = URL.createObjectURL(new Blob([bytes.slice()], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * The colour board: dossiers in processing by status and time left (green, yellow, orange, red, with the
 * thresholds the clerk sets and a legend that says them), the Decision 766 indicators, and the register
 * and weekly report as PDF and XLSX.
 */
export function BoardScreen() {
  const { t } = useTranslation();
  const { db, config, loadFonts } = useServices();
  const clerk = useClerkName();
  const catalog = useCatalog();
  const fieldOf = (procedureCode: string) => catalog.find((p) => p.code === procedureCode)?.field;
  const loaded = useLiveQuery(() => loadTrackedDossiers(db), [db]);
  const thresholds = useLiveQuery(() => boardThresholds(db, config.deadlineThresholds), [db, config]) ?? config.deadlineThresholds;
  // Typed values; null shows the saved thresholds.
  const [yellowDraft, setYellow] = useState<string | null>(null);
  const [orangeDraft, setOrange] = useState<string | null>(null);
  const yellow = yellowDraft ?? String(Math.round(thresholds.yellowFrom * 100));
  const orange = orangeDraft ?? String(Math.round(thresholds.orangeFrom * 100));
  const [grouping, setGrouping] = useState<IndicatorGrouping>('day');
  const [weekDay, setWeekDay] = useState(() => toVietnamIso(new Date()).slice(0, 10));
  // What the clerk types (dd/mm/yyyy); the week follows the last valid date.
  const [weekText, setWeekText] = useState(() => formatIsoDateVietnamese(weekDay));
  const weekTextValid = parseVietnameseDate(weekText) !== null;
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [output, setOutput] = useState<{ pdf: Uint8Array; label: string; fileName: string } | null>(null);
  // A report opens where the clerk can see it: it is drawn below the tables, out of the window otherwise.
  const outputRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (output) outputRef.current?.scrollIntoView?.({ block: 'start' });
  }, [output]);
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 60_000);
    return () => clearInterval(timer);
  }, []);

  // 2025 dossiers closed for want of a supplement (Art. 19.5) leave the colour board and the late count.
  const closure = useSupplementClosureRules();
  const dossiers = useMemo(() => markSupplementClosures(loaded ?? [], now, closure), [loaded, now, closure]);
  const closedForSupplement = dossiers.filter((d) => d.supplementClosedAt).length;
  const active = dossiers.filter(stillInProcessing);
  const colourOf = new Map(active.map((d) => [d.dossier.id, boardColour(d.indicator, now, thresholds)]));
  const count = (status: number, colour: DeadlineColour) => active.filter((d) => d.state.status === status && colourOf.get(d.dossier.id) === colour).length;
  const severity = (c: DeadlineColour | undefined) => (c ? deadlineColours.indexOf(c) : -1);
  const sorted = [...active].sort((a, b) => severity(colourOf.get(b.dossier.id)) - severity(colourOf.get(a.dossier.id)) || a.state.appointmentAt.localeCompare(b.state.appointmentAt));
  const indicators = computeIndicators(
    dossiers.map((d) => d.indicator),
    grouping,
    now,
  );
  const period = weekOf(new Date(`${weekDay}T12:00:00+07:00`));

  const saveThresholds = async () => {
    setError(null);
    try {
      await setBoardThresholds(db, { yellowFrom: Number(yellow) / 100, orangeFrom: Number(orange) / 100 });
      setYellow(null);
      setOrange(null);
    } catch (err) {
      setError(errorText(t, err));
    }
  };

  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (err) {
      setError(errorText(t, err));
    } finally {
      setBusy(false);
    }
  };
  const week = receivedIn(dossiers, period);
  const weekLabel = `${formatVietnamDate(period.from).replaceAll('/', '-')}`;
  const registerPdf = () =>
    run(async () => {
      // The register is kept today, so it follows the set in force (2025: Mẫu 07), whatever each row's basis.
      const form = printedForm(CURRENT_LEGAL_BASIS, 'register');
      const pdf = await form.build({ unit: formUnit(config), date: new Date(), period, entries: registerEntries(week, config.organisationName) }, await loadFonts());
      const label = `${form.label} — tuần từ ${formatVietnamDate(period.from)}`;
      await recordPrintedForm(db, { formId: form.id, label, pdf, clerk });
      setOutput({ pdf, label, fileName: `${form.id}-so-theo-doi-${weekLabel}.pdf` });
    });
  const reportPdf = () =>
    run(async () => {
      const pdf = await buildWeeklyReport(weeklyReportData(dossiers, formUnit(config), period, now), await loadFonts());
      const label = `Báo cáo tuần từ ${formatVietnamDate(period.from)}`;
      await recordPrintedForm(db, { formId: 'weekly-report', label, pdf, clerk });
      setOutput({ pdf, label, fileName: `bao-cao-tuan-${weekLabel}.pdf` });
    });

  return (
    <section aria-labelledby="board-heading" className="board">
      <h2 id="board-heading">{t('board.heading')}</h2>
      <div className="legend board-legend" aria-label={t('queue.legend')}>
        <strong>{t('queue.legend')}:</strong>
        {deadlineColours.map((c) => (
          <span key={c} className="legend-item">
            <span className={`deadline deadline-${c}`} aria-hidden="true" /> {t(`board.legend.${c}`, { yellow: Math.round(thresholds.yellowFrom * 100), orange: Math.round(thresholds.orangeFrom * 100) })}
          </span>
        ))}
      </div>
      <form
        className="thresholds"
        onSubmit={(e) => {
          e.preventDefault();
          void saveThresholds();
        }}
      >
        <label>
          <span>{t('board.yellowFrom')}</span>
          <input name="yellow-from" type="number" min={0} max={100} value={yellow} onChange={(e) => setYellow(e.target.value)} />
        </label>
        <label>
          <span>{t('board.orangeFrom')}</span>
          <input name="orange-from" type="number" min={0} max={100} value={orange} onChange={(e) => setOrange(e.target.value)} />
        </label>
        <button type="submit">{t('board.saveThresholds')}</button>
      </form>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <table className="queue board-grid" aria-label={t('board.byStatus')}>
        <thead>
          <tr>
            <th>{t('desk.status')}</th>
            {deadlineColours.map((c) => (
              <th key={c}>
                <span className={`deadline deadline-${c}`} aria-hidden="true" /> {t(`queue.deadline.${c}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {inProcessing.map((status) => (
            <tr key={status}>
              <td>{dossierStatusNames[status]}</td>
              {deadlineColours.map((c) => (
                <td key={c} className={`count count-${c}`} data-status={status} data-colour={c}>
                  {count(status, c)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {closedForSupplement > 0 && (
        <p className="muted" data-closed-count={closedForSupplement}>
          {t('timeLimits.closedOnBoard', { count: closedForSupplement })}
        </p>
      )}
      {sorted.length > 0 && (
        <table className="queue">
          <thead>
            <tr>
              <th>{t('queue.columns.code')}</th>
              <th>{t('queue.columns.applicant')}</th>
              <th>{t('queue.columns.procedure')}</th>
              <th>{t('desk.status')}</th>
              <th>{t('queue.columns.appointment')}</th>
            </tr>
          </thead>
          <tbody>
            {sorted.map((d) => {
              const colour = colourOf.get(d.dossier.id) ?? 'green';
              return (
                <tr key={d.dossier.id} data-code={d.dossier.code} data-deadline={colour} className={`row-${colour}`}>
                  <td className="code">{d.dossier.code}</td>
                  <td>{holderOf(d)}</td>
                  <td>{d.dossier.procedure.name}</td>
                  <td>{dossierStatusNames[d.state.status]}</td>
                  <td>
                    <span className={`deadline deadline-${colour}`} aria-label={t(`queue.deadline.${colour}`)} /> {formatVietnamDateTime(new Date(d.state.appointmentAt))}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <h3>{t('board.indicators')}</h3>
      <label className="inline">
        <span>{t('board.groupBy')}</span>
        <select name="grouping" value={grouping} onChange={(e) => setGrouping(e.target.value as IndicatorGrouping)}>
          {(['day', 'clerk', 'procedure'] as const).map((g) => (
            <option key={g} value={g}>
              {t(`board.groupings.${g}`)}
            </option>
          ))}
        </select>
      </label>
      <table className="queue indicators">
        <thead>
          <tr>
            <th>{t(`board.groupings.${grouping}`)}</th>
            <th>{t('board.cols.received')}</th>
            <th>{t('board.cols.digitized')}</th>
            <th>{t('board.cols.digitizationRate')}</th>
            <th>{t('board.cols.onTime')}</th>
            <th>{t('board.cols.late')}</th>
            <th>{t('board.cols.pending')}</th>
            <th>{t('board.cols.onTimeRate')}</th>
          </tr>
        </thead>
        <tbody>
          {indicators.map((r) => (
            <tr key={r.key || 'total'} className={r.key ? '' : 'total'}>
              <td>{r.label}</td>
              <td>{r.received}</td>
              <td>{r.digitized}</td>
              <td>{formatRate(r.digitizationRate)}</td>
              <td>{r.onTime}</td>
              <td>{r.late}</td>
              <td>{r.pending}</td>
              <td>{formatRate(r.onTimeRate)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">{t('board.howCounted')}</p>
      <h3>{t('board.exports')}</h3>
      <div className="actions left">
        <label className="inline">
          <span>{t('board.week')}</span>
          <input
            name="week-day"
            inputMode="numeric"
            placeholder="dd/mm/yyyy"
            aria-invalid={!weekTextValid}
            value={weekText}
            onChange={(e) => {
              setWeekText(e.target.value);
              const iso = parseVietnameseDate(e.target.value);
              if (iso) setWeekDay(iso);
            }}
          />
        </label>
        {!weekTextValid && (
          <span className="error" role="alert">
            {t('board.weekInvalid', { text: weekText })}
          </span>
        )}
        <span className="muted">{t('board.weekRange', { from: formatVietnamDate(period.from), to: formatVietnamDate(period.to), count: week.length })}</span>
      </div>
      <div className="actions left">
        <button type="button" disabled={busy} onClick={() => void registerPdf()}>
          {t('board.registerPdf')}
        </button>
        <button type="button" disabled={busy} onClick={() => void run(async () => download(await registerXlsx(registerEntries(week, config.organisationName), config.unit.name, period), `mau07-so-theo-doi-${weekLabel}.xlsx`, xlsxType))}>
          {t('board.registerXlsx')}
        </button>
        <button type="button" disabled={busy} onClick={() => void reportPdf()}>
          {t('board.reportPdf')}
        </button>
        <button type="button" disabled={busy} onClick={() => void run(async () => download(await weeklyReportXlsx(weeklyReportData(dossiers, formUnit(config), period, now), config.unit.name), `bao-cao-tuan-${weekLabel}.xlsx`, xlsxType))}>
          {t('board.reportXlsx')}
        </button>
      </div>
      <Form07aSection
        busy={busy}
        onPdf={(period) =>
          void run(async () => {
            const pdf = await buildForm07a(form07aData(dossiers, formUnit(config), period, now, fieldOf), await loadFonts());
            const label = `Mẫu 07a — từ ${formatVietnamDate(period.from)} đến ${formatVietnamDate(period.to)}`;
            setOutput({ pdf, label, fileName: `mau07a-${formatVietnamDate(period.from).replaceAll('/', '-')}.pdf` });
          })
        }
        onXlsx={(period) => void run(async () => download(await form07aXlsx(form07aData(dossiers, formUnit(config), period, now, fieldOf), config.unit.name), `mau07a-${formatVietnamDate(period.from).replaceAll('/', '-')}.xlsx`, xlsxType))}
        countIn={(period) => form07aData(dossiers, formUnit(config), period, now, fieldOf).rows.at(-1)?.total ?? 0}
      />
      <div ref={outputRef}>{output && <FormOutput key={output.label} pdf={output.pdf} fileName={output.fileName} label={output.label} maxPages={2} />}</div>
    </section>
  );
}
