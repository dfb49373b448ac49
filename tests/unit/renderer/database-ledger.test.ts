// The renderer's side of the database ledger, against the real main-side ledger on a temporary folder
// (fake-indexeddb stands in for the browser's IndexedDB).
import 'fake-indexeddb/auto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabaseLedger, type DatabaseLedger } from '../../../electron/services/database-ledger';
import { CounterDatabase } from '../../../renderer/src/db/database';
import { adoptEmptyReplacement, adoptReplacedDatabase, checkDatabaseLedger, databaseIdentity, ledgerCodeRecorder, replacedDatabaseHeldNothing } from '../../../renderer/src/db/database-ledger';
import { allocateDossierCode, storeCodeLeases } from '../../../renderer/src/db/sequences';
import type { MainClient } from '../../../renderer/src/platform/main-client';
import { AppError } from '../../../shared/errors';
import type { IpcChannel, IpcRequest, IpcResponse } from '../../../shared/ipc/contract';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

function openDb(): CounterDatabase {
  const db = new CounterDatabase(`motcua-test-${crypto.randomUUID()}`);
  cleanups.push(() => db.delete());
  return db;
}

async function ledgerMain(): Promise<MainClient> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'motcua-ledger-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const ledger: DatabaseLedger = openDatabaseLedger(dir);
  const handlers = {
    'storage:ledger-check': (r: IpcRequest<'storage:ledger-check'>) => ledger.check(r),
    'storage:ledger-adopt': (r: IpcRequest<'storage:ledger-adopt'>) => ledger.adopt(r.database, r.previousDatabaseId),
    'storage:ledger-code': async (r: IpcRequest<'storage:ledger-code'>) => {
      await ledger.recordCode(r.databaseId, r.code, r.dossiersHeld);
      return {};
    },
    'storage:ledger-leases': async (r: IpcRequest<'storage:ledger-leases'>) => {
      await ledger.recordLeases(r.leases);
      return {};
    },
  };
  return {
    call<C extends IpcChannel>(channel: C, request: IpcRequest<C>): Promise<IpcResponse<C>> {
      const handler = (handlers as Record<string, (r: unknown) => Promise<unknown>>)[channel];
      if (!handler) throw new Error(`not served here: ${channel}`);
      return handler(request) as Promise<IpcResponse<C>>;
    },
  };
}

const counter = { unitCode: '000.00.01.H22', counterNo: 1 };
const at = new Date('2026-11-23T02:00:00Z');

