// storage:disk-free: the counter host answers the free bytes of the volume holding the renderer's storage
// (statfs), measured here on a real 20 MB tmpfs; the renderer's space check then takes the smaller of that and
// the browser's estimate. Needs root to mount (skipped with the reason otherwise); the mount is removed after.
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCounterHost } from '../../electron/services/counter-host';
import { dispatchIpc } from '../../shared/ipc/dispatch';
import { checkStorageSpace } from '../../renderer/src/db/storage-space';
import { notRootReason, skipWithout } from '../support/requirements';

const MB = 1024 ** 2;
const GB = 1024 ** 3;
const isRoot = !skipWithout('a tmpfs mount', notRootReason());

let root: string;
let mountPoint: string;
let mounted = false;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'motcua-disk-free-'));
  mountPoint = path.join(root, 'volume');
  if (!isRoot) return;
  await mkdir(mountPoint);
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=20m', 'tmpfs', mountPoint]);
  mounted = true;
});

afterAll(async () => {
  if (mounted) execFileSync('umount', [mountPoint]);
  await rm(root, { recursive: true, force: true });
});

describe.skipIf(!isRoot)('storage:disk-free on a 20 MB tmpfs (needs root to mount)', () => {
  it('reports the volume, follows what is written to it, and wins over a larger browser estimate', async () => {
    const host = await openCounterHost({ dataDir: path.join(root, 'host'), storageDir: mountPoint, demo: true });
    const ask = async () => {
      const answer = await dispatchIpc(host.handlers, 'storage:disk-free', {}, () => undefined);
      if (!answer.ok) throw new Error(answer.error.code);
      return answer.value as { freeBytes: number; totalBytes: number };
    };
    const empty = await ask();
    expect(empty.totalBytes).toBe(20 * MB);
    expect(empty.freeBytes).toBe(20 * MB);

    await writeFile(path.join(mountPoint, 'queue.bin'), new Uint8Array(12 * MB));
    const after = await ask();
    expect(after.freeBytes).toBeLessThanOrEqual(8 * MB);
    expect(after.totalBytes).toBe(20 * MB);

    // The browser believes in 60 GB free; the disk has 8 MB: the disk wins, and new dossiers are refused.
    const space = await checkStorageSpace({ estimate: () => Promise.resolve({ usage: 1 * GB, quota: 61 * GB }) }, async () => (await ask()).freeBytes);
    expect(space).toMatchObject({ free: after.freeBytes, level: 'critical' });
  });
});
