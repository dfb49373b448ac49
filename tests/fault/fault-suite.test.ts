// The CI-sized fault campaign (issue 5): ≥ 50 injected faults of every kind against the real counter code
// in Chromium and the real central in its network namespace, then the checker. The long run is
// `npm run test:fault:long`.
import { describe, expect, it } from 'vitest';
import { formatSummary, runCampaign } from './harness/campaign';
import { netnsUnavailableReason } from './harness/netns';
import { campaignVerdict, seedFromEnv } from './harness/verdict';
import { skipWithout } from '../support/requirements';

// Skipped only where network namespaces cannot be made (not root, not Linux); under CI that fails instead.
const skip = skipWithout('the fault-injection suite: network namespaces', await netnsUnavailableReason());

describe('fault injection', () => {
  it.skipIf(skip)('every accepted dossier reaches the central exactly once through ≥ 50 faults', async () => {
    const seed = seedFromEnv();
    console.log(`fault campaign seed ${seed}`);
    const result = await runCampaign({
      seed,
      faults: 60,
      maxDossiers: 150,
      backlog: 3,
      largeBytes: [100_000, 900_000],
      settleBoundMs: 120_000,
      tmpfsMb: 512,
    });
    console.log(formatSummary(result));
    expect(result.totalInjected).toBeGreaterThanOrEqual(50);
    expect(campaignVerdict(result).reasons).toEqual([]);
    // Every database the suite deleted was noticed by the counter's ledger (and refilled from main's spool).
    expect(result.injected['counter-database-lost']).toBeGreaterThanOrEqual(1);
    expect(result.counterResets.filter((r) => r.includes('(injected)'))).toHaveLength(result.injected['counter-database-lost']);
    expect(result.report.lost).toEqual([]);
    expect(result.report.duplicated).toEqual([]);
    expect(result.report.stuck).toEqual([]);
    // Acknowledged at the counter, or (after a reset its ledger noticed) gone from it but held by the central.
    expect(result.report.acknowledged + result.report.goneFromCounterButAtCentral.length).toBe(result.report.dossiers);
  });
});
