/**
 * The counter's configuration, as the installer leaves it in `<dataDir>/config.json`. Parsed with a schema
 * at start-up. A missing file is an error naming the expected path, except when the demo was asked for
 * explicitly (`npm start`, `motcua host --demo`): then it gets the demo defaults (a local central and the
 * generated demo PKI) so the app works out of the box (issue 17: a production counter whose file went missing
 * must not quietly become a demo counter trusting the demo PKI).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { AppError } from '../../shared/errors';
import { counterConfigSchema, signerRoleSchema, type CounterConfig } from '../../shared/ipc/contract';
import { defaultDeadlineThresholds } from '../../shared/domain/deadline';
import { defaultTimeLimitRulesConfig } from '../../shared/domain/time-limit-rules';
import { captureConfigSchema } from './capture';
import { imagingConfigSchema } from '../../shared/imaging/processing';
import { printingConfigSchema } from './printing';
import { kioskConfigSchema } from './kiosk';
import type { RevocationFetchPolicy } from './signing/revocation-fetch';

/**
 * `imaging` as the file may write it: the renderer's part (shared/imaging/processing.ts) plus how main reads
 * pages (issue 20): `ocrEngine` 'auto' (the `tesseract` program when it runs and has Vietnamese, else the
 * tesseract.js shipped with the app), 'native' or 'wasm'; `ocrWorkers` pages read side by side (default: one per
 * core, at most 2 — ocr-pool.ts); `tesseractPath` the program, when it is not `tesseract` on PATH.
 */
export const hostImagingConfigSchema = imagingConfigSchema
  .unwrap()
  .extend({
    ocrEngine: z.enum(['auto', 'wasm', 'native']).default('auto'),
    ocrWorkers: z.number().int().min(1).max(8).optional(),
    tesseractPath: z.string().min(1).max(1000).optional(),
  })
  .default({ cleanup: true, minDpiPolicy: 'warn', ocr: true, ocrEngine: 'auto' });

/** Where one signing key lives. */
const keystoreConfigSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('pkcs12'), path: z.string().min(1), label: z.string().min(1) }),
  z.object({
    kind: z.literal('pkcs11'),
    /** The driver library; when absent, the first installed one from the table of Vietnamese CAs' drivers. */
    library: z.string().min(1).optional(),
    tokenLabel: z.string().min(1),
    keyLabel: z.string().min(1).optional(),
    label: z.string().min(1),
  }),
]);
export type KeystoreConfig = z.infer<typeof keystoreConfigSchema>;

const signersSchema = z
  .array(z.object({ role: signerRoleSchema, keystore: keystoreConfigSchema }))
  .min(1)
  .max(2)
  .refine((signers) => new Set(signers.map((s) => s.role)).size === signers.length, 'each role at most once');

/** Updates off (no publisher key) until the installer's configuration names one. */
const defaultUpdatesConfig: { publisherKeys: string[]; checkIntervalMinutes: number; maxKilobytesPerSecond: number; installAfterIdleMinutes: number } = { publisherKeys: [], checkIntervalMinutes: 60, maxKilobytesPerSecond: 0, installAfterIdleMinutes: 10 };

