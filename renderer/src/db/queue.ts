/**
 * Read helpers for the queue screen. The UI wraps them in Dexie's `liveQuery` so
 * every outbox transition the sync engine writes shows up without polling.
 */
import { liveQuery } from 'dexie';
import type { DossierId } from '../../../shared/domain/dossier';
import type { WireError } from '../../../shared/errors';
import type { CounterDatabase, OutboxRow, OutboxState, StoredDossier } from './database';
import { bytesLeftOf, bytesSentOf, foldText, searchRowOf } from './search';
import { canTake, dossierStateNames, next } from '../sync/outbox-machine';

export {  foldText,  } from './search';

export interface QueueItem {
  readonly dossierId: DossierId;
  readonly code: string;
  readonly applicantName: string;
  readonly procedureName: string;
  readonly receivedAt: string;
  readonly appointmentAt: string;
  readonly state: OutboxState;
  readonly attempts: number;
  readonly nextAttemptAt: number;
  readonly lastError?: WireError;
  readonly bytesTotal: number;
  readonly bytesSent: number;
  /** The central's id for the dossier, once acknowledged. */
  readonly centralId?: string;
  readonly centralReceivedAt?: string;
  readonly acknowledgedAt?: string;
  /** Issue 15: the provisional number the dossier carried before the central gave its official code. */
  readonly provisionalCode?: string;
}

export interface QueueCounts {
  /** Not yet acknowledged and not failed: waiting, uploading or committing. */
  readonly pending: number;
  readonly failed: number;
  readonly acknowledged: number;
  /** Bytes still to send for the pending rows. */
  readonly bytesLeft: number;
}

function toItem(dossier: StoredDossier, row: OutboxRow): QueueItem {
  return {
    dossierId: dossier.id,
    code: dossier.code,
    applicantName: dossier.applicant.fullName,
    procedureName: dossier.procedure.name,
    receivedAt: dossier.receivedAt,
    appointmentAt: dossier.appointmentAt,
    state: row.state,
    attempts: row.attempts,
    nextAttemptAt: row.nextAttemptAt,
    ...(row.lastError ? { lastError: row.lastError } : {}),
    bytesTotal: row.bytesTotal,
    bytesSent: row.state === 'acknowledged' ? row.bytesTotal : bytesSentOf(row),
    ...(row.ack ? { centralId: row.ack.centralId } : {}),
    ...(row.centralReceivedAt ? { centralReceivedAt: row.centralReceivedAt } : {}),
    ...(row.acknowledgedAt ? { acknowledgedAt: row.acknowledgedAt } : {}),
    ...(dossier.provisionalCode ? { provisionalCode: dossier.provisionalCode } : {}),
  };
}

export interface QueueFilter {
  /** Part of the dossier code or of the applicant's name (case and diacritics ignored). */
  readonly text?: string;
  readonly state?: OutboxState;
}

/** Every `dossierSearch` key, `[createdAt, folded code + name, id]`, oldest first (its primary key order). */
export type SearchKeys = readonly (readonly [string, string, DossierId])[];

/**
 * All search keys in one `getAllKeys`. The queue screen holds them in memory as a live query, which wakes
 * only when a dossier is saved (or removed); a keystroke then filters that array instead of reading and
 * decoding the 10,000 keys again, which was most of its time (docs/benchmarks.md).
 */
export function searchKeys(db: CounterDatabase): Promise<SearchKeys> {
  return db.dossierSearch.toCollection().primaryKeys();
}

interface HeldSearchKeys {
  keys?: SearchKeys;
  readonly listeners: Set<(keys: SearchKeys) => void>;
}

const held = new WeakMap<CounterDatabase, HeldSearchKeys>();

/**
 * Keeps the search keys of `db` in memory from the first call on, for the life of the page: a live query
 * that re-reads them when a dossier is saved, so reopening the queue screen finds them at once instead of
 * reading them again while it draws its first rows. Calls `listener` with the keys now (if held) and on every
 * change; the returned function stops the calls (the keys stay held). On a read error they are dropped and
 * the next call starts again; `queueView` without keys reads its own meanwhile.
 */
export function watchSearchKeys(db: CounterDatabase, listener: (keys: SearchKeys) => void): () => void {
  let entry = held.get(db);
  if (!entry) {
    const fresh: HeldSearchKeys = { listeners: new Set() };
    held.set(db, fresh);
    const subscription = liveQuery(() => searchKeys(db)).subscribe({
      next: (keys) => {
        fresh.keys = keys;
        for (const l of fresh.listeners) l(keys);
      },
      error: () => {
        held.delete(db);
        subscription.unsubscribe();
      },
    });
    entry = fresh;
  }
  const current = entry;
  current.listeners.add(listener);
  if (current.keys) listener(current.keys);
  return () => {
    current.listeners.delete(listener);
  };
}

/** The keys `watchSearchKeys` holds for `db`, if any yet. */
export function heldSearchKeys(db: CounterDatabase): SearchKeys | undefined {
  return held.get(db)?.keys;
}

/**
 * Dossiers joined with their outbox rows, newest first (the queue screen's list), at most `limit`. The
 * search tests the `dossierSearch` keys (folded code and name, in creation order) — `keys` when the caller
 * holds them, else read here — and a state filter reads the outbox's `state` index keys only; just the
 * `limit` rows shown are deserialized. As a live query it wakes on the rows shown and on state changes of
 * the state asked for; without `keys`, also on new dossiers.
 */
