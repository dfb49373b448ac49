import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeForm07a, form07aOutcome, submissionChannels, type Form07aDossier } from '../../../../shared/domain/form-07a';

const at = (iso: string) => new Date(iso);
/** November 2026 in Vietnam time. */
const period = { from: at('2026-11-01T00:00:00+07:00'), to: at('2026-11-30T23:59:59+07:00') };
const now = at('2026-12-06T10:00:00+07:00');

const dossier = (over: Partial<Form07aDossier> = {}): Form07aDossier => ({
  group: 'Hộ tịch',
  channel: 'in-person',
  receivedAt: at('2026-11-10T09:00:00+07:00'),
  appointmentAt: at('2026-11-13T16:00:00+07:00'),
  ...over,
});

describe('form 07a outcome of one dossier', () => {
  it('counts a result returned exactly at the appointment as on time', () => {
    expect(form07aOutcome(dossier({ finishedAt: at('2026-11-13T16:00:00+07:00') }), period, now)).toBe('on-time');
  });

  it('counts the appointment day before its hour as on time, an earlier day as before time, a second later as after time', () => {
    expect(form07aOutcome(dossier({ finishedAt: at('2026-11-13T08:00:00+07:00') }), period, now)).toBe('on-time');
    expect(form07aOutcome(dossier({ finishedAt: at('2026-11-12T17:00:00+07:00') }), period, now)).toBe('early');
    expect(form07aOutcome(dossier({ finishedAt: at('2026-11-13T16:00:01+07:00') }), period, now)).toBe('late');
  });

  it('judges the appointment day in Vietnam time, not UTC', () => {
    // 23:30 on the 12th in Vietnam is 16:30 UTC on the 12th; the appointment is on the 13th (Vietnam): a day early.
    expect(form07aOutcome(dossier({ appointmentAt: at('2026-11-13T06:00:00+07:00'), finishedAt: at('2026-11-12T23:30:00+07:00') }), period, now)).toBe('early');
    // 00:30 on the 13th in Vietnam is still the 12th in UTC: on the appointment's day.
    expect(form07aOutcome(dossier({ appointmentAt: at('2026-11-13T06:00:00+07:00'), finishedAt: at('2026-11-13T00:30:00+07:00') }), period, now)).toBe('on-time');
  });

  it('judges an extended dossier against its new date', () => {
    // Extended from the 13th to the 20th (the appointment in force), resolved on the 18th: before time.
    expect(form07aOutcome(dossier({ appointmentAt: at('2026-11-20T16:00:00+07:00'), finishedAt: at('2026-11-18T10:00:00+07:00') }), period, now)).toBe('early');
  });

  it('puts a stopped or withdrawn dossier in its own column, and leaves out one stopped before the period', () => {
    expect(form07aOutcome(dossier({ stoppedAt: at('2026-11-11T10:00:00+07:00') }), period, now)).toBe('stopped');
    expect(form07aOutcome(dossier({ receivedAt: at('2026-10-01T09:00:00+07:00'), stoppedAt: at('2026-10-05T10:00:00+07:00') }), period, now)).toBeNull();
    // Stopped after the period: still in progress at its end.
    expect(form07aOutcome(dossier({ stoppedAt: at('2026-12-02T10:00:00+07:00') }), period, now)).toBe('overdue');
  });

  it('leaves out dossiers received after the period and those resolved before it', () => {
    expect(form07aOutcome(dossier({ receivedAt: at('2026-12-01T00:00:00+07:00') }), period, now)).toBeNull();
    expect(form07aOutcome(dossier({ receivedAt: at('2026-10-01T09:00:00+07:00'), appointmentAt: at('2026-10-03T09:00:00+07:00'), finishedAt: at('2026-10-02T09:00:00+07:00') }), period, now)).toBeNull();
  });

  it('counts a dossier resolved after the period as in progress at the period end', () => {
    expect(form07aOutcome(dossier({ appointmentAt: at('2026-12-03T16:00:00+07:00'), finishedAt: at('2026-12-02T10:00:00+07:00') }), period, now)).toBe('within-time');
    expect(form07aOutcome(dossier({ finishedAt: at('2026-12-02T10:00:00+07:00') }), period, now)).toBe('overdue');
  });

  it('judges a dossier still open in a period not yet over by now, and a paused one by when its clock stopped', () => {
    const current = { from: at('2026-12-01T00:00:00+07:00'), to: at('2026-12-31T23:59:59+07:00') };
    const received = at('2026-12-02T09:00:00+07:00');
    expect(form07aOutcome(dossier({ receivedAt: received, appointmentAt: at('2026-12-10T16:00:00+07:00') }), current, now)).toBe('within-time');
    expect(form07aOutcome(dossier({ receivedAt: received, appointmentAt: at('2026-12-04T16:00:00+07:00') }), current, now)).toBe('overdue');
    expect(form07aOutcome(dossier({ receivedAt: received, appointmentAt: at('2026-12-04T16:00:00+07:00'), pausedSince: at('2026-12-03T09:00:00+07:00') }), current, now)).toBe('within-time');
  });
});

