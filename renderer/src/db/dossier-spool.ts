/**
 * The renderer's half of main's dossier spool (electron/services/dossier-spool.ts): every accepted dossier
 * and every counter event (return, supplement, apology) is also held by main, outside IndexedDB, until the
 * central has acknowledged it — so a database the browser replaced (database-ledger.ts) costs no work.
 *
 * - acceptance (and each event): spool:prepare (flushed to disk) → the database transaction → spool:commit;
 * - acknowledgement: the sync engine releases the copy through `spoolReleasePort` as part of it (engine.ts);
 * - reconcile (at start and every few minutes, only on a database the ledger trusts): what a crash or a failed
 *   release left behind — prepared entries the database holds are committed, stale prepared ones it lacks are
 *   discarded, acknowledged ones released — and unsent work without a copy (saved before the spool existed)
 *   gets one;
 * - restore (after IT accepted a replaced database): committed entries the database lacks are saved again
 *   and queued; the central takes a dossier once by its id and an event once by its id, so nothing doubles.
 */
import { AppError } from '../../../shared/errors';
import type { SpoolEntry, SpoolEventEntry, SpoolListing } from '../../../shared/ipc/contract';
import type { CounterEvent } from '../../../shared/sync/protocol';
import type { MainClient } from '../platform/main-client';
import { queueCounterEvent, requeueCounterEvent, type EventExtras } from './counter-events';
import type { CounterDatabase, DossierStateRow, OutboxState, StoredDossier } from './database';
import { saveAcceptedDossier, type NewFile, type SaveOptions } from './dossiers';
import { readFileBytes } from './files';
import { auditRecordOfEvent, recordAudit } from './audit-record';

/** Dossiers and events between spool:prepare and spool:commit in this window: reconcile leaves them alone. */
const inFlight = new Set<string>();

/** Copies made per reconcile pass for unsent dossiers saved without one. */
const spoolCopiesPerPass = 25;

/** A prepared entry the database lacks is an acceptance that failed — once it is this old. */
const abandonedAfterMs = 30 * 60_000;

const unsentStates: readonly OutboxState[] = ['waiting', 'uploading', 'committing', 'failed'];

/** Files as main's spool takes them: only the accepted metadata (no chunk layout, no purge marks). */
function spooledFilesOf(files: readonly NewFile[]): SpoolEntry['files'] {
  return files.map(({ meta, bytes }) => ({
    meta: {
      id: meta.id,
      dossierId: meta.dossierId,
      componentCode: meta.componentCode,
      name: meta.name,
      mediaType: meta.mediaType,
      size: meta.size,
      sha256: meta.sha256,
      pageCount: meta.pageCount,
      ...(meta.revocationEvidence ? { revocationEvidence: [...meta.revocationEvidence] } : {}),
    },
    bytes,
  }));
}

/** The dossier and files as main's spool takes them. */
export function spoolEntryOf(dossier: StoredDossier, files: readonly NewFile[]): SpoolEntry {
  const { copySignatures, ...rest } = dossier;
  return {
    dossier: { ...rest, components: dossier.components.map((c) => ({ ...c, fileIds: [...c.fileIds] })), ...(copySignatures ? { copySignatures: copySignatures.map((r) => ({ ...r, components: [...r.components] })) } : {}) },
    files: spooledFilesOf(files),
  };
}

/**
 * saveAcceptedDossier with main's copy written first: if main cannot write it (full disk → STORAGE_FULL),
 * nothing is saved and the clerk can try again; if the database transaction fails, the copy is discarded.
 */
export async function saveAcceptedDossierSpooled(db: CounterDatabase, main: MainClient, dossier: StoredDossier, files: readonly NewFile[], options: SaveOptions = {}): Promise<void> {
  await withSpoolCopy(
    main,
    dossier.id,
    { dossierIds: [dossier.id] },
    () => main.call('spool:prepare', spoolEntryOf(dossier, files)),
    () => saveAcceptedDossier(db, dossier, files, options),
  );
  await recordAudit(db, main, { action: 'dossier-accepted', dossierId: dossier.id, dossierCode: dossier.code, details: { procedureCode: dossier.procedure.code, files: files.length } });
}

