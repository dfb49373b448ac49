/**
 * The SQL connection behind the store: PGlite (embedded, the default) or a PostgreSQL server. The store only
 * sees this interface, so both run the same SQL.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { OWNER_ONLY_DIR_MODE, OWNER_ONLY_FILE_MODE } from './data-modes';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';
import { defaultPgliteTemplatePath, openPgliteWithTemplate } from './pglite-template';

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
    await writeFile(lockPath, String(process.pid), { flag: 'wx', mode: OWNER_ONLY_FILE_MODE });
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

/**
 * The embedded database in `dbDir`, locked against a second process. A new directory is filled from the
 * template at `templatePath` (pglite-template.ts) rather than initialised from scratch.
 */
export async function openPglite(dbDir: string, templatePath = defaultPgliteTemplatePath()): Promise<SqlDatabase> {
  await mkdir(dbDir, { recursive: true, mode: OWNER_ONLY_DIR_MODE });
  const unlock = await lockDataDir(`${dbDir}.lock`);
  let db: PGlite;
  try {
    ({ db } = await openPgliteWithTemplate(dbDir, templatePath));
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

/**
 * A PostgreSQL server (`postgres://user:pass@host:5432/db`) through a `pg` connection pool. Several centrals
 * may share one database: migrations take an advisory lock, the feed a table lock (store.ts).
 */
export async function openPostgres(connectionString: string, opts: { maxConnections?: number } = {}): Promise<SqlDatabase> {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString, max: opts.maxConnections ?? 10 });
  // An idle client's error (server restart) would otherwise crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  try {
    await pool.query('SELECT 1');
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw new Error(`cannot connect to PostgreSQL at ${redactPassword(connectionString)}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  const run = async <T>(client: Pick<pg.Pool, 'query'>, sql: string, params?: unknown[]): Promise<{ rows: T[] }> => {
    const result = await client.query(sql, params);
    return { rows: result.rows as T[] };
  };
  return {
    kind: 'postgres',
    query: (sql, params) => run(pool, sql, params),
    exec: async (sql) => {
      await pool.query(sql);
    },
    async transaction(fn) {
      const client = await pool.connect();
      // The pool takes its error listener off a client it hands out: a server that ends this connection while the
      // transaction is between statements (a primary crashed, a session shut by the load balancer) would emit an
      // 'error' nobody listens to, and that ends the process. Kept instead: the next statement fails, and the
      // client is destroyed on release rather than reused (issue 19, the cluster test's fail-over scenario).
      let lost: Error | undefined;
      const onError = (err: Error): void => {
        lost = err;
      };
      client.on('error', onError);
      try {
        await client.query('BEGIN');
        const result = await fn({ query: (sql, params) => run(client, sql, params) });
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.removeListener('error', onError);
        client.release(lost);
      }
    },
    close: () => pool.end(),
  };
}

/** `postgres://user:secret@host/db` → `postgres://user:***@host/db`, for messages and logs. */
function redactPassword(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '(unparseable database URL)';
  }
}

/** The database the configuration names: PostgreSQL when a URL is given, else the embedded one in `dbDir`. */
export function openDatabase(opts: { databaseUrl?: string; dbDir: string }): Promise<SqlDatabase> {
  return opts.databaseUrl ? openPostgres(opts.databaseUrl) : openPglite(opts.dbDir);
}
