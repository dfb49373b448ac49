/**
 * Issue 16: `motcua support-bundle` never carries personal data or keys. A counter data folder is built with real
 * test data in the app's own layout — applicants' names and CCCD numbers in spooled dossiers and in an error
 * message, a clerk's name in the audit log, a PKCS#12 and its password, the data key, the device credential —
 * the bundle is made by the CLI itself, unzipped, and every byte of every entry is searched for each of them
 * (UTF-8 as composed and decomposed, UTF-16, hex and base64 forms, any 16-byte run of the PKCS#12).
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../electron/services/audit/audit-log';
import { demoConfig } from '../../electron/services/config';
import { loadOrCreateDataKey } from '../../electron/services/data-key';
import { webHostErrorLogger } from '../../electron/web-host/server';
import { reduceErrorLog } from '../../electron/services/diagnostics/support-bundle';
import { getTestPki } from '../support/pki';
import { doctorReportSchema } from '../../shared/doctor/report';
import { z } from 'zod';

const doctorBundleSchema = z.object({ included: z.literal(true), report: doctorReportSchema });

const run = promisify(execFile);
const repoRoot = path.resolve(import.meta.dirname, '..', '..');

const applicants = [
  { fullName: 'Nguyễn Thị Minh Khai', idNumber: '001190012345', phone: '0912345678', address: 'Thôn Đông Hạ, xã Thử Nghiệm' },
  { fullName: 'Trần Văn Bảy', idNumber: '079203004567', phone: '0987654321', address: 'Số 12 ngõ Hòe Nhai' },
];
const clerkName = 'Đỗ Thị Thu Hằng';
const credential = `mcd_${'Zq3x'.repeat(10)}abc`;
const tsaPassword = 'Mk-tsa-Bi-mat-2026';

let dataDir: string;
let bundle: Record<string, Uint8Array>;
let secrets: { label: string; bytes: Uint8Array }[] = [];
let p12: Uint8Array;

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
const utf16 = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'utf16le'));

function contains(haystack: Uint8Array, needle: Uint8Array): boolean {
  return needle.length > 0 && Buffer.from(haystack).indexOf(Buffer.from(needle)) >= 0;
}

beforeAll(async () => {
  const pki = await getTestPki();
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'motcua-support-'));
  // The configuration, with the signing key in the data folder and a secret a careless installer typed in.
  await mkdir(path.join(dataDir, 'pki'));
  await copyFile(pki.counterSignerP12Path, path.join(dataDir, 'pki', 'counter-signer.p12'));
  p12 = new Uint8Array(await readFile(pki.counterSignerP12Path));
  const config = { ...demoConfig(path.join(dataDir, 'pki'), 'https://motcua.example.gov.vn'), tsa: { url: 'https://tsa.example.vn', username: 'quay1', password: tsaPassword }, p12Password: pki.password };
  await writeFile(path.join(dataDir, 'config.json'), JSON.stringify(config, null, 2));
  // The device credential as `motcua enroll` writes it (plain: the CLI has no OS key store).
  await writeFile(
    path.join(dataDir, 'device.json'),
    JSON.stringify({ centralUrl: 'https://motcua.example.gov.vn', credential, device: { deviceId: randomUUID(), deviceName: 'Máy quầy 1', unit: { code: '000.00.01.H22', name: 'UBND xã Thử Nghiệm' }, counterNo: 1, enrolledAt: '2026-11-01T01:00:00.000Z', revokedAt: null } }),
    { mode: 0o600 },
  );
  // The data key (encryption at rest), written by the app's own service.
  const dataKey = await loadOrCreateDataKey(dataDir);
  // The audit log, by main's own writer: the clerk's name is in every entry.
  const audit = new AuditLog({ dataDir, clerk: () => Promise.resolve({ kind: 'certificate', commonName: clerkName, serial: '5A1B2C3D' }) });
  const dossierIds = applicants.map(() => randomUUID());
  for (const [i, id] of dossierIds.entries()) {
    await audit.record({ action: 'dossier-accepted', dossierId: id, dossierCode: `000.00.01.H22-261123-000${i + 1}` as never, details: { procedureCode: '1.001234', files: 2 } });
  }
  await audit.record({ action: 'key-unlocked', details: { role: 'counter' } });
  // Two spooled dossiers (main's copy of the queue), plain JSON in the spool's layout, one committed.
  for (const [i, applicant] of applicants.entries()) {
    const dir = path.join(dataDir, 'dossier-spool', dossierIds[i] ?? '');
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'dossier.json'), JSON.stringify({ dossier: { id: dossierIds[i], applicant }, files: [] }));
    if (i === 0) await writeFile(path.join(dir, 'committed'), '');
  }
  // The web host's error log, by its own logger, with a message that quotes an applicant (as a bug might).
  const logError = webHostErrorLogger(path.join(dataDir, 'web-host-errors.log'));
  const origError = console.error;
  console.error = () => undefined;
  try {
    logError({ channel: 'spool:prepare', err: new Error(`không lưu được hồ sơ của ${applicants[0]?.fullName} (CCCD ${applicants[0]?.idNumber})`), status: 500 });
    logError({ channel: 'signer:unlock', err: Object.assign(new Error(`wrong password ${pki.password}`), { code: 'SIGNER_WRONG_PASSWORD' }) });
  } finally {
    console.error = origError;
  }

  const out = path.join(dataDir, '..', `bundle-${randomUUID()}.zip`);
  const { stdout } = await run(process.execPath, [path.join(repoRoot, 'electron', 'cli', 'bin.mjs'), 'support-bundle', '--data', dataDir, '--out', out], { cwd: repoRoot });
  expect(stdout).toContain('Đã ghi gói hỗ trợ');
  bundle = unzipSync(new Uint8Array(await readFile(out)));
  await rm(out, { force: true });

  const texts: { label: string; text: string }[] = [
    ...applicants.flatMap((a) => [
      { label: 'applicant name', text: a.fullName },
      { label: 'applicant surname + given', text: a.fullName.split(' ').slice(-2).join(' ') },
      { label: 'CCCD', text: a.idNumber },
      { label: 'phone', text: a.phone },
      { label: 'address', text: a.address },
    ]),
    { label: 'clerk name', text: clerkName },
    { label: 'device credential', text: credential },
    { label: 'credential body', text: credential.slice(4) },
    { label: 'PKCS#12 password', text: pki.password },
    { label: 'TSA password', text: tsaPassword },
  ];
  secrets = texts.flatMap(({ label, text }) => [
    { label: `${label} (UTF-8 NFC)`, bytes: utf8(text.normalize('NFC')) },
    { label: `${label} (UTF-8 NFD)`, bytes: utf8(text.normalize('NFD')) },
    { label: `${label} (UTF-16)`, bytes: utf16(text) },
  ]);
  const key = Buffer.from(dataKey);
  secrets.push(
    { label: 'data key (raw)', bytes: dataKey },
    { label: 'data key (hex)', bytes: utf8(key.toString('hex')) },
    { label: 'data key (base64)', bytes: utf8(key.toString('base64').replace(/=+$/, '')) },
    { label: 'data key (base64url)', bytes: utf8(key.toString('base64url')) },
    { label: 'PKCS#12 (base64 prefix)', bytes: utf8(Buffer.from(p12).toString('base64').slice(0, 40)) },
  );
}, 120_000);

afterAll(async () => {
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('motcua support-bundle', () => {
  it('holds the expected entries, with the configuration, device, audit check and counts', () => {
    expect(Object.keys(bundle).sort()).toEqual(['audit-verification.json', 'config.json', 'database.json', 'device.json', 'doctor.json', 'logs/web-host-errors.log', 'manifest.json']);
    const config = JSON.parse(strFromU8(bundle['config.json'] ?? new Uint8Array())) as { present: boolean; config: { tsa: { username: string; password: string }; p12Password: string; unit: { code: string } } };
    expect(config.present).toBe(true);
    expect(config.config.tsa).toEqual({ url: 'https://tsa.example.vn', username: 'quay1', password: '[đã ẩn]' });
    expect(config.config.p12Password).toBe('[đã ẩn]');
    expect(config.config.unit.code).toBeTruthy();
    expect(JSON.parse(strFromU8(bundle['device.json'] ?? new Uint8Array()))).toMatchObject({ enrolled: true, credential: 'plain (present)', device: { unit: { code: '000.00.01.H22' }, counterNo: 1 } });
    expect(JSON.parse(strFromU8(bundle['audit-verification.json'] ?? new Uint8Array()))).toEqual({ present: true, ok: true, entries: 3, lastSeq: 3, actions: { 'dossier-accepted': 2, 'key-unlocked': 1 } });
    expect(JSON.parse(strFromU8(bundle['database.json'] ?? new Uint8Array()))).toMatchObject({ spoolEntries: { prepared: 1, committed: 1 }, dataKeyPresent: true, deviceFilePresent: true });
    const log = strFromU8(bundle['logs/web-host-errors.log'] ?? new Uint8Array()).trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(log).toHaveLength(2);
    expect(log[0]).toMatchObject({ event: 'web-host-error', channel: 'spool:prepare', status: 500, name: 'Error' });
    expect(log[1]).toMatchObject({ channel: 'signer:unlock', code: 'SIGNER_WRONG_PASSWORD' });
    // `motcua doctor`'s report, run on the same data folder (its bytes are scanned for personal data below too).
    const doctor = doctorBundleSchema.parse(JSON.parse(strFromU8(bundle['doctor.json'] ?? new Uint8Array())));
    expect(doctor.report.checks.map((c) => c.id)).toEqual(expect.arrayContaining(['config', 'disk', 'backlog']));
  });

  it('contains none of the applicants’ names, ID numbers, phones, the clerk’s name, the credential, the data key, passwords or the PKCS#12', () => {
    // The data folder does hold them (the test would prove nothing otherwise).
    expect(secrets.length).toBeGreaterThan(40);
    const found: string[] = [];
    for (const [entry, bytes] of Object.entries(bundle)) {
      for (const secret of secrets) if (contains(bytes, secret.bytes)) found.push(`${secret.label} in ${entry}`);
      // Any 16-byte run of the PKCS#12 file (its key bags and certificates).
      const windows = new Set<string>();
      for (let i = 0; i + 16 <= p12.length; i += 8) windows.add(Buffer.from(p12.subarray(i, i + 16)).toString('hex'));
      const hex = Buffer.from(bytes).toString('hex');
      for (let i = 0; i + 32 <= hex.length; i += 2) {
        if (windows.has(hex.slice(i, i + 32))) {
          found.push(`PKCS#12 bytes in ${entry}`);
          break;
        }
      }
    }
    expect(found).toEqual([]);
  });

  it('keeps of an error log line its code and channel, never its message', () => {
    const line = JSON.stringify({ time: '2026-12-06T01:02:03.000Z', event: 'web-host-error', channel: 'spool:prepare', name: 'Error', message: 'Lê Thị Hoa 001190012345', at: ['at save (/home/nva/motcua/x.ts:1:2)', 'at Lê Thị Hoa (x)'] });
    const reduced = reduceErrorLog(line + '\nnot json Nguyễn Văn A\n');
    expect(reduced).not.toContain('Hoa');
    expect(reduced).not.toContain('001190012345');
    expect(reduced).not.toContain('Nguyễn');
    expect(reduced).toContain('"channel":"spool:prepare"');
    expect(reduced).toContain('"messageLength":23');
    // A user's folder is shown as ~; a frame in any other shape is dropped.
    expect(reduced).toContain('"at save (~/motcua/x.ts:1:2)","[?]"');
  });
});
