/**
 * Specs that read the counter's IndexedDB straight (no app code in the page) meet sealed values since issue 17
 * finding 8 (renderer/src/db/encryption.ts). This opens them on the test's side with the web host's own data
 * key (`<dataDir>/keys/data-key.json`, plain in the web host), found by the page's origin.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { importDataKeys, openValue, type DataKeys } from '../../renderer/src/db/encryption';
import { dataKeyDirName, dataKeyFileName } from '../../electron/services/data-key';

const dataDirs = new Map<string, string>();

/** Called by startWebHostProcess: pages served from `url` use the data key under `dataDir`. */
export function registerHostDataDir(url: string, dataDir: string): void {
  dataDirs.set(new URL(url).origin, dataDir);
}

async function keysFor(pageUrl: string): Promise<DataKeys> {
  const dataDir = dataDirs.get(new URL(pageUrl).origin);
  if (!dataDir) throw new Error(`no web host known for ${pageUrl}`);
  const file = JSON.parse(await readFile(path.join(dataDir, dataKeyDirName, dataKeyFileName), 'utf8')) as { key?: string };
  if (!file.key) throw new Error('the web host keeps its data key sealed');
  return importDataKeys(new Uint8Array(Buffer.from(file.key, 'base64')));
}

/**
 * A value as the page read it: `{ clear }` (base64 bytes stored as they are) or `{ sealed }` (base64 of the
 * `$sealed` bytes). `where` is the table and field, e.g. `fileChunks.data`.
 */
export type RawStoredBytes = { readonly clear: string } | { readonly sealed: string };

export async function storedBytes(pageUrl: string, where: string, raw: RawStoredBytes): Promise<Buffer> {
  if ('clear' in raw) return Buffer.from(raw.clear, 'base64');
  const opened = await openValue(await keysFor(pageUrl), where, { $sealed: new Uint8Array(Buffer.from(raw.sealed, 'base64')) });
  if (!(opened instanceof Uint8Array)) throw new Error(`${where} did not hold bytes`);
  return Buffer.from(opened);
}

/**
 * A field as the page read it straight from IndexedDB, opened when it is sealed (`{ $sealed: bytes }`) and
 * returned as it is otherwise. `where` is the table and field, e.g. `dossiers.applicant`.
 */
export async function storedValue(pageUrl: string, where: string, raw: unknown): Promise<unknown> {
  if (raw === null || typeof raw !== 'object' || !('$sealed' in raw)) return raw;
  const bytes = (raw).$sealed;
  const sealed = bytes instanceof Uint8Array ? bytes : new Uint8Array(Object.values(bytes as Record<string, number>));
  return openValue(await keysFor(pageUrl), where, { $sealed: sealed });
}
