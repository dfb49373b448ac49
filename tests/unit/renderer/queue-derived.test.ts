// Schema version 5: the queue's search keys and running byte total, kept by the derived-tables middleware in the
// same transaction as the rows they come from; the upgrade from a populated v4 database; the start-up repair;
// and live queries that wake only for what they show.
import 'fake-indexeddb/auto';
import Dexie, { liveQuery } from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { CounterDatabase } from '../../../renderer/src/db/database';
import { schemaV1, schemaV2, schemaV3, schemaV4, schemaV5 } from '../../../renderer/src/db/schema-versions';
import type { OutboxRow, StoredDossier } from '../../../renderer/src/db/database';
import { saveAcceptedDossier } from '../../../renderer/src/db/dossiers';
import { queueCounts, queueView, repairDerivedTables } from '../../../renderer/src/db/queue';
import { sha256Hex } from '../../../shared/util/bytes';
import { testDossier } from '../../support/counter-dossier';
import { dexieAtVersion } from '../../support/old-counter-schema';

const open: Dexie[] = [];
afterEach(async () => {
  for (const db of open.splice(0)) {
    db.close();
    await Dexie.delete(db.name);
  }
});

const names = ['Nguyễn Văn Đức', 'Trần Thị Bình', 'Lê Văn Cường', 'Phạm Thị Dung'];

function dossierNo(n: number): StoredDossier {
  return testDossier(n, { fullName: `${names[n % names.length]} ${n}` });
}

async function save(db: CounterDatabase, n: number, size = 1000): Promise<StoredDossier> {
  const dossier = dossierNo(n);
  const bytes = new Uint8Array(size).fill(n % 251);
  const fileId = dossier.components[0]!.fileIds[0]!;
  await saveAcceptedDossier(db, dossier, [{ bytes, meta: { id: fileId, dossierId: dossier.id, componentCode: 'TP1', name: 'to-khai.pdf', mediaType: 'application/pdf', size, sha256: sha256Hex(bytes), pageCount: 1 } }]);
  return dossier;
}

function outboxRow(dossier: StoredDossier, state: OutboxRow['state'], bytesTotal: number, bytesSent: number): OutboxRow {
  return { dossierId: dossier.id, state, attempts: 0, nextAttemptAt: 0, uploads: { ['ab'.repeat(32)]: { bytesSent, size: bytesTotal } }, bytesTotal, queuedAt: dossier.createdAt, updatedAt: dossier.createdAt };
}

function newDb(): CounterDatabase {
  const db = new CounterDatabase(`motcua-derived-${crypto.randomUUID()}`);
  open.push(db);
  return db;
}

/** The byte total recomputed from the outbox rows themselves, the slow way. */
async function bytesLeftTheSlowWay(db: CounterDatabase): Promise<number> {
  const rows = await db.outbox.toArray();
  return rows
    .filter((r) => r.state === 'waiting' || r.state === 'uploading' || r.state === 'committing')
    .reduce((sum, r) => sum + r.bytesTotal - Object.values(r.uploads).reduce((s, u) => s + Math.min(u.bytesSent, u.size), 0), 0);
}

describe('schema version 5 upgrade', () => {
  it('fills the search keys and the byte total from a populated version 4 database', async () => {
    const name = `motcua-derived-${crypto.randomUUID()}`;
    const v4 = dexieAtVersion(name, 4);
    await v4.open();
    const dossiers = Array.from({ length: 30 }, (_, n) => dossierNo(n + 1));
    await v4.table('dossiers').bulkAdd(dossiers);
    // 10 sent, 10 half-way, 10 waiting; of 1,000 bytes each.
    await v4.table('outbox').bulkAdd(dossiers.map((d, i) => (i < 10 ? outboxRow(d, 'acknowledged', 1000, 1000) : i < 20 ? outboxRow(d, 'uploading', 1000, 400) : outboxRow(d, 'waiting', 1000, 0))));
    v4.close();

    const db = new CounterDatabase(name);
    open.push(db);
    await db.open();
    expect(db.verno).toBe(10);
    expect(Object.keys(schemaV5).every((t) => db.tables.some((x) => x.name === t))).toBe(true);
    expect(await db.dossierSearch.count()).toBe(30);
    expect(await queueCounts(db)).toEqual({ pending: 20, failed: 0, acknowledged: 10, bytesLeft: 10 * 600 + 10 * 1000 });
    // The search works on upgraded rows: no diacritics, either field, newest first.
    expect((await queueView(db, 200, { text: 'duc' })).map((i) => i.applicantName)).toEqual(['Nguyễn Văn Đức 28', 'Nguyễn Văn Đức 24', 'Nguyễn Văn Đức 20', 'Nguyễn Văn Đức 16', 'Nguyễn Văn Đức 12', 'Nguyễn Văn Đức 8', 'Nguyễn Văn Đức 4']);
    expect((await queueView(db, 200, { text: '-0017' })).map((i) => i.code)).toEqual([dossiers[16]!.code]);
    expect(await repairDerivedTables(db)).toEqual({ searchRowsFixed: 0, bytesLeft: 16_000 });
  });
});

