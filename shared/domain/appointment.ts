/**
 * The appointment (ngày hẹn trả kết quả) printed on the receipt, from the time received and the
 * procedure's legal time limit (in working days, calendar days or hours; docs/calendar.md). Everything is counted in Vietnam time (UTC+7).
 *
 * Counting rules (the legal text for counting is UNCONFIRMED, so every number is configuration):
 * - 'working-days', amount ≥ 1: working time is counted inside the working periods of working days, one
 *   working day = the sum of the day's periods (8 h by default). The clock starts at the receipt if it is
 *   inside a period; before opening or in the lunch break it starts at the next period; after closing or
 *   on a non-working day, at the next working morning. Friday 14:00 + 1 working day = Monday 14:00.
 * - 'working-days', amount 0 (same-day procedures, "trong ngày"): the end of the receiving day; if received
 *   after the same-day cut-off (default 15:00, "sau 15 giờ") or on a non-working day, the end of the next
 *   working day.
 * - 'days' (calendar days): the end of the working day on receipt date + amount; when that date is not a
 *   working day the limit moves to the next working day (as Civil Code 2015 Art. 148 does for a period
 *   ending on a day off).
 * - 'hours': working hours, counted like working days (production systems count the day as 8 working
 *   hours; UNCONFIRMED for procedures that mean elapsed hours).
 * Holidays, Tết and swapped days plug in through `isNonWorkingDay` (shared/domain/working-calendar.ts).
 */
import { AppError } from '../errors';
import type { TimeLimitUnit } from './procedure';
import { type CalendarDay, calendarDayOf, fromVietnamDay, toVietnamDateTime } from './time';

export { formatVietnamDateTime, formatVietnamDate,  toVietnamIso } from './time';
export type { CalendarDay } from './time';

export interface TimeLimit {
  readonly amount: number;
  readonly unit: TimeLimitUnit;
}

/** A working period of the day, "HH:MM" in Vietnam time, start < end. */
interface WorkingPeriod {
  readonly start: string;
  readonly end: string;
}

export interface WorkingRules {
  /** Working periods of a working day, in order, not overlapping. */
  readonly periods: readonly WorkingPeriod[];
  /** Same-day procedures received after this time ("HH:MM") are returned the next working day. */
  readonly sameDayCutoff: string;
  /**
   * Whether a Vietnam calendar day is not worked. The default knows weekends only; the working calendar
   * (working-calendar.ts: public holidays, Tết, yearly swapped days) replaces it, and falls back to the
   * rules for the years its data does not cover.
   */
  readonly isNonWorkingDay: (day: CalendarDay) => boolean;
}

export const isWeekend = (day: CalendarDay): boolean => day.weekday === 0 || day.weekday === 6;

/** Working hours of a commune one-stop division: 07:30–11:30 and 13:00–17:00, Monday to Friday. */
export const defaultWorkingRules: WorkingRules = {
  periods: [
    { start: '07:30', end: '11:30' },
    { start: '13:00', end: '17:00' },
  ],
  sameDayCutoff: '15:00',
  isNonWorkingDay: isWeekend,
};

/** No real calendar has a year without working days; stop instead of looping forever on a bad hook. */
const MAX_DAYS_SEARCHED = 3 * 366;
const MS_PER_MINUTE = 60_000;

interface PeriodMs {
  readonly start: number;
  readonly end: number;
}

function parseClock(text: string, what: string): number {
  const match = /^(\d{2}):(\d{2})$/.exec(text);
  const hours = Number(match?.[1]);
  const minutes = Number(match?.[2]);
  if (!match || hours > 24 || minutes > 59 || (hours === 24 && minutes > 0)) {
    throw new AppError('WORKING_RULES_INVALID', { reason: `${what} "${text}" is not a time HH:MM` });
  }
  return (hours * 60 + minutes) * MS_PER_MINUTE;
}

function parsePeriods(rules: WorkingRules): PeriodMs[] {
  if (rules.periods.length === 0) throw new AppError('WORKING_RULES_INVALID', { reason: 'no working period' });
  const periods = rules.periods.map((p) => ({ start: parseClock(p.start, 'period start'), end: parseClock(p.end, 'period end') }));
  let previousEnd = -1;
  for (const p of periods) {
    if (p.start >= p.end || p.start < previousEnd) {
      throw new AppError('WORKING_RULES_INVALID', { reason: 'working periods must be in order, not overlapping, each start before its end' });
    }
    previousEnd = p.end;
  }
  return periods;
}

function isWorkingDay(dayIndex: number, rules: WorkingRules): boolean {
  return !rules.isNonWorkingDay(calendarDayOf(dayIndex));
}

function nextWorkingDayFrom(dayIndex: number, rules: WorkingRules): number {
  for (let d = dayIndex; d < dayIndex + MAX_DAYS_SEARCHED; d++) if (isWorkingDay(d, rules)) return d;
  throw new AppError('WORKING_RULES_INVALID', { reason: `no working day within ${MAX_DAYS_SEARCHED} days` });
}

function endOfWorkingDay(dayIndex: number, periods: readonly PeriodMs[]): Date {
  const last = periods[periods.length - 1];
  if (!last) throw new AppError('WORKING_RULES_INVALID', { reason: 'no working period' });
  return fromVietnamDay(dayIndex, last.end);
}

