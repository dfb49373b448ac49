/**
 * Sends the counter's audit log to the central (issue 17, finding 9): main's unsent entries (`audit:pending`)
 * go up in batches to `POST /api/v1/audit-entries`; what the central verified and holds is then acknowledged
 * to main (`audit:acknowledged`), which never offers it again. A break the central finds (an edit, a gap, a
 * reorder) is answered 409 AUDIT_CHAIN_BROKEN: the part before it is still acknowledged, and the failure is
 * thrown so the engine logs it. Dossiers are never held back by the audit log.
 */
import { auditUploadAckSchema } from '../../../shared/audit/chain';
import { AttemptFailure, failureFromStatus, parseJson, wire } from './attempt';
import type { CentralClient } from './central-client';
import { pathFor } from '../../../shared/sync/api-contract';

/** Main's side of the log, as the sync engine sees it (the IPC channels, or the log itself in tests). */
export interface AuditLogPort {
  /** Lines from `from` on (the previous answer's `next`), or from the first unsent one. */
  pending(limit: number, from?: number): Promise<{ readonly entries: readonly unknown[]; readonly next: number }>;
  acknowledged(seq: number): Promise<void>;
}

export interface AuditSyncContext {
  readonly client: CentralClient;
  readonly port: AuditLogPort;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  /** Entries per request (the central takes at most 500). */
  readonly batchSize?: number;
}

/**
 * Sends until nothing is pending; answers how many entries the central holds for this counter. A break does not
 * stop the pass (the rest is still sent, so the central sees every edit and gap); it is thrown at the end.
 */
export async function syncAuditLog(ctx: AuditSyncContext): Promise<{ readonly acceptedThrough: number }> {
  const batchSize = Math.min(500, ctx.batchSize ?? 200);
  let acceptedThrough = 0;
  let broken: AttemptFailure | undefined;
  let from: number | undefined;
  for (;;) {
    const { entries, next } = await ctx.port.pending(batchSize, from);
    if (entries.length === 0) break;
    let response: Response;
    try {
      response = await ctx.client.request(pathFor('auditEntries'), { method: 'POST', json: { entries }, timeoutMs: ctx.timeoutMs, ...(ctx.signal ? { signal: ctx.signal } : {}) });
    } catch {
      throw new AttemptFailure(wire('CENTRAL_UNREACHABLE'), 'retry', true);
    }
    const text = await response.text();
    const ack = auditUploadAckSchema.safeParse(parseJson(text));
    // Even a break acknowledges what came before it: those entries are safe at the central.
    if (ack.success && (response.ok || response.status === 409)) {
      acceptedThrough = ack.data.acceptedThrough;
      await ctx.port.acknowledged(acceptedThrough);
    }
    if (response.status === 409 && ack.success) broken ??= failureFromStatus(response.status, text);
    else if (!response.ok) throw failureFromStatus(response.status, text);
    else if (!ack.success) throw new AttemptFailure(wire('CENTRAL_NOT_A_CENTRAL', { issue: 'audit acknowledgement' }), 'retry');
    // `next` always moves forward, so a pass ends even when the central keeps refusing.
    if (entries.length < batchSize || (from !== undefined && next <= from)) break;
    from = next;
  }
  if (broken) throw broken;
  return { acceptedThrough };
}
