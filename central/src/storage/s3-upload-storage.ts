/**
 * tus uploads in progress in an S3 bucket of their own, through `@tus/s3-store`: per upload `<id>.info` (JSON:
 * length, offset, metadata; the multipart upload's id in the object's metadata), a multipart upload on `<id>`
 * whose parts are the PATCHes, `<id>.part` for a PATCH that ended short of the 5 MiB part minimum, and `<id>`
 * itself once complete. The store's pitfalls, handled here (docs/scaling.md, "Storage on S3"):
 * - its upload-info cache is per process by default, so another instance's PATCH or commit leaves a stale copy:
 *   no cache here (`NoCache`), every request reads `<id>.info` (one small GET);
 * - removing a *completed* upload deletes nothing in @tus/s3-store 2.0.7 (the abort fails first), so `remove`
 *   aborts what is open and deletes the objects itself;
 * - its getUpload answers "not found" (404) for ANY failure to read `<id>.info`, a gateway that is down
 *   included: the counter takes a 404 as "this upload is gone" and starts over, or gives up on a new upload.
 *   `S3StoreTellingOutages` asks S3 itself before saying so, and answers 503 (try again) for an outage;
 * - PATCHes under 5 MiB make it download, delete and re-upload `<id>.part` at each next PATCH: the counter's
 *   chunk is chosen for it (`defaultUploadChunkSize`, renderer/src/sync/engine.ts).
 */
import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { S3Store } from '@tus/s3-store';
import { ERRORS, type KvStore, type Upload } from '@tus/server';
import type { UploadSweepOptions, UploadSweepReport } from '../upload-sweep';
import { TusRejection, uploadIdPattern } from '../uploads';
import type { S3StorageConfig } from './config';
import { notFoundError } from './file-storage';
import { isS3NotFound, s3ClientConfig, s3ErrorName } from './s3-client';
import type { UploadStorage } from './upload-storage';

/** @tus/s3-store's part size: at least the counter's chunk, so each of its PATCHes but the last is one whole part. */
const S3_UPLOAD_PART_BYTES = 8 * 1024 * 1024;

/** An upload-info cache that keeps nothing: every instance reads the shared `<id>.info`. */
class NoCache<T> implements KvStore<T> {
  get(): Promise<T | undefined> {
    return Promise.resolve(undefined);
  }
  set(): Promise<void> {
    return Promise.resolve();
  }
  delete(): Promise<void> {
    return Promise.resolve();
  }
}

const infoKey = (id: string): string => `${id}.info`;
const partKey = (id: string): string => `${id}.part`;

/**
 * @tus/s3-store with one correction: "not found" only when S3 says the upload's info object does not exist
 * (seen in the cluster fault campaign: radosgw killed mid-PATCH → 404 → the counter's dossier failed).
 */
class S3StoreTellingOutages extends S3Store {
  override async getUpload(id: string): Promise<Upload> {
    try {
      return await super.getUpload(id);
    } catch (err) {
      if (err !== ERRORS.FILE_NOT_FOUND) throw err;
      try {
        await this.client.headObject({ Bucket: this.bucket, Key: infoKey(id) });
      } catch (headErr) {
        if (isS3NotFound(headErr)) throw err;
        throw new TusRejection(503, { error: 'CENTRAL_SERVER_ERROR', details: { reason: 'upload storage unavailable', s3: s3ErrorName(headErr) ?? 'no answer' } });
      }
      // The info is there, yet the store could not read it: a failure of the moment, not a missing upload.
      throw new TusRejection(503, { error: 'CENTRAL_SERVER_ERROR', details: { reason: 'upload storage unavailable' } });
    }
  }
}

/** `abc.info` / `abc.part` / `abc` → `abc`. */
function uploadIdOfKey(key: string): string {
  return key.replace(/\.(info|part)$/, '');
}

export class S3UploadStorage implements UploadStorage {
  readonly kind = 's3';
  readonly datastore: S3Store;
  readonly client: S3Client;
  readonly bucket: string;

  constructor(config: S3StorageConfig, client: S3Client = new S3Client(s3ClientConfig(config))) {
    this.client = client;
    this.bucket = config.uploadsBucket;
    this.datastore = new S3StoreTellingOutages({
      partSize: S3_UPLOAD_PART_BYTES,
      cache: new NoCache(),
      s3ClientConfig: { bucket: this.bucket, ...s3ClientConfig(config) },
    });
  }

