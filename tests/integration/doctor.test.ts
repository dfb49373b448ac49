/**
 * Issue 16 item 4: `motcua doctor` on real peers — the central process, SoftHSM2 as the signer's token, the SANE
 * `test` backend as the scanner, a test CA's CRL/OCSP servers filling the revocation cache for real, an
 * OpenSSL TSA, and a 1 MB tmpfs filled up as the full disk. Each counter below differs from the healthy one by
 * one fault, and each fault gets its own verdict while the other checks keep theirs.
 * The clock two hours off is injected (the doctor's `now`), the only probe not driven by the machine.
 * The central going down is last: it is killed, not stopped, as a power cut would.
 */
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceFileName } from '../../electron/services/device';
import { runDoctor } from '../../electron/services/doctor/run-doctor';
import { enrollCounter } from '../../electron/services/enrollment';
import { RevocationService } from '../../electron/services/signing/revocation';
import { openDossierSpool } from '../../electron/services/dossier-spool';
import { spoolEntryOf } from '../../renderer/src/db/dossier-spool';
import { testDossierWithFiles } from '../support/counter-dossier';
import { doctorReportSchema, type DoctorCheck, type DoctorReport } from '../../shared/doctor/report';
import { adminEnrollmentCodeResponseSchema } from '../../shared/sync/protocol';
import { adminCall, startCentralProcess, testUnit, type CentralProcess } from '../support/central-process';
import { notRootReason, skipWithout } from '../support/requirements';
import { startRevocationServers, type RevocationServers } from '../support/revocation-servers';
import { createSoftHsmToken, SOFTHSM_LIBRARY, type SoftHsmToken } from '../support/softhsm';
import { createTestCa, type IssuedCert, type TestCa } from '../support/test-ca';
import { startTestTsa, type TestTsa } from '../support/tsa';
import { pathFor } from '../../shared/sync/api-contract';

const run = promisify(execFile);
const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const TOKEN = 'Quầy 5 - Token';
const isRoot = !skipWithout('a tmpfs mount', notRootReason());

let central: CentralProcess;
let ca: TestCa;
let revocationServers: RevocationServers;
let signerCert: IssuedCert;
let token: SoftHsmToken;
let tsa: TestTsa;
let root: string;
let healthyDir: string;

/** A config.json as an installer writes it (checked by the doctor's own config check). */
type Config = Record<string, unknown>;

function healthyConfig(): Config {
  return {
    unit: testUnit,
    organisationName: 'Ủy ban nhân dân xã Thử Nghiệm',
    counterNo: 5,
    centralUrl: central.url,
    allowHttpCentral: true,
    locale: 'vi',
    signers: [{ role: 'organisation', keystore: { kind: 'pkcs11', library: SOFTHSM_LIBRARY, tokenLabel: TOKEN, keyLabel: 'ky-co-quan', label: 'Token cơ quan (SoftHSM)' } }],
    capture: { sane: { devices: ['test:0'] } },
    tsa: { url: tsa.url, timeoutSeconds: 10 },
  };
}

/** A counter folder: the config, the healthy counter's credential and revocation cache (the same PC, one fault). */
async function counter(name: string, config: Config, where = path.join(root, name)): Promise<string> {
  await mkdir(path.join(where, 'revocation'), { recursive: true });
  await writeFile(path.join(where, 'config.json'), JSON.stringify(config, null, 2));
  await copyFile(path.join(healthyDir, deviceFileName), path.join(where, deviceFileName));
  for (const file of await readdir(path.join(healthyDir, 'revocation'))) await copyFile(path.join(healthyDir, 'revocation', file), path.join(where, 'revocation', file));
  return where;
}

const verdicts = (report: DoctorReport): Record<string, string> => Object.fromEntries(report.checks.map((c) => [c.id + (c.subject ? `:${c.subject}` : ''), c.verdict]));
const check = (report: DoctorReport, id: DoctorCheck['id']): DoctorCheck => {
  const found = report.checks.find((c) => c.id === id);
  if (!found) throw new Error(`no ${id} check in ${JSON.stringify(report.checks.map((c) => c.id))}`);
  return found;
};

