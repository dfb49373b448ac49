/**
 * Issue 16: the counter's report to the central, once per online pass (`PUT /api/v1/devices/self/report`,
 * shared/sync/fleet.ts): version, unsent backlog and the age of its oldest dossier, the last sync error's code,
 * the counter's clock, the signing certificate's expiry when known, and an OS summary. Built from counts, codes
 * and dates only — never an applicant's or a clerk's name, never a certificate's subject.
 */
import Dexie from 'dexie';
import { counterReportAckSchema, counterReportSchema, type CounterReport, type CounterReportAck } from '../../../shared/sync/fleet';
import type { CounterDatabase, OutboxState } from '../db/database';
import { queueCounts } from '../db/queue';
import { AttemptFailure, failureFromStatus, parseJson, wire } from './attempt';
import type { CentralClient } from './central-client';
import { pathFor } from '../../../shared/sync/api-contract';

/** What the engine cannot learn from the database: given by the composition root. */
export interface CounterReportSource {
  /** This app's version (package.json, as electron-builder ships it). */
  readonly appVersion: string;
  readonly platform: CounterReport['platform'];
  /** The earliest expiry among the signing certificates main knows (an unlocked key); null when none is known. */
  readonly signingCertificateNotAfter?: () => Promise<string | null>;
}

export interface CounterReportContext {
  readonly db: CounterDatabase;
  readonly client: CentralClient;
  readonly now: () => Date;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

const pendingStates: readonly OutboxState[] = ['waiting', 'uploading', 'committing'];
/** Log lines looked at for the last error: a bound, however long the log. */
const lastErrorWindow = 500;

/** The report as of now, from the local database. */
async function buildCounterReport(ctx: Pick<CounterReportContext, 'db' | 'now'>, source: CounterReportSource): Promise<CounterReport> {
  const { db } = ctx;
  const now = ctx.now();
  const queue = await queueCounts(db);
  const events = await db.counterEvents.where('state').anyOf(['waiting', 'sending']).count();
  let oldestQueuedAt: string | undefined;
  for (const state of pendingStates) {
    const row = await db.outbox.where('[state+queuedAt]').between([state, Dexie.minKey], [state, Dexie.maxKey]).first();
    if (row && (oldestQueuedAt === undefined || row.queuedAt < oldestQueuedAt)) oldestQueuedAt = row.queuedAt;
  }
  const recent = await db.syncLog.orderBy('id').reverse().limit(lastErrorWindow).toArray();
  const lastError = recent.find((entry) => entry.level !== 'info' && typeof entry.details.error === 'string' && /^[A-Z][A-Z0-9_]{1,63}$/.test(entry.details.error));
  let notAfter: string | null = null;
  try {
    notAfter = (await source.signingCertificateNotAfter?.()) ?? null;
  } catch {
    // Main could not say (no key unlocked yet, a token removed): unknown, not an error of the report.
  }
  return counterReportSchema.parse({
    appVersion: source.appVersion,
    counterTime: now.toISOString(),
    backlog: {
      dossiers: queue.pending,
      failed: queue.failed,
      events,
      bytes: Math.max(0, Math.round(queue.bytesLeft)),
      oldestUnsentAgeSeconds: oldestQueuedAt === undefined ? null : Math.max(0, Math.floor((now.getTime() - new Date(oldestQueuedAt).getTime()) / 1000)),
    },
    lastError: lastError ? { code: String(lastError.details.error), at: new Date(lastError.at).toISOString() } : null,
    signingCertificateNotAfter: notAfter === null ? null : new Date(notAfter).toISOString(),
    platform: source.platform,
  });
}

/** Builds and sends the report; the central's answer carries the clock skew it measured. */
export async function sendCounterReport(ctx: CounterReportContext, source: CounterReportSource): Promise<CounterReportAck> {
  const report = await buildCounterReport(ctx, source);
  let response: Response;
  try {
    response = await ctx.client.request(pathFor('counterReport'), { method: 'PUT', json: report, timeoutMs: ctx.timeoutMs, ...(ctx.signal ? { signal: ctx.signal } : {}) });
  } catch {
    throw new AttemptFailure(wire('CENTRAL_UNREACHABLE'), 'retry', true);
  }
  const text = await response.text();
  if (!response.ok) throw failureFromStatus(response.status, text);
  const ack = counterReportAckSchema.safeParse(parseJson(text));
  if (!ack.success) throw new AttemptFailure(wire('CENTRAL_NOT_A_CENTRAL', { issue: 'counter report acknowledgement' }), 'retry');
  return ack.data;
}

/**
 * The OS and shell from a user agent string (Electron's or Chromium's): names and versions only. The UA is all
 * the renderer and its worker can see; Windows 11 still says `Windows NT 10.0` there.
 */
export function platformFromUserAgent(userAgent: string): CounterReport['platform'] {
  const windows = /Windows NT (\d+(?:\.\d+)?)/.exec(userAgent);
  const mac = /Mac OS X (\d+(?:[._]\d+)*)/.exec(userAgent);
  const linux = /Linux/.test(userAgent);
  const electron = /Electron\/(\d+(?:\.\d+){0,3})/.exec(userAgent);
  const chromium = /(?:Chrome|Chromium)\/(\d+(?:\.\d+){0,3})/.exec(userAgent);
  return {
    os: windows ? 'windows' : mac ? 'macos' : linux ? 'linux' : 'other',
    osVersion: windows?.[1] ?? mac?.[1]?.replace(/_/g, '.') ?? '',
    shell: electron ? 'electron' : chromium ? 'chromium' : 'other',
    shellVersion: electron?.[1] ?? chromium?.[1] ?? '',
  };
}
