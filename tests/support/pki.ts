/**
 * The test PKI, generated once per checkout into tests/.cache/pki (gitignored). Several vitest workers may
 * ask at the same time: each generates into its own temp dir and renames it into place; the loser of the
 * race discards its copy and uses the winner's.
 */
import { mkdir, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDemoPki, type DemoPki } from '../../electron/services/signing/demo-pki';

export type { DemoPki };
export { DEMO_P12_PASSWORD } from '../../electron/services/signing/demo-pki';

const cacheDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '.cache');
export const testPkiDir = path.join(cacheDir, 'pki');

let pending: Promise<DemoPki> | undefined;

export function getTestPki(): Promise<DemoPki> {
  pending ??= loadOrCreate();
  return pending;
}

async function loadOrCreate(): Promise<DemoPki> {
  if (await isDir(testPkiDir)) return ensureDemoPki(testPkiDir);
  await mkdir(cacheDir, { recursive: true });
  const staging = await mkdtemp(path.join(cacheDir, 'pki-staging-'));
  try {
    await ensureDemoPki(staging);
    await rename(staging, testPkiDir);
  } catch (err) {
    // Another worker renamed its set into place first (ENOTEMPTY/EEXIST): use that one.
    await rm(staging, { recursive: true, force: true });
    if (!(await isDir(testPkiDir))) throw err;
  }
  return ensureDemoPki(testPkiDir);
}

async function isDir(dir: string): Promise<boolean> {
  try {
    return (await stat(dir)).isDirectory();
  } catch {
    return false;
  }
}
