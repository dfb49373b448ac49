import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../shared/errors';
import { isoDate, leapMonthOf, lunarFromSolar, lunarMonthLength, lunarNewYear, solarFromLunar } from '../../../../shared/domain/lunar';

/**
 * Tết (1/1 lunar) and Giỗ Tổ Hùng Vương (10/3 lunar) in Vietnam, 2020–2035.
 * Sources: 2020–2026 — the government's yearly holiday announcements as reported in the press (e.g. Tết
 * Bính Ngọ 17/02/2026 and Hùng Kings Sunday 26/04/2026: congan.com.vn, thanhnien.vn 23/02/2026); 2027–2035 —
 * published Vietnamese almanac tables (lịch vạn niên, Hồ Ngọc Đức's UTC+7 calendar tables). 2030 is a year
 * where Vietnam (2 Feb, new moon 23:07 UTC+7) is a day ahead of China (3 Feb).
 */
const published: readonly (readonly [year: number, tet: string, hungKings: string])[] = [
  [2020, '2020-01-25', '2020-04-02'],
  [2021, '2021-02-12', '2021-04-21'],
  [2022, '2022-02-01', '2022-04-10'],
  [2023, '2023-01-22', '2023-04-29'],
  [2024, '2024-02-10', '2024-04-18'],
  [2025, '2025-01-29', '2025-04-07'],
  [2026, '2026-02-17', '2026-04-26'],
  [2027, '2027-02-06', '2027-04-16'],
  [2028, '2028-01-26', '2028-04-04'],
  [2029, '2029-02-13', '2029-04-23'],
  [2030, '2030-02-02', '2030-04-12'],
  [2031, '2031-01-23', '2031-04-01'],
  [2032, '2032-02-11', '2032-04-19'],
  [2033, '2033-01-31', '2033-04-09'],
  [2034, '2034-02-19', '2034-04-28'],
  [2035, '2035-02-08', '2035-04-17'],
];

describe('Vietnamese lunar calendar (UTC+7)', () => {
  it.each(published)('%i: Tết %s, Hùng Kings %s', (year, tet, hungKings) => {
    expect(isoDate(lunarNewYear(year))).toBe(tet);
    expect(isoDate(solarFromLunar({ year, month: 3, day: 10, leap: false }))).toBe(hungKings);
  });

  it('Tết 1985 is 21 Jan in Vietnam (China: 20 Feb), with the leap month in month 2 instead of China\'s leap 10 of 1984', () => {
    expect(isoDate(lunarNewYear(1985))).toBe('1985-01-21');
    expect(leapMonthOf(1985)).toBe(2);
    expect(leapMonthOf(1984)).toBeNull();
    // 20 Feb 1985, China's New Year's day, is the 1st of the 2nd month in Vietnam.
    expect(lunarFromSolar({ year: 1985, month: 2, day: 20 })).toEqual({ year: 1985, month: 2, day: 1, leap: false });
  });

  it('Tết 2007 is 17 Feb in Vietnam (China: 18 Feb): the new moon fell at 23:14 UTC+7', () => {
    expect(isoDate(lunarNewYear(2007))).toBe('2007-02-17');
    expect(lunarFromSolar({ year: 2007, month: 2, day: 17 })).toEqual({ year: 2007, month: 1, day: 1, leap: false });
    expect(lunarFromSolar({ year: 2007, month: 2, day: 16 })).toEqual({ year: 2006, month: 12, day: 29, leap: false });
  });

  it('knows leap months: 2020 leap 4, 2023 leap 2, 2025 leap 6, 2033 leap 11', () => {
    expect([2020, 2023, 2025, 2026, 2033].map(leapMonthOf)).toEqual([4, 2, 6, null, 11]);
    const leapFourth = solarFromLunar({ year: 2020, month: 4, day: 1, leap: true });
    expect(isoDate(leapFourth)).toBe('2020-05-23');
    expect(lunarFromSolar(leapFourth)).toEqual({ year: 2020, month: 4, day: 1, leap: true });
  });

  it('round-trips every day from 2019 to 2036', () => {
    let previous = lunarFromSolar({ year: 2018, month: 12, day: 31 });
    for (let t = Date.UTC(2019, 0, 1); t <= Date.UTC(2036, 11, 31); t += 86_400_000) {
      const d = new Date(t);
      const solar = { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
      const lunar = lunarFromSolar(solar);
      expect(isoDate(solarFromLunar(lunar))).toBe(isoDate(solar));
      // Consecutive days: the next day of the month, or day 1 after day 29/30.
      expect(lunar.day === previous.day + 1 || (lunar.day === 1 && previous.day >= 29)).toBe(true);
      previous = lunar;
    }
  });

  it('2026: the last month of Ất Tỵ has 29 days, so 16 Feb 2026 is 29 tháng Chạp', () => {
    expect(lunarMonthLength(2025, 12)).toBe(29);
    expect(lunarFromSolar({ year: 2026, month: 2, day: 14 })).toEqual({ year: 2025, month: 12, day: 27, leap: false });
  });

  it('refuses lunar dates that do not exist and years out of range', () => {
    const codeOf = (fn: () => unknown): string | undefined => {
      try {
        fn();
      } catch (err) {
        return err instanceof AppError ? err.code : 'not an AppError';
      }
      return undefined;
    };
    expect(codeOf(() => solarFromLunar({ year: 2026, month: 4, day: 1, leap: true }))).toBe('LUNAR_DATE_INVALID');
    expect(codeOf(() => solarFromLunar({ year: 2025, month: 12, day: 30, leap: false }))).toBe('LUNAR_DATE_INVALID');
    expect(codeOf(() => solarFromLunar({ year: 2025, month: 13, day: 1, leap: false }))).toBe('LUNAR_DATE_INVALID');
    expect(codeOf(() => lunarNewYear(1800))).toBe('CALENDAR_YEAR_OUT_OF_RANGE');
  });
});
