/**
 * The doctor's checks as plain functions (electron/services/doctor/checks.ts): measurements in, verdicts out.
 * The machine-level cases (no scanner, no token library, central down, full disk) run on real peers in
 * tests/integration/doctor.test.ts; here the boundaries no machine produces on demand: half the allowed clock
 * skew, a certificate expiring in a week, a backlog three days old, a central speaking another protocol.
 */
import { describe, expect, it } from 'vitest';
import { checkBacklog, checkCentral, checkClock, checkDevice, checkDisk, checkRevocationCache, checkSigner, type CentralHealthReading } from '../../../electron/services/doctor/checks';
import { hostConfigSchema, type HostConfig } from '../../../electron/services/config';
import { doctorReport, exitCodeOf, indexedDbQuotaCheck, worstVerdict } from '../../../shared/doctor/report';

const now = new Date('2026-12-06T08:00:00Z');
const config: HostConfig = hostConfigSchema.parse({
  unit: { code: '000.00.01.H22', name: 'UBND xã Thử Nghiệm' },
  organisationName: 'UBND xã Thử Nghiệm',
  counterNo: 2,
  centralUrl: 'https://trungtam.example/',
  locale: 'vi',
  signers: [{ role: 'organisation', keystore: { kind: 'pkcs12', path: '/k.p12', label: 'k' } }],
});
const health = (skewMinutes: number, protocolVersion = 1): { ok: true; value: CentralHealthReading } => ({
  ok: true,
  value: { protocolVersion, skewMs: skewMinutes * 60_000, centralTime: now.toISOString(), localTime: now.toISOString(), latencyMs: 12 },
});

describe('doctor checks', () => {
  it('clock: PASS within half the allowed skew, WARN past half, FAIL past the limit (either direction)', () => {
    expect(checkClock(health(2), 5).verdict).toBe('pass');
    expect(checkClock(health(-3), 5).verdict).toBe('warn');
    expect(checkClock(health(6), 5).verdict).toBe('fail');
    expect(checkClock(health(-120), 5)).toMatchObject({ verdict: 'fail', explanation: expect.stringContaining('lệch 120 phút') as unknown });
    expect(checkClock({ ok: false, error: { code: 'ENROLLMENT_CENTRAL_UNREACHABLE', details: {} } }, 5).verdict).toBe('warn');
  });

  it('central: another protocol version is FAIL with what to do', () => {
    expect(checkCentral(health(0), 'https://x/', 1).verdict).toBe('pass');
    expect(checkCentral(health(0, 2), 'https://x/', 1)).toMatchObject({ verdict: 'fail', action: expect.stringContaining('Cập nhật ứng dụng') as unknown });
  });

  it('device: enrolled for another unit or counter is FAIL naming both', () => {
    const device = { deviceId: '7d3c1d1e-9f1c-4a55-8a4e-0d3c7a9b1f00', deviceName: 'PC', unit: { code: '000.00.02.H22', name: 'UBND xã Khác' }, counterNo: 2, enrolledAt: now.toISOString(), revokedAt: null };
    const r = checkDevice({ ok: true, value: { state: 'accepted', device } }, config);
    expect(r.verdict).toBe('fail');
    expect(r.explanation).toContain('UBND xã Khác (000.00.02.H22)');
    expect(r.explanation).toContain('UBND xã Thử Nghiệm (000.00.01.H22)');
    expect(checkDevice({ ok: true, value: { state: 'accepted', device: { ...device, unit: config.unit } } }, config).verdict).toBe('pass');
    expect(checkDevice({ ok: true, value: { state: 'not-enrolled' } }, config)).toMatchObject({ verdict: 'fail', action: expect.stringContaining('motcua enroll --central https://trungtam.example/') as unknown });
  });

  it('disk: FAIL under 512 MB free, WARN under 2 GB', () => {
    const gb = 1024 ** 3;
    expect(checkDisk({ ok: true, value: { freeBytes: 0.4 * gb, totalBytes: 100 * gb } }, '/d').verdict).toBe('fail');
    expect(checkDisk({ ok: true, value: { freeBytes: 1.5 * gb, totalBytes: 100 * gb } }, '/d').verdict).toBe('warn');
    expect(checkDisk({ ok: true, value: { freeBytes: 40 * gb, totalBytes: 100 * gb } }, '/d').verdict).toBe('pass');
  });

  it('certificate on a token: WARN within 30 days of expiry, FAIL once expired', () => {
    const tokenWith = (notAfter: string) => ({ kind: 'pkcs11' as const, tokenLabel: 'T', reading: { ok: true as const, value: { library: '/lib.so', tokens: [{ label: 'T', certificates: [{ label: 'k', subject: 'CN=UBND', notAfter }] }] } } });
    expect(checkSigner('organisation', tokenWith('2027-06-01T00:00:00Z'), now).map((c) => c.verdict)).toEqual(['pass', 'pass']);
    expect(checkSigner('organisation', tokenWith('2026-12-13T00:00:00Z'), now).map((c) => c.verdict)).toEqual(['pass', 'warn']);
    expect(checkSigner('organisation', tokenWith('2026-12-01T00:00:00Z'), now).map((c) => c.verdict)).toEqual(['pass', 'fail']);
  });

  it('revocation cache: too old is WARN, or FAIL when the configuration requires revocation evidence', () => {
    const old = { ok: true as const, value: new Date(now.getTime() - 100 * 3_600_000) };
    expect(checkRevocationCache(old, now, config.trust).verdict).toBe('warn');
    expect(checkRevocationCache(old, now, { ...config.trust, requireRevocation: true }).verdict).toBe('fail');
    expect(checkRevocationCache({ ok: true, value: new Date(now.getTime() - 3_600_000) }, now, config.trust).verdict).toBe('pass');
  });

  it('backlog: WARN after a day, FAIL after three days; nothing unsent PASS', () => {
    const aged = (hours: number) => ({ ok: true as const, value: { dossiers: 3, events: 1, oldest: new Date(now.getTime() - hours * 3_600_000) } });
    expect(checkBacklog(aged(2), now).verdict).toBe('pass');
    expect(checkBacklog(aged(30), now).verdict).toBe('warn');
    expect(checkBacklog(aged(80), now)).toMatchObject({ verdict: 'fail', facts: { dossiers: 3, events: 1 } });
    expect(checkBacklog({ ok: true, value: { dossiers: 0, events: 0, oldest: null } }, now).verdict).toBe('pass');
  });

  it('IndexedDB quota (screen only): FAIL under 200 MB left, WARN over 80 % used', () => {
    const mb = 1024 ** 2;
    expect(indexedDbQuotaCheck({ usage: 10 * mb, quota: 10_000 * mb }).verdict).toBe('pass');
    expect(indexedDbQuotaCheck({ usage: 8_500 * mb, quota: 10_000 * mb }).verdict).toBe('warn');
    expect(indexedDbQuotaCheck({ usage: 9_900 * mb, quota: 10_000 * mb }).verdict).toBe('fail');
  });

  it('the report: the worst verdict decides, exit code 0 / 1 / 2', () => {
    expect([exitCodeOf('pass'), exitCodeOf('warn'), exitCodeOf('fail')]).toEqual([0, 1, 2]);
    expect(worstVerdict([{ verdict: 'pass' }, { verdict: 'warn' }])).toBe('warn');
    const report = doctorReport([checkClock(health(0), 5), checkClock(health(9), 5)], now);
    expect(report).toMatchObject({ kind: 'motcua-doctor', verdict: 'fail', exitCode: 2, at: now.toISOString() });
    // Plain JSON: what the support bundle stores is what came out.
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });
});
