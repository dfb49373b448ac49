// Schema version 6 (result documents of status 9): the upgrade from a populated version 5 database, the feed
// announcing result files, storing only verified bytes, reading them back checked, and the purge once the
// central has acknowledged the return.
import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { CounterDatabase } from '../../../renderer/src/db/database';
import { schemaV6 } from '../../../renderer/src/db/schema-versions';
import type { DossierStateRow, OutboxRow, StatusChangeRow, StoredDossier } from '../../../renderer/src/db/database';
import { purgeReturnedResults, readResultFile, resultFilesOf, storeResultFile } from '../../../renderer/src/db/result-files';
import { applyChangesPage } from '../../../renderer/src/sync/pull';
import type { DossierId } from '../../../shared/domain/dossier';
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

const pdfA = new TextEncoder().encode('%PDF-1.7 giay khai sinh '.repeat(40));
const pdfB = new TextEncoder().encode('%PDF-1.7 trich luc '.repeat(25));

function change(seq: number, dossier: StoredDossier, status: StatusChangeRow['status'], resultFiles: { name: string; bytes: Uint8Array }[] = []): StatusChangeRow {
  return {
    seq,
    dossierId: dossier.id,
    dossierCode: dossier.code,
    status,
    at: '2026-11-25T10:00:00+07:00',
    actor: 'Nguyễn Thị Xử Lý',
    department: 'Phòng Tư pháp',
    note: '',
    supplementItems: [],
    resultFiles: resultFiles.map((f) => ({ name: f.name, mediaType: 'application/pdf', size: f.bytes.byteLength, sha256: sha256Hex(f.bytes) })),
  };
}

function state(dossier: StoredDossier, status: DossierStateRow['status'], lastChangeSeq: number): DossierStateRow {
  return { dossierId: dossier.id, status, appointmentAt: dossier.appointmentAt, supplementRounds: 0, lastChangeSeq, updatedAt: dossier.createdAt };
}

function newDb(): CounterDatabase {
  const db = new CounterDatabase(`motcua-results-${crypto.randomUUID()}`);
  open.push(db);
  return db;
}

async function seedAt9(db: CounterDatabase, n: number, files: { name: string; bytes: Uint8Array }[]): Promise<StoredDossier> {
  const dossier = testDossier(n);
  // In a transaction, as the app writes dossiers (a bare db.dossiers.add fails inside the derived-tables middleware).
  await db.transaction('rw', [db.dossiers, db.dossierState], async () => {
    await db.dossiers.add(dossier);
    await db.dossierState.add(state(dossier, 4, n * 10));
  });
  await applyChangesPage(db, { changes: [change(n * 10 + 1, dossier, 9, files)], cursor: n * 10 + 1, hasMore: false, serverTime: '2026-11-25T03:00:00.000Z' }, '2026-11-25T03:00:00.000Z');
  return dossier;
}

describe('schema version 6 upgrade', () => {
  it('announces the result files of dossiers already at status 9 in a populated version 5 database, and keeps every row', async () => {
    const name = `motcua-results-${crypto.randomUUID()}`;
    const v5 = dexieAtVersion(name, 5);
    await v5.open();
    const [ready, processing, returned, another] = [testDossier(1), testDossier(2), testDossier(3), testDossier(4)];
    await v5.table('dossiers').bulkAdd([ready, processing, returned, another]);
    const outbox = (d: StoredDossier): OutboxRow => ({ dossierId: d.id, state: 'acknowledged', attempts: 1, nextAttemptAt: 0, uploads: {}, bytesTotal: 1000, queuedAt: d.createdAt, updatedAt: d.createdAt });
    await v5.table('outbox').bulkAdd([ready, processing, returned, another].map(outbox));
    await v5.table('dossierState').bulkAdd([state(ready, 9, 12), state(processing, 4, 21), state(returned, 10, 33), state(another, 9, 41)]);
    await v5.table('statusChanges').bulkAdd([
      change(11, ready, 4),
      change(12, ready, 9, [{ name: 'giay-khai-sinh.pdf', bytes: pdfA }, { name: 'trich-luc.pdf', bytes: pdfB }]),
      change(21, processing, 4),
      change(32, returned, 9, [{ name: 'old.pdf', bytes: pdfB }]),
      change(33, returned, 10),
      // Status 9 without a result document: nothing to fetch.
      change(41, another, 9),
    ]);
    v5.close();

    const db = new CounterDatabase(name);
    open.push(db);
    await db.open();
    expect(db.verno).toBe(10);
    expect(Object.keys(schemaV6).every((t) => db.tables.some((x) => x.name === t))).toBe(true);
    expect((await resultFilesOf(db, ready.id)).map((r) => [r.name, r.state, r.size, r.sha256, r.seq])).toEqual([
      ['giay-khai-sinh.pdf', 'waiting', pdfA.byteLength, sha256Hex(pdfA), 12],
      ['trich-luc.pdf', 'waiting', pdfB.byteLength, sha256Hex(pdfB), 12],
    ]);
    expect(await db.resultFiles.count()).toBe(2);
    expect(await db.dossiers.count()).toBe(4);
    expect(await db.statusChanges.count()).toBe(6);
    expect((await db.dossierState.get(returned.id))?.status).toBe(10);
    expect((await db.outbox.get(ready.id))?.state).toBe('acknowledged');
  });
});