const healthyVerdicts = {
  config: 'pass',
  central: 'pass',
  device: 'pass',
  clock: 'pass',
  disk: 'pass',
  scanners: 'pass',
  'signer:organisation': 'pass',
  'certificate:organisation': 'pass',
  'revocation-cache': 'pass',
  tsa: 'pass',
  backlog: 'pass',
};

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'motcua-doctor-'));
  ca = await createTestCa();
  revocationServers = await startRevocationServers(ca);
  [central, signerCert, tsa] = await Promise.all([
    startCentralProcess({ enroll: false }),
    ca.issue({ commonName: 'UBND xã Thử Nghiệm', organisation: 'UBND xã Thử Nghiệm', keyType: 'rsa', crlUrl: revocationServers.crlUrl, ocspUrl: revocationServers.ocspUrl }),
    startTestTsa(ca),
  ]);
  revocationServers.publishCrl(await ca.crl());
  token = await createSoftHsmToken({ label: TOKEN, userPin: '246810', soPin: '13579135', keys: [{ label: 'ky-co-quan', id: '01', keyPath: signerCert.keyPath, certDer: signerCert.certDer }] });
  // SoftHSM reads its configuration from the environment of the process that loads it (the doctor's worker here).
  process.env.SOFTHSM2_CONF = token.env.SOFTHSM2_CONF;

  healthyDir = path.join(root, 'healthy');
  await mkdir(healthyDir, { recursive: true });
  await writeFile(path.join(healthyDir, 'config.json'), JSON.stringify(healthyConfig(), null, 2));
  const issued = await adminCall(central, 'POST', pathFor('adminEnrollmentCodes'), { unit: testUnit, counterNo: 5 });
  await enrollCounter({ centralUrl: central.url, enrollmentCode: adminEnrollmentCodeResponseSchema.parse(issued.body).enrollmentCode, expect: { unitCode: testUnit.code, counterNo: 5 } }, { configDir: healthyDir });
  // The revocation cache filled as the app fills it when a key is unlocked online: real OCSP/CRL answers.
  const ports = [new URL(revocationServers.crlUrl).port, new URL(revocationServers.ocspUrl).port].map(Number);
  const outcomes = await new RevocationService({ dataDir: healthyDir, fetchPolicy: { allowPrivateNetworks: true, allowedPorts: [80, 443, ...ports] } }).refresh([signerCert.certDer], [ca.rootDer]);
  expect(outcomes.flatMap((o) => o.attempts.map((a) => a.result))).toContain('stored');
}, 180_000);

afterAll(async () => {
  await central?.stop();
  await tsa?.stop();
  await revocationServers?.stop();
  await token?.cleanup();
  await rm(root, { recursive: true, force: true });
  if (ca) await rm(ca.dir, { recursive: true, force: true });
});

