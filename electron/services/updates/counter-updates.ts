/**
 * The counter's update loop, put together from the host's parts (issue 16, item 5): the configured publisher
 * keys, the device credential, the signing guard (no install under an open signing session) and main's spool
 * of unsent dossiers: while it holds some and their number moved in the last ten minutes (the sync is sending),
 * the download waits — dossiers first. A backlog that does not move (the link is down, or a dossier the central
 * refused) does not hold an update back for ever: the update may be what fixes it. Started only by the Electron
 * shell, which knows how to run the installer and how long the clerk has been idle; the web host has no
 * installer to run, and never starts it.
 */
import path from 'node:path';
import type { HostConfig } from '../config';
import type { DeviceSession } from '../device';
import type { DossierSpool } from '../dossier-spool';
import type { SigningGuard } from '../signing/signing-guard';
import { UpdateClient } from './update-client';
import { UpdateScheduler, type UpdateState } from './update-scheduler';

export interface CounterUpdatesOptions {
  readonly config: HostConfig;
  readonly dataDir: string;
  readonly appVersion: string;
  readonly deviceSession: () => Promise<DeviceSession | null>;
  readonly signing: SigningGuard;
  readonly spool: DossierSpool;
  /** Seconds since the last keyboard or mouse input (Electron's powerMonitor.getSystemIdleTime). */
  readonly idleSeconds: () => number;
  /** Runs the verified installer silently and quits the app. */
  readonly install: (file: string, version: string) => Promise<void>;
  readonly onState?: (state: UpdateState) => void;
}

/** Null when updates are not configured (no publisher key): nothing could be verified, so nothing is fetched. */
export function startCounterUpdates(options: CounterUpdatesOptions): { readonly scheduler: UpdateScheduler; stop(): void } | null {
  const { updates } = options.config;
  if (updates.publisherKeys.length === 0) return null;
  const movingWindowMs = 10 * 60_000;
  let unsent = 0;
  let unsentMovedAt = 0;
  const client = new UpdateClient({
    centralUrl: options.config.centralUrl,
    authorization: async () => {
      const session = await options.deviceSession();
      return session ? `Bearer ${session.credential}` : '';
    },
    currentVersion: options.appVersion,
    publisherKeysPem: updates.publisherKeys,
    downloadDir: path.join(options.dataDir, 'updates'),
  });
  const scheduler = new UpdateScheduler({
    client,
    now: () => Date.now(),
    idleSeconds: options.idleSeconds,
    signingSessionOpen: () => options.signing.openSessions > 0,
    sending: () => unsent > 0 && Date.now() - unsentMovedAt < movingWindowMs,
    install: options.install,
    checkIntervalMs: updates.checkIntervalMinutes * 60_000,
    minIdleMs: updates.installAfterIdleMinutes * 60_000,
    ...(updates.maxKilobytesPerSecond ? { bytesPerSecond: updates.maxKilobytesPerSecond * 1024 } : {}),
    ...(options.onState ? { onState: options.onState } : {}),
  });
  const timer = setInterval(() => {
    void options.spool
      .list()
      .then((listing) => {
        if (listing.length !== unsent) unsentMovedAt = Date.now();
        unsent = listing.length;
      })
      .catch(() => undefined)
      .then(() => scheduler.tick());
  }, 30_000);
  timer.unref();
  return { scheduler, stop: () => clearInterval(timer) };
}
