/** Saving an accepted dossier: record, file metadata, bytes and outbox row in one transaction. */
import { AppError } from '../../../shared/errors';
import { sha256Hex } from '../../../shared/util/bytes';
import type { CounterDatabase, FileUploadProgress, OutboxRow, StoredDossier, StoredFile } from './database';
import { fileChunkSize } from './database';
import { applicantKey } from './derived-rows';
import { cutIntoChunks } from './files';
import { toStorageError } from './storage-errors';

export { readFileBytes } from './files';

/** What the caller knows about a file; the chunk layout is decided here. */
type NewFileMeta = Omit<StoredFile, 'chunkSize' | 'chunkCount'>;

export interface NewFile {
  readonly meta: NewFileMeta;
  readonly bytes: Uint8Array;
}

export interface SaveOptions {
  /** Chunk size for the bytes (tests use small values to cross chunk boundaries cheaply). */
  readonly chunkSize?: number;
  /** The dossier was first asked to complete (Mẫu 02): that record is closed in the same transaction. */
  readonly pendingId?: string;
}

function invalid(issue: string): AppError {
  return new AppError('DOSSIER_INVALID', { issue });
}

/** Refuses a dossier whose files and components do not line up: such a record could never be committed. */
function checkConsistency(dossier: StoredDossier, files: readonly NewFile[]): void {
  if (files.length === 0) throw invalid('no files');
  const fileIds = new Set<string>();
  const hashes = new Set<string>();
  const componentCodes = new Set(dossier.components.map((c) => c.code));
  for (const { meta, bytes } of files) {
    if (fileIds.has(meta.id)) throw invalid(`file ${meta.id} given twice`);
    fileIds.add(meta.id);
    if (meta.dossierId !== dossier.id) throw invalid(`file ${meta.name} belongs to another dossier`);
    if (!componentCodes.has(meta.componentCode)) throw invalid(`file ${meta.name} has unknown component ${meta.componentCode}`);
    if (bytes.byteLength === 0) throw new AppError('FILE_EMPTY', { name: meta.name });
    if (meta.size !== bytes.byteLength) throw invalid(`file ${meta.name} size ${meta.size} differs from ${bytes.byteLength} bytes`);
    if (sha256Hex(bytes) !== meta.sha256) throw invalid(`file ${meta.name} sha256 differs from its bytes`);
    // The central keys files by (dossier, sha256): the same bytes twice in one dossier cannot be committed.
    if (hashes.has(meta.sha256)) throw invalid(`file ${meta.name} is the same file as another component's`);
    hashes.add(meta.sha256);
  }
  for (const component of dossier.components) {
    for (const id of component.fileIds) if (!fileIds.has(id)) throw invalid(`component ${component.code} names missing file ${id}`);
  }
}

/**
 * Stores the dossier, its file metadata, its bytes (chunked) and an outbox row in state 'waiting', all in
 * ONE transaction: either everything is written or nothing is. A full disk → STORAGE_FULL, any other
 * failure → STORAGE_FAILED.
 */
