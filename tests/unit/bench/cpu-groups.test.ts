/**
 * The cluster bench's CPU accounting (bench/support/cpu-groups.ts) on real processes: a child that burns CPU is
 * charged to its group (through its parent, as PostgreSQL's backends are to the postmaster), a named worker thread
 * is picked out of its process, and the shares leave thread groups out of the total.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { statCpuMs } from '../../../bench/support/central-driver';
import { cpuShares, cpuSnapshot, type CpuGroup } from '../../../bench/support/cpu-groups';

/** Spins for `ms` of wall time (on a loaded machine it gets less CPU than that, but some). */
const burn = (ms: number): string => `const end = Date.now() + ${ms}; while (Date.now() < end) {}`;

describe('CPU time per process group', () => {
  it('reads utime + stime from a stat line whose command name holds spaces and parentheses', () => {
    const fields = ['S', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '250', '30', '0', '0'];
    expect(statCpuMs(`4242 (odd) name) ${fields.join(' ')}`)).toBe(2800);
    expect(statCpuMs('')).toBeNaN();
  });

  it('charges a grandchild that burns CPU to its root, and a named worker thread to its thread group', async () => {
    // A shell whose child burns: the group is the shell (the root), like a postmaster and its backends.
    const shell = spawn('sh', ['-c', `"${process.execPath}" -e '${burn(2000)}'`], { stdio: 'ignore' });
    const worker = new Worker(`${burn(2000)}`, { eval: true, name: 'cpu-burner' });
    // Listened for now: either may end before the snapshots are taken on a loaded machine.
    const ended = Promise.all([once(shell, 'exit'), once(worker, 'exit')]);
    const groups: CpuGroup[] = [
      { name: 'shell tree', roots: () => Promise.resolve(shell.pid === undefined ? [] : [shell.pid]) },
      { name: 'burner thread', roots: () => Promise.resolve([process.pid]), threadName: 'cpu-burner' },
      { name: 'this process alone', roots: () => Promise.resolve([process.pid]), rootsOnly: true },
    ];
    const before = await cpuSnapshot(groups);
    // Sampled while both still run: the tree is read from live processes, not from what the shell reaped.
    await new Promise((resolve) => setTimeout(resolve, 1200));
    const during = await cpuSnapshot(groups);
    await ended;

    const shares = cpuShares(before, during, ['burner thread']);
    expect(shares.groupsS['shell tree']).toBeGreaterThan(0);
    expect(shares.groupsS['burner thread']).toBeGreaterThan(0);
    // The thread is inside "this process alone": counted there, and left out of the total once.
    expect(shares.groupsS['this process alone']).toBeGreaterThanOrEqual(shares.groupsS['burner thread'] ?? 0);
    expect(shares.machineBusyS).toBeGreaterThan(0);
    expect(shares.otherS).toBeGreaterThanOrEqual(0);
    expect(shares.coresBusy).toBeGreaterThan(0);
  });

  it('shares: thread groups are shown but not added, the rest of the machine is what no group used', () => {
    const before = { atMs: 0, machineMs: 0, groups: { central: 0, threads: 0, postgres: 0 } };
    const after = { atMs: 2000, machineMs: 3000, groups: { central: 1500, threads: 600, postgres: 500 } };
    expect(cpuShares(before, after, ['threads'])).toEqual({
      wallS: 2,
      groupsS: { central: 1.5, threads: 0.6, postgres: 0.5 },
      machineBusyS: 3,
      otherS: 1,
      coresBusy: 1.5,
    });
  });
});