describe('the counter database checked against the ledger', () => {
  it('keeps one identity per database, written once', async () => {
    const db = openDb();
    const a = await databaseIdentity(db);
    const b = await databaseIdentity(db);
    expect(b).toEqual(a);
    expect(await databaseIdentity(openDb())).not.toEqual(a);
  });

  it('a replaced database is noticed, refuses new codes, and after adoption continues the old numbering with the old leases', async () => {
    const main = await ledgerMain();
    const oldDb = openDb();
    const before = await checkDatabaseLedger(oldDb, main);
    expect(before.verdict).toBe('first');
    // Issue 15: the blocks the central leased are kept in main's ledger as well as in IndexedDB.
    const leases = [{ agencyId: counter.unitCode, day: '2026-11-23', first: 9001, last: 9010 }];
    await storeCodeLeases(oldDb, leases, at);
    await main.call('storage:ledger-leases', { leases });
    const record = ledgerCodeRecorder(main, oldDb, { id: before.database.databaseId });
    expect(await allocateDossierCode(oldDb, counter, at, record)).toBe('000.00.01.H22-261123-9001');
    expect(await allocateDossierCode(oldDb, counter, at, record)).toBe('000.00.01.H22-261123-9002');
    expect((await checkDatabaseLedger(oldDb, main)).verdict).toBe('same');

    // The browser hands the app an empty database (deleted as corrupt, cleared, another profile).
    const newDb = openDb();
    const check = await checkDatabaseLedger(newDb, main);
    expect(check.verdict).toBe('replaced');
    expect(check.ledger.databaseId).toBe(before.database.databaseId);
    const strangerRecord = ledgerCodeRecorder(main, newDb, { id: check.database.databaseId });
    const refused = await allocateDossierCode(newDb, counter, at, strangerRecord).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).code).toBe('STORAGE_DATABASE_REPLACED');

    await adoptReplacedDatabase(newDb, main, check);
    expect((await checkDatabaseLedger(newDb, main)).verdict).toBe('same');
    // The leases came back; the numbering goes on after the old database's 9002 (the refused attempt was a
    // provisional number: the empty database had no lease then).
    expect(await allocateDossierCode(newDb, counter, at, strangerRecord)).toBe('000.00.01.H22-261123-9003');
    expect(await allocateDossierCode(newDb, counter, at, strangerRecord)).toBe('000.00.01.H22-261123-9004');
    // Its provisional count goes on too: the refused attempt's TAM-…-0001 is never given again.
    await newDb.codeLeases.clear();
    expect(await allocateDossierCode(newDb, counter, at, strangerRecord)).toBe('TAM-000.00.01.H22-Q1-261123-0002');
  });

  it('a replacement of a database that never held a dossier is taken quietly, and written in the sync history', async () => {
    const main = await ledgerMain();
    // A second browser profile on a counter where the first one was only opened.
    await checkDatabaseLedger(openDb(), main);
    const newDb = openDb();
    const check = await checkDatabaseLedger(newDb, main);
    expect(check.verdict).toBe('replaced');
    expect(replacedDatabaseHeldNothing(check, 0)).toBe(true);
    // Unsent work in main's spool, or a spool that could not be read: IT looks.
    expect(replacedDatabaseHeldNothing(check, 1)).toBe(false);
    expect(replacedDatabaseHeldNothing(check, undefined)).toBe(false);

    await adoptEmptyReplacement(newDb, main, check, () => at);
    expect((await checkDatabaseLedger(newDb, main)).verdict).toBe('same');
    const [entry, ...more] = await newDb.syncLog.toArray();
    expect(more).toEqual([]);
    expect(entry).toMatchObject({
      level: 'warn',
      event: 'database:replaced-empty',
      at: at.toISOString(),
      details: { previousDatabaseId: check.ledger.databaseId, previousDossiersHeldMost: 0, databaseId: check.database.databaseId },
    });
  });

  it('a database that was given a dossier number is not "empty", even before its high mark counts the dossier', async () => {
    const main = await ledgerMain();
    const oldDb = openDb();
    const before = await checkDatabaseLedger(oldDb, main);
    // The number is recorded with the dossiers held just before it: the high mark still says 0.
    await allocateDossierCode(oldDb, counter, at, ledgerCodeRecorder(main, oldDb, { id: before.database.databaseId }));
    const check = await checkDatabaseLedger(openDb(), main);
    expect(check.verdict).toBe('replaced');
    expect(check.ledger.dossiersHeldMost).toBe(0);
    expect(check.ledger.issuedCodes).toBe(true);
    expect(replacedDatabaseHeldNothing(check, 0)).toBe(false);
  });

  it('a database that held dossiers stays a lockout, and so do a shrunk one and a first start', async () => {
    const main = await ledgerMain();
    const oldDb = openDb();
    const first = await checkDatabaseLedger(oldDb, main);
    expect(replacedDatabaseHeldNothing(first, 0)).toBe(false);
    const shrank = { ...first, verdict: 'shrank' as const, ledger: { ...first.ledger, dossiersHeldMost: 3 } };
    expect(replacedDatabaseHeldNothing(shrank, 0)).toBe(false);
    const held = { ...first, verdict: 'replaced' as const, ledger: { ...first.ledger, dossiersHeldMost: 2 } };
    expect(replacedDatabaseHeldNothing(held, 0)).toBe(false);
  });
});
