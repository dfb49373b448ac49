/**
 * Counters installed before the data folder was fixed (data-location.ts) kept everything in Electron's default
 * `userData` (`%APPDATA%\<app name>`, the roaming profile). On the first start of a newer version, that folder's
 * content is moved — not copied — into the counter's data folder, before Chromium opens anything, so the queue,
 * config.json, device.json and the IndexedDB go on as they were (same Windows user: the DPAPI-sealed keys still
 * open). Without this, an update would start an empty counter beside unsent dossiers.
 *
 * Moved only when the old folder holds a `config.json` and the new one does not (the installer may already
 * have put a preset there: entries of the same name in the new folder are kept, the old ones stay behind for IT).
 * Synchronous on purpose: main calls it before the app is ready.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmdirSync } from 'node:fs';
import path from 'node:path';

export type LegacyMove = { readonly state: 'nothing' } | { readonly state: 'moved'; readonly entries: number; readonly leftBehind: readonly string[] };

export function moveLegacyCounterData(legacyDir: string, dataDir: string): LegacyMove {
  if (path.resolve(legacyDir) === path.resolve(dataDir)) return { state: 'nothing' };
  if (!existsSync(path.join(legacyDir, 'config.json')) || existsSync(path.join(dataDir, 'config.json'))) return { state: 'nothing' };
  const leftBehind: string[] = [];
  let moved = 0;
  for (const name of readdirSync(legacyDir)) {
    const target = path.join(dataDir, name);
    if (existsSync(target)) {
      leftBehind.push(name);
      continue;
    }
    // Same user profile, normally the same volume: a rename is atomic per entry. A failure (another volume)
    // stops the start with the error, rather than starting an empty counter.
    mkdirSync(dataDir, { recursive: true });
    renameSync(path.join(legacyDir, name), target);
    moved += 1;
  }
  if (leftBehind.length === 0) {
    try {
      rmdirSync(legacyDir);
    } catch {
      // Not empty after all (a file appeared): left for IT.
    }
  }
  return { state: 'moved', entries: moved, leftBehind };
}
