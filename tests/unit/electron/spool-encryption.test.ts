// Issue 17 finding 8 on main's side: the data key (sealed by the OS key store, or an owner-only file in plain
// Node) and the dossier spool written sealed with it — round trip, no personal data on disk, old plaintext
// entries still read, and altered or swapped ciphertext detected as SPOOL_DAMAGED.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CredentialCipher } from '../../../electron/services/credential-cipher';
import { dataKeyDirName, dataKeyFileName, loadOrCreateDataKey } from '../../../electron/services/data-key';
import { dossierSpoolDirName, openDossierSpool } from '../../../electron/services/dossier-spool';
import type { SpoolEntry } from '../../../shared/ipc/contract';
import { spoolEntryOf } from '../../../renderer/src/db/dossier-spool';
import { testDossierWithFiles } from '../../support/counter-dossier';
import { errorCodeOf } from '../../support/app-error';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'motcua-spool-enc-'));
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** Plays the OS key store: what one instance seals, another (another account or PC) cannot open. */
function standInKeyStore(available = true): CredentialCipher {
  const key = randomBytes(32);
  return {
    kind: 'test-key-store',
    available: () => available,
    encrypt(plainText) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plainText, 'utf8'), cipher.final()]);
      return new Uint8Array(Buffer.concat([iv, cipher.getAuthTag(), body]));
    },
    decrypt(sealed) {
      const bytes = Buffer.from(sealed);
      const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12));
      decipher.setAuthTag(bytes.subarray(12, 28));
      return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}

const name = 'Đặng Thị Ngọc Huyền';
const idNumber = '036199004321';
const pdfText = `%PDF-1.7 trang scan của ${name}`;

function entry(): SpoolEntry {
  const { dossier, files } = testDossierWithFiles(3, [new TextEncoder().encode(pdfText)], { fullName: name });
  return spoolEntryOf({ ...dossier, applicant: { ...dossier.applicant, idNumber } }, files);
}

/** Every byte under `dir`, as UTF-8 and as Latin-1 text. */
async function everythingUnder(dir: string): Promise<string> {
  const out: string[] = [];
  for (const item of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!item.isFile()) continue;
    const bytes = await readFile(path.join(item.parentPath, item.name));
    out.push(bytes.toString('utf8'), bytes.toString('latin1'));
  }
  return out.join('\n');
}

describe('the data key', () => {
  it('is made once, owner-only, and the same key comes back', async () => {
    const dir = await tempDir();
    const key = await loadOrCreateDataKey(dir);
    expect(key.byteLength).toBe(32);
    expect(await loadOrCreateDataKey(dir)).toEqual(key);
    if (process.platform !== 'win32') {
      expect((await stat(path.join(dir, dataKeyDirName))).mode & 0o777).toBe(0o700);
      expect((await stat(path.join(dir, dataKeyDirName, dataKeyFileName))).mode & 0o777).toBe(0o600);
    }
  });

  it('is sealed by the OS key store when one is available, and never replaced when it cannot be opened', async () => {
    const dir = await tempDir();
    const plainKey = await loadOrCreateDataKey(dir);
    const store = standInKeyStore();
    // A plain key (the web host, the CLI) is sealed once a key store is at hand; the key stays the same.
    expect(await loadOrCreateDataKey(dir, store)).toEqual(plainKey);
    const file = path.join(dir, dataKeyDirName, dataKeyFileName);
    const text = await readFile(file, 'utf8');
    expect(text).not.toContain(Buffer.from(plainKey).toString('base64'));
    expect(JSON.parse(text)).toMatchObject({ sealed: { kind: 'test-key-store' } });
    expect(await loadOrCreateDataKey(dir, store)).toEqual(plainKey);
    // Another account (another key store instance), or none: a clear error, and the file is left alone.
    expect(await errorCodeOf(loadOrCreateDataKey(dir, standInKeyStore()))).toBe('DATA_KEY_UNAVAILABLE');
    expect(await errorCodeOf(loadOrCreateDataKey(dir))).toBe('DATA_KEY_UNAVAILABLE');
    expect(await readFile(file, 'utf8')).toBe(text);
  });
});

describe('the dossier spool, sealed with the data key', () => {
  it('round-trips an entry while no name, ID number or file bytes are on disk in clear', async () => {
    const dir = await tempDir();
    const dataKey = await loadOrCreateDataKey(dir);
    const spool = openDossierSpool(dir, { dataKey: () => Promise.resolve(dataKey) });
    const one = entry();
    await spool.prepare(one);
    await spool.prepare(one); // the same content again is recognised through the seal
    await spool.commit({ dossierIds: [one.dossier.id] });
    const read = await openDossierSpool(dir, { dataKey: () => Promise.resolve(dataKey) }).read(one.dossier.id);
    expect(read.entry.dossier).toEqual(one.dossier);
    expect(new TextDecoder().decode(read.entry.files[0]!.bytes)).toBe(pdfText);
    expect(await spool.list()).toMatchObject([{ dossierId: one.dossier.id, code: one.dossier.code, state: 'committed' }]);

    const disk = await everythingUnder(path.join(dir, dossierSpoolDirName));
    for (const secret of [name, idNumber, 'trang scan', one.dossier.code]) expect(disk).not.toContain(secret);
  });

  it('still reads an entry written before encryption', async () => {
    const dir = await tempDir();
    const one = entry();
    await openDossierSpool(dir).prepare(one);
    const dataKey = await loadOrCreateDataKey(dir);
    const read = await openDossierSpool(dir, { dataKey: () => Promise.resolve(dataKey) }).read(one.dossier.id);
    expect(read.entry.dossier).toEqual(one.dossier);
  });

  it('detects an altered byte, a file moved from another entry, and another key', async () => {
    const dir = await tempDir();
    const dataKey = await loadOrCreateDataKey(dir);
    const spool = openDossierSpool(dir, { dataKey: () => Promise.resolve(dataKey) });
    const one = entry();
    const two = entry();
    await spool.prepare(one);
    await spool.prepare(two);
    const oneDir = path.join(dir, dossierSpoolDirName, one.dossier.id);
    const twoDir = path.join(dir, dossierSpoolDirName, two.dossier.id);

    const otherKey = openDossierSpool(dir, { dataKey: () => Promise.resolve(new Uint8Array(randomBytes(32))) });
    expect(await errorCodeOf(otherKey.read(one.dossier.id))).toBe('SPOOL_DAMAGED');

    // The other entry's (valid) sealed file put in place of this one's: its name is bound to its folder.
    await writeFile(path.join(oneDir, '0.pdf'), await readFile(path.join(twoDir, '0.pdf')));
    expect(await errorCodeOf(spool.read(one.dossier.id))).toBe('SPOOL_DAMAGED');

    const record = await readFile(path.join(twoDir, 'dossier.json'));
    record[record.byteLength - 20] = record[record.byteLength - 20]! ^ 0x01;
    await writeFile(path.join(twoDir, 'dossier.json'), record);
    expect(await errorCodeOf(spool.read(two.dossier.id))).toBe('SPOOL_DAMAGED');
  });
});
