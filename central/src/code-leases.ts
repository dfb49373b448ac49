/**
 * The central's side of dossier numbering (Decree 118/2025 Art. 28: the provincial system issues codes;
 * shared/domain/code-lease.ts has the scheme). Counters ask for blocks in advance; the central sizes each from
 * what that counter received for that agency lately; it numbers its own dossiers — here, the replacement of a
 * counter's provisional number — from the same table, one number at a time.
 */
import { codeLeaseRequestSchema, type CodeLeaseResponse, type DeviceRecord } from '../../shared/sync/protocol';
import { defaultCodeLeasePolicy, leaseBlockSize, leaseDays, needsRefill, type CodeLease, type CodeLeasePolicy } from '../../shared/domain/code-lease';
import { formatDossierCode, parseDossierCode } from '../../shared/domain/dossier-code';
import { toVietnamIso } from '../../shared/domain/time';
import { AppError } from '../../shared/errors';
import { CentralHttpError, zodDetails } from './http-errors';
import type { CentralStore } from './store';

const vietnamDay = (instant: Date): string => toVietnamIso(instant).slice(0, 10);

/**
 * New blocks for what the device asks. A day outside [today, today + daysAhead] by the CENTRAL's clock gets
 * nothing: a counter whose clock runs ahead must not reserve numbers of days that have not come, and a past
 * day is over (the counter then gives a provisional number the central replaces).
 */
export async function grantCodeLeases(store: Pick<CentralStore, 'leaseCodeBlock' | 'peakDailyCodes'>, device: Pick<DeviceRecord, 'deviceId'>, body: unknown, now = new Date(), policy: CodeLeasePolicy = defaultCodeLeasePolicy): Promise<CodeLeaseResponse> {
  const parsed = codeLeaseRequestSchema.safeParse(body);
  if (!parsed.success) throw new CentralHttpError(400, 'CENTRAL_REJECTED', { reason: 'code-lease-request', ...zodDetails(parsed.error) });
  const today = vietnamDay(now);
  const days = leaseDays(today, policy.daysAhead);
  const sinceDay = new Date(Date.parse(`${today}T00:00:00Z`) - policy.statisticsDays * 86_400_000).toISOString().slice(0, 10);
  const peaks = new Map<string, number>();
  const leases: CodeLease[] = [];
  for (const want of parsed.data.wants) {
    if (!days.includes(want.day)) continue;
    let peak = peaks.get(want.agencyId);
    if (peak === undefined) {
      peak = await store.peakDailyCodes(device.deviceId, want.agencyId, sinceDay);
      peaks.set(want.agencyId, peak);
    }
    const size = leaseBlockSize(peak, policy);
    if (!needsRefill(want.unused, size, policy)) continue;
    try {
      leases.push(await store.leaseCodeBlock({ agencyId: want.agencyId, day: want.day, size, deviceId: device.deviceId, at: now.toISOString() }));
    } catch (err) {
      if (err instanceof AppError && err.code === 'CODE_LEASE_REFUSED') throw new CentralHttpError(409, 'CODE_LEASE_REFUSED', err.details);
      throw err;
    }
  }
  return { leases, days, serverTime: now.toISOString() };
}

/** An official code the central issues itself: one number of `agencyId`'s sequence on the day of `receivedAt`. */
export async function issueCentralCode(store: Pick<CentralStore, 'leaseCodeBlock' | 'findDossierIdByCode'>, agencyId: string, receivedAt: Date, now = new Date()): Promise<string> {
  // A number no lease covers may still be on a dossier (an old counter, a code typed elsewhere): skip it. Each
  // skipped number stays leased to the central, so the next call starts above it; the loop ends.
  for (;;) {
    const lease = await store.leaseCodeBlock({ agencyId, day: vietnamDay(receivedAt), size: 1, at: now.toISOString() });
    const code = formatDossierCode(agencyId, receivedAt, lease.first);
    if ((await store.findDossierIdByCode(code)) === undefined) return code;
  }
}

/**
 * Issue 17: a dossier whose code another, earlier dossier also held (migration 5 cleared it, keeping it as
 * `provisional_code`) gets a new official code of the same agency and day received. Runs at every start; does
 * nothing once all have one. The counter learns the new code only from the back office (the ack is long gone).
 */
export async function reissueClearedCodes(store: Pick<CentralStore, 'dossiersWithClearedCode' | 'setClearedDossierCode' | 'leaseCodeBlock' | 'findDossierIdByCode'>): Promise<number> {
  let reissued = 0;
  for (const dossier of await store.dossiersWithClearedCode()) {
    let agencyId: string;
    try {
      agencyId = parseDossierCode(dossier.formerCode).agencyId;
    } catch {
      continue; // not a code this version can read: left for the back office (lookup by id still works)
    }
    const code = await issueCentralCode(store, agencyId, new Date(dossier.counterReceivedAt));
    if (await store.setClearedDossierCode(dossier.id, code)) reissued += 1;
  }
  return reissued;
}
