/**
 * A transaction's connection ended by the server (a crashed or promoted primary, an administrator's
 * pg_terminate_backend, a load balancer shutting sessions) while the transaction is between statements — an
 * elected job holding its lock while it lists a bucket, say. The `pg` pool takes its error listener off a client it
 * hands out, so that client's 'error' event had no listener and ended the whole central (seen in the cluster test's
 * fail-over scenario: one instance in three died with "Unhandled 'error' event"). It must fail that transaction
 * only, and the pool must go on with a new connection.
 */
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openPostgres } from '../../central/src/db';
import { postgresMissing, testPostgresUrl } from '../support/postgres';
import { skipWithout } from '../support/requirements';

const skip = skipWithout('PostgreSQL', postgresMissing);

describe.skipIf(skip)('a PostgreSQL transaction whose connection the server ends between two statements', () => {
  it('fails that transaction, not the process, and the next statement runs on a new connection', async () => {
    const url = testPostgresUrl ?? '';
    const db = await openPostgres(url, { maxConnections: 2 });
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      const outcome = db.transaction(async (tx) => {
        const { rows } = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        await admin.query('SELECT pg_terminate_backend($1)', [rows[0]?.pid]);
        // Other work while the server's termination notice arrives on the idle, checked-out connection.
        await new Promise((resolve) => setTimeout(resolve, 500));
        await tx.query('SELECT 1');
      });
      await expect(outcome).rejects.toThrow();
      expect((await db.query<{ one: number }>('SELECT 1 AS one')).rows[0]?.one).toBe(1);
    } finally {
      await admin.end();
      await db.close();
    }
  });
});