describe('form 07a rows', () => {
  it('splits carried-over from newly received dossiers, the new ones by channel, and totals every group', () => {
    const rows = computeForm07a(
      [
        dossier({ finishedAt: at('2026-11-12T10:00:00+07:00') }),
        dossier({ channel: 'postal', finishedAt: at('2026-11-14T10:00:00+07:00') }),
        dossier({ group: 'Chứng thực', channel: 'online-partial', receivedAt: at('2026-10-28T09:00:00+07:00'), appointmentAt: at('2026-10-30T16:00:00+07:00') }),
        dossier({ group: 'Chứng thực', receivedAt: at('2026-12-01T09:00:00+07:00') }),
      ],
      period,
      now,
    );
    expect(rows.map((r) => r.label)).toEqual(['Chứng thực', 'Hộ tịch', 'Tổng cộng']);
    expect(rows[0]).toMatchObject({ total: 1, carriedOver: 1, inProgressOverdue: 1, received: { 'in-person': 0, 'online-partial': 0 } });
    expect(rows[1]).toMatchObject({ total: 2, carriedOver: 0, received: { 'in-person': 1, postal: 1 }, resolvedEarly: 1, resolvedLate: 1 });
    expect(rows[2]).toMatchObject({ total: 3, carriedOver: 1, resolvedEarly: 1, resolvedLate: 1, inProgressOverdue: 1 });
  });

  it('adds up: total = carried over + received by channel = resolved + in progress + stopped, in every row', () => {
    const instant = fc.integer({ min: Date.parse('2026-09-01T00:00:00Z'), max: Date.parse('2027-01-31T00:00:00Z') }).map((ms) => new Date(ms));
    const arbitraryDossier = fc
      .record({
        group: fc.constantFrom('A', 'B', 'C'),
        channel: fc.constantFrom(...submissionChannels),
        receivedAt: instant,
        days: fc.integer({ min: 0, max: 40 }),
        finishedAfter: fc.option(fc.integer({ min: 0, max: 60 * 86_400_000 }), { nil: undefined }),
        stoppedAfter: fc.option(fc.integer({ min: 0, max: 60 * 86_400_000 }), { nil: undefined }),
      })
      .map(
        ({ group, channel, receivedAt, days, finishedAfter, stoppedAfter }): Form07aDossier => ({
          group,
          channel,
          receivedAt,
          appointmentAt: new Date(receivedAt.getTime() + days * 86_400_000),
          ...(finishedAfter === undefined ? {} : { finishedAt: new Date(receivedAt.getTime() + finishedAfter) }),
          ...(stoppedAfter === undefined ? {} : { stoppedAt: new Date(receivedAt.getTime() + stoppedAfter) }),
        }),
      );
    fc.assert(
      fc.property(fc.array(arbitraryDossier, { maxLength: 40 }), (dossiers) => {
        const rows = computeForm07a(dossiers, period, now);
        for (const r of rows) {
          const received = Object.values(r.received).reduce((a, b) => a + b, 0);
          expect(r.carriedOver + received).toBe(r.total);
          expect(r.resolvedEarly + r.resolvedOnTime + r.resolvedLate + r.inProgressWithinTime + r.inProgressOverdue + r.stopped).toBe(r.total);
        }
        const total = rows.at(-1);
        expect(total?.total).toBe(rows.slice(0, -1).reduce((n, r) => n + r.total, 0));
        expect(total?.total).toBe(dossiers.filter((d) => form07aOutcome(d, period, now) !== null).length);
      }),
    );
  });
});
