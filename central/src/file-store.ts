/**
 * Where the central keeps file bytes (received PDFs, result documents), behind a small interface: disk now;
 * an S3-compatible object store can implement the same four calls later (keys are already object names).
 */
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { OWNER_ONLY_DIR_MODE, OWNER_ONLY_FILE_MODE } from './data-modes';
import path from 'node:path';
import type { Readable } from 'node:stream';

export interface FileStorage {
  /** Stores `bytes` (whose SHA-256 the caller has checked) under `key` unless a complete copy is there; durable on return. */
  put(key: string, bytes: Uint8Array): Promise<void>;
  read(key: string): Promise<Uint8Array>;
  /** A stream of the bytes, for HTTP answers. */
  openRead(key: string): Readable;
  /** Size in bytes, or undefined when absent. */
  size(key: string): Promise<number | undefined>;
}

/** The key of a content-addressed PDF: `files/<sha256>.pdf` (received) or `results/<sha256>.pdf`. */
export function contentKey(folder: 'files' | 'results', sha256: string): string {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`not a SHA-256: ${sha256}`);
  return `${folder}/${sha256}.pdf`;
}

/**
 * Files under the data directory, key = relative path (so the directory may move). Written temp + fsync +
 * rename + fsync of the directory, so a crash leaves either the whole file or none under its final name.
 */
export class DiskFileStorage implements FileStorage {
  constructor(private readonly rootDir: string) {}

  absolutePath(key: string): string {
    const parts = key.split('/');
    if (parts.some((p) => p === '' || p === '.' || p === '..')) throw new Error(`bad storage key: ${key}`);
    return path.join(this.rootDir, ...parts);
  }

  async init(): Promise<void> {
    // Owner-only (data-modes.ts): the files are citizens' documents.
    await mkdir(path.join(this.rootDir, 'files'), { recursive: true, mode: OWNER_ONLY_DIR_MODE });
    await mkdir(path.join(this.rootDir, 'results'), { recursive: true, mode: OWNER_ONLY_DIR_MODE });
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    const target = this.absolutePath(key);
    const existing = await stat(target).catch(() => undefined);
    // Same key = same hash; a present file of the right size was completed by an earlier rename.
    if (existing?.size === bytes.byteLength) return;

    const dir = path.dirname(target);
    await mkdir(dir, { recursive: true, mode: OWNER_ONLY_DIR_MODE });
    const temp = path.join(dir, `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      const handle = await open(temp, 'wx', OWNER_ONLY_FILE_MODE);
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
  }

  async read(key: string): Promise<Uint8Array> {
    return new Uint8Array(await readFile(this.absolutePath(key)));
  }

  openRead(key: string): Readable {
    return createReadStream(this.absolutePath(key));
  }

  async size(key: string): Promise<number | undefined> {
    return (await stat(this.absolutePath(key)).catch(() => undefined))?.size;
  }
}
