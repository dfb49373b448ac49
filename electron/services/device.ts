/**
 * This counter's device enrollment: the credential the central issued (`mcd_…`), kept in the config directory
 * as `device.json` with file mode 0600 (readable by the app's OS user only). In the Electron shell the file
 * is additionally wrapped with Electron's safeStorage (OS keychain / DPAPI) where available; the Node-side
 * CLI and web host read it as written here.
 */
import { chmod, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { AppError, isErrorCode } from '../../shared/errors';
import {
  centralErrorSchema,
  centralPathsV2,
  deviceCredentialSchema,
  deviceRecordSchema,
  enrollRequestSchema,
  enrollResponseSchema,
} from '../../shared/sync/protocol';

export const deviceFileName = 'device.json';

export const storedDeviceSchema = z.object({
  centralUrl: z.url(),
  credential: deviceCredentialSchema,
  device: deviceRecordSchema,
});
export type StoredDevice = z.infer<typeof storedDeviceSchema>;

/** What the renderer's sync engine needs (IPC `device:session`). */
export interface DeviceSession {
  readonly centralUrl: string;
  readonly credential: string;
}

const sameOrigin = (a: string, b: string): boolean => {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
};

export async function loadStoredDevice(configDir: string): Promise<StoredDevice | undefined> {
  let text: string;
  try {
    text = await readFile(path.join(configDir, deviceFileName), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const parsed = storedDeviceSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new AppError('STORAGE_DAMAGED', { file: path.join(configDir, deviceFileName) });
  return parsed.data;
}

/** The session for `centralUrl`; none when this PC is not enrolled there (a credential never goes to another central). */
export async function deviceSessionFor(configDir: string, centralUrl: string): Promise<DeviceSession | null> {
  const stored = await loadStoredDevice(configDir);
  if (!stored || !sameOrigin(stored.centralUrl, centralUrl)) return null;
  return { centralUrl: stored.centralUrl, credential: stored.credential };
}

/** Writes `device.json` (mode 0600) atomically: temp file, fsync, rename. */
export async function saveStoredDevice(configDir: string, stored: StoredDevice): Promise<void> {
  await mkdir(configDir, { recursive: true });
  const file = path.join(configDir, deviceFileName);
  const temp = `${file}.${process.pid}.tmp`;
  try {
    const handle = await open(temp, 'w', 0o600);
    try {
      await handle.writeFile(JSON.stringify(storedDeviceSchema.parse(stored), null, 2));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await chmod(temp, 0o600);
    await rename(temp, file);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}

/** Trades a one-time code for a credential at `centralUrl` and stores it. Errors carry the central's code. */
export async function enrollDevice(opts: {
  configDir: string;
  centralUrl: string;
  enrollmentCode: string;
  deviceName: string;
  fetch?: typeof fetch;
}): Promise<StoredDevice> {
  const request = enrollRequestSchema.safeParse({ enrollmentCode: opts.enrollmentCode.trim().toUpperCase(), deviceName: opts.deviceName });
  if (!request.success) throw new AppError('ENROLLMENT_CODE_INVALID', { reason: 'malformed' });
  const doFetch = opts.fetch ?? fetch;
  let res: Response;
  try {
    res = await doFetch(new URL(centralPathsV2.enroll, opts.centralUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request.data),
    });
  } catch (err) {
    throw new AppError('CENTRAL_UNREACHABLE', { url: opts.centralUrl }, { cause: err });
  }
  const body = (await res.json().catch(() => undefined)) as unknown;
  if (!res.ok) {
    const error = centralErrorSchema.safeParse(body);
    if (error.success && isErrorCode(error.data.error)) throw new AppError(error.data.error, error.data.details);
    throw new AppError('CENTRAL_NOT_A_CENTRAL', { status: res.status });
  }
  const enrolled = enrollResponseSchema.safeParse(body);
  if (!enrolled.success) throw new AppError('CENTRAL_NOT_A_CENTRAL', { status: res.status });
  const stored: StoredDevice = { centralUrl: opts.centralUrl, credential: enrolled.data.credential, device: enrolled.data.device };
  await saveStoredDevice(opts.configDir, stored);
  return stored;
}

/** True when the stored credential still opens `centralUrl` (GET devices/self answers 200). */
export async function deviceStillValid(stored: StoredDevice, centralUrl: string, doFetch: typeof fetch = fetch): Promise<boolean> {
  if (!sameOrigin(stored.centralUrl, centralUrl)) return false;
  try {
    const res = await doFetch(new URL(centralPathsV2.deviceSelf, centralUrl), { headers: { authorization: `Bearer ${stored.credential}` } });
    return res.ok;
  } catch {
    return false;
  }
}
