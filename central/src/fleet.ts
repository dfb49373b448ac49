/**
 * Issue 16: the fleet of counters as the central sees it. Each counter reports once per sync pass
 * (shared/sync/fleet.ts); the latest report per device is kept (one row, replaced), stamped with the central's
 * clock, and the clock skew is measured against it. The back office lists every counter with its report,
 * filtered (offline for more than N days, backlog over N, outdated), as JSON or as an XLSX workbook.
 */
import { createHash } from 'node:crypto';
import ExcelJS from 'exceljs';
import {
  compareCounterVersions,
  counterReportSchema,
  counterVersionSchema,
  crashUploadToken,
  type CounterReport,
  type CounterReportAck,
  type FleetCounter,
  type FleetQuery,
  type FleetResponse,
} from '../../shared/sync/fleet';
import type { DeviceRecord } from '../../shared/sync/protocol';
import type { Queryable } from './db';
import type { DeviceRow } from './store';
import { CentralHttpError, zodDetails } from './http-errors';

const dayMs = 86_400_000;
const toIso = (value: Date | string): string => new Date(value).toISOString();
const fromJson = <T>(value: unknown): T => (typeof value === 'string' ? (JSON.parse(value) as T) : (value as T));
const sha256HexOf = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** A device row (store.ts) with its latest report. */
interface FleetRow extends DeviceRow {
  app_version: string | null;
  report: unknown;
  received_at: Date | string | null;
  clock_skew_ms: string | number | null;
  crashes: string | number;
}

export interface CrashReportRecord {
  readonly id: string;
  readonly deviceId: string;
  readonly receivedAt: string;
  readonly product: string;
  readonly version: string;
  readonly processType: string;
  readonly size: number;
  /** Relative to the data directory. */
  readonly storagePath: string;
  /** The upload's text fields (Crashpad's annotations), each cut short. */
  readonly fields: Readonly<Record<string, string>>;
}

export interface FleetOptions {
  /** Counters below this version are outdated; without it, those below the newest version reported. */
  readonly minCounterVersion?: string;
  readonly now: () => Date;
}

export class SqlFleetStore {
  constructor(private readonly db: Queryable) {}

  /**
   * Stores `body` as the device's latest report. `headerVersion` is the `X-Motcua-Counter-Version` the request
   * carried: when present it must name the same version as the report. `credential` is the one the request was
   * authenticated with: the hash of its crash-upload token is kept so crash uploads find this device.
   */
  async receive(device: DeviceRecord, credential: string, body: unknown, headerVersion: string | undefined, now: Date): Promise<CounterReportAck> {
    const parsed = counterReportSchema.safeParse(body);
    if (!parsed.success) throw new CentralHttpError(400, 'CENTRAL_REJECTED', { reason: 'counter-report', ...zodDetails(parsed.error) });
    const report: CounterReport = parsed.data;
    if (headerVersion !== undefined && headerVersion !== report.appVersion) {
      throw new CentralHttpError(400, 'CENTRAL_REJECTED', { reason: 'counter-version-mismatch', header: headerVersion, report: report.appVersion });
    }
    const receivedAt = now.toISOString();
    const clockSkewMs = Math.round(new Date(report.counterTime).getTime() - now.getTime());
    await this.db.query(
      `INSERT INTO device_reports (device_id, app_version, report, received_at, clock_skew_ms, crash_token_hash)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (device_id) DO UPDATE SET app_version = EXCLUDED.app_version, report = EXCLUDED.report,
         received_at = EXCLUDED.received_at, clock_skew_ms = EXCLUDED.clock_skew_ms, crash_token_hash = EXCLUDED.crash_token_hash`,
      [device.deviceId, report.appVersion, JSON.stringify(report), receivedAt, clockSkewMs, sha256HexOf(crashUploadToken(credential))],
    );
    return { receivedAt, clockSkewMs };
  }

  /** The device whose crash-upload token this is (only devices that reported once, and not revoked). */
  async deviceForCrashToken(token: string): Promise<{ deviceId: string } | undefined> {
    const rows = await this.db.query<{ device_id: string }>(
      `SELECT r.device_id FROM device_reports r JOIN devices d ON d.id = r.device_id WHERE r.crash_token_hash = $1 AND d.revoked_at IS NULL`,
      [sha256HexOf(token)],
    );
    const row = rows.rows[0];
    return row ? { deviceId: row.device_id } : undefined;
  }

