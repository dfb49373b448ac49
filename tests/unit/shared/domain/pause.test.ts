import { describe, expect, it } from 'vitest';
import { defaultWorkingRules, extendAppointmentForPause, toVietnamIso, workingTimeBetween, type WorkingRules } from '../../../../shared/domain/appointment';
import { fromVietnamParts as vn } from '../../../../shared/domain/time';
import { createWorkingCalendar } from '../../../../shared/domain/working-calendar';

const calendar = createWorkingCalendar();
const rules: WorkingRules = { ...defaultWorkingRules, isNonWorkingDay: (day) => calendar.isNonWorkingDay(day) };
const iso = (d: Date): string => toVietnamIso(d);
const HOUR = 3_600_000;

describe('workingTimeBetween', () => {
  it('counts only working periods: Friday 16:00 → Monday 09:00 is 1 h + 1 h 30', () => {
    expect(workingTimeBetween(vn(2026, 11, 20, 16, 0), vn(2026, 11, 23, 9, 0), rules)).toBe(2.5 * HOUR);
  });
  it('a pause inside the lunch break or over a weekend is zero', () => {
    expect(workingTimeBetween(vn(2026, 11, 23, 11, 40), vn(2026, 11, 23, 12, 50), rules)).toBe(0);
    expect(workingTimeBetween(vn(2026, 11, 21, 8, 0), vn(2026, 11, 22, 18, 0), rules)).toBe(0);
    expect(workingTimeBetween(vn(2026, 11, 23, 9, 0), vn(2026, 11, 23, 8, 0), rules)).toBe(0);
  });
  it('a whole working day is 8 hours', () => {
    expect(workingTimeBetween(vn(2026, 11, 23, 0, 0), vn(2026, 11, 24, 0, 0), rules)).toBe(8 * HOUR);
  });
});

describe('extendAppointmentForPause', () => {
  it('a pause over a weekend moves the appointment by the working time waited only', () => {
    // Paused Friday 16:00 → resumed Monday 09:00 = 2 h 30 of working time. Appointment Wednesday 25/11 10:00
    // (Tuesday 24/11 is Vietnamese Culture Day in the 2026 calendar, not that it matters here): 10:00 + 2 h 30
    // → 11:30 (1 h 30) then 13:00 + 1 h = 14:00.
    expect(iso(extendAppointmentForPause(vn(2026, 11, 25, 10, 0), vn(2026, 11, 20, 16, 0), vn(2026, 11, 23, 9, 0), rules))).toBe('2026-11-25T14:00:00+07:00');
  });
  it('a pause across Tết 2026 (14–22 Feb off) counts only the working hours on either side', () => {
    // Friday 13/02 15:00 → 17:00 = 2 h, then nothing until Monday 23/02 07:30 → 08:30 = 1 h: 3 h in all.
    expect(workingTimeBetween(vn(2026, 2, 13, 15, 0), vn(2026, 2, 23, 8, 30), rules)).toBe(3 * HOUR);
    expect(iso(extendAppointmentForPause(vn(2026, 2, 25, 10, 0), vn(2026, 2, 13, 15, 0), vn(2026, 2, 23, 8, 30), rules))).toBe('2026-02-25T14:30:00+07:00');
  });
  it('the extension itself skips holidays: 8 h added on the eve of Tết lands after it', () => {
    expect(iso(extendAppointmentForPause(vn(2026, 2, 13, 16, 0), vn(2026, 2, 10, 7, 30), vn(2026, 2, 10, 17, 0), rules))).toBe('2026-02-23T16:00:00+07:00');
  });
  it('a pause outside working time leaves the appointment unchanged', () => {
    const appointment = vn(2026, 11, 25, 10, 0);
    expect(extendAppointmentForPause(appointment, vn(2026, 11, 21, 8, 0), vn(2026, 11, 22, 20, 0), rules)).toEqual(appointment);
  });
});
