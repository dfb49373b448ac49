import { describe, expect, it } from 'vitest';
import { computeAppointment, defaultWorkingRules, toVietnamIso, type WorkingRules } from '../../../../shared/domain/appointment';
import { createWorkingCalendar, parseYearCalendars, type YearCalendarInput } from '../../../../shared/domain/working-calendar';
import { fromVietnamParts, type CalendarDay } from '../../../../shared/domain/time';
import { AppError } from '../../../../shared/errors';

const day = (iso: string): CalendarDay => {
  const d = new Date(`${iso}T00:00:00Z`);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), weekday: d.getUTCDay() };
};

const rulesWith = (calendar: ReturnType<typeof createWorkingCalendar>): WorkingRules => ({ ...defaultWorkingRules, isNonWorkingDay: (d) => calendar.isNonWorkingDay(d) });

describe('createWorkingCalendar', () => {
  const official = createWorkingCalendar();
  const rulesOnly = createWorkingCalendar({ builtIn: false });

  it('2026 official data: Friday 2 Jan off, Saturday 10 Jan worked', () => {
    expect(official.isNonWorkingDay(day('2026-01-02'))).toBe(true);
    expect(official.isNonWorkingDay(day('2026-01-10'))).toBe(false);
    expect(official.isNonWorkingDay(day('2026-01-17'))).toBe(true);
    expect(official.nonWorkingDays(2026)).toMatchObject({ source: 'official', makeUpWorkingDays: [{ date: '2026-01-10' }, { date: '2026-08-22' }] });
    // Without the official data, the rules know neither the swap nor the make-up Saturday.
    expect(rulesOnly.isNonWorkingDay(day('2026-01-02'))).toBe(false);
    expect(rulesOnly.isNonWorkingDay(day('2026-01-10'))).toBe(true);
    expect(rulesOnly.nonWorkingDays(2026).source).toBe('rules');
  });

  it('the 2026 Tết break is 9 days, Saturday 14 to Sunday 22 February', () => {
    const off: string[] = [];
    for (let d = 10; d <= 26; d++) {
      const iso = `2026-02-${String(d).padStart(2, '0')}`;
      if (official.isNonWorkingDay(day(iso))) off.push(iso);
    }
    expect(off).toEqual(['2026-02-14', '2026-02-15', '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-02-21', '2026-02-22']);
  });

  it('lists only weekdays as non-working days, and uses the rules for years without data', () => {
    const year2027 = official.nonWorkingDays(2027);
    expect(year2027.source).toBe('rules');
    for (const entry of year2027.nonWorkingDays) expect([0, 6]).not.toContain(day(entry.date).weekday);
    // Hùng Kings 2027 is Friday 16 Apr.
    expect(year2027.nonWorkingDays).toContainEqual({ date: '2027-04-16', reason: 'Giỗ Tổ Hùng Vương (10/3 âm lịch)' });
  });

  it('a loaded calendar overrides the rules and the built-in data for its year', () => {
    const loaded: YearCalendarInput = {
      year: 2027,
      source: 'test',
      daysOff: [{ date: '2027-02-05', reason: 'Tết Nguyên đán (29 tháng Chạp)' }],
      makeUpWorkingDays: [{ date: '2027-02-20', reason: 'Làm bù' }],
    };
    const calendar = createWorkingCalendar({ official: parseYearCalendars(loaded) });
    expect(calendar.isNonWorkingDay(day('2027-02-05'))).toBe(true);
    expect(calendar.isNonWorkingDay(day('2027-02-08'))).toBe(false); // a rule-based Tết day, not in the data
    expect(calendar.isNonWorkingDay(day('2027-02-20'))).toBe(false);
    expect(calendar.isNonWorkingDay(day('2026-01-02'))).toBe(true); // 2026 still from the built-in data
  });

  it('malformed calendar data is a CALENDAR_DATA_INVALID naming the problem', () => {
    const issueOf = (data: unknown): string => {
      try {
        parseYearCalendars(data);
      } catch (err) {
        if (err instanceof AppError && err.code === 'CALENDAR_DATA_INVALID') return String(err.details.issue);
        throw err;
      }
      throw new Error('accepted');
    };
    const base = { year: 2027, source: 'x', daysOff: [] };
    expect(issueOf({ ...base, daysOff: [{ date: '2027-02-30', reason: 'x' }] })).toContain('ngày không tồn tại');
    expect(issueOf({ ...base, daysOff: [{ date: '2028-01-01', reason: 'x' }] })).toContain('không thuộc năm 2027');
    expect(issueOf({ ...base, makeUpWorkingDays: [{ date: '2027-01-11', reason: 'x' }] })).toContain('không phải thứ Bảy hoặc Chủ nhật');
    expect(issueOf({ ...base, daysOff: [{ date: '2027-01-01', reason: '' }] })).toContain('thiếu lý do');
    expect(issueOf([base, base])).toContain('năm 2027 được khai báo hai lần');
    expect(issueOf([{ ...base, year: 'x' }])).toContain('0.year');
    expect(issueOf('nonsense')).toBeTruthy();
  });
});

describe('computeAppointment on the Vietnamese working calendar', () => {
  const rules = rulesWith(createWorkingCalendar());

  it('received the Friday before Tết 2026 with 3 working days: due after the break', () => {
    const due = computeAppointment(fromVietnamParts(2026, 2, 13, 9, 0), { amount: 3, unit: 'working-days' }, rules);
    expect(toVietnamIso(due)).toBe('2026-02-25T09:00:00+07:00');
    // Weekends only: Wednesday 18 Feb, in the middle of Tết.
    expect(toVietnamIso(computeAppointment(fromVietnamParts(2026, 2, 13, 9, 0), { amount: 3, unit: 'working-days' }))).toBe('2026-02-18T09:00:00+07:00');
  });

  it('counts the make-up Saturday 10 Jan 2026 as a working day and skips Friday 2 Jan', () => {
    expect(toVietnamIso(computeAppointment(fromVietnamParts(2026, 1, 9, 16, 0), { amount: 1, unit: 'working-days' }, rules))).toBe('2026-01-10T16:00:00+07:00');
    expect(toVietnamIso(computeAppointment(fromVietnamParts(2025, 12, 31, 10, 0), { amount: 1, unit: 'working-days' }, rules))).toBe('2026-01-05T10:00:00+07:00');
  });

  it('calendar days ending on a holiday move to the next working day (Hùng Kings compensated 27 Apr 2026)', () => {
    expect(toVietnamIso(computeAppointment(fromVietnamParts(2026, 4, 17, 9, 0), { amount: 10, unit: 'days' }, rules))).toBe('2026-04-28T17:00:00+07:00');
  });
});
