/**
 * The configuration an installer passes to a silent install (`Motcua-Setup.exe /S /CONFIG=<file.json>` and/or
 * `/CENTRAL=… /UNIT=… /COUNTER=… /CODE=…`, docs/deployment.md), turned into `config.json` and an enrolled
 * device on the app's first start — without a click.
 *
 * build/installer.nsh only copies: the `/CONFIG` file to `<data>/installer-preset.json` as given, and the
 * switches to `<data>/installer-switches.txt`, one `NAME=value` a line (UTF-16LE with a BOM: NSIS's FileWrite
 * would write the ANSI code page and lose the Vietnamese letters). Everything that decides — which switch
 * means which field, validation, what happens when a configuration already exists, when the enrollment code
 * is used and forgotten — is here, in plain Node, tested against a real central.
 *
 * Rules:
 * - an existing `config.json` wins: a reinstall or an update never overwrites a working counter's
 *   configuration (the preset is set aside as `installer-preset.ignored.json`, without its enrollment code);
 * - the preset is validated with the same schema as `config.json`; a wrong one stops the start with
 *   CONFIG_INVALID naming `installer-preset.json` and nothing is written;
 * - the enrollment code is a one-time secret: it moves from the preset into `enrollment-pending.json` (mode
 *   0600) until the central answers, and is deleted as soon as it did — enrolled, or refused for good (used,
 *   expired, wrong unit). An unreachable central keeps it for the next start: offline first.
 */
import { readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { AppError } from '../../shared/errors';
import { checkCentralTransport, defaultConfigFile, parseHostConfig, type HostConfig } from './config';
import type { CredentialCipher } from './credential-cipher';
import { loadStoredDevice } from './device';
import { enrollCounter } from './enrollment';
import { writeFileDurably } from '../../shared-node/durable-file';

export const presetFileName = 'installer-preset.json';
export const switchesFileName = 'installer-switches.txt';
export const ignoredPresetFileName = 'installer-preset.ignored.json';
export const pendingEnrollmentFileName = 'enrollment-pending.json';

/** What an installer may add to a configuration: the one-time enrollment code, never kept in config.json. */
const enrollmentPresetSchema = z.object({ code: z.string().min(1).max(64), deviceName: z.string().min(1).max(100).optional() }).strict();
type EnrollmentPreset = z.infer<typeof enrollmentPresetSchema>;

const pendingEnrollmentSchema = z.object({ centralUrl: z.url(), code: z.string().min(1), deviceName: z.string().min(1) }).strict();
type PendingEnrollment = z.infer<typeof pendingEnrollmentSchema>;

/**
 * The installer's switches and the configuration field each sets. A switch not listed here is refused (a typo
 * must not be silently ignored on 300 PCs).
 */
export const installerSwitches = {
  CENTRAL: 'centralUrl',
  UNIT: 'unit.code',
  UNITNAME: 'unit.name',
  ORG: 'organisationName',
  COUNTER: 'counterNo',
  CODE: 'enrollment.code',
  DEVICENAME: 'enrollment.deviceName',
  /** PKCS#11 token label of the organisation's key (the driver found from the table of Vietnamese CAs). */
  TOKEN: 'signers[organisation].keystore (pkcs11 tokenLabel)',
  /** Driver library of that token, when not the table's. */
  TOKENLIB: 'signers[organisation].keystore.library',
  /** A PKCS#12 file for the organisation's key instead of a token. */
  P12: 'signers[organisation].keystore (pkcs12 path)',
  /** A network (eSCL) scanner's root URL. */
  ESCL: 'capture.escl[0].url',
  /** A folder a scanner's own software drops files into. */
  HOTFOLDER: 'capture.hotFolders[0].path',
} as const;
type InstallerSwitch = keyof typeof installerSwitches;

function isInstallerSwitch(name: string): name is InstallerSwitch {
  return Object.hasOwn(installerSwitches, name);
}

/** Decodes the switches file: UTF-16LE with a BOM (what installer.nsh writes), or UTF-8. */
function decodeSwitchesFile(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(start));
}

