/**
 * tus 1.0 resumable uploads at `/api/v1/uploads/`, stored by @tus/file-store under `<dataDir>/uploads`
 * (the bytes plus a `.json` info file per upload), so a client can HEAD/PATCH-resume across a restart.
 */
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { FileStore } from '@tus/file-store';
import { Server as TusServer } from '@tus/server';
import { centralPaths, uploadMetadataSchema, type CentralError } from '../../shared/sync/protocol';
import type { Faults } from './faults';
import { zodDetails } from './http-errors';

/** The default upload ids of @tus/server: 16 random bytes in hex. Anything else is not one of ours. */
const uploadIdPattern = /^[0-9a-f]{32}$/;

export type UploadState =
  | { readonly state: 'missing' }
  | { readonly state: 'incomplete'; readonly offset: number; readonly size: number | undefined }
  | { readonly state: 'complete'; readonly size: number; readonly metadata: Readonly<Record<string, string | null>> };

export interface Uploads {
  /** Where an upload stands, by id (an upload URL's last path segment). */
  status(uploadId: string): Promise<UploadState>;
  /** The bytes of a complete upload. */
  read(uploadId: string): Promise<Uint8Array>;
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
class TusRejection extends Error {
  readonly status_code: number;
  readonly body: string;

  constructor(status: number, error: CentralError) {
    super(`${status} ${error.error}`);
    this.status_code = status;
    this.body = JSON.stringify(error);
  }
}

export function mountUploads(app: FastifyInstance, opts: { uploadsDir: string; maxUploadBytes: number; faults: Faults }): Uploads {
  const datastore = new FileStore({ directory: opts.uploadsDir });
  const basePath = centralPaths.uploads.replace(/\/$/, '');

  const tus = new TusServer({
    path: basePath,
    datastore,
    maxSize: opts.maxUploadBytes,
    // Any origin for now (device authentication arrives later). @tus/server answers CORS itself, exposing
    // Location, Upload-Offset, Upload-Length, Tus-Resumable and the other tus headers.
    allowedOrigins: (_origin: string) => true,
    onUploadCreate: (_req, upload) => {
      const parsed = uploadMetadataSchema.safeParse(upload.metadata ?? {});
      if (!parsed.success) {
        return Promise.reject(new TusRejection(400, { error: 'CENTRAL_REJECTED', details: { reason: 'upload-metadata', ...zodDetails(parsed.error) } }));
      }
      return Promise.resolve({});
    },
  });

  // Leave the body unread: tus streams it into the file store itself.
  app.addContentTypeParser('application/offset+octet-stream', (_request, _payload, done) => done(null));

  const handler = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (request.method === 'PATCH' && opts.faults.take('upload-patch-500')) {
      await reply
        .code(500)
        .headers({ 'tus-resumable': '1.0.0', 'access-control-allow-origin': '*', connection: 'close' })
        .send({ error: 'CENTRAL_SERVER_ERROR', details: { fault: 'upload-patch-500' } } satisfies CentralError);
      return;
    }
    reply.hijack();
    await tus.handle(request.raw, reply.raw);
  };
  app.all(basePath, handler);
  app.all(`${basePath}/*`, handler);

  const filePath = (uploadId: string): string | undefined =>
    uploadIdPattern.test(uploadId) ? path.join(opts.uploadsDir, uploadId) : undefined;

  return {
    async status(uploadId) {
      if (!filePath(uploadId)) return { state: 'missing' };
      try {
        const upload = await datastore.getUpload(uploadId);
        if (upload.size !== undefined && upload.offset === upload.size) {
          return { state: 'complete', size: upload.size, metadata: upload.metadata ?? {} };
        }
        return { state: 'incomplete', offset: upload.offset, size: upload.size };
      } catch {
        // FILE_NOT_FOUND / FILE_NO_LONGER_EXISTS from the store.
        return { state: 'missing' };
      }
    },
    async read(uploadId) {
      const file = filePath(uploadId);
      if (!file) throw new Error(`not an upload id: ${uploadId}`);
      return new Uint8Array(await readFile(file));
    },
    async remove(uploadId) {
      const file = filePath(uploadId);
      if (!file) return;
      await rm(file, { force: true });
      await rm(`${file}.json`, { force: true });
    },
  };
}
