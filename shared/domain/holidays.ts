/**
 * Public holidays by rule: Labour Code 2019 (45/2019/QH14) Art. 112, with Art. 111(3)'s compensatory day
 * for a holiday that falls on the weekly rest day (Labour Code 2019 Art. 112). This is the default used when no official
 * calendar for the year is loaded (working-calendar.ts); the government still announces each year's actual
 * Tết break and swapped days, which override it.
 *
 * Choices, each configurable through `HolidayOptions`:
 * - Tết: 5 days. Decree 145/2020/NĐ-CP lets the employer take 1 day before the new year and 4 after, or 2
 *   and 3. The default is the last day of the old year (29 or 30 tháng Chạp, the New Year's Eve) plus 1st–4th
 *   of tháng Giêng: it keeps the eve and the first days together, and it is the span the government chose
 *   for 2026 (16–20 Feb 2026).
 * - 2 September plus one adjacent day, 1 or 3 September (the choice of the day is the employer's, for state
 *   bodies the Prime Minister's, yearly; the article text is UNCONFIRMED here). The 'auto' default takes the
 *   adjacent weekday that joins the break to a weekend, which reproduces the government's choices of
 *   2021–2025 (3/9/2021, 1/9/2022, 1/9/2023, 3/9/2024, 1/9/2025); when 2 September is a Wednesday neither day
 *   does, and 1 September is taken (UNCONFIRMED).
 * - 24 November, Ngày Văn hóa Việt Nam, from 2026: decided as a paid day off in principle by Politburo
 *   Resolution 80-NQ/TW (January 2026); its enactment in the Labour Code is UNCONFIRMED, so it is a flag
 *   (on by default); whether it is compensated when on a weekend is a second flag (`cultureDayCompensated`,
 *   on by default).
 * - A holiday on Saturday or Sunday gives a compensatory day on the next working day after it that is not
 *   itself a holiday (Art. 111(3)); several such holidays in a row give consecutive compensatory days.
 */
import { type CalendarDay, calendarDayOf } from './time';
import { dayIndexOf, isoDate, lunarFromSolar, solarFromLunar } from './lunar';

type HolidayKind = 'holiday' | 'compensatory';

export interface Holiday {
  /** "YYYY-MM-DD". */
  readonly date: string;
  /** Why the day is off, in Vietnamese. */
  readonly reason: string;
  readonly kind: HolidayKind;
}

export interface HolidayOptions {
  /** Days of the Tết break taken before lunar New Year's day: 1 (eve + 1st–4th) or 2 (28/29 Chạp + 1st–3rd). */
  readonly tetDaysBeforeNewYear?: 1 | 2;
  /** The day added to 2 September. */
  readonly nationalDayAdjacent?: 'auto' | 'before' | 'after';
  /** 24 November (Ngày Văn hóa Việt Nam) off from 2026. UNCONFIRMED enactment. */
  readonly cultureDay?: boolean;
  /**
   * Whether 24 November on a Saturday or Sunday gives a compensatory day. It is not among the Labour Code
   * Art. 112 holidays that Art. 111(3) compensates, so UNCONFIRMED. Default true: a wrong "compensated"
   * promises a result one working day later; a wrong "not compensated" promises it on a day the office is shut.
   */
  readonly cultureDayCompensated?: boolean;
}

const CULTURE_DAY_FIRST_YEAR = 2026;
const TET_DAYS = 5;

const isWeekendDay = (day: CalendarDay): boolean => day.weekday === 0 || day.weekday === 6;
const shortDate = (day: CalendarDay): string => `${String(day.day).padStart(2, '0')}/${String(day.month).padStart(2, '0')}`;

const lunarMonthNames = ['Giêng', 'Hai', 'Ba', 'Tư', 'Năm', 'Sáu', 'Bảy', 'Tám', 'Chín', 'Mười', 'Một', 'Chạp'];

/** "mùng 1 tháng Giêng", "30 tháng Chạp" — how the Tết days are named. */
function lunarDayName(day: CalendarDay): string {
  const lunar = lunarFromSolar(day);
  const dayName = lunar.day <= 10 ? `mùng ${lunar.day}` : String(lunar.day);
  return `${dayName} tháng ${lunarMonthNames[lunar.month - 1] ?? String(lunar.month)}`;
}

