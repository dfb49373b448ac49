/**
 * The working calendar the appointment date is counted on: Monday–Friday, minus public holidays and their
 * compensatory days, with the year's officially announced calendar (actual Tết break, swapped days off and
 * make-up working Saturdays) overriding the rule-based default (holidays.ts) for the years it covers.
 *
 * A year's official calendar is data (published yearly by the government, loaded from the central or a
 * file): `yearCalendarSchema`. Plug it into `computeAppointment` as `WorkingRules.isNonWorkingDay`.
 */
import { z } from 'zod';
import { AppError } from '../errors';
import { type HolidayOptions, holidaysOf } from './holidays';
import { dayIndexOf, isoDate } from './lunar';
import { type CalendarDay, calendarDayOf } from './time';

const isoDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'ngày phải có dạng YYYY-MM-DD')
  .refine((text) => {
    const [y, m, d] = text.split('-').map(Number);
    return isoDate(calendarDayOf(dayIndexOf({ year: y ?? 0, month: m ?? 0, day: d ?? 0 }))) === text;
  }, 'ngày không tồn tại');

const calendarEntrySchema = z.object({
  date: isoDateSchema,
  reason: z.string().trim().min(1, 'thiếu lý do'),
  /** The entry is not yet confirmed by a published text (decree, official letter). */
  unconfirmed: z.boolean().optional(),
});

const yearCalendarSchema = z
  .object({
    year: z.number().int().min(1900).max(2199),
    /** The document(s) the calendar comes from (number and date, or address). */
    source: z.string().trim().min(1, 'thiếu nguồn (văn bản công bố)'),
    /** Weekdays off: holidays, compensatory days, swapped days. */
    daysOff: z.array(calendarEntrySchema),
    /** Saturdays or Sundays worked in exchange for a swapped day off. */
    makeUpWorkingDays: z.array(calendarEntrySchema).default([]),
  })
  .superRefine((calendar, ctx) => {
    const seen = new Set<string>();
    const check = (entries: readonly { date: string }[], list: 'daysOff' | 'makeUpWorkingDays'): void => {
      entries.forEach((entry, index) => {
        if (!entry.date.startsWith(`${calendar.year}-`)) ctx.addIssue({ code: 'custom', path: [list, index, 'date'], message: `ngày ${entry.date} không thuộc năm ${calendar.year}` });
        if (seen.has(entry.date)) ctx.addIssue({ code: 'custom', path: [list, index, 'date'], message: `ngày ${entry.date} bị khai báo hai lần` });
        seen.add(entry.date);
        if (list === 'makeUpWorkingDays' && !isWeekendDate(entry.date)) {
          ctx.addIssue({ code: 'custom', path: [list, index, 'date'], message: `ngày làm bù ${entry.date} không phải thứ Bảy hoặc Chủ nhật` });
        }
      });
    };
    check(calendar.daysOff, 'daysOff');
    check(calendar.makeUpWorkingDays, 'makeUpWorkingDays');
  });

export type YearCalendar = z.infer<typeof yearCalendarSchema>;
export type YearCalendarInput = z.input<typeof yearCalendarSchema>;

/** A calendar file holds one year's calendar or a list of them. */
const calendarFileSchema = z.union([yearCalendarSchema.transform((c) => [c]), z.array(yearCalendarSchema)]);

function isWeekendDate(text: string): boolean {
  const [y, m, d] = text.split('-').map(Number);
  const weekday = calendarDayOf(dayIndexOf({ year: y ?? 0, month: m ?? 0, day: d ?? 0 })).weekday;
  return weekday === 0 || weekday === 6;
}

const isWeekend = (day: CalendarDay): boolean => day.weekday === 0 || day.weekday === 6;

/**
 * Parses official calendar data (one year or a list of years); `CALENDAR_DATA_INVALID` naming the first
 * problem when it is malformed.
 */
