// Retention of dossier files (schema version 7): the bytes of files the central confirmed go after the grace
// period, the metadata and the dossier record stay; nothing of a dossier not acknowledged is ever touched.
// A real Dexie on fake-indexeddb, as the other renderer db tests.
import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { CounterDatabase } from '../../../renderer/src/db/database';
import type { CounterEventRow, OutboxRow, StoredDossier, StoredFile } from '../../../renderer/src/db/database';
import { readFileBytes, saveAcceptedDossier } from '../../../renderer/src/db/dossiers';
import type { NewFile } from '../../../renderer/src/db/dossiers';
import { queueCounterEvent } from '../../../renderer/src/db/counter-events';
import { checkQueueIntegrity } from '../../../renderer/src/db/integrity';
import { markFilesConfirmed, purgeConfirmedFiles, supplementFileIds } from '../../../renderer/src/db/retention';
import { readFileRange, verifyStoredFile } from '../../../renderer/src/db/files';
import type { DossierId } from '../../../shared/domain/dossier';
import { AppError } from '../../../shared/errors';
import { sha256Hex } from '../../../shared/util/bytes';
import { testDossierWithFiles } from '../../support/counter-dossier';
import { dexieAtVersion } from '../../support/old-counter-schema';

const open: Dexie[] = [];
afterEach(async () => {
  for (const db of open.splice(0)) {
    db.close();
    await Dexie.delete(db.name);
  }
});

function newDb(name = `motcua-retention-${crypto.randomUUID()}`): CounterDatabase {
  const db = new CounterDatabase(name);
  open.push(db);
  return db;
}

const day = 24 * 60 * 60 * 1000;
const ackAt = new Date('2026-11-20T03:00:00.000Z');

function pdf(label: string, size: number): Uint8Array {
  const text = new TextEncoder().encode(`%PDF-1.7 ${label} `);
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = text[i % text.length]! ^ (i >> 8);
  return bytes;
}

function dossierWithFiles(n: number, sizes: readonly number[] = [2500, 900]): { dossier: StoredDossier; files: NewFile[] } {
  const pdfs = sizes.map((size, i) => pdf(`dossier ${n} file ${i}`, size));
  return testDossierWithFiles(n, pdfs, { fileNames: sizes.map((_, i) => `giay-to-${n}-${i + 1}.pdf`) });
}

/** Saves a dossier as the intake does; `state` other than waiting is written as the sync engine would. */
async function seed(db: CounterDatabase, n: number, state: OutboxRow['state'], acknowledgedAt = ackAt): Promise<{ dossier: StoredDossier; files: NewFile[] }> {
  const made = dossierWithFiles(n);
  await saveAcceptedDossier(db, made.dossier, made.files, { chunkSize: 1000 });
  if (state !== 'waiting') {
    const at = acknowledgedAt.toISOString();
    // The engine's acknowledgement: the outbox row and the files' mark in one transaction.
    await db.transaction('rw', [db.outbox, db.files], async () => {
      const row = await db.outbox.get(made.dossier.id);
      await db.outbox.put({ ...row!, state, updatedAt: at, ...(state === 'acknowledged' ? { acknowledgedAt: at } : {}) });
      if (state === 'acknowledged') await markFilesConfirmed(db.files, made.files.map((f) => f.meta.id), at);
    });
  }
  return made;
}

async function chunksOf(db: CounterDatabase, fileId: string): Promise<number> {
  return db.fileChunks.where('[fileId+index]').between([fileId, 0], [fileId, Infinity]).count();
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected a rejection');
}

