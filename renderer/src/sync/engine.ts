/**
 * The sync engine: everything between the counter's IndexedDB and the central.
 *
 * A pass: probe the central's health (only its known answer counts as online) → pull the status feed and
 * the reference data → send due dossiers, oldest first, at most `concurrency` at once (one huge dossier
 * does not hold back the others) → send due counter events → result documents → retention (the bytes of
 * files the central confirmed, after the grace period; also when offline). Each dossier and each counter event
 * moves through the one state machine of outbox-machine.ts (waiting → uploading → committing → acknowledged, or
 * back to waiting with backoff + jitter, or failed for the clerk); its row is written only through it.
 *
 * This file is the wiring: passes are timed by pass-scheduler.ts, files go up through outbox-upload.ts (tus,
 * resumable: the upload URL is kept in the item's row, so a restart of the app resumes); the commit is an
 * idempotent PUT keyed by the dossier id. Every transition is written to `syncLog`; an acknowledgement releases
 * main's spool copy through the `spool` port. No React, no `window`, no DOM: the same code runs in the app's
 * Web Worker and in Node tests.
 */
import Dexie, { liveQuery } from 'dexie';
import type { Subscription } from 'dexie';
import type { DossierId } from '../../../shared/domain/dossier';
import { AppError, toWireError } from '../../../shared/errors';
import type { WireError } from '../../../shared/errors';
import { referenceKinds } from '../../../shared/sync/protocol';
import type { CounterDatabase, CounterEventRow, FileUploadProgress, OutboxRow, OutboxState, StoredDossier, StoredFile, SyncLogLevel } from '../db/database';
import { verifyStoredFile } from '../db/files';
import { checkQueueIntegrity } from '../db/integrity';
import { defaultPurgeBatch, dropPrintedFormBytes, markFilesConfirmed, markMinimiseDue, minimiseClosedDossiers, purgeConfirmedFiles, purgeStaleApplicants, supplementFileIds } from '../db/retention';
import { defaultRetention } from '../../../shared/ipc/contract';
import { queueCounts, repairDerivedTables } from '../db/queue';
import type { SpoolIdsToRelease, SpoolReleasePort } from '../db/dossier-spool';
import { AttemptFailure, Stopped, wire } from './attempt';
import { dossierStateNames, eventItemState, eventStateNames, finalItemStates, heldBackCodes, inputOfFailure, next, pendingItemStates } from './outbox-machine';
import type { OutboxItemInput } from './outbox-machine';
import { uploadOutboxFile } from './outbox-upload';
import { commitDossier, dossierFiles } from './dossier-commit';
import { checkCentralAccess, probeCentral } from './central-access';
import type { AccessContext, CentralAccess } from './central-access';
import type { OutboxUploadOptions } from './outbox-upload';
import { createPassScheduler, runConcurrently } from './pass-scheduler';
import type { BackoffPolicy } from './backoff';
import { defaultBackoff, retryDelayAfterFailure, retryDelayMs } from './backoff';
import { createCentralClient } from './central-client';
import type { CredentialSupplier } from './central-client';
import { clockMetaKey, measureOffset } from './clock';
import type { ClockReading } from './clock';
import { sendCounterEvent } from './events';
import { pullReference, pullStatusChanges } from './pull';
import { refillCodeLeases, type CodeLeaseOptions } from './code-leases';
import { syncResultFiles } from './result-files';
import { syncAuditLog, type AuditLogPort } from './audit-sync';
import { createThroughputMeter } from './throughput';
import { defaultUploadChunkSize, defaultUploadStallTimeoutMs } from './upload';
import { sendCounterReport, type CounterReportSource } from './fleet-report';

type Connectivity = 'online' | 'offline' | 'unknown';

;

export interface SyncSnapshot {
  readonly connectivity: Connectivity;
  /** Counter clock (ISO) of the last answer that proved the central is there. */
  readonly lastContactAt?: string;
  /** Central clock minus counter clock, measured at the last contact. */
  readonly centralClockOffsetMs?: number;
  /** The counter's clock is off by more than the tolerance: the clerk is told to fix it. */
  readonly clockSkewWarning: boolean;
  /** Dossiers still to send (waiting, uploading or committing). */
  readonly waiting: number;
  /** Dossiers the central refused: the clerk must look at them. */
  readonly failed: number;
  readonly bytesLeft: number;
  /** Counter events (returns, supplements, apologies) not yet acknowledged. */
  readonly eventsWaiting: number;
  /** Measured upload throughput (bytes/s) over the last half minute of sending; absent before any. */
  readonly bytesPerSecond?: number;
  /** bytesLeft / bytesPerSecond, when both are known and the central is reachable. */
  readonly secondsLeft?: number;
  /** True between start() and stop(). */
  readonly running: boolean;
  /** Dossiers being sent right now (at most `concurrency`). */
  readonly sending: readonly DossierId[];
  /** Why the last probe failed (offline), in the error catalog's terms. */
  readonly lastProbeError?: WireError;
  /** The central's answer about this counter at the last pass that reached it; absent before one and while offline. */
  readonly centralAccess?: CentralAccess;
  /** Counter clock (ISO) of the last complete pull of the status feed. */
  readonly lastPullAt?: string;
  /** The local database failed (damage, disk): shown to the clerk until a pass works again. */
  readonly storageError?: WireError;
  /** Dossiers still to send whose stored record or files are incomplete (start-up check). */
  readonly damaged: number;
}

