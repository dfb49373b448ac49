/**
 * A tus `Locker` shared by every central on one PostgreSQL database (issue 19, item 2). @tus/server locks an
 * upload for each HEAD, PATCH and DELETE; its own `MemoryLocker` only excludes requests of one process, so two
 * centrals behind a load balancer could both write one upload. This one excludes them across processes.
 *
 * - **Session advisory locks on ONE dedicated connection per process** (the lock session), never from the pool:
 *   a session lock belongs to the connection that took it, so the `unlock` must run on that same connection; a
 *   pooled connection goes back to the pool with the lock still held by it. For the same reason the connection
 *   must reach PostgreSQL directly or through a pooler in *session* mode (PgBouncer in transaction mode hands
 *   each statement to any server connection and breaks it). The gain: a process that dies loses its connection
 *   and PostgreSQL frees every lock it held at once — nothing to expire, no lease to tune.
 * - **A local map first**: session locks are re-entrant within their connection, so two requests of this
 *   process for one upload would both "get" it; the map lets one holder per upload id in, as MemoryLocker does.
 * - **Take-over**: a request that finds the upload locked by another process sends `NOTIFY` on
 *   `motcua_tus_release` with the upload id; every process LISTENs on its lock session and calls its holder's
 *   `requestRelease` (tus then cancels that PATCH: it stores what it received and unlocks). The waiter retries
 *   until its timeout; the holder's unlock sends `motcua_tus_released` so the waiter retries at once.
 * - **The lock session drops** (PostgreSQL restarted, `pg_terminate_backend`, a network cut found by the
 *   heartbeat): PostgreSQL has released — or will release — every lock the session held, so every holder here
 *   is cancelled at once, and the next lock opens a new session. S3 has no fencing: a cancelled PATCH may still
 *   write for tus's drain time (3 s) while another process holds the upload; tus's offset check and the SHA-256
 *   check at commit keep that from storing wrong bytes (docs/scaling.md).
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { ERRORS, type Lock, type Locker, type RequestRelease } from '@tus/server';

/** Asks the process holding an upload to let it go; payload: the upload id. */
const releaseRequestChannel = 'motcua_tus_release';
/** Says an upload that someone asked for was let go; payload: the upload id. */
const releasedChannel = 'motcua_tus_released';

/**
 * The advisory lock key of an upload: the first 64 bits of SHA-256("motcua-tus-upload:" + id), as PostgreSQL's
 * one-bigint key form. Collisions: with n uploads locked at the same moment the chance that two share a key is
 * about n²/2^65 — for 10,000 at once (far above a province's ~2,000 counters) 3·10⁻¹². Two ids on one key never
 * let two holders in; the waiter only waits (its NOTIFY names its own id, so the other holder is not cancelled)
 * and at worst times out, and the client retries. The prefix keeps these keys apart from the other users of the
 * one-bigint space (the migration lock, elected jobs in elect.ts) by the same 2^-64 argument.
 */
export function uploadLockKey(uploadId: string): bigint {
  return createHash('sha256').update(`motcua-tus-upload:${uploadId}`).digest().readBigInt64BE(0);
}

/** What tus answers when the upload stayed locked (its own ERR_LOCK_TIMEOUT: `status_code` and `body`), as an Error. */
class LockTimeout extends Error {
  readonly status_code = ERRORS.ERR_LOCK_TIMEOUT.status_code;
  readonly body = ERRORS.ERR_LOCK_TIMEOUT.body;

  constructor(uploadId: string) {
    super(`upload ${uploadId} stayed locked`);
  }
}

export interface PgUploadLockerOptions {
  /** How long a lock request waits for the upload before tus answers ERR_LOCK_TIMEOUT; default 30 s (as MemoryLocker). */
  readonly acquireTimeoutMs?: number;
  /** Between two tries while the upload is held elsewhere (a release notification wakes the waiter sooner); default 250 ms. */
  readonly retryMs?: number;
  /** A waiter repeats its release request this often (the holder may have been between two PATCHes); default 1 s. */
  readonly releaseRequestEveryMs?: number;
  /**
   * The lock session is checked this often: idle, with a `SELECT 1`; busy, by its answers. Nothing answered for
   * twice this while something waits = the session is lost. Default 5 s.
   */
  readonly heartbeatMs?: number;
  /** Shown in `pg_stat_activity.application_name`; default `motcua-upload-lock`. */
  readonly applicationName?: string;
  readonly log?: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };
}