describe('purgeConfirmedFiles', () => {
  it('deletes the bytes of an acknowledged dossier past the grace period, keeps its metadata and record, and logs files:purged', async () => {
    const db = newDb();
    const { dossier, files } = await seed(db, 1, 'acknowledged');
    const before = await db.files.where('dossierId').equals(dossier.id).toArray();
    expect(before.every((f) => f.awaitingPurgeSince === ackAt.toISOString())).toBe(true);

    const result = await purgeConfirmedFiles(db, new Date(ackAt.getTime() + 3 * day), { filesDaysAfterAck: 2 });
    expect(result).toEqual({ dossiers: [dossier.id], files: 2, bytes: 3400, refused: 0 });

    for (const { meta } of files) expect(await chunksOf(db, meta.id)).toBe(0);
    const after = await db.files.where('dossierId').equals(dossier.id).sortBy('componentCode');
    expect(after.map((f) => [f.name, f.size, f.sha256, f.pageCount, f.confirmedAt, f.purgedAt, f.awaitingPurgeSince])).toEqual(
      files.map(({ meta }) => [meta.name, meta.size, meta.sha256, meta.pageCount, ackAt.toISOString(), new Date(ackAt.getTime() + 3 * day).toISOString(), undefined]),
    );
    expect(await db.dossiers.get(dossier.id)).toEqual(dossier);
    expect((await db.outbox.get(dossier.id))?.state).toBe('acknowledged');
    const log = await db.syncLog.where('dossierId').equals(dossier.id).filter((e) => e.event === 'files:purged').toArray();
    expect(log.map((e) => e.details)).toEqual([{ files: 2, bytes: 3400, graceDays: 2 }]);
  });

  it('with grace 0 purges at the first pass after the acknowledgement', async () => {
    const db = newDb();
    const { files } = await seed(db, 1, 'acknowledged');
    await purgeConfirmedFiles(db, ackAt, { filesDaysAfterAck: 0 });
    expect(await chunksOf(db, files[0]!.meta.id)).toBe(0);
  });

  it('keeps the bytes of an acknowledged dossier still within the grace period', async () => {
    const db = newDb();
    const { files } = await seed(db, 1, 'acknowledged');
    const result = await purgeConfirmedFiles(db, new Date(ackAt.getTime() + 2 * day - 1), { filesDaysAfterAck: 2 });
    expect(result.dossiers).toEqual([]);
    expect(await readFileBytes(db, files[0]!.meta.id)).toEqual(files[0]!.bytes);
    expect((await db.files.get(files[0]!.meta.id))?.purgedAt).toBeUndefined();
  });

  it('never touches dossiers waiting, uploading, committing or failed', async () => {
    const db = newDb();
    const kept = [await seed(db, 1, 'waiting'), await seed(db, 2, 'uploading'), await seed(db, 3, 'committing'), await seed(db, 4, 'failed')];
    const result = await purgeConfirmedFiles(db, new Date(ackAt.getTime() + 400 * day), { filesDaysAfterAck: 0 });
    expect(result).toEqual({ dossiers: [], files: 0, bytes: 0, refused: 0 });
    for (const { files } of kept) {
      for (const { meta, bytes } of files) expect(await readFileBytes(db, meta.id)).toEqual(bytes);
    }
    expect(await db.syncLog.filter((e) => e.event.startsWith('files:')).count()).toBe(0);
  });

  it('refuses a marked file whose dossier is not acknowledged: keeps the bytes, drops the mark, logs a warning', async () => {
    const db = newDb();
    const { dossier, files } = await seed(db, 1, 'waiting');
    // Only a bug could mark it: the check inside the purge's transaction is against the acknowledgement itself.
    await db.transaction('rw', db.files, () => markFilesConfirmed(db.files, [files[0]!.meta.id], ackAt.toISOString()));
    const result = await purgeConfirmedFiles(db, ackAt, { filesDaysAfterAck: 0 });
    expect(result).toEqual({ dossiers: [], files: 0, bytes: 0, refused: 1 });
    expect(await readFileBytes(db, files[0]!.meta.id)).toEqual(files[0]!.bytes);
    expect((await db.files.get(files[0]!.meta.id))?.awaitingPurgeSince).toBeUndefined();
    expect((await db.syncLog.where('dossierId').equals(dossier.id).filter((e) => e.event === 'files:purge-refused').first())?.level).toBe('warn');
  });

  it('is idempotent: a second pass finds nothing and logs nothing', async () => {
    const db = newDb();
    await seed(db, 1, 'acknowledged');
    const now = new Date(ackAt.getTime() + day);
    expect((await purgeConfirmedFiles(db, now, { filesDaysAfterAck: 0 })).files).toBe(2);
    const logged = await db.syncLog.count();
    expect(await purgeConfirmedFiles(db, now, { filesDaysAfterAck: 0 })).toEqual({ dossiers: [], files: 0, bytes: 0, refused: 0 });
    expect(await db.syncLog.count()).toBe(logged);
  });

  it('purges at most maxDossiers dossiers per pass, oldest acknowledgement first, and the rest on later passes', async () => {
    const db = newDb();
    const seeded: DossierId[] = [];
    for (let n = 1; n <= 7; n++) seeded.push((await seed(db, n, 'acknowledged', new Date(ackAt.getTime() + n * 60_000))).dossier.id);
    const now = new Date(ackAt.getTime() + day);
    const first = await purgeConfirmedFiles(db, now, { filesDaysAfterAck: 0, maxDossiers: 3 });
    expect(first.dossiers).toEqual(seeded.slice(0, 3));
    expect(first.files).toBe(6);
    expect(await db.files.where('awaitingPurgeSince').below('\uffff').count()).toBe(8);
    expect((await purgeConfirmedFiles(db, now, { filesDaysAfterAck: 0, maxDossiers: 3 })).dossiers).toEqual(seeded.slice(3, 6));
    expect((await purgeConfirmedFiles(db, now, { filesDaysAfterAck: 0, maxDossiers: 3 })).dossiers).toEqual(seeded.slice(6));
    expect(await db.fileChunks.count()).toBe(0);
  });

  it('purges a supplement only once its event is acknowledged, and the dossier files apart from it', async () => {
    const db = newDb();
    const { dossier } = await seed(db, 1, 'acknowledged');
    await db.dossierState.update(dossier.id, { status: 5 });
    const bytes = pdf('bo sung', 1800);
    const meta = { id: crypto.randomUUID(), dossierId: dossier.id, componentCode: 'TP1', name: 'bo-sung.pdf', mediaType: 'application/pdf' as const, size: bytes.byteLength, sha256: sha256Hex(bytes), pageCount: 2 };
    const event = { kind: 'supplement-received' as const, eventId: crypto.randomUUID(), at: '2026-11-21T09:00:00+07:00', clerk: 'Cán bộ A', files: [{ componentCode: 'TP1', name: meta.name, mediaType: meta.mediaType, size: meta.size, sha256: meta.sha256, pageCount: 2, uploadUrl: 'pending', revocationEvidence: [] }], newAppointmentAt: '2026-11-25T09:00:00+07:00' };
    await queueCounterEvent(db, dossier.id, event, (s) => ({ ...s, status: 2 }), { files: [{ meta, bytes }], chunkSize: 1000 });

    await purgeConfirmedFiles(db, new Date(ackAt.getTime() + day), { filesDaysAfterAck: 0 });
    expect(await readFileBytes(db, meta.id)).toEqual(bytes);
    expect(await chunksOf(db, meta.id)).toBe(2);

    // The engine's acknowledgement of the event marks its files in the same transaction.
    const eventAck = new Date(ackAt.getTime() + 2 * day).toISOString();
    await db.transaction('rw', [db.counterEvents, db.files], async () => {
      const row = (await db.counterEvents.get(event.eventId))!;
      const acknowledged: CounterEventRow = { ...row, state: 'acknowledged', acknowledgedAt: eventAck };
      await db.counterEvents.put(acknowledged);
      await markFilesConfirmed(db.files, await supplementFileIds(db.files, acknowledged), eventAck);
    });
    expect((await purgeConfirmedFiles(db, new Date(ackAt.getTime() + 2 * day), { filesDaysAfterAck: 1 })).files).toBe(0);
    const result = await purgeConfirmedFiles(db, new Date(ackAt.getTime() + 3 * day), { filesDaysAfterAck: 1 });
    expect(result.files).toBe(1);
    expect(await chunksOf(db, meta.id)).toBe(0);
  });
});

