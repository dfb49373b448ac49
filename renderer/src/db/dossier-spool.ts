/**
 * The renderer's half of main's dossier spool (electron/services/dossier-spool.ts): every accepted dossier
 * is also held by main, outside IndexedDB, until the central has acknowledged it — so a database the
 * browser replaced (database-ledger.ts) costs no dossier.
 *
 * - acceptance: spool:prepare (flushed to disk) → the database transaction → spool:commit;
 * - reconcile (at start and every few minutes, only on a database the ledger trusts): prepared entries the
 *   database holds are committed, stale prepared ones it lacks are discarded, acknowledged ones released,
 *   and unsent dossiers without a copy (saved before the spool existed) get one;
 * - restore (after IT accepted a replaced database): committed entries the database lacks are saved again
 *   and queued; the central's commit is idempotent by dossier id, so one it already holds is not doubled.
 */
import { AppError } from '../../../shared/errors';
import type { SpoolEntry } from '../../../shared/ipc/contract';
import type { MainClient } from '../platform/main-client';
import type { CounterDatabase, OutboxState, StoredDossier } from './database';
import { saveAcceptedDossier, type NewFile, type SaveOptions } from './dossiers';
import { readFileBytes } from './files';

/** Acceptances between spool:prepare and spool:commit in this window: reconcile leaves them alone. */
const inFlight = new Set<string>();

/** Copies made per reconcile pass for unsent dossiers saved without one. */
const spoolCopiesPerPass = 25;

/** A prepared entry the database lacks is an acceptance that failed — once it is this old. */
const abandonedAfterMs = 30 * 60_000;

const unsentStates: readonly OutboxState[] = ['waiting', 'uploading', 'committing', 'failed'];

/** The dossier and files as main's spool takes them (only the accepted metadata: no chunk layout, no purge marks). */
export function spoolEntryOf(dossier: StoredDossier, files: readonly NewFile[]): SpoolEntry {
  return {
    dossier: { ...dossier, components: dossier.components.map((c) => ({ ...c, fileIds: [...c.fileIds] })) },
    files: files.map(({ meta, bytes }) => ({
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
    })),
  };
}

/**
 * saveAcceptedDossier with main's copy written first: if main cannot write it (full disk → STORAGE_FULL),
 * nothing is saved and the clerk can try again; if the database transaction fails, the copy is discarded.
 */
export async function saveAcceptedDossierSpooled(db: CounterDatabase, main: MainClient, dossier: StoredDossier, files: readonly NewFile[], options: SaveOptions = {}): Promise<void> {
  inFlight.add(dossier.id);
  try {
    await main.call('spool:prepare', spoolEntryOf(dossier, files));
    try {
      await saveAcceptedDossier(db, dossier, files, options);
    } catch (err) {
      await main.call('spool:discard', { dossierIds: [dossier.id] }).catch(() => undefined);
      throw err;
    }
    // The dossier is saved: a failed commit mark only leaves the copy 'prepared', and reconcile marks it.
    await main.call('spool:commit', { dossierIds: [dossier.id] }).catch(() => undefined);
  } finally {
    inFlight.delete(dossier.id);
  }
}

export interface SpoolReconciliation {
  readonly committed: number;
  readonly discarded: number;
  readonly released: number;
  readonly copied: number;
  /** Unsent dossiers still without a copy after this pass (the next pass comes sooner). */
  readonly copiesLeft: number;
  /** Entries main could not read (left for IT) and copies that could not be made. */
  readonly problems: readonly string[];
}

const batches = <T,>(items: readonly T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
};

/**
 * Brings main's spool in line with a database the ledger trusts ('same', 'first', or adopted and restored).
 * Never run on a database the ledger has not accepted: there, every entry it lacks would look abandoned.
 */