/** Adds `durationMs` of working time to `start`, counting only inside working periods of working days. */
function addWorkingTime(start: Date, durationMs: number, periods: readonly PeriodMs[], rules: WorkingRules): Date {
  const local = toVietnamDateTime(start);
  let remaining = durationMs;
  let cursor = local.msOfDay;
  let daysOff = 0;
  for (let dayIndex = local.dayIndex; ; dayIndex++) {
    if (isWorkingDay(dayIndex, rules)) {
      daysOff = 0;
      for (const period of periods) {
        if (cursor >= period.end) continue;
        const from = Math.max(cursor, period.start);
        const available = period.end - from;
        // `<=`: a limit that ends exactly at closing time is due at closing, not the next morning.
        if (remaining <= available) return fromVietnamDay(dayIndex, from + remaining);
        remaining -= available;
        cursor = period.end;
      }
    } else if (++daysOff > MAX_DAYS_SEARCHED) {
      throw new AppError('WORKING_RULES_INVALID', { reason: `no working day within ${MAX_DAYS_SEARCHED} days` });
    }
    cursor = 0;
  }
}

/**
 * Working time (ms) between two instants: only the parts inside working periods of working days count.
 * Zero when `to` is not after `from`. The time a dossier waited for the applicant's supplement is measured
 * this way, so a pause over a weekend or Tết costs the deciding agency nothing.
 */
export function workingTimeBetween(from: Date, to: Date, rules: WorkingRules = defaultWorkingRules): number {
  if (to.getTime() <= from.getTime()) return 0;
  const periods = parsePeriods(rules);
  const start = toVietnamDateTime(from);
  const end = toVietnamDateTime(to);
  let total = 0;
  for (let dayIndex = start.dayIndex; dayIndex <= end.dayIndex; dayIndex++) {
    if (!isWorkingDay(dayIndex, rules)) continue;
    const dayFrom = dayIndex === start.dayIndex ? start.msOfDay : 0;
    const dayTo = dayIndex === end.dayIndex ? end.msOfDay : Number.POSITIVE_INFINITY;
    for (const period of periods) total += Math.max(0, Math.min(period.end, dayTo) - Math.max(period.start, dayFrom));
  }
  return total;
}

/** `start` plus `durationMs` of working time (only inside working periods of working days). */
export function addWorkingDuration(start: Date, durationMs: number, rules: WorkingRules = defaultWorkingRules): Date {
  if (durationMs <= 0) return start;
  return addWorkingTime(start, durationMs, parsePeriods(rules), rules);
}

/**
 * The appointment after a completion pause (the time waiting for a supplement is not counted): the clock stopped when the supplement was
 * requested and restarts when the applicant brings it, so the appointment moves by the WORKING time the
 * dossier waited. A pause entirely outside working time moves nothing.
 */
export function extendAppointmentForPause(appointmentAt: Date, pausedSince: Date, resumedAt: Date, rules: WorkingRules = defaultWorkingRules): Date {
  return addWorkingDuration(appointmentAt, workingTimeBetween(pausedSince, resumedAt, rules), rules);
}

/** When the result is due, for a dossier received at `receivedAt` under the time limit `limit`. */
export function computeAppointment(receivedAt: Date, limit: TimeLimit, rules: WorkingRules = defaultWorkingRules): Date {
  if (!Number.isInteger(limit.amount) || limit.amount < 0) {
    // procedureSchema already requires a whole number ≥ 0: reaching this is a programming error.
    throw new AppError('INTERNAL', { message: 'time limit amount must be a whole number ≥ 0', amount: limit.amount });
  }
  const periods = parsePeriods(rules);
  const received = toVietnamDateTime(receivedAt);
  const workingDayMs = periods.reduce((sum, p) => sum + (p.end - p.start), 0);

  switch (limit.unit) {
    case 'working-days': {
      if (limit.amount > 0) return addWorkingTime(receivedAt, limit.amount * workingDayMs, periods, rules);
      // Same day: compared in whole minutes, as printed on the receipt ("15 giờ 00 phút" is not after 15:00).
      const cutoff = parseClock(rules.sameDayCutoff, 'same-day cut-off');
      const receivedMinute = Math.floor(received.msOfDay / MS_PER_MINUTE) * MS_PER_MINUTE;
      const sameDay = isWorkingDay(received.dayIndex, rules) && receivedMinute <= cutoff;
      return endOfWorkingDay(sameDay ? received.dayIndex : nextWorkingDayFrom(received.dayIndex + 1, rules), periods);
    }
    case 'days':
      return endOfWorkingDay(nextWorkingDayFrom(received.dayIndex + limit.amount, rules), periods);
    case 'hours':
      return addWorkingTime(receivedAt, limit.amount * 60 * MS_PER_MINUTE, periods, rules);
    default: {
      const unknownUnit: never = limit.unit;
      throw new RangeError(`unknown time limit unit ${String(unknownUnit)}`);
    }
  }
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/**
 * The legal time limit as printed in item 3 of the receipt, e.g. "03 ngày làm việc", "Trong ngày (tiếp nhận
 * sau 15 giờ thì trả trong ngày làm việc tiếp theo)".
 */
export function formatTimeLimit(limit: TimeLimit, rules: Pick<WorkingRules, 'sameDayCutoff'> = defaultWorkingRules): string {
  switch (limit.unit) {
    case 'working-days': {
      if (limit.amount > 0) return `${pad2(limit.amount)} ngày làm việc`;
      const [hh = '15', mm = '00'] = rules.sameDayCutoff.split(':');
      const cutoff = mm === '00' ? `${Number(hh)} giờ` : `${Number(hh)} giờ ${mm} phút`;
      return `Trong ngày (tiếp nhận sau ${cutoff} thì trả trong ngày làm việc tiếp theo)`;
    }
    case 'days':
      return `${pad2(limit.amount)} ngày`;
    case 'hours':
      return `${pad2(limit.amount)} giờ làm việc`;
    default: {
      const unknownUnit: never = limit.unit;
      throw new RangeError(`unknown time limit unit ${String(unknownUnit)}`);
    }
  }
}