describe('reading a purged file', () => {
  it('gives FILE_PURGED with the dossier code (not STORAGE_DAMAGED) from every reader, and the start-up integrity check stays clean', async () => {
    const db = newDb();
    const { dossier, files } = await seed(db, 1, 'acknowledged');
    await purgeConfirmedFiles(db, ackAt, { filesDaysAfterAck: 0 });
    const file = (await db.files.get(files[0]!.meta.id)) as StoredFile;
    for (const read of [readFileBytes(db, file.id), verifyStoredFile(db, file.id), readFileRange(db, file, 0, 10)]) {
      const err = await rejection(read);
      expect(err.code).toBe('FILE_PURGED');
      expect(err.details).toMatchObject({ name: file.name, code: dossier.code });
    }
    expect(await checkQueueIntegrity(db)).toEqual([]);
  });

  it('a supplement cannot rely on a purged file as already stored', async () => {
    const db = newDb();
    const { dossier, files } = await seed(db, 1, 'acknowledged');
    await purgeConfirmedFiles(db, ackAt, { filesDaysAfterAck: 0 });
    const old = files[0]!.meta;
    const event = { kind: 'supplement-received' as const, eventId: crypto.randomUUID(), at: '2026-11-21T09:00:00+07:00', clerk: 'Cán bộ A', files: [{ componentCode: 'TP1', name: old.name, mediaType: old.mediaType, size: old.size, sha256: old.sha256, pageCount: 1, uploadUrl: 'pending', revocationEvidence: [] }], newAppointmentAt: '2026-11-25T09:00:00+07:00' };
    const err = await rejection(queueCounterEvent(db, dossier.id, event, (s) => s));
    expect(err.code).toBe('DOSSIER_INVALID');
  });
});

