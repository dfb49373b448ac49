import { describe, expect, it } from 'vitest';
import { scheduleOrphanRemoval, type OrphanObjectReport } from '../../central/src/storage/orphans';

const report = (removed: string[]): OrphanObjectReport => ({ removed, referenced: 0, young: 0 });

function until(check: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const poll = (): void => (check() ? resolve() : void setTimeout(poll, 5));
    poll();
  });
}

describe('the orphan-object job schedule (central/src/storage/orphans.ts)', () => {
  it('runs its rounds, logs what a round removed, and goes on after a failed round', async () => {
    const logged: string[] = [];
    let rounds = 0;
    const job = scheduleOrphanRemoval({
      round: () => {
        rounds += 1;
        if (rounds === 1) return Promise.reject(new Error('bucket unreachable'));
        return Promise.resolve(report(['files/ab/cd']));
      },
      log: { info: (_obj, msg) => logged.push(`info ${msg}`), warn: (_obj, msg) => logged.push(`warn ${msg}`) },
      firstDelayMs: 0,
      intervalMs: 10,
    });
    await until(() => rounds >= 3);
    await job.stop();
    const after = rounds;
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(rounds, 'no round after stop()').toBe(after);
    expect(logged[0]).toBe('warn orphan object removal failed');
    expect(logged).toContain('info orphan objects removed');
  });

  it('with an election, a round another instance holds is skipped without running here', async () => {
    let rounds = 0;
    let elections = 0;
    const job = scheduleOrphanRemoval({
      round: () => {
        rounds += 1;
        return Promise.resolve(report([]));
      },
      elect: () => {
        elections += 1;
        return Promise.resolve({ ran: false as const });
      },
      log: { info: () => undefined, warn: () => undefined },
      firstDelayMs: 0,
      intervalMs: 10,
    });
    await until(() => elections >= 2);
    await job.stop();
    expect(rounds).toBe(0);
  });
});
