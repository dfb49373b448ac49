/**
 * One file of an outbox item (a dossier's file, a supplement's file) to the central, the same way for both
 * kinds: resumed from the upload URL kept in the item's row, progress written back to the row (a restart of
 * the app resumes), and — when the central lost the upload it was resuming (CENTRAL_UPLOAD_INCOMPLETE) — the
 * stored URL forgotten and the bytes sent once more as a new upload, within the same attempt.
 */
import type { FileUploadProgress, StoredFile } from '../db/database';
import type { WireError } from '../../../shared/errors';
import { AttemptFailure } from './attempt';
import type { UploadFileOptions } from './upload';
import { uploadStoredFile } from './upload';

/** Where an item keeps its upload progress: the outbox row of a dossier, the row of a counter event. */
interface UploadProgressPort {
  /** The progress stored for this file now (read afresh before each upload). */
  read(sha256: string): Promise<FileUploadProgress | undefined>;
  /** Merges `progress` into the stored progress of this file. */
  write(sha256: string, progress: Partial<FileUploadProgress>): Promise<void>;
}

export interface OutboxUploadOptions extends Pick<UploadFileOptions, 'db' | 'client' | 'chunkSize' | 'stallTimeoutMs' | 'registerCancel'> {
  readonly progress: UploadProgressPort;
  /** A new upload was created at the central (its URL is already being written to the row). */
  readonly onCreated?: (file: StoredFile, url: string) => void;
  /** Bytes the central accepted that it had not before (throughput). */
  readonly onBytes?: (file: StoredFile, newBytes: number) => void;
  /** The stored upload was gone at the central: it is started anew. */
  readonly onRestart?: (file: StoredFile, error: WireError) => Promise<void>;
}

/** Uploads one file; resolves with its upload URL once every byte is at the central. */
export async function uploadOutboxFile(opts: OutboxUploadOptions, file: StoredFile): Promise<string> {
  try {
    return await uploadOnce(opts, file);
  } catch (err) {
    if (!(err instanceof AttemptFailure && err.error.code === 'CENTRAL_UPLOAD_INCOMPLETE')) throw err;
    // The stored upload is gone at the central: forget it and create a new one right away.
    await opts.progress.write(file.sha256, { uploadUrl: undefined, bytesSent: 0 });
    await opts.onRestart?.(file, err.error);
    return uploadOnce(opts, file);
  }
}

async function uploadOnce(opts: OutboxUploadOptions, file: StoredFile): Promise<string> {
  const stored = await opts.progress.read(file.sha256);
  const storedUrl = stored?.uploadUrl;
  let lastBytes = storedUrl ? (stored?.bytesSent ?? 0) : 0;
  let writes: Promise<void> = Promise.resolve();
  // Progress writes are chained (never racing each other) and never fail the upload: the row only lags.
  const persist = (progress: Partial<FileUploadProgress>): void => {
    writes = writes.then(() => opts.progress.write(file.sha256, progress)).catch(() => undefined);
  };
  try {
    return await uploadStoredFile({
      db: opts.db,
      client: opts.client,
      file,
      ...(storedUrl ? { storedUrl } : {}),
      chunkSize: opts.chunkSize,
      ...(opts.stallTimeoutMs !== undefined ? { stallTimeoutMs: opts.stallTimeoutMs } : {}),
      registerCancel: opts.registerCancel,
      onUploadUrl: (url) => {
        persist({ uploadUrl: url });
        opts.onCreated?.(file, url);
      },
      onProgress: (bytesSent) => {
        if (bytesSent > lastBytes) opts.onBytes?.(file, bytesSent - lastBytes);
        lastBytes = Math.max(lastBytes, bytesSent);
        persist({ bytesSent });
      },
    });
  } finally {
    // Let pending progress writes land before the caller writes the next transition.
    await writes;
  }
}
