// Issue 17 finding 8, encryption at rest: the DBCore middleware seals personal fields and file bytes in every
// table, transparently for the app (saves, reads, cursors, the queue's name search, returning applicants),
// copes with absent fields, and a wrong key gives DATA_KEY_MISMATCH — never garbage.
import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { CounterDatabase, type StoredDossier } from '../../../renderer/src/db/database';
import { getDossier, readFileBytes, saveAcceptedDossier } from '../../../renderer/src/db/dossiers';
import { findApplicants, recordRefusal } from '../../../renderer/src/db/counter-desk';
import { queueView, repairDerivedTables, searchKeys } from '../../../renderer/src/db/queue';
import { checkDataKey, importDataKeys, isSealed, sealExistingRows, type DataKeys } from '../../../renderer/src/db/encryption';
import { AppError } from '../../../shared/errors';
import { testDossierWithFiles } from '../../support/counter-dossier';

const open: Dexie[] = [];
afterEach(async () => {
  for (const db of open.splice(0)) {
    db.close();
    await Dexie.delete(db.name);
  }
});

const distinctiveName = 'Hoàng Thị Quỳnh Xuyến';
const distinctiveId = '079188012345';

const freshKeys = (): Promise<DataKeys> => importDataKeys(crypto.getRandomValues(new Uint8Array(32)));

function openDb(name: string, keys?: DataKeys): CounterDatabase {
  const db = new CounterDatabase(name, undefined, keys);
  open.push(db);
  return db;
}

/** Every row of every table, as the plain (key-less) database reads them: what sits in IndexedDB. */
async function rawDump(name: string): Promise<string> {
  const raw = openDb(name);
  await raw.open();
  const parts: string[] = [];
  for (const table of raw.tables) {
    const rows = await table.toArray();
    const keys = await table.toCollection().primaryKeys();
    parts.push(JSON.stringify({ table: table.name, keys, rows }, (_k, v: unknown) => (v instanceof Uint8Array ? new TextDecoder('latin1').decode(v) : v)));
  }
  raw.close();
  return parts.join('\n');
}

async function acceptOne(db: CounterDatabase, pdf: Uint8Array): Promise<StoredDossier> {
  const { dossier, files } = testDossierWithFiles(7, [pdf], { fullName: distinctiveName });
  const withId: StoredDossier = { ...dossier, applicant: { ...dossier.applicant, idNumber: distinctiveId, phone: '0987654321' } };
  await saveAcceptedDossier(db, withId, files);
  return withId;
}

