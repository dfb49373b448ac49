/**
 * Received PDFs, content-addressed: `<dataDir>/files/<sha256>.pdf`. Written temp + fsync + rename + fsync of
 * the directory, so a crash leaves either the whole file or none, never a torn one under its final name.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';

export class ReceivedFiles {
  constructor(private readonly dataDir: string) {}

  static readonly folder = 'files';

  /** The path stored in the database: relative to the data directory, so the directory may move. */
  relativePath(sha256: string): string {
    return `${ReceivedFiles.folder}/${sha256}.pdf`;
  }

  absolutePath(relativePath: string): string {
    return path.join(this.dataDir, ...relativePath.split('/'));
  }

  async init(): Promise<void> {
    await mkdir(path.join(this.dataDir, ReceivedFiles.folder), { recursive: true });
  }

  /** Stores `bytes` (whose SHA-256 the caller has checked) unless a complete copy is already there. */
  async put(sha256: string, bytes: Uint8Array): Promise<string> {
    const relative = this.relativePath(sha256);
    const target = this.absolutePath(relative);
    const existing = await stat(target).catch(() => undefined);
    // Same name = same hash; a present file of the right size was completed by an earlier rename.
    if (existing?.size === bytes.byteLength) return relative;

    const dir = path.dirname(target);
    const temp = path.join(dir, `.${sha256}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      const handle = await open(temp, 'wx');
      try {
        await handle.writeFile(bytes);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, target);
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
    const dirHandle = await open(dir, 'r');
    try {
      await dirHandle.sync();
    } finally {
      await dirHandle.close();
    }
    return relative;
  }

  async read(relativePath: string): Promise<Uint8Array> {
    return new Uint8Array(await readFile(this.absolutePath(relativePath)));
  }
}
