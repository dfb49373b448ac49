/**
 * The `motcua` CLI ships inside the packaged app as built JavaScript (issue 16 item 9): electron/cli/build-cli.mjs
 * bundles it, and the result runs under plain Node — no tsx, no TypeScript — as it runs under the app's own
 * executable with `--cli` (the Electron half is typechecked only: the binary cannot be downloaded here). Its
 * `enroll` writes to the app's data folder by default (data-location.ts), here moved by MOTCUA_DATA_DIR.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { isBuiltin } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain .mjs build script without type declarations
import { buildCli, refuseCentralFiles } from '../../electron/cli/build-cli.mjs';
import { loadStoredDevice } from '../../electron/services/device';
import { verifyKioskPin } from '../../electron/services/kiosk';
import { adminEnrollmentCodeResponseSchema } from '../../shared/sync/protocol';
import { adminCall, startCentralProcess, testUnit, type CentralProcess } from '../support/central-process';
import { pathFor } from '../../shared/sync/api-contract';

const run = promisify(execFile);
const repoRoot = path.resolve(import.meta.dirname, '..', '..');
let outDir: string;
let entry: string;
/** esbuild's metafile of the build: every input file, and per output the imports left outside the bundle. */
interface Metafile {
  inputs: Record<string, { imports: { path: string }[] }>;
  outputs: Record<string, { imports: { path: string; external?: boolean }[] }>;
}
let metafile: Metafile;
let central: CentralProcess;
const dirs: string[] = [];

beforeAll(async () => {
  // Inside the repository, so the bundle's npm imports resolve from its node_modules as they do from the app's.
  await mkdir(path.join(repoRoot, 'out'), { recursive: true });
  outDir = await mkdtemp(path.join(repoRoot, 'out', 'cli-test-'));
  ({ entry, metafile } = await (buildCli as (o: { outDir: string }) => Promise<{ entry: string; metafile: Metafile }>)({ outDir }));
  central = await startCentralProcess({ enroll: false });
}, 120_000);

