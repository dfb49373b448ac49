/**
 * Enrolling a counter PC with the central (issue 16 item 3): the one service behind `motcua enroll`, the
 * first-start screen (IPC `enrollment:enroll`) and the installer's preset (`enrollment.code` in config.json,
 * traded without a click on first start and then removed from the file).
 *
 * Before a code is spent, two things are checked that an installer can fix on the spot:
 * - the central answers its health probe (else ENROLLMENT_CENTRAL_UNREACHABLE: nothing spent, try again);
 * - this PC's clock is within `maxClockSkewMinutes` of the central's (health `time`): certificates, deadlines
 *   and dossier codes read the clock, so a PC hours off is refused (ENROLLMENT_CLOCK_SKEW).
 * The unit/counter the installer states travel with the code; the central refuses another unit's code
 * without using it up (ENROLLMENT_UNIT_MISMATCH). The central's coded refusals of the code itself become
 * ENROLLMENT_CODE_EXPIRED / _USED / _UNKNOWN, each telling what to do.
 */
import { readFile, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { AppError, toWireError, type WireError } from '../../shared/errors';
import { unitCodeSchema } from '../../shared/domain/dossier';
import { healthSchema } from '../../shared/sync/protocol';
import { checkCentralTransport } from './config';
import type { CredentialCipher } from './credential-cipher';
import { deviceFileName, deviceStillValid, enrollDevice, loadStoredDevice, type StoredDevice } from './device';
import { writeFileDurably } from '../../shared-node/durable-file';
import { pathFor } from '../../shared/sync/api-contract';

/** Default of `maxClockSkewMinutes` (config.ts). */
export const defaultMaxClockSkewMinutes = 5;

export interface EnrollmentRequest {
  readonly centralUrl: string;
  readonly enrollmentCode: string;
  /** What the central's device list calls this PC; default: the computer's name. */
  readonly deviceName?: string;
  /** The unit code and counter number this PC is meant to be (checked by the central before the code is spent). */
  readonly expect?: { readonly unitCode?: string; readonly counterNo?: number };
}

export interface EnrollmentDeps {
  /** Where device.json goes: the counter's data folder. */
  readonly configDir: string;
  readonly cipher?: CredentialCipher;
  readonly fetch?: typeof fetch;
  /** This PC's clock (tests inject one hours off). */
  readonly now?: () => Date;
  readonly maxClockSkewMinutes?: number;
  /** How long to wait for the central's answer; default 15 s. */
  readonly timeoutMs?: number;
}

export interface ClockReading {
  /** Central time minus this PC's time, in milliseconds (positive: this PC is behind). */
  readonly skewMs: number;
  readonly centralTime: string;
  readonly localTime: string;
  /** The central's protocol version, from the same health answer. */
  readonly protocolVersion: number;
}

/**
 * One health probe: the central's time against this PC's, taken at the middle of the round trip. Throws
 * ENROLLMENT_CENTRAL_UNREACHABLE (no answer) or CENTRAL_NOT_A_CENTRAL (an answer that is not a central's,
 * e.g. a captive portal).
 */
export async function readCentralClock(centralUrl: string, opts: { fetch?: typeof fetch; now?: () => Date; timeoutMs?: number } = {}): Promise<ClockReading> {
  const doFetch = opts.fetch ?? fetch;
  const now = opts.now ?? (() => new Date());
  const sentAt = now().getTime();
  let res: Response;
  try {
    res = await doFetch(new URL(pathFor('health'), centralUrl), { signal: AbortSignal.timeout(opts.timeoutMs ?? 15_000), headers: { 'cache-control': 'no-store' } });
  } catch (err) {
    throw new AppError('ENROLLMENT_CENTRAL_UNREACHABLE', { central: centralUrl, reason: networkReason(err) }, { cause: err });
  }
  const receivedAt = now().getTime();
  const health = healthSchema.safeParse(await res.json().catch(() => undefined));
  if (!res.ok || !health.success) throw new AppError('CENTRAL_NOT_A_CENTRAL', { status: res.status });
  const local = new Date((sentAt + receivedAt) / 2);
  return {
    skewMs: new Date(health.data.time).getTime() - local.getTime(),
    centralTime: health.data.time,
    localTime: local.toISOString(),
    protocolVersion: health.data.protocolVersion,
  };
}

function networkReason(err: unknown): string {
  if (err instanceof Error) {
    if (err.name === 'TimeoutError') return 'hết thời gian chờ / timed out';
    const cause = (err as { cause?: { code?: unknown } }).cause;
    if (cause && typeof cause.code === 'string') return cause.code;
    return err.message;
  }
  return String(err);
}

/** Enrolls this PC (see the file's header). Refuses a PC whose credential the central still accepts. */
export async function enrollCounter(request: EnrollmentRequest, deps: EnrollmentDeps): Promise<StoredDevice> {
  const code = request.enrollmentCode.trim().toUpperCase();
  if (request.expect?.unitCode !== undefined && !unitCodeSchema.safeParse(request.expect.unitCode).success) {
    throw new AppError('UNIT_CODE_INVALID', { unitCode: request.expect.unitCode, file: '--unit' });
  }
  const clock = await readCentralClock(request.centralUrl, deps);
  // A PC whose credential this central still accepts is not enrolled twice (that would spend a second code and
  // hold a second counter); a revoked or foreign credential is replaced, as after IT revoked a lost PC.
  const existing = await loadStoredDevice(deps.configDir, deps.cipher);
  if (existing && (await deviceStillValid(existing, request.centralUrl, deps.fetch))) {
    throw new AppError('ENROLLMENT_ALREADY_ENROLLED', {
      central: existing.centralUrl,
      unitName: existing.device.unit.name,
      counter: existing.device.counterNo,
      deviceId: existing.device.deviceId,
      file: path.join(deps.configDir, deviceFileName),
    });
  }
  const maxMinutes = deps.maxClockSkewMinutes ?? defaultMaxClockSkewMinutes;
  if (Math.abs(clock.skewMs) > maxMinutes * 60_000) {
    throw new AppError('ENROLLMENT_CLOCK_SKEW', {
      skewMinutes: Math.round(Math.abs(clock.skewMs) / 60_000),
      maxMinutes,
      local: clock.localTime,
      central: clock.centralTime,
    });
  }
  try {
    return await enrollDevice({
      configDir: deps.configDir,
      centralUrl: request.centralUrl,
      enrollmentCode: code,
      deviceName: request.deviceName?.trim() || os.hostname() || 'Máy quầy',
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
      ...(deps.cipher ? { cipher: deps.cipher } : {}),
      ...(request.expect ? { expect: request.expect } : {}),
    });
  } catch (err) {
    throw clearEnrollmentError(err, code, request.centralUrl);
  }
}

/** The central's reasons as codes that say what to do (the code is shown: it is spent or useless). */
function clearEnrollmentError(err: unknown, code: string, central: string): unknown {
  if (!(err instanceof AppError)) return err;
  if (err.code === 'CENTRAL_UNREACHABLE') return new AppError('ENROLLMENT_CENTRAL_UNREACHABLE', { central, reason: networkReason(err.cause) }, { cause: err });
  if (err.code !== 'ENROLLMENT_CODE_INVALID') return err;
  switch (err.details.reason) {
    case 'expired':
      return new AppError('ENROLLMENT_CODE_EXPIRED', { code }, { cause: err });
    case 'used':
      return new AppError('ENROLLMENT_CODE_USED', { code }, { cause: err });
    case 'unknown':
      return new AppError('ENROLLMENT_CODE_UNKNOWN', { code, central }, { cause: err });
    case 'malformed':
      return new AppError('ENROLLMENT_CODE_UNKNOWN', { code, central }, { cause: err });
    default:
      return err;
  }
}

/** What the first start did with a preset code (IPC `enrollment:status` shows it on the first-start screen). */
export type PresetEnrollmentOutcome =
  | { readonly kind: 'none' }
  | { readonly kind: 'enrolled'; readonly device: StoredDevice['device']; readonly centralUrl: string }
  /** `codeRemoved`: the central answered about the code for good (spent, expired, unknown), so it left the file. */
  | { readonly kind: 'failed'; readonly error: WireError; readonly codeRemoved: boolean };

/** Refusals after which the code is of no use to anyone: it leaves the file like a spent one. */
const codeIsDead = new Set(['ENROLLMENT_CODE_EXPIRED', 'ENROLLMENT_CODE_USED', 'ENROLLMENT_CODE_UNKNOWN', 'ENROLLMENT_ALREADY_ENROLLED']);

/**
 * First start after a silent install: when the configuration file holds `enrollment.code` and this PC has no
 * credential, enrolls with the file's central, unit and counter, then removes the `enrollment` block from the
 * file (written durably, the rest of the file kept as it was parsed). A transient failure (central
 * unreachable, clock off, unit mismatch) keeps the code, so the next start tries again.
 */
export async function enrollFromPreset(opts: EnrollmentDeps & { readonly configFile: string; readonly demo?: boolean }): Promise<PresetEnrollmentOutcome> {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(await readFile(opts.configFile, 'utf8')) as Record<string, unknown>;
  } catch {
    return { kind: 'none' }; // the host reports a missing or broken file itself
  }
  const enrollment = raw.enrollment as { code?: unknown; deviceName?: unknown } | undefined;
  if (!enrollment || typeof enrollment.code !== 'string' || enrollment.code.trim() === '') return { kind: 'none' };
  const centralUrl = typeof raw.centralUrl === 'string' ? raw.centralUrl : '';
  const unit = raw.unit as { code?: unknown } | undefined;
  try {
    checkCentralTransport(centralUrl, { allowHttpCentral: raw.allowHttpCentral === true, demo: opts.demo === true, file: opts.configFile });
    const stored = await enrollCounter(
      {
        centralUrl,
        enrollmentCode: enrollment.code,
        ...(typeof enrollment.deviceName === 'string' ? { deviceName: enrollment.deviceName } : {}),
        expect: {
          ...(typeof unit?.code === 'string' ? { unitCode: unit.code } : {}),
          ...(typeof raw.counterNo === 'number' ? { counterNo: raw.counterNo } : {}),
        },
      },
      { ...opts, ...(typeof raw.maxClockSkewMinutes === 'number' ? { maxClockSkewMinutes: raw.maxClockSkewMinutes } : {}) },
    );
    await removePresetCode(opts.configFile, raw);
    return { kind: 'enrolled', device: stored.device, centralUrl: stored.centralUrl };
  } catch (err) {
    const error = toWireError(err);
    const dead = codeIsDead.has(error.code);
    if (dead) await removePresetCode(opts.configFile, raw);
    return { kind: 'failed', error, codeRemoved: dead };
  }
}

async function removePresetCode(configFile: string, raw: Record<string, unknown>): Promise<void> {
  const { enrollment: _spent, ...rest } = raw;
  // The installer chose the file's permissions (per-machine or per-user folder): keep them.
  const mode = (await stat(configFile)).mode & 0o777;
  await writeFileDurably(configFile, JSON.stringify(rest, null, 2) + '\n', mode);
}
