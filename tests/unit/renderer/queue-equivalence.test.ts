// Issue 20: the queue screen now filters search keys it holds in memory instead of reading them from
// IndexedDB on every keystroke. On a generated 10,000-dossier database the results — rows, their order and
// how many — must be exactly those of the implementation before the change (copied below, test-only).
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CounterDatabase } from '../../../renderer/src/db/database';
import type { OutboxRow, OutboxState, StoredDossier } from '../../../renderer/src/db/database';
import { foldText, queueView, searchKeys, watchSearchKeys, type QueueFilter, type QueueItem, type SearchKeys } from '../../../renderer/src/db/queue';
import { bytesSentOf } from '../../../renderer/src/db/search';
import type { DossierId } from '../../../shared/domain/dossier';
import { testDossier } from '../../support/counter-dossier';

/** `queueView` as it was before issue 20 (commit f37964e), with its private `toItem`. */
async function queueViewBefore(db: CounterDatabase, limit = 200, filter: QueueFilter = {}): Promise<QueueItem[]> {
  const toItem = (dossier: StoredDossier, row: OutboxRow): QueueItem => ({
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
  });
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

const count = 10_000;
const names = ['Nguyễn Văn Đức', 'Trần Thị Bình', 'Lê Văn Cường', 'Phạm Thị Dung', 'Hoàng Văn Em', 'Vũ Thị Phương', 'Đặng Quốc Đạt'];

/** Outbox states spread over the queue; every 997th dossier has no outbox row at all (dropped from the view). */
function stateOf(n: number): OutboxState | undefined {
  if (n % 997 === 0) return undefined;
  if (n % 5 === 0) return 'acknowledged';
  if (n % 7 === 0) return 'failed';
  if (n % 11 === 0) return 'uploading';
  if (n % 13 === 0) return 'committing';
  return 'waiting';
}

let db: CounterDatabase;
let keys: SearchKeys;

beforeAll(async () => {
  db = new CounterDatabase(`motcua-equivalence-${crypto.randomUUID()}`);
  const dossiers: StoredDossier[] = [];
  for (let n = 1; n <= count; n++) {
    // Every 50th dossier shares its creation instant with the one before: the ties order by text, then id.
    const createdAt = new Date(Date.UTC(2026, 10, 1) + (n - (n % 50 === 0 ? 1 : 0)) * 60_000).toISOString();
    const day = createdAt.slice(2, 10).replace(/-/g, '');
    const base = testDossier(n, { fullName: `${names[n % names.length]} ${n}`, createdAt });
    dossiers.push({ ...base, code: `000.00.01.H22-${day}-${String((n % 9000) + 1).padStart(4, '0')}` });
  }
  const outbox: OutboxRow[] = dossiers.flatMap((d, i) => {
    const state = stateOf(i + 1);
    if (!state) return [];
    const sent = state === 'uploading' ? 400 : state === 'acknowledged' || state === 'committing' ? 1000 : 0;
    const row: OutboxRow = { dossierId: d.id, state, attempts: state === 'failed' ? 3 : 0, nextAttemptAt: 0, uploads: { ['ab'.repeat(32)]: { bytesSent: sent, size: 1000 } }, bytesTotal: 1000, queuedAt: d.createdAt, updatedAt: d.createdAt };
    return [row];
  });
  // Through Dexie, so the derived-tables middleware writes the search keys as the app's save does.
  for (let at = 0; at < dossiers.length; at += 1000) {
    await db.transaction('rw', [db.dossiers, db.outbox], async () => {
      await db.dossiers.bulkAdd(dossiers.slice(at, at + 1000));
      await db.outbox.bulkAdd(outbox.filter((row) => dossiers.slice(at, at + 1000).some((d) => d.id === row.dossierId)));
    });
  }
  keys = await searchKeys(db);
}, 120_000);

afterAll(async () => {
  await db.delete();
});

const texts = [
  '',
  '   ',
  // Whole codes, partial codes, the unit, a day, a number.
  '000.00.01.H22-261101-0002',
  '000.00.01.h22-261107-8000',
  '-0123',
  '-9000',
  '0001',
  '261103',
  'H22-2611',
  '.h22',
  '000.00',
  '7',
  // Names with and without diacritics, upper case, several words, a name and a number.
  'Nguyễn',
  'nguyen',
  'NGUYỄN VĂN',
  'đức',
  'duc',
  'Đặng Quốc Đạt',
  'dang quoc dat',
  'dat 70',
  'Dung 5003',
  'thi',
  ' thị bình 12 ',
  'phuong 999',
  'van em 1',
  // Nothing matches; text that spans code and name must not match either.
  'xyz',
  '0001 nguyen',
  '\u001f',
];
const states: (OutboxState | undefined)[] = [undefined, 'waiting', 'failed', 'acknowledged', 'uploading', 'committing'];
const limits = [1, 50, 200, count + 1];

describe('queue filter on 10,000 dossiers, before and after issue 20', () => {
  it('shows the same rows in the same order, and as many, for every query, state and page size', async () => {
    let compared = 0;
    for (const text of texts) {
      for (const state of states) {
        for (const limit of limits) {
          // Every state and the full list for a few texts only (the rest is covered by the pages), to keep the run short.
          const few = text === '' || text === 'nguyen' || text === '-0123';
          if (!few && (limit > 200 || (state !== undefined && state !== 'failed'))) continue;
          const filter: QueueFilter = { text, ...(state ? { state } : {}) };
          const before = await queueViewBefore(db, limit, filter);
          const held = await queueView(db, limit, filter, keys);
          const read = await queueView(db, limit, filter);
          expect(held.map((i) => i.dossierId), JSON.stringify({ text, state, limit })).toEqual(before.map((i) => i.dossierId));
          expect(held).toEqual(before);
          expect(read).toEqual(before);
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(150);
  }, 300_000);

  it('is not vacuous: the generated queue has matches, misses and dropped rows', async () => {
    const all = await queueViewBefore(db, count + 1, { text: '' });
    expect(all).toHaveLength(count - Math.floor(count / 997));
    // 1,428 are Đặng Quốc Đạt (n % 7 = 6); two of them have no outbox row (n % 997 = 0).
    expect((await queueViewBefore(db, count + 1, { text: 'dang quoc dat' })).length).toBe(1426);
    expect(await queueViewBefore(db, 200, { text: '0001 nguyen' })).toEqual([]);
    expect((await queueViewBefore(db, count + 1, { text: '', state: 'failed' })).every((i) => i.state === 'failed')).toBe(true);
  }, 120_000);

  // Last: it adds a dossier. The screen's keys are the held ones; a new dossier must reach them.
  it('the keys held for the screen follow a new dossier', async () => {
    const seen: SearchKeys[] = [];
    const stop = watchSearchKeys(db, (k) => seen.push(k));
    await vi.waitFor(() => expect(seen.at(-1)?.length).toBe(count), { timeout: 30_000 });
    const extra = testDossier(count + 1, { fullName: 'Ngô Thị Mới', createdAt: new Date(Date.UTC(2026, 10, 30)).toISOString() });
    await db.transaction('rw', [db.dossiers, db.outbox], async () => {
      await db.dossiers.add(extra);
      await db.outbox.add({ dossierId: extra.id, state: 'waiting', attempts: 0, nextAttemptAt: 0, uploads: {}, bytesTotal: 0, queuedAt: extra.createdAt, updatedAt: extra.createdAt });
    });
    await vi.waitFor(() => expect(seen.at(-1)?.length).toBe(count + 1), { timeout: 30_000 });
    stop();
    for (const text of ['', 'moi', 'NGÔ THỊ', '-0002']) {
      const before = await queueViewBefore(db, 50, { text });
      expect(await queueView(db, 50, { text }, seen.at(-1))).toEqual(before);
    }
    expect((await queueView(db, 1, {}, seen.at(-1)))[0]?.dossierId).toBe(extra.id);
  }, 120_000);
});