export interface SyncEngine {
  start(): void;
  stop(): Promise<void>;
  /** Runs a pass now, ignoring the backoff of waiting dossiers (failed ones stay failed). */
  syncNow(): Promise<void>;
  subscribe(listener: (snapshot: SyncSnapshot) => void): () => void;
  snapshot(): SyncSnapshot;
}

export interface SyncEngineOptions {
  readonly db: CounterDatabase;
  /** Base URL of the central, e.g. "https://motcua.example.gov.vn". */
  readonly centralUrl: string;
  /**
   * The unit and counter this PC is configured as: a device enrolled for another unit is reported as refused
   * (the central would refuse each of its dossiers). Not checked when absent.
   */
  readonly counter?: { readonly unitCode: string; readonly unitName: string; readonly counterNo: number };
  readonly fetch?: typeof fetch;
  /** The device credential for `Authorization: Bearer …` (every call but health). */
  readonly credential?: CredentialSupplier;
  readonly now?: () => Date;
  readonly random?: () => number;
  /** Bytes per tus PATCH request: the most that is re-sent after a broken connection. Default `defaultUploadChunkSize` (5 MiB). */
  readonly uploadChunkSize?: number;
  readonly backoff?: Partial<BackoffPolicy>;
  /** Dossiers sent at the same time (oldest first). Default 2. */
  readonly concurrency?: number;
  /** How often to look at the queue and the central when nothing else wakes the engine. */
  readonly pollIntervalMs?: number;
  readonly probeTimeoutMs?: number;
  readonly requestTimeoutMs?: number;
  /** A tus upload with no byte moving and no answer for this long is aborted and resumed later. Default 30 s. */
  readonly uploadStallTimeoutMs?: number;
  /** Pull the status feed and reference data in each pass. Default true. */
  readonly pull?: boolean;
  /**
   * Start-up integrity check (integrity.ts): how long after start() it begins, and the pause between its
   * batches. Default 0 and 0; the app's worker waits and pauses (sync.worker.ts) so the clerk's first screen and
   * search do not queue behind thousands of its IndexedDB reads (issue 20).
   */
  readonly integrityCheck?: { readonly delayMs?: number; readonly pauseMs?: number };
  /** Warn the clerk when the counter's clock differs from the central's by more than this. Default 5 min. */
  readonly clockSkewWarnMs?: number;
  /**
   * Runs once the central is reachable and before a dossier's first byte is uploaded; it may replace the
   * files' bytes (e.g. add signature time-stamps). Its failures are logged and never hold the dossier back.
   */
  readonly beforeFirstUpload?: (dossier: StoredDossier, files: readonly StoredFile[]) => Promise<void>;
  /**
   * Retention (docs/storage.md): days after the central's acknowledgement before a dossier's file bytes are
   * deleted from this PC (0 = at the first pass after it), days after a closed status reached the central
   * before the dossier is minimised, days unseen before a returning-applicant entry goes, and dossiers per
   * pass. Defaults: 0, `defaultRetention` (shared/ipc/contract.ts) and 50.
   */
  readonly retention?: { readonly filesDaysAfterAck: number; readonly dossiersDaysAfterClose?: number; readonly applicantsDaysUnseen?: number; readonly maxDossiersPerPass?: number };
  /** Issue 15: keep this counter stocked with leased dossier numbers in each online pass. Off when absent. */
  readonly codeLeases?: CodeLeaseOptions;
  /** Issue 17: main's audit log, sent to the central in each online pass (audit-sync.ts). Off when absent. */
  readonly auditLog?: AuditLogPort;
  /**
   * Issue 16: what this counter is (version, OS summary, signing certificate's expiry). With it, every request
   * carries the version and each online pass reports the counter's state to the central (fleet-report.ts).
   */
  readonly report?: CounterReportSource;
  /**
   * Main's spool (renderer/src/db/dossier-spool.ts): the copy of a dossier or event is released as part of its
   * acknowledgement. A release that fails is logged and left to the spool's reconcile pass. Off when absent.
   */
  readonly spool?: SpoolReleasePort;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const pendingStates: readonly OutboxState[] = pendingItemStates.map((s) => dossierStateNames[s]);

export function createSyncEngine(options: SyncEngineOptions): SyncEngine {
  const db = options.db;
  const client = createCentralClient({
    centralUrl: options.centralUrl,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.credential ? { credential: options.credential } : {}),
    ...(options.report ? { counterVersion: options.report.appVersion } : {}),
  });
  const now = options.now ?? (() => new Date());
  const random = options.random ?? Math.random;
  const uploadChunkSize = options.uploadChunkSize ?? defaultUploadChunkSize;
  const backoff: BackoffPolicy = { ...defaultBackoff, ...options.backoff };
  const concurrency = Math.max(1, options.concurrency ?? 2);
  const pollIntervalMs = options.pollIntervalMs ?? 30_000;
  const probeTimeoutMs = options.probeTimeoutMs ?? 5_000;
  const requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
  const uploadStallTimeoutMs = options.uploadStallTimeoutMs ?? defaultUploadStallTimeoutMs;
  const pullEnabled = options.pull ?? true;
  const clockSkewWarnMs = options.clockSkewWarnMs ?? 5 * 60_000;
  const meter = createThroughputMeter(() => now().getTime());
  const retention = {
    filesDaysAfterAck: options.retention?.filesDaysAfterAck ?? 0,
    dossiersDaysAfterClose: options.retention?.dossiersDaysAfterClose ?? defaultRetention.dossiersDaysAfterClose,
    applicantsDaysUnseen: options.retention?.applicantsDaysUnseen ?? defaultRetention.applicantsDaysUnseen,
    maxDossiers: options.retention?.maxDossiersPerPass ?? defaultPurgeBatch,
  };

