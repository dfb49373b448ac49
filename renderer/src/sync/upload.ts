/**
 * One stored file to the central with tus: resumable, its upload URL handed to the caller as soon as the
 * central creates it (so a restart resumes from it), bytes read chunk by chunk from IndexedDB.
 */
import { Upload } from 'tus-js-client';
import type { DetailedError, HttpRequest, HttpResponse } from 'tus-js-client';
import { toWireError } from '../../../shared/errors';
import type { UploadMetadata } from '../../../shared/sync/protocol';
import type { CounterDatabase, StoredFile } from '../db/database';
import { AttemptFailure, Stopped, centralError, isRetryableStatus, wire } from './attempt';
import type { CentralClient } from './central-client';
import { StoredFileInput, storedFileReader } from './tus-source';
import { tusEndpointPath } from '../../../shared/sync/api-contract';

export interface UploadFileOptions {
  readonly db: CounterDatabase;
  readonly client: CentralClient;
  readonly file: StoredFile;
  /** Resume this upload (from the outbox) instead of creating one. */
  readonly storedUrl?: string;
  readonly chunkSize: number;
  /** The central created the upload: persist the URL before anything else happens. */
  readonly onUploadUrl: (url: string) => void;
  /** Bytes the central has confirmed so far. */
  readonly onProgress: (bytesSent: number) => void;
  /** Registers the way to abort this upload (the engine stops); returns the unregister function. */
  readonly registerCancel: (cancel: () => void) => () => void;
  /**
   * Abort when no byte moved and no answer came for this long. A link that goes silent (packets dropped,
   * no reset) would otherwise hold a tus request — which has no timeout of its own — forever. The next
   * attempt resumes from the central's offset (HEAD). Default 30 s.
   */
  readonly stallTimeoutMs?: number;
}

export const defaultUploadStallTimeoutMs = 30_000;

/**
 * Bytes per tus PATCH: 5 MiB, the S3 minimum for a multipart part other than the last (issue 19). A central on
 * S3 (@tus/s3-store) turns each PATCH of at least that size into one part; a shorter one is parked as `<id>.part`,
 * downloaded, deleted and uploaded again by the next PATCH — with the former 1 MiB chunks about 2.5–3× the
 * traffic to the store, and a crash between that delete and re-upload sent the offset back. A PATCH cut mid-way
 * still keeps what arrived on both stores (on S3 as one `.part`, taken into the next part once). The cost: 5 MiB
 * per request in memory and in the central's temp folder, and coarser progress. Most dossier files (1–5 MB) go
 * in one PATCH. docs/scaling.md, "Storage on S3".
 */
export const defaultUploadChunkSize = 5 * 1024 * 1024;

/** Resolves with the upload URL once every byte is at the central. Rejects with AttemptFailure or Stopped. */
export async function uploadStoredFile(opts: UploadFileOptions): Promise<string> {
  const { file, storedUrl } = opts;
  const metadata: UploadMetadata = { dossierId: file.dossierId, sha256: file.sha256, filename: file.name, filetype: 'application/pdf' };
  const base = await opts.client.tusOptions(tusEndpointPath);

  return new Promise<string>((resolve, reject) => {
    let settled = false;
    let unregister = (): void => undefined;
    const finish = (action: () => void): void => {
      if (settled) return;
      settled = true;
      if (watchdog !== undefined) clearTimeout(watchdog);
      unregister();
      action();
    };
    const stallTimeoutMs = opts.stallTimeoutMs ?? defaultUploadStallTimeoutMs;
    let watchdog: ReturnType<typeof setTimeout> | undefined;
    // (Re)armed at the start and on every sign of life: bytes written, a chunk accepted.
    const armWatchdog = (): void => {
      if (settled) return;
      if (watchdog !== undefined) clearTimeout(watchdog);
      watchdog = setTimeout(() => {
        void upload.abort(false);
        const error = wire('CENTRAL_UPLOAD_STALLED', { file: file.name, seconds: Math.round(stallTimeoutMs / 1000), bytesAccepted: upload.url ? lastAccepted : 0 });
        finish(() => reject(new AttemptFailure(error, 'retry', true)));
      }, stallTimeoutMs);
    };
    let lastAccepted = 0;
    const upload: Upload = new Upload(new StoredFileInput(opts.db, file), {
      ...(base.headers ? { headers: base.headers } : {}),
      // Resuming: only the stored URL, no endpoint — a gone upload (404/410) is then reported to us
      // instead of tus-js-client silently creating a second one; the engine clears the URL and creates anew.
      ...(storedUrl ? { uploadUrl: storedUrl } : { endpoint: base.endpoint ?? null }),
      metadata: { ...metadata },
      fingerprint: () => Promise.resolve(`motcua:${file.dossierId}:${file.sha256}`),
      storeFingerprintForResuming: false,
      fileReader: storedFileReader,
      chunkSize: opts.chunkSize,
      // The engine does its own backoff, across restarts.
      retryDelays: [],
      onUploadUrlAvailable: () => {
        if (upload.url && upload.url !== storedUrl) opts.onUploadUrl(upload.url);
      },
      onProgress: () => armWatchdog(),
      onChunkComplete: (_chunk: number, bytesAccepted: number) => {
        lastAccepted = bytesAccepted;
        armWatchdog();
        opts.onProgress(bytesAccepted);
      },
      onSuccess: () => {
        const url = upload.url ?? storedUrl;
        opts.onProgress(file.size);
        finish(() => (url ? resolve(url) : reject(new AttemptFailure(wire('CENTRAL_UPLOAD_INCOMPLETE', { file: file.name }), 'retry'))));
      },
      onError: (err: Error | DetailedError) => finish(() => reject(classifyUploadError(err, file, Boolean(storedUrl)))),
    });
    unregister = opts.registerCancel(() => {
      void upload.abort(false);
      finish(() => reject(new Stopped()));
    });
    armWatchdog();
    upload.start();
  });
}

function classifyUploadError(err: Error | DetailedError, file: StoredFile, resuming: boolean): AttemptFailure {
  const detailed = err as Partial<DetailedError>;
  const response: HttpResponse | null | undefined = detailed.originalResponse;
  const request: HttpRequest | null | undefined = detailed.originalRequest;
  if (!response) {
    // No answer at all. (Errors before any request, e.g. reading the file, carry no request either.)
    if (!request) return new AttemptFailure(toWireError(err), 'retry');
    return new AttemptFailure(wire('CENTRAL_UNREACHABLE', { file: file.name, method: request.getMethod() }), 'retry', true);
  }
  const status = response.getStatus();
  if (resuming && (status === 404 || status === 410)) {
    return new AttemptFailure(wire('CENTRAL_UPLOAD_INCOMPLETE', { file: file.name, status, issue: 'upload expired' }), 'retry');
  }
  // 409 on PATCH: our offset is stale; the next attempt asks the central (HEAD) where to continue.
  // The central's own code when it gave one (CENTRAL_UPLOADS_BUSY, CENTRAL_RATE_LIMITED with its
  // retryAfterSeconds): the clerk sees why, and the engine waits as long as the central asked.
  if (isRetryableStatus(status) || status === 409) {
    const error = centralError(status, response.getBody(), 'CENTRAL_SERVER_ERROR');
    return new AttemptFailure({ code: error.code, details: { ...error.details, file: file.name } }, 'retry');
  }
  if (status === 401) return new AttemptFailure(centralError(status, response.getBody(), 'CENTRAL_REJECTED'), 'retry');
  return new AttemptFailure(centralError(status, response.getBody(), 'CENTRAL_REJECTED'), 'terminal');
}
