/**
 * Issue 19, item 3 — what a second instance needs, per the shared contract of issue 19:
 * - `--cluster` refuses to start without a PostgreSQL database, S3 storage, an admin token from the environment
 *   or a file, and a public URL — each missing one named, in Vietnamese and English, all at once;
 * - in cluster mode, a tus upload created through a proxy (any Host, even forged X-Forwarded-* headers) gets its
 *   `Location` on the configured public URL, and export links use it too; without cluster mode, `Location`
 *   follows the Host as before;
 * - the instance name is in the start-up line.
 * The start-up checks run the real `motcua central` command; the public-URL case runs the central in this
 * process (`startCentral` with `cluster`), because cluster mode also needs S3 storage, which the command line
 * gets from `--storage s3` (issue 19 item 1, another branch) — the cluster test (tests/cluster/) runs it whole.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCentral, type RunningCentral } from '../../central/src/server';
import { certificatesFromBytes } from '../../central/src/trust';
import { describeError } from '../../shared/i18n/error-messages';
import type { ErrorCode } from '../../shared/errors';
import { sha256Hex } from '../../shared/util/bytes';
import { adminCall, centralCommandLine, enrollTestDevice, makeCommit, makeSignedPdf, putCommit, startCentralProcess, tusUpload } from '../support/central-process';
import { getTestPki } from '../support/pki';
import { pathFor, tusEndpointPath, uploadsPrefix } from '../../shared/sync/api-contract';

const roots: string[] = [];
afterAll(async () => {
  for (const root of roots) await rm(root, { recursive: true, force: true });
});

/** Runs the tests' `motcua central` with `args` until it exits (a refused start exits at once). */
async function runCentralCommand(args: readonly string[], env: Record<string, string | undefined>): Promise<{ code: number | null; output: string }> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'motcua-cluster-settings-'));
  roots.push(root);
  const pki = await getTestPki();
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  // Nothing inherited decides the outcome: only what each case gives.
  for (const name of ['MOTCUA_CENTRAL_ADMIN_TOKEN', 'MOTCUA_CENTRAL_DATABASE_URL', 'MOTCUA_CENTRAL_CLUSTER', 'MOTCUA_CENTRAL_PUBLIC_URL', 'MOTCUA_CENTRAL_INSTANCE']) delete childEnv[name];
  Object.assign(childEnv, env);
  const proc = spawn(process.execPath, [...centralCommandLine(), '--port', '0', '--data', path.join(root, 'data'), '--trust', pki.rootCaPemPath, ...args], {
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  proc.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  proc.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const code = await new Promise<number | null>((resolve) => proc.once('exit', resolve));
  return { code, output };
}

const both = (code: ErrorCode, details: Record<string, string> = {}): string[] => [describeError('vi', code, details), describeError('en', code, details)];

describe('cluster mode start-up', () => {
  it('names every missing setting, in Vietnamese and English, and does not start', { timeout: 60_000 }, async () => {
    const { code, output } = await runCentralCommand(['--cluster'], {});
    expect(code).toBe(2);
    for (const missing of ['CENTRAL_CLUSTER_DATABASE_REQUIRED', 'CENTRAL_CLUSTER_S3_REQUIRED', 'CENTRAL_CLUSTER_ADMIN_TOKEN_REQUIRED', 'CENTRAL_CLUSTER_PUBLIC_URL_REQUIRED'] as const) {
      for (const text of both(missing)) expect(output).toContain(text);
    }
    expect(output).not.toContain('motcua-central listening');
  });

  it('takes the settings from the environment too, and still refuses what is missing (files on disk)', { timeout: 60_000 }, async () => {
    const { code, output } = await runCentralCommand([], {
      MOTCUA_CENTRAL_CLUSTER: '1',
      MOTCUA_CENTRAL_DATABASE_URL: 'postgres://motcua@127.0.0.1:1/unused',
      MOTCUA_CENTRAL_ADMIN_TOKEN: `test-admin-${randomUUID()}`,
      MOTCUA_CENTRAL_PUBLIC_URL: 'https://motcua.example.gov.vn',
    });
    expect(code).toBe(2);
    for (const text of both('CENTRAL_CLUSTER_S3_REQUIRED')) expect(output).toContain(text);
    for (const satisfied of ['CENTRAL_CLUSTER_DATABASE_REQUIRED', 'CENTRAL_CLUSTER_ADMIN_TOKEN_REQUIRED', 'CENTRAL_CLUSTER_PUBLIC_URL_REQUIRED'] as const) {
      expect(output).not.toContain(describeError('en', satisfied, {}));
    }
  });

  it('refuses a public URL that is not HTTPS (plain HTTP only on loopback), and one given without --cluster', { timeout: 60_000 }, async () => {
    const tokenFile = path.join(await mkdtemp(path.join(os.tmpdir(), 'motcua-cluster-token-')), 'token');
    roots.push(path.dirname(tokenFile));
    await writeFile(tokenFile, `test-admin-${randomUUID()}\n`, { mode: 0o600 });
    const insecure = await runCentralCommand(['--cluster', '--admin-token-file', tokenFile, '--database', 'postgres://x@127.0.0.1:1/y', '--public-url', 'http://motcua.example.gov.vn'], {});
    expect(insecure.code).toBe(2);
    for (const text of both('CENTRAL_PUBLIC_URL_INVALID', { url: 'http://motcua.example.gov.vn', reason: 'https only (http only on loopback)' })) expect(insecure.output).toContain(text);

    const alone = await runCentralCommand(['--public-url', 'https://motcua.example.gov.vn'], { MOTCUA_CENTRAL_ADMIN_TOKEN: `test-admin-${randomUUID()}` });
    expect(alone.code).toBe(2);
    for (const text of both('CENTRAL_PUBLIC_URL_WITHOUT_CLUSTER')) expect(alone.output).toContain(text);
  });

  it('starts without --cluster as before, its instance name in the start-up line', { timeout: 120_000 }, async () => {
    const central = await startCentralProcess({ args: ['--instance-name', 'quay-thu-01'], enroll: false });
    try {
      expect(central.output()).toMatch(/motcua-central (was )?listening on \S+ \(.*instance: quay-thu-01\)/);
    } finally {
      await central.stop();
    }
  });
});

/**
 * POST a tus creation for `bytes` with the given Host and extra headers (as a proxy hop passes them on); the
 * raw answer.
 */
function createUploadVia(
  central: { url: string; credential: string },
  headers: Record<string, string>,
  bytes: Uint8Array = new Uint8Array([1]),
  dossierId: string = randomUUID(),
): Promise<{ status: number; location: string | undefined }> {
  const target = new URL(tusEndpointPath, central.url);
  const metadata = { dossierId, sha256: sha256Hex(bytes), filename: 'tep.pdf', filetype: 'application/pdf' };
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      target,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${central.credential}`,
          'tus-resumable': '1.0.0',
          'upload-length': String(bytes.byteLength),
          'upload-metadata': Object.entries(metadata)
            .map(([key, value]) => `${key} ${Buffer.from(value).toString('base64')}`)
            .join(','),
          ...headers,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, location: typeof res.headers.location === 'string' ? res.headers.location : undefined }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('the public URL in cluster mode (central in this process)', () => {
  const publicUrl = 'https://motcua.example.gov.vn/trung-tam';
  let clustered: RunningCentral;
  let single: RunningCentral;
  let clusteredTarget: { url: string; adminToken: string; credential: string };
  let singleTarget: { url: string; adminToken: string; credential: string };

  beforeAll(async () => {
    const pki = await getTestPki();
    const trustAnchorsDer = certificatesFromBytes(new Uint8Array(await readFile(pki.rootCaPemPath)), pki.rootCaPemPath);
    const start = async (cluster: boolean): Promise<RunningCentral> => {
      const dataDir = await mkdtemp(path.join(os.tmpdir(), 'motcua-central-public-url-'));
      roots.push(dataDir);
      return startCentral({
        dataDir,
        trustAnchorsDer,
        logLevel: 'silent',
        adminToken: `test-admin-${randomUUID()}`,
        signatureWorkers: 1,
        ...(cluster ? { cluster: { instanceName: 'c1', publicUrl } } : {}),
      });
    };
    [clustered, single] = await Promise.all([start(true), start(false)]);
    const targetOf = async (central: RunningCentral) => {
      const base = { url: central.url, adminToken: central.adminToken.token };
      return { ...base, credential: (await enrollTestDevice(base)).credential };
    };
    [clusteredTarget, singleTarget] = await Promise.all([targetOf(clustered), targetOf(single)]);
  }, 180_000);

  afterAll(async () => {
    await clustered?.close();
    await single?.close();
  });

  it('gives an upload created through a proxy-like Host a Location on the public URL', async () => {
    const viaProxy = { host: '10.20.0.7:8787', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'http' };
    const created = await createUploadVia(clusteredTarget, viaProxy);
    expect(created.status).toBe(201);
    expect(created.location).toMatch(new RegExp(`^${publicUrl.replace(/[.]/g, '\\.')}${uploadsPrefix}/[0-9a-f]{32}$`));

    // Without cluster mode: @tus/server's own rule, the request's Host (what a proxy hop passed on).
    const before = await createUploadVia(singleTarget, viaProxy);
    expect(before.status).toBe(201);
    expect(before.location).toMatch(/^http:\/\/10\.20\.0\.7:8787\/api\/v1\/uploads\/[0-9a-f]{32}$/);
  });

  it('uploads, commits and exports with links on the public URL', { timeout: 60_000 }, async () => {
    const pdf = await makeSignedPdf();
    const id = randomUUID();
    // The counter creates the upload through the proxy and keeps the public Location it got.
    const created = await createUploadVia(clusteredTarget, { host: 'motcua.example.gov.vn' }, pdf, id);
    expect(created.status).toBe(201);
    const publicLocation = created.location ?? '';
    expect(publicLocation.startsWith(`${publicUrl}${tusEndpointPath}`)).toBe(true);
    // Its PATCHes go to that address; the proxy (here: the test) passes them to an instance.
    const onInstance = new URL(publicLocation.slice(publicUrl.length), clustered.url).href;
    await tusUpload(clusteredTarget, pdf, { dossierId: id, uploadUrl: onInstance });
    // The commit names the upload by its public URL; the central reads the upload id from its last segment.
    expect((await putCommit(clusteredTarget, id, makeCommit(id, [{ bytes: pdf, uploadUrl: publicLocation }]))).status).toBe(201);
    const exported = await adminCall(clusteredTarget, 'GET', pathFor('adminDossierExport', { id }));
    expect(exported.status).toBe(200);
    const text = JSON.stringify(exported.body);
    expect(text).toContain(`${publicUrl}${pathFor('dossierFile', { id, sha256: sha256Hex(pdf) })}`);
    expect(text).not.toContain(clustered.url);
  });
});