  let snapshot: SyncSnapshot = { connectivity: 'unknown', clockSkewWarning: false, waiting: 0, failed: 0, bytesLeft: 0, eventsWaiting: 0, running: false, sending: [], damaged: 0 };
  const listeners = new Set<(s: SyncSnapshot) => void>();
  let started = false;
  const passes = createPassScheduler({ pass: runPassGuarded, nextWakeDelay, fallbackDelayMs: pollIntervalMs });
  let offlineProbes = 0;
  let countsSubscription: Subscription | undefined;
  let lastPendingCount = -1;
  /** Aborts every request and upload of the current pass (stop()). */
  let abort = new AbortController();
  const uploadCancels = new Set<() => void>();
  /** What the last markUnreachable wrote: the error and how many rows were pending then. */
  let unreachableMarked: { readonly code: string; readonly pending: number } | undefined;
  /** Set by stop(): attempts end at their next step and leave their rows 'waiting'. */
  let stopping = false;
  /** The last pull error logged, per kind of pull: the log gets a line when it changes, not every pass. */
  const pullErrors = new Map<string, string>();

  // A function, not a comparison in place: TypeScript would narrow `snapshot` across the awaits that change it.
  const offline = (): boolean => snapshot.connectivity === 'offline';

  function publish(patch: Partial<Mutable<SyncSnapshot>>): void {
    const next: Mutable<SyncSnapshot> = { ...snapshot, ...patch };
    for (const key of Object.keys(patch) as (keyof SyncSnapshot)[]) if (patch[key] === undefined) delete next[key];
    const rate = meter.bytesPerSecond();
    if (rate !== undefined) next.bytesPerSecond = rate;
    if (rate && next.connectivity === 'online' && next.bytesLeft > 0) next.secondsLeft = Math.ceil(next.bytesLeft / rate);
    else delete next.secondsLeft;
    snapshot = next;
    for (const listener of listeners) listener(snapshot);
  }

  async function log(level: SyncLogLevel, event: string, dossierId: DossierId | undefined, details: Record<string, string | number | boolean> = {}): Promise<void> {
    await db.syncLog.add({ at: now().toISOString(), level, event, details, ...(dossierId ? { dossierId } : {}) });
  }

  async function counts(): Promise<{ waiting: number; failed: number; bytesLeft: number; eventsWaiting: number }> {
    const queue = await queueCounts(db);
    const eventsWaiting = await db.counterEvents.where('state').anyOf(['waiting', 'sending']).count();
    return { waiting: queue.pending, failed: queue.failed, bytesLeft: queue.bytesLeft, eventsWaiting };
  }

  async function refreshCounts(): Promise<void> {
    publish(await counts());
  }

  /**
   * Read-modify-write of one outbox row in a transaction (progress writes and transitions never race).
   * `confirmFiles`: the acknowledgement marks these files confirmed in the same transaction (retention),
   * so no acknowledged file is ever left unmarked; `files` joins the scope only then.
   */
  async function patchRow(dossierId: DossierId, change: (row: OutboxRow) => OutboxRow, confirmFiles?: readonly string[]): Promise<OutboxRow | undefined> {
    return db.transaction('rw', confirmFiles ? [db.outbox, db.files, db.printedForms] : [db.outbox], async () => {
      const row = await db.outbox.get(dossierId);
      if (!row) return undefined;
      const at = now().toISOString();
      const next = { ...change(row), updatedAt: at };
      await db.outbox.put(next);
      if (confirmFiles) {
        await markFilesConfirmed(db.files, confirmFiles, next.acknowledgedAt ?? at);
        // Issue 17: the central holds the dossier now; its printed forms are regenerated from there when needed.
        await dropPrintedFormBytes(db.printedForms, dossierId, at);
      }
      return next;
    });
  }

  /** Feeds `input` to the row's state machine (outbox-machine.ts) and writes the state it gives, with `extra`. */
  async function transition(dossierId: DossierId, input: OutboxItemInput, extra: Partial<OutboxRow> = {}, logDetails: Record<string, string | number | boolean> = {}, confirmFiles?: readonly string[]): Promise<void> {
    let from: OutboxState | undefined;
    let state: OutboxState | undefined;
    await patchRow(
      dossierId,
      (row) => {
        from = row.state;
        state = dossierStateNames[next(row.state, input)];
        return { ...row, ...extra, state };
      },
      confirmFiles,
    );
    // Outbox rows are never deleted; a missing one has nothing to log.
    if (state === undefined) return;
    const level: SyncLogLevel = state === 'failed' ? 'error' : extra.lastError ? 'warn' : 'info';
    await log(level, `state:${state}`, dossierId, { from: from ?? '', ...logDetails });
  }

