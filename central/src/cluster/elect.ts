/**
 * Jobs that one central of a cluster should run, not each of them (issue 19, item 3): the upload sweep today.
 * `runExclusive` runs the job only on the instance that gets a transaction-level advisory lock named after it;
 * an instance that finds it taken skips this round (another one is running it now).
 *
 * Why a transaction-level lock and not a session one: it is taken on a pooled connection inside a transaction,
 * and the transaction's end releases it whatever happens (commit, rollback, a broken connection). A session
 * lock whose unlock failed would stay with an idle pool connection and silently stop the job on every instance.
 * The cost is one pooled connection, idle in its transaction, for the length of the job.
 *
 * What it guarantees: two instances never run the job at the same moment while the lock holds. It does not
 * fence: if the holder's connection drops mid-job (or `idle_in_transaction_session_timeout` cuts it), the lock
 * is free and another instance may start while the first finishes — so elected jobs must be idempotent (the
 * sweep is: removing an upload twice is harmless). Rounds that do not overlap may each run: election spares the
 * work of N instances doing it at once, it does not promise "once per interval".
 */
import { createHash } from 'node:crypto';
import type { SqlDatabase } from '../db';

export type ExclusiveOutcome<T> = { readonly ran: true; readonly value: T } | { readonly ran: false };

/** The one-bigint advisory key of a job: 64 bits of SHA-256("motcua-job:" + name) (see uploadLockKey for the collision argument). */
export function jobLockKey(name: string): bigint {
  return createHash('sha256').update(`motcua-job:${name}`).digest().readBigInt64BE(0);
}

/**
 * Runs `fn` if no other instance on this database runs the job `name` now; `{ ran: false }` when one does.
 * With PGlite (embedded: one process owns the database) it simply runs.
 */
export async function runExclusive<T>(db: Pick<SqlDatabase, 'kind' | 'transaction'>, name: string, fn: () => Promise<T>): Promise<ExclusiveOutcome<T>> {
  if (db.kind === 'embedded') return { ran: true, value: await fn() };
  return db.transaction(async (tx): Promise<ExclusiveOutcome<T>> => {
    const got = await tx.query<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock($1::bigint) AS ok', [jobLockKey(name).toString()]);
    if (got.rows[0]?.ok !== true) return { ran: false };
    return { ran: true, value: await fn() };
  });
}
