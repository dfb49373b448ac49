/**
 * Issue 16: what a counter tells the central about itself, and what the central's fleet view shows.
 *
 * Every request a counter makes carries its version (`X-Motcua-Counter-Version`); once per sync pass it also
 * sends a small report (PUT, the latest replaces the previous one): version, unsent backlog and its oldest age,
 * last error code, its clock, the signing certificate's expiry when known, and an OS summary. Nothing in it
 * names a person: no applicant, no clerk, no certificate subject — only codes, counts, dates and versions.
 * Both sides import this module; change them together.
 */
import { z } from 'zod';
import { compareVersions } from '../updates/version';

export { counterVersionHeader } from '../updates/version';
import { unitCodeSchema } from '../domain/dossier';
import { sha256Hex } from '../util/bytes';

/** `major.minor.patch` with an optional pre-release tag (`0.1.0`, `1.4.2-rc.1`): what electron-builder ships. */
export const counterVersionSchema = z
  .string()
  .max(64)
  .regex(/^\d{1,5}\.\d{1,5}\.\d{1,7}(?:-[0-9A-Za-z.-]{1,40})?$/, 'a version major.minor.patch[-tag]');

/** Negative when `a` is older (semver order, shared/updates/version.ts). */
export const compareCounterVersions = compareVersions;

/** A report is a few hundred bytes; the central refuses bodies above this (413). */
export const maxCounterReportBytes = 8 * 1024;

const isoDateTime = z.iso.datetime({ offset: true });
/** An error code as the shared catalog writes them; free text never travels here (it could hold a name). */
const errorCodeText = z.string().regex(/^[A-Z][A-Z0-9_]{1,63}$/);
/** Short technical words only (OS name, version, architecture): letters, digits, dots, dashes, spaces. */
const technicalText = (max: number) => z.string().max(max).regex(/^[0-9A-Za-z ._()/-]*$/);

export const counterReportSchema = z
  .object({
    appVersion: counterVersionSchema,
    /** The counter's clock when it sent the report: the central compares it with its own. */
    counterTime: isoDateTime,
    backlog: z
      .object({
        /** Dossiers not yet acknowledged by the central (waiting, uploading, committing). */
        dossiers: z.number().int().min(0).max(10_000_000),
        /** Dossiers the central refused, waiting for the clerk. */
        failed: z.number().int().min(0).max(10_000_000),
        /** Counter events (returns, supplements…) not yet acknowledged. */
        events: z.number().int().min(0).max(10_000_000),
        bytes: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
        /** Age of the oldest unsent dossier, in seconds of the counter's own clock (skew cancels out); null when none. */
        oldestUnsentAgeSeconds: z.number().int().min(0).max(100 * 365 * 86_400).nullable(),
      })
      .strict(),
    /** The last error the counter's sync met (code only), and when (counter clock). */
    lastError: z.object({ code: errorCodeText, at: isoDateTime }).strict().nullable(),
    /** Expiry of the signing certificate (earliest when several signers), when the counter knows it (key unlocked once). */
    signingCertificateNotAfter: isoDateTime.nullable(),
    platform: z
      .object({
        os: z.enum(['windows', 'macos', 'linux', 'other']),
        /** e.g. `10.0` from `Windows NT 10.0`; empty when unknown. */
        osVersion: technicalText(32),
        /** `electron` (the app), `chromium` (the web host), … */
        shell: technicalText(32),
        /** The shell's version (Electron's or Chromium's). */
        shellVersion: technicalText(32),
      })
      .strict(),
  })
  .strict();
export type CounterReport = z.infer<typeof counterReportSchema>;

export const counterReportAckSchema = z.object({
  /** Central clock at receipt. */
  receivedAt: isoDateTime,
  /** Counter clock minus central clock (ms; positive = the counter is ahead). */
  clockSkewMs: z.number().int(),
});
export type CounterReportAck = z.infer<typeof counterReportAckSchema>;

// ------------------------------------------------------------------------------------------- fleet view

const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

export const fleetQuerySchema = z
  .object({
    /** Only counters with no contact for more than this many days (never contacted included). */
    offlineDays: z.coerce.number().min(0).max(3650).optional(),
    /** Only counters whose unsent dossiers exceed this number. */
    backlogOver: z.coerce.number().int().min(0).max(10_000_000).optional(),
    /** Only counters below the minimum version (or, with none configured, below the newest one reported). */
    outdated: flag.optional(),
    /** Only this unit's counters. */
    unit: unitCodeSchema.optional(),
    /** Revoked devices are left out unless asked for. */
    includeRevoked: flag.optional(),
  })
  .strict();
export type FleetQuery = z.infer<typeof fleetQuerySchema>;

const fleetCounterSchema = z.object({
  deviceId: z.uuid(),
  deviceName: z.string(),
  unit: z.object({ code: z.string(), name: z.string() }),
  counterNo: z.number().int(),
  enrolledAt: isoDateTime,
  revokedAt: isoDateTime.nullable(),
  /** Central clock of the last report; null: never reported. */
  lastContactAt: isoDateTime.nullable(),
  appVersion: z.string().nullable(),
  outdated: z.boolean(),
  backlog: z.number().int().nullable(),
  failed: z.number().int().nullable(),
  oldestUnsentAgeSeconds: z.number().int().nullable(),
  lastErrorCode: z.string().nullable(),
  lastErrorAt: isoDateTime.nullable(),
  clockSkewMs: z.number().int().nullable(),
  signingCertificateNotAfter: isoDateTime.nullable(),
  platform: z.string().nullable(),
  /** Crash reports received from this device in the last 30 days. */
  crashes30d: z.number().int(),
});
export type FleetCounter = z.infer<typeof fleetCounterSchema>;

export const fleetResponseSchema = z.object({
  generatedAt: isoDateTime,
  /** The version below which a counter is "outdated" (configured minimum, else the newest reported); null: none known. */
  outdatedBelow: z.string().nullable(),
  /** Counters enrolled (not revoked), before filters. */
  total: z.number().int(),
  counters: z.array(fleetCounterSchema),
});
export type FleetResponse = z.infer<typeof fleetResponseSchema>;

// ---------------------------------------------------------------------------------------------- crashes

/*
 * The `crashReport` route (api-contract.ts): Electron's crashReporter upload (multipart/form-data, the minidump in
 * `upload_file_minidump`, fields `ver`, `prod`, `process_type`, … and the `extra` the app set). The answer is
 * the report id as plain text, which is what Electron records in its uploads log.
 */
/** A minidump of a renderer or main process is typically a few hundred KB; above this the upload is refused (413). */
export const maxCrashReportBytes = 5 * 1024 * 1024;

/**
 * Electron's crash uploader sends no custom header, so the device credential cannot travel as usual, and it
 * must not be written into Crashpad's files on disk either. The counter derives this token from its credential
 * instead (good for crash uploads only) and puts it in the submit URL (`?token=`); the central learns its hash
 * from the counter's authenticated report (it sees the credential then) and finds the device by it.
 */
export function crashUploadToken(credential: string): string {
  return `mcc_${sha256Hex(new TextEncoder().encode(`motcua-crash-report:${credential}`))}`;
}
export const crashUploadTokenSchema = z.string().regex(/^mcc_[0-9a-f]{64}$/, 'crash upload token');
