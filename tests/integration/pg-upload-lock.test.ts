/**
 * The tus upload lock shared through PostgreSQL (central/src/cluster/pg-upload-lock.ts), between two real
 * processes as two centrals would hold it: take-over by NOTIFY, a holder SIGKILLed, a holder's lock session
 * terminated by the server, many uploads at once. Needs `MOTCUA_TEST_POSTGRES_URL`.
 *
 * Advisory locks are per database, not per schema: every test uses fresh random upload ids, so other test
 * files (or centrals) on the same database never touch these keys.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { PgUploadLocker, uploadLockKey } from '../../central/src/cluster/pg-upload-lock';
import { describeError } from '../../shared/i18n/error-messages';
import { centralCommandLine } from '../support/central-process';
import { postgresMissing, testPostgresUrl } from '../support/postgres';
import { skipWithout } from '../support/requirements';

const skip = skipWithout('PostgreSQL', postgresMissing);
const childScript = path.join(import.meta.dirname, '..', 'support', 'upload-lock-child.ts');

type LockEvent =
  | { event: 'ready' }
  | { event: 'locked' | 'release-requested' | 'unlocked'; id: string }
  | { event: 'lock-failed' | 'unlock-failed'; id: string; error: string };

/** A child process holding locks (tests/support/upload-lock-child.ts); every event it printed, in order. */
interface LockProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly events: LockEvent[];
  lock(id: string, onRelease: 'unlock' | 'ignore'): void;
  unlock(id: string): void;
  /** Resolves with the first event (seen so far or later) matching; rejects after `timeoutMs`. */
  waitFor(match: (event: LockEvent) => boolean, what: string, timeoutMs?: number): Promise<LockEvent>;
}

const children = new Set<ChildProcess>();
afterEach(() => {
  for (const child of children) child.kill('SIGKILL');
  children.clear();
});

const newUploadId = (): string => randomBytes(16).toString('hex');

async function startLockProcess(acquireTimeoutMs = 10_000): Promise<LockProcess> {
  const name = `motcua-lock-test-${randomBytes(4).toString('hex')}`;
  const child = spawn(process.execPath, ['--import', 'tsx', childScript, testPostgresUrl ?? '', name, String(acquireTimeoutMs)], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  children.add(child);
  const events: LockEvent[] = [];
  const listeners = new Set<() => void>();
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  createInterface({ input: child.stdout }).on('line', (line) => {
    events.push(JSON.parse(line) as LockEvent);
    for (const listener of [...listeners]) listener();
  });
  const send = (command: object): void => {
    child.stdin?.write(`${JSON.stringify(command)}\n`);
  };
  const waitFor = (match: (event: LockEvent) => boolean, what: string, timeoutMs = 20_000): Promise<LockEvent> =>
    new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = events.find(match);
        if (!found) return false;
        clearTimeout(timer);
        listeners.delete(listener);
        resolve(found);
        return true;
      };
      const listener = (): void => void check();
      const timer = setTimeout(() => {
        listeners.delete(listener);
        reject(new Error(`${name}: no ${what} within ${timeoutMs} ms; events ${JSON.stringify(events)}; stderr ${stderr}`));
      }, timeoutMs);
      if (!check()) listeners.add(listener);
    });
  const lockProcess: LockProcess = {
    name,
    child,
    events,
    lock: (id, onRelease) => send({ op: 'lock', id, onRelease }),
    unlock: (id) => send({ op: 'unlock', id }),
    waitFor,
  };
  await waitFor((e) => e.event === 'ready', 'ready', 30_000);
  return lockProcess;
}

const is = (event: LockEvent['event'], id: string) => (e: LockEvent) => e.event === event && 'id' in e && e.id === id;
const indexOf = (p: LockProcess, event: LockEvent['event'], id: string): number => p.events.findIndex(is(event, id));

/** The backend pid of a child's lock session, by its application name. */
async function lockSessionPid(client: pg.Client, applicationName: string): Promise<number> {
  const rows = await client.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [applicationName]);
  expect(rows.rows).toHaveLength(1);
  return rows.rows[0]!.pid;
}

