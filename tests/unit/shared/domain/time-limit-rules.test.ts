/**
 * The 2025 time-limit rules (Decree 118/2025 Art. 19.5–19.6) against the 2018 ones, the 2026 official
 * calendar's swapped days, and the Saturday reception schedule with both counting settings. Everything is
 * counted on the app's own working calendar (bundled 2026 data), as the desk counts it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeAppointment, defaultWorkingRules, extendAppointmentForPause, toVietnamIso, type TimeLimit, type WorkingRules } from '../../../../shared/domain/appointment';
import { holidaysOf } from '../../../../shared/domain/holidays';
import { LEGAL_BASIS_2018, LEGAL_BASIS_2025 } from '../../../../shared/domain/legal-basis';
import { fromVietnamParts as vn, toVietnamDateTime } from '../../../../shared/domain/time';
import {
  appointmentForReceipt,
  defaultSupplementWindow,
  isClosedForMissingSupplement,
  restartAppointment,
  supplementWindowEnd,
  timeLimitRulesConfigSchema,
  validateExtension,
  type ExtensionRequest,
  type ReceptionSchedule,
} from '../../../../shared/domain/time-limit-rules';
import { createWorkingCalendar } from '../../../../shared/domain/working-calendar';
import { AppError } from '../../../../shared/errors';
import { describeError } from '../../../../shared/i18n/error-messages';

const calendar = createWorkingCalendar();
const rules: WorkingRules = { ...defaultWorkingRules, isNonWorkingDay: (day) => calendar.isNonWorkingDay(day) };
const iso = (d: Date): string => toVietnamIso(d);
const days = (amount: number): TimeLimit => ({ amount, unit: 'working-days' });

function refusal(work: () => unknown): { code: string; message: string } {
  try {
    work();
  } catch (err) {
    if (err instanceof AppError) return { code: err.code, message: describeError('vi', err.code, err.details) };
    throw err;
  }
  return { code: 'no error', message: '' };
}

describe('2026 official calendar (Thông báo 9441/TB-BNV, Công văn 9859/VPCP-KGVX)', () => {
  const off = (date: string): boolean => {
    const [y, m, d] = date.split('-').map(Number);
    return calendar.isNonWorkingDay(toVietnamDateTime(vn(y ?? 0, m ?? 0, d ?? 0, 12)));
  };

  it('Tết 16–20/2, 1–2/9, Monday 31/8 off; Saturdays 22/8 and 10/1 worked; 2/1 off', () => {
    for (const date of ['2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-08-31', '2026-09-01', '2026-09-02', '2026-01-02']) expect(off(date), date).toBe(true);
    for (const date of ['2026-08-22', '2026-01-10', '2026-02-23', '2026-09-03']) expect(off(date), date).toBe(false);
    expect(calendar.nonWorkingDays(2026).makeUpWorkingDays.map((d) => d.date)).toEqual(['2026-01-10', '2026-08-22']);
  });

  it('an appointment across Tết 2026: Friday 13/2 09:00 + 3 working days is Wednesday 25/2 09:00', () => {
    expect(iso(computeAppointment(vn(2026, 2, 13, 9, 0), days(3), rules))).toBe('2026-02-25T09:00:00+07:00');
  });

  it('Saturday 22/8 counts as a working day: Friday 21/8 09:00 + 2 working days is Monday 24/8 09:00', () => {
    expect(iso(computeAppointment(vn(2026, 8, 21, 9, 0), days(2), rules))).toBe('2026-08-24T09:00:00+07:00');
    // Without the swap the Saturday would not count.
    const rulesOnly = createWorkingCalendar({ builtIn: false });
    expect(iso(computeAppointment(vn(2026, 8, 21, 9, 0), days(2), { ...rules, isNonWorkingDay: (d) => rulesOnly.isNonWorkingDay(d) }))).toBe('2026-08-25T09:00:00+07:00');
  });

  it('the National Day break 29/8–2/9: Thursday 27/8 09:00 + 3 working days is Friday 4/9 09:00', () => {
    expect(iso(computeAppointment(vn(2026, 8, 27, 9, 0), days(3), rules))).toBe('2026-09-04T09:00:00+07:00');
  });
});

describe('24/11 (Ngày Văn hóa Việt Nam) on a weekend: compensation is a setting', () => {
  // 24/11/2029 is a Saturday.
  it('default: Monday 26/11/2029 is a compensatory day off; with cultureDayCompensated false it is worked', () => {
    expect(holidaysOf(2029).find((h) => h.date === '2029-11-26')).toMatchObject({ kind: 'compensatory' });
    expect(holidaysOf(2029, { cultureDayCompensated: false }).map((h) => h.date)).toContain('2029-11-24');
    expect(holidaysOf(2029, { cultureDayCompensated: false }).map((h) => h.date)).not.toContain('2029-11-26');
    const notCompensated = createWorkingCalendar({ holidayOptions: { cultureDayCompensated: false } });
    expect(notCompensated.isNonWorkingDay(toVietnamDateTime(vn(2029, 11, 26, 12)))).toBe(false);
    expect(calendar.isNonWorkingDay(toVietnamDateTime(vn(2029, 11, 26, 12)))).toBe(true);
  });

  it('the configuration defaults name each UNCONFIRMED choice', () => {
    expect(timeLimitRulesConfigSchema.parse({})).toEqual({
      supplementWindow: { amount: 15, unit: 'days' },
      extensionNoticeDays: 1,
      reception: { saturday: 'none', saturdayProcedures: [], saturdayReceiptCounts: 'next-working-day' },
      cultureDayCompensated: true,
    });
  });
});

describe('supplement: the 2025 restart against the 2018 pause', () => {
  // Received Monday 2/11/2026 09:00, 5 working days → Monday 9/11 09:00. Supplement requested Wednesday 4/11
  // 10:00, the completed dossier received Thursday 5/11 14:00.
  const received = vn(2026, 11, 2, 9, 0);
  const firstAppointment = computeAppointment(received, days(5), rules);
  const requested = vn(2026, 11, 4, 10, 0);
  const completed = vn(2026, 11, 5, 14, 0);

  it('2025: the full 5 working days count again from the completed receipt (Thursday 12/11 14:00)', () => {
    expect(iso(firstAppointment)).toBe('2026-11-09T09:00:00+07:00');
    expect(iso(restartAppointment(completed, days(5), rules))).toBe('2026-11-12T14:00:00+07:00');
  });

  it('2018: the appointment moves by the 10 h 30 of working time waited (Tuesday 10/11 11:30)', () => {
    expect(iso(extendAppointmentForPause(firstAppointment, requested, completed, rules))).toBe('2026-11-10T11:30:00+07:00');
  });

  it('property: a restart is never before the completed receipt + the full limit, never on a day off', () => {
    const start = vn(2026, 1, 1, 0, 0).getTime();
    const span = vn(2027, 12, 31, 0, 0).getTime() - start;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: span }), fc.integer({ min: 1, max: 30 }), (offset, amount) => {
        const at = new Date(start + offset);
        const restarted = restartAppointment(at, days(amount), rules);
        // At least `amount` whole working days of 8 h lie between the receipt and the new appointment.
        expect(restarted.getTime() - at.getTime()).toBeGreaterThanOrEqual(amount * 8 * 3_600_000);
        expect(calendar.isNonWorkingDay(toVietnamDateTime(restarted))).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});

describe('supplement window: a 2025 dossier not supplemented within 15 days is closed', () => {
  const requested = vn(2026, 11, 4, 10, 0);

  it('15 calendar days by default: open until the end of Thursday 19/11, closed after', () => {
    expect(iso(supplementWindowEnd(requested, defaultSupplementWindow, rules))).toBe('2026-11-19T17:00:00+07:00');
    expect(isClosedForMissingSupplement(LEGAL_BASIS_2025, requested, vn(2026, 11, 19, 16, 59), defaultSupplementWindow, rules)).toBe(false);
    expect(isClosedForMissingSupplement(LEGAL_BASIS_2025, requested, vn(2026, 11, 19, 17, 1), defaultSupplementWindow, rules)).toBe(true);
  });

  it('the last day on a day off moves to the next working day; 15 working days when so configured', () => {
    // Requested Friday 9/1/2026: + 15 days = Saturday 24/1 → Monday 26/1.
    expect(iso(supplementWindowEnd(vn(2026, 1, 9, 9, 0), defaultSupplementWindow, rules))).toBe('2026-01-26T17:00:00+07:00');
    // 15 working days from Wednesday 4/11 10:00 skip weekends and Tuesday 24/11 → Thursday 26/11 10:00.
    expect(iso(supplementWindowEnd(requested, { amount: 15, unit: 'working-days' }, rules))).toBe('2026-11-26T10:00:00+07:00');
  });

  it('a 2018 dossier is never closed this way (its clock is only paused)', () => {
    expect(isClosedForMissingSupplement(LEGAL_BASIS_2018, requested, vn(2027, 6, 1, 9, 0), defaultSupplementWindow, rules)).toBe(false);
  });
});

describe('extension (Art. 19.6): at least 1 day before, a chosen working day, at most once', () => {
  const appointmentAt = vn(2026, 11, 26, 9, 0); // Thursday
  const base: ExtensionRequest = { basis: LEGAL_BASIS_2025, appointmentAt, proposedAt: vn(2026, 11, 25, 16, 0), newDate: '2026-11-30', extensionsSoFar: 0, noticeDays: 1 };

  it('proposed the day before: the new appointment is the end of the chosen working day', () => {
    expect(iso(validateExtension(base, rules))).toBe('2026-11-30T17:00:00+07:00');
  });

  it('proposed on the deadline day: refused, naming the deadline and the last day allowed', () => {
    const refused = refusal(() => validateExtension({ ...base, proposedAt: vn(2026, 11, 26, 7, 45) }, rules));
    expect(refused.code).toBe('EXTENSION_TOO_LATE');
    expect(refused.message).toContain('hạn giải quyết là ngày 26/11/2026');
    expect(refused.message).toContain('chậm nhất ngày 25/11/2026');
    // After the deadline too.
    expect(refusal(() => validateExtension({ ...base, proposedAt: vn(2026, 11, 27, 9, 0) }, rules)).code).toBe('EXTENSION_TOO_LATE');
  });

  it('a second extension of a 2025 dossier is refused with a clear message', () => {
    const refused = refusal(() => validateExtension({ ...base, extensionsSoFar: 1 }, rules));
    expect(refused.code).toBe('EXTENSION_ALREADY_USED');
    expect(refused.message).toContain('chỉ được điều chỉnh tối đa một lần');
  });

  it('the new date must be a working day after the old appointment', () => {
    expect(refusal(() => validateExtension({ ...base, newDate: '2026-11-26' }, rules)).code).toBe('EXTENSION_DATE_INVALID');
    const weekend = refusal(() => validateExtension({ ...base, newDate: '2026-11-28' }, rules));
    expect(weekend).toMatchObject({ code: 'EXTENSION_DATE_INVALID' });
    expect(weekend.message).toContain('không phải ngày làm việc');
    expect(refusal(() => validateExtension({ ...base, newDate: '2026-02-30' }, rules)).code).toBe('EXTENSION_DATE_INVALID');
    // Tết 2027 days are not working days either (rule-based: 5–9 Feb 2027).
    expect(refusal(() => validateExtension({ ...base, appointmentAt: vn(2027, 2, 1, 9, 0), proposedAt: vn(2027, 1, 28, 9, 0), newDate: '2027-02-08' }, rules)).code).toBe('EXTENSION_DATE_INVALID');
  });

  it('a 2018 dossier keeps its rule: no 1-day-before limit (a late apology is still written), but no date in the past', () => {
    expect(iso(validateExtension({ ...base, basis: LEGAL_BASIS_2018, proposedAt: vn(2026, 11, 27, 9, 0) }, rules))).toBe('2026-11-30T17:00:00+07:00');
    expect(refusal(() => validateExtension({ ...base, basis: LEGAL_BASIS_2018, proposedAt: vn(2026, 12, 2, 9, 0) }, rules)).message).toContain('phải sau ngày hôm nay');
  });

  it('property: an accepted new appointment is on a working day, after the old one', () => {
    const first = vn(2026, 1, 5, 0, 0).getTime();
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 700 }), fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 10 }), (dayOffset, ahead, noticeAhead) => {
        const old = new Date(first + dayOffset * 86_400_000 + 9 * 3_600_000);
        const chosen = new Date(old.getTime() + ahead * 86_400_000);
        const newDate = toVietnamIso(chosen).slice(0, 10);
        const request = { ...base, appointmentAt: old, proposedAt: new Date(old.getTime() - noticeAhead * 86_400_000), newDate };
        const outcome = refusal(() => validateExtension(request, rules));
        if (calendar.isNonWorkingDay(toVietnamDateTime(chosen))) {
          expect(outcome.code).toBe('EXTENSION_DATE_INVALID');
          return;
        }
        expect(outcome.code).toBe('no error');
        const accepted = validateExtension(request, rules);
        expect(accepted.getTime()).toBeGreaterThan(old.getTime());
        expect(calendar.isNonWorkingDay(toVietnamDateTime(accepted))).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});

describe('Saturday reception: a schedule of its own, two ways to count a Saturday receipt', () => {
  const saturday = vn(2026, 11, 28, 9, 0); // Saturday 28/11/2026, not a working day
  const morning = (counts: ReceptionSchedule['saturdayReceiptCounts']): ReceptionSchedule => ({ saturday: 'morning', saturdayProcedures: [], saturdayReceiptCounts: counts });
  const fullDay = (counts: ReceptionSchedule['saturdayReceiptCounts']): ReceptionSchedule => ({ saturday: 'full-day', saturdayProcedures: [], saturdayReceiptCounts: counts });

  it("'next-working-day': counted from Monday's opening (07:30) — 3 working days → Wednesday 2/12 at closing", () => {
    expect(iso(appointmentForReceipt(saturday, days(3), '1.001', morning('next-working-day'), rules))).toBe('2026-12-02T17:00:00+07:00');
  });

  it("'from-saturday', mornings: the morning's 2 h 30 count, the rest from Monday → Wednesday 2/12 14:30", () => {
    // 24 h of working time: Saturday 09:00–11:30 = 2 h 30; Mon 8 h, Tue 8 h → 5 h 30 left on Wednesday: 07:30–11:30 4 h, 13:00–14:30.
    expect(iso(appointmentForReceipt(saturday, days(3), '1.001', morning('from-saturday'), rules))).toBe('2026-12-02T14:30:00+07:00');
  });

  it("'from-saturday', full day: the whole Saturday's periods count (6 h 30) → Wednesday 2/12 09:00", () => {
    // 24 h: Saturday 09:00–11:30 + 13:00–17:00 = 6 h 30; Mon 8, Tue 8 → 1 h 30 on Wednesday from 07:30.
    expect(iso(appointmentForReceipt(saturday, days(3), '1.001', fullDay('from-saturday'), rules))).toBe('2026-12-02T09:00:00+07:00');
  });

  it('a same-day procedure received on a Saturday morning: due at the morning close, or on Monday', () => {
    expect(iso(appointmentForReceipt(saturday, days(0), '1.001', morning('from-saturday'), rules))).toBe('2026-11-28T11:30:00+07:00');
    expect(iso(appointmentForReceipt(saturday, days(0), '1.001', morning('next-working-day'), rules))).toBe('2026-11-30T17:00:00+07:00');
  });

  it('only the procedures chosen for Saturdays; a make-up Saturday is an ordinary working day', () => {
    const chosen: ReceptionSchedule = { ...morning('from-saturday'), saturdayProcedures: ['1.002'] };
    // Not chosen: counted as the calendar says (from Monday morning).
    expect(iso(appointmentForReceipt(saturday, days(3), '1.001', chosen, rules))).toBe('2026-12-02T17:00:00+07:00');
    expect(iso(appointmentForReceipt(saturday, days(3), '1.002', chosen, rules))).toBe('2026-12-02T14:30:00+07:00');
    // Saturday 22/8/2026 is worked: the full day counts whatever the schedule says.
    const makeUp = vn(2026, 8, 22, 9, 0);
    expect(iso(appointmentForReceipt(makeUp, days(1), '1.001', morning('next-working-day'), rules))).toBe(iso(computeAppointment(makeUp, days(1), rules)));
  });

  it('property: whatever the setting, the appointment is on a working day and not before the untouched count minus the Saturday', () => {
    const first = vn(2026, 1, 3, 0, 0).getTime(); // a Saturday
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 7 * 60, max: 17 * 60 }),
        fc.integer({ min: 0, max: 20 }),
        fc.constantFrom<ReceptionSchedule['saturday']>('morning', 'full-day'),
        fc.constantFrom<ReceptionSchedule['saturdayReceiptCounts']>('next-working-day', 'from-saturday'),
        (week, minute, amount, saturdayKind, counts) => {
          const at = new Date(first + week * 7 * 86_400_000 + minute * 60_000);
          const schedule: ReceptionSchedule = { saturday: saturdayKind, saturdayProcedures: [], saturdayReceiptCounts: counts };
          const due = appointmentForReceipt(at, days(amount), '1.001', schedule, rules);
          expect(due.getTime()).toBeGreaterThan(at.getTime());
          const dueDay = toVietnamDateTime(due);
          const onReceiptSaturday = dueDay.dayIndex === toVietnamDateTime(at).dayIndex;
          expect(onReceiptSaturday || !calendar.isNonWorkingDay(dueDay)).toBe(true);
          // Counting from the Saturday never gives a later date than counting from Monday.
          if (counts === 'from-saturday') {
            const fromMonday = appointmentForReceipt(at, days(amount), '1.001', { ...schedule, saturdayReceiptCounts: 'next-working-day' }, rules);
            expect(due.getTime()).toBeLessThanOrEqual(fromMonday.getTime());
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
