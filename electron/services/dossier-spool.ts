/**
 * Main's copy of every accepted dossier outside IndexedDB, kept until the central confirms it.
 *
 * Chromium can hand the app an empty IndexedDB after a crash (docs/fault-injection.md: about one reset in
 * 200 SIGKILLs of the browser, cause inside Chromium not established). The ledger (database-ledger.ts)
 * notices; this spool is what makes the reset lose nothing: the renderer writes each dossier here — record,
 * file metadata and signed bytes, flushed to disk — BEFORE its database transaction, marks it committed
 * once that transaction succeeded, and releases it once the central acknowledged it. After a reset, the
 * committed entries the new database lacks are put back and sent (the central's commit is idempotent by
 * dossier id, so one it already holds is acknowledged, never stored twice).
 *
 * On disk, one folder per dossier under `dossier-spool/`: `dossier.json` (record + file metadata), the
 * files as `0.pdf`, `1.pdf`, … and, once committed, a `committed` marker. A folder is written under a
 * temporary name and renamed into place, so a crash leaves a whole entry or none; deletion renames first
 * for the same reason. Personal data: files are 0600 and go as soon as the central has them.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { AppError } from '../../shared/errors';
import { spooledDossierSchema, spooledFileMetaSchema, type SpoolEntry, type SpoolListing } from '../../shared/ipc/contract';
import { writeFileDurably } from './durable-file';

export const dossierSpoolDirName = 'dossier-spool';

const recordFileSchema = z.object({
  version: z.literal(1),
  writtenAt: z.string(),
  dossier: spooledDossierSchema,
  files: z.array(spooledFileMetaSchema).min(1),
});

export type SpoolState = 'prepared' | 'committed';

export interface DossierSpool {
  /** Writes and flushes the entry; the same entry again is a no-op. Full disk → STORAGE_FULL, else SPOOL_FAILED. */
  prepare(entry: SpoolEntry): Promise<void>;
  commit(dossierIds: readonly string[]): Promise<void>;
  /** Removes prepared entries (acceptances that failed); refuses a committed one. Unknown ids are ignored. */
  discard(dossierIds: readonly string[]): Promise<void>;
  /** The central holds these dossiers: their copies go. Unknown ids are ignored (released twice). */
  release(dossierIds: readonly string[]): Promise<void>;
  list(): Promise<SpoolListing[]>;
  /** The entry with its bytes, each checked against its SHA-256 (SPOOL_DAMAGED otherwise). */
  read(dossierId: string): Promise<{ state: SpoolState; entry: SpoolEntry }>;
}

function spoolError(err: unknown, what: string): AppError {
  if (err instanceof AppError) return err;
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC' || code === 'EDQUOT') return new AppError('STORAGE_FULL', {});
  return new AppError('SPOOL_FAILED', { reason: `${what}: ${code ?? (err instanceof Error ? err.message : String(err))}` });
}