export const hostConfigSchema = z.preprocess(
  // Configurations written before signer roles existed had one `signer`: it is the organisation's.
  (raw) => {
    if (raw && typeof raw === 'object' && 'signer' in raw && !('signers' in raw)) {
      const { signer, ...rest } = raw;
      return { ...rest, signers: [{ role: 'organisation', keystore: signer }] };
    }
    return raw;
  },
  counterConfigSchema.omit({ timestamping: true }).extend({
    signers: signersSchema,
    /** RFC 3161 time-stamp authority for upgrading offline signatures (B-B → B-T) once online. */
    tsa: z.object({ url: z.url(), timeoutSeconds: z.number().positive().max(120).default(20) }).optional(),
    trust: z
      .object({
        /** Extra trust anchors (PEM/DER files) beside the ones the central provides. */
        anchorsDir: z.string().min(1).optional(),
        /** How old the last CRL/OCSP answer may be when signing offline. */
        maxRevocationAgeHours: z.number().positive().max(24 * 90).default(72),
        /** Refuse to sign without any revocation evidence (true in production; the demo PKI has none). */
        requireRevocation: z.boolean().default(false),
        /** Limits on CRL/OCSP fetches, whose addresses come from certificates (signing/revocation-fetch.ts). */
        revocationFetch: z
          .object({
            allowedPorts: z.array(z.number().int().min(1).max(65535)).min(1).max(16).default([80, 443]),
            /** Lab only: allow loopback/private/link-local responders (a test CA on 127.0.0.1). */
            allowPrivateNetworks: z.boolean().default(false),
            maxCrlMegabytes: z.number().positive().max(64).default(4),
            maxOcspKilobytes: z.number().positive().max(1024).default(64),
            timeoutSeconds: z.number().positive().max(60).default(5),
          })
          .strict()
          .optional(),
      })
      .default({ maxRevocationAgeHours: 72, requireRevocation: false }),
    /** Scanners and hot folders (docs/capture.md). */
    capture: captureConfigSchema,
    /** Where forms print (electron/services/printing.ts): a named printer without a dialog, or the dialog. */
    printing: printingConfigSchema,
    /** Unlocked keys lock themselves after this many idle minutes (default 15, signing-guard.ts; docs/signing.md). */
    signing: z.object({ idleLockMinutes: z.number().positive().max(480).optional() }).strict().optional(),
    /** Kiosk mode for a dedicated counter PC: full screen, no exit without IT's PIN (kiosk.ts; docs/deployment.md). */
    kiosk: kioskConfigSchema,
    /**
     * Lab only: accept a plain `http://` central (a test network without certificates). A production counter
     * refuses one, since dossiers and the device credential would cross the network in clear; the demo accepts
     * `http://` on loopback only (checkCentralTransport).
     */
    allowHttpCentral: z.boolean().default(false),
    /**
     * Issue 16: an enrollment code the installer's preset left here. On first start the app trades it for a
     * device credential without a click and removes this block from the file (enrollment.ts, enrollFromPreset).
     */
    enrollment: z.object({ code: z.string().trim().min(1).max(40), deviceName: z.string().trim().min(1).max(100).optional() }).strict().optional(),
    /**
     * How far this PC's clock may be from the central's (minutes) before enrollment is refused and the doctor
     * fails the clock check. Default 5 (defaultMaxClockSkewMinutes): certificates, deadlines and dossier codes
     * read the clock. UNCONFIRMED as a legal figure; a setting.
     */
    maxClockSkewMinutes: z.number().positive().max(24 * 60).optional(),
    /**
     * Issue 16: while this PC holds no device credential, the app opens on the enrollment screen (the installer
     * types the code; "later" works offline). `false` for counters IT enrolls only with `motcua enroll`. Default true.
     */
    firstStartEnrollmentScreen: z.boolean().optional(),
    /**
     * Updates served by the central (issue 16; electron/services/updates/, docs/deployment.md). Off unless the
     * publisher's key is configured: an update is installed only when one of these Ed25519 keys verifies it.
     */
    updates: z
      .object({
        /** The publisher's Ed25519 public keys (PEM, SPKI), as `openssl pkey -pubout` prints them. */
        publisherKeys: z.array(z.string().min(40).max(1000).startsWith('-----BEGIN PUBLIC KEY-----')).max(4).default([]),
        checkIntervalMinutes: z.number().int().min(5).max(24 * 60).default(60),
        /** Download rate cap (0 = none); the download also waits whenever dossiers are being sent. */
        maxKilobytesPerSecond: z.number().int().min(0).max(1_000_000).default(0),
        /** The clerk away from keyboard and mouse this long before an update installs (it restarts the app). */
        installAfterIdleMinutes: z.number().int().min(1).max(24 * 60).default(10),
      })
      .strict()
      .default(defaultUpdatesConfig),
    /** Page processing; the OCR engine settings are main's only (publicConfig leaves them out). */
    imaging: hostImagingConfigSchema,
  }),
);
export type HostConfig = z.output<typeof hostConfigSchema>;

/** The fetch policy of the configured `trust.revocationFetch` (defaults in revocation-fetch.ts when absent). */
export function revocationFetchPolicy(trust: HostConfig['trust']): Partial<RevocationFetchPolicy> {
  const f = trust.revocationFetch;
  if (!f) return {};
  return {
    allowedPorts: f.allowedPorts,
    allowPrivateNetworks: f.allowPrivateNetworks,
    maxCrlBytes: Math.round(f.maxCrlMegabytes * 1024 * 1024),
    maxOcspBytes: Math.round(f.maxOcspKilobytes * 1024),
    timeoutMs: f.timeoutSeconds * 1000,
  };
}

const defaultCentralUrl = 'http://127.0.0.1:8787';

