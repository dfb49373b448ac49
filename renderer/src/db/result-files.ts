/**
 * Result documents (status 9) on the counter: announced by the feed, fetched by the sync worker, shown and
 * printed at the desk, deleted once the central has acknowledged the return (status 10). Metadata in
 * `resultFiles` (watched by the desk), bytes in `resultFileChunks` (never watched), like `files` and
 * `fileChunks` (docs/storage.md).
 */
import { AppError } from '../../../shared/errors';
import type { DossierId } from '../../../shared/domain/dossier';
import { sha256, toHex } from '../../../shared/util/bytes';
import type { CounterDatabase, ResultFileChunkRow, ResultFileRow } from './database';
import { fileChunkSize } from './database';
import { cutIntoChunks } from './files';
import { toStorageError } from './storage-errors';

/** The result files of one dossier, in the order the central listed them (then by name). */
export async function resultFilesOf(db: CounterDatabase, dossierId: DossierId): Promise<ResultFileRow[]> {
  const rows = await db.resultFiles.where('dossierId').equals(dossierId).toArray();
  return rows.sort((a, b) => a.seq - b.seq || a.name.localeCompare(b.name));
}

function chunkRange(dossierId: DossierId, sha256Hex: string): [[DossierId, string, number], [DossierId, string, number]] {
  return [
    [dossierId, sha256Hex, 0],
    [dossierId, sha256Hex, Number.MAX_SAFE_INTEGER],
  ];
}

/**
 * Stores verified bytes and marks the row downloaded, in ONE transaction. The caller has checked the size
 * and SHA-256; they are checked again here, so wrong bytes can never be stored as good. Returns false
 * when the row is gone (purged meanwhile): nothing is written then.
 */
export async function storeResultFile(db: CounterDatabase, dossierId: DossierId, sha256Hex: string, bytes: Uint8Array, at: string, chunkSize = fileChunkSize): Promise<boolean> {
  const row = await db.resultFiles.get([dossierId, sha256Hex]);
  if (row && (bytes.byteLength !== row.size || toHex(sha256(bytes)) !== row.sha256)) {
    throw new AppError('RESULT_FILE_MISMATCH', { name: row.name, code: dossierId, issue: 'bytes differ from the declared size or SHA-256' });
  }
  const chunks: ResultFileChunkRow[] = cutIntoChunks(sha256Hex, bytes, chunkSize).map((c) => ({ dossierId, sha256: sha256Hex, index: c.index, data: c.data }));
  try {
    return await db.transaction('rw', [db.resultFiles, db.resultFileChunks], async () => {
      const current = await db.resultFiles.get([dossierId, sha256Hex]);
      if (!current) return false;
      const [from, to] = chunkRange(dossierId, sha256Hex);
      await db.resultFileChunks.where('[dossierId+sha256+index]').between(from, to, true, true).delete();
      await db.resultFileChunks.bulkPut(chunks);
      const { lastError: _previous, ...rest } = current;
      await db.resultFiles.put({ ...rest, state: 'downloaded', chunkSize, chunkCount: chunks.length, downloadedAt: at, updatedAt: at });
      return true;
    });
  } catch (err) {
    throw toStorageError(err, { dossierId });
  }
}

/** The bytes of a downloaded result document, reassembled and checked against its size and SHA-256. */
export async function readResultFile(db: CounterDatabase, dossierId: DossierId, sha256Hex: string): Promise<Uint8Array> {
  const row = await db.resultFiles.get([dossierId, sha256Hex]);
  if (!row || row.state !== 'downloaded' || row.chunkCount === undefined || row.chunkSize === undefined) {
    throw new AppError('STORAGE_DAMAGED', { name: row?.name ?? sha256Hex, code: dossierId, fileId: sha256Hex, issue: 'result file not downloaded' });
  }
  const [from, to] = chunkRange(dossierId, sha256Hex);
  const chunks = await db.resultFileChunks.where('[dossierId+sha256+index]').between(from, to, true, true).toArray();
  const bytes = new Uint8Array(row.size);
  const hash = sha256.create();
  let offset = 0;
  chunks.forEach((chunk, i) => {
    if (chunk.index !== i || offset + chunk.data.byteLength > row.size) throw new AppError('STORAGE_DAMAGED', { name: row.name, code: dossierId, fileId: sha256Hex, issue: `chunk ${i} missing or too long` });
    bytes.set(chunk.data, offset);
    offset += chunk.data.byteLength;
    hash.update(chunk.data);
  });
  if (chunks.length !== row.chunkCount || offset !== row.size || toHex(hash.digest()) !== row.sha256) {
    throw new AppError('STORAGE_DAMAGED', { name: row.name, code: dossierId, fileId: sha256Hex, issue: 'stored result file differs from its SHA-256' });
  }
  return bytes;
}

/**
 * Personal data is kept no longer than needed: the result files of a dossier whose return the central
 * has acknowledged — this counter's `result-returned` event acknowledged, or a status 10 in the feed
 * (returned at another counter of the unit) — are deleted with their bytes, one transaction per dossier.
 * Returns the dossiers purged.
 */
export async function purgeReturnedResults(db: CounterDatabase, at: string): Promise<DossierId[]> {
  const held = new Set((await db.resultFiles.orderBy('dossierId').uniqueKeys()) as DossierId[]);
  const purged: DossierId[] = [];
  for (const dossierId of held) {
    const events = await db.counterEvents.where('dossierId').equals(dossierId).toArray();
    const acknowledged = events.some((e) => e.event.kind === 'result-returned' && e.state === 'acknowledged');
    const confirmed = acknowledged || (await db.statusChanges.where('dossierId').equals(dossierId).filter((c) => c.status === 10).count()) > 0;
    if (!confirmed) continue;
    await db.transaction('rw', [db.resultFiles, db.resultFileChunks, db.syncLog], async () => {
      const rows = await db.resultFiles.where('dossierId').equals(dossierId).toArray();
      for (const row of rows) {
        const [from, to] = chunkRange(dossierId, row.sha256);
        await db.resultFileChunks.where('[dossierId+sha256+index]').between(from, to, true, true).delete();
      }
      await db.resultFiles.where('dossierId').equals(dossierId).delete();
      await db.syncLog.add({ at, level: 'info', dossierId, event: 'result:purged', details: { files: rows.length } });
    });
    purged.push(dossierId);
  }
  return purged;
}

/** Rows due for a download attempt: waiting ones whose time has come (all waiting when forced; failed ones too). */
export async function dueResultFiles(db: CounterDatabase, nowMs: number, force: boolean): Promise<ResultFileRow[]> {
  const states = force ? ['waiting', 'failed'] : ['waiting'];
  const rows = await db.resultFiles.where('state').anyOf(states).toArray();
  return rows.filter((r) => force || r.nextAttemptAt <= nowMs).sort((a, b) => a.nextAttemptAt - b.nextAttemptAt || a.seq - b.seq);
}
