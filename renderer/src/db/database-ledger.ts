/**
 * The counter database's identity, checked at start-up against main's ledger (a file outside IndexedDB,
 * electron/services/database-ledger.ts). A database the browser replaced — deleted as corrupt, cleared,
 * or another profile's — looks like a fresh install from inside; the ledger is what notices. Nothing here
 * deletes or repairs anything: the clerk is stopped and IT decides — unless the database on record never held
 * a dossier, when there is nothing to decide (replacedDatabaseHeldNothing).
 */
import type { DatabaseLedgerView, LedgerCodeRecord, LedgerDatabase, LedgerVerdict } from '../../../shared/ipc/contract';
import type { MainClient } from '../platform/main-client';
import type { CounterDatabase } from './database';
import { storeCodeLeases } from './sequences';

export interface DatabaseIdentity {
  readonly id: string;
  readonly createdAt: string;
}

const databaseIdentityKey = 'database.identity';

function isIdentity(value: unknown): value is DatabaseIdentity {
  const v = value as Partial<DatabaseIdentity> | undefined;
  return typeof v?.id === 'string' && v.id.length > 0 && typeof v.createdAt === 'string';
}

/** This database's id, written once in its own transaction the first time it is asked for. */
export async function databaseIdentity(db: CounterDatabase, now: () => Date = () => new Date()): Promise<DatabaseIdentity> {
  return db.transaction('rw', db.syncMeta, async () => {
    const row = await db.syncMeta.get(databaseIdentityKey);
    if (isIdentity(row?.value)) return row.value;
    const identity: DatabaseIdentity = { id: crypto.randomUUID(), createdAt: now().toISOString() };
    await db.syncMeta.put({ key: databaseIdentityKey, value: identity });
    return identity;
  });
}

export interface LedgerCheck {
  readonly verdict: LedgerVerdict;
  readonly database: LedgerDatabase;
  readonly ledger: DatabaseLedgerView;
}

export async function checkDatabaseLedger(db: CounterDatabase, main: MainClient): Promise<LedgerCheck> {
  const identity = await databaseIdentity(db);
  const database: LedgerDatabase = { databaseId: identity.id, createdAt: identity.createdAt, dossiersHeld: await db.dossiers.count() };
  const { verdict, ledger } = await main.call('storage:ledger-check', database);
  return { verdict, database, ledger };
}

/**
 * A replacement nothing was lost in: the database on record never held a dossier (its high mark is 0 and it
 * was never given a dossier number) and main's spool holds no unsent work (`spoolEntries`; undefined when the
 * spool could not be read). A second browser profile on a fresh counter, a demo opened twice: stopping the
 * counter for IT would protect nothing. Anything else is a replacement IT must look at.
 */
export function replacedDatabaseHeldNothing(check: LedgerCheck, spoolEntries: number | undefined): boolean {
  return check.verdict === 'replaced' && check.ledger.dossiersHeldMost === 0 && !check.ledger.issuedCodes && spoolEntries === 0;
}

/** Adopts such a replacement without stopping anyone, and leaves a line in the sync history for IT. */
export async function adoptEmptyReplacement(db: CounterDatabase, main: MainClient, check: LedgerCheck, now: () => Date = () => new Date()): Promise<void> {
  await adoptReplacedDatabase(db, main, check, now);
  await db.syncLog.add({
    at: now().toISOString(),
    level: 'warn',
    event: 'database:replaced-empty',
    details: {
      previousDatabaseId: check.ledger.databaseId,
      previousCreatedAt: check.ledger.databaseCreatedAt,
      previousDossiersHeldMost: check.ledger.dossiersHeldMost,
      databaseId: check.database.databaseId,
      databaseCreatedAt: check.database.createdAt,
      dossiersHeld: check.database.dossiersHeld,
    },
  });
}

/**
 * IT accepted the replaced database: the ledger records it, and every dossier number the old database used
 * (the last days' worth) is carried into this one, so no code is ever issued twice; so are the leased blocks.
 */
export async function adoptReplacedDatabase(db: CounterDatabase, main: MainClient, check: LedgerCheck, now: () => Date = () => new Date()): Promise<void> {
  const { codes, leases } = await main.call('storage:ledger-adopt', { database: check.database, previousDatabaseId: check.ledger.databaseId });
  await raiseSequences(db, codes, now);
  // The blocks the central leased to this counter come back too; the numbers used in them stay used (above).
  await storeCodeLeases(db, leases, now());
}

/** Each counter's sequence for a day becomes at least what the ledger says was used. */
async function raiseSequences(db: CounterDatabase, codes: readonly LedgerCodeRecord[], now: () => Date = () => new Date()): Promise<void> {
  await db.transaction('rw', db.sequences, async () => {
    for (const code of codes) {
      const row = await db.sequences.get([code.unitCode, code.day, code.counterNo]);
      if ((row?.lastUsed ?? 0) >= code.lastUsed) continue;
      await db.sequences.put({ unitCode: code.unitCode, day: code.day, counterNo: code.counterNo, lastUsed: code.lastUsed, updatedAt: now().toISOString() });
    }
  });
}

/**
 * Tells main each dossier number as it is used, with the dossiers held just before (the ledger's high mark);
 * refused (STORAGE_DATABASE_REPLACED) for a replaced database.
 */
export function ledgerCodeRecorder(main: MainClient, db: CounterDatabase, identity: Pick<DatabaseIdentity, 'id'>): (code: LedgerCodeRecord) => Promise<void> {
  return async (code) => {
    await main.call('storage:ledger-code', { databaseId: identity.id, code, dossiersHeld: await db.dossiers.count() });
  };
}
