import { describe, expect, it } from 'vitest';
import { holidaysOf } from '../../../../shared/domain/holidays';

const datesOf = (list: readonly { date: string }[]): string[] => list.map((h) => h.date);

describe('holidaysOf (Labour Code 2019 Art. 112, by rule)', () => {
  it('2026: the eleven days plus 24 Nov, and Hùng Kings (Sunday) moved to Monday', () => {
    const h = holidaysOf(2026);
    expect(h.filter((x) => x.kind === 'holiday').map((x) => x.date)).toEqual([
      '2026-01-01',
      '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20',
      '2026-04-26', '2026-04-30', '2026-05-01',
      '2026-09-01', '2026-09-02',
      '2026-11-24',
    ]);
    expect(h.filter((x) => x.kind === 'compensatory')).toEqual([
      { date: '2026-04-27', kind: 'compensatory', reason: 'Nghỉ bù Giỗ Tổ Hùng Vương (10/3 âm lịch) trùng ngày nghỉ hằng tuần (26/04)' },
    ]);
    expect(h.find((x) => x.date === '2026-02-16')?.reason).toBe('Tết Nguyên đán (29 tháng Chạp)');
  });

  it('moves weekend holidays to the next working days, in order, skipping other holidays (2023)', () => {
    const h = holidaysOf(2023);
    // 1 Jan 2023 is a Sunday.
    expect(h.find((x) => x.date === '2023-01-02')?.kind).toBe('compensatory');
    // Tết: 30 Chạp (Sat) and mùng 1 (Sun) → Thursday 26 and Friday 27 Jan, after the Tết days.
    expect(datesOf(h.filter((x) => x.kind === 'compensatory' && x.date.startsWith('2023-01-2')))).toEqual(['2023-01-26', '2023-01-27']);
    // Hùng Kings Sat 29 Apr and 30 Apr Sun: compensated after 1 May, on 2 and 3 May (as announced for 2023).
    expect(datesOf(h.filter((x) => x.date >= '2023-04-29' && x.date <= '2023-05-03'))).toEqual(['2023-04-29', '2023-04-30', '2023-05-01', '2023-05-02', '2023-05-03']);
    // 2 Sep Saturday: adjacent Friday 1 Sep, compensatory Monday 4 Sep (as announced for 2023).
    expect(datesOf(h.filter((x) => x.date.startsWith('2023-09')))).toEqual(['2023-09-01', '2023-09-02', '2023-09-04']);
  });

  it('chooses the day adjacent to 2 September as the government did in 2021–2025', () => {
    const adjacent = (year: number): string | undefined => holidaysOf(year).find((x) => x.reason === 'Nghỉ liền kề Quốc khánh')?.date;
    expect([2021, 2022, 2023, 2024, 2025].map(adjacent)).toEqual(['2021-09-03', '2022-09-01', '2023-09-01', '2024-09-03', '2025-09-01']);
    expect(holidaysOf(2026, { nationalDayAdjacent: 'after' }).some((x) => x.date === '2026-09-03')).toBe(true);
  });

  it('Tết span: eve + 1st–4th by default, or 2 days before and 3 after', () => {
    const tet = (options = {}): string[] => datesOf(holidaysOf(2026, options).filter((x) => x.reason.startsWith('Tết Nguyên đán')));
    expect(tet()).toEqual(['2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20']);
    expect(tet({ tetDaysBeforeNewYear: 2 })).toEqual(['2026-02-15', '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19']);
  });

  it('24 November only from 2026 and only while the flag is on', () => {
    expect(holidaysOf(2025).some((x) => x.date === '2025-11-24')).toBe(false);
    expect(holidaysOf(2027).some((x) => x.date === '2027-11-24')).toBe(true);
    expect(holidaysOf(2027, { cultureDay: false }).some((x) => x.date === '2027-11-24')).toBe(false);
    // 24 Nov 2029 is a Saturday: compensated on Monday 26 Nov.
    expect(holidaysOf(2029).find((x) => x.date === '2029-11-26')?.kind).toBe('compensatory');
  });

  it('2 September on a Sunday (2029): adjacent Monday, compensatory Tuesday', () => {
    expect(holidaysOf(2029).filter((x) => x.date.startsWith('2029-09')).map((x) => [x.date, x.kind])).toEqual([
      ['2029-09-02', 'holiday'],
      ['2029-09-03', 'holiday'],
      ['2029-09-04', 'compensatory'],
    ]);
  });
});