/**
 * main's copy first (`prepare`), then the database transaction (`save`): a failed save discards the copy; a
 * saved one marks it committed — if only that mark fails, the copy stays 'prepared' and reconcile marks it.
 */
async function withSpoolCopy(main: MainClient, key: string, ids: { dossierIds?: StoredDossier['id'][]; eventIds?: string[] }, prepare: () => Promise<unknown>, save: () => Promise<void>): Promise<void> {
  inFlight.add(key);
  try {
    await prepare();
    try {
      await save();
    } catch (err) {
      await main.call('spool:discard', ids).catch(() => undefined);
      throw err;
    }
    await main.call('spool:commit', ids).catch(() => undefined);
  } finally {
    inFlight.delete(key);
  }
}

/** A counter event and the files it carries, as main's spool takes them. */
function spoolEventEntryOf(dossierId: StoredDossier['id'], event: CounterEvent, files: readonly NewFile[]): SpoolEventEntry {
  return { dossierId, event, files: spooledFilesOf(files) };
}

/**
 * queueCounterEvent with main's copy written first (the event and, for a supplement, its files): a return,
 * a supplement or an apology the clerk recorded is not lost with the database either.
 */
export async function queueCounterEventSpooled(
  db: CounterDatabase,
  main: MainClient,
  dossierId: StoredDossier['id'],
  event: CounterEvent,
  nextState: (current: DossierStateRow) => DossierStateRow,
  extras: EventExtras = {},
): Promise<void> {
  await withSpoolCopy(
    main,
    event.eventId,
    { eventIds: [event.eventId] },
    async () => main.call('spool:prepare-event', spoolEventEntryOf(dossierId, event, await storedEventFiles(db, dossierId, event, extras.files))),
    () => queueCounterEvent(db, dossierId, event, nextState, extras),
  );
  await recordAudit(db, main, auditRecordOfEvent(dossierId, (await db.dossiers.get(dossierId))?.code, event));
}

export interface SpoolReconciliation {
  /** Entries (dossiers and events) marked, discarded, released and copied in this pass. */
  readonly committed: number;
  readonly discarded: number;
  readonly released: number;
  readonly copied: number;
  /** Unsent dossiers and events still without a copy after this pass (the next pass comes sooner). */
  readonly copiesLeft: number;
  /** Entries main could not read (left for IT) and copies that could not be made. */
  readonly problems: readonly string[];
}

const batches = <T,>(items: readonly T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
};

/** What one pass decided, by kind: ids for spool:commit, spool:discard, spool:release. */
interface Decisions {
  readonly commit: { dossierIds: string[]; eventIds: string[] };
  readonly discard: { dossierIds: string[]; eventIds: string[] };
  readonly release: { dossierIds: string[]; eventIds: string[] };
}

async function send(main: MainClient, channel: 'spool:commit' | 'spool:discard' | 'spool:release', ids: { dossierIds: string[]; eventIds: string[] }): Promise<void> {
  for (const dossierIds of batches(ids.dossierIds, 500)) await main.call(channel, { dossierIds: dossierIds });
  for (const eventIds of batches(ids.eventIds, 500)) await main.call(channel, { eventIds });
}

/** The files of a supplement event still stored for its dossier (not purged), for its spool copy. */
async function storedEventFiles(db: CounterDatabase, dossierId: StoredDossier['id'], event: CounterEvent, given: readonly NewFile[] = []): Promise<NewFile[]> {
  if (event.kind !== 'supplement-received') return [];
  const have = new Set(given.map((f) => f.meta.sha256));
  const files = [...given];
  for (const declared of event.files) {
    if (have.has(declared.sha256)) continue;
    const meta = await db.files.where('dossierId').equals(dossierId).filter((f) => f.sha256 === declared.sha256 && f.purgedAt === undefined).first();
    if (!meta) continue;
    files.push({ meta, bytes: await readFileBytes(db, meta.id) });
    have.add(declared.sha256);
  }
  return files;
}

/** Rows looked up per request when a pass compares the spool with the database. */
const lookupBatch = 500;