  async function setUploadProgress(dossierId: DossierId, sha256: string, progress: Partial<FileUploadProgress>): Promise<void> {
    await patchRow(dossierId, (row) => {
      const previous = row.uploads[sha256] ?? { bytesSent: 0, size: 0 };
      return { ...row, uploads: { ...row.uploads, [sha256]: { ...previous, ...progress } } };
    });
  }

  /** Main's spool copy goes with the acknowledgement; a failed release waits for the spool's reconcile pass. */
  async function releaseSpoolCopy(ids: SpoolIdsToRelease, dossierId: DossierId): Promise<void> {
    const spool = options.spool;
    if (!spool) return;
    try {
      await spool.release(ids);
    } catch (err) {
      await log('warn', 'spool:release-failed', dossierId, { error: toWireError(err).code }).catch(() => undefined);
    }
  }

  // ---- talking to the central -------------------------------------------------------------------

  function recordContact(sentAt: number, receivedAt: number, centralTime: string | undefined): void {
    const patch: Partial<Mutable<SyncSnapshot>> = { connectivity: 'online', lastContactAt: new Date(receivedAt).toISOString() };
    const reading: ClockReading | undefined = centralTime ? measureOffset(centralTime, sentAt, receivedAt) : undefined;
    if (reading) {
      patch.centralClockOffsetMs = reading.offsetMs;
      const skewed = Math.abs(reading.offsetMs) > clockSkewWarnMs;
      if (skewed && !snapshot.clockSkewWarning) void log('warn', 'clock:skew', undefined, { offsetMs: reading.offsetMs, centralTime: reading.centralTime, counterTime: reading.counterTime }).catch(() => undefined);
      patch.clockSkewWarning = skewed;
      void db.syncMeta.put({ key: clockMetaKey, value: reading }).catch(() => undefined);
    }
    publish(patch);
  }

  const accessContext = (): AccessContext => ({ client, now, timeoutMs: probeTimeoutMs, signal: abort.signal, onContact: recordContact });

  /** Publishes the central's answer about this counter; the log gets a line when it changes, not every pass. */
  async function noteAccess(access: CentralAccess): Promise<void> {
    const before = snapshot.centralAccess;
    publish({ centralAccess: access });
    const key = (a: CentralAccess | undefined): string => (a ? `${a.state}:${a.state === 'accepted' ? '' : a.error.code}` : '');
    if (key(before) === key(access)) return;
    if (access.state === 'accepted') {
      if (before && before.state !== 'accepted') await log('info', 'central:accepted', undefined);
      return;
    }
    await log(access.state === 'refused' ? 'error' : 'warn', `central:${access.state}`, undefined, { error: access.error.code, details: JSON.stringify(access.error.details) });
  }

  function registerCancel(cancel: () => void): () => void {
    uploadCancels.add(cancel);
    return () => uploadCancels.delete(cancel);
  }

  // ---- one dossier ------------------------------------------------------------------------------

  /** The upload settings shared by dossiers and events; each kind adds where its rows keep the progress. */
  const uploadBase = (): Pick<OutboxUploadOptions, 'db' | 'client' | 'chunkSize' | 'stallTimeoutMs' | 'registerCancel'> => ({ db, client, chunkSize: uploadChunkSize, stallTimeoutMs: uploadStallTimeoutMs, registerCancel });

  function uploadDossierFile(dossierId: DossierId, file: StoredFile): Promise<string> {
    return uploadOutboxFile(
      {
        ...uploadBase(),
        progress: {
          read: async (sha256) => (await db.outbox.get(dossierId))?.uploads[sha256],
          write: (sha256, progress) => setUploadProgress(dossierId, sha256, progress),
        },
        onCreated: (created, url) => void log('info', 'upload:created', dossierId, { file: created.name, sha256: created.sha256, uploadUrl: url }).catch(() => undefined),
        onBytes: (_file, newBytes) => meter.record(newBytes),
        onRestart: (restarted, error) => log('warn', 'upload:restarted', dossierId, { file: restarted.name, reason: JSON.stringify(error.details) }),
      },
      file,
    );
  }

  async function sendDossier(row: OutboxRow): Promise<void> {
    const dossierId = row.dossierId;
    const dossier = await db.dossiers.get(dossierId);
    let files = dossier ? await dossierFiles(db, dossier) : [];
    const neverUploaded = Object.values(row.uploads).every((u) => !u.uploadUrl);
    if (dossier && files.length > 0 && neverUploaded && options.beforeFirstUpload) {
      try {
        await options.beforeFirstUpload(dossier, files);
      } catch (err) {
        await log('warn', 'before-upload:failed', dossierId, { error: JSON.stringify(toWireError(err)) });
      }
      files = await dossierFiles(db, dossier);
    }
    if (!dossier || files.length === 0) {
      throw new AttemptFailure(wire('STORAGE_DAMAGED', { name: dossier ? 'files' : 'dossier', code: dossier?.code ?? dossierId, issue: 'record missing' }), 'terminal');
    }
    await transition(dossierId, 'attempt-started', {}, { attempt: row.attempts + 1 });

    const uploadUrls = new Map<string, string>();
    for (const file of files) {
      if (stopping) throw new Stopped();
      if (uploadUrls.has(file.sha256)) continue;
      try {
        await verifyStoredFile(db, file.id);
      } catch (err) {
        throw new AttemptFailure(toWireError(err), err instanceof AppError && err.code === 'STORAGE_FAILED' ? 'retry' : 'terminal');
      }
      uploadUrls.set(file.sha256, await uploadDossierFile(dossierId, file));
    }

    if (stopping) throw new Stopped();
    await transition(dossierId, 'uploaded');
    const ack = await commitDossier({ client, now, timeoutMs: requestTimeoutMs, signal: abort.signal, stopping: () => stopping, onContact: (sentAt, receivedAt) => recordContact(sentAt, receivedAt, undefined) }, dossier, files, uploadUrls);
    if (ack.code !== undefined && ack.code !== dossier.code) await adoptOfficialCode(dossier, ack.code);
    await transition(
      dossierId,
      'acknowledged',
      { ack, centralReceivedAt: ack.receivedAt, acknowledgedAt: now().toISOString(), lastError: undefined },
      { centralId: ack.centralId, duplicate: ack.duplicate, centralReceivedAt: ack.receivedAt },
      files.map((f) => f.id),
    );
    await releaseSpoolCopy({ dossierIds: [dossierId] }, dossierId);
  }

