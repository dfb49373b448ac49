/**
 * A real central process with `--storage s3` on a real S3 server (Ceph RGW, its own buckets): a tus upload in
 * the counter's chunk size, cut mid-PATCH and resumed, committed, and the stored object re-hashed; the uploads
 * bucket emptied by the commit; an abandoned upload expired by the sweep on S3. Also why the counter's chunk is
 * 5 MiB: with it no `<id>.part` is parked between PATCHes (each PATCH is one multipart part), with the former
 * 1 MiB it is, and @tus/s3-store downloads and re-uploads it at every next PATCH.
 */
import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { GetObjectCommand, ListMultipartUploadsCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultUploadChunkSize } from '../../renderer/src/sync/upload';
import { sha256Hex } from '../../shared/util/bytes';
import { centralFetch, makeCommit, makeSignedPdf, putCommit, startCentralProcess, tusUpload, type CentralProcess } from '../support/central-process';
import { skipWithout } from '../support/requirements';
import { createTestBuckets, s3Missing, type TestBuckets } from '../support/s3';
import { pathFor, tusEndpointPath } from '../../shared/sync/api-contract';

const skip = skipWithout('S3 (Ceph RGW)', s3Missing);
const MiB = 1024 * 1024;

const metadataHeader = (fields: Record<string, string>): string =>
  Object.entries(fields)
    .map(([k, v]) => `${k} ${Buffer.from(v).toString('base64')}`)
    .join(',');
const uploadIdOf = (url: string): string => url.split('/').pop() ?? '';

async function createUpload(central: CentralProcess, bytes: Uint8Array, dossierId: string): Promise<string> {
  const created = await centralFetch(central, tusEndpointPath, {
    method: 'POST',
    headers: {
      'tus-resumable': '1.0.0',
      'upload-length': String(bytes.byteLength),
      'upload-metadata': metadataHeader({ dossierId, sha256: sha256Hex(bytes), filename: 'tep.pdf', filetype: 'application/pdf' }),
    },
  });
  expect(created.status).toBe(201);
  return new URL(created.headers.get('location') ?? '', central.url).href;
}

async function patch(central: CentralProcess, url: string, offset: number, body: Uint8Array): Promise<Response> {
  return centralFetch(central, url, {
    method: 'PATCH',
    headers: { 'tus-resumable': '1.0.0', 'upload-offset': String(offset), 'content-type': 'application/offset+octet-stream' },
    body: Buffer.from(body),
  });
}

async function headOffset(central: CentralProcess, url: string): Promise<{ status: number; offset: number }> {
  const res = await centralFetch(central, url, { method: 'HEAD', headers: { 'tus-resumable': '1.0.0' } });
  return { status: res.status, offset: Number(res.headers.get('upload-offset')) };
}

/** A PATCH whose connection drops after `sent` of its `declared` bytes, like a counter losing its link. */
async function cutPatch(central: CentralProcess, url: string, offset: number, bytes: Uint8Array, sent: number): Promise<void> {
  await new Promise<void>((resolve) => {
    const req = httpRequest(url, {
      method: 'PATCH',
      headers: {
        authorization: `Bearer ${central.credential ?? ''}`,
        'tus-resumable': '1.0.0',
        'upload-offset': String(offset),
        'content-type': 'application/offset+octet-stream',
        'content-length': String(bytes.byteLength),
      },
    });
    req.on('error', () => resolve());
    req.on('close', () => resolve());
    req.write(Buffer.from(bytes.subarray(0, sent)), () => setTimeout(() => req.destroy(), 300));
  });
}