/**
 * The database's view of every spooled entry — absent (no key), acknowledged or not yet — read in batches and by
 * key where the row is sealed. One get per entry (and, for a sealed counter event, one decryption each) made a
 * pass over a 10,000-dossier spool cost seconds of requests on the UI thread at every start (issue 20).
 * Taken before the pass decides: an entry whose save finishes meanwhile reads as absent, which only ever
 * discards a prepared entry older than abandonedAfterMs — no save takes that long.
 */
async function databaseStatesOf(db: CounterDatabase, entries: readonly SpoolListing[], batchSize: number): Promise<{ dossiers: Map<string, string>; events: Map<string, string> }> {
  const dossiers = new Map<string, string>();
  const events = new Map<string, string>();
  const dossierIds = entries.filter((e) => e.kind !== 'event').map((e) => e.dossierId as StoredDossier['id']);
  for (const ids of batches(dossierIds, batchSize)) {
    // The outbox row is not sealed: reading it costs no decryption.
    (await db.outbox.bulkGet(ids)).forEach((row, i) => {
      if (row) dossiers.set(ids[i] ?? '', row.state);
    });
  }
  const eventIds = entries.filter((e) => e.kind === 'event').map((e) => e.eventId ?? '');
  if (eventIds.length > 0) {
    // A counter event's row is sealed: its keys say whether it is there, the state index whether acknowledged.
    const acknowledged = new Set(await db.counterEvents.where('state').equals('acknowledged').primaryKeys());
    for (const ids of batches(eventIds, batchSize)) {
      for (const id of await db.counterEvents.where(':id').anyOf(ids).primaryKeys()) events.set(id, acknowledged.has(id) ? 'acknowledged' : 'pending');
    }
  }
  return { dossiers, events };
}

/**
 * Brings main's spool in line with a database the ledger trusts ('same', 'first', or adopted and restored).
 * Never run on a database the ledger has not accepted: there, every entry it lacks would look abandoned.
 */
export async function reconcileSpool(db: CounterDatabase, main: MainClient, options: { now?: () => Date; copyLimit?: number; lookupBatch?: number } = {}): Promise<SpoolReconciliation> {
  const now = options.now ?? (() => new Date());
  const copyLimit = options.copyLimit ?? spoolCopiesPerPass;
  const { entries } = await main.call('spool:list', {});
  const problems: string[] = [];
  const todo: Decisions = { commit: { dossierIds: [], eventIds: [] }, discard: { dossierIds: [], eventIds: [] }, release: { dossierIds: [], eventIds: [] } };
  const spooledDossiers = new Set<string>();
  const spooledEvents = new Set<string>();
  const states = await databaseStatesOf(db, entries, options.lookupBatch ?? lookupBatch);
  for (const entry of entries) {
    const id = entry.kind === 'event' ? (entry.eventId ?? '') : entry.dossierId;
    (entry.kind === 'event' ? spooledEvents : spooledDossiers).add(id);
    if (entry.problem) {
      problems.push(`${entry.kind} ${id}: ${entry.problem}`);
      continue;
    }
    if (inFlight.has(id)) continue;
    const list = entry.kind === 'event' ? 'eventIds' : 'dossierIds';
    // The database's view: absent, acknowledged by the central, or not yet. A dossier's outbox row is written
    // in its save's transaction and never deleted, so it stands for the dossier.
    const state = (entry.kind === 'event' ? states.events : states.dossiers).get(id);
    if (state === undefined) {
      const age = now().getTime() - Date.parse(entry.createdAt);
      if (entry.state === 'prepared' && age > abandonedAfterMs) todo.discard[list].push(id);
      continue;
    }
    if (state === 'acknowledged') todo.release[list].push(id);
    else if (entry.state === 'prepared') todo.commit[list].push(id);
  }
  await send(main, 'spool:commit', todo.commit);
  await send(main, 'spool:discard', todo.discard);
  await send(main, 'spool:release', todo.release);

  // Unsent work with no copy: saved before the spool existed, or while main could not be reached. A few per
  // pass, so a counter upgraded with a long backlog is not busy copying for minutes.
  const uncopiedDossiers = (await db.outbox.where('state').anyOf([...unsentStates]).primaryKeys()).filter((id) => !spooledDossiers.has(id) && !inFlight.has(id));
  const uncopiedEvents = (await db.counterEvents.where('state').anyOf(['waiting', 'sending', 'failed']).primaryKeys()).filter((id) => !spooledEvents.has(id) && !inFlight.has(id));
  let copied = 0;
  let budget = copyLimit;
  for (const id of uncopiedDossiers.slice(0, budget)) {
    try {
      const dossier = await db.dossiers.get(id);
      if (!dossier) continue;
      const metas = await db.files.where('dossierId').equals(id).toArray();
      const files: NewFile[] = [];
      // spoolEntryOf keeps only the accepted metadata (no chunk layout, no purge marks).
      for (const meta of metas) if (meta.purgedAt === undefined) files.push({ meta, bytes: await readFileBytes(db, meta.id) });
      await main.call('spool:prepare', spoolEntryOf(dossier, files));
      await main.call('spool:commit', { dossierIds: [id] });
      copied++;
    } catch (err) {
      problems.push(`dossier ${id}: ${err instanceof AppError ? err.code : String(err)}`);
    }
  }
  budget = Math.max(0, budget - uncopiedDossiers.length);
  for (const id of uncopiedEvents.slice(0, budget)) {
    try {
      const row = await db.counterEvents.get(id);
      if (!row) continue;
      await main.call('spool:prepare-event', spoolEventEntryOf(row.dossierId, row.event, await storedEventFiles(db, row.dossierId, row.event)));
      await main.call('spool:commit', { eventIds: [id] });
      copied++;
    } catch (err) {
      problems.push(`event ${id}: ${err instanceof AppError ? err.code : String(err)}`);
    }
  }
  const copiesLeft = Math.max(0, uncopiedDossiers.length + uncopiedEvents.length - copyLimit);
  const count = (ids: { dossierIds: string[]; eventIds: string[] }) => ids.dossierIds.length + ids.eventIds.length;
  return { committed: count(todo.commit), discarded: count(todo.discard), released: count(todo.release), copied, copiesLeft, problems };
}

