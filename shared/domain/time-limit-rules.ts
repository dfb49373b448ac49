/**
 * The time-limit rules that depend on the legal basis a dossier was received under (legal-basis.ts), and
 * the reception schedule (Decree 118/2025 Art. 17.3, 19.5, 19.6; Decision 14/2010/QĐ-TTg for Saturdays):
 *
 * - Supplement (Decree 118/2025 Art. 19.5, CONFIRMED): once the completed dossier is received the time limit
 *   counts again FROM THE BEGINNING — the new appointment is the procedure's full time limit counted from
 *   the completed receipt. 2018 dossiers keep the pause rule (the appointment moves by the working time the
 *   dossier waited: `extendAppointmentForPause`).
 * - A 2025 dossier not supplemented within 15 days of the request is closed (Art. 19.5). Whether the 15 days
 *   are calendar or working days is UNCONFIRMED: `SupplementWindow`, default 15 calendar days ("15 ngày"
 *   without "làm việc"), counted like a calendar-day time limit (to the end of the working day, moved to
 *   the next working day when the last day is off — Civil Code 2015 Art. 148).
 * - 24/11 on a weekend: compensated by default (`cultureDayCompensated`, UNCONFIRMED).
 * - Extension (Art. 19.6, CONFIRMED): proposed at least 1 day before the deadline, with a reason and a
 *   proposed new date; the appointment moves at most once; the applicant is told by e-mail, message, phone
 *   or social network. "At least 1 day" is read as an earlier CALENDAR day (Vietnam time) than the
 *   deadline's (UNCONFIRMED: `extensionNoticeDays`). The 2018 apology had neither rule.
 * - Reception schedule: the days a counter RECEIVES (e.g. Saturday mornings) are separate from the
 *   working-day calendar the time limit is counted on. How a Saturday receipt counts is UNCONFIRMED:
 *   `saturdayReceiptCounts`, default 'next-working-day'.
 */
import { z } from 'zod';
import { AppError } from '../errors';
import { addWorkingDuration, computeAppointment, workingTimeBetween, type TimeLimit, type WorkingRules } from './appointment';
import { LEGAL_BASIS_2025, type LegalBasis } from './legal-basis';
import { dayIndexOf, isoDate } from './lunar';
import { calendarDayOf, fromVietnamDay, toVietnamDateTime } from './time';

// ------------------------------------------------------------------------------------------- configuration

const supplementWindowSchema = z.object({
  amount: z.number().int().min(1).max(365),
  unit: z.enum(['days', 'working-days']),
});
export type SupplementWindow = z.infer<typeof supplementWindowSchema>;

/** Art. 19.5: 15 days; calendar days by default (UNCONFIRMED). */
export const defaultSupplementWindow: SupplementWindow = { amount: 15, unit: 'days' };

export const notificationChannels = ['email', 'sms', 'phone', 'social', 'in-person'] as const;
export const notificationChannelSchema = z.enum(notificationChannels);
export type NotificationChannel = z.infer<typeof notificationChannelSchema>;
/** Art. 19.6: "qua thư điện tử, tin nhắn, điện thoại hoặc mạng xã hội" — and in person at the counter. */
export const notificationChannelNames: Readonly<Record<NotificationChannel, string>> = {
  email: 'thư điện tử',
  sms: 'tin nhắn',
  phone: 'điện thoại',
  social: 'mạng xã hội',
  'in-person': 'trực tiếp tại bộ phận Một cửa',
};

const receptionScheduleSchema = z.object({
  /** Saturday reception: none, the morning period(s) only, or the whole day (Decision 14/2010/QĐ-TTg). */
  saturday: z.enum(['none', 'morning', 'full-day']).default('none'),
  /** Procedure codes received on Saturdays; empty = every procedure. */
  saturdayProcedures: z.array(z.string().min(1).max(64)).max(2000).default([]),
  /**
   * How a Saturday receipt counts toward the appointment (UNCONFIRMED): as received at the start of the next
   * working day, or counted from the Saturday itself (the Saturday's reception hours count as working time).
   */
  saturdayReceiptCounts: z.enum(['next-working-day', 'from-saturday']).default('next-working-day'),
});
export type ReceptionSchedule = z.infer<typeof receptionScheduleSchema>;
export const defaultReceptionSchedule: ReceptionSchedule = { saturday: 'none', saturdayProcedures: [], saturdayReceiptCounts: 'next-working-day' };

