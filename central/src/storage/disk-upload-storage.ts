/** tus uploads in progress under `<dataDir>/uploads`: `<id>` (bytes) + `<id>.json` (@tus/file-store's layout). */
import { constants } from 'node:fs';
import { access, mkdir, open, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { FileStore } from '@tus/file-store';
import { OWNER_ONLY_DIR_MODE } from '../data-modes';
import { sweepStaleUploads } from '../upload-sweep';
import { uploadIdPattern } from '../uploads';
import { notFoundError } from './file-storage';
import type { UploadStorage } from './upload-storage';

export class DiskUploadStorage implements UploadStorage {
  readonly kind = 'disk';
  readonly datastore: FileStore;

  constructor(private readonly uploadsDir: string) {
    this.datastore = new FileStore({ directory: uploadsDir });
  }

  async init(): Promise<void> {
    await mkdir(this.uploadsDir, { recursive: true, mode: OWNER_ONLY_DIR_MODE });
  }

  private fileOf(uploadId: string): string | undefined {
    return uploadIdPattern.test(uploadId) ? path.join(this.uploadsDir, uploadId) : undefined;
  }

  async openRead(uploadId: string): Promise<Readable> {
    const file = this.fileOf(uploadId);
    if (!file) throw notFoundError(uploadId);
    // Opened here so a missing upload rejects now (ENOENT), not later in the middle of the stream.
    const handle = await open(file, 'r');
    return handle.createReadStream();
  }

  async remove(uploadId: string): Promise<void> {
    const file = this.fileOf(uploadId);
    if (!file) return;
    await rm(file, { force: true });
    await rm(`${file}.json`, { force: true });
  }

  sweep(opts: Parameters<UploadStorage['sweep']>[0]): ReturnType<UploadStorage['sweep']> {
    return sweepStaleUploads({ ...opts, uploadsDir: this.uploadsDir });
  }

  async probe(): Promise<void> {
    await access(this.uploadsDir, constants.W_OK);
  }
}
