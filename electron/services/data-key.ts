/**
 * The counter's data key (issue 17 finding 8; docs/storage.md "Encryption at rest"): 32 random bytes,
 * generated once per PC, that seal the personal fields and file bytes of the renderer's IndexedDB
 * (renderer/src/db/encryption.ts) and main's dossier spool (dossier-spool.ts).
 *
 * Kept in `<dataDir>/keys/data-key.json` (folder 0700, file 0600). With a `CredentialCipher` that is
 * available (the Electron shell: safeStorage — DPAPI, Keychain, libsecret) the file holds the key sealed by
 * the OS key store, so a copy of the disk or of the profile is useless without the Windows account; in plain
 * Node (the web host, the CLI) the file holds the key itself, protected by its owner-only mode. A plain key is
 * sealed the first time a key store is at hand. A key that cannot be opened is NEVER replaced by a new one:
 * that would make the data already sealed unreadable; DATA_KEY_UNAVAILABLE says what happened instead.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { AppError } from '../../shared/errors';
import type { CredentialCipher } from './credential-cipher';
import { writeFileDurably } from '../../shared-node/durable-file';

export const dataKeyDirName = 'keys';
export const dataKeyFileName = 'data-key.json';
const keyBytes = 32;

const base64Key = z.base64().refine((b) => Buffer.from(b, 'base64').byteLength === keyBytes, '32 bytes');
const dataKeyFileSchema = z.union([
  z.object({ version: z.literal(1), key: base64Key }).strict(),
  z.object({ version: z.literal(1), sealed: z.object({ kind: z.string().min(1), base64: z.base64().min(1) }).strict() }).strict(),
]);

async function save(file: string, key: Uint8Array, cipher: CredentialCipher | undefined): Promise<void> {
  const base64 = Buffer.from(key).toString('base64');
  const content = cipher?.available() ? { version: 1, sealed: { kind: cipher.kind, base64: Buffer.from(cipher.encrypt(base64)).toString('base64') } } : { version: 1, key: base64 };
  await writeFileDurably(file, JSON.stringify(content), 0o600);
}

/** This PC's data key: read (and opened) from `<dataDir>/keys/`, or made there on first use. */
export async function loadOrCreateDataKey(dataDir: string, cipher?: CredentialCipher): Promise<Uint8Array> {
  const dir = path.join(dataDir, dataKeyDirName);
  const file = path.join(dir, dataKeyFileName);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  // Owner-only even when the folder or file came from elsewhere (a restored backup, an older version).
  await chmod(dir, 0o700);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new AppError('DATA_KEY_UNAVAILABLE', { reason: (err as NodeJS.ErrnoException).code ?? String(err) }, { cause: err });
    const key = new Uint8Array(randomBytes(keyBytes));
    await save(file, key, cipher);
    return key;
  }
  await chmod(file, 0o600);
  let parsed: z.infer<typeof dataKeyFileSchema>;
  try {
    parsed = dataKeyFileSchema.parse(JSON.parse(text));
  } catch (err) {
    throw new AppError('DATA_KEY_UNAVAILABLE', { reason: `${dataKeyFileName} is damaged` }, { cause: err });
  }
  if ('key' in parsed) {
    const key = new Uint8Array(Buffer.from(parsed.key, 'base64'));
    if (cipher?.available()) await save(file, key, cipher);
    return key;
  }
  const { kind, base64 } = parsed.sealed;
  if (!cipher || cipher.kind !== kind || !cipher.available()) throw new AppError('DATA_KEY_UNAVAILABLE', { reason: `sealed by ${kind}, which is not available to this user now` });
  let opened: string;
  try {
    opened = cipher.decrypt(new Uint8Array(Buffer.from(base64, 'base64')));
  } catch (err) {
    throw new AppError('DATA_KEY_UNAVAILABLE', { reason: `${kind} refused to open it (another user or another PC)` }, { cause: err });
  }
  const checked = base64Key.safeParse(opened);
  if (!checked.success) throw new AppError('DATA_KEY_UNAVAILABLE', { reason: `${dataKeyFileName} opened to something other than a key` });
  return new Uint8Array(Buffer.from(checked.data, 'base64'));
}
