/**
 * Uploads a counter never committed are expired by the central (central/src/upload-sweep.ts): at start, and
 * periodically while it runs. A real central process and real tus requests; the "abandoned for 8 days" case
 * ages the upload files' modification times while the central is stopped (the sweep judges by the last
 * write), instead of waiting a week.
 */
import { randomUUID } from 'node:crypto';
import { copyFile, readdir, utimes } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { centralErrorSchema } from '../../shared/sync/protocol';
import { sha256Hex } from '../../shared/util/bytes';
import { centralFetch, makeCommit, makeSignedPdf, putCommit, startCentralProcess, tusUpload, type CentralProcess } from '../support/central-process';
import { pathFor, tusEndpointPath } from '../../shared/sync/api-contract';

const started: CentralProcess[] = [];
afterAll(async () => {
  for (const central of started) await central.stop();
});

const metadataHeader = (fields: Record<string, string>): string =>
  Object.entries(fields)
    .map(([k, v]) => `${k} ${Buffer.from(v).toString('base64')}`)
    .join(',');

/** Creates a tus upload and sends only its first `sent` bytes, like a counter that lost power mid-file. */
async function partialUpload(central: CentralProcess, bytes: Uint8Array, sent: number): Promise<string> {
  const created = await centralFetch(central, tusEndpointPath, {
    method: 'POST',
    headers: {
      'tus-resumable': '1.0.0',
      'upload-length': String(bytes.byteLength),
      'upload-metadata': metadataHeader({ dossierId: randomUUID(), sha256: sha256Hex(bytes), filename: 'tep.pdf', filetype: 'application/pdf' }),
    },
  });
  expect(created.status).toBe(201);
  const url = new URL(created.headers.get('location') ?? '', central.url).href;
  const patched = await centralFetch(central, url, {
    method: 'PATCH',
    headers: { 'tus-resumable': '1.0.0', 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' },
    body: Buffer.from(bytes.subarray(0, sent)),
  });
  expect(patched.status).toBe(204);
  return url;
}

const uploadIdOf = (url: string): string => url.split('/').pop() ?? '';
const uploadFiles = async (central: CentralProcess): Promise<string[]> => (await readdir(path.join(central.dataDir, 'uploads'))).sort();
const headStatus = async (central: CentralProcess, url: string): Promise<number> =>
  (await centralFetch(central, url, { method: 'HEAD', headers: { 'tus-resumable': '1.0.0' } })).status;

async function waitUntil(what: string, check: () => Promise<boolean>, limitMs = 60_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not within ${limitMs / 1000} s: ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('uncommitted uploads are expired', () => {
  it('at start: uploads untouched for 8 days go, a fresh one and a committed dossier\'s stay', { timeout: 240_000 }, async () => {
    const central = await startCentralProcess();
    started.push(central);
    const [a, b, c, d] = await Promise.all([1, 2, 3, 4].map((n) => makeSignedPdf({ text: `Tep ${n}`, paddingBytes: 30_000 })));
    if (!a || !b || !c || !d) throw new Error('fixtures');

    const abandonedPartial = await partialUpload(central, a, 10_000);
    const abandonedComplete = await tusUpload(central, b, { dossierId: randomUUID() });
    const freshPartial = await partialUpload(central, d, 5_000);

    // A committed dossier whose upload copy is still there: the central crashed between storing the dossier
    // and removing the upload. Made by putting back the upload files the commit removed.
    const committedId = randomUUID();
    const committedUrl = await tusUpload(central, c, { dossierId: committedId });
    const uploadsDir = path.join(central.dataDir, 'uploads');
    const committedUpload = path.join(uploadsDir, uploadIdOf(committedUrl));
    await copyFile(committedUpload, `${committedUpload}.kept`);
    await copyFile(`${committedUpload}.json`, `${committedUpload}.json.kept`);
    expect((await putCommit(central, committedId, makeCommit(committedId, [{ bytes: c, uploadUrl: committedUrl }]))).status).toBe(201);
    await copyFile(`${committedUpload}.kept`, committedUpload);
    await copyFile(`${committedUpload}.json.kept`, `${committedUpload}.json`);

    await central.kill('SIGTERM');
    const eightDaysAgo = new Date(Date.now() - 8 * 24 * 3600_000);
    for (const url of [abandonedPartial, abandonedComplete, committedUrl]) {
      const file = path.join(uploadsDir, uploadIdOf(url));
      await utimes(file, eightDaysAgo, eightDaysAgo);
      await utimes(`${file}.json`, eightDaysAgo, eightDaysAgo);
    }
    await central.restart();

    const gone = [abandonedPartial, abandonedComplete].map(uploadIdOf);
    await waitUntil('the abandoned uploads are removed', async () => (await uploadFiles(central)).every((f) => !gone.some((id) => f.startsWith(id))));
    const left = await uploadFiles(central);
    for (const id of [freshPartial, committedUrl].map(uploadIdOf)) {
      expect(left).toContain(id);
      expect(left).toContain(`${id}.json`);
    }
    // What the counter sees: its resume finds nothing (it uploads again), a commit names the missing file.
    expect(await headStatus(central, abandonedPartial)).toBe(404);
    expect(await headStatus(central, freshPartial)).toBe(200);
    const id = randomUUID();
    const refused = await putCommit(central, id, makeCommit(id, [{ bytes: b, uploadUrl: abandonedComplete }]));
    expect(refused.status).toBe(422);
    expect(centralErrorSchema.parse(refused.body)).toMatchObject({ error: 'CENTRAL_UPLOAD_INCOMPLETE', details: { reason: 'missing' } });
    // The committed dossier is untouched.
    expect((await centralFetch(central, pathFor('commitDossier', { id: committedId }))).status).toBe(200);
  });

  it('while running, with a short configured age: an upload left alone goes, then the counter uploads again and commits', { timeout: 180_000 }, async () => {
    // 0.003 h = 10.8 s without a write (room for a loaded machine); the sweep then runs every 5.4 s.
    const central = await startCentralProcess({ args: ['--upload-max-age-hours', '0.003'] });
    started.push(central);
    const pdf = await makeSignedPdf({ text: 'Tep bo do', paddingBytes: 30_000 });
    const abandoned = await partialUpload(central, pdf, 10_000);
    expect(await headStatus(central, abandoned)).toBe(200);
    await waitUntil('the idle upload expires', async () => (await headStatus(central, abandoned)) === 404);
    expect((await uploadFiles(central)).filter((f) => f.startsWith(uploadIdOf(abandoned)))).toEqual([]);

    // The counter's recovery: a new upload, committed before it could expire.
    const id = randomUUID();
    const again = await tusUpload(central, pdf, { dossierId: id });
    expect((await putCommit(central, id, makeCommit(id, [{ bytes: pdf, uploadUrl: again }]))).status).toBe(201);
  });
});
