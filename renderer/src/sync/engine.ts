/**
 * The sync engine: sends the outbox to the central, one dossier at a time, oldest first.
 *
 * For each due dossier: upload every file with tus (resumable; the upload URL lives in the outbox row so a
 * restart resumes), then commit the dossier record with an idempotent PUT keyed by the dossier id. A lost
 * answer is harmless: the central answers a repeat with its first answer. Every transition is written to
 * `syncLog`; the UI watches `outbox` with liveQuery.
 *
 * No React, no `window`: the engine can move into a Web Worker unchanged. The composition root may call
 * `syncNow()` on the browser's `online` event (which is only trustworthy when it says offline).
 */
import { liveQuery } from 'dexie';
import type { Subscription } from 'dexie';
import { Upload } from 'tus-js-client';
import type { DetailedError, HttpRequest, HttpResponse } from 'tus-js-client';
import type { DossierId } from '../../../shared/domain/dossier';
import { AppError, toWireError } from '../../../shared/errors';
import type { ErrorCode, WireError } from '../../../shared/errors';
import { centralErrorSchema, centralPaths, commitAckSchema, dossierCommitSchema, healthSchema, protocolVersion } from '../../../shared/sync/protocol';
import type { CommitAck, DossierCommit, UploadMetadata } from '../../../shared/sync/protocol';
import type { CounterDatabase, FileUploadProgress, OutboxRow, OutboxState, StoredDossier, StoredFile, SyncLogLevel } from '../db/database';
import { verifyStoredFile } from '../db/files';
import { isPending, queueCounts } from '../db/queue';
import type { BackoffPolicy } from './backoff';
import { defaultBackoff, retryDelayMs } from './backoff';
import { StoredFileInput, storedFileReader } from './tus-source';

export type Connectivity = 'online' | 'offline' | 'unknown';

export interface SyncSnapshot {
  readonly connectivity: Connectivity;
  /** Counter clock (ISO) of the last answer that proved the central is there. */
  readonly lastContactAt?: string;
  /** Central clock minus counter clock, measured at the last contact. */
  readonly centralClockOffsetMs?: number;
  /** Dossiers still to send (waiting, uploading or committing). */
  readonly waiting: number;
  /** Dossiers the central refused: the clerk must look at them. */
  readonly failed: number;
  readonly bytesLeft: number;
  /** True between start() and stop(). */
  readonly running: boolean;
  /** The dossier being sent right now. */
  readonly sending?: DossierId;
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
  readonly fetch?: typeof fetch;
  readonly now?: () => Date;
  readonly random?: () => number;
  /** Bytes per tus PATCH request: the most that is re-sent after a broken connection. */
  readonly uploadChunkSize?: number;
  readonly backoff?: Partial<BackoffPolicy>;
  /** How often to look at the queue and the central when nothing else wakes the engine. */
  readonly pollIntervalMs?: number;
  readonly probeTimeoutMs?: number;
  readonly requestTimeoutMs?: number;
  /**
   * Runs once the central is reachable and before a dossier's first byte is uploaded; it may replace the
   * files' bytes (e.g. add signature time-stamps). Its failures are logged and never hold the dossier back.
   */
  readonly beforeFirstUpload?: (dossier: StoredDossier, files: readonly StoredFile[]) => Promise<void>;
  /** This device's credential (`mcd_…`), sent as `Authorization: Bearer` on every request; undefined = not enrolled. */
  readonly credential?: () => string | undefined | Promise<string | undefined>;
}

/** Why a dossier's attempt ended without an acknowledgement, and what to do next. */
class AttemptFailure extends Error {
  constructor(
    readonly error: WireError,
    /** 'retry': back to waiting with backoff; 'terminal': failed, the clerk must see it. */
    readonly outcome: 'retry' | 'terminal',
    /** The central did not answer at all (the link is down, not the central). */
    readonly unreachable = false,
  ) {
    super(error.code);
  }
}

/** Thrown inside an attempt when stop() interrupts it. */
class Stopped extends Error {}

