/**
 * tus 1.0 resumable uploads at `/api/v1/uploads/`, kept by the configured upload storage (storage/: the data
 * directory through @tus/file-store, or an S3 bucket through @tus/s3-store), so a client can HEAD/PATCH-resume
 * across a restart — and, on S3, through another instance.
 */
import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Server as TusServer, type Locker } from '@tus/server';
import type { UploadStorage } from './storage/upload-storage';
import { uploadMetadataSchema, type CentralError } from '../../shared/sync/protocol';
import { uploadsPrefix } from '../../shared/sync/api-contract';
import { tusRouteId } from './routes';
import type { Faults } from './faults';
import { CentralHttpError, zodDetails } from './http-errors';

/** The default upload ids of @tus/server: 16 random bytes in hex. Anything else is not one of ours. */
export const uploadIdPattern = /^[0-9a-f]{32}$/;

type UploadState =
  | { readonly state: 'missing' }
  | { readonly state: 'incomplete'; readonly offset: number; readonly size: number | undefined; readonly metadata: Readonly<Record<string, string | null>> }
  | { readonly state: 'complete'; readonly size: number; readonly metadata: Readonly<Record<string, string | null>> };

export interface Uploads {
  /** Where an upload stands, by id (an upload URL's last path segment). */
  status(uploadId: string): Promise<UploadState>;
  /** The bytes of a complete upload, streamed; rejects with ENOENT when it is gone. */
  openRead(uploadId: string): Promise<Readable>;
  /** Drops an upload once its bytes are stored elsewhere; a missing one is fine. */
  remove(uploadId: string): Promise<void>;
}

