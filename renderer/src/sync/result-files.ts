/**
 * Result documents (status 9) fetched ahead of time, so the clerk can show and print them when the citizen
 * comes even if the commune's link is down then. Called by the engine once per pass, after the events:
 *
 * 1. purge: result files of dossiers whose return the central acknowledged are deleted (personal data
 *    kept no longer than needed);
 * 2. download: due rows one at a time (bounded memory and link), with the device credential; the body is
 *    read up to the declared size (capped by `maxResultFileBytes`), its size and SHA-256 checked, and only
 *    then stored. No answer / 5xx / 401 → back to waiting with the engine's backoff; a mismatch, a too
 *    large file or a refusal (404) → failed, shown at the desk and in the sync history, retried only by
 *    "Đồng bộ ngay". Wrong bytes are never stored.
 */
import { toWireError } from '../../../shared/errors';
import type { WireError } from '../../../shared/errors';
import { maxResultFileBytes } from '../../../shared/sync/protocol';
import { sha256, toHex } from '../../../shared/util/bytes';
import type { CounterDatabase, ResultFileRow, SyncLogLevel } from '../db/database';
import { dueResultFiles, purgeReturnedResults, storeResultFile } from '../db/result-files';
import { AttemptFailure, failureFromStatus, wire } from './attempt';
import type { BackoffPolicy } from './backoff';
import { retryDelayMs } from './backoff';
import type { CentralClient } from './central-client';
import { pathFor } from '../../../shared/sync/api-contract';

export interface ResultFilesContext {
  readonly db: CounterDatabase;
  readonly client: CentralClient;
  readonly now: () => Date;
  readonly random: () => number;
  readonly backoff: BackoffPolicy;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  /** Largest file fetched, in bytes. Default `maxResultFileBytes`. */
  readonly maxBytes?: number;
  /** True once the engine is stopping or found the central unreachable: no further download starts. */
  readonly halt: () => boolean;
  /** The central did not answer at all: the engine marks itself offline. */
  readonly onUnreachable: () => void;
}

type Details = Record<string, string | number>;

/** Reads the body, refusing more than `limit` bytes, and hashes it as it comes. */
async function readBody(response: Response, limit: number, name: string, code: string): Promise<{ bytes: Uint8Array; sha256: string }> {
  const hash = sha256.create();
  const parts: Uint8Array[] = [];
  let total = 0;
  const reader = response.body?.getReader();
  if (reader) {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > limit) {
        await reader.cancel().catch(() => undefined);
        throw new AttemptFailure(wire('RESULT_FILE_MISMATCH', { name, code, issue: `more than the declared ${limit} bytes` }), 'terminal');
      }
      hash.update(value);
      parts.push(value);
    }
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.byteLength;
  }
  return { bytes, sha256: toHex(hash.digest()) };
}

async function downloadOne(ctx: ResultFilesContext, row: ResultFileRow, code: string): Promise<Uint8Array> {
  const limit = ctx.maxBytes ?? maxResultFileBytes;
  if (row.size > limit) throw new AttemptFailure(wire('RESULT_FILE_TOO_LARGE', { name: row.name, code, size: row.size, limit }), 'terminal');
  let response: Response;
  try {
    response = await ctx.client.request(pathFor('resultFile', { id: row.dossierId, sha256: row.sha256 }), { timeoutMs: ctx.timeoutMs, headers: { accept: 'application/pdf' }, ...(ctx.signal ? { signal: ctx.signal } : {}) });
  } catch (err) {
    throw new AttemptFailure(wire('CENTRAL_UNREACHABLE', { reason: err instanceof Error ? err.message : String(err) }), 'retry', true);
  }
  if (response.status !== 200) throw failureFromStatus(response.status, await response.text().catch(() => ''));
  const announced = Number(response.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(announced) && announced > limit) {
    await response.body?.cancel().catch(() => undefined);
    throw new AttemptFailure(wire('RESULT_FILE_TOO_LARGE', { name: row.name, code, size: announced, limit }), 'terminal');
  }
  let body: { bytes: Uint8Array; sha256: string };
  try {
    body = await readBody(response, row.size, row.name, code);
  } catch (err) {
    if (err instanceof AttemptFailure) throw err;
    // The link broke mid-body: like no answer, try again later.
    throw new AttemptFailure(wire('CENTRAL_UNREACHABLE', { reason: err instanceof Error ? err.message : String(err) }), 'retry', true);
  }
  if (body.bytes.byteLength !== row.size) {
    throw new AttemptFailure(wire('RESULT_FILE_MISMATCH', { name: row.name, code, issue: `${body.bytes.byteLength} bytes, declared ${row.size}` }), 'terminal');
  }
  if (body.sha256 !== row.sha256) {
    throw new AttemptFailure(wire('RESULT_FILE_MISMATCH', { name: row.name, code, issue: `SHA-256 ${body.sha256.slice(0, 12)}…, declared ${row.sha256.slice(0, 12)}…` }), 'terminal');
  }
  return body.bytes;
}

