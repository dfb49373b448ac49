/**
 * `runDoctor`: the counter's self-check (issue 16 item 4), shared by `motcua doctor`, the IT screen (IPC
 * `doctor:report`) and the support bundle. Returns a plain JSON-able report (shared/doctor/report.ts).
 *
 * Order matters only where one measurement serves several checks: the central's health answer gives both
 * "central reachable" and "clock skew"; an unreadable configuration leaves the checks that need it "not
 * checked" (WARN) beside its own FAIL.
 */
import { AppError, toWireError } from '../../../shared/errors';
import { doctorReport, type DoctorCheck, type DoctorReport } from '../../../shared/doctor/report';
import { protocolVersion } from '../../../shared/sync/protocol';
import { defaultConfigFile, type HostConfig } from '../config';
import { defaultMaxClockSkewMinutes } from '../enrollment';
import {
  checkBacklog,
  checkCentral,
  checkClock,
  checkConfig,
  checkDevice,
  checkDisk,
  checkRevocationCache,
  checkScanners,
  checkSigner,
  checkTsa,
  doctorThresholds,
  notChecked,
  type DoctorThresholds,
  type Probed,
} from './checks';
import { machineProbes, type DoctorProbes, type MachineProbeOptions } from './probes';

export interface RunDoctorOptions extends MachineProbeOptions {
  /** Replaces some of this machine's probes (tests: a clock two hours off, a full disk). */
  readonly probes?: Partial<DoctorProbes>;
  readonly thresholds?: DoctorThresholds;
}

async function probe<T>(run: () => Promise<T>): Promise<Probed<T>> {
  try {
    return { ok: true, value: await run() };
  } catch (err) {
    return { ok: false, error: err instanceof AppError ? toWireError(err) : { code: 'INTERNAL', details: { message: err instanceof Error ? err.message : String(err) } } };
  }
}

export async function runDoctor(options: RunDoctorOptions): Promise<DoctorReport> {
  const probes: DoctorProbes = { ...machineProbes(options), ...options.probes };
  const thresholds = options.thresholds ?? doctorThresholds;
  const configFile = options.configFile ?? defaultConfigFile(options.dataDir);
  const checks: DoctorCheck[] = [];

  const config = await probe(() => probes.loadConfig());
  checks.push(checkConfig(config, configFile));
  // Disk and backlog need no configuration: measured either way (a full disk may be why the file is broken).
  const disk = probe(() => probes.diskSpace());
  const backlog = probe(() => probes.backlog());
  if (!config.ok) {
    const why = 'tệp cấu hình không đọc được';
    checks.push(notChecked('central', 'Kết nối hệ thống trung tâm', why), notChecked('device', 'Đăng ký máy với trung tâm', why), notChecked('clock', 'Đồng hồ máy', why));
    checks.push(checkDisk(await disk, options.dataDir, thresholds));
    checks.push(notChecked('scanners', 'Máy quét', why), notChecked('signer', 'Thiết bị ký số', why), notChecked('revocation-cache', 'Dữ liệu thu hồi chứng thư (CRL/OCSP) lưu trên máy', why), notChecked('tsa', 'Máy chủ dấu thời gian (TSA)', why));
    checks.push(checkBacklog(await backlog, probes.now(), thresholds));
    return doctorReport(checks, probes.now());
  }
  const cfg: HostConfig = config.value;
  // Independent measurements run together: the slowest (a scanner listing, a central timing out) sets the pace.
  const [health, device, scanners, signers, revocation, tsa] = await Promise.all([
    probe(() => probes.centralHealth(cfg.centralUrl)),
    probe(() => probes.deviceSelf(cfg.centralUrl)),
    probe(() => probes.scanners(cfg.capture)),
    Promise.all(cfg.signers.map(async (s) => ({ role: s.role, reading: await probes.signer(s.keystore) }))),
    probe(() => probes.revocationNewest()),
    cfg.tsa ? probe(() => probes.tsa(cfg.tsa?.url ?? '', (cfg.tsa?.timeoutSeconds ?? 20) * 1000)) : Promise.resolve(undefined),
  ]);
  const now = probes.now();
  checks.push(checkCentral(health, cfg.centralUrl, protocolVersion));
  // A central that does not answer is the central check's FAIL; the device check only says it could not look.
  checks.push(checkDevice(health.ok ? device : health, cfg));
  checks.push(checkClock(health, cfg.maxClockSkewMinutes ?? defaultMaxClockSkewMinutes));
  checks.push(checkDisk(await disk, options.dataDir, thresholds));
  checks.push(checkScanners(scanners));
  for (const s of signers) checks.push(...checkSigner(s.role, s.reading, now, thresholds));
  checks.push(checkRevocationCache(revocation, now, cfg.trust));
  checks.push(checkTsa(cfg.tsa, tsa));
  checks.push(checkBacklog(await backlog, now, thresholds));
  return doctorReport(checks, now);
}