export async function reconcileSpool(db: CounterDatabase, main: MainClient, options: { now?: () => Date; copyLimit?: number } = {}): Promise<SpoolReconciliation> {
  const now = options.now ?? (() => new Date());
  const copyLimit = options.copyLimit ?? spoolCopiesPerPass;
  const { entries } = await main.call('spool:list', {});
  const problems: string[] = [];
  const toCommit: string[] = [];
  const toDiscard: string[] = [];
  const toRelease: string[] = [];
  const spooled = new Set<string>();
  for (const entry of entries) {
    spooled.add(entry.dossierId);
    if (entry.problem) {
      problems.push(`${entry.dossierId}: ${entry.problem}`);
      continue;
    }
    if (inFlight.has(entry.dossierId)) continue;
    const id = entry.dossierId as StoredDossier['id'];
    const [dossier, outbox] = await Promise.all([db.dossiers.get(id), db.outbox.get(id)]);
    if (!dossier) {
      const age = now().getTime() - Date.parse(entry.createdAt);
      if (entry.state === 'prepared' && age > abandonedAfterMs) toDiscard.push(entry.dossierId);
      continue;
    }
    if (outbox?.state === 'acknowledged') toRelease.push(entry.dossierId);
    else if (entry.state === 'prepared') toCommit.push(entry.dossierId);
  }
  for (const ids of batches(toCommit, 500)) await main.call('spool:commit', { dossierIds: ids });
  for (const ids of batches(toDiscard, 500)) await main.call('spool:discard', { dossierIds: ids });
  for (const ids of batches(toRelease, 500)) await main.call('spool:release', { dossierIds: ids });

  // Unsent dossiers with no copy: saved before the spool existed, or while main could not be reached. A few
  // per pass, so a counter upgraded with a long backlog is not busy copying for minutes.
  let copied = 0;
  const unsent = await db.outbox.where('state').anyOf([...unsentStates]).primaryKeys();
  const uncopied = unsent.filter((id) => !spooled.has(id) && !inFlight.has(id));
  for (const id of uncopied.slice(0, copyLimit)) {
    try {
      const dossier = await db.dossiers.get(id);
      if (!dossier) continue;
      const metas = await db.files.where('dossierId').equals(id).toArray();
      const files: NewFile[] = [];
      // spoolEntryOf keeps only the accepted metadata (no chunk layout, no purge marks).
      for (const meta of metas) files.push({ meta, bytes: await readFileBytes(db, meta.id) });
      await main.call('spool:prepare', spoolEntryOf(dossier, files));
      await main.call('spool:commit', { dossierIds: [id] });
      copied++;
    } catch (err) {
      problems.push(`${id}: ${err instanceof AppError ? err.code : String(err)}`);
    }
  }
  return { committed: toCommit.length, discarded: toDiscard.length, released: toRelease.length, copied, copiesLeft: Math.max(0, uncopied.length - copyLimit), problems };
}

export interface SpoolRestore {
  /** Codes of the dossiers saved again and queued for sending. */
  readonly restored: readonly string[];
  /** Entries main holds but could not give back whole (SPOOL_DAMAGED): left in the spool for IT. */
  readonly damaged: readonly string[];
  /** Prepared entries (acceptances never confirmed, so no receipt was printed): left in the spool. */
  readonly unconfirmed: number;
}

/** After IT accepted a replaced (or shrunk) database: the dossiers it lost that the central may not have. */
export async function restoreFromSpool(db: CounterDatabase, main: MainClient): Promise<SpoolRestore> {
  const { entries } = await main.call('spool:list', {});
  const restored: string[] = [];
  const damaged: string[] = [];
  let unconfirmed = 0;
  for (const listed of entries) {
    if (listed.problem) {
      damaged.push(listed.dossierId);
      continue;
    }
    if (listed.state !== 'committed') {
      unconfirmed++;
      continue;
    }
    if (await db.dossiers.get(listed.dossierId as StoredDossier['id'])) continue;
    try {
      const { entry } = await main.call('spool:read', { dossierId: listed.dossierId });
      await saveAcceptedDossier(db, entry.dossier, entry.files);
      restored.push(entry.dossier.code);
    } catch (err) {
      if (err instanceof AppError && err.code === 'SPOOL_DAMAGED') damaged.push(listed.code || listed.dossierId);
      else throw err;
    }
  }
  return { restored, damaged, unconfirmed };
}

/** How often a running counter reconciles the spool: releases follow acknowledgements within this. */
export const spoolReconcileIntervalMs = 2 * 60_000;

/**
 * Reconciles now and then every `intervalMs`; a pass that changed something or met a problem is written in
 * the sync log (IT reads it in the sync history). Returns a stop function.
 */
export function keepSpoolReconciled(db: CounterDatabase, main: MainClient, intervalMs = spoolReconcileIntervalMs): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const pass = async (): Promise<void> => {
    let soon = false;
    try {
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
  void pass();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