describe('schema version 6 upgrade', () => {
  it('indexes a populated version 5 outbox by state and queue time, and by state and next attempt', async () => {
    const name = `motcua-derived-${crypto.randomUUID()}`;
    const v5 = dexieAtVersion(name, 5);
    await v5.open();
    const dossiers = Array.from({ length: 30 }, (_, n) => dossierNo(n + 1));
    await v5.table('dossiers').bulkAdd(dossiers);
    // 20 sent long ago, then 10 waiting whose retries fall due in the reverse order of their queueing.
    const rows = dossiers.map((d, i) => (i < 20 ? outboxRow(d, 'acknowledged', 1000, 1000) : { ...outboxRow(d, 'waiting', 1000, 0), nextAttemptAt: 1000 - i }));
    await v5.table('outbox').bulkAdd(rows);
    const event = { eventId: 'ev-1', dossierId: dossiers[0]!.id, state: 'waiting', attempts: 0, nextAttemptAt: 42, queuedAt: dossiers[0]!.createdAt, updatedAt: dossiers[0]!.createdAt, event: { kind: 'return' } };
    await v5.table('counterEvents').add(event);
    v5.close();

    const db = new CounterDatabase(name);
    open.push(db);
    await db.open();
    expect(db.verno).toBe(10);
    const waiting = await db.outbox.where('[state+queuedAt]').between(['waiting', Dexie.minKey], ['waiting', Dexie.maxKey]).toArray();
    expect(waiting.map((r) => r.dossierId)).toEqual(dossiers.slice(20).map((d) => d.id));
    const firstDue = await db.outbox.where('[state+nextAttemptAt]').between(['waiting', Dexie.minKey], ['waiting', Dexie.maxKey]).first();
    expect(firstDue?.dossierId).toBe(dossiers[29]!.id);
    expect(await db.outbox.where('[state+queuedAt]').between(['acknowledged', Dexie.minKey], ['acknowledged', Dexie.maxKey]).count()).toBe(20);
    expect((await db.counterEvents.where('[state+nextAttemptAt]').between(['waiting', Dexie.minKey], ['waiting', Dexie.maxKey]).first())?.eventId).toBe('ev-1');
    expect(await queueCounts(db)).toMatchObject({ pending: 10, failed: 0, acknowledged: 20 });
  });
});