export interface SpoolRestore {
  /** Codes of the dossiers saved again and queued for sending. */
  readonly restored: readonly string[];
  /** Counter events (returns, supplements, apologies) queued again. */
  readonly restoredEvents: number;
  /** Entries main holds but could not give back whole (SPOOL_DAMAGED): left in the spool for IT. */
  readonly damaged: readonly string[];
  /** Prepared entries (work never confirmed, so no receipt was printed): left in the spool. */
  readonly unconfirmed: number;
}

/**
 * After IT accepted a replaced (or shrunk) database: the dossiers, then the events, it lost that the central
 * may not have. Dossiers first, so an event waits behind its dossier's upload as it did before.
 */
export async function restoreFromSpool(db: CounterDatabase, main: MainClient, options: { lookupBatch?: number } = {}): Promise<SpoolRestore> {
  const { entries } = await main.call('spool:list', {});
  const restored: string[] = [];
  const damaged: string[] = [];
  let restoredEvents = 0;
  let unconfirmed = 0;
  const ordered = [...entries.filter((e) => e.kind === 'dossier'), ...entries.filter((e) => e.kind === 'event').sort((a, b) => a.createdAt.localeCompare(b.createdAt))];
  // What the database holds, by key alone: on a trusted database that is nearly every entry, and reading each
  // (sealed) row to learn it was there cost a decryption per dossier on the UI thread at every start.
  const held = new Set<string>();
  for (const ids of batches(entries.filter((e) => e.kind === 'dossier').map((e) => e.dossierId), options.lookupBatch ?? lookupBatch)) for (const id of await db.dossiers.where(':id').anyOf(ids).primaryKeys()) held.add(id);
  for (const ids of batches(entries.filter((e) => e.kind === 'event').map((e) => e.eventId ?? ''), options.lookupBatch ?? lookupBatch)) for (const id of await db.counterEvents.where(':id').anyOf(ids).primaryKeys()) held.add(id);
  for (const listed of ordered) {
    if (listed.problem) {
      damaged.push(listed.kind === 'event' ? `${listed.code || 'event'} ${listed.eventId ?? ''}`.trim() : listed.dossierId);
      continue;
    }
    if (listed.state !== 'committed') {
      unconfirmed++;
      continue;
    }
    try {
      if (listed.kind === 'dossier') {
        if (held.has(listed.dossierId) || (await db.dossiers.get(listed.dossierId as StoredDossier['id']))) continue;
        const { entry } = await main.call('spool:read', { dossierId: listed.dossierId });
        await saveAcceptedDossier(db, entry.dossier, entry.files);
        restored.push(entry.dossier.code);
      } else {
        const eventId = listed.eventId ?? '';
        if (held.has(eventId) || (await db.counterEvents.get(eventId))) continue;
        const { entry } = await main.call('spool:read-event', { eventId });
        if (await requeueCounterEvent(db, entry.dossierId, entry.event, entry.files)) restoredEvents++;
      }
    } catch (err) {
      if (err instanceof AppError && err.code === 'SPOOL_DAMAGED') damaged.push(listed.kind === 'event' ? `${listed.code} ${listed.eventId ?? ''}` : listed.code || listed.dossierId);
      else throw err;
    }
  }
  return { restored, restoredEvents, damaged, unconfirmed };
}

