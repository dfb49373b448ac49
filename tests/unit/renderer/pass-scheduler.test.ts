// The sync engine's pass scheduler (renderer/src/sync/pass-scheduler.ts): one pass at a time, requests during a
// pass folded into one more pass (forced if any was), nothing timed after close(); and the concurrency limit.
import { describe, expect, it } from 'vitest';
import { createPassScheduler, runConcurrently } from '../../../renderer/src/sync/pass-scheduler';

/** A pass the test ends by hand, to see what the scheduler does meanwhile. */
function gatedPasses() {
  const runs: boolean[] = [];
  const gates: (() => void)[] = [];
  const pass = (force: boolean): Promise<void> => {
    runs.push(force);
    return new Promise((resolve) => gates.push(resolve));
  };
  const release = async (): Promise<void> => {
    gates.shift()?.();
    // Let the scheduler's continuation (the queued pass, the timer) run.
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };
  return { runs, pass, release };
}

describe('pass scheduler', () => {
  it('runs one pass at a time and folds the requests made during it into one forced pass after it', async () => {
    const gated = gatedPasses();
    const scheduler = createPassScheduler({ pass: gated.pass, nextWakeDelay: () => Promise.resolve(60_000), fallbackDelayMs: 60_000 });
    const first = scheduler.run(false);
    void scheduler.run(false);
    void scheduler.run(true);
    void scheduler.run(false);
    expect(gated.runs).toEqual([false]);
    expect(scheduler.busy()).toBe(true);
    await gated.release();
    await expect.poll(() => gated.runs).toEqual([false, true]);
    await gated.release();
    await first;
    expect(gated.runs).toEqual([false, true]);
    expect(scheduler.busy()).toBe(false);
  });

  it('syncNow waits for the pass queued behind the running one', async () => {
    const gated = gatedPasses();
    const scheduler = createPassScheduler({ pass: gated.pass, nextWakeDelay: () => Promise.resolve(60_000), fallbackDelayMs: 60_000 });
    void scheduler.run(false);
    let done = false;
    const now = scheduler.runNowAndWait(true).then(() => (done = true));
    await gated.release();
    await expect.poll(() => gated.runs).toEqual([false, true]);
    expect(done).toBe(false);
    await gated.release();
    await now;
    expect(done).toBe(true);
  });

  it('times the next pass after each one while open, and nothing once closed', async () => {
    const runs: number[] = [];
    const scheduler = createPassScheduler({
      pass: () => {
        runs.push(runs.length);
        return Promise.resolve();
      },
      nextWakeDelay: () => Promise.resolve(1),
      fallbackDelayMs: 1,
    });
    scheduler.open();
    scheduler.schedule(0);
    await expect.poll(() => runs.length).toBeGreaterThanOrEqual(3);
    await scheduler.close();
    const after = runs.length;
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(runs.length).toBe(after);
    scheduler.schedule(0);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(runs.length).toBe(after);
  });

  it('works at most `concurrency` items at once, each once, and takes none once halted', async () => {
    const items = ['a', 'b', 'c', 'd', 'e'];
    let running = 0;
    let most = 0;
    const done: string[] = [];
    await runConcurrently(
      2,
      (taken) => Promise.resolve(items.find((i) => !taken.has(i))),
      (i) => i,
      async (i) => {
        running++;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, 5));
        running--;
        done.push(i);
      },
      () => done.includes('c'),
    );
    expect(most).toBe(2);
    expect(new Set(done).size).toBe(done.length);
    expect(done).toContain('c');
    expect(done).not.toContain('e');
  });
});
