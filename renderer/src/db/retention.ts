/**
 * Retention of the citizen's papers on the counter (docs/storage.md, "Retention"): once the central has
 * confirmed it holds a file — the dossier's commit or the supplement event that carried it was acknowledged —
 * and the configured grace period has passed, the file's BYTES are deleted. Its metadata (name, size,
 * SHA-256, page count) and the dossier record stay: the register (Mẫu 06), the desk and receipt reprints
 * need them, and the central holds the authoritative copy.
 *
 * How the work stays small: a file is marked `awaitingPurgeSince` in the very transaction that records the
 * acknowledgement, and the mark is removed by the purge. The index on it is sparse (absent fields are not
 * indexed), so a pass reads only files still waiting, never the counter's whole history.
 */
import type { Table } from 'dexie';
import type { DossierId } from '../../../shared/domain/dossier';
import type { CounterDatabase, CounterEventRow, OutboxRow, StoredFile } from './database';
import { toStorageError } from './storage-errors';

/** Dossiers purged per pass at most: a counter back after weeks catches up over a few passes, never freezing one. */
export const defaultPurgeBatch = 50;

const dayMs = 24 * 60 * 60 * 1000;

/** The SHA-256 values a supplement event declares (other events carry no files). */
function supplementShas(row: CounterEventRow): Set<string> {
  return new Set(row.event.kind === 'supplement-received' ? row.event.files.map((f) => f.sha256) : []);
}

function marked(file: StoredFile, at: string): StoredFile {
  return { ...file, confirmedAt: at, awaitingPurgeSince: at };
}

/**
 * Marks the given files confirmed by the central. Call it INSIDE the transaction that writes the
 * acknowledgement (its scope must include `files`), so a crash never leaves an acknowledged file unmarked.
 * Files already marked or purged are left as they are.
 */
export async function markFilesConfirmed(files: Table<StoredFile, string>, fileIds: readonly string[], at: string): Promise<void> {
  const rows = await files.bulkGet([...fileIds]);
  const fresh = rows.filter((f): f is StoredFile => f !== undefined && f.awaitingPurgeSince === undefined && f.purgedAt === undefined);
  if (fresh.length > 0) await files.bulkPut(fresh.map((f) => marked(f, at)));
}

/** The stored files of a dossier whose bytes a supplement event carried (matched by SHA-256, like the uploader). */
export async function supplementFileIds(files: Table<StoredFile, string>, row: CounterEventRow): Promise<string[]> {
  const shas = supplementShas(row);
  if (shas.size === 0) return [];
  return (await files.where('dossierId').equals(row.dossierId).toArray()).filter((f) => shas.has(f.sha256)).map((f) => f.id);
}

/**
 * For the version 7 upgrade: marks the files of every dossier and supplement the central had already
 * acknowledged before retention existed, with the time of that acknowledgement.
 */
export async function markAcknowledgedHistory(files: Table<StoredFile, string>, outbox: Table<OutboxRow, DossierId>, events: Table<CounterEventRow, string>): Promise<void> {
  const acknowledged = await outbox.where('state').equals('acknowledged').toArray();
  for (const row of acknowledged) {
    const committed = new Set(Object.keys(row.uploads));
    const ids = (await files.where('dossierId').equals(row.dossierId).toArray()).filter((f) => committed.has(f.sha256)).map((f) => f.id);
    await markFilesConfirmed(files, ids, row.acknowledgedAt ?? row.updatedAt);
  }
  const supplements = await events.where('state').equals('acknowledged').filter((e) => e.event.kind === 'supplement-received').toArray();
  for (const row of supplements) await markFilesConfirmed(files, await supplementFileIds(files, row), row.acknowledgedAt ?? row.updatedAt ?? row.queuedAt);
}

export interface RetentionPolicy {
  /** Days after the central's acknowledgement before the bytes go; 0 = at the first pass after it. */
  readonly filesDaysAfterAck: number;
  /** Dossiers per pass at most. Default `defaultPurgeBatch`. */
  readonly maxDossiers?: number;
}