afterAll(async () => {
  await central?.stop();
  await rm(outDir, { recursive: true, force: true });
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

/** Runs the built CLI with plain node, from a folder outside the repository (as IT would, anywhere). */
async function motcua(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return run(process.execPath, [entry, ...args], { cwd: os.tmpdir(), env: { ...process.env, ...env } }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
}

describe('the built CLI under plain node', () => {
  it('is JavaScript only: no TypeScript loader in the bundle', async () => {
    const text = await readFile(entry, 'utf8');
    expect(text).not.toMatch(/from ["'][^"']+\.ts["']/);
    expect(text).not.toContain('tsx/esm');
  });

  it('prints its usage with every command, in Vietnamese', async () => {
    const help = await motcua(['--help']);
    expect(help.code).toBe(0);
    for (const command of ['enroll', 'verify', 'sign', 'kiosk-pin', 'host']) expect(help.stdout).toContain(`motcua ${command}`);
    expect(help.stdout).toContain('Cách dùng');
  });

  it('carries no central: no file of central/ in the bundle, `central` and `demo` refused with where to find them', async () => {
    expect(Object.keys(metafile.inputs).filter((file) => file.startsWith('central/'))).toEqual([]);
    expect(Object.keys(metafile.inputs)).toContain('electron/cli/commands/host.ts');
    const help = await motcua(['--help']);
    expect(help.stdout).not.toMatch(/motcua (central|demo) /);
    const central = await motcua(['central', '--port', '0']);
    expect(central.code).toBe(2);
    expect(central.stderr).toContain('Ứng dụng máy quầy không mang theo hệ thống trung tâm');
    const demo = await motcua(['demo']);
    expect(demo.code).toBe(2);
    expect(demo.stderr).toContain('npm start');
    const hostDemo = await motcua(['host', '--demo']);
    expect(hostDemo.code).toBe(2);
    expect(hostDemo.stderr).toContain('--central <url>');
  });

  it('needs at run time only npm packages the app declares as its own dependencies (what electron-builder packs)', async () => {
    const { dependencies } = JSON.parse(await readFile(path.join(repoRoot, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const packageName = (specifier: string): string => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
    const external = new Set(Object.values(metafile.outputs).flatMap((o) => o.imports.filter((i) => i.external && !isBuiltin(i.path)).map((i) => packageName(i.path))));
    expect(external.size).toBeGreaterThan(5);
    expect([...external].filter((name) => !(name in dependencies))).toEqual([]);
    for (const serverOnly of ['@tus/server', 'pg', '@electric-sql/pglite', '@aws-sdk/client-s3', 'tsx']) expect(external).not.toContain(serverOnly);
  });

  it('refuses to build when a counter command pulls in a file of central/, naming the chain of imports', () => {
    const inputs = {
      'electron/cli/run.ts': { imports: [{ path: 'electron/cli/motcua.ts' }] },
      'electron/cli/motcua.ts': { imports: [{ path: 'central/src/server.ts' }] },
      'central/src/server.ts': { imports: [] },
    };
    expect(() => (refuseCentralFiles as (m: { inputs: typeof inputs }) => void)({ inputs })).toThrow('electron/cli/run.ts → electron/cli/motcua.ts → central/src/server.ts');
    expect(() => (refuseCentralFiles as (m: { inputs: Record<string, unknown> }) => void)({ inputs: { 'electron/cli/run.ts': { imports: [] } } })).not.toThrow();
  });

  it('runs a command on the shared domain code (the 2026 calendar)', async () => {
    const calendar = await motcua(['calendar', '2026']);
    expect(calendar.code).toBe(0);
    expect(JSON.parse(calendar.stdout)).toMatchObject({ year: 2026 });
  });

  it('prints an official form with the fonts it carries (no repository around it)', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'motcua-cli-form-'));
    dirs.push(dir);
    const data = path.join(dir, 'mau04.json');
    await writeFile(
      data,
      JSON.stringify({
        unit: { organisationName: 'UBND xã Demo', unitName: 'UBND xã Demo', place: 'Xã Demo' },
        date: '2026-12-01T08:00:00+07:00',
        addressee: 'Ông Trần Văn Hưởng',
        dossierCode: '000.17.22.H56-261123-0007',
        receivedAt: '2026-11-23T14:05:00+07:00',
        appointmentAt: '2026-11-30T16:00:00+07:00',
        reason: 'Chờ kết quả xác minh của Công an xã',
        newAppointmentAt: '2026-12-03T16:00:00+07:00',
        signerTitle: 'Chủ tịch',
        signerName: 'Đặng Thị Lựu',
      }),
    );
    const out = await motcua(['form', 'mau04', '--data', data, '--out', path.join(dir, 'mau04.pdf')]);
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    expect((await readFile(path.join(dir, 'mau04.pdf'))).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

  it('hashes a kiosk exit PIN read from the environment', async () => {
    const out = await motcua(['kiosk-pin', '--pin-env', 'KIOSK_PIN'], { KIOSK_PIN: '482915' });
    expect(out.code).toBe(0);
    expect(out.stdout).not.toContain('482915');
    const { kiosk } = JSON.parse(out.stdout) as { kiosk: { exitPinHash: string } };
    expect(await verifyKioskPin('482915', kiosk.exitPinHash)).toBe(true);
  });

  it('enrolls into the app data folder when no --data is given', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'motcua-cli-bundle-'));
    dirs.push(dataDir);
    // The test central speaks http: this counter's configuration says it is a lab.
    await writeFile(path.join(dataDir, 'config.json'), JSON.stringify({ ...JSON.parse(await readFile(path.join(repoRoot, 'build/default-config.example.json'), 'utf8')), centralUrl: central.url, allowHttpCentral: true }));
    const issued = await adminCall(central, 'POST', pathFor('adminEnrollmentCodes'), { unit: testUnit, counterNo: 6 });
    const code = adminEnrollmentCodeResponseSchema.parse(issued.body).enrollmentCode;
    const out = await motcua(['enroll', '--central', central.url, '--code', code, '--name', 'Quầy 6'], { MOTCUA_DATA_DIR: dataDir });
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    expect((await loadStoredDevice(dataDir))?.device).toMatchObject({ unit: testUnit, counterNo: 6 });
  });
});
