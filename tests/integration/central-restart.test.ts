/**
 * The central killed with SIGKILL in the middle of an upload: after a restart on the same port and data
 * directory, the client resumes the upload from its URL, commits, and a repeated commit changes nothing.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitAckSchema } from '../../shared/sync/protocol';
import { sha256Hex } from '../../shared/util/bytes';
import { centralFetch, makeCommit, makeSignedPdf, putCommit, startCentralProcess, tusUpload, type CentralProcess } from '../support/central-process';
import { pathFor } from '../../shared/sync/api-contract';

let central: CentralProcess;

beforeAll(async () => {
  central = await startCentralProcess();
});

afterAll(async () => {
  await central?.stop();
});

describe('central killed mid-upload', () => {
  // Three process starts: generous under a loaded machine (other suites run beside this one).
  it('resumes the upload after a restart and keeps exactly one dossier with byte-identical bytes', { timeout: 240_000 }, async () => {
    const pdf = await makeSignedPdf({ paddingBytes: 200_000 });
    const chunkSize = 16 * 1024;
    expect(pdf.byteLength).toBeGreaterThan(4 * chunkSize);
    const id = randomUUID();
    const port = central.port;

    // First attempt: kill the central as soon as the first chunk is acknowledged.
    let uploadUrl = '';
    let killed: Promise<void> | undefined;
    const interrupted = tusUpload(central, pdf, {
      dossierId: id,
      chunkSize,
      onUploadUrl: (url) => (uploadUrl = url),
      onChunkComplete: () => {
        killed ??= central.kill('SIGKILL');
      },
    });
    await expect(interrupted).rejects.toThrow();
    await killed;
    expect(uploadUrl).toMatch(/\/api\/v1\/uploads\/[0-9a-f]{32}$/);

    await central.restart();
    expect(central.port).toBe(port);

    // The central kept what it had received before the kill.
    const head = await centralFetch(central, uploadUrl, { method: 'HEAD', headers: { 'tus-resumable': '1.0.0' } });
    expect(head.status).toBe(200);
    const offsetAfterRestart = Number(head.headers.get('upload-offset'));
    expect(offsetAfterRestart).toBeGreaterThanOrEqual(chunkSize);
    expect(offsetAfterRestart).toBeLessThan(pdf.byteLength);
    expect(Number(head.headers.get('upload-length'))).toBe(pdf.byteLength);

    // Resume from the URL: only the rest is sent.
    let firstAcceptedOnResume = -1;
    const resumedUrl = await tusUpload(central, pdf, {
      dossierId: id,
      chunkSize,
      uploadUrl,
      onChunkComplete: (accepted) => {
        if (firstAcceptedOnResume < 0) firstAcceptedOnResume = accepted;
      },
    });
    expect(resumedUrl).toBe(uploadUrl);
    expect(firstAcceptedOnResume).toBeLessThanOrEqual(offsetAfterRestart + chunkSize);

    const commit = makeCommit(id, [{ bytes: pdf, uploadUrl }]);
    const first = await putCommit(central, id, commit);
    expect(first.status).toBe(201);
    const ack = commitAckSchema.parse(first.body);

    // Killed again right after the ack: the dossier is durable, and the retry gets the first ack back.
    await central.kill('SIGKILL');
    await central.restart();
    const again = await putCommit(central, id, commit);
    expect(again.status).toBe(200);
    expect(commitAckSchema.parse(again.body)).toEqual({ ...ack, duplicate: true });

    const file = await centralFetch(central, pathFor('dossierFile', { id, sha256: sha256Hex(pdf) }));
    expect(file.status).toBe(200);
    expect(Buffer.from(await file.arrayBuffer()).equals(Buffer.from(pdf))).toBe(true);

    // Exactly one row, read from the database itself once the central has stopped.
    await central.kill('SIGTERM');
    const db = await PGlite.create({ dataDir: path.join(central.dataDir, 'db') });
    try {
      const dossiers = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM dossiers WHERE id = $1`, [id]);
      const files = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM dossier_files WHERE dossier_id = $1`, [id]);
      expect(dossiers.rows[0]?.n).toBe(1);
      expect(files.rows[0]?.n).toBe(1);
    } finally {
      await db.close();
    }
  });
});