export interface PurgeResult {
  readonly dossiers: readonly DossierId[];
  readonly files: number;
  readonly bytes: number;
  /** Marked files found not confirmed after all (kept, mark dropped, logged): should never happen. */
  readonly refused: number;
}

/**
 * Deletes the bytes of files the central confirmed more than `filesDaysAfterAck` days ago, one transaction
 * per dossier, at most `maxDossiers` dossiers. Inside the transaction each file is checked again against the
 * acknowledgement itself — the dossier's outbox row `acknowledged` with this SHA-256 in its commit, or an
 * acknowledged supplement event declaring it — so a pending, failed or never-sent file is never touched.
 * Idempotent: a purged file has no mark, so the next pass does not see it.
 */
export async function purgeConfirmedFiles(db: CounterDatabase, now: Date, policy: RetentionPolicy): Promise<PurgeResult> {
  const cutoff = new Date(now.getTime() - policy.filesDaysAfterAck * dayMs).toISOString();
  const max = Math.max(1, policy.maxDossiers ?? defaultPurgeBatch);
  const at = now.toISOString();
  const candidates = new Set<DossierId>();
  try {
    // Oldest confirmation first; stops at the first file of a dossier beyond the batch.
    await db.files
      .where('awaitingPurgeSince')
      .belowOrEqual(cutoff)
      .until((f) => candidates.size >= max && !candidates.has(f.dossierId))
      .each((f) => {
        candidates.add(f.dossierId);
      });
  } catch (err) {
    throw toStorageError(err, {});
  }
  const purged: DossierId[] = [];
  let fileCount = 0;
  let byteCount = 0;
  let refused = 0;
  for (const dossierId of candidates) {
    try {
      await db.transaction('rw', [db.files, db.fileChunks, db.outbox, db.counterEvents, db.syncLog], async () => {
        const due = (await db.files.where('dossierId').equals(dossierId).toArray()).filter((f) => f.awaitingPurgeSince !== undefined && f.awaitingPurgeSince <= cutoff);
        if (due.length === 0) return;
        const outbox = await db.outbox.get(dossierId);
        const committed = new Set(outbox?.state === 'acknowledged' ? Object.keys(outbox.uploads) : []);
        const supplements = new Set((await db.counterEvents.where('dossierId').equals(dossierId).toArray()).filter((e) => e.state === 'acknowledged').flatMap((e) => [...supplementShas(e)]));
        const confirmed = due.filter((f) => committed.has(f.sha256) || supplements.has(f.sha256));
        const unconfirmed = due.filter((f) => !confirmed.includes(f));
        for (const file of confirmed) await db.fileChunks.where('[fileId+index]').between([file.id, 0], [file.id, Infinity]).delete();
        await db.files.bulkPut([
          ...confirmed.map(({ awaitingPurgeSince: _mark, ...file }) => ({ ...file, purgedAt: at })),
          // Bookkeeping only: the mark goes so the batch is not blocked; the bytes stay.
          ...unconfirmed.map(({ awaitingPurgeSince: _mark, ...file }) => file),
        ]);
        if (confirmed.length > 0) {
          const bytes = confirmed.reduce((sum, f) => sum + f.size, 0);
          await db.syncLog.add({ at, level: 'info', dossierId, event: 'files:purged', details: { files: confirmed.length, bytes, graceDays: policy.filesDaysAfterAck } });
          fileCount += confirmed.length;
          byteCount += bytes;
          purged.push(dossierId);
        }
        if (unconfirmed.length > 0) {
          await db.syncLog.add({ at, level: 'warn', dossierId, event: 'files:purge-refused', details: { files: unconfirmed.length, outbox: outbox?.state ?? 'none', reason: 'not acknowledged by the central: bytes kept' } });
          refused += unconfirmed.length;
        }
      });
    } catch (err) {
      throw toStorageError(err, { dossierId });
    }
  }
  return { dossiers: purged, files: fileCount, bytes: byteCount, refused };
}

/** True once the retention step deleted the file's bytes (its metadata is still there). */
export function isPurged(file: Pick<StoredFile, 'purgedAt'>): boolean {
  return file.purgedAt !== undefined;
}
