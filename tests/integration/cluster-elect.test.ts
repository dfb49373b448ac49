/**
 * Elected jobs (central/src/cluster/elect.ts): of the centrals on one PostgreSQL database, only the one holding a
 * job's advisory lock runs it; the others skip the round. Two "instances" here are two connection pools, as two
 * central processes have. The upload sweep is the job: two sweepers on one shared uploads folder, and each round
 * exactly one of them sweeps. Needs `MOTCUA_TEST_POSTGRES_URL`.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm, stat, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres, type SqlDatabase } from '../../central/src/db';
import { runExclusive } from '../../central/src/cluster/elect';
import { scheduleUploadSweep, sweepStaleUploads } from '../../central/src/upload-sweep';
import { postgresMissing, testPostgresUrl } from '../support/postgres';
import { skipWithout } from '../support/requirements';

const skip = skipWithout('PostgreSQL', postgresMissing);

/** Resolves when `release()` is called. */
function gate(): { readonly opened: Promise<void>; release(): void } {
  let release = (): void => undefined;
  const opened = new Promise<void>((resolve) => {
    release = resolve;
  });
  return { opened, release };
}

describe('runExclusive with PGlite', () => {
  it('simply runs: an embedded database has one process', async () => {
    const embedded: Pick<SqlDatabase, 'kind' | 'transaction'> = {
      kind: 'embedded',
      transaction: () => Promise.reject(new Error('no lock is taken with PGlite')),
    };
    expect(await runExclusive(embedded, 'upload-sweep', () => Promise.resolve(42))).toEqual({ ran: true, value: 42 });
  });
});

describe.skipIf(skip)('elected jobs on one PostgreSQL database', () => {
  let instanceA: SqlDatabase;
  let instanceB: SqlDatabase;
  beforeAll(async () => {
    instanceA = await openPostgres(testPostgresUrl ?? '', { maxConnections: 3 });
    instanceB = await openPostgres(testPostgresUrl ?? '', { maxConnections: 3 });
  });
  afterAll(async () => {
    await instanceA?.close();
    await instanceB?.close();
  });

  it('runs a job on one instance at a time; the other skips it, other jobs still run, and it runs again once free', async () => {
    // A name of its own: advisory locks are per database, shared with whatever else runs there.
    const job = `test-job-${randomUUID()}`;
    const running = gate();
    const finish = gate();
    const first = runExclusive(instanceA, job, async () => {
      running.release();
      await finish.opened;
      return 'A';
    });
    await running.opened;
    expect(await runExclusive(instanceB, job, () => Promise.resolve('B'))).toEqual({ ran: false });
    expect(await runExclusive(instanceB, `${job}-other`, () => Promise.resolve('B'))).toEqual({ ran: true, value: 'B' });
    finish.release();
    expect(await first).toEqual({ ran: true, value: 'A' });
    expect(await runExclusive(instanceB, job, () => Promise.resolve('B'))).toEqual({ ran: true, value: 'B' });
  });

  it('releases the lock when the job throws', async () => {
    const job = `test-job-${randomUUID()}`;
    await expect(runExclusive(instanceA, job, () => Promise.reject(new Error('sweep failed')))).rejects.toThrow('sweep failed');
    expect(await runExclusive(instanceB, job, () => Promise.resolve('B'))).toEqual({ ran: true, value: 'B' });
  });

  it('two upload sweepers on one database and one uploads folder: each round, exactly one sweeps and the other skips', async () => {
    const job = `upload-sweep-${randomUUID()}`;
    for (let round = 1; round <= 3; round++) {
      const uploadsDir = await mkdtemp(path.join(os.tmpdir(), 'motcua-elect-'));
      try {
        // One abandoned upload, last written 10 days ago (tus file-store layout: bytes + .json info).
        const uploadId = randomBytes(16).toString('hex');
        const old = new Date(Date.now() - 10 * 24 * 3600_000);
        await writeFile(path.join(uploadsDir, uploadId), 'partial bytes');
        await writeFile(path.join(uploadsDir, `${uploadId}.json`), JSON.stringify({ metadata: { dossierId: randomUUID(), sha256: 'a'.repeat(64) } }));
        await utimes(path.join(uploadsDir, uploadId), old, old);
        await utimes(path.join(uploadsDir, `${uploadId}.json`), old, old);

        const swept: string[][] = [];
        const skipped = gate();
        const bothRoundsEnded = gate();
        let skips = 0;
        let committedChecks = 0;
        const roundEnded = (): void => {
          if (swept.length + skips === 2) bothRoundsEnded.release();
        };
        const logOf = (instance: string) => ({
          info: (obj: object) => {
            swept.push([instance, ...((obj as { removed?: string[] }).removed ?? [])]);
            roundEnded();
          },
          warn: (obj: object, msg: string) => {
            throw new Error(`${instance}: ${msg} ${String((obj as { err?: unknown }).err)}`);
          },
          debug: () => {
            skips += 1;
            skipped.release();
            roundEnded();
          },
        });
        // The sweeper that got the round holds it until the other has tried (at most 5 s, so a sweeper that
        // never skips shows up as two sweeps below, not as a hung test).
        const isCommitted = async (): Promise<boolean> => {
          committedChecks += 1;
          await Promise.race([skipped.opened, new Promise((resolve) => setTimeout(resolve, 5_000))]);
          return false;
        };
        const maxAgeMs = 7 * 24 * 3600_000;
        const options = { sweep: (now: Date) => sweepStaleUploads({ uploadsDir, maxAgeMs, now, isCommitted }), maxAgeMs, intervalMs: 3600_000 };
        const sweeperA = scheduleUploadSweep({ ...options, log: logOf('A'), elect: (sweep) => runExclusive(instanceA, job, sweep) });
        const sweeperB = scheduleUploadSweep({ ...options, log: logOf('B'), elect: (sweep) => runExclusive(instanceB, job, sweep) });
        // Each sweeper's first round starts at once; a round that removes nothing logs nothing, hence the cap.
        await Promise.race([bothRoundsEnded.opened, new Promise((resolve) => setTimeout(resolve, 15_000))]);
        await Promise.all([sweeperA.stop(), sweeperB.stop()]);

        expect(committedChecks, `round ${round}`).toBe(1);
        expect(skips, `round ${round}`).toBe(1);
        expect(swept, `round ${round}`).toHaveLength(1);
        expect(swept[0]?.slice(1)).toEqual([uploadId]);
        await expect(stat(path.join(uploadsDir, uploadId))).rejects.toThrow(/ENOENT/);
      } finally {
        await rm(uploadsDir, { recursive: true, force: true });
      }
    }
  });
});
