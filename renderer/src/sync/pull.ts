/**
 * What the counter pulls from the central: the status feed of its unit's dossiers (with a cursor) and the
 * reference data (catalog, working calendar, trust anchors) it keeps as a last good copy.
 */
import { readCertificate } from '../../../shared/cms/certificate';
import { procedureSchema } from '../../../shared/domain/procedure';
import { isClosedStatus } from '../../../shared/domain/minimisation';
import { parseYearCalendars } from '../../../shared/domain/working-calendar';
import { changesResponseSchema, referenceDocumentSchema } from '../../../shared/sync/protocol';
import type { ChangesResponse, ReferenceKind, StatusChange } from '../../../shared/sync/protocol';
import { fromBase64 } from '../../../shared/util/bytes';
import { z } from 'zod';
import type { CounterDatabase, DossierStateRow, ReferenceRow } from '../db/database';
import { resultRowsOf } from '../db/derived-rows';
import { AttemptFailure, failureFromStatus, parseJson, wire } from './attempt';
import type { CentralClient } from './central-client';
import { pathFor } from '../../../shared/sync/api-contract';

export const changesCursorKey = 'changes.cursor';

export interface PullContext {
  readonly db: CounterDatabase;
  readonly client: CentralClient;
  readonly now: () => Date;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  /** Called with the central's clock from an answer, and the counter's send/receive times around it. */
  readonly onCentralTime?: (centralTime: string, sentAt: number, receivedAt: number) => void;
}

async function get(ctx: PullContext, path: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string; sentAt: number; receivedAt: number }> {
  const sentAt = ctx.now().getTime();
  let response: Response;
  try {
    response = await ctx.client.request(path, { timeoutMs: ctx.timeoutMs, headers, ...(ctx.signal ? { signal: ctx.signal } : {}) });
  } catch (err) {
    throw new AttemptFailure(wire('CENTRAL_UNREACHABLE', { reason: err instanceof Error ? err.message : String(err) }), 'retry', true);
  }
  const text = response.status === 304 ? '' : await response.text().catch(() => '');
  return { status: response.status, text, sentAt, receivedAt: ctx.now().getTime() };
}

/**
 * The dossier's state after one feed entry. Status 5 (supplement requested) pauses the clock and counts a
 * round; leaving 5 (the supplement came in) resumes it; a new appointment from the central moves it.
 */
export function applyStatusChange(state: DossierStateRow, change: StatusChange, updatedAt: string): DossierStateRow {
  const next: { -readonly [K in keyof DossierStateRow]: DossierStateRow[K] } = { ...state, status: change.status, lastChangeSeq: change.seq, updatedAt };
  if (change.newAppointmentAt) next.appointmentAt = change.newAppointmentAt;
  if (change.status === 5) {
    // A repeat of status 5 while already paused is the same round (e.g. an amended request), not a new one.
    if (state.status !== 5) next.supplementRounds = state.supplementRounds + 1;
    next.pausedSince = state.status === 5 && state.pausedSince ? state.pausedSince : change.at;
  } else if (next.pausedSince !== undefined) {
    delete next.pausedSince;
  }
  return next;
}

/**
 * Stores one page of the feed and moves the cursor in ONE transaction: a crash between the two can
 * neither skip a change (cursor ahead of the rows) nor apply one twice (rows ahead of the cursor; and
 * `lastChangeSeq` guards the state besides).
 */
export async function applyChangesPage(db: CounterDatabase, page: ChangesResponse, at: string): Promise<number> {
  let applied = 0;
  await db.transaction('rw', [db.statusChanges, db.dossierState, db.syncMeta, db.syncLog, db.resultFiles], async () => {
    const cursorRow = await db.syncMeta.get(changesCursorKey);
    const cursor = typeof cursorRow?.value === 'number' ? cursorRow.value : 0;
    for (const change of page.changes) {
      if (change.seq <= cursor) continue;
      await db.statusChanges.put(change);
      const state = await db.dossierState.get(change.dossierId);
      // A dossier another counter of the unit accepted has no local state: its history is kept all the same.
      if (state && (state.lastChangeSeq ?? 0) < change.seq) {
        const next = applyStatusChange(state, change, at);
        // Issue 17: the central holds a closed status: the minimisation's grace starts (retention.ts).
        await db.dossierState.put(isClosedStatus(next.status) && next.minimiseDueSince === undefined ? { ...next, minimiseDueSince: at } : next);
        // Status 9 with result documents: announced here, fetched by the sync worker (result-files.ts).
        for (const row of resultRowsOf(change, at)) if (!(await db.resultFiles.get([row.dossierId, row.sha256]))) await db.resultFiles.add(row);
      }
      applied++;
    }
    if (page.cursor > cursor) await db.syncMeta.put({ key: changesCursorKey, value: page.cursor });
    if (applied > 0) {
      await db.syncLog.add({ at, level: 'info', event: 'pull:changes', details: { applied, cursor: Math.max(cursor, page.cursor), from: cursor } });
    }
  });
  return applied;
}