  /**
   * Issue 15: the central replaced the provisional number with the official code. The dossier takes it (the
   * provisional one is kept beside it) and the queue shows "reprint the receipt" until the clerk does.
   */
  async function adoptOfficialCode(dossier: StoredDossier, officialCode: string): Promise<void> {
    await db.dossiers.update(dossier.id, { code: officialCode, provisionalCode: dossier.code });
    await log('warn', 'code:official', dossier.id, { provisionalCode: dossier.code, code: officialCode });
  }

  async function handleDossierFailure(row: OutboxRow, err: unknown): Promise<void> {
    const dossierId = row.dossierId;
    const stored = await db.outbox.get(dossierId);
    if (stored && finalItemStates.includes(stored.state)) {
      // The attempt failed after its acknowledgement was written (a log line, the spool): nothing to undo.
      await log('warn', 'attempt:after-final', dossierId, { state: stored.state, error: toWireError(err).code });
      return;
    }
    const failed = failedAttempt(err, row.attempts + 1);
    // The central lost the bytes or they differ: the next attempt sends every file again, as new uploads.
    const clearUploads =
      failed.input === 'retryable' && (failed.change.lastError?.code === 'CENTRAL_UPLOAD_INCOMPLETE' || failed.change.lastError?.code === 'CENTRAL_FILE_HASH_MISMATCH')
        ? Object.fromEntries(Object.entries(stored?.uploads ?? row.uploads).map(([sha, u]) => [sha, { bytesSent: 0, size: u.size }]))
        : undefined;
    await transition(dossierId, failed.input, { ...failed.change, ...(clearUploads ? { uploads: clearUploads } : {}) }, failed.details);
  }

  /**
   * What a failed attempt writes to its row, the same for dossiers and events: the machine's input, the attempt
   * count, the error and when it is due again (back-off, or the central's Retry-After), and the log details.
   */
  function failedAttempt(err: unknown, attempts: number): { readonly input: OutboxItemInput; readonly change: { attempts?: number; lastError?: WireError; nextAttemptAt?: number }; readonly details: Record<string, string | number> } {
    if (err instanceof Stopped) return { input: 'interrupted', change: {}, details: { reason: 'engine stopped' } };
    const failure = err instanceof AttemptFailure ? err : new AttemptFailure(toWireError(err), 'retry');
    if (failure.unreachable) publish({ connectivity: 'offline' });
    const input = inputOfFailure(failure.outcome, failure.error.code);
    const details = { error: failure.error.code, details: JSON.stringify(failure.error.details) };
    if (input === 'refused') return { input, change: { attempts, lastError: failure.error }, details };
    const delay = retryDelayAfterFailure(failure.error.details, attempts, random, backoff);
    return { input, change: { attempts, lastError: failure.error, nextAttemptAt: now().getTime() + delay }, details: { ...details, retryInMs: delay } };
  }

  async function attemptDossier(row: OutboxRow): Promise<void> {
    publish({ sending: [...snapshot.sending, row.dossierId] });
    try {
      await sendDossier(row);
    } catch (err) {
      await handleDossierFailure(row, err);
    } finally {
      publish({ sending: snapshot.sending.filter((id) => id !== row.dossierId) });
    }
  }

  /**
   * The oldest due pending row. Walks the [state+queuedAt] index of each pending state: the acknowledged
   * history (every dossier the counter ever sent) is never read, so the cost per slot does not grow with it.
   */
  async function nextDueDossier(force: boolean, skip: ReadonlySet<string>): Promise<OutboxRow | undefined> {
    const at = now().getTime();
    let oldest: OutboxRow | undefined;
    for (const state of pendingStates) {
      const row = await db.outbox
        .where('[state+queuedAt]')
        .between([state, Dexie.minKey], [state, Dexie.maxKey])
        .filter((r) => !skip.has(r.dossierId) && (force || r.nextAttemptAt <= at))
        .first();
      if (row && (!oldest || row.queuedAt < oldest.queuedAt)) oldest = row;
    }
    return oldest;
  }

  /** Oldest first, at most `concurrency` at once; a slot that frees up takes the next due dossier. */
  async function sendDueDossiers(force: boolean): Promise<void> {
    await runConcurrently(
      concurrency,
      (tried) => nextDueDossier(force, tried),
      (row) => row.dossierId,
      attemptDossier,
      () => stopping || offline(),
    );
  }

