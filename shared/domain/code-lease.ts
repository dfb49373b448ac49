/**
 * Leased blocks of dossier numbers (Decree 118/2025 Art. 28: the provincial system issues dossier codes).
 *
 * The central owns each (agency id, Vietnam day)'s sequence. It hands out disjoint blocks of it — to each
 * enrolled counter in advance, enough for several offline days, and to itself one number at a time for the
 * codes it issues online (replacing provisional numbers). Every block is a row in the central's database,
 * appended above the highest number leased so far for that (agency, day), so two holders never share a number.
 * A counter uses its blocks in increasing order and remembers the last number it used (IndexedDB and main's
 * ledger), so it never uses a number twice either, across restarts and a replaced database.
 * docs/dossier-code.md explains sizing and what gaps in a day's numbers mean.
 */
import { z } from 'zod';
import { AppError } from '../errors';
import { MAX_SEQUENCE, agencyIdFormOf } from './dossier-code';
import { unitCodeSchema } from './dossier';

export const leaseDaySchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** One block: the numbers first…last of `agencyId`'s sequence on `day` (Vietnam calendar day, YYYY-MM-DD). */
export const codeLeaseSchema = z
  .object({
    agencyId: unitCodeSchema,
    day: leaseDaySchema,
    first: z.number().int().min(1).max(MAX_SEQUENCE),
    last: z.number().int().min(1).max(MAX_SEQUENCE),
  })
  .strict()
  .refine((lease) => lease.last >= lease.first, 'last ≥ first');
export type CodeLease = z.infer<typeof codeLeaseSchema>;

/**
 * How the central sizes and spaces leases. Defaults are ours (UNCONFIRMED: no rule sets them):
 * - `daysAhead` 3: a counter holds numbers for today and the next 3 days, so it receives through a long
 *   weekend offline; a later day falls back to provisional numbers.
 * - a block is the counter's busiest day for that agency over the last `statisticsDays` (30) days, times
 *   `headroom` (1.5), at least `floor` (20) and at most `ceiling` (2000);
 * - a counter is given a new block for an (agency, day) when fewer than `refillBelow` (0.5) of a block are left.
 */
export const codeLeasePolicySchema = z
  .object({
    daysAhead: z.number().int().min(0).max(14).default(3),
    statisticsDays: z.number().int().min(1).max(365).default(30),
    headroom: z.number().min(1).max(10).default(1.5),
    floor: z.number().int().min(1).max(10_000).default(20),
    ceiling: z.number().int().min(1).max(100_000).default(2000),
    refillBelow: z.number().min(0).max(1).default(0.5),
  })
  .strict();
export type CodeLeasePolicy = z.infer<typeof codeLeasePolicySchema>;
export const defaultCodeLeasePolicy: CodeLeasePolicy = codeLeasePolicySchema.parse({});

/** Size of the next block for a holder whose busiest day (for that agency) saw `peakDaily` dossiers. */
export function leaseBlockSize(peakDaily: number, policy: CodeLeasePolicy = defaultCodeLeasePolicy): number {
  const wanted = Math.ceil(Math.max(0, peakDaily) * policy.headroom);
  return Math.min(Math.max(policy.ceiling, policy.floor), Math.max(policy.floor, wanted));
}

/** True when a holder with `unused` numbers left should be given another block of `blockSize`. */
export const needsRefill = (unused: number, blockSize: number, policy: CodeLeasePolicy = defaultCodeLeasePolicy): boolean =>
  unused < Math.max(1, Math.ceil(blockSize * policy.refillBelow));

/**
 * The lowest number leases of `agencyId` start at. A QCVN-form identifier may have been numbered the same day
 * by the old fixed blocks (0001–8999), so its leases start above them, at 9001; a Decision-20 identifier was
 * never numbered by a counter on its own, so it starts at 1.
 */
export const firstLeasableSequence = (agencyId: string): number => (agencyIdFormOf(agencyId) === 'qcvn-102' ? 9001 : 1);

/** The block after `highestLeased` (the top of every block leased so far for that agency and day). */
export function nextBlock(agencyId: string, highestLeased: number | undefined, size: number): { first: number; last: number } {
  if (!Number.isInteger(size) || size < 1) throw new AppError('INTERNAL', { message: 'lease size must be a positive integer', size });
  const first = Math.max((highestLeased ?? 0) + 1, firstLeasableSequence(agencyId));
  const last = first + size - 1;
  if (last > MAX_SEQUENCE) throw new AppError('CODE_LEASE_REFUSED', { reason: 'day-full', agencyId, first, size });
  return { first, last };
}

/**
 * The number to use next from a holder's blocks for one (agency, day): the smallest leased number above
 * `lastUsed` — undefined when none is left. Blocks may come in any order and overlap `lastUsed`.
 */
export function nextLeasedNumber(leases: readonly Pick<CodeLease, 'first' | 'last'>[], lastUsed: number | undefined): number | undefined {
  const above = lastUsed ?? 0;
  let best: number | undefined;
  for (const { first, last } of leases) {
    if (last <= above) continue;
    const candidate = Math.max(first, above + 1);
    if (best === undefined || candidate < best) best = candidate;
  }
  return best;
}

/** Numbers of the blocks still usable above `lastUsed`. */
export function unusedInLeases(leases: readonly Pick<CodeLease, 'first' | 'last'>[], lastUsed: number | undefined): number {
  const above = lastUsed ?? 0;
  return leases.reduce((n, { first, last }) => n + Math.max(0, last - Math.max(first, above + 1) + 1), 0);
}

/** `today` and the `daysAhead` calendar days after it, YYYY-MM-DD. */
export function leaseDays(today: string, daysAhead: number): string[] {
  const start = Date.parse(`${today}T00:00:00Z`);
  return Array.from({ length: daysAhead + 1 }, (_, i) => new Date(start + i * 86_400_000).toISOString().slice(0, 10));
}