interface RuleHoliday {
  readonly dayIndex: number;
  readonly reason: string;
  /** False for a day off that gives no compensatory day when it falls on a weekend. */
  readonly compensated?: boolean;
}

function nationalDayAdjacentIndex(year: number, choice: 'auto' | 'before' | 'after'): number {
  const nationalDay = dayIndexOf({ year, month: 9, day: 2 });
  if (choice === 'before') return nationalDay - 1;
  if (choice === 'after') return nationalDay + 1;
  // Weekday of 2 Sep → the adjacent day that touches a weekend (Wednesday: none does; UNCONFIRMED).
  const weekday = calendarDayOf(nationalDay).weekday;
  const after = weekday === 0 || weekday === 1 || weekday === 4;
  return after ? nationalDay + 1 : nationalDay - 1;
}

function ruleHolidays(year: number, options: HolidayOptions): RuleHoliday[] {
  const fixed = (month: number, day: number, reason: string): RuleHoliday => ({ dayIndex: dayIndexOf({ year, month, day }), reason });
  const list: RuleHoliday[] = [fixed(1, 1, 'Tết Dương lịch')];

  const tet = dayIndexOf(solarFromLunar({ year, month: 1, day: 1, leap: false }));
  const before = options.tetDaysBeforeNewYear ?? 1;
  for (let i = -before; i < TET_DAYS - before; i++) {
    list.push({ dayIndex: tet + i, reason: `Tết Nguyên đán (${lunarDayName(calendarDayOf(tet + i))})` });
  }

  const hungKings = dayIndexOf(solarFromLunar({ year, month: 3, day: 10, leap: false }));
  list.push({ dayIndex: hungKings, reason: 'Giỗ Tổ Hùng Vương (10/3 âm lịch)' });
  list.push(fixed(4, 30, 'Ngày Giải phóng miền Nam, thống nhất đất nước (30/4)'));
  list.push(fixed(5, 1, 'Ngày Quốc tế Lao động (01/5)'));
  list.push(fixed(9, 2, 'Quốc khánh (02/9)'));
  list.push({ dayIndex: nationalDayAdjacentIndex(year, options.nationalDayAdjacent ?? 'auto'), reason: 'Nghỉ liền kề Quốc khánh' });
  if ((options.cultureDay ?? true) && year >= CULTURE_DAY_FIRST_YEAR) {
    list.push({ ...fixed(11, 24, 'Ngày Văn hóa Việt Nam (24/11)'), compensated: options.cultureDayCompensated ?? true });
  }
  return list.sort((a, b) => a.dayIndex - b.dayIndex);
}

/**
 * The rule-based days off of `year`: each holiday (on whatever weekday it falls) and the compensatory days
 * for those on a weekend, in date order. A compensatory day for a late-December holiday could fall in the
 * next year; no holiday is that late, so every day listed is in `year`.
 */
export function holidaysOf(year: number, options: HolidayOptions = {}): Holiday[] {
  const holidays = ruleHolidays(year, options);
  const taken = new Set(holidays.map((h) => h.dayIndex));
  const result: { dayIndex: number; holiday: Holiday }[] = [];
  for (const h of holidays) {
    const day = calendarDayOf(h.dayIndex);
    result.push({ dayIndex: h.dayIndex, holiday: { date: isoDate(day), reason: h.reason, kind: 'holiday' } });
    if (!isWeekendDay(day) || h.compensated === false) continue;
    let substitute = h.dayIndex + 1;
    while (isWeekendDay(calendarDayOf(substitute)) || taken.has(substitute)) substitute++;
    taken.add(substitute);
    result.push({
      dayIndex: substitute,
      holiday: { date: isoDate(calendarDayOf(substitute)), reason: `Nghỉ bù ${h.reason} trùng ngày nghỉ hằng tuần (${shortDate(day)})`, kind: 'compensatory' },
    });
  }
  return result.sort((a, b) => a.dayIndex - b.dayIndex).map((r) => r.holiday);
}
