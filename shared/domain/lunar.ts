/**
 * The Vietnamese lunisolar calendar (âm lịch), computed for the meridian of UTC+7.
 *
 * Rules of the calendar (the same as the Chinese one, but with days reckoned in Vietnam time — which is
 * why Tết 1985 and 2007 differ from China's):
 * - a month begins on the local day of a new moon;
 * - month 11 (tháng Một) is the month that contains the December solstice (sun longitude 270°);
 * - when 13 new moons begin between two months 11, the first month after the first one that contains no
 *   major solar term (trung khí: sun longitude a multiple of 30°) is the leap month, numbered as the
 *   month before it.
 *
 * Astronomy (formulas from J. Meeus, "Astronomical Algorithms", 2nd ed.): new moons from chapter 49 with
 * its periodic and planetary terms (error well under a minute), the sun's apparent longitude from chapter
 * 25's low-accuracy series (about 0.01°, i.e. about a quarter of an hour in time), and ΔT (TT − UT) from the
 * Espenak–Meeus polynomials. Valid for the years MIN_YEAR..MAX_YEAR.
 */
import { AppError } from '../errors';
import { type CalendarDay, calendarDayOf } from './time';

export const MIN_LUNAR_YEAR = 1900;
export const MAX_LUNAR_YEAR = 2199;

/** A date of the Vietnamese lunar calendar. `leap`: the month is the leap (nhuận) repetition of `month`. */
export interface LunarDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly leap: boolean;
}

export interface SolarDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

const TIME_ZONE_HOURS = 7;
/** Julian Day Number of 1970-01-01, the epoch of `dayIndex` in time.ts. */
const JDN_UNIX_EPOCH = 2440588;
const SYNODIC_MONTH = 29.530588861;

const rad = (degrees: number): number => (degrees * Math.PI) / 180;
const sin = (degrees: number): number => Math.sin(rad(degrees));
const normalizeDegrees = (degrees: number): number => ((degrees % 360) + 360) % 360;

/** Days since 1970-01-01 of a proleptic Gregorian date (the `dayIndex` of time.ts). */
export function dayIndexOf(date: SolarDate): number {
  return Math.round(Date.UTC(date.year, date.month - 1, date.day) / 86_400_000);
}

const jdnOfDayIndex = (dayIndex: number): number => dayIndex + JDN_UNIX_EPOCH;
const dayIndexOfJdn = (jdn: number): number => jdn - JDN_UNIX_EPOCH;

/** ΔT = TT − UT in seconds (Espenak & Meeus polynomial fits). */
function deltaTSeconds(decimalYear: number): number {
  const y = decimalYear;
  if (y < 1920) {
    const t = y - 1900;
    return -2.79 + 1.494119 * t - 0.0598939 * t ** 2 + 0.0061966 * t ** 3 - 0.000197 * t ** 4;
  }
  if (y < 1941) {
    const t = y - 1920;
    return 21.2 + 0.84493 * t - 0.0761 * t ** 2 + 0.0020936 * t ** 3;
  }
  if (y < 1961) {
    const t = y - 1950;
    return 29.07 + 0.407 * t - t ** 2 / 233 + t ** 3 / 2547;
  }
  if (y < 1986) {
    const t = y - 1975;
    return 45.45 + 1.067 * t - t ** 2 / 260 - t ** 3 / 718;
  }
  if (y < 2005) {
    const t = y - 2000;
    return 63.86 + 0.3345 * t - 0.060374 * t ** 2 + 0.0017275 * t ** 3 + 0.000651814 * t ** 4 + 0.00002373599 * t ** 5;
  }
  if (y < 2050) {
    const t = y - 2000;
    return 62.92 + 0.32217 * t + 0.005589 * t ** 2;
  }
  const u = (y - 1820) / 100;
  if (y < 2150) return -20 + 32 * u ** 2 - 0.5628 * (2150 - y);
  return -20 + 32 * u ** 2;
}

const decimalYearOfJd = (jd: number): number => 2000 + (jd - 2451545) / 365.25;

