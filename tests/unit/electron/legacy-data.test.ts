/**
 * An update from a version that kept its data in Electron's default userData moves it into the counter's data
 * folder before anything opens it (electron/services/legacy-data.ts): the unsent queue is not left behind.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { moveLegacyCounterData } from '../../../electron/services/legacy-data';

const roots: string[] = [];
afterEach(async () => Promise.all(roots.splice(0).map((r) => rm(r, { recursive: true, force: true }))));

async function layout(): Promise<{ legacy: string; data: string }> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'motcua-legacy-'));
  roots.push(root);
  const legacy = path.join(root, 'Roaming', 'Motcua Kiosk');
  await mkdir(path.join(legacy, 'IndexedDB', 'app_motcua_0.indexeddb.leveldb'), { recursive: true });
  await writeFile(path.join(legacy, 'config.json'), '{"counterNo":3}');
  await writeFile(path.join(legacy, 'device.json'), '{}');
  await writeFile(path.join(legacy, 'IndexedDB', 'app_motcua_0.indexeddb.leveldb', 'CURRENT'), 'MANIFEST-000001\n');
  return { legacy, data: path.join(root, 'Local', 'Motcua') };
}

describe('moving a legacy userData folder', () => {
  it('moves config, credential and IndexedDB into the new data folder, and removes the emptied old one', async () => {
    const { legacy, data } = await layout();
    expect(moveLegacyCounterData(legacy, data)).toEqual({ state: 'moved', entries: 3, leftBehind: [] });
    expect(await readFile(path.join(data, 'config.json'), 'utf8')).toBe('{"counterNo":3}');
    expect(await readFile(path.join(data, 'IndexedDB', 'app_motcua_0.indexeddb.leveldb', 'CURRENT'), 'utf8')).toBe('MANIFEST-000001\n');
    expect(existsSync(legacy)).toBe(false);
    // A second start has nothing to move.
    expect(moveLegacyCounterData(legacy, data)).toEqual({ state: 'nothing' });
  });

  it('keeps what the installer already put in the new folder, and leaves the old copy of it for IT', async () => {
    const { legacy, data } = await layout();
    await mkdir(data, { recursive: true });
    await writeFile(path.join(data, 'installer-preset.json'), '{"counterNo":4}');
    await writeFile(path.join(legacy, 'installer-preset.json'), 'old');
    const moved = moveLegacyCounterData(legacy, data);
    expect(moved).toEqual({ state: 'moved', entries: 3, leftBehind: ['installer-preset.json'] });
    expect(await readFile(path.join(data, 'installer-preset.json'), 'utf8')).toBe('{"counterNo":4}');
    expect(await readdir(legacy)).toEqual(['installer-preset.json']);
  });

  it('does nothing when the new folder is already configured, or the old one never was', async () => {
    const { legacy, data } = await layout();
    await mkdir(data, { recursive: true });
    await writeFile(path.join(data, 'config.json'), '{}');
    expect(moveLegacyCounterData(legacy, data)).toEqual({ state: 'nothing' });
    expect(existsSync(path.join(legacy, 'config.json'))).toBe(true);

    const empty = path.join(path.dirname(legacy), 'never-configured');
    await mkdir(empty);
    expect(moveLegacyCounterData(empty, path.join(path.dirname(data), 'other'))).toEqual({ state: 'nothing' });
    expect(moveLegacyCounterData(legacy, legacy)).toEqual({ state: 'nothing' });
  });
});