/** Whether some session holds the advisory lock of `uploadId` now (pg_locks). */
async function isLockedInDatabase(client: pg.Client, uploadId: string): Promise<boolean> {
  const key = BigInt.asUintN(64, uploadLockKey(uploadId));
  // pg_locks shows a one-bigint advisory key as classid (high 32 bits) and objid (low 32 bits), objsubid 1.
  const rows = await client.query(
    `SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND objsubid = 1 AND granted AND classid::bigint = $1 AND objid::bigint = $2 AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    [String(key >> 32n), String(key & 0xffffffffn)],
  );
  return rows.rows.length > 0;
}

/**
 * The heartbeat of the two tests below, short so that a test is quick, long enough that a loaded CI machine
 * (load 10+ on 2 cores) does not leave PostgreSQL itself silent for twice the beat (20 ms did).
 */
const beatMs = 250;

describe.skipIf(skip)('tus upload lock shared through PostgreSQL (two processes)', () => {
  it('a second process takes an upload over: the holder is asked to release, lets go, and only then the second locks it', async () => {
    const [first, second] = await Promise.all([startLockProcess(), startLockProcess()]);
    const id = newUploadId();
    first.lock(id, 'unlock');
    await first.waitFor(is('locked', id), 'locked');

    second.lock(id, 'unlock');
    await second.waitFor(is('locked', id), 'take-over');
    // The first's "unlocked" line may reach this process after the second's "locked" (two pipes, two processes;
    // PostgreSQL hands the lock over the moment the first lets go): wait for it, then check the first's order.
    await first.waitFor(is('unlocked', id), 'unlocked');
    // The order is the point: the first was asked (by NOTIFY) and let go before the second held the upload.
    expect(indexOf(first, 'release-requested', id)).toBeGreaterThan(indexOf(first, 'locked', id));
    expect(indexOf(first, 'unlocked', id)).toBeGreaterThan(indexOf(first, 'release-requested', id));
    expect(second.events.some(is('release-requested', id))).toBe(false);
  });

  it('a holder that does not let go keeps the upload: the other process times out (tus answers ERR_LOCK_TIMEOUT), never both hold it', async () => {
    const [holder, waiter] = await Promise.all([startLockProcess(), startLockProcess(1_500)]);
    const id = newUploadId();
    holder.lock(id, 'ignore');
    await holder.waitFor(is('locked', id), 'locked');
    waiter.lock(id, 'ignore');
    await waiter.waitFor(is('lock-failed', id), 'lock timeout');
    expect(holder.events.some(is('release-requested', id))).toBe(true);
    expect(waiter.events.some(is('locked', id))).toBe(false);
  });

  it('a holder process SIGKILLed: its session ends and the upload is free for the other process at once', async () => {
    const [doomed, survivor] = await Promise.all([startLockProcess(), startLockProcess(10_000)]);
    const id = newUploadId();
    doomed.lock(id, 'ignore');
    await doomed.waitFor(is('locked', id), 'locked');
    doomed.child.kill('SIGKILL');
    await new Promise((resolve) => doomed.child.once('exit', resolve));

    survivor.lock(id, 'ignore');
    await survivor.waitFor(is('locked', id), 'lock after the holder was killed');
    expect(survivor.events.some(is('lock-failed', id))).toBe(false);
  });

  it('the lock session of a holder terminated by the server: all its holders are cancelled, the uploads are free, and it reconnects', async () => {
    const admin = new pg.Client({ connectionString: testPostgresUrl });
    await admin.connect();
    try {
      const [cut, other] = await Promise.all([startLockProcess(), startLockProcess()]);
      const ids = [newUploadId(), newUploadId()];
      for (const id of ids) cut.lock(id, 'ignore');
      for (const id of ids) await cut.waitFor(is('locked', id), 'locked');
      for (const id of ids) expect(await isLockedInDatabase(admin, id)).toBe(true);

      await admin.query('SELECT pg_terminate_backend($1)', [await lockSessionPid(admin, cut.name)]);
      // Every holder is told to stop (tus cancels its PATCH), though nobody asked for the uploads.
      for (const id of ids) await cut.waitFor(is('release-requested', id), 'cancellation after the session was cut');
      // The other process gets them while the cut one has not even unlocked yet.
      for (const id of ids) other.lock(id, 'ignore');
      for (const id of ids) await other.waitFor(is('locked', id), 'lock after the session was cut');

      // It locks again, on a new session...
      const later = newUploadId();
      cut.lock(later, 'ignore');
      await cut.waitFor(is('locked', later), 'lock on the new session');
      expect(await isLockedInDatabase(admin, later)).toBe(true);
      // ...and its late unlocks of the cut holders are harmless: answered, and the other process keeps the uploads.
      for (const id of ids) cut.unlock(id);
      for (const id of ids) await cut.waitFor(is('unlocked', id), 'unlock on a lost session');
      for (const id of ids) expect(await isLockedInDatabase(admin, id)).toBe(true);
    } finally {
      await admin.end();
    }
  });

  it('many uploads at once do not block each other, in one process and across two', async () => {
    const [a, b] = await Promise.all([startLockProcess(5_000), startLockProcess(5_000)]);
    const ids = Array.from({ length: 60 }, newUploadId);
    for (const id of ids.slice(0, 30)) a.lock(id, 'ignore');
    for (const id of ids.slice(30)) b.lock(id, 'ignore');
    // Each holds its 30 at the same time as the other holds its own: none waited for another's lock.
    for (const id of ids.slice(0, 30)) await a.waitFor(is('locked', id), `locked ${id}`);
    for (const id of ids.slice(30)) await b.waitFor(is('locked', id), `locked ${id}`);
    expect([...a.events, ...b.events].filter((e) => e.event === 'lock-failed' || e.event === 'release-requested')).toEqual([]);
  });

  it('a lock session busy with many queued queries is alive while they answer: the heartbeat does not cut it', async () => {
    // The cluster bench's 2,000 counters at once: a `SELECT 1` queued behind every lock query of the one connection
    // waited past its deadline, and the live session was cut (every upload it held cancelled, answered 500).
    const lost: object[] = [];
    const locker = new PgUploadLocker(testPostgresUrl ?? '', { heartbeatMs: beatMs, log: { warn: (obj) => lost.push(obj), info: () => undefined } });
    try {
      const started = performance.now();
      await Promise.all(
        Array.from({ length: 3_000 }, async () => {
          const lock = locker.newLock(newUploadId());
          await lock.lock(new AbortController().signal, () => undefined);
          await lock.unlock();
        }),
      );
      // The queue must have outlasted twice the beat, or the test proves nothing.
      expect(performance.now() - started).toBeGreaterThan(2 * beatMs);
      expect(lost).toEqual([]);
    } finally {
      await locker.close();
    }
  });

  it('a stall of the event loop while an answer waits unread does not cut a live session', async () => {
    // A saturated CPU stalls the central's event loop; when it wakes, timers run before sockets are read, so the
    // heartbeat saw "no answer for twice the beat" although the answer sat unread in the socket (CI, load 10+).
    const lost: object[] = [];
    const locker = new PgUploadLocker(testPostgresUrl ?? '', { heartbeatMs: beatMs, log: { warn: (obj) => lost.push(obj), info: () => undefined } });
    try {
      const first = locker.newLock(newUploadId());
      await first.lock(new AbortController().signal, () => undefined);
      for (let round = 0; round < 5; round++) {
        const other = locker.newLock(newUploadId());
        const locking = other.lock(new AbortController().signal, () => undefined);
        // Let the lock query reach the connection, then hold the loop for many beats while PostgreSQL answers.
        for (let tick = 0; tick < 50; tick++) await Promise.resolve();
        const until = performance.now() + 3 * beatMs;
        while (performance.now() < until) {
          // the stall: nothing else runs, the answer waits in the socket
        }
        await locking;
        await other.unlock();
      }
      await first.unlock();
      expect(lost).toEqual([]);
    } finally {
      await locker.close();
    }
  });
});

describe('motcua central --upload-lock', () => {
  const central = (args: readonly string[], env: Record<string, string> = {}) =>
    promisify(execFile)(process.execPath, [...centralCommandLine(), ...args], { env: { ...process.env, MOTCUA_CENTRAL_DATABASE_URL: '', ...env } }).then(
      (r) => ({ code: 0, output: r.stdout + r.stderr }),
      (err: { code: number; stdout: string; stderr: string }) => ({ code: err.code, output: err.stdout + err.stderr }),
    );

  it('refuses an unknown lock, and the postgres lock without a PostgreSQL server, saying so in Vietnamese and English', async () => {
    const base = await mkdtemp(path.join(os.tmpdir(), 'motcua-upload-lock-'));
    const dataDir = path.join(base, 'data');
    try {
      const unknown = await central(['--upload-lock', 'redis', '--data', dataDir, '--port', '0']);
      expect(unknown.code).toBe(2);
      expect(unknown.output).toContain('Tham số không hợp lệ');

      const fromEnvironment = await central(['--data', dataDir, '--port', '0', '--demo', '--pki', path.join(base, 'pki')], { MOTCUA_CENTRAL_UPLOAD_LOCK: 'postgres' });
      expect(fromEnvironment.code).toBe(1);
      expect(fromEnvironment.output).toContain(describeError('vi', 'CENTRAL_UPLOAD_LOCK_NEEDS_POSTGRES'));
      expect(fromEnvironment.output).toContain(describeError('en', 'CENTRAL_UPLOAD_LOCK_NEEDS_POSTGRES'));
    } finally {
      await rm(base, { recursive: true, force: true });
    }
  });
});