export const timeLimitRulesConfigSchema = z.object({
  supplementWindow: supplementWindowSchema.default(defaultSupplementWindow),
  /** Calendar days an extension must be proposed before the deadline (Art. 19.6: "ít nhất 01 ngày"). */
  extensionNoticeDays: z.number().int().min(0).max(30).default(1),
  reception: receptionScheduleSchema.default(defaultReceptionSchedule),
  /**
   * 24/11 (Ngày Văn hóa Việt Nam) on a weekend gives a compensatory day (UNCONFIRMED; default yes: a wrong
   * yes costs one day of promise, a wrong no sends the applicant to a shut office).
   */
  cultureDayCompensated: z.boolean().default(true),
});
export type TimeLimitRulesConfig = z.infer<typeof timeLimitRulesConfigSchema>;
export const defaultTimeLimitRulesConfig: TimeLimitRulesConfig = {
  supplementWindow: defaultSupplementWindow,
  extensionNoticeDays: 1,
  reception: defaultReceptionSchedule,
  cultureDayCompensated: true,
};

// ------------------------------------------------------------------------------------------- supplement

/**
 * The appointment of a 2025 dossier once the completed dossier is received at `completedAt`: the
 * procedure's full `limit` counted again from `completedAt` (Art. 19.5 restart).
 */
export function restartAppointment(completedAt: Date, limit: TimeLimit, rules: WorkingRules): Date {
  return computeAppointment(completedAt, limit, rules);
}

/** When a 2025 dossier waiting for a supplement requested at `requestedAt` is closed if nothing arrives. */
export function supplementWindowEnd(requestedAt: Date, window: SupplementWindow, rules: WorkingRules): Date {
  return computeAppointment(requestedAt, window, rules);
}

/**
 * True when a dossier waiting since `requestedAt` is closed for want of the supplement at `now`. Only 2025
 * dossiers close this way; a 2018 dossier waits (its clock is paused) until the agency decides.
 */
export function isClosedForMissingSupplement(basis: LegalBasis, requestedAt: Date | undefined, now: Date, window: SupplementWindow, rules: WorkingRules): boolean {
  if (basis !== LEGAL_BASIS_2025 || !requestedAt) return false;
  return now.getTime() > supplementWindowEnd(requestedAt, window, rules).getTime();
}

// -------------------------------------------------------------------------------------------- extension

export interface ExtensionRequest {
  readonly basis: LegalBasis;
  /** The appointment in force. */
  readonly appointmentAt: Date;
  /** When the extension is proposed. */
  readonly proposedAt: Date;
  /** The proposed new date, "YYYY-MM-DD" (Vietnam calendar day). */
  readonly newDate: string;
  /** Extensions already granted for this dossier. */
  readonly extensionsSoFar: number;
  readonly noticeDays: number;
}

const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/;

function dayIndexOfIso(text: string): number | undefined {
  const match = datePattern.exec(text);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const index = dayIndexOf({ year, month, day });
  return isoDate(calendarDayOf(index)) === text ? index : undefined;
}

const shortDate = (dayIndex: number): string => {
  const d = calendarDayOf(dayIndex);
  return `${String(d.day).padStart(2, '0')}/${String(d.month).padStart(2, '0')}/${d.year}`;
};

/** The Vietnam calendar date of an instant, "YYYY-MM-DD". */
export const vietnamDateOf = (at: Date): string => isoDate(calendarDayOf(toVietnamDateTime(at).dayIndex));

/**
 * Checks a proposed extension and returns the new appointment: the END of the working day chosen (the
 * closing time of its last working period). Refusals are AppErrors the desk shows as they are:
 * - EXTENSION_ALREADY_USED: a 2025 dossier's appointment moves at most once;
 * - EXTENSION_TOO_LATE: a 2025 proposal on the deadline's day or later (names the deadline);
 * - EXTENSION_DATE_INVALID: the new date is not a date, not after the old appointment's date and today, or
 *   not a working day of the calendar.
 */
export function validateExtension(request: ExtensionRequest, rules: WorkingRules): Date {
  const old = toVietnamDateTime(request.appointmentAt);
  const deadline = shortDate(old.dayIndex);
  if (request.basis === LEGAL_BASIS_2025) {
    if (request.extensionsSoFar > 0) throw new AppError('EXTENSION_ALREADY_USED', { deadline });
    const proposedDay = toVietnamDateTime(request.proposedAt).dayIndex;
    if (proposedDay > old.dayIndex - request.noticeDays) {
      throw new AppError('EXTENSION_TOO_LATE', { deadline, days: request.noticeDays, latest: shortDate(old.dayIndex - request.noticeDays) });
    }
  }
  const chosen = dayIndexOfIso(request.newDate);
  if (chosen === undefined) throw new AppError('EXTENSION_DATE_INVALID', { date: request.newDate, deadline, reason: 'không phải một ngày hợp lệ (YYYY-MM-DD)' });
  if (chosen <= old.dayIndex) throw new AppError('EXTENSION_DATE_INVALID', { date: shortDate(chosen), deadline, reason: 'phải sau ngày hẹn cũ' });
  // A 2018 dossier may already be late: its new date must still be in the future.
  if (chosen <= toVietnamDateTime(request.proposedAt).dayIndex) throw new AppError('EXTENSION_DATE_INVALID', { date: shortDate(chosen), deadline, reason: 'phải sau ngày hôm nay' });
  if (rules.isNonWorkingDay(calendarDayOf(chosen))) throw new AppError('EXTENSION_DATE_INVALID', { date: shortDate(chosen), deadline, reason: 'không phải ngày làm việc' });
  const lastPeriod = rules.periods[rules.periods.length - 1];
  const [hh = '17', mm = '00'] = (lastPeriod?.end ?? '17:00').split(':');
  return fromVietnamDay(chosen, (Number(hh) * 60 + Number(mm)) * 60_000);
}

