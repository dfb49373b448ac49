/**
 * The tus-uploads-in-progress port: where `@tus/server` keeps an upload's bytes until the commit stores them,
 * and what the central itself needs of them (read a complete one, drop it, expire abandoned ones). Two adapters:
 * the data directory (`@tus/file-store`, the embedded default) and an S3 bucket (`@tus/s3-store`).
 */
import type { Readable } from 'node:stream';
import type { DataStore } from '@tus/server';
import type { UploadSweepOptions, UploadSweepReport } from '../upload-sweep';

export interface UploadStorage {
  readonly kind: 'disk' | 's3';
  /** What `@tus/server` writes through (creation, PATCH, HEAD, termination). */
  readonly datastore: DataStore;
  /** The bytes of a complete upload, as a stream; rejects with ENOENT when the upload is gone. */
  openRead(uploadId: string): Promise<Readable>;
  /** Drops an upload and everything it left behind; a missing one is fine. */
  remove(uploadId: string): Promise<void>;
  /** Removes uploads with no write for `maxAgeMs`, sparing those a committed dossier holds (upload-sweep.ts). */
  sweep(opts: Omit<UploadSweepOptions, 'uploadsDir'>): Promise<UploadSweepReport>;
  /** Throws unless the store answers. */
  probe(): Promise<void>;
}
