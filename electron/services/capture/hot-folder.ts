/**
 * The hot folder: a vendor's scanning software (Canon CaptureOnTouch, Fujitsu PaperStream, an MFP's
 * scan-to-folder) writes files into a configured folder; each is taken once complete — its size and
 * modification time unchanged across consecutive polls, and not zero — then moved to the archive folder, so
 * a file is imported once and never lost. Polling instead of fs.watch: watch events are unreliable on
 * network shares (SMB), which is where MFPs write.
 */
import { mkdir, readdir, readFile, rename, copyFile, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../../shared/errors';
import type { CaptureDevice } from '../../../shared/capture/capture';
import { sleep, type CaptureSource, type RawPage, type ScanRequest } from './source';

export interface HotFolderConfig {
  readonly label: string;
  readonly path: string;
  /** Where imported files go (default `<path>/da-nhan`). */
  readonly archivePath?: string;
  readonly pollMs?: number;
  /** Polls a file's size must stay the same before it is taken (default 2). */
  readonly stablePolls?: number;
}

interface Seen {
  readonly size: number;
  readonly mtimeMs: number;
  readonly polls: number;
}

/** Partial files some scanner software writes before renaming: never taken. */
const temporaryName = /(\.(tmp|part|crdownload|partial|lock)|~)$|^\./i;

function archivePathOf(config: HotFolderConfig): string {
  return config.archivePath ?? path.join(config.path, 'da-nhan');
}

export class HotFolderSource implements CaptureSource {
  readonly kind = 'hot-folder' as const;

  constructor(private readonly folders: readonly HotFolderConfig[]) {}

  private folder(id: string): HotFolderConfig {
    const found = this.folders.find((f) => f.path === id);
    if (!found) throw new AppError('CAPTURE_DEVICE_NOT_FOUND', { device: id });
    return found;
  }

  listDevices(): Promise<CaptureDevice[]> {
    return Promise.resolve(
      this.folders.map((f) => ({ id: `hot-folder:${f.path}`, kind: 'hot-folder' as const, label: f.label, paperSources: [], colourModes: [], resolutions: [] })),
    );
  }

  /** Files waiting in the folder now (names), oldest first; throws CAPTURE_HOT_FOLDER_UNREADABLE. */
  static async pending(folder: string): Promise<{ name: string; size: number; mtimeMs: number }[]> {
    let names: string[];
    try {
      names = await readdir(folder);
    } catch (err) {
      throw new AppError('CAPTURE_HOT_FOLDER_UNREADABLE', { path: folder, reason: (err as NodeJS.ErrnoException).code ?? String(err) }, { cause: err });
    }
    const files: { name: string; size: number; mtimeMs: number }[] = [];
    for (const name of names) {
      if (temporaryName.test(name)) continue;
      const info = await stat(path.join(folder, name)).catch(() => null);
      if (info?.isFile()) files.push({ name, size: info.size, mtimeMs: info.mtimeMs });
    }
    return files.sort((a, b) => a.mtimeMs - b.mtimeMs || a.name.localeCompare(b.name));
  }

  async *scan({ deviceId, settings, signal }: ScanRequest): AsyncIterable<RawPage> {
    const config = this.folder(deviceId);
    const archive = archivePathOf(config);
    const pollMs = config.pollMs ?? 1000;
    const stablePolls = config.stablePolls ?? 2;
    const seen = new Map<string, Seen>();
    let taken = 0;
    try {
      await mkdir(archive, { recursive: true });
    } catch (err) {
      throw new AppError('CAPTURE_HOT_FOLDER_UNREADABLE', { path: archive, reason: (err as NodeJS.ErrnoException).code ?? String(err) }, { cause: err });
    }
    while (!signal.aborted) {
      const files = await HotFolderSource.pending(config.path);
      const present = new Set(files.map((f) => f.name));
      for (const name of seen.keys()) if (!present.has(name)) seen.delete(name);
      let waiting = 0;
      for (const file of files) {
        const before = seen.get(file.name);
        const polls = before && before.size === file.size && before.mtimeMs === file.mtimeMs ? before.polls + 1 : 1;
        seen.set(file.name, { size: file.size, mtimeMs: file.mtimeMs, polls });
        // A zero-byte file may be one just created: only once it stayed empty as long is it taken (and refused).
        const needed = file.size === 0 ? stablePolls * 2 : stablePolls;
        if (polls < needed) {
          waiting++;
          continue;
        }
        const from = path.join(config.path, file.name);
        const bytes = new Uint8Array(await readFile(from));
        // Archive before handing the page on: the bytes are in memory, and a crash now must not import it twice.
        await moveAside(from, archive, file.name);
        seen.delete(file.name);
        taken++;
        yield { name: file.name, bytes };
        if (settings.maxPages !== undefined && taken >= settings.maxPages) return;
      }
      if (settings.stopWhenIdle && waiting === 0) return;
      await sleep(pollMs, signal);
    }
  }
}

/** Moves a file into the archive under a name not yet used there (rename; copy + unlink across disks). */
async function moveAside(from: string, archive: string, name: string): Promise<void> {
  const ext = path.extname(name);
  const stem = name.slice(0, name.length - ext.length);
  for (let n = 0; ; n++) {
    const target = path.join(archive, n === 0 ? name : `${stem} (${n})${ext}`);
    if (await stat(target).then(() => true, () => false)) continue;
    try {
      await rename(from, target);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
      await copyFile(from, target);
      await unlink(from);
    }
    return;
  }
}
