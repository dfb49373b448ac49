// Unit tests of renderer code, run in Node (fake-indexeddb stands in for the browser's IndexedDB).
import { describe, expect, it } from 'vitest';
import { defaultBackoff, maxRetryAfterMs, retryDelayAfterFailure, retryDelayMs } from '../../../renderer/src/sync/backoff';

/** A small deterministic generator in [0, 1). */
function seededRandom(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1_103_515_245 + 12_345) % 2 ** 31;
    return x / 2 ** 31;
  };
}

describe('retryDelayMs', () => {
  it('doubles from 2 s and stops growing at 10 minutes (no jitter at r = 0.5)', () => {
    const mid = (): number => 0.5;
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(n, mid))).toEqual([2_000, 4_000, 8_000, 16_000, 32_000]);
    expect(retryDelayMs(9, mid)).toBe(512_000);
    expect(retryDelayMs(10, mid)).toBe(600_000);
    expect(retryDelayMs(50, mid)).toBe(600_000);
    expect(retryDelayMs(5_000, mid)).toBe(600_000);
  });

  it('spreads each delay over ±30 % of its nominal value', () => {
    const random = seededRandom(42);
    for (let attempt = 1; attempt <= 15; attempt++) {
      const nominal = Math.min(defaultBackoff.maxMs, defaultBackoff.baseMs * 2 ** (attempt - 1));
      const samples = Array.from({ length: 200 }, () => retryDelayMs(attempt, random));
      for (const delay of samples) {
        expect(delay).toBeGreaterThanOrEqual(Math.floor(nominal * 0.7));
        expect(delay).toBeLessThanOrEqual(Math.ceil(nominal * 1.3));
      }
      // The jitter really spreads: not all counters retry at the same instant.
      expect(new Set(samples).size).toBeGreaterThan(50);
    }
    expect(retryDelayMs(1, () => 0)).toBe(1_400);
    expect(retryDelayMs(20, () => 0.999_999)).toBeLessThanOrEqual(780_000);
  });

  it('grows on average with the attempt number until the cap', () => {
    const random = seededRandom(7);
    const mean = (attempt: number): number => Array.from({ length: 400 }, () => retryDelayMs(attempt, random)).reduce((a, b) => a + b, 0) / 400;
    const means = [1, 2, 3, 4, 5, 6, 7, 8].map(mean);
    for (let i = 1; i < means.length; i++) expect(means[i]!).toBeGreaterThan(means[i - 1]!);
  });

  it('honours a custom policy', () => {
    expect(retryDelayMs(3, () => 0.5, { baseMs: 10, maxMs: 25, jitter: 0 })).toBe(25);
    expect(retryDelayMs(0, () => 0.5, { baseMs: 10, maxMs: 25, jitter: 0 })).toBe(10);
  });
});

describe('retryDelayAfterFailure: the central asked to wait (issue 17, Retry-After)', () => {
  const policy = { baseMs: 2_000, maxMs: 600_000, jitter: 0 };
  const noJitter = (): number => 0.5;

  it('waits as long as the rate-limited central asked, when that is longer than the backoff', () => {
    expect(retryDelayAfterFailure({ route: 'commit', retryAfterSeconds: 30 }, 1, noJitter, policy)).toBe(30_000);
  });

  it('keeps the backoff when it is already longer than the hint, or when there is no usable hint', () => {
    expect(retryDelayAfterFailure({ retryAfterSeconds: 1 }, 5, noJitter, policy)).toBe(32_000);
    expect(retryDelayAfterFailure({ status: 503 }, 1, noJitter, policy)).toBe(2_000);
    expect(retryDelayAfterFailure({ retryAfterSeconds: 'soon' }, 1, noJitter, policy)).toBe(2_000);
    expect(retryDelayAfterFailure({ retryAfterSeconds: -5 }, 1, noJitter, policy)).toBe(2_000);
  });

  it('caps a hint of days at an hour', () => {
    expect(retryDelayAfterFailure({ retryAfterSeconds: 7 * 86_400 }, 1, noJitter, policy)).toBe(maxRetryAfterMs);
  });
});
