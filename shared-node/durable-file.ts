/**
 * Files that must survive a power cut whole: written to a temporary file beside the target, flushed (fsync),
 * renamed over it, and (except on Windows) the folder flushed so the rename itself is on disk. A crash leaves the
 * old file or the new one, never half of one. The one writer of the counter's small state files (configuration,
 * device credential, data key, ledgers) and of the central's stored files on disk.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';

/**
 * Writes `content` to `file` durably, the file created with `mode` (and the folder, when missing, with `dirMode`,
 * else the umask's default).
 */
export async function writeFileDurably(file: string, content: string | Uint8Array, mode = 0o600, dirMode?: number): Promise<void> {
  const dir = path.dirname(file);
  await mkdir(dir, { recursive: true, ...(dirMode === undefined ? {} : { mode: dirMode }) });
  // A temporary name of its own per write: two writes of one file at once (two requests, two processes) never
  // share, truncate or rename each other's temporary file.
  const temp = path.join(dir, `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx', mode);
    try {
      // The mode again: the umask may have narrowed it at creation, and what is asked for is what is meant.
      await handle.chmod(mode);
      await handle.writeFile(content);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
  await flushFolder(dir);
}

/** Flushes a folder's entries (a rename into it) to disk. */
export async function flushFolder(dir: string): Promise<void> {
  // Windows cannot open a folder for flushing (EISDIR); NTFS journals the rename itself.
  if (process.platform === 'win32') return;
  const folder = await open(dir, 'r');
  try {
    await folder.sync();
  } finally {
    await folder.close();
  }
}
