/**
 * Issue 15: keeping this counter stocked with leased dossier numbers (shared/domain/code-lease.ts). In each
 * online pass the counter tells the central, for each agency it may number for and each day of the window,
 * how many leased numbers it still holds; the central answers with new blocks where it runs low. They are
 * stored in IndexedDB and in main's ledger (`record`), so a restart or a replaced database keeps them.
 */
import { defaultCodeLeasePolicy, leaseDays, type CodeLease } from '../../../shared/domain/code-lease';
import { procedureSchema } from '../../../shared/domain/procedure';
import { codeLeaseResponseSchema } from '../../../shared/sync/protocol';
import { z } from 'zod';
import type { CounterDatabase } from '../db/database';
import { storeCodeLeases, unusedLeasedNumbers, vietnamDayKey } from '../db/sequences';
import { AttemptFailure, failureFromStatus, parseJson, wire } from './attempt';
import type { CentralClient } from './central-client';
import { pathFor } from '../../../shared/sync/api-contract';

export interface CodeLeaseOptions {
  /** The receiving unit and counter number this PC is configured as. */
  readonly unitCode: string;
  readonly counterNo: number;
  /** Days after today to hold numbers for; default the central's default (3). Days outside its window get nothing. */
  readonly daysAhead?: number;
  /** Agencies to hold numbers for; default the receiving unit and every deciding agency in the stored catalog. */
  readonly agencyIds?: () => Promise<readonly string[]>;
  /** Main's ledger (storage:ledger-leases). */
  readonly record?: (leases: readonly CodeLease[]) => Promise<void>;
}

export interface CodeLeaseContext {
  readonly db: CounterDatabase;
  readonly client: CentralClient;
  readonly now: () => Date;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

/** The receiving unit, and the deciding agencies of the catalog the counter keeps (its last good copy). */
async function catalogAgencyIds(db: CounterDatabase, unitCode: string): Promise<string[]> {
  const catalog = await db.reference.get('catalog');
  const procedures = z.array(procedureSchema).safeParse(catalog?.data);
  const deciding = procedures.success ? procedures.data.flatMap((p) => (p.decidingAgencyId && p.codePrefix !== 'receiving-unit' ? [p.decidingAgencyId] : [])) : [];
  return [...new Set([unitCode, ...deciding])];
}

/** One exchange with the central; resolves with the blocks received (already stored). */
export async function refillCodeLeases(ctx: CodeLeaseContext, opts: CodeLeaseOptions): Promise<CodeLease[]> {
  const days = leaseDays(vietnamDayKey(ctx.now()), opts.daysAhead ?? defaultCodeLeasePolicy.daysAhead);
  const agencies = opts.agencyIds ? await opts.agencyIds() : await catalogAgencyIds(ctx.db, opts.unitCode);
  const wants = [];
  for (const agencyId of agencies.slice(0, Math.floor(500 / days.length))) {
    for (const day of days) wants.push({ agencyId, day, unused: await unusedLeasedNumbers(ctx.db, opts.counterNo, agencyId, day) });
  }
  if (wants.length === 0) return [];
  let response: Response;
  try {
    response = await ctx.client.request(pathFor('codeLeases'), { method: 'POST', json: { wants }, timeoutMs: ctx.timeoutMs, ...(ctx.signal ? { signal: ctx.signal } : {}) });
  } catch (err) {
    throw new AttemptFailure(wire('CENTRAL_UNREACHABLE', { reason: err instanceof Error ? err.message : String(err) }), 'retry', true);
  }
  const text = await response.text().catch(() => '');
  if (response.status !== 200) throw failureFromStatus(response.status, text);
  const answer = codeLeaseResponseSchema.safeParse(parseJson(text));
  if (!answer.success) throw new AttemptFailure(wire('CENTRAL_NOT_A_CENTRAL', { status: response.status }), 'retry');
  await storeCodeLeases(ctx.db, answer.data.leases, ctx.now());
  if (answer.data.leases.length > 0) await opts.record?.(answer.data.leases);
  return answer.data.leases;
}
