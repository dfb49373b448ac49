/** The counter's dossiers with their state, history and events, in the shape the board and desk need. */
import { holderName } from '../../../../shared/domain/dossier';
import type { WorkingRules } from '../../../../shared/domain/appointment';
import type { IndicatorDossier } from '../../../../shared/domain/indicators';
import { legalBasisOf } from '../../../../shared/domain/legal-basis';
import { isClosedForMissingSupplement, supplementWindowEnd, type SupplementWindow } from '../../../../shared/domain/time-limit-rules';
import type { WireError } from '../../../../shared/errors';
import type { DossierStatus } from '../../../../shared/sync/protocol';
import type { CounterDatabase, DossierStateRow, StatusChangeRow, StoredDossier } from '../../db/database';

export interface TrackedDossier {
  readonly dossier: StoredDossier;
  readonly state: DossierStateRow;
  readonly history: readonly StatusChangeRow[];
  readonly apologies: number;
  readonly indicator: IndicatorDossier;
  /** Issue 15: when a 2025 dossier was closed for want of its supplement (see `markSupplementClosures`). */
  readonly supplementClosedAt?: Date;
  /** Issue 15: the central's refusal of an extension this counter recorded (e.g. another counter extended first). */
  readonly refusedExtension?: WireError;
}


/** Statuses in which the deciding agency's clock runs (or is paused for a supplement). */
export const inProcessing: readonly DossierStatus[] = [2, 4, 5, 6];

export async function loadTrackedDossiers(db: CounterDatabase): Promise<TrackedDossier[]> {
  return db.transaction('r', [db.dossiers, db.dossierState, db.statusChanges, db.counterEvents], async () => {
    const [dossiers, states, changes, events] = await Promise.all([db.dossiers.orderBy('createdAt').reverse().toArray(), db.dossierState.toArray(), db.statusChanges.toArray(), db.counterEvents.toArray()]);
    const stateOf = new Map(states.map((s) => [s.dossierId, s]));
    const out: TrackedDossier[] = [];
    for (const dossier of dossiers) {
      const state = stateOf.get(dossier.id) ?? { dossierId: dossier.id, status: 2, appointmentAt: dossier.appointmentAt, supplementRounds: 0, updatedAt: dossier.createdAt };
      const history = changes.filter((c) => c.dossierId === dossier.id).sort((a, b) => a.seq - b.seq);
      const apologies = events.filter((e) => e.dossierId === dossier.id && e.event.kind === 'apology-issued').length;
      const finishedAt = history.find((c) => c.status === 9)?.at ?? state.returned?.at;
      // Stopped here (state.stopped) or by another counter (the feed's status 8). Only while status 8: a stop the
      // central refused (decided meanwhile) is followed by the feed's own status.
      const stoppedAt = state.status === 8 ? (state.stopped?.at ?? history.find((c) => c.status === 8)?.at) : undefined;
      const submitted = dossier.components.filter((c) => c.fileIds.length > 0);
      const indicator: IndicatorDossier = {
        code: dossier.code,
        procedureCode: dossier.procedure.code,
        procedureName: dossier.procedure.name,
        clerk: dossier.clerk ?? `Quầy ${dossier.counterNo}`,
        receivedAt: new Date(dossier.receivedAt),
        appointmentAt: new Date(state.appointmentAt),
        supplementRounds: state.supplementRounds,
        apologised: apologies > 0,
        ...(state.pausedSince ? { pausedSince: new Date(state.pausedSince) } : {}),
        ...(finishedAt ? { finishedAt: new Date(finishedAt) } : {}),
        digitized: submitted.length > 0 && submitted.every((c) => c.fileIds.length > 0),
        ...(stoppedAt ? { stoppedAt: new Date(stoppedAt) } : {}),
      };
      const refusedExtension = events.find((e) => e.dossierId === dossier.id && e.event.kind === 'apology-issued' && e.state === 'failed')?.lastError;
      out.push({ dossier, state, history, apologies, indicator, ...(refusedExtension ? { refusedExtension } : {}) });
    }
    return out;
  });
}

export interface SupplementClosureRules {
  readonly window: SupplementWindow;
  readonly rules: WorkingRules;
}

/**
 * Marks the 2025 dossiers still waiting for a supplement (status 5) whose window has passed at `now`
 * (Decree 118/2025 Art. 19.5): shown as closed, not counted as late. The counter derives this from the
 * request time it holds; the national status (8, Dừng xử lý) is the central's to set (docs/calendar.md).
 */
export function markSupplementClosures(list: readonly TrackedDossier[], now: Date, closure: SupplementClosureRules): TrackedDossier[] {
  return list.map((d) => {
    const requestedAt = d.state.pausedSince ? new Date(d.state.pausedSince) : undefined;
    if (d.state.status !== 5 || !requestedAt || !isClosedForMissingSupplement(legalBasisOf(d.dossier), requestedAt, now, closure.window, closure.rules)) return d;
    const closedAt = supplementWindowEnd(requestedAt, closure.window, closure.rules);
    return { ...d, supplementClosedAt: closedAt, indicator: { ...d.indicator, closedAt } };
  });
}

/** In processing and not closed for want of a supplement: the clock (or its pause) still matters. */
export const stillInProcessing = (d: TrackedDossier): boolean => inProcessing.includes(d.state.status) && !d.supplementClosedAt;

export function holderOf(d: TrackedDossier): string {
  return holderName(d.dossier.applicant);
}
