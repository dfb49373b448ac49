/**
 * Read helpers for the queue screen. The UI wraps them in Dexie's `liveQuery` (or uses `observeQueue`) so
 * every outbox transition the sync engine writes shows up without polling.
 */
import { liveQuery } from 'dexie';
import type { Observable } from 'dexie';
import type { DossierId } from '../../../shared/domain/dossier';
import type { WireError } from '../../../shared/errors';
import type { CounterDatabase, OutboxRow, OutboxState, StoredDossier } from './database';

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

export function bytesSentOf(row: OutboxRow): number {
  return Object.values(row.uploads).reduce((sum, u) => sum + Math.min(u.bytesSent, u.size), 0);
}

export function isPending(state: OutboxState): boolean {
  return state === 'waiting' || state === 'uploading' || state === 'committing';
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

/** Lower case without Vietnamese diacritics, so "nguyen" finds "Nguyễn" and "đ" matches "d". */
export function foldText(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase();
}

/**
 * Dossiers joined with their outbox rows, newest first (the queue screen's list), at most `limit`. With a
 * state, the outbox's `state` index picks the rows; with text, the newest dossiers are scanned until
 * `limit` match — a counter's queue holds thousands, never millions.
 */
export async function queueView(db: CounterDatabase, limit = 200, filter: QueueFilter = {}): Promise<QueueItem[]> {
  const needle = filter.text ? foldText(filter.text.trim()) : '';
  return db.transaction('r', [db.dossiers, db.outbox], async () => {
    let dossiers: StoredDossier[];
    let rows: (OutboxRow | undefined)[];
    if (filter.state) {
      const stateRows = await db.outbox.where('state').equals(filter.state).toArray();
      const byId = new Map(stateRows.map((r) => [r.dossierId, r]));
      const all = (await db.dossiers.bulkGet(stateRows.map((r) => r.dossierId))).filter((d): d is StoredDossier => d !== undefined);
      dossiers = all
        .filter((d) => !needle || foldText(d.code).includes(needle) || foldText(d.applicant.fullName).includes(needle))
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
        .slice(0, limit);
      rows = dossiers.map((d) => byId.get(d.id));
    } else {
      const query = db.dossiers.orderBy('createdAt').reverse();
      dossiers = await (needle ? query.filter((d) => foldText(d.code).includes(needle) || foldText(d.applicant.fullName).includes(needle)) : query).limit(limit).toArray();
      rows = await db.outbox.bulkGet(dossiers.map((d) => d.id));
    }
    const items: QueueItem[] = [];
    dossiers.forEach((dossier, i) => {
      const row = rows[i];
      if (row) items.push(toItem(dossier, row));
    });
    return items;
  });
}

export async function queueCounts(db: CounterDatabase): Promise<QueueCounts> {
  let pending = 0;
  let failed = 0;
  let acknowledged = 0;
  let bytesLeft = 0;
  await db.outbox.each((row) => {
    if (isPending(row.state)) {
      pending++;
      bytesLeft += Math.max(0, row.bytesTotal - bytesSentOf(row));
    } else if (row.state === 'failed') failed++;
    else acknowledged++;
  });
  return { pending, failed, acknowledged, bytesLeft };
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