export async function queueView(db: CounterDatabase, limit = 200, filter: QueueFilter = {}, keys?: SearchKeys): Promise<QueueItem[]> {
  const needle = filter.text ? foldText(filter.text.trim()) : '';
  return db.transaction('r', [db.dossierSearch, db.dossiers, db.outbox], async () => {
    let ids: DossierId[];
    if (!needle && !filter.state && !keys) {
      ids = (await db.dossierSearch.orderBy(':id').reverse().limit(limit).primaryKeys()).map(([, , id]) => id);
    } else {
      const all = keys ?? (await searchKeys(db));
      const inState = filter.state ? new Set(await db.outbox.where('state').equals(filter.state).primaryKeys()) : undefined;
      ids = [];
      for (let i = all.length - 1; i >= 0 && ids.length < limit; i--) {
        const [, text, id] = all[i]!;
        if (needle && !text.includes(needle)) continue;
        if (inState && !inState.has(id)) continue;
        ids.push(id);
      }
    }
    const [dossiers, rows] = await Promise.all([db.dossiers.bulkGet(ids), db.outbox.bulkGet(ids)]);
    const items: QueueItem[] = [];
    dossiers.forEach((dossier, i) => {
      const row = rows[i];
      if (dossier && row) items.push(toItem(dossier, row));
    });
    return items;
  });
}

/**
 * Index counts per state and the running byte total (`queueTotals`, kept by the derived-tables middleware):
 * no outbox row is read, however long the queue.
 */
export async function queueCounts(db: CounterDatabase): Promise<QueueCounts> {
  return db.transaction('r', [db.outbox, db.queueTotals], async () => {
    const count = (state: OutboxState) => db.outbox.where('state').equals(state).count();
    const [waiting, uploading, committing, failed, acknowledged, totals] = await Promise.all([
      count('waiting'),
      count('uploading'),
      count('committing'),
      count('failed'),
      count('acknowledged'),
      db.queueTotals.get('outbox'),
    ]);
    return { pending: waiting + uploading + committing, failed, acknowledged, bytesLeft: totals?.bytesLeft ?? 0 };
  });
}

export interface DerivedRepair {
  /** Search rows added for dossiers that had none (plus stale ones removed). */
  readonly searchRowsFixed: number;
  /** Set when the stored byte total differed from the outbox: what it was. */
  readonly bytesLeftWas?: number;
  readonly bytesLeft: number;
}

/**
 * Rebuilds what the derived-tables middleware keeps, where it disagrees with the source rows: after raw
 * IndexedDB writes that bypassed Dexie (a benchmark's seeding, a restored profile). Run by the sync worker
 * at start-up; it reads the pending outbox rows once and the dossiers only when the search rows are short.
 */
export async function repairDerivedTables(db: CounterDatabase): Promise<DerivedRepair> {
  const searchRowsFixed = await db.transaction('rw', [db.dossiers, db.dossierSearch], async () => {
    const [dossierCount, searchCount] = await Promise.all([db.dossiers.count(), db.dossierSearch.count()]);
    if (dossierCount === searchCount) return 0;
    const indexed = new Set(await db.dossierSearch.orderBy('dossierId').keys());
    const ids = await db.dossiers.toCollection().primaryKeys();
    const missing = ids.filter((id) => !indexed.has(id));
    const existing = new Set(ids);
    const stale = (await db.dossierSearch.toCollection().primaryKeys()).filter(([, , id]) => !existing.has(id));
    const dossiers = (await db.dossiers.bulkGet(missing)).filter((d): d is StoredDossier => d !== undefined);
    await db.dossierSearch.bulkDelete(stale);
    await db.dossierSearch.bulkPut(dossiers.map(searchRowOf));
    return dossiers.length + stale.length;
  });
  // The byte total is checked in a read-only transaction first, with one getAll per pending state: at every
  // start on a counter with 10,000 unsent dossiers, a read-write transaction walking them with a cursor held the
  // outbox from the queue screen for seconds (issue 20: the first open after a restart waited 11–14 s at load
  // 10–15). Only a total that differs is fixed, as before, in a read-write transaction that reads them again.
  const pendingBytes = async (): Promise<number> => {
    const rows = await Promise.all((['waiting', 'uploading', 'committing'] as const).map((state) => db.outbox.where('state').equals(state).toArray()));
    return rows.flat().reduce((sum, row) => sum + bytesLeftOf(row), 0);
  };
  const checked = await db.transaction('r', [db.outbox, db.queueTotals], async () => ({ bytesLeft: await pendingBytes(), stored: (await db.queueTotals.get('outbox'))?.bytesLeft }));
  if (checked.stored === checked.bytesLeft) return { searchRowsFixed, bytesLeft: checked.bytesLeft };
  return db.transaction('rw', [db.outbox, db.queueTotals], async () => {
    const bytesLeft = await pendingBytes();
    const stored = (await db.queueTotals.get('outbox'))?.bytesLeft;
    if (stored === bytesLeft) return { searchRowsFixed, bytesLeft };
    await db.queueTotals.put({ key: 'outbox', bytesLeft });
    return { searchRowsFixed, bytesLeft, ...(stored === undefined ? {} : { bytesLeftWas: stored }) };
  });
}

/** The clerk (or IT) sends a failed dossier again, e.g. after the central was fixed. */
export async function requeueDossier(db: CounterDatabase, dossierId: DossierId, now: Date): Promise<boolean> {
  return db.transaction('rw', [db.outbox, db.syncLog], async () => {
    const row = await db.outbox.get(dossierId);
    if (!row || !canTake(row.state, 'requeued')) return false;
    await db.outbox.update(dossierId, { state: dossierStateNames[next(row.state, 'requeued')], nextAttemptAt: now.getTime(), updatedAt: now.toISOString() });
    await db.syncLog.add({ at: now.toISOString(), level: 'info', dossierId, event: 'requeued', details: { previousError: row.lastError?.code ?? '' } });
    return true;
  });
}
