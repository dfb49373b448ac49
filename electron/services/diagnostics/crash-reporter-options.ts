/**
 * Issue 16: how the Electron shell configures its crash reporter (electron/main/crash-reports.ts applies it).
 * A pure function, tested in Node: Electron's binary cannot run here.
 *
 * Minidumps go to the central this counter is enrolled with (`POST /api/v1/crash-reports`, central/src/
 * crash-reports.ts). Crashpad sends no header of ours, so the device is named by its crash-upload token in the
 * URL — derived from the credential, good for nothing else — and the credential itself is never written into
 * Crashpad's files. Not enrolled yet: dumps are kept on this PC only (Crashpad's folder under userData).
 */
import { crashUploadToken } from '../../../shared/sync/fleet';
import { pathFor } from '../../../shared/sync/api-contract';

export interface CrashReporterInput {
  /** The device session (IPC `device:session`): null before enrollment. */
  readonly session: { readonly centralUrl: string; readonly credential: string } | null;
  readonly appVersion: string;
  readonly deviceId?: string;
}

/** The subset of Electron's `CrashReporterStartOptions` we set (structurally the same type). */
export interface CrashReporterSettings {
  readonly submitURL: string;
  readonly uploadToServer: boolean;
  readonly productName: string;
  readonly compress: boolean;
  readonly rateLimit: boolean;
  readonly ignoreSystemCrashHandler: boolean;
  /** Annotations on every dump (Crashpad: keys under 40 characters, values at most 127). */
  readonly globalExtra: Record<string, string>;
}

const crashProductName = 'motcua-kiosk';

export function crashReporterSettings(input: CrashReporterInput): CrashReporterSettings {
  const enrolled = input.session !== null;
  const submitURL = enrolled ? `${input.session.centralUrl.replace(/\/+$/, '')}${pathFor('crashReport')}?token=${crashUploadToken(input.session.credential)}` : '';
  return {
    submitURL,
    uploadToServer: enrolled,
    productName: crashProductName,
    // gzip on the wire (the central inflates it, capped); one upload an hour at most over a counter's link.
    compress: true,
    rateLimit: true,
    ignoreSystemCrashHandler: true,
    globalExtra: {
      appVersion: input.appVersion.slice(0, 64),
      ...(input.deviceId ? { deviceId: input.deviceId } : {}),
    },
  };
}