describe('result files on the counter', () => {
  it('are announced by a status-9 feed page for tracked dossiers only, once', async () => {
    const db = newDb();
    const dossier = await seedAt9(db, 1, [{ name: 'giay-khai-sinh.pdf', bytes: pdfA }]);
    // A dossier another counter received: its history is kept, its result is not fetched here.
    const foreign = testDossier(2);
    await applyChangesPage(db, { changes: [change(30, foreign, 9, [{ name: 'x.pdf', bytes: pdfB }])], cursor: 30, hasMore: false, serverTime: '2026-11-25T03:00:00.000Z' }, '2026-11-25T03:00:00.000Z');
    expect((await resultFilesOf(db, dossier.id)).map((r) => r.state)).toEqual(['waiting']);
    expect(await db.resultFiles.count()).toBe(1);
  });

  it('store only bytes that match the declared size and SHA-256, and read back checked', async () => {
    const db = newDb();
    const dossier = await seedAt9(db, 1, [{ name: 'giay-khai-sinh.pdf', bytes: pdfA }]);
    const sha = sha256Hex(pdfA);
    const wrong = pdfA.slice();
    wrong[5] = 0x41;
    await expect(storeResultFile(db, dossier.id, sha, wrong, '2026-11-25T04:00:00.000Z')).rejects.toMatchObject({ code: 'RESULT_FILE_MISMATCH' });
    expect(await db.resultFileChunks.count()).toBe(0);
    expect((await resultFilesOf(db, dossier.id))[0]?.state).toBe('waiting');

    // Small chunks so the file spans several.
    expect(await storeResultFile(db, dossier.id, sha, pdfA, '2026-11-25T04:00:00.000Z', 256)).toBe(true);
    expect((await resultFilesOf(db, dossier.id))[0]).toMatchObject({ state: 'downloaded', chunkSize: 256, chunkCount: Math.ceil(pdfA.byteLength / 256), downloadedAt: '2026-11-25T04:00:00.000Z' });
    expect(await readResultFile(db, dossier.id, sha)).toEqual(pdfA);

    // Damage on disk is reported, never shown as the result.
    await db.resultFileChunks.update([dossier.id, sha, 1], { data: new Uint8Array(256) });
    await expect(readResultFile(db, dossier.id, sha)).rejects.toMatchObject({ code: 'STORAGE_DAMAGED' });
  });

  it('are purged once the return is acknowledged (event acked, or status 10 in the feed), not before', async () => {
    const db = newDb();
    const mine = await seedAt9(db, 1, [{ name: 'a.pdf', bytes: pdfA }]);
    const elsewhere = await seedAt9(db, 2, [{ name: 'b.pdf', bytes: pdfB }]);
    const waiting = await seedAt9(db, 3, [{ name: 'c.pdf', bytes: pdfB }]);
    await storeResultFile(db, mine.id, sha256Hex(pdfA), pdfA, '2026-11-25T04:00:00.000Z');
    await storeResultFile(db, elsewhere.id, sha256Hex(pdfB), pdfB, '2026-11-25T04:00:00.000Z');
    await storeResultFile(db, waiting.id, sha256Hex(pdfB), pdfB, '2026-11-25T04:00:00.000Z');

    const returnEvent = (d: StoredDossier, acknowledged: boolean) => ({
      eventId: crypto.randomUUID(),
      dossierId: d.id,
      state: acknowledged ? ('acknowledged' as const) : ('waiting' as const),
      event: { kind: 'result-returned' as const, eventId: crypto.randomUUID(), at: '2026-11-26T09:00:00+07:00', clerk: 'Trần Văn Bình', receivedBy: 'Lê Văn Cường', method: 'counter' as const },
      attempts: 0,
      nextAttemptAt: 0,
      queuedAt: '2026-11-26T02:00:00.000Z',
    });
    await db.counterEvents.bulkAdd([returnEvent(mine, true), returnEvent(waiting, false)]);
    await applyChangesPage(db, { changes: [change(99, elsewhere, 10)], cursor: 99, hasMore: false, serverTime: '2026-11-26T03:00:00.000Z' }, '2026-11-26T03:00:00.000Z');

    const purged: DossierId[] = await purgeReturnedResults(db, '2026-11-26T03:00:00.000Z');
    expect(purged.sort()).toEqual([mine.id, elsewhere.id].sort());
    expect((await db.resultFiles.toArray()).map((r) => r.dossierId)).toEqual([waiting.id]);
    expect((await db.resultFileChunks.toArray()).every((c) => c.dossierId === waiting.id)).toBe(true);
    expect(await readResultFile(db, waiting.id, sha256Hex(pdfB))).toEqual(pdfB);
    expect(await db.syncLog.filter((e) => e.event === 'result:purged').count()).toBe(2);
    // Nothing else of the dossiers is touched.
    expect(await db.dossiers.count()).toBe(3);
  });
});