describe('motcua doctor', () => {
  it('a healthy counter: every check PASS, exit code 0 (the CLI with --json says the same)', { timeout: 90_000 }, async () => {
    const report = await runDoctor({ dataDir: healthyDir });
    expect(verdicts(report)).toEqual(healthyVerdicts);
    expect(report).toMatchObject({ verdict: 'pass', exitCode: 0 });
    expect(check(report, 'scanners').explanation).toContain('test:0');
    expect(check(report, 'device').explanation).toContain('quầy 5');

    const cli = await run(process.execPath, [path.join(repoRoot, 'electron/cli/bin.mjs'), 'doctor', '--json', '--data', healthyDir], { cwd: repoRoot, env: { ...process.env, ...token.env } });
    const fromCli = doctorReportSchema.parse(JSON.parse(cli.stdout));
    expect(verdicts(fromCli)).toEqual(healthyVerdicts);
  });

  it('no scanner answering: scanners FAIL, exit code 2, the rest as healthy', { timeout: 90_000 }, async () => {
    // The configured scanner is unplugged: SANE does not list it.
    const dir = await counter('no-scanner', { ...healthyConfig(), capture: { sane: { devices: ['fujitsu:fi-7160:118302'] } } });
    const report = await runDoctor({ dataDir: dir });
    expect(verdicts(report)).toEqual({ ...healthyVerdicts, scanners: 'fail' });
    expect(report.exitCode).toBe(2);
    expect(check(report, 'scanners').explanation).toContain('Không có máy quét nào trả lời');
    expect(check(report, 'scanners').action).toContain('motcua scan --list');
  });

  it('a missing token library: signer FAIL naming the library, the certificate not checked', { timeout: 90_000 }, async () => {
    const missing = '/usr/lib/vnpt-ca/libvnpt-pkcs11-missing.so';
    const config = healthyConfig();
    const dir = await counter('no-library', { ...config, signers: [{ role: 'organisation', keystore: { kind: 'pkcs11', library: missing, tokenLabel: TOKEN, label: 'Token' } }] });
    const report = await runDoctor({ dataDir: dir });
    expect(verdicts(report)).toEqual({ ...healthyVerdicts, 'signer:organisation': 'fail', 'certificate:organisation': 'warn' });
    expect(check(report, 'signer').explanation).toContain(missing);
    expect(check(report, 'signer').action).toContain('Cài trình điều khiển token');
  });

  it('a token not plugged in: signer FAIL listing what is there', { timeout: 90_000 }, async () => {
    const config = healthyConfig();
    const dir = await counter('no-token', { ...config, signers: [{ role: 'organisation', keystore: { kind: 'pkcs11', library: SOFTHSM_LIBRARY, tokenLabel: 'Token khác', label: 'Token' } }] });
    const report = await runDoctor({ dataDir: dir });
    expect(check(report, 'signer')).toMatchObject({ verdict: 'fail' });
    expect(check(report, 'signer').explanation).toContain(`không thấy token "Token khác" (token đang cắm: "${TOKEN}")`);
  });

  it('a clock two hours off: clock FAIL with the skew in minutes', { timeout: 90_000 }, async () => {
    const report = await runDoctor({ dataDir: healthyDir, now: () => new Date(Date.now() + 2 * 3_600_000) });
    expect(verdicts(report)).toEqual({ ...healthyVerdicts, clock: 'fail' });
    expect(check(report, 'clock').explanation).toContain('lệch 120 phút (cho phép 5 phút)');
    expect(check(report, 'clock').facts).toMatchObject({ maxSkewMinutes: 5 });
    expect(Math.round(Number(check(report, 'clock').facts?.skewSeconds) / 60)).toBe(-120);
  });

  it.skipIf(!isRoot)('a full disk (a 1 MB tmpfs, filled): disk FAIL, exit code 2', { timeout: 90_000 }, async () => {
    const mountPoint = path.join(root, 'full-disk');
    await mkdir(mountPoint);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mountPoint]);
    try {
      const dir = await counter('full-disk', healthyConfig(), mountPoint);
      // Fill what is left, as a disk that ran full would be.
      await writeFile(path.join(mountPoint, 'filler.bin'), new Uint8Array(2 * 1024 * 1024)).catch((err: NodeJS.ErrnoException) => expect(err.code).toBe('ENOSPC'));
      const report = await runDoctor({ dataDir: dir });
      expect(verdicts(report)).toEqual({ ...healthyVerdicts, disk: 'fail' });
      expect(check(report, 'disk').facts).toMatchObject({ totalBytes: 1024 * 1024 });
      expect(Number(check(report, 'disk').facts?.freeBytes)).toBeLessThan(64 * 1024);
      expect(check(report, 'disk').explanation).toContain('hồ sơ mới có thể không lưu được');
    } finally {
      execFileSync('umount', [mountPoint]);
    }
  });

  it('an unsent backlog three days old in main\'s spool: backlog FAIL with the counts; an entry sealed with the data key still counts', { timeout: 90_000 }, async () => {
    const dir = await counter('backlog', healthyConfig());
    const pdf = Uint8Array.from({ length: 5_000 }, (_, i) => (i * 31) % 251);
    const old = testDossierWithFiles(1, [pdf], { createdAt: new Date(Date.now() - 80 * 3_600_000).toISOString() });
    const plainSpool = openDossierSpool(dir);
    await plainSpool.prepare(spoolEntryOf(old.dossier, old.files));
    await plainSpool.commit({ dossierIds: [old.dossier.id] });
    // Written sealed (the app's data key, which the CLI cannot open): counted all the same.
    const recent = testDossierWithFiles(2, [pdf]);
    const key = new Uint8Array(randomBytes(32));
    const sealedSpool = openDossierSpool(dir, { dataKey: () => Promise.resolve(key.slice()) });
    await sealedSpool.prepare(spoolEntryOf(recent.dossier, recent.files));
    await sealedSpool.commit({ dossierIds: [recent.dossier.id] });

    const report = await runDoctor({ dataDir: dir });
    expect(verdicts(report)).toEqual({ ...healthyVerdicts, backlog: 'fail' });
    expect(check(report, 'backlog').facts).toMatchObject({ dossiers: 2, events: 0, oldest: old.dossier.createdAt });
    expect(check(report, 'backlog').explanation).toContain('2 hồ sơ và 0 thao tác chờ gửi');
    expect(check(report, 'backlog').explanation).toContain('Quá 72 giờ');
  });

  it('the central down (killed): central FAIL, the device and clock not checked (WARN), the CLI exits 2', { timeout: 90_000 }, async () => {
    await central.kill('SIGKILL');
    const report = await runDoctor({ dataDir: healthyDir });
    expect(verdicts(report)).toEqual({ ...healthyVerdicts, central: 'fail', device: 'warn', clock: 'warn' });
    expect(check(report, 'central').explanation).toContain(central.url);
    expect(check(report, 'central').action).toContain('Hồ sơ vẫn được giữ trên máy');
    const cli = await run(process.execPath, [path.join(repoRoot, 'electron/cli/bin.mjs'), 'doctor', '--data', healthyDir], { cwd: repoRoot, env: { ...process.env, ...token.env } }).then(
      (r) => ({ code: 0, stdout: r.stdout }),
      (e: { code: number; stdout: string }) => e,
    );
    expect(cli.code).toBe(2);
    expect(cli.stdout).toContain('[LỖI] Kết nối hệ thống trung tâm');
    expect(cli.stdout).toContain('mã thoát 2');
  });
});
