/**
 * Per-client token buckets for the central's costly or guessable routes (enroll, commit, back office).
 * `@fastify/rate-limit` is not a dependency, and the need is small: one bucket per key (a device credential's
 * hash, or the client address), refilled continuously, kept in memory (a restart forgets them, which is fine
 * for a brake on floods and guessing; it is not an accounting of use).
 */
import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { bearerToken } from './admin-token';
import { CentralHttpError } from './http-errors';

export interface BucketLimit {
  /** Requests a client may make at once after a quiet spell. */
  readonly burst: number;
  /** Tokens added back per second. */
  readonly perSecond: number;
}

export type RateLimitedRoute = 'enroll' | 'commit' | 'admin';

export type RateLimits = Readonly<Record<RateLimitedRoute, BucketLimit>>;

/**
 * Defaults, generous for real counters: a counter back online after a day offline drains its queue at
 * 2 commits per second after a burst of 60; enrolling is rare (a brake on guessing codes, keyed by address);
 * the back office's scripts may be busy but are one token, so one address.
 */
export const DEFAULT_RATE_LIMITS: RateLimits = {
  enroll: { burst: 30, perSecond: 0.5 },
  commit: { burst: 60, perSecond: 2 },
  admin: { burst: 300, perSecond: 30 },
};

interface Bucket {
  tokens: number;
  updatedAtMs: number;
}

/** Buckets idle this long are full again anyway, so they are forgotten (bounded memory under a flood of keys). */
const forgetAfterMs = (limit: BucketLimit): number => Math.ceil((limit.burst / limit.perSecond) * 1000);

export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  private lastSweepMs = 0;

  constructor(
    private readonly limit: BucketLimit,
    private readonly nowMs: () => number = () => performance.now(),
  ) {}

  /** Takes one token for `key`; returns 0 if granted, else the seconds to wait before one is available. */
  take(key: string): number {
    const now = this.nowMs();
    this.sweep(now);
    const bucket = this.buckets.get(key) ?? { tokens: this.limit.burst, updatedAtMs: now };
    bucket.tokens = Math.min(this.limit.burst, bucket.tokens + ((now - bucket.updatedAtMs) / 1000) * this.limit.perSecond);
    bucket.updatedAtMs = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.limit.perSecond));
  }

  private sweep(now: number): void {
    const idleMs = forgetAfterMs(this.limit);
    if (now - this.lastSweepMs < idleMs) return;
    this.lastSweepMs = now;
    for (const [key, bucket] of this.buckets) if (now - bucket.updatedAtMs >= idleMs) this.buckets.delete(key);
  }
}

/**
 * Who a request counts against: the device credential (hashed, never kept in clear) when it carries one,
 * else the client address (`request.ip`, which honours `trustProxy` behind a reverse proxy).
 */
function rateLimitKey(request: FastifyRequest): string {
  const token = bearerToken(request.headers.authorization);
  if (token) return `cred:${createHash('sha256').update(token, 'utf8').digest('hex')}`;
  return `ip:${request.ip}`;
}

/** A fastify preHandler that answers 429 `CENTRAL_RATE_LIMITED` (with Retry-After) once a key's bucket is empty. */
export function rateLimiter(route: RateLimitedRoute, limit: BucketLimit, keyOf: (request: FastifyRequest) => string = rateLimitKey) {
  const buckets = new TokenBuckets(limit);
  return (request: FastifyRequest, reply: { header(name: string, value: string): unknown }): Promise<void> => {
    const waitSeconds = buckets.take(keyOf(request));
    if (waitSeconds === 0) return Promise.resolve();
    reply.header('retry-after', String(waitSeconds));
    request.log.warn({ route, ip: request.ip, waitSeconds }, 'rate limit reached');
    return Promise.reject(new CentralHttpError(429, 'CENTRAL_RATE_LIMITED', { route, retryAfterSeconds: waitSeconds }));
  };
}
