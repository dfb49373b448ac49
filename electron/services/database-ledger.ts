/**
 * A small record, kept by main outside IndexedDB, of which counter database this PC has been using.
 *
 * Chromium may delete an IndexedDB it finds corrupt and hand the page an empty one; a user may clear the
 * browser data; a second browser profile may open the same counter. From inside IndexedDB each of these
 * looks like a fresh install. The ledger remembers the database's identity (a random id written in the
 * database when it was created), the most dossiers it ever held, and the last dossier number each counter
 * used on each day — so a replaced database is reported instead of silently used, and dossier codes are
 * never issued twice once IT has accepted the new database.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { AppError } from '../../shared/errors';
import { writeFileDurably } from '../../shared-node/durable-file';
import type { DatabaseLedgerView, LedgerCodeRecord, LedgerDatabase, LedgerVerdict } from '../../shared/ipc/contract';
import { codeLeaseSchema, type CodeLease } from '../../shared/domain/code-lease';

export const databaseLedgerFileName = 'database-ledger.json';

/** Days of dossier numbers kept: codes carry their day, so older days can never collide again. */
const codeDaysKept = 7;

const resetSchema = z.object({
  detectedAt: z.string(),
  acceptedAt: z.string(),
  previousDatabaseId: z.string(),
  previousDossiersHeldMost: z.number().int().nonnegative(),
  newDatabaseId: z.string(),
  newDatabaseCreatedAt: z.string(),
  newDossiersHeld: z.number().int().nonnegative(),
});

const ledgerFileSchema = z.object({
  version: z.literal(1),
  databaseId: z.string().min(1),
  databaseCreatedAt: z.string(),
  firstSeenAt: z.string(),
  dossiersHeldMost: z.number().int().nonnegative(),
  updatedAt: z.string(),
  /** `unitCode|YYYY-MM-DD|counterNo` → the last sequence number used. */
  codes: z.record(z.string(), z.number().int().positive()),
  resets: z.array(resetSchema),
  /**
   * The database on record has been given a dossier number. With `dossiersHeldMost` 0 and nothing in the
   * spool, false means it never held a dossier; absent in ledgers written before it was kept.
   */
  issuedCodes: z.boolean().optional(),
  /**
   * Issue 15: blocks of dossier numbers the central leased to this counter (the device's, whatever database
   * is open), for the days still kept. Absent in ledgers written before.
   */
  leases: z.array(codeLeaseSchema).optional(),
});
type LedgerFile = z.infer<typeof ledgerFileSchema>;

export interface DatabaseLedger {
  /**
   * Compares the open database with the one on record; records it when none is (first start). 'shrank': the
   * same database holds fewer dossiers than it once did — the app never deletes a dossier record.
   */
  check(database: LedgerDatabase): Promise<{ verdict: LedgerVerdict; ledger: DatabaseLedgerView }>;
  /** IT accepted a replaced (or shrunk) database: the reset is written down; the numbers already used come back. */
  adopt(database: LedgerDatabase, previousDatabaseId: string): Promise<{ codes: LedgerCodeRecord[]; leases: CodeLease[] }>;
  /** Blocks of dossier numbers the central leased to this counter (kept like the numbers used, by day). */
  recordLeases(leases: readonly CodeLease[]): Promise<void>;
  /**
   * A dossier number was used by this database (which held `dossiersHeld` dossiers just before). Refused for
   * a database that is not the one on record.
   */
  recordCode(databaseId: string, code: LedgerCodeRecord, dossiersHeld?: number): Promise<void>;
}

const codeKey = (c: LedgerCodeRecord): string => `${c.unitCode}|${c.day}|${c.counterNo}`;

function codesOf(file: LedgerFile): LedgerCodeRecord[] {
  return Object.entries(file.codes).flatMap(([key, lastUsed]) => {
    const [unitCode, day, counterNo] = key.split('|');
    return unitCode && day && counterNo ? [{ unitCode, day, counterNo: Number(counterNo), lastUsed }] : [];
  });
}

function viewOf(file: LedgerFile): DatabaseLedgerView {
  return {
    databaseId: file.databaseId,
    databaseCreatedAt: file.databaseCreatedAt,
    firstSeenAt: file.firstSeenAt,
    dossiersHeldMost: file.dossiersHeldMost,
    updatedAt: file.updatedAt,
    // An older ledger does not say: any number on record (they are kept across replacements) counts as given.
    issuedCodes: file.issuedCodes ?? Object.keys(file.codes).length > 0,
    resets: file.resets.map((r) => ({ acceptedAt: r.acceptedAt, previousDatabaseId: r.previousDatabaseId, previousDossiersHeldMost: r.previousDossiersHeldMost })),
  };
}

