/**
 * The SQL connection behind the store: PGlite (embedded, the default) or a PostgreSQL server. The store only
 * sees this interface, so both run the same SQL.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';

/** What a statement runner offers: the database itself or an open transaction. */
export interface Queryable {
  query<T>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>;
}

export interface SqlDatabase extends Queryable {
  /** Runs several statements (a migration); no parameters. */
  exec(sql: string): Promise<void>;
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** `embedded` (PGlite) or `postgres`. */
  readonly kind: 'embedded' | 'postgres';
  close(): Promise<void>;
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * PGlite takes no lock on its directory, and two processes writing one directory corrupt it. Hold our own
 * pid file beside it; a file left by a killed central (dead pid) is taken over.
 */
async function lockDataDir(lockPath: string): Promise<() => Promise<void>> {
  try {
    await writeFile(lockPath, String(process.pid), { flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const holder = Number.parseInt(await readFile(lockPath, 'utf8'), 10);
    if (Number.isInteger(holder) && holder !== process.pid && isProcessAlive(holder)) {
      throw new Error(`the central database ${path.dirname(lockPath)} is in use by process ${holder}`, { cause: err });
    }
    await writeFile(lockPath, String(process.pid));
  }
  return async () => {
    await rm(lockPath, { force: true });
  };
}

/** The embedded database in `dbDir` (created if needed), locked against a second process. */
export async function openPglite(dbDir: string): Promise<SqlDatabase> {
  await mkdir(dbDir, { recursive: true });
  const unlock = await lockDataDir(`${dbDir}.lock`);
  let db: PGlite;
  try {
    db = await PGlite.create({ dataDir: dbDir });
  } catch (err) {
    await unlock();
    throw err;
  }
  return {
    kind: 'embedded',
    query: (sql, params) => db.query(sql, params),
    exec: async (sql) => {
      await db.exec(sql);
    },
    transaction: (fn) => db.transaction((tx) => fn(tx)),
    async close() {
      await db.close();
      await unlock();
    },
  };
}