const wire = (code: ErrorCode, details: Record<string, string | number> = {}): WireError => ({ code, details });

function trimUrl(url: string): string {
  return url.replace(/\/+$/, '');
}

interface ProbeResult {
  readonly ok: boolean;
  readonly error?: WireError;
}

export function createSyncEngine(options: SyncEngineOptions): SyncEngine {
  const db = options.db;
  const baseUrl = trimUrl(options.centralUrl);
  const doFetch: typeof fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const now = options.now ?? (() => new Date());
  const random = options.random ?? Math.random;
  const uploadChunkSize = options.uploadChunkSize ?? 1024 * 1024;
  const backoff: BackoffPolicy = { ...defaultBackoff, ...options.backoff };
  const pollIntervalMs = options.pollIntervalMs ?? 30_000;
  const probeTimeoutMs = options.probeTimeoutMs ?? 5_000;
  const requestTimeoutMs = options.requestTimeoutMs ?? 30_000;

  let snapshot: SyncSnapshot = { connectivity: 'unknown', waiting: 0, failed: 0, bytesLeft: 0, running: false };
  const listeners = new Set<(s: SyncSnapshot) => void>();
  let started = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let currentPass: Promise<void> | undefined;
  let passQueued: { force: boolean } | undefined;
  let offlineProbes = 0;
  let countsSubscription: Subscription | undefined;
  let lastPendingCount = -1;
  /** Cancels whatever the current attempt is waiting on (tus upload, commit request). */
  let cancelCurrent: (() => void) | undefined;
  /** Set by stop(): the current attempt ends at the next step and leaves its row 'waiting'. */
  let stopping = false;

  function publish(patch: Partial<SyncSnapshot>): void {
    snapshot = { ...snapshot, ...patch };
    if (patch.sending === undefined && 'sending' in patch) {
      const { sending: _gone, ...rest } = snapshot;
      snapshot = rest;
    }
    for (const listener of listeners) listener(snapshot);
  }

  async function log(level: SyncLogLevel, event: string, dossierId: DossierId | undefined, details: Record<string, string | number | boolean> = {}): Promise<void> {
    await db.syncLog.add({ at: now().toISOString(), level, event, details, ...(dossierId ? { dossierId } : {}) });
  }

  async function refreshCounts(): Promise<void> {
    const counts = await queueCounts(db);
    publish({ waiting: counts.pending, failed: counts.failed, bytesLeft: counts.bytesLeft });
  }

  /** Read-modify-write of one outbox row in a transaction (progress writes and transitions never race). */
  async function patchRow(dossierId: DossierId, change: (row: OutboxRow) => OutboxRow): Promise<OutboxRow | undefined> {
    return db.transaction('rw', db.outbox, async () => {
      const row = await db.outbox.get(dossierId);
      if (!row) return undefined;
      const next = { ...change(row), updatedAt: now().toISOString() };
      await db.outbox.put(next);
      return next;
    });
  }

  async function transition(dossierId: DossierId, state: OutboxState, extra: Partial<OutboxRow> = {}, logDetails: Record<string, string | number | boolean> = {}): Promise<void> {
    let from: OutboxState | undefined;
    await patchRow(dossierId, (row) => {
      from = row.state;
      return { ...row, ...extra, state };
    });
    const level: SyncLogLevel = state === 'failed' ? 'error' : extra.lastError ? 'warn' : 'info';
    await log(level, `state:${state}`, dossierId, { from: from ?? '', ...logDetails });
  }

  async function setUploadProgress(dossierId: DossierId, sha256: string, progress: Partial<FileUploadProgress>): Promise<void> {
    await patchRow(dossierId, (row) => {
      const previous = row.uploads[sha256] ?? { bytesSent: 0, size: 0 };
      return { ...row, uploads: { ...row.uploads, [sha256]: { ...previous, ...progress } } };
    });
  }

  // ---- talking to the central -------------------------------------------------------------------

  async function authorization(): Promise<Record<string, string>> {
    const credential = await options.credential?.();
    return credential ? { authorization: `Bearer ${credential}` } : {};
  }

  async function timedFetch(url: string, init: RequestInit, timeoutMs: number): Promise<Response> {
    const headers = { ...(init.headers as Record<string, string> | undefined), ...(await authorization()) };
    const controller = new AbortController();
    const timeout = setTimeout(() => controller.abort(), timeoutMs);
    const previousCancel = cancelCurrent;
    cancelCurrent = () => controller.abort();
    try {
      return await doFetch(url, { ...init, headers, signal: controller.signal });
    } finally {
      clearTimeout(timeout);
      cancelCurrent = previousCancel;
    }
  }

  function recordContact(sentAt: number, receivedAt: number, centralTime: string | undefined): void {
    const patch: { -readonly [K in keyof SyncSnapshot]?: SyncSnapshot[K] } = { connectivity: 'online', lastContactAt: new Date(receivedAt).toISOString() };
    const central = centralTime ? Date.parse(centralTime) : Number.NaN;
    // The central stamped its time somewhere between our send and receive: take the midpoint.
    if (!Number.isNaN(central)) patch.centralClockOffsetMs = Math.round(central - (sentAt + receivedAt) / 2);
    publish(patch);
  }

  async function probe(): Promise<ProbeResult> {
    const sentAt = now().getTime();
    let response: Response;
    try {
      response = await timedFetch(baseUrl + centralPaths.health, { method: 'GET', headers: { accept: 'application/json' } }, probeTimeoutMs);
    } catch (err) {
      return { ok: false, error: wire('CENTRAL_UNREACHABLE', { reason: err instanceof Error ? err.message : String(err) }) };
    }
    const receivedAt = now().getTime();
    if (response.status >= 500) {
      await response.body?.cancel().catch(() => undefined);
      return { ok: false, error: wire('CENTRAL_SERVER_ERROR', { status: response.status }) };
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      body = undefined;
    }
    const health = healthSchema.safeParse(body);
    // A captive portal answers 200 with its login page: that is not the central.
    if (!response.ok || !health.success) return { ok: false, error: wire('CENTRAL_NOT_A_CENTRAL', { status: response.status }) };
    recordContact(sentAt, receivedAt, health.data.time);
    if (health.data.protocolVersion !== protocolVersion) {
      return { ok: false, error: wire('CENTRAL_NOT_A_CENTRAL', { protocolVersion: health.data.protocolVersion }) };
    }
    return { ok: true };
  }

  /** Turns a central error answer into a WireError, falling back to `fallback` when the body is not ours. */
  function centralError(status: number, bodyText: string, fallback: ErrorCode): WireError {
    try {
      const parsed = centralErrorSchema.safeParse(JSON.parse(bodyText));
      if (parsed.success) return { code: parsed.data.error, details: { ...parsed.data.details, status } };
    } catch {
      // not JSON
    }
    return wire(fallback, { status, issue: bodyText.slice(0, 200) || `HTTP ${status}` });
  }

  function isRetryableStatus(status: number): boolean {
    return status >= 500 || status === 408 || status === 423 || status === 429;
  }

  // ---- one file ---------------------------------------------------------------------------------

  function uploadFile(row: OutboxRow, dossier: StoredDossier, file: StoredFile): Promise<string> {
    const storedUrl = row.uploads[file.sha256]?.uploadUrl;
    const metadata: UploadMetadata = { dossierId: dossier.id, sha256: file.sha256, filename: file.name, filetype: 'application/pdf' };
    let lastPersist = 0;
    let progressWrite: Promise<void> = Promise.resolve();
    const persist = (progress: Partial<FileUploadProgress>): void => {
      progressWrite = progressWrite.then(() => setUploadProgress(dossier.id, file.sha256, progress)).catch(() => undefined);
    };

    return new Promise<string>((resolve, reject) => {
      let settled = false;
      const finish = (action: () => void): void => {
        if (settled) return;
        settled = true;
        cancelCurrent = undefined;
        // Let pending progress writes land before the caller writes the next transition.
        void progressWrite.then(action);
      };
      const upload: Upload = new Upload(new StoredFileInput(db, file), {
        // Resuming: only the stored URL, no endpoint — a gone upload (404/410) is then reported to us
        // instead of tus-js-client silently creating a second one; we clear the URL and create anew.
        ...(storedUrl ? { uploadUrl: storedUrl } : { endpoint: baseUrl + centralPaths.uploads }),
        metadata: { ...metadata },
        fingerprint: () => Promise.resolve(`motcua:${dossier.id}:${file.sha256}`),
        onBeforeRequest: async (req) => {
          for (const [name, value] of Object.entries(await authorization())) req.setHeader(name, value);
        },
        storeFingerprintForResuming: false,
        fileReader: storedFileReader,
        chunkSize: uploadChunkSize,
        // The engine does its own backoff, across restarts.
        retryDelays: [],
        onUploadUrlAvailable: () => {
          if (upload.url && upload.url !== storedUrl) {
            persist({ uploadUrl: upload.url });
            void log('info', 'upload:created', dossier.id, { file: file.name, sha256: file.sha256, uploadUrl: upload.url });
          }
        },
        onProgress: (bytesSent: number, bytesTotal: number) => {
          const at = now().getTime();
          if (at - lastPersist >= 500 || bytesSent === bytesTotal) {
            lastPersist = at;
            persist({ bytesSent });
          }
        },
        onChunkComplete: (_chunk: number, bytesAccepted: number) => persist({ bytesSent: bytesAccepted }),
        onSuccess: () => {
          const url = upload.url ?? storedUrl;
          persist({ bytesSent: file.size, ...(url ? { uploadUrl: url } : {}) });
          finish(() => (url ? resolve(url) : reject(new AttemptFailure(wire('CENTRAL_UPLOAD_INCOMPLETE', { file: file.name }), 'retry'))));
        },
        onError: (err: Error | DetailedError) => {
          finish(() => reject(classifyUploadError(err, file, Boolean(storedUrl))));
        },
      });
      cancelCurrent = () => {
        void upload.abort(false);
        finish(() => reject(new Stopped()));
      };
      upload.start();
    });
  }

  function classifyUploadError(err: Error | DetailedError, file: StoredFile, resuming: boolean): AttemptFailure {
    const detailed = err as Partial<DetailedError>;
    const response: HttpResponse | null | undefined = detailed.originalResponse;
    const request: HttpRequest | null | undefined = detailed.originalRequest;
    if (!response) {
      // No answer at all. (Errors before any request, e.g. reading the file, carry no request either.)
      if (!request) return new AttemptFailure(toWireError(err), 'retry');
      return new AttemptFailure(wire('CENTRAL_UNREACHABLE', { file: file.name, method: request.getMethod() }), 'retry', true);
    }
    const status = response.getStatus();
    if (resuming && (status === 404 || status === 410)) {
      return new AttemptFailure(wire('CENTRAL_UPLOAD_INCOMPLETE', { file: file.name, status, issue: 'upload expired' }), 'retry');
    }
    // 409 on PATCH: our offset is stale; the next attempt asks the central (HEAD) where to continue.
    if (isRetryableStatus(status) || status === 409) {
      return new AttemptFailure(wire('CENTRAL_SERVER_ERROR', { file: file.name, status }), 'retry');
    }
    return new AttemptFailure(centralError(status, response.getBody(), 'CENTRAL_REJECTED'), 'terminal');
  }

  // ---- one dossier ------------------------------------------------------------------------------

  async function commit(dossier: StoredDossier, files: readonly StoredFile[], uploadUrls: ReadonlyMap<string, string>): Promise<CommitAck> {
    const candidate: DossierCommit = {
      protocolVersion,
      id: dossier.id,
      code: dossier.code,
      receivingUnit: { code: dossier.unit.code, name: dossier.unit.name },
      counterNo: dossier.counterNo,
      procedure: { code: dossier.procedure.code, name: dossier.procedure.name },
      applicant: dossier.applicant,
      receivedAt: dossier.receivedAt,
      appointmentAt: dossier.appointmentAt,
      files: files.map((f) => ({
        componentCode: f.componentCode,
        name: f.name,
        mediaType: f.mediaType,
        size: f.size,
        sha256: f.sha256,
        uploadUrl: uploadUrls.get(f.sha256) ?? '',
        pageCount: f.pageCount,
        revocationEvidence: [...(f.revocationEvidence ?? [])],
      })),
    };
    const parsed = dossierCommitSchema.safeParse(candidate);
    if (!parsed.success) {
      throw new AttemptFailure(wire('DOSSIER_INVALID', { issue: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ').slice(0, 500) }), 'terminal');
    }
    const sentAt = now().getTime();
    let response: Response;
    try {
      response = await timedFetch(
        baseUrl + centralPaths.commit(dossier.id),
        { method: 'PUT', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(parsed.data) },
        requestTimeoutMs,
      );
    } catch (err) {
      if (stopping) throw new Stopped();
      throw new AttemptFailure(wire('CENTRAL_UNREACHABLE', { reason: err instanceof Error ? err.message : String(err) }), 'retry', true);
    }
    const receivedAt = now().getTime();
    const text = await response.text().catch(() => '');
    if (response.status === 200 || response.status === 201) {
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      const ack = commitAckSchema.safeParse(json);
      if (!ack.success || ack.data.dossierId !== dossier.id) {
        throw new AttemptFailure(wire('CENTRAL_NOT_A_CENTRAL', { status: response.status }), 'retry');
      }
      recordContact(sentAt, receivedAt, undefined);
      return ack.data;
    }
    if (isRetryableStatus(response.status)) throw new AttemptFailure(centralError(response.status, text, 'CENTRAL_SERVER_ERROR'), 'retry');
    const error = centralError(response.status, text, response.status === 409 ? 'CENTRAL_CONFLICT' : 'CENTRAL_REJECTED');
    // The central lost or never completed an upload: send the bytes again (new uploads) on the next attempt.
    if (error.code === 'CENTRAL_UPLOAD_INCOMPLETE' || error.code === 'CENTRAL_FILE_HASH_MISMATCH') throw new AttemptFailure(error, 'retry');
    throw new AttemptFailure(error, 'terminal');
  }

  async function sendDossier(row: OutboxRow): Promise<void> {
    const dossierId = row.dossierId;
    const dossier = await db.dossiers.get(dossierId);
    let files = await db.files.where('dossierId').equals(dossierId).toArray();
    const neverUploaded = Object.values(row.uploads).every((u) => !u.uploadUrl);
    if (dossier && files.length > 0 && neverUploaded && options.beforeFirstUpload) {
      try {
        await options.beforeFirstUpload(dossier, files);
      } catch (err) {
        await log('warn', 'before-upload:failed', dossierId, { error: JSON.stringify(toWireError(err)) });
      }
      files = await db.files.where('dossierId').equals(dossierId).toArray();
    }
    if (!dossier || files.length === 0) {
      throw new AttemptFailure(wire('STORAGE_DAMAGED', { name: dossier ? 'files' : 'dossier', code: dossier?.code ?? dossierId, issue: 'record missing' }), 'terminal');
    }
    publish({ sending: dossierId });
    await transition(dossierId, 'uploading', {}, { attempt: row.attempts + 1 });

    const uploadUrls = new Map<string, string>();
    for (const file of files) {
      if (stopping) throw new Stopped();
      if (uploadUrls.has(file.sha256)) continue;
      try {
        await verifyStoredFile(db, file.id);
      } catch (err) {
        throw new AttemptFailure(toWireError(err), err instanceof AppError && err.code === 'STORAGE_FAILED' ? 'retry' : 'terminal');
      }
      const current = (await db.outbox.get(dossierId)) ?? row;
      try {
        uploadUrls.set(file.sha256, await uploadFile(current, dossier, file));
      } catch (err) {
        if (err instanceof AttemptFailure && err.error.code === 'CENTRAL_UPLOAD_INCOMPLETE') {
          // The stored upload is gone at the central: forget it and create a new one right away.
          await setUploadProgress(dossierId, file.sha256, { uploadUrl: undefined, bytesSent: 0 });
          await log('warn', 'upload:restarted', dossierId, { file: file.name, reason: JSON.stringify(err.error.details) });
          const fresh = (await db.outbox.get(dossierId)) ?? row;
          uploadUrls.set(file.sha256, await uploadFile(fresh, dossier, file));
        } else throw err;
      }
    }

    if (stopping) throw new Stopped();
    await transition(dossierId, 'committing');
    const ack = await commit(dossier, files, uploadUrls);
    await transition(
      dossierId,
      'acknowledged',
      { ack, centralReceivedAt: ack.receivedAt, acknowledgedAt: now().toISOString(), lastError: undefined },
      { centralId: ack.centralId, duplicate: ack.duplicate, centralReceivedAt: ack.receivedAt },
    );
  }

  async function handleFailure(row: OutboxRow, err: unknown): Promise<void> {
    const dossierId = row.dossierId;
    if (err instanceof Stopped) {
      await transition(dossierId, 'waiting', {}, { reason: 'engine stopped' });
      return;
    }
    const failure = err instanceof AttemptFailure ? err : new AttemptFailure(toWireError(err), 'retry');
    if (failure.unreachable) publish({ connectivity: 'offline' });
    const attempts = row.attempts + 1;
    const clearUploads =
      failure.error.code === 'CENTRAL_UPLOAD_INCOMPLETE' || failure.error.code === 'CENTRAL_FILE_HASH_MISMATCH'
        ? Object.fromEntries(Object.entries((await db.outbox.get(dossierId))?.uploads ?? row.uploads).map(([sha, u]) => [sha, { bytesSent: 0, size: u.size }]))
        : undefined;
    if (failure.outcome === 'terminal') {
      await transition(dossierId, 'failed', { attempts, lastError: failure.error }, { error: failure.error.code, details: JSON.stringify(failure.error.details) });
      return;
    }
    const delay = retryDelayMs(attempts, random, backoff);
    await transition(
      dossierId,
      'waiting',
      { attempts, lastError: failure.error, nextAttemptAt: now().getTime() + delay, ...(clearUploads ? { uploads: clearUploads } : {}) },
      { error: failure.error.code, details: JSON.stringify(failure.error.details), retryInMs: delay },
    );
  }

  // ---- passes -----------------------------------------------------------------------------------

  async function dueRows(force: boolean, skip: ReadonlySet<string>): Promise<OutboxRow | undefined> {
    const at = now().getTime();
    const rows = await db.outbox.orderBy('queuedAt').filter((r) => isPending(r.state) && !skip.has(r.dossierId) && (force || r.nextAttemptAt <= at)).limit(1).toArray();
    return rows[0];
  }

  async function markUnreachable(error: WireError): Promise<void> {
    const rows = await db.outbox.filter((r) => isPending(r.state) && r.lastError?.code !== error.code).toArray();
    for (const row of rows) await patchRow(row.dossierId, (r) => ({ ...r, lastError: error }));
  }

  /** After the link returns, dossiers that waited only for the link are due at once. */
  async function releaseUnreachable(): Promise<void> {
    const at = now().getTime();
    const rows = await db.outbox
      .filter((r) => r.state === 'waiting' && (r.lastError?.code === 'CENTRAL_UNREACHABLE' || r.lastError?.code === 'CENTRAL_NOT_A_CENTRAL') && r.nextAttemptAt > at)
      .toArray();
    for (const row of rows) await patchRow(row.dossierId, (r) => ({ ...r, nextAttemptAt: at }));
  }

  async function runPass(force: boolean): Promise<void> {
    const wasConnectivity = snapshot.connectivity;
    const result = await probe();
    if (stopping) return;
    if (!result.ok) {
      offlineProbes++;
      publish({ connectivity: 'offline' });
      if (wasConnectivity !== 'offline') await log('warn', 'connectivity:offline', undefined, { error: result.error?.code ?? '', details: JSON.stringify(result.error?.details ?? {}) });
      if (result.error) await markUnreachable(result.error);
      return;
    }
    offlineProbes = 0;
    if (wasConnectivity !== 'online') {
      await log('info', 'connectivity:online', undefined, { centralClockOffsetMs: snapshot.centralClockOffsetMs ?? 0 });
      await releaseUnreachable();
    }
    const tried = new Set<string>();
    while (!stopping) {
      const row = await dueRows(force, tried);
      if (!row) break;
      tried.add(row.dossierId);
      try {
        await sendDossier(row);
      } catch (err) {
        await handleFailure(row, err);
      } finally {
        publish({ sending: undefined });
      }
      if (snapshot.connectivity === 'offline') break;
    }
  }

  async function nextWakeDelay(): Promise<number> {
    if (snapshot.connectivity !== 'online') return Math.min(pollIntervalMs, retryDelayMs(offlineProbes, random, { ...backoff, maxMs: Math.min(backoff.maxMs, pollIntervalMs) }));
    const next = await db.outbox.orderBy('nextAttemptAt').filter((r) => isPending(r.state)).first();
    if (!next) return pollIntervalMs;
    return Math.max(0, Math.min(pollIntervalMs, next.nextAttemptAt - now().getTime()));
  }

  function schedule(delayMs: number): void {
    if (!started || stopping) return;
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      void runExclusive(false);
    }, delayMs);
  }

  /** One pass at a time; a request during a pass runs one more pass after it. */
  function runExclusive(force: boolean): Promise<void> {
    if (currentPass) {
      passQueued = { force: force || (passQueued?.force ?? false) };
      return currentPass;
    }
    const pass = (async () => {
      try {
        await runPass(force);
      } catch (err) {
        await log('error', 'pass:error', undefined, { error: toWireError(err).code, message: err instanceof Error ? err.message : String(err) }).catch(() => undefined);
      }
      await refreshCounts().catch(() => undefined);
    })();
    currentPass = pass.finally(async () => {
      currentPass = undefined;
      const queued = passQueued;
      passQueued = undefined;
      if (queued && !stopping) await runExclusive(queued.force);
      else if (started && !stopping) schedule(await nextWakeDelay().catch(() => pollIntervalMs));
    });
    return currentPass;
  }

  return {
    start(): void {
      if (started) return;
      started = true;
      stopping = false;
      publish({ running: true });
      void log('info', 'engine:start', undefined, { centralUrl: baseUrl });
      // New dossiers (more pending rows than before) wake the engine at once.
      countsSubscription = liveQuery(() => queueCounts(db)).subscribe({
        next: (counts) => {
          publish({ waiting: counts.pending, failed: counts.failed, bytesLeft: counts.bytesLeft });
          if (lastPendingCount >= 0 && counts.pending > lastPendingCount && !currentPass) schedule(0);
          lastPendingCount = counts.pending;
        },
        error: () => undefined,
      });
      schedule(0);
    },

    async stop(): Promise<void> {
      if (!started) return;
      stopping = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      countsSubscription?.unsubscribe();
      countsSubscription = undefined;
      passQueued = undefined;
      cancelCurrent?.();
      await currentPass?.catch(() => undefined);
      started = false;
      stopping = false;
      lastPendingCount = -1;
      await log('info', 'engine:stop', undefined).catch(() => undefined);
      publish({ running: false });
    },

    async syncNow(): Promise<void> {
      if (stopping) return;
      if (currentPass !== undefined) {
        await runExclusive(true);
        // runExclusive returned the running pass; wait for the queued forced one too.
        while (currentPass !== undefined) await currentPass;
        return;
      }
      await runExclusive(true);
    },

    subscribe(listener: (s: SyncSnapshot) => void): () => void {
      listeners.add(listener);
      listener(snapshot);
      return () => listeners.delete(listener);
    },

    snapshot: () => snapshot,
  };
}