  async recordCrashReport(report: CrashReportRecord): Promise<void> {
    await this.db.query(
      `INSERT INTO crash_reports (id, device_id, received_at, product, version, process_type, size, storage_path, fields)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [report.id, report.deviceId, report.receivedAt, report.product, report.version, report.processType, report.size, report.storagePath, JSON.stringify(report.fields)],
    );
  }

  /** The crash reports received from one device, newest first (at most 200). */
  async crashReportsOf(deviceId: string): Promise<Omit<CrashReportRecord, 'deviceId' | 'storagePath'>[]> {
    const rows = await this.db.query<{ id: string; received_at: Date | string; product: string; version: string; process_type: string; size: number; fields: unknown }>(
      `SELECT id, received_at, product, version, process_type, size, fields FROM crash_reports WHERE device_id = $1 ORDER BY received_at DESC LIMIT 200`,
      [deviceId],
    );
    return rows.rows.map((r) => ({ id: r.id, receivedAt: toIso(r.received_at), product: r.product, version: r.version, processType: r.process_type, size: Number(r.size), fields: fromJson<Record<string, string>>(r.fields) }));
  }

  async list(query: FleetQuery, opts: FleetOptions): Promise<FleetResponse> {
    const now = opts.now();
    const since = new Date(now.getTime() - 30 * dayMs).toISOString();
    const rows = await this.db.query<FleetRow>(
      `SELECT d.id, d.name, d.unit_code, d.unit_name, d.counter_no, d.enrolled_at, d.revoked_at,
              r.app_version, r.report, r.received_at, r.clock_skew_ms,
              (SELECT count(*) FROM crash_reports c WHERE c.device_id = d.id AND c.received_at >= $1) AS crashes
         FROM devices d LEFT JOIN device_reports r ON r.device_id = d.id
        ORDER BY d.unit_code, d.counter_no, d.enrolled_at`,
      [since],
    );
    const active = rows.rows.filter((row) => query.includeRevoked || row.revoked_at === null);
    const versions = active.map((row) => row.app_version).filter((v): v is string => v !== null && counterVersionSchema.safeParse(v).success);
    const newest = versions.reduce<string | null>((best, v) => (best === null || compareCounterVersions(v, best) > 0 ? v : best), null);
    const outdatedBelow = opts.minCounterVersion ?? newest;
    const counters = active.map((row) => toFleetCounter(row, outdatedBelow));
    const offlineBefore = query.offlineDays === undefined ? undefined : now.getTime() - query.offlineDays * dayMs;
    const filtered = counters.filter(
      (c) =>
        (query.unit === undefined || c.unit.code === query.unit) &&
        (offlineBefore === undefined || c.lastContactAt === null || new Date(c.lastContactAt).getTime() < offlineBefore) &&
        (query.backlogOver === undefined || (c.backlog ?? 0) > query.backlogOver) &&
        (query.outdated === undefined || c.outdated === query.outdated),
    );
    return {
      generatedAt: now.toISOString(),
      outdatedBelow,
      total: rows.rows.filter((row) => row.revoked_at === null).length,
      counters: filtered,
    };
  }
}

function platformSummary(report: CounterReport): string {
  const { os, osVersion, shell, shellVersion } = report.platform;
  const osName = { windows: 'Windows', macos: 'macOS', linux: 'Linux', other: 'Khác' }[os];
  return [osName, osVersion, '·', shell, shellVersion].filter((part) => part !== '').join(' ');
}

function toFleetCounter(row: FleetRow, outdatedBelow: string | null): FleetCounter {
  const report = row.report === null ? undefined : counterReportSchema.safeParse(fromJson<unknown>(row.report)).data;
  const version = row.app_version;
  return {
    deviceId: row.id,
    deviceName: row.name,
    unit: { code: row.unit_code, name: row.unit_name },
    counterNo: Number(row.counter_no),
    enrolledAt: toIso(row.enrolled_at),
    revokedAt: row.revoked_at === null ? null : toIso(row.revoked_at),
    lastContactAt: row.received_at === null ? null : toIso(row.received_at),
    appVersion: version,
    // A counter that never reported has no known version: it shows under "offline", not "outdated".
    outdated: version !== null && outdatedBelow !== null && compareCounterVersions(version, outdatedBelow) < 0,
    backlog: report?.backlog.dossiers ?? null,
    failed: report?.backlog.failed ?? null,
    oldestUnsentAgeSeconds: report?.backlog.oldestUnsentAgeSeconds ?? null,
    lastErrorCode: report?.lastError?.code ?? null,
    lastErrorAt: report?.lastError?.at ?? null,
    clockSkewMs: row.clock_skew_ms === null ? null : Number(row.clock_skew_ms),
    signingCertificateNotAfter: report?.signingCertificateNotAfter ?? null,
    platform: report ? platformSummary(report) : null,
    crashes30d: Number(row.crashes),
  };
}

/** Column headers of the workbook (Vietnamese: it is read by the province's IT staff). */
const fleetColumns: readonly { readonly header: string; readonly key: string; readonly width: number }[] = [
  { header: 'Mã đơn vị', key: 'unitCode', width: 18 },
  { header: 'Đơn vị', key: 'unitName', width: 30 },
  { header: 'Quầy', key: 'counterNo', width: 7 },
  { header: 'Tên máy', key: 'deviceName', width: 26 },
  { header: 'Phiên bản', key: 'appVersion', width: 12 },
  { header: 'Cũ', key: 'outdated', width: 6 },
  { header: 'Liên lạc lần cuối', key: 'lastContactAt', width: 22 },
  { header: 'Hồ sơ chưa gửi', key: 'backlog', width: 12 },
  { header: 'Bị từ chối', key: 'failed', width: 10 },
  { header: 'Chưa gửi lâu nhất (giờ)', key: 'oldestUnsentHours', width: 14 },
  { header: 'Lỗi gần nhất', key: 'lastErrorCode', width: 26 },
  { header: 'Lúc lỗi', key: 'lastErrorAt', width: 22 },
  { header: 'Lệch đồng hồ (giây)', key: 'clockSkewSeconds', width: 12 },
  { header: 'Chứng thư ký hết hạn', key: 'signingCertificateNotAfter', width: 22 },
  { header: 'Hệ điều hành', key: 'platform', width: 30 },
  { header: 'Sự cố 30 ngày', key: 'crashes30d', width: 10 },
  { header: 'Mã thiết bị', key: 'deviceId', width: 38 },
];

/** The fleet as an XLSX workbook: one sheet, one row per counter, the filters noted in a second sheet. */
export async function fleetWorkbook(fleet: FleetResponse, query: FleetQuery): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.created = new Date(fleet.generatedAt);
  const sheet = workbook.addWorksheet('Máy quầy');
  sheet.columns = fleetColumns.map((c) => ({ header: c.header, key: c.key, width: c.width }));
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  for (const c of fleet.counters) {
    sheet.addRow({
      unitCode: c.unit.code,
      unitName: c.unit.name,
      counterNo: c.counterNo,
      deviceName: c.deviceName,
      appVersion: c.appVersion ?? '',
      outdated: c.outdated ? 'có' : '',
      lastContactAt: c.lastContactAt ?? 'chưa bao giờ',
      backlog: c.backlog ?? '',
      failed: c.failed ?? '',
      oldestUnsentHours: c.oldestUnsentAgeSeconds === null ? '' : Math.round((c.oldestUnsentAgeSeconds / 3600) * 10) / 10,
      lastErrorCode: c.lastErrorCode ?? '',
      lastErrorAt: c.lastErrorAt ?? '',
      clockSkewSeconds: c.clockSkewMs === null ? '' : Math.round(c.clockSkewMs / 1000),
      signingCertificateNotAfter: c.signingCertificateNotAfter ?? '',
      platform: c.platform ?? '',
      crashes30d: c.crashes30d,
      deviceId: c.deviceId,
    });
  }
  const about = workbook.addWorksheet('Bộ lọc');
  about.addRows([
    ['Lập lúc', fleet.generatedAt],
    ['Số máy quầy (chưa thu hồi)', fleet.total],
    ['Số dòng', fleet.counters.length],
    ['Mất liên lạc quá (ngày)', query.offlineDays ?? ''],
    ['Hồ sơ chưa gửi nhiều hơn', query.backlogOver ?? ''],
    ['Chỉ máy cũ', query.outdated === undefined ? '' : query.outdated ? 'có' : 'không'],
    ['Phiên bản tối thiểu', fleet.outdatedBelow ?? ''],
  ]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
