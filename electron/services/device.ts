/**
 * This counter's device enrollment: the credential the central issued (`mcd_…`), kept in the config directory
 * as `device.json` with file mode 0600 (readable by the app's OS user only).
 *
 * With a `CredentialCipher` that is available (the Electron shell: safeStorage — DPAPI, Keychain, libsecret),
 * the credential is sealed by the OS key store on top of the file mode: the file then holds
 * `sealedCredential` instead of `credential`, and a copy of the file is useless on another PC or account. A
 * plain file (written by the CLI's `enroll`, which runs in plain Node) is sealed the first time the shell
 * reads it. Without a cipher (CLI, web host) the plain form is written and read: plain Node has no OS store.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { AppError, isErrorCode } from '../../shared/errors';
import {
  centralErrorSchema,
  deviceCredentialSchema,
  deviceRecordSchema,
  enrollRequestSchema,
  enrollResponseSchema,
} from '../../shared/sync/protocol';
import type { CredentialCipher } from './credential-cipher';
import { writeFileDurably } from '../../shared-node/durable-file';
import { pathFor } from '../../shared/sync/api-contract';

export const deviceFileName = 'device.json';

export const storedDeviceSchema = z.object({
  centralUrl: z.url(),
  credential: deviceCredentialSchema,
  device: deviceRecordSchema,
});
export type StoredDevice = z.infer<typeof storedDeviceSchema>;

/** The file's form when an OS key store sealed the credential. */
const sealedDeviceSchema = z.object({
  centralUrl: z.url(),
  sealedCredential: z.object({ kind: z.string().min(1), base64: z.base64().min(1) }),
  device: deviceRecordSchema,
});

const deviceFileSchema = z.union([storedDeviceSchema, sealedDeviceSchema]);

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

export async function loadStoredDevice(configDir: string, cipher?: CredentialCipher): Promise<StoredDevice | undefined> {
  const file = path.join(configDir, deviceFileName);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const parsed = deviceFileSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new AppError('STORAGE_DAMAGED', { file });
  const stored = parsed.data;
  if ('credential' in stored) {
    // Written by the CLI (plain Node): seal it now that a key store is at hand.
    if (cipher?.available()) await saveStoredDevice(configDir, stored, cipher);
    return stored;
  }
  const { kind, base64 } = stored.sealedCredential;
  if (!cipher || cipher.kind !== kind || !cipher.available()) throw new AppError('DEVICE_CREDENTIAL_SEALED', { file, kind });
  let credential: string;
  try {
    credential = cipher.decrypt(Uint8Array.from(Buffer.from(base64, 'base64')));
  } catch (err) {
    throw new AppError('DEVICE_CREDENTIAL_SEALED', { file, kind, reason: err instanceof Error ? err.message : String(err) }, { cause: err });
  }
  const checked = deviceCredentialSchema.safeParse(credential);
  if (!checked.success) throw new AppError('STORAGE_DAMAGED', { file });
  return { centralUrl: stored.centralUrl, credential: checked.data, device: stored.device };
}

/** The session for `centralUrl`; none when this PC is not enrolled there (a credential never goes to another central). */
export async function deviceSessionFor(configDir: string, centralUrl: string, cipher?: CredentialCipher): Promise<DeviceSession | null> {
  const stored = await loadStoredDevice(configDir, cipher);
  if (!stored || !sameOrigin(stored.centralUrl, centralUrl)) return null;
  return { centralUrl: stored.centralUrl, credential: stored.credential };
}

/** Writes `device.json` (mode 0600) durably (durable-file.ts). Sealed when `cipher` is available. */
export async function saveStoredDevice(configDir: string, stored: StoredDevice, cipher?: CredentialCipher): Promise<void> {
  const checked = storedDeviceSchema.parse(stored);
  const content: z.infer<typeof deviceFileSchema> = cipher?.available()
    ? { centralUrl: checked.centralUrl, sealedCredential: { kind: cipher.kind, base64: Buffer.from(cipher.encrypt(checked.credential)).toString('base64') }, device: checked.device }
    : checked;
  await writeFileDurably(path.join(configDir, deviceFileName), JSON.stringify(content, null, 2), 0o600);
}

/** Trades a one-time code for a credential at `centralUrl` and stores it. Errors carry the central's code. */
export async function enrollDevice(opts: {
  configDir: string;
  centralUrl: string;
  enrollmentCode: string;
  deviceName: string;
  fetch?: typeof fetch;
  /** The OS key store to seal the credential with (the Electron shell); none in plain Node. */
  cipher?: CredentialCipher;
  /** The unit/counter the installer says this PC is: the central refuses another's code without using it up. */
  expect?: { unitCode?: string; counterNo?: number };
}): Promise<StoredDevice> {
  const request = enrollRequestSchema.safeParse({ enrollmentCode: opts.enrollmentCode.trim().toUpperCase(), deviceName: opts.deviceName, ...(opts.expect ? { expect: opts.expect } : {}) });
  if (!request.success) throw new AppError('ENROLLMENT_CODE_INVALID', { reason: 'malformed' });
  const doFetch = opts.fetch ?? fetch;
  let res: Response;
  try {
    res = await doFetch(new URL(pathFor('enroll'), opts.centralUrl), {
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
  await saveStoredDevice(opts.configDir, stored, opts.cipher);
  return stored;
}

/** True when the stored credential still opens `centralUrl` (GET devices/self answers 200). */
export async function deviceStillValid(stored: StoredDevice, centralUrl: string, doFetch: typeof fetch = fetch): Promise<boolean> {
  if (!sameOrigin(stored.centralUrl, centralUrl)) return false;
  try {
    const res = await doFetch(new URL(pathFor('deviceSelf'), centralUrl), { headers: { authorization: `Bearer ${stored.credential}` } });
    return res.ok;
  } catch {
    return false;
  }
}
