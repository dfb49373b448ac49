/**
 * The reference central as a real process: health probe, tus uploads, commit checks, idempotency.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { centralErrorSchema, commitAckSchema, healthSchema, type CommitAck } from '../../shared/sync/protocol';
import { sha256Hex } from '../../shared/util/bytes';
import { ensureDemoPki } from '../../electron/services/signing/demo-pki';
import { centralFetch, makeCommit, makePdf, makeSignedPdf, putCommit, startCentralProcess, tusUpload, type CentralProcess } from '../support/central-process';
import { testPkiDir } from '../support/pki';
import { pathFor, tusEndpointPath } from '../../shared/sync/api-contract';

let central: CentralProcess;
let signedPdf: Uint8Array;

beforeAll(async () => {
  [central, signedPdf] = await Promise.all([startCentralProcess({ args: ['--max-upload-mb', '1'] }), makeSignedPdf({ paddingBytes: 20_000 })]);
});

afterAll(async () => {
  await central?.stop();
});

const errorOf = (body: unknown) => centralErrorSchema.parse(body);

describe('health', () => {
  it('answers the exact shape the counter probes, with CORS for any origin', async () => {
    const res = await fetch(new URL(pathFor('health'), central.url), { headers: { origin: 'http://localhost:5173' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const health = healthSchema.parse(await res.json());
    expect(health).toMatchObject({ service: 'motcua-central', protocolVersion: 1 });
  });

  it('answers a CORS preflight for the commit and exposes the tus headers on uploads', async () => {
    const preflight = await fetch(new URL(pathFor('commitDossier', { id: randomUUID() }), central.url), {
      method: 'OPTIONS',
      headers: { origin: 'null', 'access-control-request-method': 'PUT', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('PUT');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('content-type');

    const tusPreflight = await fetch(new URL(tusEndpointPath, central.url), {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST' },
    });
    expect(tusPreflight.status).toBe(204);
    expect(tusPreflight.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    const exposed = tusPreflight.headers.get('access-control-expose-headers') ?? '';
    for (const header of ['Location', 'Upload-Offset', 'Upload-Length', 'Tus-Resumable']) expect(exposed).toContain(header);
  });
});

describe('uploads', () => {
  it('rejects an upload whose metadata does not match the protocol', async () => {
    const res = await centralFetch(central, tusEndpointPath, {
      method: 'POST',
      headers: { 'tus-resumable': '1.0.0', 'upload-length': '10', 'upload-metadata': `dossierId ${Buffer.from('not-a-uuid').toString('base64')}` },
    });
    expect(res.status).toBe(400);
    expect(errorOf(await res.json())).toMatchObject({ error: 'CENTRAL_REJECTED', details: { reason: 'upload-metadata' } });
  });

  it('refuses an upload larger than the configured cap', async () => {
    const big = new Uint8Array(1024 * 1024 + 1);
    await expect(tusUpload(central, big, { dossierId: randomUUID() })).rejects.toThrow(/413/);
  });
});

describe('commit', () => {
  it('accepts a dossier with a signed file and gives back byte-identical bytes', async () => {
    const id = randomUUID();
    const uploadUrl = await tusUpload(central, signedPdf, { dossierId: id, chunkSize: 8 * 1024 });
    const commit = makeCommit(id, [{ bytes: signedPdf, uploadUrl }]);

    const first = await putCommit(central, id, commit);
    expect(first.status).toBe(201);
    const ack = commitAckSchema.parse(first.body);
    expect(ack).toMatchObject({ dossierId: id, duplicate: false });
    expect(ack.centralId).toMatch(/^TW-\d{4}-\d{8}$/);

    const stored = await centralFetch(central, pathFor('dossier', { id }));
    expect(stored.status).toBe(200);
    const dossier = (await stored.json()) as { ack: CommitAck; record: { id: string }; files: { sha256: string; size: number; componentCode: string; name: string }[] };
    expect(dossier.ack).toEqual(ack);
    expect(dossier.record.id).toBe(id);
    expect(dossier.files).toEqual([{ sha256: sha256Hex(signedPdf), size: signedPdf.byteLength, componentCode: 'TP1', name: 'thanh-phan-1.pdf' }]);

    const file = await centralFetch(central, pathFor('dossierFile', { id, sha256: sha256Hex(signedPdf) }));
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await file.arrayBuffer()).equals(Buffer.from(signedPdf))).toBe(true);
  });

  it('answers a repeated commit with the first ack, marked duplicate, and keeps one dossier', async () => {
    const id = randomUUID();
    const uploadUrl = await tusUpload(central, signedPdf, { dossierId: id });
    const commit = makeCommit(id, [{ bytes: signedPdf, uploadUrl }]);

    const first = await putCommit(central, id, commit);
    const second = await putCommit(central, id, commit);
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    const firstAck = commitAckSchema.parse(first.body);
    expect(commitAckSchema.parse(second.body)).toEqual({ ...firstAck, duplicate: true });

    const dossier = (await (await centralFetch(central, pathFor('dossier', { id }))).json()) as { files: unknown[] };
    expect(dossier.files).toHaveLength(1);
  });

  it('treats a re-upload of the same file under a new upload URL as the same dossier', async () => {
    const id = randomUUID();
    const firstUrl = await tusUpload(central, signedPdf, { dossierId: id });
    const commit = makeCommit(id, [{ bytes: signedPdf, uploadUrl: firstUrl }]);
    const first = await putCommit(central, id, commit);
    expect(first.status).toBe(201);

    // The counter lost the ack and its upload URL, uploaded the file again and repeats the commit.
    const secondUrl = await tusUpload(central, signedPdf, { dossierId: id });
    const files = commit.files as Record<string, unknown>[];
    const second = await putCommit(central, id, { ...commit, files: files.map((f) => ({ ...f, uploadUrl: secondUrl })) });
    expect(second.status).toBe(200);
    expect(commitAckSchema.parse(second.body)).toEqual({ ...commitAckSchema.parse(first.body), duplicate: true });
  });

  it('produces exactly one dossier from two concurrent identical commits', async () => {
    const id = randomUUID();
    const uploadUrl = await tusUpload(central, signedPdf, { dossierId: id });
    const commit = makeCommit(id, [{ bytes: signedPdf, uploadUrl }]);

    const answers = await Promise.all([putCommit(central, id, commit), putCommit(central, id, commit)]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 201]);
    const acks = answers.map((a) => commitAckSchema.parse(a.body));
    expect(acks[0]?.centralId).toBe(acks[1]?.centralId);
    expect(acks[0]?.receivedAt).toBe(acks[1]?.receivedAt);
    expect(acks.filter((a) => a.duplicate)).toHaveLength(1);
  });

  it('answers 409 CENTRAL_CONFLICT for the same id with different content', async () => {
    const id = randomUUID();
    const uploadUrl = await tusUpload(central, signedPdf, { dossierId: id });
    const commit = makeCommit(id, [{ bytes: signedPdf, uploadUrl }]);
    expect((await putCommit(central, id, commit)).status).toBe(201);

    const changed = await putCommit(central, id, { ...commit, counterNo: 2 });
    expect(changed.status).toBe(409);
    expect(errorOf(changed.body)).toMatchObject({ error: 'CENTRAL_CONFLICT', details: { dossierId: id } });
  });

  it('answers 400 DOSSIER_INVALID for a bad body or an id that differs from the path', async () => {
    const id = randomUUID();
    const bad = await putCommit(central, id, { protocolVersion: 1, id });
    expect(bad.status).toBe(400);
    expect(errorOf(bad.body).error).toBe('DOSSIER_INVALID');

    const other = randomUUID();
    const mismatch = await putCommit(central, id, makeCommit(other, [{ bytes: signedPdf, uploadUrl: 'x' }]));
    expect(mismatch.status).toBe(400);
    expect(errorOf(mismatch.body)).toMatchObject({ error: 'DOSSIER_INVALID', details: { reason: 'id-mismatch' } });

    const notJson = await centralFetch(central, pathFor('commitDossier', { id }), { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{' });
    expect(notJson.status).toBe(400);
    expect(errorOf(await notJson.json()).error).toBe('DOSSIER_INVALID');
  });

  it('answers 422 CENTRAL_FILE_HASH_MISMATCH when the declared SHA-256 is not the uploaded bytes', async () => {
    const id = randomUUID();
    const uploadUrl = await tusUpload(central, signedPdf, { dossierId: id });
    const wrong = sha256Hex(new TextEncoder().encode('something else'));
    const res = await putCommit(central, id, makeCommit(id, [{ bytes: signedPdf, uploadUrl, sha256: wrong }]));
    expect(res.status).toBe(422);
    expect(errorOf(res.body)).toMatchObject({ error: 'CENTRAL_FILE_HASH_MISMATCH', details: { expectedSha256: wrong, actualSha256: sha256Hex(signedPdf) } });
    expect((await centralFetch(central, pathFor('dossier', { id }))).status).toBe(404);
  });

  it('answers 422 CENTRAL_UPLOAD_INCOMPLETE for a partial or unknown upload', async () => {
    const id = randomUUID();
    // Create the upload and send only its first half.
    const created = await centralFetch(central, tusEndpointPath, {
      method: 'POST',
      headers: {
        'tus-resumable': '1.0.0',
        'upload-length': String(signedPdf.byteLength),
        'upload-metadata': [`dossierId ${b64(id)}`, `sha256 ${b64(sha256Hex(signedPdf))}`, `filename ${b64('a.pdf')}`, `filetype ${b64('application/pdf')}`].join(','),
      },
    });
    expect(created.status).toBe(201);
    const uploadUrl = created.headers.get('location') ?? '';
    const half = signedPdf.subarray(0, Math.floor(signedPdf.byteLength / 2));
    const patched = await centralFetch(central, uploadUrl, {
      method: 'PATCH',
      headers: { 'tus-resumable': '1.0.0', 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' },
      body: Buffer.from(half),
    });
    expect(patched.status).toBe(204);

    const partial = await putCommit(central, id, makeCommit(id, [{ bytes: signedPdf, uploadUrl }]));
    expect(partial.status).toBe(422);
    expect(errorOf(partial.body)).toMatchObject({ error: 'CENTRAL_UPLOAD_INCOMPLETE', details: { reason: 'incomplete', offset: half.byteLength } });

    const unknown = await putCommit(central, id, makeCommit(id, [{ bytes: signedPdf, uploadUrl: '0123456789abcdef0123456789abcdef' }]));
    expect(unknown.status).toBe(422);
    expect(errorOf(unknown.body)).toMatchObject({ error: 'CENTRAL_UPLOAD_INCOMPLETE', details: { reason: 'missing' } });
  });

  it('answers 422 CENTRAL_SIGNATURE_INVALID for an unsigned PDF', async () => {
    const id = randomUUID();
    const unsigned = await makePdf({ text: 'Khong ky' });
    const uploadUrl = await tusUpload(central, unsigned, { dossierId: id });
    const res = await putCommit(central, id, makeCommit(id, [{ bytes: unsigned, uploadUrl }]));
    expect(res.status).toBe(422);
    expect(errorOf(res.body)).toMatchObject({ error: 'CENTRAL_SIGNATURE_INVALID' });
  });

  it('answers 422 CENTRAL_SIGNATURE_INVALID for a signed PDF altered after signing', async () => {
    const id = randomUUID();
    const tampered = new Uint8Array(signedPdf);
    // A byte inside the signed range (the random padding stream), declared with its new hash.
    const at = Math.floor(tampered.byteLength / 4);
    tampered[at] = (tampered[at] ?? 0) ^ 0xff;
    const uploadUrl = await tusUpload(central, tampered, { dossierId: id });
    const res = await putCommit(central, id, makeCommit(id, [{ bytes: tampered, uploadUrl }]));
    expect(res.status).toBe(422);
    const error = errorOf(res.body);
    expect(error.error).toBe('CENTRAL_SIGNATURE_INVALID');
    expect(String(error.details.problems)).not.toBe('');
  });

  it('answers 404 CENTRAL_NOT_FOUND for an unknown dossier or file', async () => {
    const id = randomUUID();
    const res = await centralFetch(central, pathFor('dossier', { id }));
    expect(res.status).toBe(404);
    expect(errorOf(await res.json()).error).toBe('CENTRAL_NOT_FOUND');
    const file = await centralFetch(central, pathFor('dossierFile', { id, sha256: sha256Hex(signedPdf) }));
    expect(file.status).toBe(404);
  });
});

describe('trust anchors', () => {
  it('rejects a signature whose chain does not end in a configured root', { timeout: 120_000 }, async () => {
    const otherPkiDir = await mkdtemp(path.join(os.tmpdir(), 'motcua-other-pki-'));
    const otherRoot = await ensureDemoPki(otherPkiDir);
    const stranger = await startCentralProcess({ trust: otherRoot.rootCaPemPath });
    try {
      const id = randomUUID();
      const uploadUrl = await tusUpload(stranger, signedPdf, { dossierId: id });
      const res = await putCommit(stranger, id, makeCommit(id, [{ bytes: signedPdf, uploadUrl }]));
      expect(res.status).toBe(422);
      expect(errorOf(res.body)).toMatchObject({ error: 'CENTRAL_SIGNATURE_INVALID', details: { signatures: 1 } });
    } finally {
      await stranger.stop();
      await rm(otherPkiDir, { recursive: true, force: true });
    }
  });

  it('`motcua central --demo` trusts the demo PKI root (here: --pki pointing at the test PKI)', { timeout: 120_000 }, async () => {
    const demo = await startCentralProcess({ trust: [], args: ['--demo', '--pki', testPkiDir] });
    try {
      const id = randomUUID();
      const uploadUrl = await tusUpload(demo, signedPdf, { dossierId: id });
      const res = await putCommit(demo, id, makeCommit(id, [{ bytes: signedPdf, uploadUrl }]));
      expect(res.status).toBe(201);
      expect(demo.output()).toContain('trust anchors: 1');
    } finally {
      await demo.stop();
    }
  });
});

describe('fault injection', () => {
  it('answers 500 to the first commit when told to, then accepts the same commit', { timeout: 120_000 }, async () => {
    const faulty = await startCentralProcess({ env: { MOTCUA_CENTRAL_FAULTS: 'commit-500=1' } });
    try {
      const id = randomUUID();
      const uploadUrl = await tusUpload(faulty, signedPdf, { dossierId: id });
      const commit = makeCommit(id, [{ bytes: signedPdf, uploadUrl }]);

      const failed = await putCommit(faulty, id, commit);
      expect(failed.status).toBe(500);
      expect(errorOf(failed.body)).toMatchObject({ error: 'CENTRAL_SERVER_ERROR', details: { fault: 'commit-500' } });

      const retried = await putCommit(faulty, id, commit);
      expect(retried.status).toBe(201);
      expect(commitAckSchema.parse(retried.body).duplicate).toBe(false);
    } finally {
      await faulty.stop();
    }
  });

  it('stores a commit whose ack is "lost", and answers the retry with that first ack', { timeout: 120_000 }, async () => {
    const faulty = await startCentralProcess({ env: { MOTCUA_CENTRAL_FAULTS: 'commit-lost-ack=1' } });
    try {
      const id = randomUUID();
      const uploadUrl = await tusUpload(faulty, signedPdf, { dossierId: id });
      const commit = makeCommit(id, [{ bytes: signedPdf, uploadUrl }]);

      expect((await putCommit(faulty, id, commit)).status).toBe(500);
      const retried = await putCommit(faulty, id, commit);
      expect(retried.status).toBe(200);
      expect(commitAckSchema.parse(retried.body)).toMatchObject({ dossierId: id, duplicate: true });
    } finally {
      await faulty.stop();
    }
  });
  it('fails an upload chunk when told to at run time, and the upload resumes from its URL', { timeout: 120_000 }, async () => {
    const faulty = await startCentralProcess({ env: { MOTCUA_CENTRAL_FAULT_CONTROL: '1' } });
    try {
      const set = await fetch(new URL(pathFor('testSetFaults'), faulty.url), {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ 'upload-patch-500': 1 }),
      });
      expect(set.status).toBe(200);
      expect(await set.json()).toEqual({ 'upload-patch-500': 1 });

      const id = randomUUID();
      let uploadUrl = '';
      await expect(tusUpload(faulty, signedPdf, { dossierId: id, onUploadUrl: (u) => (uploadUrl = u) })).rejects.toThrow(/500/);
      expect(uploadUrl).not.toBe('');
      const resumed = await tusUpload(faulty, signedPdf, { dossierId: id, uploadUrl });
      expect(resumed).toBe(uploadUrl);
      expect((await putCommit(faulty, id, makeCommit(id, [{ bytes: signedPdf, uploadUrl }]))).status).toBe(201);
    } finally {
      await faulty.stop();
    }
  });
});

function b64(text: string): string {
  return Buffer.from(text).toString('base64');
}