describe('schema version 7 upgrade', () => {
  it('marks the files of dossiers and supplements acknowledged in a populated version 6 database, and keeps every row and byte', async () => {
    const name = `motcua-retention-${crypto.randomUUID()}`;
    // Populate with the current code, then reopen the same rows under version 6 only.
    const staging = newDb(`${name}-staging`);
    const sent = await seed(staging, 1, 'acknowledged');
    const pending = await seed(staging, 2, 'waiting');
    const failed = await seed(staging, 3, 'failed');
    const rows = {
      dossiers: await staging.dossiers.toArray(),
      files: (await staging.files.toArray()).map(({ confirmedAt: _c, awaitingPurgeSince: _a, ...f }) => f),
      fileChunks: await staging.fileChunks.toArray(),
      outbox: await staging.outbox.toArray(),
    };
    const supplement = pdf('bo sung v6', 700);
    const supplementFile = { id: crypto.randomUUID(), dossierId: sent.dossier.id, componentCode: 'TP1', name: 'bo-sung.pdf', mediaType: 'application/pdf', size: supplement.byteLength, sha256: sha256Hex(supplement), pageCount: 1, chunkSize: 1000, chunkCount: 1 };
    const eventAckAt = '2026-11-21T03:00:00.000Z';
    const eventRow: CounterEventRow = {
      eventId: crypto.randomUUID(),
      dossierId: sent.dossier.id,
      state: 'acknowledged',
      event: { kind: 'supplement-received', eventId: crypto.randomUUID(), at: '2026-11-21T09:00:00+07:00', clerk: 'Cán bộ A', files: [{ componentCode: 'TP1', name: 'bo-sung.pdf', mediaType: 'application/pdf', size: supplement.byteLength, sha256: supplementFile.sha256, pageCount: 1, uploadUrl: 'pending', revocationEvidence: [] }], newAppointmentAt: '2026-11-25T09:00:00+07:00' },
      attempts: 1,
      nextAttemptAt: 0,
      queuedAt: '2026-11-21T02:00:00.000Z',
      acknowledgedAt: eventAckAt,
    };

    const v6 = dexieAtVersion(name, 6);
    await v6.open();
    await v6.table('dossiers').bulkAdd(rows.dossiers);
    await v6.table('files').bulkAdd([...rows.files, supplementFile]);
    await v6.table('fileChunks').bulkAdd([...rows.fileChunks, { fileId: supplementFile.id, index: 0, data: supplement }]);
    await v6.table('outbox').bulkAdd(rows.outbox);
    await v6.table('counterEvents').add(eventRow);
    v6.close();

    const db = newDb(name);
    await db.open();
    expect(db.verno).toBe(10);
    const files = await db.files.toArray();
    expect(files).toHaveLength(7);
    const markOf = (id: string) => files.find((f) => f.id === id)?.awaitingPurgeSince;
    for (const { meta } of sent.files) expect(markOf(meta.id)).toBe(ackAt.toISOString());
    expect(markOf(supplementFile.id)).toBe(eventAckAt);
    for (const { meta } of [...pending.files, ...failed.files]) expect(markOf(meta.id)).toBeUndefined();
    expect(await db.fileChunks.count()).toBe(rows.fileChunks.length + 1);
    expect(await db.dossiers.count()).toBe(3);

    // The first pass after the update purges the history, nothing else.
    const result = await purgeConfirmedFiles(db, new Date('2026-11-23T03:00:00.000Z'), { filesDaysAfterAck: 0 });
    expect(result.dossiers).toEqual([sent.dossier.id]);
    expect(result.files).toBe(3);
    for (const { meta, bytes } of [...pending.files, ...failed.files]) expect(await readFileBytes(db, meta.id)).toEqual(bytes);
  });
});
