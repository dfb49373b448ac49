/** Queuing a counter → central event (result returned, supplement received, apology issued). */
import type { DossierId } from '../../../shared/domain/dossier';
import { AppError } from '../../../shared/errors';
import { sha256Hex } from '../../../shared/util/bytes';
import type { CounterEvent } from '../../../shared/sync/protocol';
import type { CounterDatabase, CounterEventRow, DossierStateRow, PrintedFormRow, StoredFile } from './database';
import { fileChunkSize } from './database';
import type { NewFile } from './dossiers';
import { cutIntoChunks } from './files';
import { toStorageError } from './storage-errors';
import { printedFormToStore } from './retention';

/** What is written beside the event, in the same transaction. */
export interface EventExtras {
  /**
   * The files a supplement event declares: metadata and chunked bytes go to `files`/`fileChunks` under the
   * dossier id, where the sync engine finds them by SHA-256 to upload before it sends the event.
   */
  readonly files?: readonly NewFile[];
  /** A form printed for the event (the supplement's receipt), kept for reprints. */
  readonly printedForm?: Omit<PrintedFormRow, 'id' | 'createdAt'>;
  /** Refuse unless the dossier's local state satisfies this (checked inside the transaction). */
  readonly requireState?: (current: DossierStateRow) => AppError | undefined;
  readonly chunkSize?: number;
}

const declaredFiles = (event: CounterEvent) => (event.kind === 'supplement-received' ? event.files : []);

/** Each file given must be one the event declares, with the same bytes. */
function checkEventFiles(dossierId: DossierId, event: CounterEvent, files: readonly NewFile[]): void {
  const declared = declaredFiles(event);
  for (const { meta, bytes } of files) {
    if (meta.dossierId !== dossierId) throw new AppError('DOSSIER_INVALID', { issue: `file ${meta.name} belongs to another dossier` });
    if (bytes.byteLength === 0) throw new AppError('FILE_EMPTY', { name: meta.name });
    if (meta.size !== bytes.byteLength || sha256Hex(bytes) !== meta.sha256) throw new AppError('DOSSIER_INVALID', { issue: `file ${meta.name} differs from its bytes` });
    const match = declared.find((d) => d.sha256 === meta.sha256);
    if (!match || match.size !== meta.size) throw new AppError('DOSSIER_INVALID', { issue: `file ${meta.name} is not declared by the event` });
  }
}

/**
 * Stores the event in state 'waiting' and applies `nextState` to the dossier's local state in ONE
 * transaction — with the event's files and its printed form when given — so the screen, the stored files
 * and the outbox never disagree, and a failure leaves nothing behind. The sync engine sends waiting events
 * in order.
 */
export async function queueCounterEvent(
  db: CounterDatabase,
  dossierId: DossierId,
  event: CounterEvent,
  nextState: (current: DossierStateRow) => DossierStateRow,
  extras: EventExtras = {},
): Promise<void> {
  const files = extras.files ?? [];
  checkEventFiles(dossierId, event, files);
  const chunkSize = extras.chunkSize ?? fileChunkSize;
  const queuedAt = new Date().toISOString();
  const row: CounterEventRow = { eventId: event.eventId, dossierId, state: 'waiting', event, attempts: 0, nextAttemptAt: Date.now(), queuedAt };
  try {
    await db.transaction('rw', [db.counterEvents, db.dossierState, db.syncLog, db.files, db.fileChunks, db.printedForms, db.outbox], async () => {
      const current = await db.dossierState.get(dossierId);
      if (!current) throw new Error(`no state for dossier ${dossierId}`);
      const refused = extras.requireState?.(current);
      if (refused) throw refused;
      // A declared file not given here must already be stored for the dossier, or the event could never be sent.
      const given = new Set(files.map((f) => f.meta.sha256));
      const missing = declaredFiles(event).filter((d) => !given.has(d.sha256));
      if (missing.length > 0) {
        // A purged file's bytes are gone from this PC: it cannot be uploaded again, so it does not count.
        const stored = new Set((await db.files.where('dossierId').equals(dossierId).filter((f) => f.purgedAt === undefined).toArray()).map((f) => f.sha256));
        const absent = missing.find((d) => !stored.has(d.sha256));
        if (absent) throw new AppError('DOSSIER_INVALID', { issue: `file ${absent.name} is declared by the event but not stored` });
      }
      for (const { meta, bytes } of files) {
        const chunks = cutIntoChunks(meta.id, bytes, chunkSize);
        const stored: StoredFile = { ...meta, chunkSize, chunkCount: chunks.length };
        await db.files.add(stored);
        await db.fileChunks.bulkAdd(chunks);
      }
      await db.dossierState.put({ ...nextState(current), updatedAt: queuedAt });
      await db.counterEvents.add(row);
      if (extras.printedForm) await db.printedForms.add(await printedFormToStore(db.outbox, { ...extras.printedForm, id: crypto.randomUUID(), createdAt: queuedAt }));
      await db.syncLog.add({ at: queuedAt, level: 'info', dossierId, event: `event-queued:${event.kind}`, details: { eventId: event.eventId, ...(files.length ? { files: files.length } : {}) } });
    });
  } catch (err) {
    throw toStorageError(err, { dossierId });
  }
}

/**
 * Puts back an event main's spool kept (renderer/src/db/dossier-spool.ts) into a database that lost it: the
 * row as first queued, waiting, with the files it carried. The dossier's local state is not touched — it may
 * not be in this database at all (acknowledged before the loss); the central's feed brings the status. The
 * central takes an event once by its id, so one it already had is acknowledged, not applied twice.
 */
export async function requeueCounterEvent(db: CounterDatabase, dossierId: DossierId, event: CounterEvent, files: readonly NewFile[], chunkSize = fileChunkSize): Promise<boolean> {
  checkEventFiles(dossierId, event, files);
  const at = new Date().toISOString();
  try {
    return await db.transaction('rw', [db.counterEvents, db.syncLog, db.files, db.fileChunks], async () => {
      if (await db.counterEvents.get(event.eventId)) return false;
      const stored = new Set((await db.files.where('dossierId').equals(dossierId).filter((f) => f.purgedAt === undefined).toArray()).map((f) => f.sha256));
      for (const { meta, bytes } of files) {
        if (stored.has(meta.sha256)) continue;
        const chunks = cutIntoChunks(meta.id, bytes, chunkSize);
        await db.files.put({ ...meta, chunkSize, chunkCount: chunks.length });
        await db.fileChunks.bulkPut(chunks);
      }
      // Queued at its original time, so it keeps its place among the dossier's events.
      await db.counterEvents.add({ eventId: event.eventId, dossierId, state: 'waiting', event, attempts: 0, nextAttemptAt: Date.now(), queuedAt: event.at.length ? new Date(event.at).toISOString() : at });
      await db.syncLog.add({ at, level: 'info', dossierId, event: `event-restored:${event.kind}`, details: { eventId: event.eventId, ...(files.length ? { files: files.length } : {}) } });
      return true;
    });
  } catch (err) {
    throw toStorageError(err, { dossierId });
  }
}
