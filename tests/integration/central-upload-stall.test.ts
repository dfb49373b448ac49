/**
 * A tus PATCH whose client stops sending mid-body (power cut, a 3G link that died without closing the
 * connection) must not hold the upload forever. Two mechanisms, both on a real central process with a raw
 * HTTP client that sends half a body and then nothing:
 *   - the central cuts a PATCH after `--upload-idle-timeout-s` without a byte (the socket is closed, what
 *     arrived is kept) and the counter resumes from HEAD;
 *   - before that, a counter that resumes takes the upload over: tus's lock asks the stalled PATCH to stop.
 */
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../shared/util/bytes';
import { centralFetch, makeCommit, makeSignedPdf, putCommit, startCentralProcess, type CentralProcess } from '../support/central-process';
import { pathFor, tusEndpointPath } from '../../shared/sync/api-contract';

const started: CentralProcess[] = [];
afterAll(async () => {
  for (const central of started) await central.stop();
});

async function createUpload(central: CentralProcess, dossierId: string, bytes: Uint8Array): Promise<string> {
  const metadata = { dossierId, sha256: sha256Hex(bytes), filename: 'tep.pdf', filetype: 'application/pdf' };
  const res = await centralFetch(central, tusEndpointPath, {
    method: 'POST',
    headers: {
      'tus-resumable': '1.0.0',
      'upload-length': String(bytes.byteLength),
      'upload-metadata': Object.entries(metadata)
        .map(([k, v]) => `${k} ${Buffer.from(v).toString('base64')}`)
        .join(','),
    },
  });
  expect(res.status).toBe(201);
  return new URL(res.headers.get('location') ?? '', central.url).href;
}

/** Starts a PATCH announcing the whole rest of the file, sends `sent` bytes and then nothing more. */
function stalledPatch(central: CentralProcess, uploadUrl: string, bytes: Uint8Array, sent: number): { ended: Promise<string> } {
  const request = http.request(uploadUrl, {
    method: 'PATCH',
    headers: {
      authorization: `Bearer ${central.credential ?? ''}`,
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

async function offsetOf(central: CentralProcess, uploadUrl: string): Promise<number> {
  const head = await centralFetch(central, uploadUrl, { method: 'HEAD', headers: { 'tus-resumable': '1.0.0' } });
  expect(head.status).toBe(200);
  return Number(head.headers.get('upload-offset'));
}

async function resumeAndCommit(central: CentralProcess, uploadUrl: string, bytes: Uint8Array, from: number, dossierId: string): Promise<void> {
  const patched = await centralFetch(central, uploadUrl, {
    method: 'PATCH',
    headers: { 'tus-resumable': '1.0.0', 'upload-offset': String(from), 'content-type': 'application/offset+octet-stream' },
    body: Buffer.from(bytes.subarray(from)),
  });
  expect(patched.status).toBe(204);
  expect(Number(patched.headers.get('upload-offset'))).toBe(bytes.byteLength);
  // The commit checks the SHA-256 and the signature of the bytes the central put together.
  expect((await putCommit(central, dossierId, makeCommit(dossierId, [{ bytes, uploadUrl }]))).status).toBe(201);
}

describe('a stalled upload PATCH', () => {
  it('is cut by the central after the idle timeout; the bytes received are kept and the counter resumes', { timeout: 180_000 }, async () => {
    const central = await startCentralProcess({ args: ['--upload-idle-timeout-s', '2'] });
    started.push(central);
    const pdf = await makeSignedPdf({ paddingBytes: 60_000 });
    const half = Math.floor(pdf.byteLength / 2);
    const id = randomUUID();
    const uploadUrl = await createUpload(central, id, pdf);

    const stalled = stalledPatch(central, uploadUrl, pdf, half);
    // Ends only because the central closes it: this client never finishes its body.
    expect(await stalled.ended).toMatch(/^connection closed/);
    const offset = await offsetOf(central, uploadUrl);
    expect(offset).toBeLessThanOrEqual(half);
    await resumeAndCommit(central, uploadUrl, pdf, offset, id);
  });

  it('does not keep a resuming counter out before the timeout: the new PATCH takes the upload over', { timeout: 180_000 }, async () => {
    const central = await startCentralProcess(); // default idle timeout (120 s): the takeover comes first
    started.push(central);
    const pdf = await makeSignedPdf({ paddingBytes: 60_000 });
    const half = Math.floor(pdf.byteLength / 2);
    const id = randomUUID();
    const uploadUrl = await createUpload(central, id, pdf);

    const stalled = stalledPatch(central, uploadUrl, pdf, half);
    // Wait until the central has written all it received, so the resume's offset is the upload's.
    for (let i = 0; (await offsetOf(central, uploadUrl)) < half; i++) {
      if (i > 600) throw new Error('the first half never reached the upload file');
      await new Promise((r) => setTimeout(r, 100));
    }
    await resumeAndCommit(central, uploadUrl, pdf, half, id);
    // The stalled request was told to stop, not left open.
    expect(await stalled.ended).toMatch(/^(answered|connection closed)/);
  });
});

describe('a central asked to stop while a request never finishes', () => {
  it('exits by itself after its deadline and names what was still open', { timeout: 60_000 }, async () => {
    const central = await startCentralProcess();
    started.push(central);
    // A commit whose body never completes: the server waits for it, and a graceful close waits for the server.
    const id = randomUUID();
    const request = http.request(new URL(pathFor('commitDossier', { id }), central.url), {
      method: 'PUT',
      headers: { authorization: `Bearer ${central.credential ?? ''}`, 'content-type': 'application/json', 'content-length': '1000' },
    });
    const ended = new Promise<void>((resolve) => {
      request.on('error', () => resolve());
      request.on('response', (res) => res.resume().on('close', () => resolve()));
    });
    request.write('{"id":');
    await new Promise((r) => setTimeout(r, 500));

    await central.stop(); // SIGTERM; the test support would SIGKILL after 15 s, and say so, had it not exited
    expect(central.output()).toMatch(/motcua-central (was )?not stopped 10 s after SIGTERM \(still closing; open: .*TCP/);
    await ended;
  });
});
