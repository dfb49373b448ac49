/**
 * Issue 16: the support bundle IT sends when a counter is in trouble (`motcua support-bundle`): a zip of what
 * helps to diagnose it and nothing that names a person or opens a key.
 *
 * Built by ALLOW-LIST, never by copying files and hoping to scrub them:
 * - `manifest.json`: when, which app version, OS and Node; the list of entries.
 * - `config.json`: the configuration file as written, every value under a secret-looking key replaced
 *   (password, PIN, token, secret, credential, key material, enrollment code), and the home folder shown as `~`;
 *   plus whether it validates (the error code and issue when not).
 * - `device.json`: the enrollment record (central, device id, unit, counter, dates) — never the credential.
 * - `audit-verification.json`: the audit log's chain check (entries, last seq, first break) and how many entries
 *   of each action — never an entry (they name clerks and dossiers).
 * - `logs/web-host-errors.log`: each line's time, channel, status, error name and code, and the first frames of
 *   its stack — the free-text message is left out (it may quote a citizen's name).
 * - `database.json`: counts only — dossier spool entries by state, files and bytes per data folder, whether a
 *   data key and a device credential are present (never their values), the ledger's counts.
 * - `doctor.json`: the checks of `motcua doctor`, when a report provider is given (see `doctorReport`).
 * The browser's IndexedDB (the counter's queue) lives in Chromium's profile and cannot be read from Node: its
 * counts reach the central with each sync instead (the fleet view).
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { parseAuditLines, verifyAuditChain } from '../../../shared/audit/chain';
import { AppError } from '../../../shared/errors';
import { auditLogFileName } from '../audit/audit-log';
import { defaultConfigFile, parseHostConfig } from '../config';
import { dataKeyDirName, dataKeyFileName } from '../data-key';
import { databaseLedgerFileName } from '../database-ledger';
import { deviceFileName } from '../device';
import { dossierSpoolDirName } from '../dossier-spool';

const webHostErrorLogName = 'web-host-errors.log';

export interface SupportBundleOptions {
  /** The counter's data folder (config.json, device.json, audit log, spool…). */
  readonly dataDir: string;
  /** The configuration file, when not `<dataDir>/config.json`. */
  readonly configFile?: string;
  readonly appVersion: string;
  readonly now?: () => Date;
  /**
   * The doctor's report (`runDoctor`, as `motcua doctor` runs it); without it, `doctor.json` says the report was
   * not included. Whatever it returns passes the same secret-key redaction as the configuration.
   */
  readonly doctorReport?: () => Promise<unknown>;
}

/** Keys whose values never leave the PC, whatever their place in the configuration. */
const secretKey = /pass(word|phrase)?|\bpin\b|pin$|^pin|secret|token(?!Label)|credential|private|apikey|api_key|enrollmentcode|sealed|^key$|keyBase64|dataKey/i;

function homeShown(text: string): string {
  const home = os.homedir();
  return home && home.length > 1 ? text.split(home).join('~') : text;
}

/** A copy with secret-looking keys' values replaced and the home folder shown as `~`. */
function redactSecrets(value: unknown, key = ''): unknown {
  if (key && secretKey.test(key)) return value === null || value === undefined || value === '' ? value : '[đã ẩn]';
  if (typeof value === 'string') return homeShown(value);
  if (Array.isArray(value)) return value.map((item) => redactSecrets(item));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactSecrets(v, k)]));
  return value;
}

async function readText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
};

async function configSection(file: string): Promise<unknown> {
  const text = await readText(file);
  if (text === undefined) return { file: homeShown(file), present: false };
  const raw = parseJson(text);
  let validation: unknown = { valid: true };
  try {
    parseHostConfig(file, text);
  } catch (err) {
    validation = err instanceof AppError ? { valid: false, error: err.code, details: redactSecrets(err.details) } : { valid: false, error: 'INTERNAL' };
  }
  return { file: homeShown(file), present: true, validation, config: raw === undefined ? '(không phải JSON)' : redactSecrets(raw) };
}

