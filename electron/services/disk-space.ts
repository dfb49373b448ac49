/**
 * Free space of the disk volume holding a directory, from the operating system (statfs). Electron treats
 * IndexedDB as persistent and unlimited, so `navigator.storage.estimate()` in the renderer reports a quota
 * that says little about the disk; a full disk is what corrupts the database.
 */
import { statfs } from 'node:fs/promises';

export interface DiskSpace {
  /** Bytes an unprivileged process may still write (`bavail`, not `bfree`: root's reserve is not ours). */
  readonly freeBytes: number;
  readonly totalBytes: number;
}

export async function diskSpaceOf(dir: string): Promise<DiskSpace> {
  const stats = await statfs(dir);
  return { freeBytes: stats.bavail * stats.bsize, totalBytes: stats.blocks * stats.bsize };
}