/** Pulls the feed from the stored cursor until the central has no more (at most `maxPages` per call). */
export async function pullStatusChanges(ctx: PullContext, opts: { pageLimit?: number; maxPages?: number } = {}): Promise<number> {
  const pageLimit = opts.pageLimit ?? 200;
  const maxPages = opts.maxPages ?? 20;
  let total = 0;
  for (let page = 0; page < maxPages; page++) {
    const cursorRow = await ctx.db.syncMeta.get(changesCursorKey);
    const cursor = typeof cursorRow?.value === 'number' ? cursorRow.value : 0;
    const answer = await get(ctx, `${pathFor('changes')}?after=${cursor}&limit=${pageLimit}`);
    if (answer.status !== 200) throw failureFromStatus(answer.status, answer.text);
    const parsed = changesResponseSchema.safeParse(parseJson(answer.text));
    if (!parsed.success) throw new AttemptFailure(wire('CENTRAL_NOT_A_CENTRAL', { status: answer.status, issue: 'changes' }), 'retry');
    ctx.onCentralTime?.(parsed.data.serverTime, answer.sentAt, answer.receivedAt);
    total += await applyChangesPage(ctx.db, parsed.data, ctx.now().toISOString());
    if (!parsed.data.hasMore || parsed.data.changes.length === 0) break;
  }
  return total;
}

const trustAnchorsDataSchema = z.object({ certificatesDerBase64: z.array(z.string().min(1)).min(1) });

/** Checks a reference document's data with its kind's schema; returns the reason when it is malformed. */
export function validateReferenceData(kind: ReferenceKind, data: unknown): string | undefined {
  try {
    if (kind === 'catalog') {
      const parsed = z.array(procedureSchema).min(1).safeParse(data);
      if (!parsed.success) return parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    } else if (kind === 'calendar') {
      parseYearCalendars(data);
    } else {
      const parsed = trustAnchorsDataSchema.safeParse(data);
      if (!parsed.success) return parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
      parsed.data.certificatesDerBase64.forEach((b64, index) => {
        try {
          readCertificate(fromBase64(b64));
        } catch {
          throw new Error(`certificatesDerBase64.${index}: not an X.509 certificate`);
        }
      });
    }
  } catch (err) {
    const details = (err as { details?: { issue?: unknown } }).details;
    return typeof details?.issue === 'string' ? details.issue : err instanceof Error ? err.message : String(err);
  }
  return undefined;
}

export type ReferencePullOutcome = 'unchanged' | 'updated' | 'invalid';

/**
 * GET one reference document with `If-None-Match: "<version we hold>"`. 304 → unchanged. A new document
 * replaces the stored one only after its data passed the kind's schema; a malformed one is logged and
 * the last good copy stays in use.
 */
export async function pullReference(ctx: PullContext, kind: ReferenceKind): Promise<ReferencePullOutcome> {
  const held: ReferenceRow | undefined = await ctx.db.reference.get(kind);
  const answer = await get(ctx, pathFor('reference', { kind }), held ? { 'if-none-match': `"${held.version}"` } : {});
  const at = ctx.now().toISOString();
  if (answer.status === 304) return 'unchanged';
  if (answer.status !== 200) throw failureFromStatus(answer.status, answer.text);
  const document = referenceDocumentSchema.safeParse(parseJson(answer.text));
  const issue = !document.success
    ? document.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')
    : document.data.kind !== kind
      ? `kind ${document.data.kind} ≠ ${kind}`
      : validateReferenceData(kind, document.data.data);
  if (issue !== undefined || !document.success) {
    await ctx.db.syncLog.add({
      at,
      level: 'error',
      event: 'reference:invalid',
      // `error` lets the sync history tell IT what happened in words (REFERENCE_DATA_INVALID names the kind and issue).
      details: { error: 'REFERENCE_DATA_INVALID', kind, issue: (issue ?? '').slice(0, 500), keptVersion: held?.version ?? '' },
    });
    return 'invalid';
  }
  if (held?.version === document.data.version) return 'unchanged';
  await ctx.db.transaction('rw', [ctx.db.reference, ctx.db.syncLog], async () => {
    await ctx.db.reference.put({ kind, version: document.data.version, publishedAt: document.data.publishedAt, data: document.data.data, fetchedAt: at });
    await ctx.db.syncLog.add({ at, level: 'info', event: 'reference:updated', details: { kind, version: document.data.version, previous: held?.version ?? '' } });
  });
  return 'updated';
}