interface LockSession {
  readonly client: pg.Client;
  /** Set once the connection broke or was closed: its locks are gone with it. */
  lost: boolean;
  /** Queries sent on it and not answered yet. */
  inFlight: number;
  /** When it last showed life: its last answer, or the moment a query was sent to it while it was idle. */
  lastSignMs: number;
}

interface Holder {
  readonly requestRelease: RequestRelease;
  /** False while it waits for the advisory lock: a waiter is never asked to release (its own NOTIFY comes back to it). */
  acquired: boolean;
  /** The session the advisory lock was taken on. */
  session: LockSession | undefined;
  /** Another process asked for this upload: say so when it is let go. */
  releaseAsked: boolean;
}

export class PgUploadLocker implements Locker {
  readonly acquireTimeoutMs: number;
  readonly releaseRequestEveryMs: number;
  private readonly retryMs: number;
  private readonly heartbeatMs: number;
  private session: LockSession | undefined;
  private connecting: Promise<LockSession> | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private closed = false;
  /** One holder (or waiter for the advisory lock) per upload id in this process. */
  private readonly holders = new Map<string, Holder>();
  /** Waiters woken when an upload is let go here or elsewhere. */
  private readonly wakers = new Map<string, Set<() => void>>();

  constructor(
    private readonly connectionString: string,
    private readonly options: PgUploadLockerOptions = {},
  ) {
    this.acquireTimeoutMs = options.acquireTimeoutMs ?? 30_000;
    this.retryMs = options.retryMs ?? 250;
    this.releaseRequestEveryMs = options.releaseRequestEveryMs ?? 1_000;
    this.heartbeatMs = options.heartbeatMs ?? 5_000;
  }

  newLock(id: string): Lock {
    return new PgUploadLock(id, this);
  }

