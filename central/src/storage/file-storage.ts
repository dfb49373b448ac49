/**
 * The stored-files port: where the central keeps received PDFs and result documents once checked. Keys are
 * content-addressed object names (`files/<sha256>.pdf`, `results/<sha256>.pdf`), written once. Two adapters:
 * the data directory (`disk-file-storage.ts`, the embedded default) and an S3 bucket (`s3-file-storage.ts`).
 *
 * Both behave the same at this interface, which `tests/integration/central-storage.test.ts` runs against each:
 * a missing key reads as Node's ENOENT (what the commit and the routes already handle for a missing file), a
 * put whose MD5 does not match its bytes stores nothing, and a second put of a key is a success that keeps the
 * first bytes (same key = same SHA-256).
 */
import type { Readable } from 'node:stream';

export interface StoredObject {
  readonly key: string;
  readonly size: number;
  /** When it was written (or last confirmed by a write-once hit, see `put`). */
  readonly lastModified: Date;
}

export interface PutChecks {
  /** Base64 MD5 of the bytes as the caller read them: the store refuses bytes that differ (`StorageDigestError`). */
  readonly md5Base64?: string;
}

export interface FileStorage {
  /** `disk` or `s3`, for logs and readiness. */
  readonly kind: 'disk' | 's3';
  /**
   * Stores `bytes` (whose SHA-256 the caller has checked) under `key` unless a complete copy is there; durable on
   * return. A copy already there is refreshed (its `lastModified` moves to now) so the orphan job, which spares
   * objects younger than a day, cannot remove it between this put and the row that will refer to it.
   */
  put(key: string, bytes: Uint8Array, checks?: PutChecks): Promise<void>;
  read(key: string): Promise<Uint8Array>;
  /** A stream of the bytes, for HTTP answers; a missing key errors the stream with ENOENT. */
  openRead(key: string): Readable;
  /** Size in bytes, or undefined when absent. */
  size(key: string): Promise<number | undefined>;
  /** Size and last write, or undefined when absent. */
  stat(key: string): Promise<StoredObject | undefined>;
  /** Removes `key`; an absent key is fine. */
  delete(key: string): Promise<void>;
  /** Every stored object whose key starts with `prefix` (`files/`, `results/`). */
  list(prefix: string): AsyncIterable<StoredObject>;
  /** Throws unless the store answers and can be written (a cheap call: readiness runs it often). */
  probe(): Promise<void>;
}

/** The key of a content-addressed PDF: `files/<sha256>.pdf` (received) or `results/<sha256>.pdf`. */
export function contentKey(folder: 'files' | 'results', sha256: string): string {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`not a SHA-256: ${sha256}`);
  return `${folder}/${sha256}.pdf`;
}

/** The folders of content-addressed objects (what the orphan job walks). */
export const contentFolders = ['files/', 'results/'] as const;

/** A missing key, as `fs` reports a missing file: `code: 'ENOENT'`. */
export function notFoundError(key: string, cause?: unknown): NodeJS.ErrnoException {
  return Object.assign(new Error(`stored object not found: ${key}`, cause === undefined ? {} : { cause }), { code: 'ENOENT' });
}

export function isNotFound(err: unknown): boolean {
  return (err as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}

/** Bytes that do not match the MD5 the writer computed: nothing was stored. */
export class StorageDigestError extends Error {
  readonly code = 'STORAGE_BAD_DIGEST';
  constructor(key: string, options?: { cause?: unknown }) {
    super(`the bytes for ${key} do not match their MD5; nothing stored`, options);
    this.name = 'StorageDigestError';
  }
}
