/**
 * Stored files under the data directory (the embedded default), key = relative path so the directory may move.
 * Written durably (shared-node/durable-file.ts: temp + fsync + rename + fsync of the directory), so a crash leaves
 * either the whole file or none under its final name.
 */
import { createHash } from 'node:crypto';
import { constants, createReadStream } from 'node:fs';
import { access, mkdir, readdir, readFile, rm, stat, utimes } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { writeFileDurably } from '../../../shared-node/durable-file';
import { OWNER_ONLY_DIR_MODE, OWNER_ONLY_FILE_MODE } from '../data-modes';
import { StorageDigestError, type FileStorage, type PutChecks, type StoredObject } from './file-storage';

export class DiskFileStorage implements FileStorage {
  readonly kind = 'disk';

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

  async put(key: string, bytes: Uint8Array, checks: PutChecks = {}): Promise<void> {
    // The same check S3 makes with Content-MD5: bytes changed since the caller hashed them are not stored.
    if (checks.md5Base64 !== undefined && createHash('md5').update(bytes).digest('base64') !== checks.md5Base64) throw new StorageDigestError(key);
    const target = this.absolutePath(key);
    const existing = await stat(target).catch(() => undefined);
    // Same key = same hash; a present file of the right size was completed by an earlier rename.
    if (existing?.size === bytes.byteLength) {
      const now = new Date();
      await utimes(target, now, now); // refreshed: see FileStorage.put
      return;
    }

    await writeFileDurably(target, bytes, OWNER_ONLY_FILE_MODE, OWNER_ONLY_DIR_MODE);
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

  async stat(key: string): Promise<StoredObject | undefined> {
    const info = await stat(this.absolutePath(key)).catch(() => undefined);
    return info?.isFile() ? { key, size: info.size, lastModified: info.mtime } : undefined;
  }

  async delete(key: string): Promise<void> {
    await rm(this.absolutePath(key), { force: true });
  }

  async *list(prefix: string): AsyncIterable<StoredObject> {
    // Keys are `<folder>/<name>`: list the folder the prefix names, keep the names it starts with.
    const slash = prefix.lastIndexOf('/');
    const folder = slash < 0 ? '' : prefix.slice(0, slash);
    const names = await readdir(folder ? this.absolutePath(folder) : this.rootDir).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return [] as string[];
      throw err;
    });
    for (const name of names.sort()) {
      const key = folder ? `${folder}/${name}` : name;
      // Temp files of a write under way (`.<name>.<random>.tmp`) are not stored objects.
      if (name.startsWith('.') || !key.startsWith(prefix)) continue;
      const info = await stat(this.absolutePath(key)).catch(() => undefined);
      if (info?.isFile()) yield { key, size: info.size, lastModified: info.mtime };
    }
  }

  async probe(): Promise<void> {
    await access(path.join(this.rootDir, 'files'), constants.W_OK);
  }
}