  /** Stops the heartbeat and ends the lock session (PostgreSQL frees its locks); holders left are cancelled. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.heartbeat);
    const session = this.session ?? (await this.connecting?.catch(() => undefined));
    if (session) {
      this.lose(session, undefined);
      await session.client.end().catch(() => undefined);
    }
  }

  // --- used by PgUploadLock ---------------------------------------------------------------------------------

  /** The lock session, opened (again) on demand. */
  async openSession(): Promise<LockSession> {
    if (this.closed) throw new Error('the upload locker is closed');
    if (this.session && !this.session.lost) return this.session;
    this.connecting ??= this.connect().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  localHolder(id: string): Holder | undefined {
    return this.holders.get(id);
  }

  register(id: string, holder: Holder): void {
    this.holders.set(id, holder);
  }

  unregister(id: string, holder: Holder): void {
    if (this.holders.get(id) === holder) this.holders.delete(id);
    this.wake(id);
  }

  /** Resolves when `id` is let go (here or, by notification, elsewhere), after `ms`, or when `signal` aborts. */
  waitForRelease(id: string, ms: number, signal: AbortSignal): Promise<void> {
    return new Promise<void>((resolve) => {
      let wakers = this.wakers.get(id);
      if (!wakers) this.wakers.set(id, (wakers = new Set()));
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        const current = this.wakers.get(id);
        current?.delete(done);
        if (current?.size === 0) this.wakers.delete(id);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, Math.min(ms, this.retryMs)));
      signal.addEventListener('abort', done, { once: true });
      wakers.add(done);
    });
  }

  /**
   * The lock session failed in a way that may have left a lock behind (an unlock that errored on a live
   * connection): end it, so PostgreSQL frees everything it held, rather than keep an upload locked for good.
   */
  discard(session: LockSession, err: unknown): void {
    this.lose(session, err);
    // Destroy the socket rather than `end()`: a graceful end waits for a peer that may be unreachable, and the
    // queries queued behind a hung one only fail once the socket is gone. PostgreSQL sees EOF and ends the backend.
    const internals = session.client as unknown as { connection?: { stream?: { destroy(): void } } };
    if (internals.connection?.stream) internals.connection.stream.destroy();
    else void session.client.end().catch(() => undefined);
  }

  // --- the session ------------------------------------------------------------------------------------------

  private async connect(): Promise<LockSession> {
    // Loaded on demand, as db.ts does: a central on PGlite never loads the PostgreSQL client.
    const { default: pgModule } = await import('pg');
    const client = new pgModule.Client({
      connectionString: this.connectionString,
      application_name: this.options.applicationName ?? 'motcua-upload-lock',
      // Client side: a peer gone without a FIN (a cut cable) is noticed by TCP keepalive, not only by the heartbeat.
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
    });
    const session: LockSession = { client, lost: false, inFlight: 0, lastSignMs: performance.now() };
    client.on('error', (err) => this.lose(session, err));
    client.on('end', () => this.lose(session, new Error('lock session ended')));
    client.on('notification', (message) => this.onNotification(message.channel, message.payload));
    try {
      await client.connect();
      // Server side: PostgreSQL notices a central cut off from it within ~25 s (10 + 3 × 5) and frees its locks.
      // Ignored (harmlessly) on a Unix socket.
      await client.query(
        `SELECT set_config('tcp_keepalives_idle', '10', false), set_config('tcp_keepalives_interval', '5', false), set_config('tcp_keepalives_count', '3', false)`,
      );
      await client.query(`LISTEN ${releaseRequestChannel}`);
      await client.query(`LISTEN ${releasedChannel}`);
    } catch (err) {
      session.lost = true;
      await client.end().catch(() => undefined);
      throw err;
    }
    if (this.closed) {
      session.lost = true;
      await client.end().catch(() => undefined);
      throw new Error('the upload locker is closed');
    }
    this.session = session;
    this.startHeartbeat();
    return session;
  }

  /**
   * A query on the lock session. Its queries run one after another on the one connection, so each answer is a
   * sign of life the heartbeat reads.
   */
  async ask<Row extends pg.QueryResultRow>(session: LockSession, text: string, values?: unknown[]): Promise<pg.QueryResult<Row>> {
    if (session.inFlight === 0) session.lastSignMs = performance.now();
    session.inFlight++;
    try {
      return await session.client.query<Row>(text, values);
    } finally {
      session.inFlight--;
      session.lastSignMs = performance.now();
    }
  }

  /**
   * A silent network cut raises no error on an idle connection: the heartbeat finds it. Idle, it sends `SELECT 1`;
   * busy, it sends nothing and reads the answers — a `SELECT 1` would queue behind every lock query waiting on the
   * connection (2,000 uploads at once: over 10 s on 2 cores, and a live session was cut, cancelling every upload).
   * Lost: something waits and nothing has answered for twice the beat.
   */
  private startHeartbeat(): void {
    if (this.heartbeat) return;
    this.heartbeat = setInterval(() => {
      const session = this.session;
      if (!session || session.lost) return;
      if (session.inFlight > 0) {
        if (performance.now() - session.lastSignMs <= 2 * this.heartbeatMs) return;
        // Timers run before the event loop reads its sockets: after a stall of the loop (a saturated CPU) the
        // answers may be waiting unread. Judge again once they have been read (setImmediate runs after that).
        setImmediate(() => {
          const silentMs = performance.now() - session.lastSignMs;
          if (!session.lost && session.inFlight > 0 && silentMs > 2 * this.heartbeatMs) this.discard(session, new Error(`lock session did not answer within ${Math.round(silentMs)} ms`));
        });
        return;
      }
      this.ask(session, 'SELECT 1').catch((err: unknown) => this.discard(session, err));
    }, this.heartbeatMs);
    this.heartbeat.unref();
  }

  /** The session broke: its locks are (or will shortly be) free for others, so every holder here is cancelled now. */
  private lose(session: LockSession, err: unknown): void {
    if (session.lost) return;
    session.lost = true;
    if (this.session === session) this.session = undefined;
    const cancelled: string[] = [];
    for (const [id, holder] of this.holders) {
      if (holder.acquired && holder.session === session) {
        cancelled.push(id);
        void Promise.resolve()
          .then(() => holder.requestRelease())
          .catch(() => undefined);
      }
    }
    if (!this.closed) this.options.log?.warn({ err, cancelled }, 'upload lock session lost; the uploads it held were cancelled');
    // Waiters retry on the next session instead of sleeping out their interval.
    for (const id of [...this.wakers.keys()]) this.wake(id);
  }

  private onNotification(channel: string, payload: string | undefined): void {
    if (!payload) return;
    if (channel === releasedChannel) {
      this.wake(payload);
      return;
    }
    if (channel !== releaseRequestChannel) return;
    const holder = this.holders.get(payload);
    if (!holder?.acquired) return;
    holder.releaseAsked = true;
    void Promise.resolve()
      .then(() => holder.requestRelease())
      .catch(() => undefined);
  }

  private wake(id: string): void {
    for (const wake of [...(this.wakers.get(id) ?? [])]) wake();
  }
}

