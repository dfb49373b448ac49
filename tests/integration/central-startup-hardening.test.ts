/**
 * Issue 17, finding 10, against real `motcua central` processes: the admin token is never taken from the command
 * line nor written to the log (environment, an owner-only file, or a generated file whose place is logged); the
 * back-office CLI reads it the same way; without `--trust` the central refuses to start instead of trusting the
 * demo root; and the fault-injection hooks do nothing in the app's own `motcua central`.
 */
import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adminCall,
  centralCommandLine,
  centralFetch,
  makeCommit,
  makeSignedPdf,
  putCommit,
  startCentralProcess,
  tusUpload,
} from '../support/central-process';
import { pathFor } from '../../shared/sync/api-contract';

/** `motcua central <admin subcommand> …` as IT runs it; never throws, gives the exit code and output. */
async function adminCli(args: readonly string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const environment: NodeJS.ProcessEnv = { ...process.env, ...env };
  delete environment.MOTCUA_CENTRAL_ADMIN_TOKEN;
  if (env.MOTCUA_CENTRAL_ADMIN_TOKEN) environment.MOTCUA_CENTRAL_ADMIN_TOKEN = env.MOTCUA_CENTRAL_ADMIN_TOKEN;
  return promisify(execFile)(process.execPath, [...centralCommandLine(), ...args], { env: environment }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (err: { code: number; stdout: string; stderr: string }) => ({ code: err.code, stdout: err.stdout, stderr: err.stderr }),
  );
}

describe('admin token sources', () => {
  let dir: string;
  const token = `mca_file_${randomBytes(24).toString('base64url')}`;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'motcua-admin-token-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads --admin-token-file (mode 0600) and shows the token neither in the log nor on the command line; the CLI reads the same file', { timeout: 120_000 }, async () => {
    const tokenFile = path.join(dir, 'token-0600');
    await writeFile(tokenFile, `${token}\n`, { mode: 0o600 });
    const central = await startCentralProcess({ env: { MOTCUA_CENTRAL_ADMIN_TOKEN: '' }, args: ['--admin-token-file', tokenFile], enroll: false });
    try {
      expect(await adminCall({ url: central.url, adminToken: token }, 'GET', pathFor('adminDevices'))).toEqual({ status: 200, body: { devices: [] } });
      expect(central.output()).not.toContain(token);
      expect(central.output()).toContain(tokenFile);
      expect(await readFile(`/proc/${central.pid}/cmdline`, 'utf8')).not.toContain(token);

      const listed = await adminCli(['devices', '--central', central.url, '--admin-token-file', tokenFile]);
      expect(listed).toMatchObject({ code: 0 });
      expect(JSON.parse(listed.stdout)).toEqual({ devices: [] });
      // The same token from the environment works too.
      expect(await adminCli(['devices', '--central', central.url], { MOTCUA_CENTRAL_ADMIN_TOKEN: token })).toMatchObject({ code: 0 });
    } finally {
      await central.stop();
    }
  });

  it('refuses a token file other users can read, at the central and in the CLI', { timeout: 120_000 }, async () => {
    const tokenFile = path.join(dir, 'token-0644');
    await writeFile(tokenFile, `${token}\n`);
    await chmod(tokenFile, 0o644);
    await expect(startCentralProcess({ env: { MOTCUA_CENTRAL_ADMIN_TOKEN: '' }, args: ['--admin-token-file', tokenFile], enroll: false })).rejects.toThrow(
      /Tệp mã quản trị \S*token-0644 có quyền 0644[\s\S]*The admin token file \S*token-0644 has mode 0644/,
    );
    const cli = await adminCli(['devices', '--central', 'http://127.0.0.1:9', '--admin-token-file', tokenFile]);
    expect(cli.code).toBe(2);
    expect(cli.stderr).toMatch(/có quyền 0644/);
  });

  it('refuses --admin-token on the command line, at the central and in the CLI', { timeout: 120_000 }, async () => {
    await expect(startCentralProcess({ args: ['--admin-token', token], enroll: false })).rejects.toThrow(/Không nhận mã quản trị trên dòng lệnh[\s\S]*not accepted on the command line/);
    const cli = await adminCli(['devices', '--central', 'http://127.0.0.1:9', `--admin-token=${token}`]);
    expect(cli.code).toBe(2);
    expect(cli.stderr).toMatch(/Không nhận mã quản trị trên dòng lệnh/);
  });
});

describe('demo trust', () => {
  it('refuses to start without --trust (and without --demo), saying how to fix it', { timeout: 120_000 }, async () => {
    await expect(startCentralProcess({ trust: [], enroll: false })).rejects.toThrow(/Chưa chỉ định chứng thư gốc tin cậy[\s\S]*--demo[\s\S]*No trusted root certificate given/);
  });
});

describe('fault hooks in the app’s own `motcua central`', () => {
  it('ignores MOTCUA_CENTRAL_FAULTS and MOTCUA_CENTRAL_FAULT_CONTROL: the commit is stored, the fault route does not exist', { timeout: 120_000 }, async () => {
    const central = await startCentralProcess({ productionCli: true, env: { MOTCUA_CENTRAL_FAULTS: 'commit-500=1', MOTCUA_CENTRAL_FAULT_CONTROL: '1' } });
    try {
      const signedPdf = await makeSignedPdf();
      const id = randomUUID();
      const uploadUrl = await tusUpload(central, signedPdf, { dossierId: id });
      const res = await putCommit(central, id, makeCommit(id, [{ bytes: signedPdf, uploadUrl }]));
      expect(res.status).toBe(201);
      const faultRoute = await centralFetch(central, pathFor('testSetFaults'), { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"commit-500":1}' });
      expect(faultRoute.status).toBe(404);
    } finally {
      await central.stop();
    }
  });

  it('refuses --faults and --fault-control as unknown options', { timeout: 120_000 }, async () => {
    await expect(startCentralProcess({ productionCli: true, args: ['--fault-control'], enroll: false })).rejects.toThrow(/Unknown option '--fault-control'/);
    await expect(startCentralProcess({ productionCli: true, args: ['--faults', 'commit-500=1'], enroll: false })).rejects.toThrow(/Unknown option '--faults'/);
  });
});
