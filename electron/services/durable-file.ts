/**
 * Small files that must survive a power cut whole: written to a temporary file beside the target, flushed
 * (fsync), renamed over it, and (except on Windows) the folder flushed so the rename itself is on disk. A
 * crash leaves the old file or the new one, never half of one. (central/ has its own copy: it may not
 * import from electron/.)
 */
import { mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';

export async function writeFileDurably(file: string, content: string, mode = 0o600): Promise<void> {
  const dir = path.dirname(file);
  await mkdir(dir, { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  try {
    const handle = await open(temp, 'w', mode);
    try {
      // The mode again: a temp file left by a crash keeps the mode it was created with.
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
