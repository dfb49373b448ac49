/**
 * The tus-uploads-in-progress port (central/src/storage/upload-storage.ts), the same cases against the data
 * directory (@tus/file-store) and a real S3 server (@tus/s3-store on Ceph RGW, a bucket of its own): a complete
 * upload reads back as a stream; `remove` leaves nothing behind (on S3 also for a completed upload, which
 * @tus/s3-store's own remove does not delete); the sweep removes an abandoned upload, spares one a committed
 * dossier holds, and on S3 also aborts a multipart upload whose `.info` was never written, and a gateway that does
 * not answer is an outage (503), never "not found".
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { CreateMultipartUploadCommand, ListMultipartUploadsCommand } from '@aws-sdk/client-s3';
import { Upload } from '@tus/server';
import { afterAll, describe, expect, it } from 'vitest';
import { DiskUploadStorage } from '../../central/src/storage/disk-upload-storage';
import { S3UploadStorage } from '../../central/src/storage/s3-upload-storage';
import type { UploadStorage } from '../../central/src/storage/upload-storage';
import { skipWithout } from '../support/requirements';
import { createTestBuckets, s3Missing, type TestBuckets } from '../support/s3';

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
const newUploadId = (): string => randomBytes(16).toString('hex');
const eightDaysLater = (): Date => new Date(Date.now() + 8 * 24 * 3600_000);
const sevenDays = 7 * 24 * 3600_000;

interface Adapter {
  readonly storage: UploadStorage;
  /** Every name the store holds for `uploadId` (files or object keys). */
  readonly leftOf: (uploadId: string) => Promise<string[]>;
}

const s3Skipped = skipWithout('S3 (Ceph RGW)', s3Missing);
const tempDirs: string[] = [];
let buckets: TestBuckets | undefined;
afterAll(async () => {
  for (const dir of tempDirs) await rm(dir, { recursive: true, force: true });
  await buckets?.drop();
});

async function diskAdapter(): Promise<Adapter> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'motcua-uploads-'));
  tempDirs.push(dir);
  const storage = new DiskUploadStorage(dir);
  await storage.init();
  return { storage, leftOf: async (id) => (await readdir(dir)).filter((name) => name.startsWith(id)) };
}

async function s3Adapter(): Promise<Adapter> {
  buckets ??= await createTestBuckets();
  const s3 = buckets;
  return { storage: new S3UploadStorage(s3.config, s3.client), leftOf: async (id) => (await s3.keys(s3.config.uploadsBucket)).filter((key) => key.startsWith(id)) };
}

/** An upload as @tus/server makes one: created with its metadata, then `sent` bytes written. */
async function startUpload(storage: UploadStorage, bytes: Uint8Array, sent: number, metadata: Record<string, string> = {}): Promise<string> {
  const id = newUploadId();
  await storage.datastore.create(new Upload({ id, size: bytes.byteLength, offset: 0, metadata: { sha256: sha256(bytes), ...metadata } }));
  if (sent > 0) await storage.datastore.write(Readable.from([Buffer.from(bytes.subarray(0, sent))]), id, 0);
  return id;
}

