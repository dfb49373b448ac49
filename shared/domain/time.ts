/**
 * Vietnam time (Asia/Ho_Chi_Minh) without the host's time zone database: Vietnam has used UTC+7 with no
 * daylight saving since 1975, so a fixed offset is exact for every date the app handles. Counter PCs are
 * often set to the wrong zone; nothing here reads the machine's zone.
 */

const VIETNAM_OFFSET_MINUTES = 7 * 60;
const OFFSET_MS = VIETNAM_OFFSET_MINUTES * 60_000;
const MS_PER_DAY = 86_400_000;

/** A calendar day in Vietnam. `weekday`: 0 = Sunday … 6 = Saturday (as `Date.getUTCDay`). */
export interface CalendarDay {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly weekday: number;
}

/** The wall-clock reading in Vietnam at an instant. */
export interface VietnamDateTime extends CalendarDay {
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  /** Days since 1970-01-01 counted in Vietnam time: consecutive integers for consecutive local days. */
  readonly dayIndex: number;
  /** Milliseconds since local midnight. */
  readonly msOfDay: number;
}

function assertValidDate(date: Date): void {
  if (Number.isNaN(date.getTime())) throw new RangeError('Invalid Date');
}

export function toVietnamDateTime(date: Date): VietnamDateTime {
  assertValidDate(date);
  const shifted = date.getTime() + OFFSET_MS;
  const dayIndex = Math.floor(shifted / MS_PER_DAY);
  const local = new Date(shifted);
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    weekday: local.getUTCDay(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
    dayIndex,
    msOfDay: shifted - dayIndex * MS_PER_DAY,
  };
}

/** The instant at `msOfDay` after midnight of Vietnam local day `dayIndex`. */
export function fromVietnamDay(dayIndex: number, msOfDay: number): Date {
  return new Date(dayIndex * MS_PER_DAY + msOfDay - OFFSET_MS);
}

/** The instant for a Vietnam wall-clock reading (month 1–12). */
export function fromVietnamParts(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): Date {
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second) - OFFSET_MS);
}

export function calendarDayOf(dayIndex: number): CalendarDay {
  const d = new Date(dayIndex * MS_PER_DAY);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), weekday: d.getUTCDay() };
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** ISO 8601 with Vietnam's offset, e.g. "2026-11-23T14:05:00+07:00" (seconds kept, milliseconds dropped). */
export function toVietnamIso(date: Date): string {
  const t = toVietnamDateTime(date);
  return `${String(t.year).padStart(4, '0')}-${pad2(t.month)}-${pad2(t.day)}T${pad2(t.hour)}:${pad2(t.minute)}:${pad2(t.second)}+07:00`;
}

/** "14 giờ 05 phút, ngày 23/11/2026" — the wording of items 4 and 5 of the receipt. */
export function formatVietnamDateTime(date: Date): string {
  const t = toVietnamDateTime(date);
  return `${pad2(t.hour)} giờ ${pad2(t.minute)} phút, ngày ${formatVietnamDate(date)}`;
}

/** "23/11/2026". */
export function formatVietnamDate(date: Date): string {
  const t = toVietnamDateTime(date);
  return `${pad2(t.day)}/${pad2(t.month)}/${t.year}`;
}

/** "ngày 23 tháng 11 năm 2026" — the place-and-date line of administrative forms. */
export function formatVietnamLongDate(date: Date): string {
  const t = toVietnamDateTime(date);
  return `ngày ${pad2(t.day)} tháng ${pad2(t.month)} năm ${t.year}`;
}