/** `NAME=value` lines; blank lines skipped; an unknown or repeated name is an error naming it. */
function parseSwitches(text: string, file: string): Partial<Record<InstallerSwitch, string>> {
  const switches: Partial<Record<InstallerSwitch, string>> = {};
  for (const [index, rawLine] of text.split(/\r?\n/).entries()) {
    const line = rawLine.trim();
    if (!line) continue;
    const eq = line.indexOf('=');
    const name = (eq > 0 ? line.slice(0, eq) : line).trim().toUpperCase();
    if (eq <= 0 || !isInstallerSwitch(name)) throw new AppError('CONFIG_INVALID', { file, issue: `dòng ${index + 1}: tham số cài đặt không hợp lệ "/${name}" (hợp lệ: ${Object.keys(installerSwitches).map((s) => `/${s}`).join(', ')})` });
    if (switches[name] !== undefined) throw new AppError('CONFIG_INVALID', { file, issue: `dòng ${index + 1}: tham số /${name} lặp lại` });
    // GetOptions keeps the quotes of `/UNITNAME="UBND xã A"` in some forms; they are never part of a value.
    switches[name] = line.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
  }
  return switches;
}

type JsonObject = Record<string, unknown>;
const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The preset JSON with the switches laid over it (switches win), and the enrollment part apart. */
function presetWithSwitches(preset: JsonObject, switches: Partial<Record<InstallerSwitch, string>>, file: string): { config: JsonObject; enrollment: EnrollmentPreset | undefined } {
  const { enrollment: presetEnrollment, ...rest } = preset;
  const config: JsonObject = structuredClone(rest);
  const unit: JsonObject = isObject(config.unit) ? { ...config.unit } : {};
  if (switches.CENTRAL !== undefined) config.centralUrl = switches.CENTRAL;
  if (switches.UNIT !== undefined) unit.code = switches.UNIT;
  if (switches.UNITNAME !== undefined) unit.name = switches.UNITNAME;
  if (switches.UNIT !== undefined || switches.UNITNAME !== undefined) config.unit = unit;
  if (switches.ORG !== undefined) config.organisationName = switches.ORG;
  else if (config.organisationName === undefined && typeof unit.name === 'string') config.organisationName = unit.name;
  if (switches.COUNTER !== undefined) {
    const counterNo = Number(switches.COUNTER);
    if (!Number.isInteger(counterNo)) throw new AppError('CONFIG_INVALID', { file, issue: `/COUNTER phải là số nguyên, không phải "${switches.COUNTER}"` });
    config.counterNo = counterNo;
  }
  config.locale ??= 'vi';
  // An installed counter is a production one: no signature without revocation evidence unless the preset says
  // otherwise (the schema's default stays lenient for the demo and hand-made lab files; docs/configuration.md).
  const trust: JsonObject = isObject(config.trust) ? { ...config.trust } : {};
  trust.requireRevocation ??= true;
  config.trust = trust;
  if (switches.TOKEN !== undefined && switches.P12 !== undefined) throw new AppError('CONFIG_INVALID', { file, issue: '/TOKEN và /P12 không dùng cùng nhau: khóa của cơ quan ở thẻ ký số hoặc ở tệp PKCS#12' });
  if (switches.TOKENLIB !== undefined && switches.TOKEN === undefined) throw new AppError('CONFIG_INVALID', { file, issue: '/TOKENLIB cần /TOKEN' });
  const organisationKeystore =
    switches.TOKEN !== undefined
      ? { kind: 'pkcs11', tokenLabel: switches.TOKEN, ...(switches.TOKENLIB !== undefined ? { library: switches.TOKENLIB } : {}), label: 'Chứng thư số của cơ quan (thẻ ký số)' }
      : switches.P12 !== undefined
        ? { kind: 'pkcs12', path: switches.P12, label: 'Chứng thư số của cơ quan' }
        : undefined;
  if (organisationKeystore) {
    const signers: readonly unknown[] = Array.isArray(config.signers) ? config.signers : [];
    const others = signers.filter((s) => !(isObject(s) && s.role === 'organisation'));
    config.signers = [{ role: 'organisation', keystore: organisationKeystore }, ...others];
  }
  if (switches.ESCL !== undefined || switches.HOTFOLDER !== undefined) {
    const capture: JsonObject = isObject(config.capture) ? { ...config.capture } : {};
    if (switches.ESCL !== undefined) capture.escl = [{ label: 'Máy quét mạng', url: switches.ESCL }];
    if (switches.HOTFOLDER !== undefined) capture.hotFolders = [{ label: 'Thư mục máy quét', path: switches.HOTFOLDER }];
    config.capture = capture;
  }
  const enrollmentRaw = { ...(isObject(presetEnrollment) ? presetEnrollment : presetEnrollment === undefined ? {} : { invalid: presetEnrollment }) };
  if (switches.CODE !== undefined) enrollmentRaw.code = switches.CODE;
  if (switches.DEVICENAME !== undefined) enrollmentRaw.deviceName = switches.DEVICENAME;
  if (Object.keys(enrollmentRaw).length === 0) return { config, enrollment: undefined };
  const enrollment = enrollmentPresetSchema.safeParse(enrollmentRaw);
  if (!enrollment.success) throw new AppError('CONFIG_INVALID', { file, issue: `enrollment: ${enrollment.error.issues.map((i) => `${i.path.join('.') || '(gốc)'}: ${i.message}`).join('; ')}` });
  return { config, enrollment: enrollment.data };
}

