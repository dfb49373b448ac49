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
 * Counter events (result returned, supplement received with its files, apology issued) are kept the same
 * way until acknowledged: the clerk's later work on a dossier is as hard to redo as the acceptance.
 *
 * On disk, one folder per dossier under `dossier-spool/` (named by its id; an event's `event-<id>`):
 * `dossier.json` or `event.json` (record + file metadata), the files as `0.pdf`, `1.pdf`, … and, once
 * committed, a `committed` marker. A folder is written under a
 * temporary name and renamed into place, so a crash leaves a whole entry or none; deletion renames first
 * for the same reason. Personal data: files are 0600 and go as soon as the central has them.
 *
 * Issue 17 finding 8: with the PC's data key (data-key.ts) the record and the files are written sealed
 * (AES-256-GCM, a key derived from the data key, a random IV per file, the entry's folder and file name as
 * associated data so files cannot be swapped between entries). An entry written before — or by a host without
 * a key — is read as it is; a sealed file that does not open (altered, another key) is SPOOL_DAMAGED.
 */
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { AppError } from '../../shared/errors';
import { spooledDossierSchema, spooledFileMetaSchema, type SpoolEntry, type SpoolEventEntry, type SpoolListing } from '../../shared/ipc/contract';
import { counterEventSchema } from '../../shared/sync/protocol';
import { flushFolder, writeFileDurably } from '../../shared-node/durable-file';

export const dossierSpoolDirName = 'dossier-spool';

const dossierRecordSchema = z.object({
  version: z.literal(1),
  writtenAt: z.string(),
  dossier: spooledDossierSchema,
  files: z.array(spooledFileMetaSchema).min(1),
});
const eventRecordSchema = z.object({
  version: z.literal(1),
  writtenAt: z.string(),
  dossierId: z.string(),
  event: counterEventSchema,
  files: z.array(spooledFileMetaSchema),
});

type SpoolState = 'prepared' | 'committed';
type Kind = 'dossier' | 'event';

/** Entries named by kind: either list may be empty. */
interface SpoolIds {
  readonly dossierIds?: readonly string[];
  readonly eventIds?: readonly string[];
}

export interface DossierSpool {
  /** Writes and flushes the entry; the same entry again is a no-op. Full disk → STORAGE_FULL, else SPOOL_FAILED. */
  prepare(entry: SpoolEntry): Promise<void>;
  prepareEvent(entry: SpoolEventEntry): Promise<void>;
  commit(ids: SpoolIds): Promise<void>;
  /** Removes prepared entries (work whose database transaction failed); refuses a committed one. Unknown ids are ignored. */
  discard(ids: SpoolIds): Promise<void>;
  /** The central holds these: their copies go. Unknown ids are ignored (released twice). */
  release(ids: SpoolIds): Promise<void>;
  list(): Promise<SpoolListing[]>;
  /** The entry with its bytes, each checked against its SHA-256 (SPOOL_DAMAGED otherwise). */
  read(dossierId: string): Promise<{ state: SpoolState; entry: SpoolEntry }>;
  readEvent(eventId: string): Promise<{ state: SpoolState; entry: SpoolEventEntry }>;
}

function spoolError(err: unknown, what: string): AppError {
  if (err instanceof AppError) return err;
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC' || code === 'EDQUOT') return new AppError('STORAGE_FULL', {});
  return new AppError('SPOOL_FAILED', { reason: `${what}: ${code ?? (err instanceof Error ? err.message : String(err))}` });
}

/** Starts every sealed spool file: a file from before (a PDF, JSON) never starts so. */
const sealedMagic = Buffer.from('MCSPOOL1', 'latin1');

/** The spool's own AES-256-GCM key, derived from the data key (the database's keys are derived apart). */
export function spoolKeyOf(dataKey: Uint8Array): Buffer {
  return Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), 'motcua spool v1: AES-256-GCM', 32));
}

