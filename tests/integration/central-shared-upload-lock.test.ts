/**
 * Two real centrals serving the same uploads (one data directory, one PostgreSQL database) with
 * `--upload-lock postgres`: a PATCH stalled on the first is taken over through the second — the second's
 * HEAD asks the first (PostgreSQL NOTIFY) to stop, waits until it has let go, and answers the offset the
 * first stored; the rest goes through the second and the dossier commits. Needs `MOTCUA_TEST_POSTGRES_URL`.
 * (The cluster test of issue 19, item 4, does the same on S3 behind a load balancer.)
 */
import http from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../shared/util/bytes';
import { uploadIdFromUrl } from '../../central/src/uploads';
import { centralFetch, makeCommit, makeSignedPdf, putCommit, startCentralProcess, type CentralProcess } from '../support/central-process';
import { createTestSchema, postgresMissing, testPostgresUrl, type TestSchema } from '../support/postgres';
import { skipWithout } from '../support/requirements';
import { tusEndpointPath } from '../../shared/sync/api-contract';

const skip = skipWithout('PostgreSQL', postgresMissing);
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** Starts a PATCH announcing the whole file, sends `sent` bytes and then nothing more (a link that went dead). */
function stalledPatch(credential: string, uploadUrl: string, bytes: Uint8Array, sent: number): { ended: Promise<string> } {
  const request = http.request(uploadUrl, {
    method: 'PATCH',
    headers: {
      authorization: `Bearer ${credential}`,
      'tus-resumable': '1.0.0',
      'upload-offset': '0',
      'content-type': 'application/offset+octet-stream',
      'content-length': String(bytes.byteLength),
    },
  });
  const ended = new Promise<string>((resolve) => {
    request.on('response', (res) => {
      res.resume();
      res.on('close', () => resolve(`answered ${res.statusCode ?? '?'}`));
    });
    request.on('error', (err) => resolve(`connection closed (${(err as NodeJS.ErrnoException).code ?? err.message})`));
  });
  request.write(Buffer.from(bytes.subarray(0, sent)));
  return { ended };
}

describe.skipIf(skip)('two centrals sharing uploads with the PostgreSQL upload lock', () => {
  it('a PATCH stalled on one central is taken over through the other, and the dossier commits', { timeout: 180_000 }, async () => {
    const schema: TestSchema = await createTestSchema(testPostgresUrl ?? '');
    cleanups.push(() => schema.drop());
    // The idle cut is far off: the stalled PATCH must end because the other central asked for the upload.
    const shared = { args: ['--database', schema.url, '--upload-lock', 'postgres', '--upload-idle-timeout-s', '60'], env: { MOTCUA_CENTRAL_ADMIN_TOKEN: `test-admin-${randomBytes(16).toString('hex')}` } };
    const first: CentralProcess = await startCentralProcess(shared);
    cleanups.push(() => first.stop());
    const second: CentralProcess = await startCentralProcess({ ...shared, dataDir: first.dataDir, enroll: false });
    cleanups.unshift(() => second.stop()); // stopped before the first removes the shared directory
    const device = { credential: first.credential ?? '' };

    const pdf = await makeSignedPdf({ paddingBytes: 60_000 });
    const half = Math.floor(pdf.byteLength / 2);
    const dossierId = randomUUID();
    const metadata = { dossierId, sha256: sha256Hex(pdf), filename: 'tep.pdf', filetype: 'application/pdf' };
    const created = await centralFetch({ url: first.url, ...device }, tusEndpointPath, {
      method: 'POST',
      headers: {
        'tus-resumable': '1.0.0',
        'upload-length': String(pdf.byteLength),
        'upload-metadata': Object.entries(metadata)
          .map(([k, v]) => `${k} ${Buffer.from(v).toString('base64')}`)
          .join(','),
      },
    });
    expect(created.status).toBe(201);
    const uploadId = uploadIdFromUrl(created.headers.get('location') ?? '');
    const onFirst = new URL(`${tusEndpointPath}${uploadId}`, first.url).href;
    const onSecond = new URL(`${tusEndpointPath}${uploadId}`, second.url).href;

    const stalled = stalledPatch(device.credential, onFirst, pdf, half);
    // Wait on the shared disk (a HEAD would itself take the lock) until the first half is stored.
    const uploadFile = path.join(first.dataDir, 'uploads', uploadId);
    for (let i = 0; ((await stat(uploadFile).catch(() => undefined))?.size ?? 0) < half; i++) {
      if (i > 600) throw new Error('the first half never reached the upload file');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    // The second central's HEAD waits for the first to let go (its PATCH is cancelled), then answers.
    const head = await centralFetch({ url: second.url, ...device }, onSecond, { method: 'HEAD', headers: { 'tus-resumable': '1.0.0' } });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('upload-offset'))).toBe(half);
    expect(await stalled.ended).toMatch(/^(answered|connection closed)/);
    // Ended by the take-over, not by the idle cut (which logs this): with a per-process lock the second central
    // would not even know the first holds the upload, and the stalled PATCH would run on until the idle cut.
    expect(first.output()).not.toContain('upload PATCH stalled');

    const patched = await centralFetch({ url: second.url, ...device }, onSecond, {
      method: 'PATCH',
      headers: { 'tus-resumable': '1.0.0', 'upload-offset': String(half), 'content-type': 'application/offset+octet-stream' },
      body: Buffer.from(pdf.subarray(half)),
    });
    expect(patched.status).toBe(204);
    expect(Number(patched.headers.get('upload-offset'))).toBe(pdf.byteLength);
    // The commit re-hashes and checks the signature of the bytes the two centrals put together.
    expect((await putCommit({ url: second.url, ...device }, dossierId, makeCommit(dossierId, [{ bytes: pdf, uploadUrl: onSecond }]))).status).toBe(201);
  });
});