async function writeFlushed(file: string, content: Uint8Array | string): Promise<void> {
  const handle = await open(file, 'wx', 0o600);
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Flushes a folder's entries (a rename into it); Windows cannot open folders and journals renames itself. */
async function flushFolder(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

const exists = (p: string): Promise<boolean> =>
  stat(p).then(
    () => true,
    (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return false;
      throw err;
    },
  );

/** Dossier ids are UUIDs (checked by the IPC schema); this keeps a bad one from naming a path anyway. */
function entryName(dossierId: string): string {
  if (!/^[0-9a-fA-F-]{36}$/.test(dossierId)) throw new AppError('SPOOL_FAILED', { reason: `not a dossier id: ${dossierId.slice(0, 40)}` });
  return dossierId.toLowerCase();
}

export function openDossierSpool(dataDir: string, now: () => Date = () => new Date()): DossierSpool {
  const root = path.join(dataDir, dossierSpoolDirName);
  let ready: Promise<void> | undefined;

  /** Creates the folder and clears what a crash left half-written or half-deleted. */
  const ensureReady = (): Promise<void> => {
    ready ??= (async () => {
      await mkdir(root, { recursive: true, mode: 0o700 });
      for (const name of await readdir(root)) {
        if (name.startsWith('.prepare-') || name.startsWith('.release-')) await rm(path.join(root, name), { recursive: true, force: true });
      }
    })().catch((err: unknown) => {
      ready = undefined;
      throw spoolError(err, 'open');
    });
    return ready;
  };

  const entryDir = (dossierId: string): string => path.join(root, entryName(dossierId));

  const readRecord = async (dir: string): Promise<z.infer<typeof recordFileSchema>> => {
    const text = await readFile(path.join(dir, 'dossier.json'), 'utf8');
    const parsed = recordFileSchema.safeParse(JSON.parse(text));
    if (!parsed.success) throw new Error(parsed.error.issues[0]?.message ?? 'invalid record');
    return parsed.data;
  };

  const stateOf = async (dir: string): Promise<SpoolState> => ((await exists(path.join(dir, 'committed'))) ? 'committed' : 'prepared');

  // Through the schemas so both sides have the same key order (zod's output follows the schema).
  const recordText = (dossier: unknown, files: readonly unknown[]): string =>
    JSON.stringify({ dossier: spooledDossierSchema.parse(dossier), files: files.map((f) => spooledFileMetaSchema.parse(f)) });

  const removeEntry = async (dir: string): Promise<void> => {
    const doomed = path.join(root, `.release-${path.basename(dir)}-${randomBytes(4).toString('hex')}`);
    try {
      await rename(dir, doomed);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    await flushFolder(root);
    await rm(doomed, { recursive: true, force: true });
  };

  return {
    async prepare(entry) {
      await ensureReady();
      const dir = entryDir(entry.dossier.id);
      try {
        if (await exists(dir)) {
          const held = await readRecord(dir).catch(() => undefined);
          const same = held !== undefined && recordText(held.dossier, held.files) === recordText(entry.dossier, entry.files.map((f) => f.meta));
          if (same) return;
          if ((await stateOf(dir)) === 'committed') throw new AppError('SPOOL_FAILED', { reason: `dossier ${entry.dossier.code} is already accepted with other content` });
          await removeEntry(dir);
        }
        const temp = path.join(root, `.prepare-${entryName(entry.dossier.id)}-${randomBytes(4).toString('hex')}`);
        try {
          await mkdir(temp, { mode: 0o700 });
          for (const [index, file] of entry.files.entries()) await writeFlushed(path.join(temp, `${index}.pdf`), file.bytes);
          const record = { version: 1, writtenAt: now().toISOString(), dossier: entry.dossier, files: entry.files.map((f) => f.meta) };
          await writeFlushed(path.join(temp, 'dossier.json'), JSON.stringify(record));
          await flushFolder(temp);
          await rename(temp, dir);
        } catch (err) {
          await rm(temp, { recursive: true, force: true });
          throw err;
        }
        await flushFolder(root);
      } catch (err) {
        throw spoolError(err, 'prepare');
      }
    },

    async commit(dossierIds) {
      await ensureReady();
      for (const id of dossierIds) {
        const dir = entryDir(id);
        if (!(await exists(dir))) throw new AppError('SPOOL_FAILED', { reason: `commit: dossier ${id} was never prepared` });
        if ((await stateOf(dir)) === 'committed') continue;
        await writeFileDurably(path.join(dir, 'committed'), now().toISOString()).catch((err: unknown) => {
          throw spoolError(err, 'commit');
        });
      }
    },

    async discard(dossierIds) {
      await ensureReady();
      for (const id of dossierIds) {
        const dir = entryDir(id);
        if (!(await exists(dir))) continue;
        if ((await stateOf(dir)) === 'committed') throw new AppError('SPOOL_FAILED', { reason: `discard: dossier ${id} was accepted; only the central's acknowledgement releases it` });
        await removeEntry(dir).catch((err: unknown) => {
          throw spoolError(err, 'discard');
        });
      }
    },

    async release(dossierIds) {
      await ensureReady();
      for (const id of dossierIds) {
        await removeEntry(entryDir(id)).catch((err: unknown) => {
          throw spoolError(err, 'release');
        });
      }
    },

    async list() {
      await ensureReady();
      const listing: SpoolListing[] = [];
      for (const name of (await readdir(root)).sort()) {
        if (name.startsWith('.')) continue;
        const dir = path.join(root, name);
        try {
          const record = await readRecord(dir);
          listing.push({
            dossierId: record.dossier.id,
            code: record.dossier.code,
            state: await stateOf(dir),
            createdAt: record.dossier.createdAt,
            bytes: record.files.reduce((n, f) => n + f.size, 0),
          });
        } catch (err) {
          listing.push({ dossierId: name, code: '', state: await stateOf(dir), createdAt: '', bytes: 0, problem: err instanceof Error ? err.message : String(err) });
        }
      }
      return listing;
    },

    async read(dossierId) {
      await ensureReady();
      const dir = entryDir(dossierId);
      if (!(await exists(dir))) throw new AppError('SPOOL_DAMAGED', { code: dossierId, reason: 'no such entry' });
      let record: z.infer<typeof recordFileSchema>;
      try {
        record = await readRecord(dir);
      } catch (err) {
        throw new AppError('SPOOL_DAMAGED', { code: dossierId, reason: `dossier.json: ${err instanceof Error ? err.message : String(err)}` });
      }
      const files: SpoolEntry['files'][number][] = [];
      for (const [index, meta] of record.files.entries()) {
        const bytes = new Uint8Array(await readFile(path.join(dir, `${index}.pdf`)).catch(() => Buffer.alloc(0)));
        if (bytes.byteLength !== meta.size || createHash('sha256').update(bytes).digest('hex') !== meta.sha256) {
          throw new AppError('SPOOL_DAMAGED', { code: record.dossier.code, reason: `${meta.name}: ${bytes.byteLength} B do not match the recorded SHA-256` });
        }
        files.push({ meta, bytes });
      }
      return { state: await stateOf(dir), entry: { dossier: record.dossier, files } };
    },
  };
}
