import { describe, expect, it } from 'vitest';
import {
  computeAppointment,
  defaultWorkingRules,
  formatTimeLimit,
  formatVietnamDateTime,
  isWeekend,
  toVietnamIso,
  type WorkingRules,
} from '../../../../shared/domain/appointment';
import { fromVietnamParts } from '../../../../shared/domain/time';
import { AppError } from '../../../../shared/errors';

// November 2026: Fri 20, Sat 21, Sun 22, Mon 23, Tue 24. All times are Vietnam wall-clock (UTC+7).
const vn = fromVietnamParts;
const iso = (d: Date): string => toVietnamIso(d);

describe('computeAppointment — working days', () => {
  it('Friday afternoon + 1 working day → Monday, same clock time', () => {
    expect(iso(computeAppointment(vn(2026, 11, 20, 14, 0), { amount: 1, unit: 'working-days' }))).toBe('2026-11-23T14:00:00+07:00');
  });

  it('a Saturday receipt starts counting Monday morning', () => {
    expect(iso(computeAppointment(vn(2026, 11, 21, 9, 30), { amount: 1, unit: 'working-days' }))).toBe('2026-11-23T17:00:00+07:00');
    expect(iso(computeAppointment(vn(2026, 11, 21, 9, 30), { amount: 3, unit: 'working-days' }))).toBe('2026-11-25T17:00:00+07:00');
  });

  it('after 17:00 counts from the next working morning', () => {
    expect(iso(computeAppointment(vn(2026, 11, 23, 17, 30), { amount: 1, unit: 'working-days' }))).toBe('2026-11-24T17:00:00+07:00');
    expect(iso(computeAppointment(vn(2026, 11, 20, 17, 0), { amount: 1, unit: 'working-days' }))).toBe('2026-11-23T17:00:00+07:00');
  });

  it('skips the lunch break and starts at opening time when received early', () => {
    // 12:00 (lunch) → clock starts 13:00: 4 h that afternoon + 4 h the next morning, due at 11:30 (not 13:00).
    expect(iso(computeAppointment(vn(2026, 11, 23, 12, 0), { amount: 1, unit: 'working-days' }))).toBe('2026-11-24T11:30:00+07:00');
    expect(iso(computeAppointment(vn(2026, 11, 23, 6, 45), { amount: 1, unit: 'working-days' }))).toBe('2026-11-23T17:00:00+07:00');
  });

  it('ignores the machine time zone: the same instant gives the same appointment', () => {
    const received = new Date('2026-11-20T07:00:00Z'); // 14:00 in Vietnam
    expect(iso(computeAppointment(received, { amount: 1, unit: 'working-days' }))).toBe('2026-11-23T14:00:00+07:00');
  });
});

describe('computeAppointment — same-day procedures (0 working days)', () => {
  const sameDay = { amount: 0, unit: 'working-days' } as const;

  it('before the 15:00 cut-off: end of the receiving day', () => {
    expect(iso(computeAppointment(vn(2026, 11, 23, 9, 10), sameDay))).toBe('2026-11-23T17:00:00+07:00');
    expect(iso(computeAppointment(vn(2026, 11, 23, 15, 0, 45), sameDay))).toBe('2026-11-23T17:00:00+07:00');
  });

  it('after the cut-off: end of the next working day (Friday → Monday)', () => {
    expect(iso(computeAppointment(vn(2026, 11, 23, 15, 1), sameDay))).toBe('2026-11-24T17:00:00+07:00');
    expect(iso(computeAppointment(vn(2026, 11, 20, 16, 30), sameDay))).toBe('2026-11-23T17:00:00+07:00');
  });

  it('on a weekend: end of the next working day', () => {
    expect(iso(computeAppointment(vn(2026, 11, 22, 10, 0), sameDay))).toBe('2026-11-23T17:00:00+07:00');
  });

  it('uses a configured cut-off', () => {
    const rules: WorkingRules = { ...defaultWorkingRules, sameDayCutoff: '16:00' };
    expect(iso(computeAppointment(vn(2026, 11, 23, 15, 30), sameDay, rules))).toBe('2026-11-23T17:00:00+07:00');
  });
});