  // ---- counter events ---------------------------------------------------------------------------

  /**
   * `confirmFiles` (set for every acknowledgement): marks a supplement's files confirmed and a closed dossier due
   * for minimisation in the same transaction (retention).
   */
  async function patchEvent(eventId: string, change: (row: CounterEventRow) => CounterEventRow, confirmFiles = false): Promise<void> {
    await db.transaction('rw', confirmFiles ? [db.counterEvents, db.files, db.dossierState] : [db.counterEvents], async () => {
      const row = await db.counterEvents.get(eventId);
      if (!row) return;
      const at = now().toISOString();
      const next = { ...change(row), updatedAt: at };
      await db.counterEvents.put(next);
      if (confirmFiles) {
        await markFilesConfirmed(db.files, await supplementFileIds(db.files, next), next.acknowledgedAt ?? at);
        // Issue 17: an acknowledged event of a closed dossier (its return, its stop) starts the minimisation's grace.
        await markMinimiseDue(db.dossierState, next.dossierId, next.acknowledgedAt ?? at);
      }
    });
  }

  /**
   * Feeds `inputs` to the event row's state machine (outbox-machine.ts), in one write. An event's row has one
   * 'sending' state for uploading and committing, so its acknowledgement is fed as 'uploaded' then 'acknowledged'.
   */
  async function eventTransition(row: CounterEventRow, inputs: readonly OutboxItemInput[], extra: Partial<CounterEventRow>, details: Record<string, string | number | boolean> = {}): Promise<void> {
    const state = eventStateNames[inputs.reduce(next, eventItemState(row.state))];
    await patchEvent(row.eventId, (r) => ({ ...r, ...extra, state }), state === 'acknowledged');
    const level: SyncLogLevel = state === 'failed' ? 'error' : extra.lastError ? 'warn' : 'info';
    await log(level, `event:${state}`, row.dossierId, { eventId: row.eventId, kind: row.event.kind, ...details });
  }

  function uploadEventFile(row: CounterEventRow, file: StoredFile): Promise<string> {
    return uploadOutboxFile(
      {
        ...uploadBase(),
        progress: {
          read: async (sha256) => (await db.counterEvents.get(row.eventId))?.uploads?.[sha256],
          write: (sha256, progress) => patchEvent(row.eventId, (r) => ({ ...r, uploads: { ...r.uploads, [sha256]: { bytesSent: 0, size: file.size, ...r.uploads?.[sha256], ...progress } } })),
        },
      },
      file,
    );
  }

  async function sendDueEvents(force: boolean): Promise<void> {
    const at = now().getTime();
    const due = (await db.counterEvents.where('state').anyOf(['waiting', 'sending']).toArray()).sort((a, b) => a.queuedAt.localeCompare(b.queuedAt));
    const heldBack = new Set<string>();
    for (const row of due) {
      if (stopping || offline()) return;
      // Events of one dossier go in order: one that must wait holds back the later ones.
      if (heldBack.has(row.dossierId)) continue;
      // The central must know the dossier before it hears about it.
      const outbox = await db.outbox.get(row.dossierId);
      if ((outbox && outbox.state !== 'acknowledged') || (!force && row.nextAttemptAt > at)) {
        heldBack.add(row.dossierId);
        continue;
      }
      await eventTransition(row, ['attempt-started'], {}, { attempt: row.attempts + 1 });
      const sending: CounterEventRow = { ...row, state: eventStateNames.uploading };
      try {
        const ack = await sendCounterEvent({ db, client, timeoutMs: requestTimeoutMs, signal: abort.signal, upload: uploadEventFile, stopping: () => stopping }, row);
        await eventTransition(sending, ['uploaded', 'acknowledged'], { ack, acknowledgedAt: now().toISOString(), lastError: undefined }, { seq: ack.seq, duplicate: ack.duplicate });
        await releaseSpoolCopy({ eventIds: [row.eventId] }, row.dossierId);
      } catch (err) {
        heldBack.add(row.dossierId);
        const stored = await db.counterEvents.get(row.eventId);
        if (stored && finalItemStates.includes(eventItemState(stored.state))) {
          // The attempt failed after its acknowledgement was written (a log line): nothing to undo.
          await log('warn', 'attempt:after-final', row.dossierId, { eventId: row.eventId, state: stored.state, error: toWireError(err).code });
          continue;
        }
        const failed = failedAttempt(err, row.attempts + 1);
        await eventTransition(sending, [failed.input], failed.change, failed.details);
        if (failed.input === 'interrupted') return;
      }
    }
  }

  // ---- pulls ------------------------------------------------------------------------------------

  /** Runs one pull; its failure is logged once per distinct error and never stops the pass. */
  async function guardedPull(name: string, pull: () => Promise<unknown>): Promise<boolean> {
    try {
      await pull();
      if (pullErrors.delete(name)) await log('info', `pull:${name}:ok`, undefined);
      return true;
    } catch (err) {
      const failure = err instanceof AttemptFailure ? err : new AttemptFailure(toWireError(err), 'retry');
      if (failure.unreachable) publish({ connectivity: 'offline' });
      const key = `${failure.error.code}:${JSON.stringify(failure.error.details.status ?? '')}`;
      if (pullErrors.get(name) !== key) {
        pullErrors.set(name, key);
        await log('warn', `pull:${name}:failed`, undefined, { error: failure.error.code, details: JSON.stringify(failure.error.details).slice(0, 500) });
      }
      return false;
    }
  }