/** Julian Ephemeris Day of the mean-corrected new moon number `k` (k = 0: 6 Jan 2000), Meeus ch. 49. */
function newMoonJde(k: number): number {
  const T = k / 1236.85;
  const jde = 2451550.09766 + SYNODIC_MONTH * k + 0.00015437 * T ** 2 - 0.00000015 * T ** 3 + 0.00000000073 * T ** 4;
  const E = 1 - 0.002516 * T - 0.0000074 * T ** 2;
  const M = 2.5534 + 29.1053567 * k - 0.0000014 * T ** 2 - 0.00000011 * T ** 3;
  const Mm = 201.5643 + 385.81693528 * k + 0.0107582 * T ** 2 + 0.00001238 * T ** 3 - 0.000000058 * T ** 4;
  const F = 160.7108 + 390.67050284 * k - 0.0016118 * T ** 2 - 0.00000227 * T ** 3 + 0.000000011 * T ** 4;
  const omega = 124.7746 - 1.56375588 * k + 0.0020672 * T ** 2 + 0.00000215 * T ** 3;

  const periodic =
    -0.4072 * sin(Mm) +
    0.17241 * E * sin(M) +
    0.01608 * sin(2 * Mm) +
    0.01039 * sin(2 * F) +
    0.00739 * E * sin(Mm - M) -
    0.00514 * E * sin(Mm + M) +
    0.00208 * E * E * sin(2 * M) -
    0.00111 * sin(Mm - 2 * F) -
    0.00057 * sin(Mm + 2 * F) +
    0.00056 * E * sin(2 * Mm + M) -
    0.00042 * sin(3 * Mm) +
    0.00042 * E * sin(M + 2 * F) +
    0.00038 * E * sin(M - 2 * F) -
    0.00024 * E * sin(2 * Mm - M) -
    0.00017 * sin(omega) -
    0.00007 * sin(Mm + 2 * M) +
    0.00004 * sin(2 * Mm - 2 * F) +
    0.00004 * sin(3 * M) +
    0.00003 * sin(Mm + M - 2 * F) +
    0.00003 * sin(2 * Mm + 2 * F) -
    0.00003 * sin(Mm + M + 2 * F) +
    0.00003 * sin(Mm - M + 2 * F) -
    0.00002 * sin(Mm - M - 2 * F) -
    0.00002 * sin(3 * Mm + M) +
    0.00002 * sin(4 * Mm);

  const planetaryArguments: readonly (readonly [number, number, number])[] = [
    [0.000325, 299.77, 0.107408],
    [0.000165, 251.88, 0.016321],
    [0.000164, 251.83, 26.651886],
    [0.000126, 349.42, 36.412478],
    [0.00011, 84.66, 18.206239],
    [0.000062, 141.74, 53.303771],
    [0.00006, 207.14, 2.453732],
    [0.000056, 154.84, 7.30686],
    [0.000047, 34.52, 27.261239],
    [0.000042, 207.19, 0.121824],
    [0.00004, 291.34, 1.844379],
    [0.000037, 161.72, 24.198154],
    [0.000035, 239.56, 25.513099],
    [0.000023, 331.55, 3.592518],
  ];
  let planetary = 0;
  planetaryArguments.forEach(([coefficient, base, rate], i) => {
    // A1 alone has a T² term.
    const argument = base + rate * k - (i === 0 ? 0.009173 * T ** 2 : 0);
    planetary += coefficient * sin(argument);
  });
  return jde + periodic + planetary;
}

/** Julian Day (UT) of new moon `k`. */
function newMoonJd(k: number): number {
  const jde = newMoonJde(k);
  return jde - deltaTSeconds(decimalYearOfJd(jde)) / 86_400;
}

/** The Julian Day Number of the Vietnam-local day on which new moon `k` falls. */
function newMoonDay(k: number): number {
  return Math.floor(newMoonJd(k) + 0.5 + TIME_ZONE_HOURS / 24);
}

/** Apparent geocentric longitude of the sun in degrees at Julian Day (UT) `jd`, Meeus ch. 25. */
function sunLongitude(jd: number): number {
  const jde = jd + deltaTSeconds(decimalYearOfJd(jd)) / 86_400;
  const T = (jde - 2451545) / 36525;
  const L0 = 280.46646 + 36000.76983 * T + 0.0003032 * T ** 2;
  const M = 357.52911 + 35999.05029 * T - 0.0001537 * T ** 2;
  const C = (1.914602 - 0.004817 * T - 0.000014 * T ** 2) * sin(M) + (0.019993 - 0.000101 * T) * sin(2 * M) + 0.000289 * sin(3 * M);
  const omega = 125.04 - 1934.136 * T;
  return normalizeDegrees(L0 + C - 0.00569 - 0.00478 * sin(omega));
}

/** Which 30° sector (0–11) the sun is in at the start (local midnight) of the day `jdn`. */
function sunSectorAtStartOf(jdn: number): number {
  return Math.floor(sunLongitude(jdn - 0.5 - TIME_ZONE_HOURS / 24) / 30);
}

/** The new moon number whose local day is on or before `jdn`, and the next one is after it. */
function newMoonOnOrBefore(jdn: number): number {
  let k = Math.floor((jdn - 2451550.1) / SYNODIC_MONTH);
  while (newMoonDay(k) > jdn) k--;
  while (newMoonDay(k + 1) <= jdn) k++;
  return k;
}

/** The new moon number starting month 11 of the lunar year that ends early in solar year `solarYear + 1`. */
function month11Of(solarYear: number): number {
  // The December solstice is on 20–23 December; the month containing it starts on or before 23 December.
  let k = newMoonOnOrBefore(jdnOf({ year: solarYear, month: 12, day: 31 }));
  // Sector 9 begins at longitude 270°: if the sun is already there when month k begins, the solstice fell
  // in an earlier month.
  while (sunSectorAtStartOf(newMoonDay(k)) >= 9) k--;
  return k;
}

const jdnOf = (date: SolarDate): number => jdnOfDayIndex(dayIndexOf(date));