async function waitUntil(what: string, check: () => Promise<boolean>, limitMs = 60_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not within ${limitMs / 1000} s: ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe.skipIf(skip)('tus uploads and stored files on S3 through a real central', () => {
  let buckets: TestBuckets;
  const started: CentralProcess[] = [];
  beforeAll(async () => {
    buckets = await createTestBuckets();
  });
  afterAll(async () => {
    for (const central of started) await central.stop();
    await buckets?.drop();
  });

  const uploadKeys = async (uploadId: string): Promise<string[]> => (await buckets.keys(buckets.config.uploadsBucket)).filter((key) => key.startsWith(uploadId));

  it('an upload in 5 MiB chunks, cut mid-PATCH and resumed, commits; the stored object re-hashes identical; the upload objects go', { timeout: 240_000 }, async () => {
    const central = await startCentralProcess({ env: buckets.centralEnv });
    started.push(central);
    expect(central.output()).toContain('storage: s3');
    expect(defaultUploadChunkSize).toBe(5 * MiB);
    const pdf = await makeSignedPdf({ text: 'Ho so lon', paddingBytes: 11 * MiB });
    const dossierId = randomUUID();
    const url = await createUpload(central, pdf, dossierId);
    const uploadId = uploadIdOf(url);

    expect((await patch(central, url, 0, pdf.subarray(0, defaultUploadChunkSize))).status).toBe(204);
    // A whole part: nothing parked as `.part` for the next PATCH to download again.
    expect(await uploadKeys(uploadId)).toEqual([`${uploadId}.info`]);

    await cutPatch(central, url, defaultUploadChunkSize, pdf.subarray(defaultUploadChunkSize, 2 * defaultUploadChunkSize), 1 * MiB);
    let resumedFrom = 0;
    await waitUntil('HEAD answers after the cut', async () => {
      const head = await headOffset(central, url);
      resumedFrom = head.offset;
      return head.status === 200;
    });
    // What arrived of the cut PATCH is kept (parked as `.part`, 6,075,062 of 6,291,456 bytes in one run), never more.
    expect(resumedFrom).toBeGreaterThanOrEqual(defaultUploadChunkSize);
    expect(resumedFrom).toBeLessThan(defaultUploadChunkSize + MiB);

    // The counter resumes from the central's offset in its chunk size: the first PATCH takes the parked bytes into
    // a whole part, and no `.part` is left between its PATCHes.
    const partsSeen: string[][] = [];
    const checks: Promise<void>[] = [];
    await tusUpload(central, pdf, {
      dossierId,
      uploadUrl: url,
      chunkSize: defaultUploadChunkSize,
      onChunkComplete: (accepted, total) => {
        if (accepted < total) checks.push(uploadKeys(uploadId).then((keys) => void partsSeen.push(keys.filter((k) => k.endsWith('.part')))));
      },
    });
    await Promise.all(checks);
    expect(partsSeen.flat()).toEqual([]);

    const body = makeCommit(dossierId, [{ bytes: pdf, uploadUrl: url }]);
    expect((await putCommit(central, dossierId, body)).status).toBe(201);

    const sha = sha256Hex(pdf);
    const stored = await buckets.client.send(new GetObjectCommand({ Bucket: buckets.config.filesBucket, Key: `files/${sha}.pdf` }));
    expect(sha256Hex(await stored.Body!.transformToByteArray())).toBe(sha);
    const served = await centralFetch(central, pathFor('dossierFile', { id: dossierId, sha256: sha }));
    expect(served.status).toBe(200);
    expect(sha256Hex(new Uint8Array(await served.arrayBuffer()))).toBe(sha);
    // The commit removed the completed upload's objects itself (@tus/s3-store's remove deletes nothing once complete).
    expect(await uploadKeys(uploadId)).toEqual([]);
    // A repeat of the commit is the same dossier (idempotent), with the upload gone.
    expect((await putCommit(central, dossierId, body)).status).toBe(200);
  });

  it('with the former 1 MiB chunks a PATCH leaves a `.part` that the next one downloads and uploads again', { timeout: 120_000 }, async () => {
    const central = started[0] ?? (await startCentralProcess({ env: buckets.centralEnv }));
    if (!started.includes(central)) started.push(central);
    const pdf = await makeSignedPdf({ text: 'Ho so nho', paddingBytes: 3 * MiB });
    const dossierId = randomUUID();
    const url = await createUpload(central, pdf, dossierId);
    const uploadId = uploadIdOf(url);
    expect((await patch(central, url, 0, pdf.subarray(0, MiB))).status).toBe(204);
    expect(await uploadKeys(uploadId)).toEqual([`${uploadId}.info`, `${uploadId}.part`]);
    await tusUpload(central, pdf, { dossierId, uploadUrl: url, chunkSize: MiB });
    expect((await putCommit(central, dossierId, makeCommit(dossierId, [{ bytes: pdf, uploadUrl: url }]))).status).toBe(201);
    expect(await uploadKeys(uploadId)).toEqual([]);
  });

  it('an upload left alone expires on S3: its multipart upload is aborted and its objects deleted; the counter uploads again', { timeout: 180_000 }, async () => {
    // 0.003 h = 10.8 s without a write; the sweep then runs every 5.4 s.
    const central = await startCentralProcess({ env: buckets.centralEnv, args: ['--upload-max-age-hours', '0.003'] });
    started.push(central);
    const pdf = await makeSignedPdf({ text: 'Tep bo do', paddingBytes: 6 * MiB });
    const dossierId = randomUUID();
    const url = await createUpload(central, pdf, dossierId);
    const uploadId = uploadIdOf(url);
    expect((await patch(central, url, 0, pdf.subarray(0, defaultUploadChunkSize))).status).toBe(204);
    const openMultipart = async (): Promise<number> =>
      ((await buckets.client.send(new ListMultipartUploadsCommand({ Bucket: buckets.config.uploadsBucket }))).Uploads ?? []).filter((u) => u.Key === uploadId).length;
    expect(await openMultipart()).toBe(1);

    await waitUntil('the idle upload expires', async () => (await headOffset(central, url)).status === 404);
    expect(await uploadKeys(uploadId)).toEqual([]);
    expect(await openMultipart()).toBe(0);

    const again = await tusUpload(central, pdf, { dossierId, chunkSize: defaultUploadChunkSize });
    expect((await putCommit(central, dossierId, makeCommit(dossierId, [{ bytes: pdf, uploadUrl: again }]))).status).toBe(201);
  });
});
