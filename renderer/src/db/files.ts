/**
 * File bytes: cut into chunks on save, reassembled and checked on read. A file whose stored bytes do not
 * match its recorded size and SHA-256 is reported as damaged (STORAGE_DAMAGED), never sent or shown as is.
 */
import { AppError } from '../../../shared/errors';
import { sha256, toHex } from '../../../shared/util/bytes';
import type { CounterDatabase, StoredFile, StoredFileChunk } from './database';
import { toStorageError } from './storage-errors';

/**
 * Cuts bytes into chunk rows. `slice` copies: storing a `subarray` view would make structured clone
 * serialise the whole underlying buffer into every chunk.
 */
export function cutIntoChunks(fileId: string, bytes: Uint8Array, chunkSize: number): StoredFileChunk[] {
  const chunks: StoredFileChunk[] = [];
  for (let index = 0, start = 0; start < bytes.byteLength; index++, start += chunkSize) {
    chunks.push({ fileId, index, data: bytes.slice(start, start + chunkSize) });
  }
  return chunks;
}

async function damaged(db: CounterDatabase, file: Pick<StoredFile, 'id' | 'name' | 'dossierId'>, issue: string): Promise<AppError> {
  const dossier = await db.dossiers.get(file.dossierId).catch(() => undefined);
  return new AppError('STORAGE_DAMAGED', { name: file.name, code: dossier?.code ?? file.dossierId, fileId: file.id, issue });
}

async function fileRow(db: CounterDatabase, fileId: string): Promise<StoredFile> {
  let file: StoredFile | undefined;
  try {
    file = await db.files.get(fileId);
  } catch (err) {
    throw toStorageError(err, { fileId });
  }
  if (!file) throw new AppError('STORAGE_DAMAGED', { name: fileId, code: '?', fileId, issue: 'file record missing' });
  // Bytes deleted on purpose after the central confirmed them (retention): not damage.
  if (file.purgedAt !== undefined) {
    const dossier = await db.dossiers.get(file.dossierId).catch(() => undefined);
    throw new AppError('FILE_PURGED', { name: file.name, code: dossier?.code ?? file.dossierId, fileId: file.id, purgedAt: file.purgedAt });
  }
  return file;
}

async function chunkAt(db: CounterDatabase, file: StoredFile, index: number): Promise<Uint8Array> {
  let chunk: StoredFileChunk | undefined;
  try {
    chunk = await db.fileChunks.get([file.id, index]);
  } catch (err) {
    throw toStorageError(err, { fileId: file.id });
  }
  if (!chunk) throw await damaged(db, file, `chunk ${index} missing`);
  const expected = index === file.chunkCount - 1 ? file.size - index * file.chunkSize : file.chunkSize;
  if (chunk.data.byteLength !== expected) throw await damaged(db, file, `chunk ${index} has ${chunk.data.byteLength} bytes, expected ${expected}`);
  return chunk.data;
}

/** The whole file, reassembled from its chunks and checked against its size and SHA-256. */
export async function readFileBytes(db: CounterDatabase, fileId: string): Promise<Uint8Array> {
  const file = await fileRow(db, fileId);
  const bytes = new Uint8Array(file.size);
  const hash = sha256.create();
  for (let index = 0; index < file.chunkCount; index++) {
    const data = await chunkAt(db, file, index);
    bytes.set(data, index * file.chunkSize);
    hash.update(data);
  }
  const digest = toHex(hash.digest());
  if (digest !== file.sha256) throw await damaged(db, file, `sha256 ${digest} differs from recorded ${file.sha256}`);
  return bytes;
}

/**
 * Checks a stored file chunk by chunk (memory stays at one chunk), for the sync engine before it sends
 * the file. Returns the file record.
 */
export async function verifyStoredFile(db: CounterDatabase, fileId: string): Promise<StoredFile> {
  const file = await fileRow(db, fileId);
  const hash = sha256.create();
  for (let index = 0; index < file.chunkCount; index++) hash.update(await chunkAt(db, file, index));
  const digest = toHex(hash.digest());
  if (digest !== file.sha256) throw await damaged(db, file, `sha256 ${digest} differs from recorded ${file.sha256}`);
  return file;
}

/** Bytes [start, end) of a stored file, read from the chunks that cover them. */
export async function readFileRange(db: CounterDatabase, file: StoredFile, start: number, end: number): Promise<Uint8Array> {
  // fileRow throws FILE_PURGED for it (with the dossier's code).
  if (file.purgedAt !== undefined) await fileRow(db, file.id);
  const from = Math.max(0, start);
  const to = Math.min(file.size, end);
  if (to <= from) return new Uint8Array(0);
  const out = new Uint8Array(to - from);
  const first = Math.floor(from / file.chunkSize);
  const last = Math.floor((to - 1) / file.chunkSize);
  for (let index = first; index <= last; index++) {
    const data = await chunkAt(db, file, index);
    const chunkStart = index * file.chunkSize;
    const piece = data.subarray(Math.max(0, from - chunkStart), Math.min(data.byteLength, to - chunkStart));
    out.set(piece, Math.max(0, chunkStart - from));
  }
  return out;
}