for (const [name, open, skip] of [
  ['disk', diskAdapter, false],
  ['S3 (Ceph RGW)', s3Adapter, s3Skipped],
] as const) {
  describe.skipIf(skip)(`uploads in progress on ${name}`, () => {
    it('a complete upload reads back as a stream; remove leaves nothing of it, and reading it then is ENOENT', { timeout: 60_000 }, async () => {
      const { storage, leftOf } = await open();
      const bytes = randomBytes(700_000);
      const id = await startUpload(storage, bytes, bytes.byteLength);
      const chunks: Buffer[] = [];
      for await (const chunk of await storage.openRead(id)) chunks.push(chunk as Buffer);
      expect(sha256(Buffer.concat(chunks))).toBe(sha256(bytes));
      expect((await storage.datastore.getUpload(id)).offset).toBe(bytes.byteLength);

      await storage.remove(id);
      expect(await leftOf(id)).toEqual([]);
      await expect(storage.openRead(id)).rejects.toMatchObject({ code: 'ENOENT' });
      await storage.remove(id); // a missing one is fine
      await storage.probe();
    });

    it('the sweep leaves uploads written within the age; later it removes an abandoned one and spares one a committed dossier holds', { timeout: 60_000 }, async () => {
      const { storage, leftOf } = await open();
      const bytes = randomBytes(300_000);
      const committedDossier = '0b9c1f1e-2a41-4d2e-9a55-1f7f3c3a9b10';
      const abandoned = await startUpload(storage, bytes, 100_000, { dossierId: '7d0c3f0e-6d7e-4b8e-8a1d-2b2f3b7e9c01' });
      const committed = await startUpload(storage, bytes, bytes.byteLength, { dossierId: committedDossier });
      const isCommitted = (dossierId: string): Promise<boolean> => Promise.resolve(dossierId === committedDossier);

      // Today nothing is stale.
      const today = await storage.sweep({ maxAgeMs: sevenDays, isCommitted });
      expect(today.removed).not.toContain(abandoned);
      expect(await leftOf(abandoned)).not.toEqual([]);

      const later = await storage.sweep({ maxAgeMs: sevenDays, isCommitted, now: eightDaysLater() });
      expect(later.removed).toContain(abandoned);
      expect(later.keptCommitted).toContain(committed);
      expect(await leftOf(abandoned)).toEqual([]);
      expect(await leftOf(committed)).not.toEqual([]);
      await expect(storage.datastore.getUpload(abandoned)).rejects.toMatchObject({ status_code: 404 });
    });
  });
}

describe.skipIf(s3Skipped)('uploads in progress on S3, beyond the disk cases', () => {
  it('the sweep aborts a multipart upload whose .info was never written (a crash between the two), once as old', { timeout: 60_000 }, async () => {
    const { storage } = await s3Adapter();
    if (!buckets) throw new Error('buckets');
    const { client, config } = buckets;
    const id = newUploadId();
    await client.send(new CreateMultipartUploadCommand({ Bucket: config.uploadsBucket, Key: id }));
    const open = async (): Promise<number> => ((await client.send(new ListMultipartUploadsCommand({ Bucket: config.uploadsBucket }))).Uploads ?? []).filter((u) => u.Key === id).length;
    expect(await open()).toBe(1);
    const isCommitted = (): Promise<boolean> => Promise.resolve(false);
    expect((await storage.sweep({ maxAgeMs: sevenDays, isCommitted })).removed).not.toContain(id);
    expect((await storage.sweep({ maxAgeMs: sevenDays, isCommitted, now: eightDaysLater() })).removed).toContain(id);
    expect(await open()).toBe(0);
  });

  it('"not found" (404) only when S3 says so: a gateway that does not answer is 503, try again (the counter keeps its upload)', { timeout: 60_000 }, async () => {
    const { storage } = await s3Adapter();
    if (!buckets) throw new Error('buckets');
    const bytes = randomBytes(50_000);
    const id = await startUpload(storage, bytes, 20_000);
    expect((await storage.datastore.getUpload(id)).offset).toBe(20_000);
    await expect(storage.datastore.getUpload(newUploadId())).rejects.toMatchObject({ status_code: 404 });

    // The same bucket through a gateway that is down (nothing listens on the port): the upload is not "gone".
    const down = new S3UploadStorage({ ...buckets.config, endpoint: 'http://127.0.0.1:9' });
    const outage = await storage.datastore.getUpload(id).then(() => down.datastore.getUpload(id).then(() => undefined, (err: unknown) => err));
    expect(outage).toMatchObject({ status_code: 503 });
    expect(JSON.parse((outage as { body: string }).body)).toMatchObject({ error: 'CENTRAL_SERVER_ERROR', details: { reason: 'upload storage unavailable' } });
  });
});
