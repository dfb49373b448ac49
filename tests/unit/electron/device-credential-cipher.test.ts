// The device credential sealed through the CredentialCipher port (electron/services/device.ts). Electron's
// safeStorage cannot run here (no Electron binary), so a stand-in cipher plays the OS key store: AES-256-GCM
// with a key that lives only in its instance — like DPAPI, another instance (another PC or account) cannot
// open what this one sealed. The real safeStorage adapter is only type-checked (electron/main/safe-storage-cipher.ts).
import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CredentialCipher } from '../../../electron/services/credential-cipher';
import { deviceFileName, deviceSessionFor, loadStoredDevice, saveStoredDevice, type StoredDevice } from '../../../electron/services/device';

function standInKeyStore(available = true): CredentialCipher & { readonly calls: string[] } {
  const key = randomBytes(32);
  const calls: string[] = [];
  return {
    kind: 'test-key-store',
    calls,
    available: () => available,
    encrypt(plainText) {
      calls.push('encrypt');
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plainText, 'utf8'), cipher.final()]);
      return new Uint8Array(Buffer.concat([iv, cipher.getAuthTag(), body]));
    },
    decrypt(sealed) {
      calls.push('decrypt');
      const bytes = Buffer.from(sealed);
      const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12));
      decipher.setAuthTag(bytes.subarray(12, 28));
      return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}

const stored: StoredDevice = {
  centralUrl: 'http://central.example.vn:8080',
  credential: `mcd_${'A1b2C3d4E5'.repeat(4)}xyz`,
  device: {
    deviceId: randomUUID(),
    deviceName: 'Máy quầy 1',
    unit: { code: '000.00.01.H22', name: 'UBND xã Thử Nghiệm' },
    counterNo: 1,
    enrolledAt: '2026-11-23T09:00:00+07:00',
    revokedAt: null,
  },
};

const dirs: string[] = [];
async function configDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'motcua-device-cipher-'));
  dirs.push(dir);
  return dir;
}
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

const fileText = (dir: string) => readFile(path.join(dir, deviceFileName), 'utf8');

describe('device credential sealed by the OS key store (CredentialCipher port)', () => {
  it('writes only the sealed form (mode 0600) and reads it back with the same store', async () => {
    const dir = await configDir();
    const store = standInKeyStore();
    await saveStoredDevice(dir, stored, store);
    const text = await fileText(dir);
    expect(text).not.toContain(stored.credential);
    expect(JSON.parse(text)).toMatchObject({ centralUrl: stored.centralUrl, sealedCredential: { kind: 'test-key-store' }, device: stored.device });
    expect((await stat(path.join(dir, deviceFileName))).mode & 0o777).toBe(0o600);
    expect(await loadStoredDevice(dir, store)).toEqual(stored);
    expect(await deviceSessionFor(dir, `${stored.centralUrl}/`, store)).toEqual({ centralUrl: stored.centralUrl, credential: stored.credential });
  });

  it('refuses, with a code the clerk can act on, without the store or with another one', async () => {
    const dir = await configDir();
    await saveStoredDevice(dir, stored, standInKeyStore());
    await expect(loadStoredDevice(dir)).rejects.toMatchObject({ code: 'DEVICE_CREDENTIAL_SEALED' });
    await expect(loadStoredDevice(dir, standInKeyStore())).rejects.toMatchObject({ code: 'DEVICE_CREDENTIAL_SEALED' });
    await expect(loadStoredDevice(dir, standInKeyStore(false))).rejects.toMatchObject({ code: 'DEVICE_CREDENTIAL_SEALED' });
  });

  it('seals a plain file (written by the CLI) the first time the shell reads it', async () => {
    const dir = await configDir();
    await saveStoredDevice(dir, stored);
    expect(JSON.parse(await fileText(dir))).toMatchObject({ credential: stored.credential });
    const store = standInKeyStore();
    expect(await loadStoredDevice(dir, store)).toEqual(stored);
    expect(await fileText(dir)).not.toContain(stored.credential);
    expect(await loadStoredDevice(dir, store)).toEqual(stored);
    expect(store.calls).toEqual(['encrypt', 'decrypt']);
  });

  it('keeps the plain 0600 file when the store cannot protect a secret (no keyring), and in plain Node', async () => {
    const dir = await configDir();
    const unavailable = standInKeyStore(false);
    await saveStoredDevice(dir, stored, unavailable);
    expect(JSON.parse(await fileText(dir))).toMatchObject({ credential: stored.credential });
    expect(await loadStoredDevice(dir, unavailable)).toEqual(stored);
    expect(await loadStoredDevice(dir)).toEqual(stored);
    expect(unavailable.calls).toEqual([]);
  });
});