// ------------------------------------------------------------------------------------ reception schedule

/** True when the schedule receives procedure `procedureCode` on Saturdays. */
function receivesOnSaturday(schedule: ReceptionSchedule, procedureCode: string): boolean {
  if (schedule.saturday === 'none') return false;
  return schedule.saturdayProcedures.length === 0 || schedule.saturdayProcedures.includes(procedureCode);
}

const clockMs = (text: string): number => {
  const [h = '0', m = '0'] = text.split(':');
  return (Number(h) * 60 + Number(m)) * 60_000;
};

/**
 * The appointment for a dossier received at `receivedAt`, with the reception schedule applied. Only a
 * receipt on a Saturday that is not a working day (a make-up Saturday is an ordinary working day), for a
 * procedure the schedule receives on Saturdays, is affected:
 * - 'next-working-day': counted as if received at the opening of the next working day (the receipt still
 *   shows the Saturday);
 * - 'from-saturday': the Saturday's reception hours (the morning period, or the whole day) count as working
 *   time, then counting goes on from the next working day; a calendar-day limit counts from the Saturday's
 *   date; a same-day procedure is due at the end of the Saturday's reception.
 */
export function appointmentForReceipt(receivedAt: Date, limit: TimeLimit, procedureCode: string, schedule: ReceptionSchedule, rules: WorkingRules): Date {
  const received = toVietnamDateTime(receivedAt);
  const saturdayOff = received.weekday === 6 && rules.isNonWorkingDay(received);
  if (!saturdayOff || !receivesOnSaturday(schedule, procedureCode)) return computeAppointment(receivedAt, limit, rules);
  const firstPeriod = rules.periods[0];
  if (!firstPeriod) return computeAppointment(receivedAt, limit, rules);

  if (schedule.saturdayReceiptCounts === 'next-working-day') {
    let next = received.dayIndex + 1;
    while (rules.isNonWorkingDay(calendarDayOf(next))) next++;
    return computeAppointment(fromVietnamDay(next, clockMs(firstPeriod.start)), limit, rules);
  }

  // 'from-saturday'
  const saturdayPeriods = schedule.saturday === 'morning' ? rules.periods.slice(0, 1) : rules.periods;
  const lastSaturdayPeriod = saturdayPeriods[saturdayPeriods.length - 1] ?? firstPeriod;
  const saturdayEnd = fromVietnamDay(received.dayIndex, clockMs(lastSaturdayPeriod.end));
  const saturdayRules: WorkingRules = { ...rules, periods: saturdayPeriods, isNonWorkingDay: () => false };
  switch (limit.unit) {
    case 'days':
      return computeAppointment(receivedAt, limit, rules);
    case 'working-days':
    case 'hours': {
      const workingDayMs = rules.periods.reduce((sum, p) => sum + clockMs(p.end) - clockMs(p.start), 0);
      if (limit.unit === 'working-days' && limit.amount === 0) {
        // Same day: due when the Saturday's reception closes, unless received at or after that close or after
        // the same-day cut-off (then the next working day, as the calendar says).
        const inTime = receivedAt.getTime() < saturdayEnd.getTime() && receivedAt.getTime() <= fromVietnamDay(received.dayIndex, clockMs(rules.sameDayCutoff)).getTime();
        return inTime ? saturdayEnd : computeAppointment(receivedAt, limit, rules);
      }
      const total = limit.unit === 'hours' ? limit.amount * 3_600_000 : limit.amount * workingDayMs;
      const usedOnSaturday = workingTimeBetween(receivedAt, saturdayEnd, saturdayRules);
      if (total <= usedOnSaturday) return addWorkingDuration(receivedAt, total, saturdayRules);
      // `saturdayEnd` is on a day off: the rest is counted from the next working morning.
      return addWorkingDuration(saturdayEnd, total - usedOnSaturday, rules);
    }
    default: {
      const unknownUnit: never = limit.unit;
      throw new RangeError(`unknown time limit unit ${String(unknownUnit)}`);
    }
  }
}