describe('encryption at rest (DBCore middleware)', () => {
  it('stores no applicant name, ID number, phone or file bytes in clear, and reads everything back unchanged', async () => {
    const name = `motcua-enc-${crypto.randomUUID()}`;
    const keys = await freshKeys();
    const db = openDb(name, keys);
    const pdf = new TextEncoder().encode(`%PDF-1.7 ${distinctiveName} ${distinctiveId} secret page`);
    const dossier = await acceptOne(db, pdf);
    await recordRefusal(db, { procedure: dossier.procedure, applicant: dossier.applicant, reason: `Thiếu giấy tờ của ${distinctiveName}`, clerk: 'Cán bộ A', at: new Date() }, { formId: 'mau03', label: 'Mẫu 03', pdf, clerk: 'Cán bộ A' });

    // Through the app's own functions: unchanged.
    expect(await getDossier(db, dossier.id)).toEqual(dossier);
    expect(await readFileBytes(db, dossier.components[0]!.fileIds[0]!)).toEqual(pdf);
    const [known] = await findApplicants(db, distinctiveId.slice(0, 6));
    expect(known?.applicant.fullName).toBe(distinctiveName);
    expect(known?.key).toBe(distinctiveId);
    expect((await db.applicants.get(distinctiveId))?.visits).toBe(1);
    // Cursors (each, filter) are opened too.
    const seen: string[] = [];
    await db.dossiers.each((d) => seen.push(d.applicant.fullName));
    expect(seen).toEqual([distinctiveName]);
    expect((await db.dossiers.filter((d) => d.applicant.idNumber === distinctiveId).toArray()).map((d) => d.id)).toEqual([dossier.id]);

    // The queue's name search and code search still find it; its search keys still carry the folded name.
    expect((await queueView(db, 10, { text: 'quynh xuyen' })).map((i) => i.dossierId)).toEqual([dossier.id]);
    expect((await queueView(db, 10, { text: dossier.code.slice(-4) })).map((i) => i.dossierId)).toEqual([dossier.id]);
    expect((await searchKeys(db))[0]![1]).toContain('hoang thi quynh xuyen');
    db.close();

    const dump = await rawDump(name);
    expect(dump).toContain(dossier.code);
    for (const secret of [distinctiveName, distinctiveId, '0987654321', 'quynh xuyen', 'secret page']) expect(dump).not.toContain(secret);
  });

  it('keeps one search row per dossier across rewrites, and repairDerivedTables leaves it alone', async () => {
    const name = `motcua-enc-${crypto.randomUUID()}`;
    const db = openDb(name, await freshKeys());
    const dossier = await acceptOne(db, new Uint8Array([1, 2, 3]));
    await db.dossiers.put({ ...dossier, provisionalCode: 'TAM-1', code: `${dossier.code}9` });
    await db.dossiers.put({ ...dossier, provisionalCode: 'TAM-1', code: `${dossier.code}9` });
    expect(await db.dossierSearch.count()).toBe(1);
    expect((await queueView(db, 10, { text: 'tam-1' })).map((i) => i.dossierId)).toEqual([dossier.id]);
    expect((await repairDerivedTables(db)).searchRowsFixed).toBe(0);
    await db.dossiers.delete(dossier.id);
    expect(await db.dossierSearch.count()).toBe(0);
  });

  it('copes with absent personal fields (as retention leaves them) and with rows written before encryption', async () => {
    const name = `motcua-enc-${crypto.randomUUID()}`;
    const plain = openDb(name);
    const old = await acceptOne(plain, new Uint8Array([9, 9, 9]));
    plain.close();

    const db = openDb(name, await freshKeys());
    // A row from before is read as it is, and found by name.
    expect(await getDossier(db, old.id)).toEqual(old);
    expect((await queueView(db, 10, { text: 'xuyen' })).map((i) => i.dossierId)).toEqual([old.id]);
    // Fields removed through the normal API stay removed.
    await db.dossierState.put({ dossierId: old.id, status: 2, appointmentAt: old.appointmentAt, supplementRounds: 0, updatedAt: old.createdAt });
    expect((await db.dossierState.get(old.id))?.returned).toBeUndefined();
    await db.dossierState.update(old.id, { returned: { at: old.createdAt, receivedBy: distinctiveName, method: 'counter' } });
    expect((await db.dossierState.get(old.id))?.returned?.receivedBy).toBe(distinctiveName);
    await db.dossierState.update(old.id, { returned: undefined });
    expect(await db.dossierState.get(old.id)).not.toHaveProperty('returned');
    // A rewrite in a read-write transaction (a get, crypto, then a put) seals it.
    await db.transaction('rw', db.dossiers, async () => {
      const d = await db.dossiers.get(old.id);
      await db.dossiers.put({ ...d!, clerk: 'Cán bộ B' });
    });
    db.close();
    const raw = openDb(name);
    expect(isSealed((await raw.dossiers.get(old.id))?.applicant)).toBe(true);
  });

  it('deletes through collections as retention does (applicants by age, dossiers with their search rows)', async () => {
    const name = `motcua-enc-${crypto.randomUUID()}`;
    const db = openDb(name, await freshKeys());
    const dossier = await acceptOne(db, new Uint8Array([7]));
    expect(await db.applicants.where('idNumber').equals(distinctiveId).count()).toBe(1);
    expect(await db.applicants.where('lastSeenAt').below('9999').delete()).toBe(1);
    expect(await db.applicants.count()).toBe(0);
    await db.dossiers.where('createdAt').equals(dossier.createdAt).delete();
    expect(await db.dossiers.count()).toBe(0);
    expect(await db.dossierSearch.count()).toBe(0);
  });

  it('seals, once, every row an older version wrote in clear (the update path)', async () => {
    const name = `motcua-enc-${crypto.randomUUID()}`;
    const plain = openDb(name);
    const pdf = new TextEncoder().encode(`%PDF-1.7 secret page of ${distinctiveId}`);
    const old = await acceptOne(plain, pdf);
    plain.close();
    expect(await rawDump(name)).toContain(distinctiveName);

    const db = openDb(name, await freshKeys());
    expect((await sealExistingRows(db, 2)).rows).toBeGreaterThan(3);
    expect((await sealExistingRows(db)).rows).toBe(0);
    expect(await getDossier(db, old.id)).toEqual(old);
    expect(await readFileBytes(db, old.components[0]!.fileIds[0]!)).toEqual(pdf);
    expect((await db.applicants.get(distinctiveId))?.applicant.fullName).toBe(distinctiveName);
    expect(await db.applicants.count()).toBe(1);
    expect(await db.dossierSearch.count()).toBe(1);
    expect((await queueView(db, 10, { text: 'xuyen' })).map((i) => i.dossierId)).toEqual([old.id]);
    db.close();
    const dump = await rawDump(name);
    for (const secret of [distinctiveName, distinctiveId, 'quynh xuyen', 'secret page']) expect(dump).not.toContain(secret);
  });

  it('with sealing switched off (the benchmarks\' "before"), writes stay clear and sealed rows are still read', async () => {
    const name = `motcua-enc-${crypto.randomUUID()}`;
    const keys = await freshKeys();
    const sealed = await acceptOne(openDb(name, keys), new Uint8Array([4, 2]));
    const db = new CounterDatabase(name, undefined, keys, { seal: false });
    open.push(db);
    expect(await getDossier(db, sealed.id)).toEqual(sealed);
    expect((await sealExistingRows(db)).rows).toBe(0);
    await db.dossierState.put({ dossierId: sealed.id, status: 2, appointmentAt: sealed.appointmentAt, supplementRounds: 0, updatedAt: sealed.createdAt, stopped: { at: sealed.createdAt, requestedAt: sealed.createdAt, reason: distinctiveName } });
    db.close();
    expect(await rawDump(name)).toContain(distinctiveName);
  });

  it('a wrong key gives DATA_KEY_MISMATCH, not garbage', async () => {
    const name = `motcua-enc-${crypto.randomUUID()}`;
    const keys = await freshKeys();
    const db = openDb(name, keys);
    await checkDataKey(db, keys);
    await checkDataKey(db, keys);
    const dossier = await acceptOne(db, new Uint8Array([5]));
    db.close();
    const otherKeys = await freshKeys();
    const other = openDb(name, otherKeys);
    // Told at start, before any screen reads a row (the check value was left by the first start).
    await expect(checkDataKey(other, otherKeys)).rejects.toMatchObject({ code: 'DATA_KEY_MISMATCH' });
    const failure = await getDossier(other, dossier.id).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(AppError);
    expect((failure as AppError).code).toBe('DATA_KEY_MISMATCH');
    await expect(other.dossiers.toArray()).rejects.toMatchObject({ code: 'DATA_KEY_MISMATCH' });
  });

  it('the raw key is wiped once imported and the keys cannot be exported', async () => {
    const raw = crypto.getRandomValues(new Uint8Array(32));
    const keys = await importDataKeys(raw);
    expect([...raw].every((b) => b === 0)).toBe(true);
    expect(keys.cipher.extractable).toBe(false);
    expect(keys.index.extractable).toBe(false);
    await expect(crypto.subtle.exportKey('raw', keys.cipher)).rejects.toThrow();
  });
});
