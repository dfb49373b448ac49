/**
 * Stored objects that no row refers to: the commit stores each file before the transaction that records it
 * (so a crash leaves at most an object without a row, never a row without its object), and a dossier refused
 * after some of its files were stored leaves those. This job removes them once they are older than a day.
 *
 * The day is the guard against removing an object whose row is on its way: a commit stores, then inserts within
 * seconds. A commit that finds its object already there (a write-once hit on an old orphan) refreshes its age
 * (`FileStorage.put`), and each candidate is checked again — age and references — just before it is deleted, so
 * the remaining window is the few milliseconds between that check and the delete. Run it on one instance at a
 * time (the cluster's `runExclusive`), daily or so.
 */
import { contentFolders, type FileStorage, type StoredObject } from './file-storage';

const DEFAULT_ORPHAN_MIN_AGE_MS = 24 * 3600_000;
const BATCH = 500;

export interface OrphanObjectOptions {
  readonly files: FileStorage;
  /** Of `keys`, those a row refers to (`CentralStore.referencedStorageKeys`). */
  readonly referenced: (keys: readonly string[]) => Promise<ReadonlySet<string>>;
  /** Objects younger than this are never removed; default one day. */
  readonly minAgeMs?: number;
  readonly now?: Date;
}

export interface OrphanObjectReport {
  /** Keys removed. */
  readonly removed: string[];
  /** Old enough, and a row refers to them. */
  readonly referenced: number;
  /** Younger than the minimum age: not looked at. */
  readonly young: number;
}

export async function removeOrphanObjects(opts: OrphanObjectOptions): Promise<OrphanObjectReport> {
  const minAgeMs = opts.minAgeMs ?? DEFAULT_ORPHAN_MIN_AGE_MS;
  const now = (opts.now ?? new Date()).getTime();
  const isOld = (obj: StoredObject): boolean => now - obj.lastModified.getTime() >= minAgeMs;
  const report = { removed: [] as string[], referenced: 0, young: 0 };

  const settle = async (batch: StoredObject[]): Promise<void> => {
    if (batch.length === 0) return;
    const keys = batch.map((obj) => obj.key);
    const inUse = await opts.referenced(keys);
    report.referenced += inUse.size;
    const candidates = keys.filter((key) => !inUse.has(key));
    if (candidates.length === 0) return;
    // Checked again just before deleting: a commit may have reused one meanwhile (it refreshes the age, then inserts).
    const stillUnused = await opts.referenced(candidates);
    for (const key of candidates) {
      if (stillUnused.has(key)) {
        report.referenced++;
        continue;
      }
      const current = await opts.files.stat(key);
      if (!current) continue;
      if (!isOld(current)) {
        report.young++;
        continue;
      }
      await opts.files.delete(key);
      report.removed.push(key);
    }
  };

  for (const prefix of contentFolders) {
    let batch: StoredObject[] = [];
    for await (const obj of opts.files.list(prefix)) {
      if (!isOld(obj)) {
        report.young++;
        continue;
      }
      batch.push(obj);
      if (batch.length >= BATCH) {
        await settle(batch);
        batch = [];
      }
    }
    await settle(batch);
  }
  return report;
}

/** How often the orphan job runs, and how long after start-up its first round comes (start-ups are busy enough). */
const ORPHAN_JOB_INTERVAL_MS = 24 * 3600_000;
const ORPHAN_JOB_FIRST_DELAY_MS = 3600_000;

/**
 * Runs `removeOrphanObjects` an hour after start-up and then daily; `elect` (the cluster's `runExclusive`) keeps it
 * to one instance per round. `stop()` waits for a round under way.
 */
export function scheduleOrphanRemoval(opts: {
  readonly round: () => Promise<OrphanObjectReport>;
  readonly elect?: (round: () => Promise<OrphanObjectReport>) => Promise<{ readonly ran: true; readonly value: OrphanObjectReport } | { readonly ran: false }>;
  readonly log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
  readonly firstDelayMs?: number;
  readonly intervalMs?: number;
}): { stop(): Promise<void> } {
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const runRound = (): void => {
    running = running.then(async () => {
      if (stopped) return;
      try {
        const outcome = opts.elect ? await opts.elect(opts.round) : { ran: true as const, value: await opts.round() };
        if (outcome.ran && outcome.value.removed.length > 0) {
          opts.log.info({ removed: outcome.value.removed.length, referenced: outcome.value.referenced }, 'orphan objects removed');
        }
      } catch (err) {
        // The next round tries again; nothing is lost by a skipped round (the objects only take space).
        opts.log.warn({ err }, 'orphan object removal failed');
      }
    });
  };
  let interval: NodeJS.Timeout | undefined;
  const first = setTimeout(() => {
    runRound();
    interval = setInterval(runRound, opts.intervalMs ?? ORPHAN_JOB_INTERVAL_MS);
    interval.unref();
  }, opts.firstDelayMs ?? ORPHAN_JOB_FIRST_DELAY_MS);
  first.unref();
  return {
    async stop() {
      stopped = true;
      clearTimeout(first);
      if (interval) clearInterval(interval);
      await running;
    },
  };
}