interface LunarMonth {
  readonly startJdn: number;
  /** Lunar year the month belongs to (the solar year in which its Tết falls). */
  readonly year: number;
  readonly month: number;
  readonly leap: boolean;
  readonly length: 29 | 30;
}

/**
 * Months from month 11 of solar year `solarYear - 1` up to (not including) month 11 of `solarYear`: months
 * 11 and 12 of lunar year `solarYear - 1`, then months 1…10 of lunar year `solarYear`, with the leap month
 * if any.
 */
function monthsBetweenWinterSolstices(solarYear: number): LunarMonth[] {
  const first = month11Of(solarYear - 1);
  const last = month11Of(solarYear);
  const count = last - first; // 12 or 13
  let leapOffset = -1;
  if (count === 13) {
    for (let i = 1; i < count; i++) {
      if (sunSectorAtStartOf(newMoonDay(first + i)) === sunSectorAtStartOf(newMoonDay(first + i + 1))) {
        leapOffset = i;
        break;
      }
    }
  }
  const months: LunarMonth[] = [];
  let month = 10; // incremented before use: the first month is 11
  for (let i = 0; i < count; i++) {
    const leap = i === leapOffset;
    if (!leap) month = (month % 12) + 1;
    const startJdn = newMoonDay(first + i);
    const length = newMoonDay(first + i + 1) - startJdn;
    // Months 11 and 12 (and a leap 11/12) before the new year belong to the previous lunar year.
    const year = month >= 11 && i < 3 ? solarYear - 1 : solarYear;
    months.push({ startJdn, year, month, leap, length: length === 29 ? 29 : 30 });
  }
  return months;
}

function checkYear(year: number): void {
  if (!Number.isInteger(year) || year < MIN_LUNAR_YEAR || year > MAX_LUNAR_YEAR) {
    throw new AppError('CALENDAR_YEAR_OUT_OF_RANGE', { year: String(year), min: MIN_LUNAR_YEAR, max: MAX_LUNAR_YEAR });
  }
}

function solarOfJdn(jdn: number): CalendarDay {
  return calendarDayOf(dayIndexOfJdn(jdn));
}

/** The lunar date of a solar (Gregorian) date, in Vietnam. */
export function lunarFromSolar(date: SolarDate): LunarDate {
  checkYear(date.year);
  const jdn = jdnOf(date);
  // The date lies in the run of months that starts at month 11 of the year before or of this year.
  for (const solarYear of [date.year, date.year + 1]) {
    const months = monthsBetweenWinterSolstices(solarYear);
    for (const m of months) {
      if (jdn >= m.startJdn && jdn < m.startJdn + m.length) return { year: m.year, month: m.month, day: jdn - m.startJdn + 1, leap: m.leap };
    }
  }
  throw new AppError('INTERNAL', { message: `no lunar month found for ${date.year}-${date.month}-${date.day}` });
}

/** The solar date of a lunar date; `LUNAR_DATE_INVALID` when that day or leap month does not exist. */
export function solarFromLunar(date: LunarDate): CalendarDay {
  checkYear(date.year);
  const invalid = (reason: string): AppError =>
    new AppError('LUNAR_DATE_INVALID', { date: `${date.day}/${date.month}${date.leap ? ' nhuận' : ''}/${date.year}`, reason });
  if (!Number.isInteger(date.month) || date.month < 1 || date.month > 12) throw invalid('month');
  if (!Number.isInteger(date.day) || date.day < 1 || date.day > 30) throw invalid('day');
  // Months 11 and 12 of lunar year Y lie in the run that ends with month 11 of solar year Y + 1.
  const solarYear = date.month >= 11 ? date.year + 1 : date.year;
  const month = monthsBetweenWinterSolstices(solarYear).find((m) => m.year === date.year && m.month === date.month && m.leap === date.leap);
  if (!month) throw invalid('leap');
  if (date.day > month.length) throw invalid('day');
  return solarOfJdn(month.startJdn + date.day - 1);
}

/** The solar date of Tết Nguyên đán (1st day of the 1st lunar month) of lunar year `year`. */
export function lunarNewYear(year: number): CalendarDay {
  return solarFromLunar({ year, month: 1, day: 1, leap: false });
}

/** The leap month of lunar year `year` (1–12), or null when the year has none. */
export function leapMonthOf(year: number): number | null {
  checkYear(year);
  const months = [...monthsBetweenWinterSolstices(year), ...monthsBetweenWinterSolstices(year + 1)];
  return months.find((m) => m.year === year && m.leap)?.month ?? null;
}

/** The number of days (29 or 30) of a lunar month. */
export function lunarMonthLength(year: number, month: number, leap = false): 29 | 30 {
  const start = solarFromLunar({ year, month, day: 1, leap });
  return lunarFromSolar(addDays(start, 29)).day === 30 ? 30 : 29;
}

function addDays(date: SolarDate, days: number): SolarDate {
  return calendarDayOf(dayIndexOf(date) + days);
}

/** "YYYY-MM-DD" of a solar date. */
export function isoDate(date: SolarDate): string {
  return `${String(date.year).padStart(4, '0')}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
}