/** `magic | iv (12) | ciphertext | tag (16)`; `where` (folder/file) is the associated data. */
export function sealSpoolFile(key: Buffer, where: string, plain: Uint8Array): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(where, 'utf8'));
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([sealedMagic, iv, body, cipher.getAuthTag()]);
}

function isSealedSpoolFile(bytes: Uint8Array): boolean {
  return bytes.byteLength >= sealedMagic.byteLength && Buffer.from(bytes.buffer, bytes.byteOffset, sealedMagic.byteLength).equals(sealedMagic);
}

/** Opens a sealed file (throws on altered bytes or another key); a file from before comes back as it is. */
function openSpoolFile(key: Buffer | undefined, where: string, bytes: Buffer): Buffer {
  if (!isSealedSpoolFile(bytes)) return bytes;
  if (!key) throw new Error('sealed, and this host has no data key');
  const iv = bytes.subarray(sealedMagic.byteLength, sealedMagic.byteLength + 12);
  const tag = bytes.subarray(bytes.byteLength - 16);
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAAD(Buffer.from(where, 'utf8'));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(bytes.subarray(sealedMagic.byteLength + 12, bytes.byteLength - 16)), decipher.final()]);
  } catch {
    throw new Error('sealed bytes do not open with this PC’s data key (altered, or another key)');
  }
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

const exists = (p: string): Promise<boolean> =>
  stat(p).then(
    () => true,
    (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return false;
      throw err;
    },
  );

const eventPrefix = 'event-';
const recordNames: Record<Kind, string> = { dossier: 'dossier.json', event: 'event.json' };

/** Ids are UUIDs (checked by the IPC schema); this keeps a bad one from naming a path anyway. */
function folderName(kind: Kind, id: string): string {
  if (!/^[0-9a-fA-F-]{36}$/.test(id)) throw new AppError('SPOOL_FAILED', { reason: `not an id: ${id.slice(0, 40)}` });
  return (kind === 'event' ? eventPrefix : '') + id.toLowerCase();
}

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export interface DossierSpoolOptions {
  readonly now?: () => Date;
  /** This PC's data key (data-key.ts): entries are written sealed with it. Absent: written as they are. */
  readonly dataKey?: () => Promise<Uint8Array>;
}