  async function pullAll(): Promise<void> {
    const ctx = { db, client, now, timeoutMs: requestTimeoutMs, signal: abort.signal, onCentralTime: (time: string, sentAt: number, receivedAt: number) => recordContact(sentAt, receivedAt, time) };
    if (await guardedPull('changes', () => pullStatusChanges(ctx))) publish({ lastPullAt: now().toISOString() });
    for (const kind of referenceKinds) {
      if (stopping || offline()) return;
      await guardedPull(kind, () => pullReference(ctx, kind));
    }
  }

  // ---- passes -----------------------------------------------------------------------------------

  /**
   * One transaction for all rows (bulkPut): with thousands queued, a write per row would wake every live
   * query of the UI thousands of times.
   */
  async function markUnreachable(error: WireError): Promise<void> {
    const at = now().toISOString();
    await db.transaction('rw', db.outbox, async () => {
      // Offline passes repeat every few seconds for days: read the pending rows again only when something
      // changed since the last marking (another error, rows added or sent), not on every pass.
      const pending = await db.outbox.where('state').anyOf(['waiting', 'uploading', 'committing']).count();
      if (unreachableMarked?.code === error.code && unreachableMarked.pending === pending) return;
      const rows = await db.outbox.where('state').anyOf(['waiting', 'uploading', 'committing']).filter((r) => r.lastError?.code !== error.code).toArray();
      if (rows.length > 0) await db.outbox.bulkPut(rows.map((r) => ({ ...r, lastError: error, updatedAt: at })));
      unreachableMarked = { code: error.code, pending };
    });
  }

  /** After the link returns (or the central accepts this counter again), dossiers that waited only for that are due at once. */
  async function releaseUnreachable(): Promise<void> {
    unreachableMarked = undefined;
    const at = now().getTime();
    await db.transaction('rw', db.outbox, async () => {
      const rows = await db.outbox
        .where('state')
        .equals('waiting')
        .filter((r) => r.lastError !== undefined && heldBackCodes.has(r.lastError.code) && r.nextAttemptAt > at)
        .toArray();
      if (rows.length > 0) await db.outbox.bulkPut(rows.map((r) => ({ ...r, state: dossierStateNames[next(r.state, 'released')], nextAttemptAt: at })));
    });
  }

  /**
   * Retention, at the end of every pass, online or not (it needs only what is already stored): the bytes of
   * files the central confirmed more than the grace period ago are deleted, a bounded batch per pass.
   */
  async function purgeConfirmed(): Promise<void> {
    // A backlog (a counter back after weeks) goes over the next passes, `maxDossiers` at a time.
    await purgeConfirmedFiles(db, now(), retention);
    // Issue 17: closed dossiers lose their personal fields after their grace; the applicants cache its stale entries.
    await minimiseClosedDossiers(db, now(), { dossiersDaysAfterClose: retention.dossiersDaysAfterClose, maxDossiers: retention.maxDossiers });
    await purgeStaleApplicants(db, now(), retention.applicantsDaysUnseen);
  }

  async function runPass(force: boolean): Promise<void> {
    await exchangeWithCentral(force);
    if (!stopping) await purgeConfirmed();
  }

  async function exchangeWithCentral(force: boolean): Promise<void> {
    const wasConnectivity = snapshot.connectivity;
    const result = await probeCentral(accessContext());
    if (stopping) return;
    if (!result.ok) {
      offlineProbes++;
      publish({ connectivity: 'offline', lastProbeError: result.error, centralAccess: undefined });
      if (wasConnectivity !== 'offline') await log('warn', 'connectivity:offline', undefined, { error: result.error?.code ?? '', details: JSON.stringify(result.error?.details ?? {}) });
      if (result.error) await markUnreachable(result.error);
      return;
    }
    offlineProbes = 0;
    publish({ lastProbeError: undefined });
    if (wasConnectivity !== 'online') await log('info', 'connectivity:online', undefined, { centralClockOffsetMs: snapshot.centralClockOffsetMs ?? 0 });
    const wasAccess = snapshot.centralAccess?.state;
    const access = await checkCentralAccess(accessContext(), options.counter);
    if (stopping) return;
    if (access === 'unreachable') {
      publish({ connectivity: 'offline', centralAccess: undefined });
      return;
    }
    await noteAccess(access);
    if (access.state === 'refused') {
      // Every call would be refused too: nothing is sent or pulled (no dossier fails or backs off for it), and
      // the waiting rows say why they wait, as they do when the central is out of reach.
      await markUnreachable(access.error);
      return;
    }
    if (wasConnectivity !== 'online' || wasAccess === 'refused') await releaseUnreachable();
    // Issue 16: first in the pass, so the fleet view is current even when the uploads after it take long.
    const report = options.report;
    if (report) await guardedPull('report', () => sendCounterReport({ db, client, now, timeoutMs: requestTimeoutMs, signal: abort.signal }, report));
    if (pullEnabled) await pullAll();
    const leases = options.codeLeases;
    if (leases && !stopping && !offline()) {
      await guardedPull('code-leases', () => refillCodeLeases({ db, client, now, timeoutMs: requestTimeoutMs, signal: abort.signal }, leases));
    }
    if (stopping || offline()) return;
    await sendDueDossiers(force);
    if (stopping || offline()) return;
    await sendDueEvents(force);
    const auditLog = options.auditLog;
    if (auditLog && !stopping && !offline()) await guardedPull('audit-log', () => syncAuditLog({ client, port: auditLog, timeoutMs: requestTimeoutMs, signal: abort.signal }));
    // Result documents last: purge the returned ones, then fetch the new ones one at a time.
    await syncResultFiles({ db, client, now, random, backoff, timeoutMs: requestTimeoutMs, signal: abort.signal, halt: () => stopping || offline(), onUnreachable: () => publish({ connectivity: 'offline' }) }, force);
  }