async function readIfPresent(file: string): Promise<Buffer | undefined> {
  try {
    return await readFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

type EnrollmentOutcome =
  | { readonly state: 'none' }
  /**
   * `mismatch`: the central enrolled this PC for another unit or counter number than config.json names (a preset
   * meant for another PC): dossier codes would be built from the wrong unit, so IT must correct one or the other.
   */
  | { readonly state: 'enrolled'; readonly deviceId: string; readonly mismatch?: string }
  | { readonly state: 'already-enrolled' }
  /** The central could not be reached: the code is kept and tried again at the next start. */
  | { readonly state: 'pending'; readonly reason: string }
  /** The central refused the code for good (used, expired, wrong unit…): IT enrolls with `motcua enroll`. */
  | { readonly state: 'refused'; readonly error: AppError };

export interface FirstStartResult {
  /** What became of the installer's preset on this start. */
  readonly preset: 'none' | 'applied' | 'ignored-existing-config';
  readonly enrollment: EnrollmentOutcome;
}

export interface FirstStartOptions {
  readonly dataDir: string;
  /** The OS key store the shell seals the credential with (safeStorage); none in plain Node. */
  readonly cipher?: CredentialCipher;
  /** Default: this PC's name and the counter number ("PC-01 — quầy 2"). */
  readonly defaultDeviceName?: (config: HostConfig) => string;
  readonly fetch?: typeof fetch;
}

/**
 * Run by the shell before it opens the counter (and by nothing else): applies an installer's preset once,
 * then tries a pending enrollment. Throws only for a preset that cannot become a valid configuration.
 */
export async function applyInstallerPreset(options: FirstStartOptions): Promise<FirstStartResult> {
  const { dataDir } = options;
  const presetFile = path.join(dataDir, presetFileName);
  const switchesFile = path.join(dataDir, switchesFileName);
  const configFile = defaultConfigFile(dataDir);
  const [presetBytes, switchesBytes] = await Promise.all([readIfPresent(presetFile), readIfPresent(switchesFile)]);
  let preset: FirstStartResult['preset'] = 'none';
  if (presetBytes || switchesBytes) {
    const presetJson = presetBytes ? parsePresetJson(presetBytes, presetFile) : {};
    const switches = switchesBytes ? parseSwitches(decodeSwitchesFile(switchesBytes), switchesFile) : {};
    const reported = presetBytes ? presetFile : switchesFile;
    const { config: rawConfig, enrollment } = presetWithSwitches(presetJson, switches, reported);
    if (await readIfPresent(configFile)) {
      // A configured counter keeps its configuration; the preset stays readable for IT, its secret does not.
      await writeFileDurably(path.join(dataDir, ignoredPresetFileName), JSON.stringify(rawConfig, null, 2) + '\n');
      preset = 'ignored-existing-config';
    } else {
      const config = parseHostConfig(reported, JSON.stringify(rawConfig));
      checkCentralTransport(config.centralUrl, { allowHttpCentral: config.allowHttpCentral, demo: false, file: reported });
      if (enrollment) {
        const deviceName = enrollment.deviceName ?? (options.defaultDeviceName ?? defaultDeviceName)(config);
        await writeFileDurably(path.join(dataDir, pendingEnrollmentFileName), JSON.stringify({ centralUrl: config.centralUrl, code: enrollment.code, deviceName } satisfies PendingEnrollment) + '\n');
      }
      // The file as the installer meant it (without the code), so `motcua config show` reads what IT wrote.
      await writeFileDurably(configFile, JSON.stringify(rawConfig, null, 2) + '\n');
      preset = 'applied';
    }
    await Promise.all([rm(presetFile, { force: true }), rm(switchesFile, { force: true })]);
  }
  return { preset, enrollment: await tryPendingEnrollment(options) };
}

function parsePresetJson(bytes: Buffer, file: string): JsonObject {
  let raw: unknown;
  try {
    raw = JSON.parse(decodeSwitchesFile(bytes));
  } catch (err) {
    throw new AppError('CONFIG_INVALID', { file, issue: `không phải JSON hợp lệ (${err instanceof Error ? err.message : String(err)})` });
  }
  if (!isObject(raw)) throw new AppError('CONFIG_INVALID', { file, issue: '(gốc): phải là một đối tượng JSON' });
  return raw;
}

function defaultDeviceName(config: HostConfig): string {
  return `${os.hostname()} — quầy ${config.counterNo}`.slice(0, 100);
}

/**
 * Central answers that will not change by trying again: the code is forgotten. No answer, or an answer that is
 * not the central's (a captive portal's login page on a flaky link), is tried again at the next start.
 */
/** Answers after which the code is worth trying again at the next start (the link, the clock or config.json fixed). */
const retryLater: ReadonlySet<string> = new Set(['CENTRAL_UNREACHABLE', 'ENROLLMENT_CENTRAL_UNREACHABLE', 'CENTRAL_NOT_A_CENTRAL', 'CENTRAL_SERVER_ERROR', 'ENROLLMENT_CLOCK_SKEW', 'ENROLLMENT_UNIT_MISMATCH']);

function isDefinitiveRefusal(err: unknown): err is AppError {
  return err instanceof AppError && !retryLater.has(err.code);
}

/** The unit code and counter number config.json names, if it can be read. */
async function configuredCounter(dataDir: string): Promise<{ unitCode: string; counterNo: number } | undefined> {
  const text = await readIfPresent(defaultConfigFile(dataDir));
  if (!text) return undefined;
  try {
    const config = parseHostConfig(defaultConfigFile(dataDir), text.toString('utf8'));
    return { unitCode: config.unit.code, counterNo: config.counterNo };
  } catch {
    return undefined;
  }
}

/** How the configuration differs from what the central enrolled (unit code, counter number), if it does. */
async function configMismatch(dataDir: string, device: { readonly unit: { readonly code: string }; readonly counterNo: number }): Promise<string | undefined> {
  const text = await readIfPresent(defaultConfigFile(dataDir));
  if (!text) return undefined;
  const config = parseHostConfig(defaultConfigFile(dataDir), text.toString('utf8'));
  const differences = [
    ...(config.unit.code !== device.unit.code ? [`unit.code ${config.unit.code} ≠ ${device.unit.code}`] : []),
    ...(config.counterNo !== device.counterNo ? [`counterNo ${config.counterNo} ≠ ${device.counterNo}`] : []),
  ];
  return differences.length > 0 ? `config.json ≠ đăng ký tại trung tâm: ${differences.join(', ')}` : undefined;
}

async function tryPendingEnrollment(options: FirstStartOptions): Promise<EnrollmentOutcome> {
  const file = path.join(options.dataDir, pendingEnrollmentFileName);
  const bytes = await readIfPresent(file);
  if (!bytes) return { state: 'none' };
  const pending = pendingEnrollmentSchema.safeParse(JSON.parse(bytes.toString('utf8')));
  if (!pending.success) {
    await rm(file, { force: true });
    return { state: 'refused', error: new AppError('CONFIG_INVALID', { file, issue: pending.error.issues.map((i) => i.message).join('; ') }) };
  }
  if (await loadStoredDevice(options.dataDir, options.cipher)) {
    await rm(file, { force: true });
    return { state: 'already-enrolled' };
  }
  try {
    // The same service as `motcua enroll` and the first-start screen: the central's clock checked first, and the
    // unit and counter of config.json sent along, so a code for another counter is refused without being spent.
    const expected = await configuredCounter(options.dataDir);
    const stored = await enrollCounter(
      { centralUrl: pending.data.centralUrl, enrollmentCode: pending.data.code, deviceName: pending.data.deviceName, ...(expected ? { expect: expected } : {}) },
      { configDir: options.dataDir, ...(options.cipher ? { cipher: options.cipher } : {}), ...(options.fetch ? { fetch: options.fetch } : {}) },
    );
    await rm(file, { force: true });
    const mismatch = await configMismatch(options.dataDir, stored.device);
    return { state: 'enrolled', deviceId: stored.device.deviceId, ...(mismatch ? { mismatch } : {}) };
  } catch (err) {
    if (isDefinitiveRefusal(err)) {
      await rm(file, { force: true });
      return { state: 'refused', error: err };
    }
    return { state: 'pending', reason: err instanceof Error ? err.message : String(err) };
  }
}
