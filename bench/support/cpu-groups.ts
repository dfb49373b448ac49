/**
 * CPU time per group of processes over a phase of a bench, from /proc: which part of the machine did the work
 * (the centrals, their signature-check threads, PostgreSQL, the S3 gateway, HAProxy, the bench's own client) and
 * how much of the machine's busy time went to none of them (other work on a shared machine).
 *
 * A group is a set of root pids found at each snapshot; its CPU is the roots' and all their live descendants'
 * user + system time, plus the roots' reaped children (cutime + cstime): a PostgreSQL backend that exits during
 * the phase is counted through its postmaster. Threads can be picked out of a group by name (`comm`): Node names
 * an unnamed worker thread `WorkerThread`, and the central's only workers are its signature checks
 * (central/src/signatures/pool.ts).
 */
import { readdir, readFile } from 'node:fs/promises';
import { statCpuMs } from './central-driver';

/** Clock ticks per second of /proc/stat's counters (USER_HZ). */
const ticksPerSecond = 100;

interface ProcInfo {
  readonly ppid: number;
  /** utime + stime, ms. */
  readonly ownMs: number;
  /** cutime + cstime (reaped children), ms. */
  readonly childrenMs: number;
}

async function readProcs(): Promise<Map<number, ProcInfo>> {
  const procs = new Map<number, ProcInfo>();
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = await readFile(`/proc/${name}/stat`, 'utf8').catch(() => '');
    if (!stat) continue;
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    procs.set(Number(name), {
      ppid: Number(fields[1]),
      ownMs: statCpuMs(stat),
      childrenMs: ((Number(fields[13]) + Number(fields[14])) * 1000) / ticksPerSecond,
    });
  }
  return procs;
}

/** Busy CPU time of the whole machine (all CPUs, everything but idle and iowait), ms. */
async function machineBusyMs(): Promise<number> {
  const line = (await readFile('/proc/stat', 'utf8')).split('\n').find((l) => l.startsWith('cpu ')) ?? '';
  // user nice system idle iowait irq softirq steal: idle and iowait are the machine waiting.
  const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
  const busy = (user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0);
  return (busy * 1000) / ticksPerSecond;
}

/** CPU time (ms) of the threads of `pid` whose name is `threadName`. */
async function threadCpuMs(pid: number, threadName: string): Promise<number> {
  let total = 0;
  for (const tid of await readdir(`/proc/${pid}/task`).catch(() => [] as string[])) {
    const comm = await readFile(`/proc/${pid}/task/${tid}/comm`, 'utf8').catch(() => '');
    if (comm.trim() !== threadName) continue;
    const ms = statCpuMs(await readFile(`/proc/${pid}/task/${tid}/stat`, 'utf8').catch(() => ''));
    if (Number.isFinite(ms)) total += ms;
  }
  return total;
}

export interface CpuGroup {
  readonly name: string;
  /** The group's root processes now (looked up at each snapshot: pids change between phases). */
  readonly roots: () => Promise<readonly number[]>;
  /** Count only these threads of the roots (by `comm`, which Linux cuts to 15 characters), not their processes. */
  readonly threadName?: string;
  /** Only the roots themselves, not their descendants (the bench driver, whose children are other groups). */
  readonly rootsOnly?: boolean;
}

export type CpuSnapshot = { readonly atMs: number; readonly machineMs: number; readonly groups: Readonly<Record<string, number>> };

export async function cpuSnapshot(groups: readonly CpuGroup[]): Promise<CpuSnapshot> {
  const procs = await readProcs();
  const children = new Map<number, number[]>();
  for (const [pid, info] of procs) children.set(info.ppid, [...(children.get(info.ppid) ?? []), pid]);
  const treeMs = (root: number): number => {
    let total = procs.get(root)?.childrenMs ?? 0;
    const stack = [root];
    while (stack.length) {
      const pid = stack.pop() as number;
      total += procs.get(pid)?.ownMs ?? 0;
      stack.push(...(children.get(pid) ?? []));
    }
    return total;
  };
  const out: Record<string, number> = {};
  for (const group of groups) {
    let total = 0;
    for (const root of await group.roots()) {
      if (group.threadName) total += await threadCpuMs(root, group.threadName);
      else if (group.rootsOnly) total += procs.get(root)?.ownMs ?? 0;
      else total += treeMs(root);
    }
    out[group.name] = total;
  }
  return { atMs: performance.now(), machineMs: await machineBusyMs(), groups: out };
}

/** One phase's CPU: seconds per group, the machine's busy seconds, and what none of the groups account for. */
export interface CpuShares {
  readonly wallS: number;
  /** CPU seconds per group (a thread group is part of its process group, not added to it). */
  readonly groupsS: Record<string, number>;
  readonly machineBusyS: number;
  /** Machine busy time outside every process group: other work on this machine. */
  readonly otherS: number;
  /** Busy cores on average over the phase (machine busy ÷ wall). */
  readonly coresBusy: number;
}

/** `threadGroups`: the names of thread groups, shown but not added into the total (they are inside a process group). */
export function cpuShares(before: CpuSnapshot, after: CpuSnapshot, threadGroups: readonly string[]): CpuShares {
  const r = (ms: number): number => Number((ms / 1000).toFixed(2));
  const groupsS: Record<string, number> = {};
  let accounted = 0;
  for (const [name, ms] of Object.entries(after.groups)) {
    const delta = Math.max(0, ms - (before.groups[name] ?? 0));
    groupsS[name] = r(delta);
    if (!threadGroups.includes(name)) accounted += delta;
  }
  const machine = after.machineMs - before.machineMs;
  const wall = after.atMs - before.atMs;
  return { wallS: r(wall), groupsS, machineBusyS: r(machine), otherS: r(Math.max(0, machine - accounted)), coresBusy: Number((machine / wall).toFixed(2)) };
}
