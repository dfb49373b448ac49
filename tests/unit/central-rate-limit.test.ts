/** The central's token buckets (central/src/rate-limit.ts), on a clock the test moves. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TokenBuckets } from '../../central/src/rate-limit';

describe('TokenBuckets', () => {
  it('grants the burst, then refuses with the wait until the next token, and refills over time', () => {
    let now = 0;
    const buckets = new TokenBuckets({ burst: 3, perSecond: 0.5 }, () => now);
    expect([buckets.take('a'), buckets.take('a'), buckets.take('a')]).toEqual([0, 0, 0]);
    expect(buckets.take('a')).toBe(2);
    // Another key has its own bucket.
    expect(buckets.take('b')).toBe(0);
    now += 2_000;
    expect(buckets.take('a')).toBe(0);
    expect(buckets.take('a')).toBe(2);
    // Never more than the burst, however long the quiet spell.
    now += 3_600_000;
    expect([buckets.take('a'), buckets.take('a'), buckets.take('a'), buckets.take('a')]).toEqual([0, 0, 0, 2]);
  });

  it('never grants more than burst + elapsed × rate to one key', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.double({ min: 0.01, max: 50, noNaN: true }),
        fc.array(fc.integer({ min: 0, max: 5_000 }), { minLength: 1, maxLength: 200 }),
        (burst, perSecond, gapsMs) => {
          let now = 0;
          const buckets = new TokenBuckets({ burst, perSecond }, () => now);
          let granted = 0;
          for (const gap of gapsMs) {
            now += gap;
            if (buckets.take('k') === 0) granted++;
          }
          expect(granted).toBeLessThanOrEqual(burst + Math.floor((now / 1000) * perSecond + 1e-9));
        },
      ),
    );
  });
});
