/**
 * Issue 17, finding 7, against the real `motcua central` process: everything it creates in its data directory
 * (database and WAL, uploads, stored files, admin token, lock) is owner-only — directories 0700, files 0600 —
 * and it refuses to start on existing data another user could read or change, naming the chmod that fixes it.
 */
import { randomUUID } from 'node:crypto';
import { chmod, lstat, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeCommit, makeSignedPdf, putCommit, startCentralProcess, tusUpload } from '../support/central-process';

const roots: string[] = [];
afterAll(async () => {
  for (const root of roots) await rm(root, { recursive: true, force: true });
});

/** Every entry under `root` (itself included) with its permission bits, symbolic links left out. */
async function modesUnder(root: string): Promise<Array<{ entry: string; dir: boolean; mode: number }>> {
  const found: Array<{ entry: string; dir: boolean; mode: number }> = [];
  const walk = async (entry: string): Promise<void> => {
    const info = await lstat(entry);
    if (info.isSymbolicLink()) return;
    found.push({ entry: path.relative(root, entry) || '.', dir: info.isDirectory(), mode: info.mode & 0o777 });
    if (info.isDirectory()) for (const name of await readdir(entry)) await walk(path.join(entry, name));
  };
  await walk(root);
  return found;
}

describe('the central data directory', () => {
  it('is created owner-only, and a directory opened to others is refused with the chmod to run', { timeout: 180_000 }, async () => {
    const parent = await mkdtemp(path.join(os.tmpdir(), 'motcua-central-modes-'));
    roots.push(parent);
    // A directory the central creates itself (below a parent that exists), as on a first installation.
    const dataDir = path.join(parent, 'central');
    const central = await startCentralProcess({ dataDir });
    try {
      // Fill it: an upload, a committed dossier (files/), the database's WAL.
      const pdf = await makeSignedPdf({ paddingBytes: 2_000 });
      const id = randomUUID();
      const uploadUrl = await tusUpload(central, pdf, { dossierId: id });
      expect((await putCommit(central, id, makeCommit(id, [{ bytes: pdf, uploadUrl }]))).status).toBe(201);
      const pending = randomUUID();
      await tusUpload(central, pdf, { dossierId: pending });

      const modes = await modesUnder(dataDir);
      const names = modes.map((m) => m.entry);
      expect(names).toContain('db');
      expect(names.some((n) => n.startsWith('files/'))).toBe(true);
      expect(names.some((n) => n.startsWith('uploads/'))).toBe(true);
      expect(modes.length).toBeGreaterThan(50);
      expect(modes.filter((m) => (m.mode & 0o077) !== 0)).toEqual([]);
      expect(modes.filter((m) => m.dir && m.mode !== 0o700)).toEqual([]);
    } finally {
      await central.kill('SIGTERM');
    }

    // Someone opened the directory to everyone: the central does not start on it.
    await chmod(dataDir, 0o777);
    const refused = startCentralProcess({ dataDir, enroll: false, startTimeoutMs: 60_000 });
    await expect(refused).rejects.toThrow(/người dùng khác đọc hoặc ghi được[\s\S]*chmod -R u=rwX,go= /);
    expect((await lstat(dataDir)).mode & 0o777).toBe(0o777);

    // One readable file deep inside is enough to refuse, too; after the chmod it names, it starts again.
    await chmod(dataDir, 0o700);
    const deep = (await modesUnder(dataDir)).find((m) => !m.dir && m.entry.startsWith('db/'));
    if (!deep) throw new Error('no database file');
    await chmod(path.join(dataDir, deep.entry), 0o644);
    await expect(startCentralProcess({ dataDir, enroll: false })).rejects.toThrow(new RegExp(deep.entry.replaceAll('/', '\\/').replaceAll('.', '\\.')));
    await chmod(path.join(dataDir, deep.entry), 0o600);
    const again = await startCentralProcess({ dataDir, enroll: false });
    await again.kill('SIGTERM');
  });
});
