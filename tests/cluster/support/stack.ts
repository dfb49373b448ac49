/**
 * What the cluster scenarios and the cluster fault campaign both start on top of run.sh's Ceph RGW and PostgreSQL:
 * HAProxy (the counters' balancer and the PostgreSQL routes) and three centrals in cluster mode behind it, each on
 * its own database route, waited for until HAProxy sees them UP.
 */
import path from 'node:path';
import { ports, startClusterCentral, type ClusterBuckets, type ClusterCentral } from './cluster';
import { Haproxy, pgRouteName, type HaproxyLayout } from './haproxy';

export const clusterInstanceNames = ['c1', 'c2', 'c3'] as const;
export type ClusterInstanceName = (typeof clusterInstanceNames)[number];

export interface ClusterStackOptions {
  /** Where haproxy.cfg and its runtime socket go (run.sh's directory). */
  readonly dir: string;
  /** The centrals' database; default `motcua`. */
  readonly database?: string;
  readonly buckets?: ClusterBuckets;
  /** The centrals' `--public-url`; default the balancer. */
  readonly publicUrl?: string;
  /** A second bind of the balancer inside a network namespace (the fault campaign's counter link). */
  readonly counterLink?: HaproxyLayout['counterLink'];
  /** Extra arguments for every central, e.g. `['--fault-control']`. */
  readonly centralArgs?: readonly string[];
}

export interface ClusterStack {
  readonly haproxy: Haproxy;
  /** c1, c2, c3 in order; each keeps its port across restarts (HAProxy knows it by port). */
  readonly centrals: readonly ClusterCentral[];
  /** Milliseconds: HAProxy up with PostgreSQL routed, then the three centrals UP behind it. */
  readonly timings: { readonly haproxyMs: number; readonly threeCentralsMs: number };
  stop(): Promise<void>;
}

export async function startClusterStack(opts: ClusterStackOptions): Promise<ClusterStack> {
  const started = performance.now();
  // HAProxy first: the centrals reach PostgreSQL through it. They are DOWN until they start.
  const haproxy = await Haproxy.start(
    {
      balancerPort: ports.balancer,
      centrals: clusterInstanceNames.map((name, i) => ({ name, port: ports.central(i + 1) })),
      pgNodes: [
        { name: 'pg1', port: ports.pgPrimary, checkPort: ports.pgPrimaryCheck },
        { name: 'pg2', port: ports.pgStandby, checkPort: ports.pgStandbyCheck },
      ],
      pgRoutes: [{ name: 'shared', port: ports.pgShared }, ...clusterInstanceNames.map((name, i) => ({ name, port: ports.pgOwn(i + 1) }))],
      statsSocket: path.join(opts.dir, 'haproxy.sock'),
      ...(opts.counterLink ? { counterLink: opts.counterLink } : {}),
    },
    path.join(opts.dir, 'haproxy.cfg'),
  );
  const centrals: ClusterCentral[] = [];
  try {
    // Whichever node is the primary now (after the scenarios' fail-over it is the former standby) must be UP.
    const deadline = Date.now() + 20_000;
    for (const route of ['shared', ...clusterInstanceNames]) {
      while ((await haproxy.serverStates()).filter((s) => s.proxy === pgRouteName(route) && s.status === 'UP').length !== 1) {
        if (Date.now() > deadline) throw new Error(`haproxy: no single PostgreSQL primary UP on route ${route}: ${JSON.stringify(await haproxy.serverStates())}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    const haproxyMs = Math.round(performance.now() - started);
    const centralsStarted = performance.now();
    for (const [i, name] of clusterInstanceNames.entries()) {
      centrals.push(
        await startClusterCentral({
          name,
          port: ports.central(i + 1),
          pgPort: ports.pgOwn(i + 1),
          ...(opts.database ? { database: opts.database } : {}),
          ...(opts.buckets ? { buckets: opts.buckets } : {}),
          ...(opts.publicUrl ? { publicUrl: opts.publicUrl } : {}),
          ...(opts.centralArgs ? { args: opts.centralArgs } : {}),
        }),
      );
    }
    for (const name of clusterInstanceNames) await haproxy.waitFor('centrals', name, 'UP');
    const threeCentralsMs = Math.round(performance.now() - centralsStarted);
    return {
      haproxy,
      centrals,
      timings: { haproxyMs, threeCentralsMs },
      async stop() {
        for (const central of centrals) await central.process.stop().catch(() => undefined);
        await haproxy.stop();
      },
    };
  } catch (err) {
    for (const central of centrals) await central.process.stop().catch(() => undefined);
    await haproxy.stop();
    throw err;
  }
}