export function parseYearCalendars(data: unknown): YearCalendar[] {
  const parsed = calendarFileSchema.safeParse(data);
  if (!parsed.success) {
    // The union reports "invalid input" at the top; the array branch's or the object's issue is the useful one.
    const issue = firstUsefulIssue(parsed.error.issues, Array.isArray(data));
    throw new AppError('CALENDAR_DATA_INVALID', { issue });
  }
  const years = new Set<number>();
  for (const calendar of parsed.data) {
    if (years.has(calendar.year)) throw new AppError('CALENDAR_DATA_INVALID', { issue: `năm ${calendar.year} được khai báo hai lần` });
    years.add(calendar.year);
  }
  return parsed.data;
}

interface ZodIssueLike {
  readonly code: string;
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly errors?: readonly (readonly ZodIssueLike[])[];
}

function firstUsefulIssue(issues: readonly ZodIssueLike[], isArray: boolean): string {
  const first = issues[0];
  if (!first) return 'dữ liệu không hợp lệ';
  if (first.code === 'invalid_union' && first.errors) {
    const branch = first.errors[isArray ? 1 : 0] ?? first.errors[0] ?? [];
    return firstUsefulIssue(branch, isArray);
  }
  const where = first.path.map(String).join('.');
  return where ? `${where}: ${first.message}` : first.message;
}

interface CalendarDayEntry {
  readonly date: string;
  readonly reason: string;
}

interface YearNonWorkingDays {
  readonly year: number;
  readonly source: 'rules' | 'official';
  /** Weekdays not worked (holidays, compensatory and swapped days), in date order. */
  readonly nonWorkingDays: readonly CalendarDayEntry[];
  /** Weekend days worked, in date order. */
  readonly makeUpWorkingDays: readonly CalendarDayEntry[];
}

export interface WorkingCalendar {
  isNonWorkingDay(day: CalendarDay): boolean;
  nonWorkingDays(year: number): YearNonWorkingDays;
}

export interface WorkingCalendarOptions {
  /** Official calendars; they override the built-in ones for the same year. */
  readonly official?: readonly YearCalendar[];
  /** Use the official calendars bundled with the app (`builtInOfficialCalendars`). Default true. */
  readonly builtIn?: boolean;
  /** Choices of the rule-based default. */
  readonly holidayOptions?: HolidayOptions;
}

export function createWorkingCalendar(options: WorkingCalendarOptions = {}): WorkingCalendar {
  const official = new Map<number, YearCalendar>();
  for (const calendar of options.builtIn === false ? [] : builtInOfficialCalendars) official.set(calendar.year, calendar);
  for (const calendar of options.official ?? []) official.set(calendar.year, calendar);

  const byYear = new Map<number, { summary: YearNonWorkingDays; off: Set<string>; worked: Set<string> }>();
  const yearData = (year: number): { summary: YearNonWorkingDays; off: Set<string>; worked: Set<string> } => {
    const cached = byYear.get(year);
    if (cached) return cached;
    const data = official.get(year);
    const weekday = (e: CalendarDayEntry): boolean => !isWeekendDate(e.date);
    const byDate = (a: CalendarDayEntry, b: CalendarDayEntry): number => a.date.localeCompare(b.date);
    const summary: YearNonWorkingDays = data
      ? {
          year,
          source: 'official',
          nonWorkingDays: data.daysOff.filter(weekday).map(({ date, reason }) => ({ date, reason })).sort(byDate),
          makeUpWorkingDays: data.makeUpWorkingDays.map(({ date, reason }) => ({ date, reason })).sort(byDate),
        }
      : {
          year,
          source: 'rules',
          nonWorkingDays: holidaysOf(year, options.holidayOptions).filter(weekday).map(({ date, reason }) => ({ date, reason })),
          makeUpWorkingDays: [],
        };
    const entry = { summary, off: new Set(summary.nonWorkingDays.map((e) => e.date)), worked: new Set(summary.makeUpWorkingDays.map((e) => e.date)) };
    byYear.set(year, entry);
    return entry;
  };

  return {
    isNonWorkingDay(day: CalendarDay): boolean {
      const { off, worked } = yearData(day.year);
      const date = isoDate(day);
      if (worked.has(date)) return false;
      return isWeekend(day) || off.has(date);
    },
    nonWorkingDays: (year: number): YearNonWorkingDays => yearData(year).summary,
  };
}

