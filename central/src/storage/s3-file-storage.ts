/**
 * Stored files in an S3 bucket. Content-addressed and write-once: every put carries `Content-MD5` (the store
 * refuses bytes damaged on the way: BadDigest) and `If-None-Match: *` (a key already there answers 412, which is
 * success — same key, same SHA-256 — and no second writer can replace the first). S3's "not found" is read as
 * ENOENT, like a missing file on disk.
 */
import { createHash } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import type { S3StorageConfig } from './config';
import { notFoundError, StorageDigestError, type FileStorage, type PutChecks, type StoredObject } from './file-storage';
import { isS3NotFound, s3ClientConfig, s3ErrorName, s3Status } from './s3-client';

export class S3FileStorage implements FileStorage {
  readonly kind = 's3';
  readonly client: S3Client;
  readonly bucket: string;

  constructor(config: S3StorageConfig, client: S3Client = new S3Client(s3ClientConfig(config))) {
    this.client = client;
    this.bucket = config.filesBucket;
  }

  async put(key: string, bytes: Uint8Array, checks: PutChecks = {}): Promise<void> {
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: bytes,
          ContentLength: bytes.byteLength,
          ContentMD5: checks.md5Base64 ?? createHash('md5').update(bytes).digest('base64'),
          ContentType: 'application/pdf',
          IfNoneMatch: '*',
        }),
      );
    } catch (err) {
      if (s3ErrorName(err) === 'BadDigest' || s3ErrorName(err) === 'InvalidDigest') throw new StorageDigestError(key, { cause: err });
      // 412: already stored. 409: a concurrent conditional write of the same key (AWS) — there if HEAD finds it.
      const status = s3Status(err);
      if (status === 412 || (status === 409 && (await this.size(key)) !== undefined)) return this.refresh(key);
      throw err;
    }
  }

  /**
   * A write-once hit: copy the object onto itself so its LastModified is now (FileStorage.put). Best effort — a
   * store refusing it leaves only the small window the orphan job's recheck already narrows.
   */
  private async refresh(key: string): Promise<void> {
    await this.client
      .send(new CopyObjectCommand({ Bucket: this.bucket, Key: key, CopySource: `${this.bucket}/${key}`, MetadataDirective: 'REPLACE', ContentType: 'application/pdf' }))
      .catch(() => undefined);
  }

  async read(key: string): Promise<Uint8Array> {
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      if (!out.Body) throw notFoundError(key);
      return await out.Body.transformToByteArray();
    } catch (err) {
      throw isS3NotFound(err) ? notFoundError(key, err) : err;
    }
  }

  openRead(key: string): Readable {
    // Synchronous by the port (the routes hand the stream to fastify): the GET starts now, its body flows through.
    const through = new PassThrough();
    this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key })).then(
      (out) => {
        const body = out.Body;
        if (!(body instanceof Readable)) return through.destroy(notFoundError(key));
        body.once('error', (err) => through.destroy(err));
        body.pipe(through);
      },
      (err: unknown) => through.destroy(isS3NotFound(err) ? notFoundError(key, err) : (err as Error)),
    );
    return through;
  }

  async size(key: string): Promise<number | undefined> {
    return (await this.stat(key))?.size;
  }

  async stat(key: string): Promise<StoredObject | undefined> {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return { key, size: head.ContentLength ?? 0, lastModified: head.LastModified ?? new Date(0) };
    } catch (err) {
      if (isS3NotFound(err)) return undefined;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    // S3 answers 204 for a missing key too.
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  async *list(prefix: string): AsyncIterable<StoredObject> {
    let token: string | undefined;
    do {
      const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) }));
      for (const obj of page.Contents ?? []) {
        if (obj.Key && obj.LastModified) yield { key: obj.Key, size: obj.Size ?? 0, lastModified: obj.LastModified };
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  async probe(): Promise<void> {
    await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
  }
}