async function deviceSection(dataDir: string): Promise<unknown> {
  const text = await readText(path.join(dataDir, deviceFileName));
  if (text === undefined) return { enrolled: false };
  const raw = parseJson(text) as { centralUrl?: unknown; device?: Record<string, unknown>; credential?: unknown; sealedCredential?: unknown } | undefined;
  const device = raw?.device ?? {};
  // Named fields only: whatever else the file holds (the credential, sealed or not) stays behind.
  return {
    enrolled: true,
    centralUrl: typeof raw?.centralUrl === 'string' ? raw.centralUrl : null,
    credential: raw?.sealedCredential ? 'sealed by the OS key store (present)' : raw?.credential ? 'plain (present)' : 'absent',
    device: { deviceId: device.deviceId ?? null, deviceName: device.deviceName ?? null, unit: device.unit ?? null, counterNo: device.counterNo ?? null, enrolledAt: device.enrolledAt ?? null, revokedAt: device.revokedAt ?? null },
  };
}

async function auditSection(dataDir: string): Promise<unknown> {
  const text = await readText(path.join(dataDir, auditLogFileName));
  if (text === undefined) return { present: false };
  const entries = parseAuditLines(text);
  const check = verifyAuditChain(entries);
  const actions: Record<string, number> = {};
  for (const entry of entries) {
    const action = (entry as { action?: unknown } | null)?.action;
    const name = typeof action === 'string' && /^[a-z][a-z0-9:-]{0,63}$/.test(action) ? action : '(khác)';
    actions[name] = (actions[name] ?? 0) + 1;
  }
  return check.ok
    ? { present: true, ok: true, entries: check.count, lastSeq: check.last?.seq ?? 0, actions }
    : { present: true, ok: false, entriesBeforeBreak: check.count, break: { seq: check.break.seq, reason: check.break.reason }, actions };
}

/**
 * A stack frame kept only in the shapes V8 writes (`at fn (file:line:col)`, `at file:line:col`) with ASCII
 * identifiers and paths; a user's folder becomes `~`. Anything else (a name in a frame) becomes `[?]`.
 */
function stackFrame(frame: string): string {
  const shown = homeShown(frame.trim())
    .replace(/\/home\/[^/\s]+/g, '~')
    .replace(/[A-Za-z]:\\Users\\[^\\\s]+/g, '~');
  const located = /^at (?:([\w$.<>[\] ]{1,120}) \()?((?:file:\/\/|node:)?[\w./\\:@~+-]{1,240}):\d+:\d+\)?$/.exec(shown);
  return located ? shown.slice(0, 300) : '[?]';
}

/** Each line reduced to fields that carry no free text. */
export function reduceErrorLog(text: string): string {
  const kept: string[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const entry = parseJson(line) as Record<string, unknown> | undefined;
    if (!entry || typeof entry !== 'object') {
      kept.push(JSON.stringify({ unreadable: true, length: line.length }));
      continue;
    }
    const pick = (key: string, pattern: RegExp): string | number | undefined => {
      const value = entry[key];
      if (typeof value === 'number' && Number.isFinite(value)) return value;
      return typeof value === 'string' && pattern.test(value) ? value : undefined;
    };
    const frames = Array.isArray(entry.at) ? entry.at.filter((f): f is string => typeof f === 'string').slice(0, 5).map(stackFrame) : [];
    kept.push(
      JSON.stringify({
        time: pick('time', /^\d{4}-\d\d-\d\dT[\d:.]+Z$/),
        event: pick('event', /^[a-z-]{1,40}$/),
        channel: pick('channel', /^[a-z-]{1,40}:[a-z-]{1,40}$/),
        status: pick('status', /^\d{3}$/),
        name: pick('name', /^[A-Za-z]{1,60}$/),
        code: pick('code', /^[A-Za-z][A-Za-z0-9_]{0,63}$/),
        messageLength: typeof entry.message === 'string' ? entry.message.length : undefined,
        at: frames,
      }),
    );
  }
  return kept.join('\n') + (kept.length ? '\n' : '');
}

interface FolderCount {
  files: number;
  bytes: number;
}

