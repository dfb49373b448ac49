/**
 * Counter → central events (supplement received, result returned, apology issued): PUT, idempotent by
 * `eventId`, so a lost answer is harmless. A supplement's files go up by tus first, their upload URLs kept
 * on the event row (a restart resumes them), exactly as for a dossier's files.
 */
import { counterEventAckSchema, counterEventSchema } from '../../../shared/sync/protocol';
import type { CounterEvent, CounterEventAck } from '../../../shared/sync/protocol';
import type { CounterDatabase, CounterEventRow, StoredFile } from '../db/database';
import { verifyStoredFile } from '../db/files';
import { AppError, toWireError } from '../../../shared/errors';
import { AttemptFailure, Stopped, failureFromStatus, parseJson, wire } from './attempt';
import type { CentralClient } from './central-client';
import { pathFor } from '../../../shared/sync/api-contract';

export interface EventSendContext {
  readonly db: CounterDatabase;
  readonly client: CentralClient;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  /** Uploads one stored file (resuming from `storedUrl`), persisting its URL on the event row. */
  readonly upload: (row: CounterEventRow, file: StoredFile) => Promise<string>;
  readonly stopping: () => boolean;
}

/**
 * The stored files of a supplement event: its files are in `files` under the dossier id with the same
 * SHA-256 (saved there before the event was queued). A file that is missing is storage damage.
 */
async function supplementFiles(db: CounterDatabase, row: CounterEventRow, event: Extract<CounterEvent, { kind: 'supplement-received' }>): Promise<StoredFile[]> {
  const stored = await db.files.where('dossierId').equals(row.dossierId).toArray();
  return event.files.map((declared) => {
    const file = stored.find((f) => f.sha256 === declared.sha256);
    if (!file) throw new AttemptFailure(wire('STORAGE_DAMAGED', { name: declared.name, code: row.dossierId, issue: 'supplement file missing' }), 'terminal');
    return file;
  });
}

/** Sends one event; resolves with the central's ack. */
export async function sendCounterEvent(ctx: EventSendContext, row: CounterEventRow): Promise<CounterEventAck> {
  let event: CounterEvent = row.event;
  if (event.kind === 'supplement-received') {
    const files = await supplementFiles(ctx.db, row, event);
    const urls = new Map<string, string>();
    for (const file of files) {
      if (ctx.stopping()) throw new Stopped();
      try {
        await verifyStoredFile(ctx.db, file.id);
      } catch (err) {
        throw new AttemptFailure(toWireError(err), err instanceof AppError && err.code === 'STORAGE_FAILED' ? 'retry' : 'terminal');
      }
      const current = (await ctx.db.counterEvents.get(row.eventId)) ?? row;
      urls.set(file.sha256, await ctx.upload(current, file));
    }
    event = { ...event, files: event.files.map((f) => ({ ...f, uploadUrl: urls.get(f.sha256) ?? f.uploadUrl })) };
  }
  const body = counterEventSchema.safeParse(event);
  if (!body.success) {
    throw new AttemptFailure(wire('DOSSIER_INVALID', { issue: body.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ').slice(0, 500) }), 'terminal');
  }
  let response: Response;
  try {
    response = await ctx.client.request(pathFor('counterEvent', { id: row.dossierId, eventId: row.eventId }), { method: 'PUT', json: body.data, timeoutMs: ctx.timeoutMs, ...(ctx.signal ? { signal: ctx.signal } : {}) });
  } catch (err) {
    if (ctx.stopping()) throw new Stopped();
    throw new AttemptFailure(wire('CENTRAL_UNREACHABLE', { reason: err instanceof Error ? err.message : String(err) }), 'retry', true);
  }
  const text = await response.text().catch(() => '');
  if (response.status === 200 || response.status === 201) {
    const ack = counterEventAckSchema.safeParse(parseJson(text));
    if (!ack.success || ack.data.eventId !== row.eventId) throw new AttemptFailure(wire('CENTRAL_NOT_A_CENTRAL', { status: response.status }), 'retry');
    return ack.data;
  }
  throw failureFromStatus(response.status, text);
}