async function log(db: CounterDatabase, at: string, level: SyncLogLevel, event: string, row: ResultFileRow, details: Details): Promise<void> {
  await db.syncLog.add({ at, level, event, dossierId: row.dossierId, details: { sha256: row.sha256, ...details } });
}

/** Records a failed attempt on the row (unless it was purged meanwhile) and in the log. */
async function recordFailure(ctx: ResultFilesContext, row: ResultFileRow, failure: AttemptFailure): Promise<void> {
  const at = ctx.now();
  const attempts = row.attempts + 1;
  const error: WireError = failure.error;
  const terminal = failure.outcome === 'terminal';
  const delay = terminal ? 0 : retryDelayMs(attempts, ctx.random, ctx.backoff);
  const state = terminal ? 'failed' : 'waiting';
  await ctx.db.transaction('rw', [ctx.db.resultFiles, ctx.db.syncLog], async () => {
    const current = await ctx.db.resultFiles.get([row.dossierId, row.sha256]);
    if (!current || current.state === 'downloaded') return;
    await ctx.db.resultFiles.put({ ...current, state, attempts, lastError: error, nextAttemptAt: at.getTime() + delay, updatedAt: at.toISOString() });
    // The error's own details (name, code, issue…) at top level: the sync history fills the message with them.
    await log(ctx.db, at.toISOString(), terminal ? 'error' : 'warn', `result:${state}`, row, { ...error.details, error: error.code, ...(terminal ? {} : { retryInMs: delay }) });
  });
}

/** One pass: purge what the central confirmed returned, then fetch due result files one at a time. */
export async function syncResultFiles(ctx: ResultFilesContext, force: boolean): Promise<{ purged: number; downloaded: number }> {
  const purged = await purgeReturnedResults(ctx.db, ctx.now().toISOString());
  let downloaded = 0;
  if (ctx.halt()) return { purged: purged.length, downloaded };
  const due = await dueResultFiles(ctx.db, ctx.now().getTime(), force);
  for (const row of due) {
    if (ctx.halt()) break;
    const code = (await ctx.db.dossiers.get(row.dossierId))?.code ?? row.dossierId;
    try {
      const bytes = await downloadOne(ctx, row, code);
      const at = ctx.now().toISOString();
      if (await storeResultFile(ctx.db, row.dossierId, row.sha256, bytes, at)) {
        downloaded++;
        await log(ctx.db, at, 'info', 'result:downloaded', row, { name: row.name, size: row.size });
      }
    } catch (err) {
      const failure = err instanceof AttemptFailure ? err : new AttemptFailure(toWireError(err), 'retry');
      // Storage trouble is the engine's (shown as a storage error), not this file's.
      if (failure.error.code.startsWith('STORAGE_')) throw err;
      if (failure.unreachable) ctx.onUnreachable();
      await recordFailure(ctx, row, failure);
      if (failure.unreachable) break;
    }
  }
  return { purged: purged.length, downloaded };
}