  async function nextWakeDelay(): Promise<number> {
    if (snapshot.connectivity !== 'online') return Math.min(pollIntervalMs, retryDelayMs(offlineProbes, random, { ...backoff, maxMs: Math.min(backoff.maxMs, pollIntervalMs) }));
    // The first row per pending state of [state+nextAttemptAt]: a few reads, however long the history.
    let next = Infinity;
    for (const state of pendingStates) {
      const row = await db.outbox.where('[state+nextAttemptAt]').between([state, Dexie.minKey], [state, Dexie.maxKey]).first();
      if (row) next = Math.min(next, row.nextAttemptAt);
    }
    for (const state of ['waiting', 'sending'] as const) {
      const row = await db.counterEvents.where('[state+nextAttemptAt]').between([state, Dexie.minKey], [state, Dexie.maxKey]).first();
      if (row) next = Math.min(next, row.nextAttemptAt);
    }
    if (next === Infinity) return pollIntervalMs;
    return Math.max(0, Math.min(pollIntervalMs, next - now().getTime()));
  }

  /** One pass as the scheduler runs it: its errors are shown and logged, never thrown. */
  async function runPassGuarded(force: boolean): Promise<void> {
    try {
      await runPass(force);
      if (snapshot.storageError) publish({ storageError: undefined });
    } catch (err) {
      const error = toWireError(err);
      // A failing local database is the clerk's business too (never silently reset): show it.
      if (error.code.startsWith('STORAGE_')) publish({ storageError: error });
      await log('error', 'pass:error', undefined, { error: error.code, message: err instanceof Error ? err.message : String(err) }).catch(() => undefined);
    }
    await refreshCounts().catch(() => undefined);
  }

  return {
    start(): void {
      if (started) return;
      started = true;
      stopping = false;
      passes.open();
      abort = new AbortController();
      publish({ running: true });
      void log('info', 'engine:start', undefined, { centralUrl: client.baseUrl, concurrency }).catch(() => undefined);
      void repairDerivedTables(db)
        .then(async (repair) => {
          // Only after raw writes that bypassed Dexie; worth a line for IT when it happens.
          if (repair.searchRowsFixed > 0 || repair.bytesLeftWas !== undefined) await log('warn', 'queue:derived-repaired', undefined, { searchRowsFixed: repair.searchRowsFixed, bytesLeftWas: repair.bytesLeftWas ?? -1, bytesLeft: repair.bytesLeft });
        })
        // Deferred, since nothing waits on it: damage is for IT to hear of, and every file's SHA-256 is checked
        // again right before it is sent (verifyStoredFile), so a damaged file never leaves during the wait.
        .then(() => new Promise<void>((resolve) => setTimeout(resolve, options.integrityCheck?.delayMs ?? 0)))
        .then(() => checkQueueIntegrity(db, { pauseMs: options.integrityCheck?.pauseMs ?? 0 }))
        .then(async (problems) => {
          publish({ damaged: new Set(problems.map((p) => p.dossierId)).size });
          for (const p of problems) await log('error', 'integrity:damaged', p.dossierId, { code: p.code, issue: p.issue });
        })
        .catch((err: unknown) => publish({ storageError: toWireError(err) }));
      // New dossiers or events (more pending rows than before) wake the engine at once.
      countsSubscription = liveQuery(counts).subscribe({
        next: (c) => {
          publish(c);
          const pending = c.waiting + c.eventsWaiting;
          if (lastPendingCount >= 0 && pending > lastPendingCount && !passes.busy()) passes.schedule(0);
          lastPendingCount = pending;
        },
        error: (err: unknown) => publish({ storageError: toWireError(err) }),
      });
      passes.schedule(0);
    },

    async stop(): Promise<void> {
      if (!started) return;
      stopping = true;
      // Closes at once (no pass timed or queued); resolves once the running pass has ended.
      const passEnded = passes.close();
      countsSubscription?.unsubscribe();
      countsSubscription = undefined;
      abort.abort();
      for (const cancel of [...uploadCancels]) cancel();
      await passEnded;
      started = false;
      stopping = false;
      lastPendingCount = -1;
      await log('info', 'engine:stop', undefined).catch(() => undefined);
      publish({ running: false });
    },

    async syncNow(): Promise<void> {
      if (stopping) return;
      await passes.runNowAndWait(true);
    },

    subscribe(listener: (s: SyncSnapshot) => void): () => void {
      listeners.add(listener);
      listener(snapshot);
      return () => listeners.delete(listener);
    },

    snapshot: () => snapshot,
  };
}
