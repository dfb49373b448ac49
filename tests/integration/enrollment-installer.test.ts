/**
 * Issue 16 item 3: enrolling a counter as an installer does, against the real central process. Each refusal is
 * its own code with a message that says what happened and what to do (Vietnamese and English), and the
 * refusals an installer can fix on the spot (wrong unit, central unreachable, clock far off) leave the one-time
 * code unspent — shown by enrolling with the same code afterwards. A silent install's preset code is traded on
 * the host's first start without a click and then leaves config.json.
 */
import { execFile } from 'node:child_process';
import { access, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCounterHost } from '../../electron/services/counter-host';
import { deviceFileName, loadStoredDevice } from '../../electron/services/device';
import { enrollCounter } from '../../electron/services/enrollment';
import { AppError } from '../../shared/errors';
import { describeError } from '../../shared/i18n/error-messages';
import { dispatchIpc } from '../../shared/ipc/dispatch';
import type { EnrollmentStatus } from '../../shared/ipc/contract';
import { adminEnrollmentCodeResponseSchema } from '../../shared/sync/protocol';
import { adminCall, centralFetch, startCentralProcess, testUnit, type CentralProcess } from '../support/central-process';
import { getTestPki } from '../support/pki';
import { pathFor } from '../../shared/sync/api-contract';

const run = promisify(execFile);
const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const otherUnit = { code: '000.00.02.H22', name: 'UBND xã Bên Cạnh' } as const;

let central: CentralProcess;
let closedPortUrl: string;
const dirs: string[] = [];
const tempDir = async (): Promise<string> => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'motcua-enroll-'));
  dirs.push(dir);
  return dir;
};