class PgUploadLock implements Lock {
  private holder: Holder | undefined;
  private readonly key: string;

  constructor(
    private readonly id: string,
    private readonly locker: PgUploadLocker,
  ) {
    this.key = uploadLockKey(id).toString();
  }

  async lock(stopSignal: AbortSignal, requestRelease: RequestRelease): Promise<void> {
    const deadline = performance.now() + this.locker.acquireTimeoutMs;
    const giveUp = (): boolean => stopSignal.aborted || performance.now() >= deadline;

    // 1. This process: one holder per upload; ask the current one to let go (as MemoryLocker does).
    for (let current = this.locker.localHolder(this.id); current; current = this.locker.localHolder(this.id)) {
      await current.requestRelease();
      if (giveUp()) throw new LockTimeout(this.id);
      await this.locker.waitForRelease(this.id, deadline - performance.now(), stopSignal);
    }
    const holder: Holder = { requestRelease, acquired: false, session: undefined, releaseAsked: false };
    this.locker.register(this.id, holder);

    // 2. Every process: the advisory lock on the lock session; ask its holder elsewhere to let go.
    let lastAskMs = Number.NEGATIVE_INFINITY;
    try {
      for (;;) {
        const session = await this.locker.openSession();
        const got = await this.locker.ask<{ ok: boolean }>(session, 'SELECT pg_try_advisory_lock($1::bigint) AS ok', [this.key]);
        if (got.rows[0]?.ok === true) {
          // The session may have broken right after answering: then the lock is gone with it; try again.
          if (!session.lost) {
            holder.acquired = true;
            holder.session = session;
            this.holder = holder;
            return;
          }
          continue;
        }
        if (performance.now() - lastAskMs >= this.locker.releaseRequestEveryMs) {
          lastAskMs = performance.now();
          await this.locker.ask(session, 'SELECT pg_notify($1, $2)', [releaseRequestChannel, this.id]);
        }
        if (giveUp()) throw new LockTimeout(this.id);
        await this.locker.waitForRelease(this.id, deadline - performance.now(), stopSignal);
      }
    } catch (err) {
      this.locker.unregister(this.id, holder);
      throw err;
    }
  }

  async unlock(): Promise<void> {
    const holder = this.holder;
    if (!holder?.session) throw new Error('Releasing an unlocked lock!');
    this.holder = undefined;
    const session = holder.session;
    try {
      // A lost session's locks went with it; unlocking on a newer session could free a colliding key held there.
      if (session.lost) return;
      try {
        await this.locker.ask(session, 'SELECT pg_advisory_unlock($1::bigint)', [this.key]);
        if (holder.releaseAsked) await this.locker.ask(session, 'SELECT pg_notify($1, $2)', [releasedChannel, this.id]);
      } catch (err) {
        // Not knowing whether the lock is still held, end the session: PostgreSQL then frees it for certain.
        if (!session.lost) this.locker.discard(session, err);
      }
    } finally {
      this.locker.unregister(this.id, holder);
    }
  }
}