describe('derived tables middleware', () => {
  it('keeps the byte total equal to the outbox through every kind of write', async () => {
    const db = newDb();
    const [a, b, c] = [await save(db, 1, 1000), await save(db, 2, 2000), await save(db, 3, 3000)];
    expect((await queueCounts(db)).bytesLeft).toBe(6000);
    // Table.update (progress), Collection.modify, a state change out of pending, a bulk put, a delete.
    const rowA = (await db.outbox.get(a.id))!;
    const [shaA] = Object.keys(rowA.uploads);
    await db.outbox.update(a.id, { uploads: { [shaA!]: { bytesSent: 250, size: 1000 } } });
    expect((await queueCounts(db)).bytesLeft).toBe(5750);
    await db.outbox.where('dossierId').equals(b.id).modify({ state: 'acknowledged' });
    expect((await queueCounts(db)).bytesLeft).toBe(3750);
    const rowC = (await db.outbox.get(c.id))!;
    await db.outbox.bulkPut([{ ...rowC, state: 'failed' }]);
    expect(await queueCounts(db)).toEqual({ pending: 1, failed: 1, acknowledged: 1, bytesLeft: 750 });
    await db.outbox.update(c.id, { state: 'waiting' });
    expect((await queueCounts(db)).bytesLeft).toBe(3750);
    // Two puts of one row in parallel inside one transaction: serialized, so neither reads a stale total.
    await db.transaction('rw', db.outbox, async () => {
      const row = (await db.outbox.get(c.id))!;
      const [shaC] = Object.keys(row.uploads);
      await Promise.all([
        db.outbox.put({ ...row, uploads: { [shaC!]: { bytesSent: 1000, size: 3000 } } }),
        db.outbox.put({ ...row, uploads: { [shaC!]: { bytesSent: 2000, size: 3000 } } }),
      ]);
    });
    expect((await queueCounts(db)).bytesLeft).toBe(await bytesLeftTheSlowWay(db));
    await db.outbox.delete(a.id);
    expect((await queueCounts(db)).bytesLeft).toBe(await bytesLeftTheSlowWay(db));
    await db.outbox.clear();
    expect((await queueCounts(db)).bytesLeft).toBe(0);
  });

  it('rolls the derived rows back with the transaction that failed', async () => {
    const db = newDb();
    const a = await save(db, 1, 1000);
    await expect(
      db.transaction('rw', [db.outbox, db.dossiers], async () => {
        await db.outbox.update(a.id, { state: 'acknowledged' });
        await db.dossiers.put({ ...dossierNo(2) });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await queueCounts(db)).toEqual({ pending: 1, failed: 0, acknowledged: 0, bytesLeft: 1000 });
    expect(await db.dossierSearch.count()).toBe(1);
  });

  it('keeps one search key per dossier when a record is written again or removed', async () => {
    const db = newDb();
    const a = await save(db, 1);
    await db.dossiers.put({ ...a, applicant: { ...a.applicant, fullName: 'Hoàng Thị Én' } });
    expect(await db.dossierSearch.count()).toBe(1);
    expect((await queueView(db, 200, { text: 'hoang thi en' })).map((i) => i.dossierId)).toEqual([a.id]);
    expect(await queueView(db, 200, { text: 'duc' })).toEqual([]);
    await db.dossiers.delete(a.id);
    expect(await db.dossierSearch.count()).toBe(0);
  });
});

describe('repairDerivedTables (writes that bypassed Dexie)', () => {
  it('adds the missing search keys and corrects the byte total, and says what it fixed', async () => {
    const db = newDb();
    await save(db, 1, 1000);
    await db.open();
    // A second handle without the middleware writes as raw IndexedDB would (a benchmark's seeding).
    const raw = new Dexie(db.name);
    open.push(raw);
    raw.version(5).stores({ ...schemaV1, ...schemaV2, ...schemaV3, ...schemaV4, ...schemaV5 });
    const extra = [dossierNo(2), dossierNo(3)];
    await raw.table('dossiers').bulkAdd(extra);
    await raw.table('outbox').bulkAdd(extra.map((d) => outboxRow(d, 'waiting', 500, 0)));
    raw.close();

    expect(await repairDerivedTables(db)).toEqual({ searchRowsFixed: 2, bytesLeftWas: 1000, bytesLeft: 2000 });
    expect(await queueCounts(db)).toEqual({ pending: 3, failed: 0, acknowledged: 0, bytesLeft: 2000 });
    expect((await queueView(db, 200, { text: 'dung 3' })).map((i) => i.dossierId)).toEqual([extra[1]!.id]);
    expect(await repairDerivedTables(db)).toEqual({ searchRowsFixed: 0, bytesLeft: 2000 });
  });
});

describe('live queries of the queue screen', () => {
  it('re-run for new dossiers and for the rows shown, not for other tables or rows out of view', async () => {
    const db = newDb();
    const older = await save(db, 1);
    const newer = await save(db, 2);
    let runs = 0;
    let last: string[] = [];
    const waiters: (() => void)[] = [];
    const subscription = liveQuery(async () => {
      runs++;
      return queueView(db, 1);
    }).subscribe((items) => {
      last = items.map((i) => i.dossierId);
      for (const w of waiters.splice(0)) w();
    });
    const nextEmission = () => new Promise<void>((resolve) => waiters.push(resolve));
    try {
      await nextEmission();
      expect(last).toEqual([newer.id]);
      const runsBefore = runs;
      // Writes the screen does not show: other tables, and progress of the row below the page.
      await db.syncLog.add({ at: new Date().toISOString(), level: 'info', event: 'test', details: {} });
      await db.dossierState.update(newer.id, { supplementRounds: 1 });
      await db.counterPrefs.put({ key: 'clerkName', value: 'Chị Lan' });
      await db.outbox.update(older.id, { attempts: 3 });
      // Then one it does show: the live query runs once more, for that write only.
      const shown = nextEmission();
      await db.outbox.update(newer.id, { attempts: 1 });
      await shown;
      expect(runs).toBe(runsBefore + 1);
      const added = nextEmission();
      const newest = await save(db, 3);
      await added;
      expect(last).toEqual([newest.id]);
    } finally {
      subscription.unsubscribe();
    }
  });
});