export function openDossierSpool(dataDir: string, options: DossierSpoolOptions = {}): DossierSpool {
  const now = options.now ?? (() => new Date());
  const root = path.join(dataDir, dossierSpoolDirName);
  let ready: Promise<void> | undefined;
  let spoolKey: Promise<Buffer | undefined> | undefined;
  const keyOf = (): Promise<Buffer | undefined> => {
    if (!options.dataKey) return Promise.resolve(undefined);
    spoolKey ??= options.dataKey().then(spoolKeyOf, (err: unknown) => {
      spoolKey = undefined;
      throw err;
    });
    return spoolKey;
  };
  /** The content as written: sealed when there is a key. `where` names the entry's file. */
  const sealed = async (where: string, content: Uint8Array | string): Promise<Uint8Array | string> => {
    const key = await keyOf();
    return key ? sealSpoolFile(key, where, typeof content === 'string' ? Buffer.from(content, 'utf8') : content) : content;
  };
  const readOpened = async (dir: string, name: string): Promise<Buffer> => openSpoolFile(await keyOf(), `${path.basename(dir)}/${name}`, await readFile(path.join(dir, name)));

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

  const readJson = async (dir: string, kind: Kind): Promise<unknown> => JSON.parse((await readOpened(dir, recordNames[kind])).toString('utf8'));
  const parseWith = <T>(schema: z.ZodType<T>, value: unknown): T => {
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw new Error(parsed.error.issues[0]?.message ?? 'invalid record');
    return parsed.data;
  };

  const stateOf = async (dir: string): Promise<SpoolState> => ((await exists(path.join(dir, 'committed'))) ? 'committed' : 'prepared');

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

  /**
   * Writes one entry: files then record, each flushed, in a temporary folder renamed into place. `sameAs`
   * says whether an entry already there holds this content (then nothing is written).
   */
  const writeEntry = async (kind: Kind, id: string, label: string, record: object, files: readonly Uint8Array[], sameAs: (held: unknown) => boolean): Promise<void> => {
    await ensureReady();
    const dir = path.join(root, folderName(kind, id));
    try {
      if (await exists(dir)) {
        const held: unknown = await readJson(dir, kind).catch(() => undefined);
        if (held !== undefined && sameAs(held)) return;
        if ((await stateOf(dir)) === 'committed') throw new AppError('SPOOL_FAILED', { reason: `${label} is already recorded with other content` });
        await removeEntry(dir);
      }
      const temp = path.join(root, `.prepare-${folderName(kind, id)}-${randomBytes(4).toString('hex')}`);
      try {
        await mkdir(temp, { mode: 0o700 });
        // Associated data names the final folder (not the temporary one): the file is read there.
        const folder = folderName(kind, id);
        for (const [index, bytes] of files.entries()) await writeFlushed(path.join(temp, `${index}.pdf`), await sealed(`${folder}/${index}.pdf`, bytes));
        await writeFlushed(path.join(temp, recordNames[kind]), await sealed(`${folder}/${recordNames[kind]}`, JSON.stringify({ version: 1, writtenAt: now().toISOString(), ...record })));
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
  };

  const eachId = (ids: SpoolIds): [Kind, string][] => [...(ids.dossierIds ?? []).map((id): [Kind, string] => ['dossier', id]), ...(ids.eventIds ?? []).map((id): [Kind, string] => ['event', id])];

  /** Reads the files named by `metas`, checking each against its size and SHA-256. */
  const readFiles = async (dir: string, metas: z.infer<typeof spooledFileMetaSchema>[], label: string) => {
    const files: { meta: z.infer<typeof spooledFileMetaSchema>; bytes: Uint8Array }[] = [];
    for (const [index, meta] of metas.entries()) {
      const bytes = new Uint8Array(
        await readOpened(dir, `${index}.pdf`).catch((err: unknown) => {
          if ((err as NodeJS.ErrnoException).code === 'ENOENT') return Buffer.alloc(0);
          throw new AppError('SPOOL_DAMAGED', { code: label, reason: `${meta.name}: ${messageOf(err)}` });
        }),
      );
      if (bytes.byteLength !== meta.size || createHash('sha256').update(bytes).digest('hex') !== meta.sha256) {
        throw new AppError('SPOOL_DAMAGED', { code: label, reason: `${meta.name}: ${bytes.byteLength} B do not match the recorded SHA-256` });
      }
      files.push({ meta, bytes });
    }
    return files;
  };

  /** One entry's record, parsed; a missing or unreadable one is SPOOL_DAMAGED. */
  const readRecord = async <T>(kind: Kind, id: string, schema: z.ZodType<T>): Promise<{ dir: string; record: T }> => {
    await ensureReady();
    const dir = path.join(root, folderName(kind, id));
    if (!(await exists(dir))) throw new AppError('SPOOL_DAMAGED', { code: id, reason: 'no such entry' });
    try {
      return { dir, record: parseWith(schema, await readJson(dir, kind)) };
    } catch (err) {
      throw new AppError('SPOOL_DAMAGED', { code: id, reason: `${recordNames[kind]}: ${messageOf(err)}` });
    }
  };

  // Both sides of a comparison are parsed by the same schemas first, so their keys come in the same order.
  const canonical = (value: object): string => JSON.stringify(value);

  return {
    prepare(entry) {
      const dossier = spooledDossierSchema.parse(entry.dossier);
      const metas = entry.files.map((f) => spooledFileMetaSchema.parse(f.meta));
      const mine = canonical({ dossier, files: metas });
      return writeEntry('dossier', entry.dossier.id, `dossier ${entry.dossier.code}`, { dossier, files: metas }, entry.files.map((f) => f.bytes), (held) => {
        const parsed = dossierRecordSchema.safeParse(held);
        return parsed.success && canonical({ dossier: parsed.data.dossier, files: parsed.data.files }) === mine;
      });
    },

    prepareEvent(entry) {
      const event = counterEventSchema.parse(entry.event);
      const metas = entry.files.map((f) => spooledFileMetaSchema.parse(f.meta));
      const mine = canonical({ dossierId: entry.dossierId, event, files: metas });
      return writeEntry('event', event.eventId, `event ${event.kind} ${event.eventId}`, { dossierId: entry.dossierId, event, files: metas }, entry.files.map((f) => f.bytes), (held) => {
        const parsed = eventRecordSchema.safeParse(held);
        return parsed.success && canonical({ dossierId: parsed.data.dossierId, event: parsed.data.event, files: parsed.data.files }) === mine;
      });
    },

    async commit(ids) {
      await ensureReady();
      for (const [kind, id] of eachId(ids)) {
        const dir = path.join(root, folderName(kind, id));
        if (!(await exists(dir))) throw new AppError('SPOOL_FAILED', { reason: `commit: ${kind} ${id} was never prepared` });
        if ((await stateOf(dir)) === 'committed') continue;
        await writeFileDurably(path.join(dir, 'committed'), now().toISOString()).catch((err: unknown) => {
          throw spoolError(err, 'commit');
        });
      }
    },

    async discard(ids) {
      await ensureReady();
      for (const [kind, id] of eachId(ids)) {
        const dir = path.join(root, folderName(kind, id));
        if (!(await exists(dir))) continue;
        if ((await stateOf(dir)) === 'committed') throw new AppError('SPOOL_FAILED', { reason: `discard: ${kind} ${id} was recorded; only the central's acknowledgement releases it` });
        await removeEntry(dir).catch((err: unknown) => {
          throw spoolError(err, 'discard');
        });
      }
    },

    async release(ids) {
      await ensureReady();
      for (const [kind, id] of eachId(ids)) {
        await removeEntry(path.join(root, folderName(kind, id))).catch((err: unknown) => {
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
        const kind: Kind = name.startsWith(eventPrefix) ? 'event' : 'dossier';
        const state = await stateOf(dir);
        try {
          if (kind === 'dossier') {
            const record = parseWith(dossierRecordSchema, await readJson(dir, kind));
            listing.push({ kind, dossierId: record.dossier.id, code: record.dossier.code, state, createdAt: record.dossier.createdAt, bytes: record.files.reduce((n, f) => n + f.size, 0) });
          } else {
            const record = parseWith(eventRecordSchema, await readJson(dir, kind));
            listing.push({ kind, dossierId: record.dossierId, eventId: record.event.eventId, code: record.event.kind, state, createdAt: record.event.at, bytes: record.files.reduce((n, f) => n + f.size, 0) });
          }
        } catch (err) {
          const id = kind === 'event' ? name.slice(eventPrefix.length) : name;
          listing.push({ kind, dossierId: kind === 'dossier' ? id : '', ...(kind === 'event' ? { eventId: id } : {}), code: '', state, createdAt: '', bytes: 0, problem: messageOf(err) });
        }
      }
      return listing;
    },

    async read(dossierId) {
      const { dir, record } = await readRecord('dossier', dossierId, dossierRecordSchema);
      const files = await readFiles(dir, record.files, record.dossier.code);
      return { state: await stateOf(dir), entry: { dossier: record.dossier, files } };
    },

    async readEvent(eventId) {
      const { dir, record } = await readRecord('event', eventId, eventRecordSchema);
      const files = await readFiles(dir, record.files, `${record.event.kind} ${eventId}`);
      return { state: await stateOf(dir), entry: { dossierId: record.dossierId as SpoolEventEntry['dossierId'], event: record.event, files } };
    },
  };
}