/**
 * How often a running counter reconciles the spool. Releases come with the acknowledgements (the engine's
 * port); this pass only catches what a crash or a failed release left, so it need not run often.
 */
const spoolReconcileIntervalMs = 10 * 60_000;

/** Ids whose copies main may drop: the central acknowledged them. */
export interface SpoolIdsToRelease {
  readonly dossierIds?: readonly StoredDossier['id'][];
  readonly eventIds?: readonly string[];
}

/** What the sync engine asks of main's spool with each acknowledgement (engine option `spool`). */
export interface SpoolReleasePort {
  release(ids: SpoolIdsToRelease): Promise<void>;
}

/** The port over main's IPC (spool:release; unknown ids are ignored there, so a second release is harmless). */
export function spoolReleasePort(main: MainClient): SpoolReleasePort {
  return {
    async release(ids) {
      const dossierIds = [...(ids.dossierIds ?? [])];
      const eventIds = [...(ids.eventIds ?? [])];
      if (dossierIds.length + eventIds.length === 0) return;
      await send(main, 'spool:release', { dossierIds, eventIds });
    },
  };
}

/**
 * On a database the ledger trusts: restores what it lacks once, then reconciles now (or once `firstPassAfter`
 * has resolved) and every `intervalMs`; a pass that changed something or met a problem is written in the sync
 * log (IT reads it in the sync history). Returns a stop function.
 */
export function keepSpoolReconciled(db: CounterDatabase, main: MainClient, intervalMs = spoolReconcileIntervalMs, firstPassAfter: () => Promise<void> = () => Promise.resolve()): () => void {
  let stopped = false;
  let first = true;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const pass = async (): Promise<void> => {
    let soon = false;
    try {
      if (first) {
        first = false;
        // On a database the ledger trusts, a committed copy it lacks is work it lost without the ledger
        // seeing (or a restore cut short after IT's acceptance): it goes back in the queue.
        const r = await restoreFromSpool(db, main);
        if (r.restored.length + r.restoredEvents + r.damaged.length > 0) {
          await db.syncLog.add({
            at: new Date().toISOString(),
            level: 'warn',
            event: 'spool:restored',
            details: { dossiers: r.restored.join(', '), events: r.restoredEvents, damaged: r.damaged.join(', ') },
          });
        }
      }
      const r = await reconcileSpool(db, main);
      soon = r.copiesLeft > 0;
      if (r.committed + r.discarded + r.released + r.copied + r.problems.length > 0) {
        await db.syncLog.add({
          at: new Date().toISOString(),
          level: r.problems.length ? 'warn' : 'info',
          event: 'spool:reconciled',
          details: { committed: r.committed, discarded: r.discarded, released: r.released, copied: r.copied, copiesLeft: r.copiesLeft, problems: r.problems.slice(0, 5).join('; ') },
        });
      }
    } catch (err) {
      await db.syncLog
        .add({ at: new Date().toISOString(), level: 'warn', event: 'spool:reconcile-failed', details: { error: err instanceof AppError ? err.code : String(err) } })
        .catch(() => undefined);
    }
    if (!stopped) timer = setTimeout(() => void pass(), soon ? Math.min(intervalMs, 10_000) : intervalMs);
  };
  void firstPassAfter().then(() => {
    if (!stopped) void pass();
  });
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