/**
 * 2026 as announced (Thông báo 9441/TB-BNV, Công văn 9859/VPCP-KGVX, CONFIRMED):
 * - Thông báo 9441/TB-BNV (Ministry of Home Affairs) and Công văn 9859/VPCP-KGVX (Government Office) on the
 *   2026 days off of officials and public employees: Tết Bính Ngọ off Mon 16 – Fri 20 Feb (with the
 *   weekends, Sat 14 – Sun 22 Feb, 9 days); Friday 2 Jan off, worked on Saturday 10 Jan; National Day 2 Sep
 *   with Tuesday 1 Sep; Monday 31 Aug off, worked on Saturday 22 Aug (Sat 29 Aug – Wed 2 Sep off, 5 days).
 * - Earlier reports of the same decisions: Official Letter 12729/VPCP-KGVX of 25/12/2025 (New Year);
 *   Hùng Kings 26 Apr (Sunday) compensated on Monday 27 Apr; 30 Apr and 1 May Thursday–Friday
 *   (thanhnien.vn, 23/02/2026).
 * - 24 Nov (Ngày Văn hóa Việt Nam): a paid day off from 1/7/2026 by Resolution 28/2026/QH16 according to
 *   secondary quotes (the text itself not read): kept `unconfirmed`. It is a Tuesday in 2026, so the
 *   weekend-compensation setting (`cultureDayCompensated`) does not matter this year.
 */
const officialCalendar2026: YearCalendarInput = {
  year: 2026,
  source:
    'Thông báo 9441/TB-BNV (Bộ Nội vụ) và Công văn 9859/VPCP-KGVX (Văn phòng Chính phủ) về lịch nghỉ năm 2026; Văn bản 12729/VPCP-KGVX ngày 25/12/2025; Bộ luật Lao động 2019 Điều 112; Nghị quyết 28/2026/QH16 (ngày 24/11, chưa đối chiếu văn bản gốc)',
  daysOff: [
    { date: '2026-01-01', reason: 'Tết Dương lịch' },
    { date: '2026-01-02', reason: 'Nghỉ Tết Dương lịch (hoán đổi, làm bù thứ Bảy 10/01/2026)' },
    { date: '2026-02-16', reason: 'Tết Nguyên đán (29 tháng Chạp)' },
    { date: '2026-02-17', reason: 'Tết Nguyên đán (mùng 1 tháng Giêng)' },
    { date: '2026-02-18', reason: 'Tết Nguyên đán (mùng 2 tháng Giêng)' },
    { date: '2026-02-19', reason: 'Tết Nguyên đán (mùng 3 tháng Giêng)' },
    { date: '2026-02-20', reason: 'Tết Nguyên đán (mùng 4 tháng Giêng)' },
    { date: '2026-04-27', reason: 'Nghỉ bù Giỗ Tổ Hùng Vương (10/3 âm lịch, Chủ nhật 26/04)' },
    { date: '2026-04-30', reason: 'Ngày Giải phóng miền Nam, thống nhất đất nước (30/4)' },
    { date: '2026-05-01', reason: 'Ngày Quốc tế Lao động (01/5)' },
    { date: '2026-08-31', reason: 'Nghỉ dịp Quốc khánh (hoán đổi, làm bù thứ Bảy 22/08/2026)' },
    { date: '2026-09-01', reason: 'Nghỉ liền kề Quốc khánh' },
    { date: '2026-09-02', reason: 'Quốc khánh (02/9)' },
    { date: '2026-11-24', reason: 'Ngày Văn hóa Việt Nam (24/11)', unconfirmed: true },
  ],
  makeUpWorkingDays: [
    { date: '2026-01-10', reason: 'Làm bù cho ngày nghỉ thứ Sáu 02/01/2026' },
    { date: '2026-08-22', reason: 'Làm bù cho ngày nghỉ thứ Hai 31/08/2026' },
  ],
};

/** Official calendars bundled with the app; data loaded from the central overrides them. */
export const builtInOfficialCalendars: readonly YearCalendar[] = parseYearCalendars([officialCalendar2026]);