export async function saveAcceptedDossier(db: CounterDatabase, dossier: StoredDossier, files: readonly NewFile[], options: SaveOptions = {}): Promise<void> {
  checkConsistency(dossier, files);
  const chunkSize = options.chunkSize ?? fileChunkSize;
  const uploads: Record<string, FileUploadProgress> = {};
  for (const { meta } of files) uploads[meta.sha256] = { bytesSent: 0, size: meta.size };
  const outboxRow: OutboxRow = {
    dossierId: dossier.id,
    state: 'waiting',
    attempts: 0,
    nextAttemptAt: Date.parse(dossier.createdAt),
    uploads,
    bytesTotal: Object.values(uploads).reduce((sum, u) => sum + u.size, 0),
    queuedAt: dossier.createdAt,
    updatedAt: dossier.createdAt,
  };
  try {
    await db.transaction('rw', [db.dossiers, db.dossierState, db.files, db.fileChunks, db.outbox, db.syncLog, db.applicants, db.pendingDossiers], async () => {
      await db.dossiers.add(dossier);
      // A returning applicant is found again next time (the latest contact details win).
      const key = applicantKey(dossier.applicant);
      const known = await db.applicants.get(key);
      await db.applicants.put({ key, idNumber: dossier.applicant.idNumber, phone: dossier.applicant.phone, applicant: dossier.applicant, visits: (known?.visits ?? 0) + 1, lastSeenAt: dossier.createdAt });
      if (options.pendingId) {
        const pending = await db.pendingDossiers.get(options.pendingId);
        if (pending?.state !== 'awaiting-completion') throw new AppError('DOSSIER_INVALID', { issue: `pending dossier ${options.pendingId} is not awaiting completion` });
        await db.pendingDossiers.put({ ...pending, state: 'accepted', attachments: [], acceptedDossierId: dossier.id, updatedAt: dossier.createdAt });
      }
      await db.dossierState.add({ dossierId: dossier.id, status: 2, appointmentAt: dossier.appointmentAt, supplementRounds: 0, updatedAt: dossier.createdAt });
      for (const { meta, bytes } of files) {
        const chunks = cutIntoChunks(meta.id, bytes, chunkSize);
        await db.files.add({ ...meta, chunkSize, chunkCount: chunks.length });
        for (const chunk of chunks) await db.fileChunks.add(chunk);
      }
      await db.outbox.add(outboxRow);
      await db.syncLog.add({
        at: dossier.createdAt,
        level: 'info',
        dossierId: dossier.id,
        event: 'queued',
        details: { code: dossier.code, files: files.length, bytes: outboxRow.bytesTotal },
      });
    });
  } catch (err) {
    throw toStorageError(err, { code: dossier.code });
  }
}

export async function getDossier(db: CounterDatabase, dossierId: StoredDossier['id']): Promise<StoredDossier | undefined> {
  return db.dossiers.get(dossierId);
}

/**
 * Replaces a stored file's bytes before it was ever uploaded — the signature time-stamp added later
 * rewrites /Contents — in ONE transaction with its outbox entry. Refuses (returns false) once an upload of
 * the old bytes has started: the central must receive exactly what the outbox promised.
 */
export async function replaceFileContent(db: CounterDatabase, fileId: string, bytes: Uint8Array, reason: string, options: SaveOptions = {}): Promise<boolean> {
  const sha256 = sha256Hex(bytes);
  const chunkSize = options.chunkSize ?? fileChunkSize;
  try {
    return await db.transaction('rw', [db.files, db.fileChunks, db.outbox, db.syncLog], async () => {
      const file = await db.files.get(fileId);
      if (!file) throw new AppError('STORAGE_DAMAGED', { name: fileId, code: '?', fileId, issue: 'file record missing' });
      const row = await db.outbox.get(file.dossierId);
      if (!row || row.state === 'acknowledged' || row.uploads[file.sha256]?.uploadUrl) return false;
      const chunks = cutIntoChunks(file.id, bytes, chunkSize);
      await db.fileChunks.where('[fileId+index]').between([file.id, 0], [file.id, Infinity]).delete();
      for (const chunk of chunks) await db.fileChunks.add(chunk);
      await db.files.put({ ...file, size: bytes.byteLength, sha256, chunkSize, chunkCount: chunks.length });
      const { [file.sha256]: _old, ...others } = row.uploads;
      const uploads = { ...others, [sha256]: { bytesSent: 0, size: bytes.byteLength } };
      const at = new Date().toISOString();
      await db.outbox.put({ ...row, uploads, bytesTotal: Object.values(uploads).reduce((sum, u) => sum + u.size, 0), updatedAt: at });
      await db.syncLog.add({ at, level: 'info', dossierId: file.dossierId, event: 'file:replaced', details: { file: file.name, reason, from: file.sha256, to: sha256 } });
      return true;
    });
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw toStorageError(err, { fileId });
  }
}