export function openDatabaseLedger(dataDir: string, now: () => Date = () => new Date()): DatabaseLedger {
  const file = path.join(dataDir, databaseLedgerFileName);
  // One change at a time: two windows starting together must not both write a first record.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work, work);
    queue = run.catch(() => undefined);
    return run;
  };

  const read = async (): Promise<LedgerFile | null> => {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new AppError('STORAGE_LEDGER_DAMAGED', { path: file, reason: (err as Error).message });
    }
    // A damaged ledger is reported, never replaced: it is the only witness of the database it describes.
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw new AppError('STORAGE_LEDGER_DAMAGED', { path: file, reason: (err as Error).message });
    }
    const checked = ledgerFileSchema.safeParse(parsed);
    if (!checked.success) throw new AppError('STORAGE_LEDGER_DAMAGED', { path: file, reason: checked.error.issues[0]?.message ?? 'invalid' });
    return checked.data;
  };

  const write = async (content: LedgerFile): Promise<void> => {
    try {
      await writeFileDurably(file, JSON.stringify(content, null, 2));
    } catch (err) {
      throw new AppError('STORAGE_FAILED', { reason: `database ledger: ${(err as Error).message}` });
    }
  };

  const pruneCodes = (codes: Record<string, number>, today: string): Record<string, number> => {
    const oldest = new Date(Date.parse(`${today}T00:00:00Z`) - codeDaysKept * 86_400_000).toISOString().slice(0, 10);
    return Object.fromEntries(Object.entries(codes).filter(([key]) => (key.split('|')[1] ?? '') >= oldest));
  };

  return {
    check: (database) =>
      serial(async () => {
        const at = now().toISOString();
        const current = await read();
        if (!current) {
          const created: LedgerFile = {
            version: 1,
            databaseId: database.databaseId,
            databaseCreatedAt: database.createdAt,
            firstSeenAt: at,
            dossiersHeldMost: database.dossiersHeld,
            updatedAt: at,
            codes: {},
            resets: [],
            issuedCodes: false,
          };
          await write(created);
          return { verdict: 'first', ledger: viewOf(created) };
        }
        if (current.databaseId !== database.databaseId) return { verdict: 'replaced', ledger: viewOf(current) };
        if (database.dossiersHeld < current.dossiersHeldMost) return { verdict: 'shrank', ledger: viewOf(current) };
        if (database.dossiersHeld > current.dossiersHeldMost) {
          const updated = { ...current, dossiersHeldMost: database.dossiersHeld, updatedAt: at };
          await write(updated);
          return { verdict: 'same', ledger: viewOf(updated) };
        }
        return { verdict: 'same', ledger: viewOf(current) };
      }),

    adopt: (database, previousDatabaseId) =>
      serial(async () => {
        const at = now().toISOString();
        const current = await read();
        if (!current) throw new AppError('STORAGE_DATABASE_REPLACED', { previous: previousDatabaseId, current: database.databaseId, held: 0 });
        // Already accepted (another window, a double click): nothing more to write down.
        if (current.databaseId === database.databaseId && database.dossiersHeld >= current.dossiersHeldMost) return { codes: codesOf(current), leases: current.leases ?? [] };
        // Another window may have accepted a different database in the meantime: only the one IT looked at.
        if (current.databaseId !== previousDatabaseId) throw new AppError('STORAGE_DATABASE_REPLACED', { previous: current.databaseId, current: database.databaseId, held: current.dossiersHeldMost });
        const adopted: LedgerFile = {
          ...current,
          databaseId: database.databaseId,
          databaseCreatedAt: database.createdAt,
          dossiersHeldMost: database.dossiersHeld,
          updatedAt: at,
          issuedCodes: false,
          resets: [
            ...current.resets,
            {
              detectedAt: at,
              acceptedAt: at,
              previousDatabaseId: current.databaseId,
              previousDossiersHeldMost: current.dossiersHeldMost,
              newDatabaseId: database.databaseId,
              newDatabaseCreatedAt: database.createdAt,
              newDossiersHeld: database.dossiersHeld,
            },
          ],
        };
        await write(adopted);
        return { codes: codesOf(adopted), leases: adopted.leases ?? [] };
      }),

    recordLeases: (leases) =>
      serial(async () => {
        const current = await read();
        // Before the first check there is no ledger to write to; the leases stay in IndexedDB only.
        if (!current || leases.length === 0) return;
        const key = (l: CodeLease): string => `${l.agencyId}|${l.day}|${l.first}`;
        const merged = new Map((current.leases ?? []).map((l) => [key(l), l]));
        for (const lease of leases) merged.set(key(lease), lease);
        const newestDay = [...merged.values()].reduce((d, l) => (l.day > d ? l.day : d), '');
        // Same window as the numbers used: older days can never be issued again (the day is in the code).
        const oldest = new Date(Date.parse(`${newestDay}T00:00:00Z`) - (codeDaysKept + 14) * 86_400_000).toISOString().slice(0, 10);
        await write({ ...current, leases: [...merged.values()].filter((l) => l.day >= oldest), updatedAt: now().toISOString() });
      }),

    recordCode: (databaseId, code, dossiersHeld = 0) =>
      serial(async () => {
        const current = await read();
        if (!current || current.databaseId !== databaseId) {
          throw new AppError('STORAGE_DATABASE_REPLACED', { previous: current?.databaseId ?? '-', current: databaseId, held: current?.dossiersHeldMost ?? 0 });
        }
        const key = codeKey(code);
        if ((current.codes[key] ?? 0) >= code.lastUsed && current.dossiersHeldMost >= dossiersHeld && current.issuedCodes === true) return;
        await write({
          ...current,
          issuedCodes: true,
          codes: pruneCodes({ ...current.codes, [key]: Math.max(current.codes[key] ?? 0, code.lastUsed) }, code.day),
          dossiersHeldMost: Math.max(current.dossiersHeldMost, dossiersHeld),
          updatedAt: now().toISOString(),
        });
      }),
  };
}