export function demoConfig(pkiDir: string, centralUrl = defaultCentralUrl): HostConfig {
  return {
    unit: { code: '000.00.01.H99', name: 'UBND xã Demo' },
    organisationName: 'Ủy ban nhân dân xã Demo',
    counterNo: 1,
    centralUrl,
    locale: 'vi',
    signatureAppearance: { kind: 'copy-stamp', copyForm: 'SAO Y' },
    // Copies are signed with the demo clerk's personal key (Decree 118/2025 Art. 17.1.c); the organisation's key
    // stays for components a catalog marks `signature: 'organisation'`.
    copySigning: { personalAppearance: 'signature-box' },
    deadlineThresholds: defaultDeadlineThresholds,
    signers: [
      { role: 'organisation', keystore: { kind: 'pkcs12', path: path.join(pkiDir, 'counter-signer.p12'), label: 'Chứng thư số demo của cơ quan (PKCS#12)' } },
      { role: 'personal', keystore: { kind: 'pkcs12', path: path.join(pkiDir, 'clerk-personal.p12'), label: 'Chữ ký số cá nhân của công chức (demo, PKCS#12)' } },
    ],
    trust: { maxRevocationAgeHours: 72, requireRevocation: false },
    capture: captureConfigSchema.parse(undefined),
    imaging: hostImagingConfigSchema.parse(undefined),
    retention: { filesDaysAfterAck: 0, dossiersDaysAfterClose: 30, applicantsDaysUnseen: 90 },
    printing: {},
    updates: { ...defaultUpdatesConfig, publisherKeys: [] },
    timeLimits: defaultTimeLimitRulesConfig,
    allowHttpCentral: false,
  };
}

/** Where a counter's configuration is, by default. */
export function defaultConfigFile(dataDir: string): string {
  return path.join(dataDir, 'config.json');
}

/**
 * Reads the configuration file (default `<dataDir>/config.json`). When there is none: with `demoFallback` (the
 * demo was asked for) the demo default is written first; without it, CONFIG_MISSING naming the expected path.
 */
export async function loadHostConfig(dataDir: string, demoFallback: (() => HostConfig) | undefined, file = defaultConfigFile(dataDir)): Promise<HostConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    if (!demoFallback) throw new AppError('CONFIG_MISSING', { file });
    const config = demoFallback();
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, JSON.stringify(config, null, 2) + '\n', 'utf8');
    return config;
  }
  return parseHostConfig(file, text);
}

/** 127.0.0.0/8, ::1 and `localhost`: an address that never leaves this PC. */
function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/**
 * The central must be reached over HTTPS (issue 17, finding 6): dossiers, ID numbers and the device credential
 * travel to it. Plain HTTP is accepted only where nothing crosses a network — loopback in the demo — or where
 * the configuration says this is a lab (`allowHttpCentral: true`), like `trust.revocationFetch.allowPrivateNetworks`.
 */
export function checkCentralTransport(centralUrl: string, opts: { readonly allowHttpCentral: boolean; readonly demo: boolean; readonly file: string }): void {
  const url = new URL(centralUrl);
  if (url.protocol === 'https:') return;
  if (url.protocol === 'http:' && (opts.allowHttpCentral || (opts.demo && isLoopbackHost(url.hostname)))) return;
  throw new AppError('CONFIG_CENTRAL_NOT_HTTPS', { url: url.origin, file: opts.file });
}

/**
 * Checks the configuration text; what is wrong becomes a coded error the installer reads in Vietnamese
 * (CLI and the desktop app's start-up dialog): a unit code that is neither a Decision 20/2020 agency identifier nor an old QCVN 102 code is UNIT_CODE_INVALID
 * (the dossier codes are built from it), anything else CONFIG_INVALID naming the field.
 */
export function parseHostConfig(file: string, text: string): HostConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new AppError('CONFIG_INVALID', { file, issue: `không phải JSON hợp lệ (${err instanceof Error ? err.message : String(err)})` });
  }
  const parsed = hostConfigSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const unitCodeIssue = parsed.error.issues.find((i) => i.path.join('.') === 'unit.code');
  if (unitCodeIssue) {
    const unit = (raw as { unit?: { code?: unknown } } | null)?.unit;
    throw new AppError('UNIT_CODE_INVALID', { unitCode: typeof unit?.code === 'string' ? unit.code : JSON.stringify(unit?.code ?? null), file });
  }
  throw new AppError('CONFIG_INVALID', { file, issue: parsed.error.issues.map((i) => `${i.path.join('.') || '(gốc)'}: ${i.message}`).join('; ').slice(0, 600) });
}

/** The part of the configuration the renderer may see (no key store paths, no trust policy). */
export function publicConfig(config: HostConfig): CounterConfig {
  // Not a field of the file: derived from whether a TSA is configured.
  const { signers: _signers, trust: _trust, tsa, capture: _capture, printing: _printing, signing: _signing, allowHttpCentral: _allowHttpCentral, kiosk: _kiosk, enrollment: _enrollment, maxClockSkewMinutes: _maxClockSkewMinutes, firstStartEnrollmentScreen: _firstStartEnrollmentScreen, updates: _updates, imaging, ...rest } = config;
  const { ocrEngine: _ocrEngine, ocrWorkers: _ocrWorkers, tesseractPath: _tesseractPath, ...publicImaging } = imaging;
  return { ...rest, imaging: publicImaging, timestamping: tsa !== undefined };
}
