/**
 * The stored-files port (central/src/storage/file-storage.ts) is one contract with two adapters: the same cases
 * run against the data directory and against a real S3 server (Ceph RGW, `tests/support/s3.ts`), each in its
 * own bucket. What the commit and the routes rely on: a missing key reads as ENOENT on both, a put whose MD5
 * does not match stores nothing, a second put of a key keeps the first bytes and refreshes the age, and the
 * orphan job (storage/orphans.ts) removes only objects no row refers to and older than its minimum age.
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { text } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';
import { describeError } from '../../shared/i18n/error-messages';
import { DiskFileStorage } from '../../central/src/storage/disk-file-storage';
import { contentKey, StorageDigestError, type FileStorage } from '../../central/src/storage/file-storage';
import { openStorage } from '../../central/src/storage/open-storage';
import { removeOrphanObjects } from '../../central/src/storage/orphans';
import { S3FileStorage } from '../../central/src/storage/s3-file-storage';
import { openCentralStore, type CentralStore } from '../../central/src/store';
import { centralCommandLine } from '../support/central-process';
import { getTestPki } from '../support/pki';
import { bareDossier } from '../support/postgres';
import { skipWithout } from '../support/requirements';
import { createTestBuckets, s3Missing, type TestBuckets } from '../support/s3';

const md5 = (bytes: Uint8Array): string => createHash('md5').update(bytes).digest('base64');
const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
const pdfBytes = (n: number): Uint8Array => new Uint8Array(Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(n)]));
const keyOf = (bytes: Uint8Array, folder: 'files' | 'results' = 'files'): string => contentKey(folder, sha256(bytes));
const errorCode = async (p: Promise<unknown>): Promise<unknown> => p.then(() => 'resolved', (err: unknown) => (err as { code?: unknown }).code);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Adapter {
  readonly files: FileStorage;
}

const s3Skipped = skipWithout('S3 (Ceph RGW)', s3Missing);
const tempDirs: string[] = [];
let buckets: TestBuckets | undefined;
afterAll(async () => {
  for (const dir of tempDirs) await rm(dir, { recursive: true, force: true });
  await buckets?.drop();
});

async function diskAdapter(): Promise<Adapter> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'motcua-storage-'));
  tempDirs.push(dir);
  const files = new DiskFileStorage(dir);
  await files.init();
  return { files };
}

async function s3Adapter(): Promise<Adapter> {
  buckets ??= await createTestBuckets();
  return { files: new S3FileStorage(buckets.config, buckets.client) };
}

for (const [name, open, skip] of [
  ['disk', diskAdapter, false],
  ['S3 (Ceph RGW)', s3Adapter, s3Skipped],
] as const) {
  describe.skipIf(skip)(`stored files on ${name}`, () => {
    let files: FileStorage;
    beforeAll(async () => {
      ({ files } = await open());
    });

    it('writes, then reads back the same bytes whole and as a stream; size and stat tell it is there', async () => {
      const bytes = pdfBytes(300_000);
      const key = keyOf(bytes);
      await files.put(key, bytes, { md5Base64: md5(bytes) });
      expect(sha256(await files.read(key))).toBe(sha256(bytes));
      const chunks: Buffer[] = [];
      for await (const chunk of files.openRead(key)) chunks.push(chunk as Buffer);
      expect(sha256(Buffer.concat(chunks))).toBe(sha256(bytes));
      expect(await files.size(key)).toBe(bytes.byteLength);
      expect((await files.stat(key))?.size).toBe(bytes.byteLength);
      await files.probe();
    });

    it('a missing key is ENOENT, as a missing file on disk: read, stream; size and stat are undefined', async () => {
      const key = contentKey('files', sha256(randomBytes(8)));
      expect(await errorCode(files.read(key))).toBe('ENOENT');
      expect(await errorCode(text(files.openRead(key)))).toBe('ENOENT');
      expect(await files.size(key)).toBeUndefined();
      expect(await files.stat(key)).toBeUndefined();
    });

    it('deletes a key; deleting a missing key is fine', async () => {
      const bytes = pdfBytes(1_000);
      const key = keyOf(bytes, 'results');
      await files.put(key, bytes);
      await files.delete(key);
      expect(await files.size(key)).toBeUndefined();
      await files.delete(key);
    });

    it('is write-once: a second put of a key succeeds, keeps the bytes and refreshes the age', async () => {
      const bytes = pdfBytes(50_000);
      const key = keyOf(bytes);
      await files.put(key, bytes);
      const first = await files.stat(key);
      // S3 keeps whole seconds.
      await sleep(1_100);
      await files.put(key, bytes);
      const second = await files.stat(key);
      expect(sha256(await files.read(key))).toBe(sha256(bytes));
      expect(second?.size).toBe(bytes.byteLength);
      expect(second!.lastModified.getTime()).toBeGreaterThan(first!.lastModified.getTime());
    });

    it('refuses bytes whose MD5 does not match what the writer computed, and stores nothing', async () => {
      const bytes = pdfBytes(20_000);
      const key = keyOf(bytes);
      const damaged = new Uint8Array(bytes);
      damaged[100] = (damaged[100] ?? 0) ^ 0xff;
      await expect(files.put(key, damaged, { md5Base64: md5(bytes) })).rejects.toBeInstanceOf(StorageDigestError);
      expect(await files.size(key)).toBeUndefined();
    });

    it('lists the objects under a prefix, and only those', async () => {
      const received = pdfBytes(2_000);
      const result = pdfBytes(2_000);
      await files.put(keyOf(received), received);
      await files.put(keyOf(result, 'results'), result);
      const listed: string[] = [];
      for await (const obj of files.list('results/')) listed.push(obj.key);
      expect(listed).toContain(keyOf(result, 'results'));
      expect(listed).not.toContain(keyOf(received));
      expect(listed.every((key) => key.startsWith('results/'))).toBe(true);
    });

    it('removeOrphanObjects: removes an old object no row refers to; keeps a referenced one and a young one', { timeout: 120_000 }, async () => {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'motcua-orphans-db-'));
      tempDirs.push(dir);
      const store: CentralStore = await openCentralStore({ dbDir: path.join(dir, 'db') });
      try {
        const [referenced, orphan, young] = [pdfBytes(3_000), pdfBytes(3_000), pdfBytes(3_000)];
        for (const bytes of [referenced, orphan]) await files.put(keyOf(bytes), bytes);
        const dossier = bareDossier({ code: '000.00.01.H22', name: 'UBND xã Thử Nghiệm' });
        await store.insertDossier({
          ...dossier,
          files: [{ sha256: sha256(referenced), componentCode: 'TP1', name: 'a.pdf', size: referenced.byteLength, storagePath: keyOf(referenced) }],
        });
        await sleep(1_100); // S3 keeps whole seconds: `young` is written a second later than the two others
        await files.put(keyOf(young), young);
        const youngAt = (await files.stat(keyOf(young)))!.lastModified.getTime();
        const day = 24 * 3600_000;
        // "Now" is a day after `young` was written, less a millisecond: the two others are just over a day old.
        const report = await removeOrphanObjects({ files, referenced: (keys) => store.referencedStorageKeys(keys), now: new Date(youngAt + day - 1) });
        expect(report.removed).toContain(keyOf(orphan));
        expect(report.removed).not.toContain(keyOf(referenced));
        expect(report.removed).not.toContain(keyOf(young));
        expect(await files.size(keyOf(orphan))).toBeUndefined();
        expect(await files.size(keyOf(referenced))).toBe(referenced.byteLength);
        expect(await files.size(keyOf(young))).toBe(young.byteLength);
        // With the default age (a day) and the real clock nothing written in this test is touched.
        const again = await removeOrphanObjects({ files, referenced: (keys) => store.referencedStorageKeys(keys) });
        expect(again.removed).toEqual([]);
      } finally {
        await store.close();
      }
    });
  });
}

describe('S3 start-up errors', () => {
  it('an endpoint that does not answer: CENTRAL_S3_UNREACHABLE naming it, in Vietnamese and English', { timeout: 60_000 }, async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'motcua-s3-down-'));
    tempDirs.push(dir);
    const config = { kind: 's3', endpoint: 'http://127.0.0.1:9', region: 'us-east-1', filesBucket: 'a', uploadsBucket: 'b', accessKeyId: 'x', secretAccessKey: 'y' } as const;
    const failure = await openStorage(config, dir).then(() => undefined, (err: unknown) => err);
    expect(failure).toBeInstanceOf(AppError);
    expect((failure as AppError).code).toBe('CENTRAL_S3_UNREACHABLE');
    expect(describeError('vi', 'CENTRAL_S3_UNREACHABLE', (failure as AppError).details)).toContain('http://127.0.0.1:9');
    expect(describeError('en', 'CENTRAL_S3_UNREACHABLE', (failure as AppError).details)).toContain('cannot be reached');
  });

  it('the central refuses to start on it, saying so in Vietnamese and English (exit 1)', { timeout: 120_000 }, async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'motcua-s3-down-cli-'));
    tempDirs.push(dir);
    const trust = (await getTestPki()).rootCaPemPath;
    const args = [...centralCommandLine(), '--port', '0', '--data', path.join(dir, 'central'), '--trust', trust];
    const run = await new Promise<{ code: number | null; output: string }>((resolve) => {
      execFile(
        process.execPath,
        [...args, '--storage', 's3', '--s3-endpoint', 'http://127.0.0.1:9'],
        { env: { ...process.env, MOTCUA_CENTRAL_S3_ACCESS_KEY_ID: 'x', MOTCUA_CENTRAL_S3_SECRET_ACCESS_KEY: 'y' }, timeout: 100_000 },
        (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? null) : 0, output: `${stdout}${stderr}` }),
      );
    });
    expect(run.code).toBe(1);
    expect(run.output).toContain('Không kết nối được kho S3 tại http://127.0.0.1:9');
    expect(run.output).toContain('The S3 store at http://127.0.0.1:9 cannot be reached');
  });

  it.skipIf(s3Skipped)('a bucket that does not exist: CENTRAL_S3_BUCKET_MISSING naming the bucket', async () => {
    buckets ??= await createTestBuckets();
    const failure = await openStorage({ ...buckets.config, uploadsBucket: `motcua-absent-${randomBytes(4).toString('hex')}` }, os.tmpdir()).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect((failure as AppError).code).toBe('CENTRAL_S3_BUCKET_MISSING');
    expect((failure as AppError).details.bucket).toMatch(/^motcua-absent-/);
  });
});
