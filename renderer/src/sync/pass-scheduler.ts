/**
 * When the engine's passes run: one at a time; a request during a pass runs one more pass after it (forced if
 * any request was); after a pass, the next is timed by `nextWakeDelay` (the earliest due row, or the offline
 * back-off). And how a pass works its items: oldest first, at most `concurrency` at once.
 */

interface PassScheduler {
  /** Runs a pass now, or — during one — once more after it; resolves when the pass it joined has ended. */
  run(force: boolean): Promise<void>;
  /** Runs a pass now and, if one was running, the pass queued after it too (syncNow). */
  runNowAndWait(force: boolean): Promise<void>;
  /** Times the next pass (replacing a timed one); nothing while stopped. */
  schedule(delayMs: number): void;
  /** True while a pass runs. */
  busy(): boolean;
  /** Lets passes be timed again (start()). */
  open(): void;
  /** No more passes are timed or queued (at once); resolves once the running pass has ended (stop()). */
  close(): Promise<void>;
}

interface PassSchedulerOptions {
  /** One pass; its own errors are its business (a rejection only ends this pass). */
  readonly pass: (force: boolean) => Promise<void>;
  /** The delay before the next timed pass, asked after each pass. */
  readonly nextWakeDelay: () => Promise<number>;
  /** Used when nextWakeDelay fails. */
  readonly fallbackDelayMs: number;
}

export function createPassScheduler(options: PassSchedulerOptions): PassScheduler {
  /** Between open() and close() (the engine's start and stop). */
  let open = false;
  /** During close(): the running pass ends, nothing new is timed or queued. */
  let closing = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let currentPass: Promise<void> | undefined;
  let passQueued: { force: boolean } | undefined;

  function schedule(delayMs: number): void {
    if (!open || closing) return;
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      void run(false);
    }, delayMs);
  }

  function run(force: boolean): Promise<void> {
    if (currentPass) {
      passQueued = { force: force || (passQueued?.force ?? false) };
      return currentPass;
    }
    const pass = options.pass(force).catch(() => undefined);
    currentPass = pass.finally(async () => {
      currentPass = undefined;
      const queued = passQueued;
      passQueued = undefined;
      if (queued && !closing) await run(queued.force);
      else if (open && !closing) schedule(await options.nextWakeDelay().catch(() => options.fallbackDelayMs));
    });
    return currentPass;
  }

  return {
    run,
    async runNowAndWait(force: boolean): Promise<void> {
      if (currentPass !== undefined) {
        await run(force);
        // run() returned the running pass; wait for the queued forced one too.
        while (currentPass !== undefined) await currentPass;
        return;
      }
      await run(force);
    },
    schedule,
    busy: () => currentPass !== undefined,
    open(): void {
      open = true;
    },
    // The flags are set before the first await: the caller aborts the pass's requests right after calling.
    async close(): Promise<void> {
      closing = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      passQueued = undefined;
      await currentPass?.catch(() => undefined);
      open = false;
      closing = false;
    },
  };
}

/**
 * Works due items with at most `concurrency` attempts at once: `nextDue` (given the items already taken in
 * this pass) picks the next, a slot that frees up takes another; stops taking new ones once `halt` says so.
 */
export async function runConcurrently<T>(concurrency: number, nextDue: (taken: ReadonlySet<string>) => Promise<T | undefined>, keyOf: (item: T) => string, attempt: (item: T) => Promise<void>, halt: () => boolean): Promise<void> {
  const taken = new Set<string>();
  const inFlight = new Set<Promise<void>>();
  for (;;) {
    while (inFlight.size < concurrency && !halt()) {
      const item = await nextDue(taken);
      if (item === undefined) break;
      taken.add(keyOf(item));
      const running: Promise<void> = attempt(item).finally(() => inFlight.delete(running));
      inFlight.add(running);
    }
    if (inFlight.size === 0) return;
    await Promise.race(inFlight);
  }
}
