/**
 * The desk's supplement rules by legal basis (Decree 118/2025 Art. 19.5): a 2025 dossier restarts its time
 * limit at the completed receipt (from the catalog's time limit, or — procedure gone from the catalog — the
 * first receipt's working allowance), a 2018 dossier moves by the pause; a 2025 dossier past its 15-day
 * window is closed: refused at the desk, shown as closed, counted neither on time nor late.
 */
import { describe, expect, it } from 'vitest';
import { defaultWorkingRules, toVietnamIso, type WorkingRules } from '../../../shared/domain/appointment';
import { bundledCatalog } from '../../../shared/domain/catalog-demo';
import { computeIndicators } from '../../../shared/domain/indicators';
import { LEGAL_BASIS_2025 } from '../../../shared/domain/legal-basis';
import { defaultSupplementWindow } from '../../../shared/domain/time-limit-rules';
import { fromVietnamParts as vn } from '../../../shared/domain/time';
import { createWorkingCalendar } from '../../../shared/domain/working-calendar';
import type { DossierStateRow, StoredDossier } from '../../../renderer/src/db/database';
import { markSupplementClosures, stillInProcessing, type TrackedDossier } from '../../../renderer/src/features/board/board-data';
import { assertSupplementWindowOpen, recountAfterSupplement } from '../../../renderer/src/features/desk/receive-supplement';
import { testDossier } from '../../support/counter-dossier';
import { errorCodeOf } from '../../support/app-error';

const calendar = createWorkingCalendar();
const rules: WorkingRules = { ...defaultWorkingRules, isNonWorkingDay: (day) => calendar.isNonWorkingDay(day) };
const iso = (d: Date): string => toVietnamIso(d);

// A 5-working-day procedure of the demo catalog.
const procedure = bundledCatalog.find((p) => p.timeLimit.unit === 'working-days' && p.timeLimit.amount === 5);
if (!procedure) throw new Error('the demo catalog has no 5-working-day procedure');

// Received Monday 2/11/2026 09:00 → due Monday 9/11 09:00; supplement requested Wednesday 4/11 10:00.
const dossier2018: StoredDossier = {
  ...testDossier(1),
  procedure: { code: procedure.code, name: procedure.name },
  receivedAt: '2026-11-02T09:00:00+07:00',
  appointmentAt: '2026-11-09T09:00:00+07:00',
};
const dossier2025: StoredDossier = { ...dossier2018, legalBasis: LEGAL_BASIS_2025 };
const waiting: DossierStateRow = {
  dossierId: dossier2018.id,
  status: 5,
  appointmentAt: '2026-11-09T09:00:00+07:00',
  supplementRounds: 1,
  pausedSince: '2026-11-04T10:00:00+07:00',
  updatedAt: '2026-11-04T10:00:00+07:00',
};
const completedAt = vn(2026, 11, 5, 14, 0);

describe('recountAfterSupplement', () => {
  it('2025: the procedure\'s full 5 working days from the completed receipt', () => {
    const recount = recountAfterSupplement(dossier2025, waiting, procedure, completedAt, rules);
    expect(recount.rule).toBe('restart');
    expect(iso(recount.appointmentAt)).toBe('2026-11-12T14:00:00+07:00');
  });

  it('2025, procedure gone from the catalog: the first receipt\'s working allowance (5 days) counted again', () => {
    const recount = recountAfterSupplement(dossier2025, waiting, undefined, completedAt, rules);
    expect(recount.rule).toBe('restart-first-allowance');
    expect(iso(recount.appointmentAt)).toBe('2026-11-12T14:00:00+07:00');
  });

  it('2018: the appointment moves by the working time waited (10 h 30)', () => {
    const recount = recountAfterSupplement(dossier2018, waiting, procedure, completedAt, rules);
    expect(recount.rule).toBe('pause');
    expect(iso(recount.appointmentAt)).toBe('2026-11-10T11:30:00+07:00');
  });
});

describe('the 15-day supplement window', () => {
  it('refuses a 2025 supplement after the window with SUPPLEMENT_WINDOW_CLOSED; a 2018 one is still received', async () => {
    const late = vn(2026, 11, 20, 8, 0);
    expect(await errorCodeOf(Promise.resolve().then(() => assertSupplementWindowOpen(dossier2025, waiting, late, defaultSupplementWindow, rules)))).toBe('SUPPLEMENT_WINDOW_CLOSED');
    expect(await errorCodeOf(Promise.resolve().then(() => assertSupplementWindowOpen(dossier2025, waiting, vn(2026, 11, 19, 9, 0), defaultSupplementWindow, rules)))).toBe('no error');
    expect(await errorCodeOf(Promise.resolve().then(() => assertSupplementWindowOpen(dossier2018, waiting, late, defaultSupplementWindow, rules)))).toBe('no error');
  });

  it('a closed 2025 dossier leaves the processing list and is counted neither on time nor late', () => {
    const tracked = (dossier: StoredDossier): TrackedDossier => ({
      dossier,
      state: waiting,
      history: [],
      apologies: 0,
      indicator: {
        code: dossier.code,
        procedureCode: dossier.procedure.code,
        procedureName: dossier.procedure.name,
        clerk: 'Quầy 1',
        receivedAt: new Date(dossier.receivedAt),
        appointmentAt: new Date(waiting.appointmentAt),
        supplementRounds: 1,
        apologised: false,
        pausedSince: new Date(waiting.pausedSince ?? ''),
        digitized: true,
      },
    });
    // Long after both the window and the (paused) appointment.
    const now = vn(2026, 12, 15, 9, 0);
    const [closed, old] = markSupplementClosures([tracked(dossier2025), tracked({ ...dossier2018, code: `${dossier2018.code}9` })], now, { window: defaultSupplementWindow, rules });
    expect(closed?.supplementClosedAt && iso(closed.supplementClosedAt)).toBe('2026-11-19T17:00:00+07:00');
    expect(closed && stillInProcessing(closed)).toBe(false);
    expect(old?.supplementClosedAt).toBeUndefined();
    expect(old && stillInProcessing(old)).toBe(true);
    const total = computeIndicators([closed, old].flatMap((d) => (d ? [d.indicator] : [])), 'day', now).at(-1);
    // The 2018 dossier's clock stopped on 4/11, before its appointment: pending, not late.
    expect(total).toMatchObject({ received: 2, late: 0, onTime: 0, pending: 1 });
  });
});
