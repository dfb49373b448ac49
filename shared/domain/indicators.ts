/**
 * The Decision 766/QĐ-TTg indicators the counter influences (the national index that scores every unit:
 * on-time rate, digitization rate with full points at ≥ 80 %, reuse of documents), computed from the
 * counter's own records. How they are counted (docs/indicators.md):
 *
 * - A dossier is FINISHED when processing ended (status 9 "Đã xử lý xong" first seen, NgayKetThucXuLy) or,
 *   when the counter never saw status 9, when the result was returned (status 10).
 * - ON TIME: finished no later than the appointment in force, where the appointment already includes the
 *   time spent waiting for the applicant's supplement (that time is not counted), AND at most one
 *   supplement round was requested (more than one counts as late), AND no apology was issued (an apology
 *   is written only when the agency misses the date, so its moved date never makes a dossier on time).
 * - LATE: finished and not on time, or not finished while its appointment has already passed (a dossier
 *   that is overdue counts as late before it ends: the national index scores it in real time).
 * - Not yet due and not finished: not counted (neither numerator nor denominator).
 * - STOPPED at the applicant's request (Decree 118 Art. 21, status 8): received, but neither on time, late nor
 *   pending — the applicant ended it, not the agency's delay.
 * - On-time rate = on time / (on time + late). Digitization rate = digitized / received, a dossier being
 *   digitized when each component the applicant submitted carries at least one file (HoSoCoThanhPhanSoHoa).
 * - Groups: the Vietnam calendar day the dossier was RECEIVED, the receiving clerk, the procedure.
 */
import { deadlineColour, defaultDeadlineThresholds, type DeadlineColour, type DeadlineThresholds } from './deadline';
import { toVietnamIso } from './time';

export interface IndicatorDossier {
  readonly code: string;
  readonly procedureCode: string;
  readonly procedureName: string;
  readonly clerk: string;
  readonly receivedAt: Date;
  /** The appointment in force (moved by supplement pauses and apologies). */
  readonly appointmentAt: Date;
  readonly supplementRounds: number;
  readonly apologised: boolean;
  /** While waiting for the applicant's supplement the clock is stopped. */
  readonly pausedSince?: Date;
  readonly finishedAt?: Date;
  readonly digitized: boolean;
  /** Stopped at the applicant's request (status 8). */
  readonly stoppedAt?: Date;
  /**
   * Issue 15: a 2025 dossier closed because the supplement did not come within the window (Decree 118/2025
   * Art. 19.5). The delay is the applicant's: it counts neither as on time nor as late.
   */
  readonly closedAt?: Date;
}

export type Timeliness = 'on-time' | 'late' | 'pending' | 'stopped' | 'closed';

export function timelinessOf(d: IndicatorDossier, now: Date): Timeliness {
  if (d.stoppedAt) return 'stopped';
  if (d.closedAt) return 'closed';
  if (d.finishedAt) {
    const inTime = d.finishedAt.getTime() <= d.appointmentAt.getTime();
    return inTime && d.supplementRounds <= 1 && !d.apologised ? 'on-time' : 'late';
  }
  if (d.supplementRounds > 1 || d.apologised) return 'late';
  const clock = d.pausedSince ?? now;
  return clock.getTime() > d.appointmentAt.getTime() ? 'late' : 'pending';
}

/**
 * The board colour of a dossier still in processing: its deadline colour, frozen at the moment the clock
 * stopped while it waits for a supplement, and red when it already counts as late. An extension (apology
 * with a new date, Decree 118/2025 Art. 19.6) moves the date the clerk works to: the board colours it by
 * that date and turns it red once it passes — the indicators still count it as late (`timelinessOf`).
 */
export function boardColour(d: IndicatorDossier, now: Date, thresholds: DeadlineThresholds = defaultDeadlineThresholds): DeadlineColour {
  if (timelinessOf({ ...d, apologised: false }, now) === 'late') return 'red';
  return deadlineColour(d.receivedAt, d.appointmentAt, d.pausedSince ?? now, thresholds);
}

export interface IndicatorRow {
  /** The group's key: a day `YYYY-MM-DD`, a clerk's name or a procedure code. */
  readonly key: string;
  readonly label: string;
  readonly received: number;
  readonly digitized: number;
  readonly onTime: number;
  readonly late: number;
  readonly pending: number;
  /** onTime / (onTime + late); null when nothing was due yet. */
  readonly onTimeRate: number | null;
  /** digitized / received; null when nothing was received. */
  readonly digitizationRate: number | null;
}

export type IndicatorGrouping = 'day' | 'clerk' | 'procedure';

function groupOf(d: IndicatorDossier, by: IndicatorGrouping): { key: string; label: string } {
  switch (by) {
    case 'day': {
      const day = toVietnamIso(d.receivedAt).slice(0, 10);
      return { key: day, label: day.split('-').reverse().join('/') };
    }
    case 'clerk':
      return { key: d.clerk, label: d.clerk };
    case 'procedure':
      return { key: d.procedureCode, label: `${d.procedureCode} ${d.procedureName}` };
  }
}

/** One row per group (sorted by key) plus the total as the last row (key ''). */
export function computeIndicators(dossiers: readonly IndicatorDossier[], by: IndicatorGrouping, now: Date): IndicatorRow[] {
  const groups = new Map<string, { label: string; items: IndicatorDossier[] }>();
  for (const d of dossiers) {
    const { key, label } = groupOf(d, by);
    const group = groups.get(key) ?? { label, items: [] };
    group.items.push(d);
    groups.set(key, group);
  }
  const rows = [...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([key, g]) => summarize(key, g.label, g.items, now));
  rows.push(summarize('', 'Tổng cộng', dossiers, now));
  return rows;
}

function summarize(key: string, label: string, items: readonly IndicatorDossier[], now: Date): IndicatorRow {
  let onTime = 0;
  let late = 0;
  let pending = 0;
  let digitized = 0;
  for (const d of items) {
    const t = timelinessOf(d, now);
    if (t === 'on-time') onTime++;
    else if (t === 'late') late++;
    else if (t === 'pending') pending++;
    if (d.digitized) digitized++;
  }
  return {
    key,
    label,
    received: items.length,
    digitized,
    onTime,
    late,
    pending,
    onTimeRate: onTime + late > 0 ? onTime / (onTime + late) : null,
    digitizationRate: items.length > 0 ? digitized / items.length : null,
  };
}

/** "87,5 %" (Vietnamese decimal comma), "–" when there is nothing to rate. */
export function formatRate(rate: number | null): string {
  if (rate === null) return '–';
  return `${(Math.round(rate * 1000) / 10).toLocaleString('vi-VN')} %`;
}
