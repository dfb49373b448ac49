/** Queuing a counter → central event (result returned, supplement received, apology issued). */
import type { DossierId } from '../../../shared/domain/dossier';
import type { CounterEvent } from '../../../shared/sync/protocol';
import type { CounterDatabase, CounterEventRow, DossierStateRow } from './database';
import { toStorageError } from './storage-errors';

/**
 * Stores the event in state 'waiting' and applies `nextState` to the dossier's local state in ONE
 * transaction, so the screen and the outbox never disagree. The sync engine sends waiting events in order.
 */
export async function queueCounterEvent(
  db: CounterDatabase,
  dossierId: DossierId,
  event: CounterEvent,
  nextState: (current: DossierStateRow) => DossierStateRow,
): Promise<void> {
  const queuedAt = new Date().toISOString();
  const row: CounterEventRow = { eventId: event.eventId, dossierId, state: 'waiting', event, attempts: 0, nextAttemptAt: Date.now(), queuedAt };
  try {
    await db.transaction('rw', [db.counterEvents, db.dossierState, db.syncLog], async () => {
      const current = await db.dossierState.get(dossierId);
      if (!current) throw new Error(`no state for dossier ${dossierId}`);
      await db.dossierState.put({ ...nextState(current), updatedAt: queuedAt });
      await db.counterEvents.add(row);
      await db.syncLog.add({ at: queuedAt, level: 'info', dossierId, event: `event-queued:${event.kind}`, details: { eventId: event.eventId } });
    });
  } catch (err) {
    throw toStorageError(err, { dossierId });
  }
}