  async openRead(uploadId: string): Promise<Readable> {
    if (!uploadIdPattern.test(uploadId)) throw notFoundError(uploadId);
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: uploadId }));
      if (!(out.Body instanceof Readable)) throw notFoundError(uploadId);
      return out.Body;
    } catch (err) {
      throw isS3NotFound(err) ? notFoundError(uploadId, err) : err;
    }
  }

  /** The multipart upload id recorded on `<id>.info`, or undefined when the info is gone. */
  private async multipartIdOf(uploadId: string): Promise<string | undefined> {
    try {
      return (await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: infoKey(uploadId) }))).Metadata?.['upload-id'];
    } catch (err) {
      if (isS3NotFound(err)) return undefined;
      throw err;
    }
  }

  private async abort(uploadId: string, multipartId: string): Promise<void> {
    try {
      await this.client.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: uploadId, UploadId: multipartId }));
    } catch (err) {
      // Completed (or aborted) already: nothing open.
      if (!isS3NotFound(err) && s3ErrorName(err) !== 'NoSuchUpload') throw err;
    }
  }

  async remove(uploadId: string): Promise<void> {
    if (!uploadIdPattern.test(uploadId)) return;
    const multipartId = await this.multipartIdOf(uploadId);
    if (multipartId) await this.abort(uploadId, multipartId);
    // The info last: while it exists the upload can still be found and removed again.
    await this.deleteKeys([uploadId, partKey(uploadId)]);
    await this.deleteKeys([infoKey(uploadId)]);
  }

  private async deleteKeys(keys: readonly string[]): Promise<void> {
    for (let i = 0; i < keys.length; i += 1000) {
      const batch = keys.slice(i, i + 1000);
      await this.client.send(new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } }));
    }
  }

  /**
   * The disk sweep's rule on the bucket: an upload is stale when its newest object (`.info`, `.part`, the completed
   * object, or a multipart part) is older than `maxAgeMs`; a committed dossier's upload is spared. Also removed:
   * objects and multipart uploads of an id with no `.info` (a crash between creating one and the other), once as
   * old. The bucket's lifecycle rule (AbortIncompleteMultipartUpload) is the second line of defence.
   */
  async sweep(opts: Omit<UploadSweepOptions, 'uploadsDir'>): Promise<UploadSweepReport> {
    const now = (opts.now ?? new Date()).getTime();
    const report: { removed: string[]; keptCommitted: string[]; active: number } = { removed: [], keptCommitted: [], active: 0 };

    // Every object of the bucket by upload id, with its newest write.
    const newest = new Map<string, number>();
    const withInfo = new Set<string>();
    let token: string | undefined;
    do {
      const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, ...(token ? { ContinuationToken: token } : {}) }));
      for (const obj of page.Contents ?? []) {
        if (!obj.Key) continue;
        const id = uploadIdOfKey(obj.Key);
        if (!uploadIdPattern.test(id)) continue;
        if (obj.Key.endsWith('.info')) withInfo.add(id);
        newest.set(id, Math.max(newest.get(id) ?? 0, obj.LastModified?.getTime() ?? 0));
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);

    // Multipart uploads still open: their parts are writes too.
    const open = new Map<string, { multipartId: string; initiated: number }[]>();
    let keyMarker: string | undefined;
    let uploadIdMarker: string | undefined;
    for (;;) {
      const page = await this.client.send(
        new ListMultipartUploadsCommand({ Bucket: this.bucket, ...(keyMarker ? { KeyMarker: keyMarker } : {}), ...(uploadIdMarker ? { UploadIdMarker: uploadIdMarker } : {}) }),
      );
      for (const upload of page.Uploads ?? []) {
        if (!upload.Key || !upload.UploadId || !uploadIdPattern.test(upload.Key)) continue;
        const list = open.get(upload.Key) ?? [];
        list.push({ multipartId: upload.UploadId, initiated: upload.Initiated?.getTime() ?? 0 });
        open.set(upload.Key, list);
      }
      if (!page.IsTruncated) break;
      keyMarker = page.NextKeyMarker;
      uploadIdMarker = page.NextUploadIdMarker;
    }

    for (const id of new Set([...newest.keys(), ...open.keys()])) {
      let last = newest.get(id) ?? 0;
      for (const { multipartId, initiated } of open.get(id) ?? []) {
        last = Math.max(last, initiated);
        // Only when the objects alone say stale: a part written since keeps the upload.
        if (now - last >= opts.maxAgeMs) last = Math.max(last, await this.newestPart(id, multipartId));
      }
      if (now - last < opts.maxAgeMs) {
        report.active++;
        continue;
      }
      if (withInfo.has(id)) {
        const { dossierId, sha256 } = await this.metadataOf(id);
        if (dossierId && sha256 && (await opts.isCommitted(dossierId, sha256))) {
          report.keptCommitted.push(id);
          continue;
        }
      }
      for (const { multipartId } of open.get(id) ?? []) await this.abort(id, multipartId);
      await this.deleteKeys([id, partKey(id)]);
      await this.deleteKeys([infoKey(id)]);
      report.removed.push(id);
    }
    return report;
  }

  private async newestPart(id: string, multipartId: string): Promise<number> {
    let newest = 0;
    let marker: string | undefined;
    for (;;) {
      const page = await this.client
        .send(new ListPartsCommand({ Bucket: this.bucket, Key: id, UploadId: multipartId, ...(marker ? { PartNumberMarker: marker } : {}) }))
        .catch((err: unknown) => {
          if (isS3NotFound(err) || s3ErrorName(err) === 'NoSuchUpload') return undefined;
          throw err;
        });
      if (!page) return newest;
      for (const part of page.Parts ?? []) newest = Math.max(newest, part.LastModified?.getTime() ?? 0);
      if (!page.IsTruncated || !page.NextPartNumberMarker) return newest;
      marker = page.NextPartNumberMarker;
    }
  }

  private async metadataOf(id: string): Promise<{ dossierId?: string; sha256?: string }> {
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: infoKey(id) }));
      const info = JSON.parse((await out.Body?.transformToString()) ?? '{}') as { metadata?: Record<string, unknown> };
      const { dossierId, sha256 } = info.metadata ?? {};
      return { ...(typeof dossierId === 'string' ? { dossierId } : {}), ...(typeof sha256 === 'string' ? { sha256 } : {}) };
    } catch {
      // Gone meanwhile, or torn: no dossier can refer to it.
      return {};
    }
  }

  async probe(): Promise<void> {
    await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
  }
}