/** `https://host/api/v1/uploads/abc?x` → `abc`; a bare id stays as it is. */
export function uploadIdFromUrl(uploadUrl: string): string {
  const withoutQuery = uploadUrl.split(/[?#]/, 1)[0] ?? '';
  const segments = withoutQuery.split('/').filter((s) => s.length > 0);
  return decodeURIComponent(segments[segments.length - 1] ?? '');
}

/** @tus/server answers a thrown error's `status_code` and `body` as they are. */
export class TusRejection extends Error {
  readonly status_code: number;
  readonly body: string;

  constructor(status: number, error: CentralError) {
    super(`${status} ${error.error}`);
    this.status_code = status;
    this.body = JSON.stringify(error);
  }
}

/** The device behind a request's Authorization header; rejects with a CentralHttpError (401). */
export type DeviceAuthenticator = (authorization: string | undefined) => Promise<{ readonly deviceId: string }>;

/** The metadata key where the central records which device created an upload (set by the central, not the client). */
export const uploadOwnerKey = 'motcuaDeviceId';

/** The device for a tus hook, or the rejection @tus/server turns into the answer. */
async function deviceForTus(authenticate: DeviceAuthenticator, req: Request): Promise<{ readonly deviceId: string }> {
  try {
    return await authenticate(req.headers.get('authorization') ?? undefined);
  } catch (err) {
    if (err instanceof CentralHttpError) throw new TusRejection(err.status, err.toBody());
    throw err;
  }
}

/**
 * Uploads one device may have in progress at once (issue 17, finding 10). A counter's sync engine sends two
 * dossiers at a time, their files one after another (renderer/src/sync/engine.ts), so it has at most two in
 * progress, plus a few left half-done by a dossier that was removed or a crash: 8 never blocks it.
 */
export const DEFAULT_MAX_UPLOADS_IN_PROGRESS_PER_DEVICE = 8;

/**
 * The uploads each device has started and not finished, with when each last received bytes. Kept in memory: a
 * restart forgets them, which only lets a device start a few more — this is a brake on one device holding many
 * open uploads (files, disk promised by Upload-Length), not an accounting.
 */
interface UploadActivity {
  /** When it was created or last had a PATCH start or end. */
  lastActiveMs: number;
  /** PATCH requests receiving its bytes right now (a long one over a slow link keeps it in progress). */
  openPatches: number;
}

export class UploadsInProgress {
  private readonly byDevice = new Map<string, Map<string, UploadActivity>>();

  /**
   * @param staleMs an upload with no PATCH open and none for this long no longer counts (the upload idle timeout:
   *   the central cuts a PATCH idle that long, so nothing is being received). A counter that abandoned one (a
   *   lost answer to its creation, a discarded dossier, a reset database) is not blocked until the sweep removes
   *   it days later; resuming one is never refused.
   */
  constructor(
    private readonly limit: number,
    private readonly staleMs: number,
    private readonly nowMs: () => number = () => performance.now(),
  ) {}

  /** How many `deviceId` has in progress now (stale ones are forgotten on the way). */
  count(deviceId: string): number {
    const uploads = this.byDevice.get(deviceId);
    if (!uploads) return 0;
    const now = this.nowMs();
    for (const [uploadId, activity] of uploads) {
      if (activity.openPatches === 0 && now - activity.lastActiveMs >= this.staleMs) uploads.delete(uploadId);
    }
    if (uploads.size === 0) this.byDevice.delete(deviceId);
    return uploads.size;
  }

  /** Throws `CENTRAL_UPLOADS_BUSY` (429) when the device is at its limit; checked before a new upload is created. */
  requireSlot(deviceId: string): void {
    const inProgress = this.count(deviceId);
    if (inProgress >= this.limit) {
      throw new TusRejection(429, { error: 'CENTRAL_UPLOADS_BUSY', details: { inProgress, limit: this.limit } });
    }
  }

  /** A new upload, or a PATCH starting on one (`patch`): it is (still) in progress. */
  touch(deviceId: string, uploadId: string, patch = false): void {
    let uploads = this.byDevice.get(deviceId);
    if (!uploads) this.byDevice.set(deviceId, (uploads = new Map<string, UploadActivity>()));
    const activity = uploads.get(uploadId) ?? { lastActiveMs: 0, openPatches: 0 };
    activity.lastActiveMs = this.nowMs();
    if (patch) activity.openPatches += 1;
    uploads.set(uploadId, activity);
  }

  /** A PATCH counted by `touch(…, true)` ended (answered, cut or failed). */
  patchEnded(deviceId: string, uploadId: string): void {
    const activity = this.byDevice.get(deviceId)?.get(uploadId);
    if (!activity || activity.openPatches === 0) return;
    activity.openPatches -= 1;
    activity.lastActiveMs = this.nowMs();
  }

  /** Complete (or removed): its slot is free. */
  finish(deviceId: string, uploadId: string): void {
    const uploads = this.byDevice.get(deviceId);
    uploads?.delete(uploadId);
    if (uploads?.size === 0) this.byDevice.delete(deviceId);
  }
}

export function mountUploads(
  app: FastifyInstance,
  opts: {
    storage: UploadStorage;
    maxUploadBytes: number;
    faults: Faults;
    authenticate: DeviceAuthenticator;
    idleTimeoutMs: number;
    maxInProgressPerDevice: number;
    /** Issue 19: a lock shared by every central serving these uploads (cluster/pg-upload-lock.ts); default @tus/server's in-memory one. */
    locker?: Locker;
    /**
     * Issue 19, cluster mode: the counters' base URL of the cluster. A new upload's `Location` is built from it,
     * not from the request's Host (@tus/server's default), which names the instance or proxy hop the request
     * came through, with `http` even behind TLS.
     */
    publicUrl?: string;
  },
): Uploads {
  const datastore = opts.storage.datastore;
  const basePath = uploadsPrefix;
  const inProgress = new UploadsInProgress(opts.maxInProgressPerDevice, opts.idleTimeoutMs);

  const tus = new TusServer({
    path: basePath,
    datastore,
    maxSize: opts.maxUploadBytes,
    // Any origin: requests are authorised by the device credential, not by where the page came from.
    // @tus/server answers CORS itself, exposing Location, Upload-Offset, Upload-Length and the other tus headers.
    allowedOrigins: (_origin: string) => true,
    // Issue 16: the counter's version travels on every request (shared/sync/fleet.ts), tus uploads included.
    allowedHeaders: ['Authorization', 'X-Motcua-Counter-Version'],
    ...(opts.locker ? { locker: opts.locker } : {}),
    ...(opts.publicUrl === undefined ? {} : { generateUrl: (_req: Request, url: { path: string; id: string }) => `${opts.publicUrl}${url.path}/${url.id}` }),
    onUploadCreate: async (req, upload) => {
      const parsed = uploadMetadataSchema.safeParse(upload.metadata ?? {});
      if (!parsed.success) {
        throw new TusRejection(400, { error: 'CENTRAL_REJECTED', details: { reason: 'upload-metadata', ...zodDetails(parsed.error) } });
      }
      // The upload is bound to the device that created it: only that device may resume or commit it.
      const device = await deviceForTus(opts.authenticate, req);
      // Checked and taken with no await in between: concurrent creations cannot all pass the check.
      inProgress.requireSlot(device.deviceId);
      inProgress.touch(device.deviceId, upload.id);
      return { metadata: { ...upload.metadata, [uploadOwnerKey]: device.deviceId } };
    },
    onUploadFinish: (_req, upload) => {
      const owner = upload.metadata?.[uploadOwnerKey];
      if (owner) inProgress.finish(owner, upload.id);
      return Promise.resolve({});
    },
    onIncomingRequest: async (req, uploadId) => {
      if (req.method === 'POST' || req.method === 'OPTIONS') return;
      const device = await deviceForTus(opts.authenticate, req);
      const upload = await datastore.getUpload(uploadId).catch(() => undefined);
      // Another device's upload looks like no upload at all.
      if (upload && upload.metadata?.[uploadOwnerKey] !== device.deviceId) {
        throw new TusRejection(404, { error: 'CENTRAL_NOT_FOUND', details: { uploadId } });
      }
      // A resumed upload is in progress again (and was perhaps forgotten by a restart); the handler below ends
      // the PATCH's count when its answer closes.
      if (req.method === 'PATCH' && upload && upload.size !== upload.offset) inProgress.touch(device.deviceId, uploadId, true);
      // Terminated by its device (tus DELETE): no longer in progress.
      if (req.method === 'DELETE') inProgress.finish(device.deviceId, uploadId);
    },
  });

  // Leave the body unread: tus streams it into the file store itself.
  app.addContentTypeParser('application/offset+octet-stream', (_request, _payload, done) => done(null));

  const handler = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    // Every tus request but the CORS preflight carries the device credential.
    if (request.method !== 'OPTIONS') {
      try {
        const device = await opts.authenticate(request.headers.authorization);
        if (request.method === 'PATCH') {
          const uploadId = uploadIdFromUrl(request.url);
          reply.raw.once('close', () => inProgress.patchEnded(device.deviceId, uploadId));
        }
      } catch (err) {
        if (!(err instanceof CentralHttpError)) throw err;
        await reply.code(err.status).headers({ 'tus-resumable': '1.0.0', 'access-control-allow-origin': '*' }).send(err.toBody());
        return;
      }
    }
    if (request.method === 'PATCH' && opts.faults.take('upload-patch-500')) {
      // Read the chunk and throw it away before answering, as a server failing after the body would: answering
      // while the client still writes makes the client see EPIPE instead of the 500 this fault stands for.
      await discardBody(request.raw, opts.idleTimeoutMs);
      await reply
        .code(500)
        .headers({ 'tus-resumable': '1.0.0', 'access-control-allow-origin': '*', connection: 'close' })
        .send({ error: 'CENTRAL_SERVER_ERROR', details: { fault: 'upload-patch-500' } } satisfies CentralError);
      return;
    }
    if (request.method === 'PATCH') {
      // A PATCH whose client stopped sending (power cut, a link that went dead without a FIN) would hold its
      // socket and file open forever: the server has no total request timeout, since a slow link may take
      // minutes for a chunk. So cut it after a time with no byte at all; what arrived is kept, and the client
      // resumes from HEAD. (A client resuming sooner takes the upload over: tus's locker cancels the old PATCH.)
      request.raw.setTimeout(opts.idleTimeoutMs, () => {
        request.log.warn({ url: request.url, idleTimeoutMs: opts.idleTimeoutMs }, 'upload PATCH stalled; connection closed');
        request.raw.destroy(new Error('upload PATCH stalled'));
      });
    }
    reply.hijack();
    await tus.handle(request.raw, reply.raw);
  };
  // One catch-all for the contract's four tus routes (uploadCreate, uploadOffset, uploadAppend, uploadTerminate).
  app.all(basePath, { config: { routeId: tusRouteId } }, handler);
  app.all(`${basePath}/*`, { config: { routeId: tusRouteId } }, handler);

  return {
    async status(uploadId) {
      if (!uploadIdPattern.test(uploadId)) return { state: 'missing' };
      try {
        const upload = await datastore.getUpload(uploadId);
        if (upload.size !== undefined && upload.offset === upload.size) {
          return { state: 'complete', size: upload.size, metadata: upload.metadata ?? {} };
        }
        return { state: 'incomplete', offset: upload.offset, size: upload.size, metadata: upload.metadata ?? {} };
      } catch {
        // FILE_NOT_FOUND / FILE_NO_LONGER_EXISTS from the store.
        return { state: 'missing' };
      }
    },
    openRead: (uploadId) => opts.storage.openRead(uploadId),
    remove: (uploadId) => opts.storage.remove(uploadId),
  };
}

/** Reads and drops a request body; gives up after `idleMs` without a byte (the fault must not hang a test). */
async function discardBody(body: NodeJS.ReadableStream & { readableEnded?: boolean }, idleMs: number): Promise<void> {
  if (body.readableEnded) return;
  await new Promise<void>((resolve) => {
    let timer = setTimeout(resolve, idleMs);
    body.on('data', () => {
      clearTimeout(timer);
      timer = setTimeout(resolve, idleMs);
    });
    body.once('end', () => {
      clearTimeout(timer);
      resolve();
    });
    body.once('error', () => {
      clearTimeout(timer);
      resolve();
    });
    body.resume();
  });
}