async function countTree(dir: string): Promise<FolderCount> {
  const total: FolderCount = { files: 0, bytes: 0 };
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return total;
  }
  for (const name of names) {
    const full = path.join(dir, name);
    const info = await stat(full).catch(() => undefined);
    if (!info) continue;
    if (info.isDirectory()) {
      const inner = await countTree(full);
      total.files += inner.files;
      total.bytes += inner.bytes;
    } else {
      total.files++;
      total.bytes += info.size;
    }
  }
  return total;
}

async function databaseSection(dataDir: string): Promise<unknown> {
  // The spool: one folder per dossier or event, named by its id; a `committed` marker once the save completed.
  const spoolDir = path.join(dataDir, dossierSpoolDirName);
  const spool = { prepared: 0, committed: 0 };
  for (const name of await readdir(spoolDir).catch(() => [] as string[])) {
    if (name.startsWith('.') || !(await stat(path.join(spoolDir, name)).catch(() => undefined))?.isDirectory()) continue;
    if (await stat(path.join(spoolDir, name, 'committed')).catch(() => undefined)) spool.committed++;
    else spool.prepared++;
  }
  const folders: Record<string, FolderCount> = {};
  for (const name of await readdir(dataDir).catch(() => [] as string[])) {
    const info = await stat(path.join(dataDir, name)).catch(() => undefined);
    // Folder names are the app's own (spool, pki, capture…); top-level file names are listed as counts only.
    if (info?.isDirectory()) folders[/^[\w.-]{1,64}$/.test(name) ? name : '(khác)'] = await countTree(path.join(dataDir, name));
  }
  const topFiles = await countTree(dataDir);
  const ledger = parseJson((await readText(path.join(dataDir, databaseLedgerFileName))) ?? '') as Record<string, unknown> | undefined;
  const arrayLengths = ledger ? Object.fromEntries(Object.entries(ledger).filter(([, v]) => Array.isArray(v)).map(([k, v]) => [k, (v as unknown[]).length])) : undefined;
  return {
    spoolEntries: spool,
    folders,
    dataFolderTotal: topFiles,
    dataKeyPresent: (await readText(path.join(dataDir, dataKeyDirName, dataKeyFileName))) !== undefined,
    deviceFilePresent: (await readText(path.join(dataDir, deviceFileName))) !== undefined,
    ledger: ledger ? { present: true, counts: arrayLengths } : { present: false },
  };
}

async function doctorSection(provider: SupportBundleOptions['doctorReport']): Promise<unknown> {
  if (!provider) return { included: false, reason: 'motcua doctor chưa được nối vào gói hỗ trợ (not wired yet)' };
  try {
    return { included: true, report: redactSecrets(await provider()) };
  } catch (err) {
    return { included: false, reason: err instanceof AppError ? err.code : 'INTERNAL' };
  }
}

/** The bundle's bytes (a zip). */
export async function buildSupportBundle(opts: SupportBundleOptions): Promise<Uint8Array> {
  const now = (opts.now ?? (() => new Date()))();
  const dataDir = path.resolve(opts.dataDir);
  const json = (value: unknown): Uint8Array => strToU8(JSON.stringify(value, null, 2) + '\n');
  const errorLog = await readText(path.join(dataDir, webHostErrorLogName));
  const entries: Record<string, Uint8Array> = {
    'config.json': json(await configSection(opts.configFile ?? defaultConfigFile(dataDir))),
    'device.json': json(await deviceSection(dataDir)),
    'audit-verification.json': json(await auditSection(dataDir)),
    'database.json': json(await databaseSection(dataDir)),
    'doctor.json': json(await doctorSection(opts.doctorReport)),
    ...(errorLog === undefined ? {} : { [`logs/${webHostErrorLogName}`]: strToU8(reduceErrorLog(errorLog)) }),
  };
  const manifest = {
    kind: 'motcua-support-bundle',
    format: 1,
    createdAt: now.toISOString(),
    appVersion: opts.appVersion,
    dataDir: homeShown(dataDir),
    os: { platform: process.platform, release: os.release(), arch: process.arch },
    node: process.versions.node,
    entries: Object.keys(entries),
    note: 'Không chứa dữ liệu cá nhân, khóa hay mật khẩu: chỉ số đếm, mã lỗi và cấu hình đã ẩn bí mật.',
  };
  return zipSync({ 'manifest.json': json(manifest), ...entries }, { level: 6, mtime: now });
}
