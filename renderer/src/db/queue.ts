/**
 * Read helpers for the queue screen. The UI wraps them in Dexie's `liveQuery` (or uses `observeQueue`) so
 * every outbox transition the sync engine writes shows up without polling.
 */
import { liveQuery } from 'dexie';
import type { Observable } from 'dexie';
import type { DossierId } from '../../../shared/domain/dossier';
import type { WireError } from '../../../shared/errors';
import type { CounterDatabase, OutboxRow, OutboxState, StoredDossier } from './database';
import { bytesLeftOf, bytesSentOf, foldText, searchRowOf } from './search';

export { bytesSentOf, foldText, isPending } from './search';

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
  };
}

export interface QueueFilter {
  /** Part of the dossier code or of the applicant's name (case and diacritics ignored). */
  readonly text?: string;
  readonly state?: OutboxState;
}

/**
 * Dossiers joined with their outbox rows, newest first (the queue screen's list), at most `limit`. The
 * search reads the `dossierSearch` keys only (folded code and name, in creation order; one getAllKeys) and
 * a state filter reads the outbox's `state` index keys only; just the `limit` rows shown are deserialized.
 * As a live query it wakes on new dossiers, on state changes of the state asked for and on the rows shown,
 * not on other tables.
 */
export async function queueView(db: CounterDatabase, limit = 200, filter: QueueFilter = {}): Promise<QueueItem[]> {
  const needle = filter.text ? foldText(filter.text.trim()) : '';
  return db.transaction('r', [db.dossierSearch, db.dossiers, db.outbox], async () => {
    let ids: DossierId[];
    if (!needle && !filter.state) {
      ids = (await db.dossierSearch.orderBy(':id').reverse().limit(limit).primaryKeys()).map(([, , id]) => id);
    } else {
      const keys = await db.dossierSearch.toCollection().primaryKeys();
      const inState = filter.state ? new Set(await db.outbox.where('state').equals(filter.state).primaryKeys()) : undefined;
      ids = [];
      for (let i = keys.length - 1; i >= 0 && ids.length < limit; i--) {
        const [, text, id] = keys[i]!;
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
  return db.transaction('rw', [db.outbox, db.queueTotals], async () => {
    let bytesLeft = 0;
    await db.outbox
      .where('state')
      .anyOf(['waiting', 'uploading', 'committing'])
      .each((row) => {
        bytesLeft += bytesLeftOf(row);
      });
    const stored = (await db.queueTotals.get('outbox'))?.bytesLeft;
    if (stored === bytesLeft) return { searchRowsFixed, bytesLeft };
    await db.queueTotals.put({ key: 'outbox', bytesLeft });
    return { searchRowsFixed, bytesLeft, ...(stored === undefined ? {} : { bytesLeftWas: stored }) };
  });
}

export function observeQueue(db: CounterDatabase, limit = 200): Observable<QueueItem[]> {
  return liveQuery(() => queueView(db, limit));
}

export function observeQueueCounts(db: CounterDatabase): Observable<QueueCounts> {
  return liveQuery(() => queueCounts(db));
}

/** The clerk (or IT) sends a failed dossier again, e.g. after the central was fixed. */
export async function requeueDossier(db: CounterDatabase, dossierId: DossierId, now: Date): Promise<boolean> {
  return db.transaction('rw', [db.outbox, db.syncLog], async () => {
    const row = await db.outbox.get(dossierId);
    if (!row || row.state !== 'failed') return false;
    await db.outbox.update(dossierId, { state: 'waiting', nextAttemptAt: now.getTime(), updatedAt: now.toISOString() });
    await db.syncLog.add({ at: now.toISOString(), level: 'info', dossierId, event: 'requeued', details: { previousError: row.lastError?.code ?? '' } });
    return true;
  });
}