describe('computeAppointment — calendar days and hours', () => {
  it("'days' counts calendar days and moves a weekend deadline to the next working day", () => {
    expect(iso(computeAppointment(vn(2026, 11, 23, 10, 0), { amount: 3, unit: 'days' }))).toBe('2026-11-26T17:00:00+07:00');
    // Friday + 1 day = Saturday → Monday.
    expect(iso(computeAppointment(vn(2026, 11, 20, 10, 0), { amount: 1, unit: 'days' }))).toBe('2026-11-23T17:00:00+07:00');
  });

  it("'hours' counts working hours across the lunch break and the weekend", () => {
    expect(iso(computeAppointment(vn(2026, 11, 23, 10, 30), { amount: 4, unit: 'hours' }))).toBe('2026-11-23T16:00:00+07:00');
    expect(iso(computeAppointment(vn(2026, 11, 20, 16, 0), { amount: 2, unit: 'hours' }))).toBe('2026-11-23T08:30:00+07:00');
  });
});

describe('working rules', () => {
  it('lets a holiday calendar plug in through isNonWorkingDay', () => {
    // The app plugs in createWorkingCalendar (working-calendar.ts); here a plain rule: Tuesday 24 Nov 2026 off.
    const rules: WorkingRules = {
      ...defaultWorkingRules,
      isNonWorkingDay: (day) => isWeekend(day) || (day.year === 2026 && day.month === 11 && day.day === 24),
    };
    expect(iso(computeAppointment(vn(2026, 11, 23, 14, 0), { amount: 1, unit: 'working-days' }, rules))).toBe('2026-11-25T14:00:00+07:00');
    expect(iso(computeAppointment(vn(2026, 11, 23, 16, 0), { amount: 0, unit: 'working-days' }, rules))).toBe('2026-11-25T17:00:00+07:00');
  });

  it('rejects invalid rules with WORKING_RULES_INVALID', () => {
    const bad: WorkingRules[] = [
      { ...defaultWorkingRules, periods: [] },
      { ...defaultWorkingRules, periods: [{ start: '13:00', end: '11:00' }] },
      { ...defaultWorkingRules, periods: [{ start: '07:30', end: '12:00' }, { start: '11:00', end: '17:00' }] },
      { ...defaultWorkingRules, sameDayCutoff: '3pm' },
      { ...defaultWorkingRules, isNonWorkingDay: () => true },
    ];
    for (const rules of bad) {
      const limit = { amount: rules.sameDayCutoff === '3pm' ? 0 : 1, unit: 'working-days' } as const;
      expect(() => computeAppointment(vn(2026, 11, 23, 9, 0), limit, rules)).toThrow(AppError);
      try {
        computeAppointment(vn(2026, 11, 23, 9, 0), limit, rules);
      } catch (err) {
        expect((err as AppError).code).toBe('WORKING_RULES_INVALID');
      }
    }
  });
});

describe('formatting', () => {
  it('prints the receipt wording in Vietnam time', () => {
    expect(formatVietnamDateTime(new Date('2026-11-23T07:05:00Z'))).toBe('14 giờ 05 phút, ngày 23/11/2026');
    expect(formatVietnamDateTime(new Date('2026-11-23T17:00:00Z'))).toBe('00 giờ 00 phút, ngày 24/11/2026');
    expect(toVietnamIso(new Date('2026-11-23T07:05:09.123Z'))).toBe('2026-11-23T14:05:09+07:00');
  });

  it('prints time limits as on the form', () => {
    expect(formatTimeLimit({ amount: 3, unit: 'working-days' })).toBe('03 ngày làm việc');
    expect(formatTimeLimit({ amount: 0, unit: 'working-days' })).toBe('Trong ngày (tiếp nhận sau 15 giờ thì trả trong ngày làm việc tiếp theo)');
    expect(formatTimeLimit({ amount: 15, unit: 'days' })).toBe('15 ngày');
    expect(formatTimeLimit({ amount: 4, unit: 'hours' })).toBe('04 giờ làm việc');
  });
});
