/**
 * Exponential backoff with jitter. Many counters losing the same link come back at the same moment; the
 * jitter spreads their retries so the central is not hit by all of them at once.
 */
export interface BackoffPolicy {
  /** Delay before the first retry. */
  readonly baseMs: number;
  /** The doubling stops here (before jitter). */
  readonly maxMs: number;
  /** Relative spread: 0.3 means ±30 %. */
  readonly jitter: number;
}

export const defaultBackoff: BackoffPolicy = { baseMs: 2_000, maxMs: 10 * 60_000, jitter: 0.3 };

/**
 * Delay before retry number `attempt` (1 = after the first failure): `baseMs · 2^(attempt−1)` capped at
 * `maxMs`, then scaled by a factor in [1 − jitter, 1 + jitter). `random` returns [0, 1) like Math.random.
 */
export function retryDelayMs(attempt: number, random: () => number, policy: BackoffPolicy = defaultBackoff): number {
  const exponent = Math.max(0, Math.floor(attempt) - 1);
  // 2^exponent overflows to Infinity for huge exponents; Math.min keeps the cap.
  const nominal = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(exponent, 1024));
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.round(nominal * (1 + policy.jitter * (2 * r - 1)));
}

/** The longest wait a central's `Retry-After` may impose: past it, the counter's own backoff decides again. */
export const maxRetryAfterMs = 60 * 60_000;

/**
 * The delay before the next attempt after a failure whose details may carry the central's own hint
 * (`retryAfterSeconds` of CENTRAL_RATE_LIMITED, the body twin of `Retry-After`): never sooner than the
 * central asked — retrying earlier only spends another token of a bucket that is empty — and never sooner
 * than the backoff. A hint past `maxRetryAfterMs` is capped: a misconfigured central must not park a counter
 * for days.
 */
export function retryDelayAfterFailure(details: Readonly<Record<string, string | number>>, attempt: number, random: () => number, policy: BackoffPolicy = defaultBackoff): number {
  const backoff = retryDelayMs(attempt, random, policy);
  const hintSeconds = Number(details.retryAfterSeconds);
  if (!Number.isFinite(hintSeconds) || hintSeconds <= 0) return backoff;
  return Math.max(backoff, Math.min(maxRetryAfterMs, Math.ceil(hintSeconds * 1000)));
}