beforeAll(async () => {
  central = await startCentralProcess({ enroll: false });
  // A port nothing listens on: taken from the OS, then released.
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  closedPortUrl = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  await central?.stop();
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function issueCode(counterNo: number, opts: { unit?: { code: string; name: string }; validHours?: number } = {}): Promise<string> {
  const issued = await adminCall(central, 'POST', pathFor('adminEnrollmentCodes'), { unit: opts.unit ?? testUnit, counterNo, ...(opts.validHours ? { validHours: opts.validHours } : {}) });
  expect(issued.status).toBe(201);
  return adminEnrollmentCodeResponseSchema.parse(issued.body).enrollmentCode;
}

/** The coded refusal, with both messages checked to be filled (no `{{placeholder}}` left). */
async function refusal(work: Promise<unknown>): Promise<{ code: string; vi: string; en: string }> {
  const err = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  const { code, details } = err as AppError;
  const vi = describeError('vi', code, details);
  const en = describeError('en', code, details);
  expect(vi).not.toContain('{{');
  expect(en).not.toContain('{{');
  return { code, vi, en };
}

const exists = (file: string): Promise<boolean> => access(file).then(() => true, () => false);

describe('enrollment errors, each a clear message', () => {
  it('an expired code: ENROLLMENT_CODE_EXPIRED, nothing stored', async () => {
    const code = await issueCode(1, { validHours: 0.0003 }); // about one second
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const dir = await tempDir();
    const r = await refusal(enrollCounter({ centralUrl: central.url, enrollmentCode: code }, { configDir: dir }));
    expect(r.code).toBe('ENROLLMENT_CODE_EXPIRED');
    expect(r.vi).toContain(`Mã đăng ký máy ${code} đã hết hạn`);
    expect(r.vi).toContain('Hãy xin bộ phận CNTT một mã mới');
    expect(r.en).toContain('has expired');
    expect(await exists(path.join(dir, deviceFileName))).toBe(false);
  });

  it('a used code: ENROLLMENT_CODE_USED for the second PC', async () => {
    const code = await issueCode(2);
    const first = await tempDir();
    const stored = await enrollCounter({ centralUrl: central.url, enrollmentCode: code, deviceName: 'Quầy 2' }, { configDir: first });
    expect(stored.device).toMatchObject({ unit: testUnit, counterNo: 2 });
    const second = await tempDir();
    const r = await refusal(enrollCounter({ centralUrl: central.url, enrollmentCode: code }, { configDir: second }));
    expect(r.code).toBe('ENROLLMENT_CODE_USED');
    expect(r.vi).toContain('đã được dùng cho một máy khác');
    expect(await exists(path.join(second, deviceFileName))).toBe(false);
  });

  it('an unknown code: ENROLLMENT_CODE_UNKNOWN naming the central', async () => {
    const r = await refusal(enrollCounter({ centralUrl: central.url, enrollmentCode: 'ABCD-EFGH-JKLM' }, { configDir: await tempDir() }));
    expect(r.code).toBe('ENROLLMENT_CODE_UNKNOWN');
    expect(r.vi).toContain(central.url);
  });

  it('a wrong unit or counter: ENROLLMENT_UNIT_MISMATCH, and the code stays usable for the right PC', async () => {
    const code = await issueCode(3);
    const dir = await tempDir();
    const wrongUnit = await refusal(enrollCounter({ centralUrl: central.url, enrollmentCode: code, expect: { unitCode: otherUnit.code } }, { configDir: dir }));
    expect(wrongUnit.code).toBe('ENROLLMENT_UNIT_MISMATCH');
    expect(wrongUnit.vi).toContain(`Mã đăng ký này được cấp cho ${testUnit.name} (${testUnit.code}), quầy 3, không phải ${otherUnit.code}, quầy 3`);
    expect(wrongUnit.vi).toContain('Mã chưa bị dùng');
    const wrongCounter = await refusal(enrollCounter({ centralUrl: central.url, enrollmentCode: code, expect: { unitCode: testUnit.code, counterNo: 4 } }, { configDir: dir }));
    expect(wrongCounter.code).toBe('ENROLLMENT_UNIT_MISMATCH');
    const stored = await enrollCounter({ centralUrl: central.url, enrollmentCode: code, expect: { unitCode: testUnit.code, counterNo: 3 } }, { configDir: dir });
    expect(stored.device.counterNo).toBe(3);
  });

  it('an unreachable central: ENROLLMENT_CENTRAL_UNREACHABLE with the network reason', async () => {
    const r = await refusal(enrollCounter({ centralUrl: closedPortUrl, enrollmentCode: 'ABCD-EFGH-JKLM' }, { configDir: await tempDir() }));
    expect(r.code).toBe('ENROLLMENT_CENTRAL_UNREACHABLE');
    expect(r.vi).toContain(`Không kết nối được hệ thống trung tâm ${closedPortUrl} (ECONNREFUSED)`);
    expect(r.vi).toContain('mã vẫn còn dùng được');
  });

  it('a clock two hours off: ENROLLMENT_CLOCK_SKEW before the code is spent', async () => {
    const code = await issueCode(5);
    const dir = await tempDir();
    const twoHoursAhead = () => new Date(Date.now() + 2 * 3_600_000);
    const r = await refusal(enrollCounter({ centralUrl: central.url, enrollmentCode: code }, { configDir: dir, now: twoHoursAhead }));
    expect(r.code).toBe('ENROLLMENT_CLOCK_SKEW');
    expect(r.vi).toContain('Đồng hồ máy này lệch 120 phút so với hệ thống trung tâm');
    expect(r.vi).toContain('tối đa 5 phút');
    expect(r.en).toContain('120 minutes off');
    // Within the allowed skew (a few seconds here), the same code enrolls.
    expect((await enrollCounter({ centralUrl: central.url, enrollmentCode: code }, { configDir: dir })).device.counterNo).toBe(5);
  });

  it('a PC the central still accepts is not enrolled twice; the second code stays unspent', async () => {
    const dir = await tempDir();
    await enrollCounter({ centralUrl: central.url, enrollmentCode: await issueCode(6) }, { configDir: dir });
    const second = await issueCode(7);
    const r = await refusal(enrollCounter({ centralUrl: central.url, enrollmentCode: second }, { configDir: dir }));
    expect(r.code).toBe('ENROLLMENT_ALREADY_ENROLLED');
    expect(r.vi).toContain('quầy 6');
    expect((await enrollCounter({ centralUrl: central.url, enrollmentCode: second }, { configDir: await tempDir() })).device.counterNo).toBe(7);
  });

  it('motcua enroll prints the refusal in Vietnamese and English and exits 1', async () => {
    const code = await issueCode(8);
    const dir = await tempDir();
    // The lab's config allows the test central's http:// (a production counter refuses it).
    await writeFile(path.join(dir, 'config.json'), JSON.stringify(await counterConfig({ counterNo: 8 })));
    const args = [path.join(repoRoot, 'electron/cli/bin.mjs'), 'enroll', '--central', central.url, '--code', code, '--unit', otherUnit.code, '--counter', '8', '--data', dir];
    const failed = await run(process.execPath, args, { cwd: repoRoot }).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('Lỗi: Mã đăng ký này được cấp cho');
    expect(failed.stderr).toContain('Error: This enrollment code was issued for');
    const ok = await run(process.execPath, [...args.slice(0, 6), '--unit', testUnit.code, '--counter', '8', '--data', dir], { cwd: repoRoot });
    expect(ok.stdout).toContain(`quầy 8`);
    expect((await loadStoredDevice(dir))?.device.counterNo).toBe(8);
  });
});

async function counterConfig(opts: { counterNo: number; centralUrl?: string; enrollment?: { code: string; deviceName?: string } }): Promise<Record<string, unknown>> {
  const pki = await getTestPki();
  return {
    unit: testUnit,
    organisationName: 'Ủy ban nhân dân xã Thử Nghiệm',
    counterNo: opts.counterNo,
    centralUrl: opts.centralUrl ?? central.url,
    allowHttpCentral: true,
    locale: 'vi',
    signers: [{ role: 'organisation', keystore: { kind: 'pkcs12', path: pki.counterSignerP12Path, label: 'Chứng thư số thử nghiệm' } }],
    capture: { sane: { enabled: false } },
    ...(opts.enrollment ? { enrollment: opts.enrollment } : {}),
  };
}

async function firstStart(dataDir: string): Promise<EnrollmentStatus> {
  const host = await openCounterHost({ dataDir });
  try {
    const answer = await dispatchIpc(host.handlers, 'enrollment:status', {}, () => undefined);
    if (!answer.ok) throw new Error(answer.error.code);
    return answer.value as EnrollmentStatus;
  } finally {
    await host.close();
  }
}

describe('the installer preset: first start enrolls without a click', () => {
  it('trades the preset code on first start, removes it from config.json, and the central accepts the PC', { timeout: 60_000 }, async () => {
    const code = await issueCode(9, { unit: otherUnit });
    const dataDir = await tempDir();
    const config = { ...(await counterConfig({ counterNo: 9, enrollment: { code, deviceName: 'Máy quầy 9' } })), unit: otherUnit };
    await writeFile(path.join(dataDir, 'config.json'), JSON.stringify(config, null, 2), { mode: 0o640 });

    const status = await firstStart(dataDir);
    expect(status).toMatchObject({ state: 'enrolled', preset: { outcome: 'enrolled' }, device: { deviceName: 'Máy quầy 9', unit: otherUnit, counterNo: 9 } });
    const written = await readFile(path.join(dataDir, 'config.json'), 'utf8');
    expect(written).not.toContain(code);
    expect(JSON.parse(written)).not.toHaveProperty('enrollment');
    expect(JSON.parse(written)).toMatchObject({ unit: otherUnit, counterNo: 9, centralUrl: central.url });
    const stored = await loadStoredDevice(dataDir);
    expect((await centralFetch({ url: central.url, credential: stored?.credential }, pathFor('deviceSelf'))).status).toBe(200);

    // The next start finds the PC enrolled and nothing to trade.
    expect(await firstStart(dataDir)).toMatchObject({ state: 'enrolled' });
    expect((await firstStart(dataDir)).preset).toBeUndefined();
  });

  it('a spent preset code is reported on the first-start screen and removed; an unreachable central keeps it for the next start', { timeout: 60_000 }, async () => {
    const spent = await issueCode(1, { unit: otherUnit });
    await enrollCounter({ centralUrl: central.url, enrollmentCode: spent }, { configDir: await tempDir() });
    const dataDir = await tempDir();
    await writeFile(path.join(dataDir, 'config.json'), JSON.stringify({ ...(await counterConfig({ counterNo: 1, enrollment: { code: spent } })), unit: otherUnit }));
    const status = await firstStart(dataDir);
    expect(status).toMatchObject({ state: 'not-enrolled', preset: { outcome: 'failed', error: { code: 'ENROLLMENT_CODE_USED' }, codeRemoved: true } });
    expect(await readFile(path.join(dataDir, 'config.json'), 'utf8')).not.toContain(spent);

    const kept = await issueCode(2, { unit: otherUnit });
    const offline = await tempDir();
    await writeFile(path.join(offline, 'config.json'), JSON.stringify({ ...(await counterConfig({ counterNo: 2, centralUrl: closedPortUrl, enrollment: { code: kept } })), unit: otherUnit }));
    expect(await firstStart(offline)).toMatchObject({ state: 'not-enrolled', preset: { outcome: 'failed', error: { code: 'ENROLLMENT_CENTRAL_UNREACHABLE' }, codeRemoved: false } });
    expect(await readFile(path.join(offline, 'config.json'), 'utf8')).toContain(kept);
  });

  it('the first-start screen\'s channel enrolls with the configured unit and counter', { timeout: 60_000 }, async () => {
    const dataDir = await tempDir();
    await writeFile(path.join(dataDir, 'config.json'), JSON.stringify({ ...(await counterConfig({ counterNo: 3 })), unit: otherUnit }));
    const host = await openCounterHost({ dataDir });
    try {
      expect(await dispatchIpc(host.handlers, 'enrollment:status', {}, () => undefined)).toMatchObject({ ok: true, value: { state: 'not-enrolled' } });
      // A code for another counter is refused by the central without being spent…
      const forCounter4 = await issueCode(4, { unit: otherUnit });
      expect(await dispatchIpc(host.handlers, 'enrollment:enroll', { enrollmentCode: forCounter4 }, () => undefined)).toMatchObject({ ok: false, error: { code: 'ENROLLMENT_UNIT_MISMATCH' } });
      // …and the right one enrolls this counter.
      const enrolled = await dispatchIpc(host.handlers, 'enrollment:enroll', { enrollmentCode: (await issueCode(3, { unit: otherUnit })).toLowerCase(), deviceName: 'Quầy 3' }, () => undefined);
      expect(enrolled).toMatchObject({ ok: true, value: { state: 'enrolled', device: { counterNo: 3, deviceName: 'Quầy 3' } } });
      expect(await dispatchIpc(host.handlers, 'device:session', {}, () => undefined)).toMatchObject({ ok: true, value: { centralUrl: central.url } });
    } finally {
      await host.close();
    }
  });
});
