/**
 * The fault campaign's cluster (issue 19, item 5): HAProxy and three centrals in cluster mode (S3 on Ceph RGW, the
 * PostgreSQL primary + synchronous standby, the PostgreSQL upload lock), on the infrastructure tests/cluster/run.sh
 * brought up — in place of the one central of `central.ts`.
 *
 * Where the pieces live relative to the network namespace: everything of the cluster (HAProxy, the centrals, Ceph,
 * PostgreSQL) stays in the host namespace on loopback, as in the cluster test; only the balancer's counter-facing
 * address is inside the namespace (HAProxy's `bind … namespace`, one socket opened in it). The gateway reaches that
 * address across the veth pair, so cutting the link cuts the counter from the balancer — in-flight requests stall,
 * new ones find no route — while the centrals keep their database, their bucket and HAProxy's health checks. Putting
 * the centrals in the namespace instead (as the single central is) would have the link cut sever them from
 * PostgreSQL and RGW, which is another fault (`instance-database-cut`, `storage-down-upload` inject those on their own).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import {
  clusterAdminToken,
  createBuckets,
  databaseUrl,
  killGateway,
  ports,
  s3Client,
  startGateway,
  type ClusterBuckets,
  type ClusterCentral,
} from '../../cluster/support/cluster';
import { clusterInstanceNames, startClusterStack, type ClusterInstanceName, type ClusterStack } from '../../cluster/support/stack';
import { checkPostgres, type CheckReport } from './checker';
import type { FixtureFile } from './fixtures';
import type { NetLink } from './netns';

export interface FaultCluster {
  /** The balancer as the counter's gateway reaches it: across the link, inside the namespace. */
  readonly url: string;
  /** The balancer on loopback, for the harness's own calls (enrollment, the checker): never cut. */
  readonly directUrl: string;
  readonly adminToken: string;
  readonly database: string;
  readonly buckets: ClusterBuckets;
  /** True while every instance runs or has its restart scheduled. */
  running(): boolean;
  /** The instances that are neither running nor scheduled to restart (for crash reports). */
  down(): ClusterInstanceName[];
  /** The instances running now. */
  up(): ClusterInstanceName[];
  instance(name: ClusterInstanceName): ClusterCentral;
  killInstance(name: ClusterInstanceName): Promise<void>;
  /**
   * Starts `name` again `afterMs` from now, in the background: the campaign goes on meanwhile, served by the
   * other instances (a real instance takes its time to come back, and the faults do not wait for it).
   */
  restartLater(name: ClusterInstanceName, afterMs: number): void;
  /** Every instance SIGKILLed: the whole central down (scheduled restarts are let finish first). */
  killAll(): Promise<void>;
  /** Waits for the scheduled restarts, then starts every instance still down (in parallel). */
  restartDown(): Promise<void>;
  /**
   * The instance HAProxy has a request in flight on, polled for up to `withinMs` (the request the gateway just let
   * through is on its way); undefined when none shows (the request was already answered).
   */
  busyInstance(withinMs: number): Promise<ClusterInstanceName | undefined>;
  /** One instance cut off PostgreSQL (its own route in maintenance, its sessions closed), and back. */
  cutDatabase(name: ClusterInstanceName): Promise<void>;
  restoreDatabase(name: ClusterInstanceName): Promise<void>;
  /** The S3 gateway (radosgw) SIGKILLed, and started again (resolves with the start's milliseconds). */
  stopStorage(): Promise<void>;
  startStorage(): Promise<number>;
  output(name: ClusterInstanceName): string;
  /** The database half of the checker on every PostgreSQL node that answers (the primary and the standby). */
  checkDatabases(accepted: ReadonlyMap<string, readonly FixtureFile[]>, report: CheckReport): Promise<{ report: CheckReport; nodes: string[] }>;
  stop(): Promise<void>;
}

const superuserUrl = (port: number, database = 'postgres'): string => `postgres://postgres@127.0.0.1:${port}/${database}`;

/** The PostgreSQL nodes that answer now, each with whether it is a standby (in recovery). */
async function pgNodes(): Promise<Array<{ name: string; port: number; standby: boolean }>> {
  const nodes: Array<{ name: string; port: number; standby: boolean }> = [];
  for (const [name, port] of [
    ['pg1', ports.pgPrimary],
    ['pg2', ports.pgStandby],
  ] as const) {
    const client = new pg.Client({ connectionString: superuserUrl(port), connectionTimeoutMillis: 3_000 });
    try {
      await client.connect();
      const { rows } = await client.query<{ standby: boolean }>('SELECT pg_is_in_recovery() AS standby');
      nodes.push({ name, port, standby: rows[0]?.standby === true });
    } catch {
      // stopped (the scenarios' fail-over crashes the first primary for good)
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  return nodes;
}

export interface FaultClusterOptions {
  readonly link: NetLink;
  /** The counters' view of the cluster (the gateway): tus `Location`s point there, so uploads stay on the link. */
  readonly publicUrl: string;
  /** run.sh's directory (HAProxy's configuration and socket). */
  readonly dir: string;
}

export async function startFaultCluster(opts: FaultClusterOptions): Promise<FaultCluster> {
  // A database and buckets of the campaign's own: the scenarios may have run on the same infrastructure first, and
  // the checker counts every row (a stranger is a duplicate).
  const tag = randomBytes(4).toString('hex');
  const database = `motcua_fault_${tag}`;
  const buckets: ClusterBuckets = { filesBucket: `motcua-fault-${tag}-files`, uploadsBucket: `motcua-fault-${tag}-uploads` };
  const primary = (await pgNodes()).find((n) => !n.standby);
  if (!primary) throw new Error('no PostgreSQL primary answers (did tests/cluster/run.sh bring it up?)');
  const admin = new pg.Client({ connectionString: superuserUrl(primary.port) });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${database} OWNER motcua`);
  } finally {
    await admin.end();
  }
  await createBuckets(s3Client(), buckets);

  const stack: ClusterStack = await startClusterStack({
    dir: opts.dir,
    database,
    buckets,
    publicUrl: opts.publicUrl,
    counterLink: { address: opts.link.centralAddress, namespace: opts.link.namespace },
    centralArgs: ['--fault-control'],
  });
  const byName = new Map(clusterInstanceNames.map((name, i) => [name, stack.centrals[i] as ClusterCentral]));
  const instance = (name: ClusterInstanceName): ClusterCentral => {
    const found = byName.get(name);
    if (!found) throw new Error(`no instance ${name}`);
    return found;
  };
  const isRunning = (name: ClusterInstanceName): boolean => instance(name).process.pid !== undefined && alive(instance(name).process.pid as number);
  const scheduled = new Map<ClusterInstanceName, Promise<void>>();
  // A scheduled restart that failed is retried by the next restartDown (the instance is then simply down).
  const awaitScheduled = (): Promise<unknown> => Promise.allSettled([...scheduled.values()]);

  return {
    url: `http://${opts.link.centralAddress}:${ports.balancer}`,
    directUrl: `http://127.0.0.1:${ports.balancer}`,
    adminToken: clusterAdminToken,
    database,
    buckets,
    running: () => clusterInstanceNames.every((name) => isRunning(name) || scheduled.has(name)),
    down: () => clusterInstanceNames.filter((name) => !isRunning(name) && !scheduled.has(name)),
    up: () => clusterInstanceNames.filter(isRunning),
    instance,
    killInstance: (name) => instance(name).process.kill('SIGKILL'),
    restartLater(name, afterMs) {
      const restart = new Promise((resolve) => setTimeout(resolve, afterMs))
        .then(() => instance(name).process.restart())
        .then(() => undefined)
        .finally(() => scheduled.delete(name));
      scheduled.set(name, restart);
      restart.catch(() => undefined);
    },
    async killAll() {
      await awaitScheduled();
      await Promise.all(clusterInstanceNames.map((name) => instance(name).process.kill('SIGKILL')));
    },
    async restartDown() {
      await awaitScheduled();
      await Promise.all(clusterInstanceNames.filter((name) => !isRunning(name)).map((name) => instance(name).process.restart()));
    },
    async busyInstance(withinMs) {
      const deadline = Date.now() + withinMs;
      do {
        const busy = (await stack.haproxy.serverStates()).filter((s) => s.proxy === 'centrals' && s.sessions > 0);
        const name = busy[0]?.server;
        if (name && (clusterInstanceNames as readonly string[]).includes(name)) return name as ClusterInstanceName;
        await new Promise((resolve) => setTimeout(resolve, 10));
      } while (Date.now() < deadline);
      return undefined;
    },
    cutDatabase: (name) => stack.haproxy.cutDatabaseRoute(name),
    restoreDatabase: (name) => stack.haproxy.restoreDatabaseRoute(name),
    stopStorage: () => killGateway(),
    startStorage: () => startGateway(),
    output: (name) => instance(name).process.output(),
    async checkDatabases(accepted, report) {
      const names: string[] = [];
      let checked = report;
      for (const node of await pgNodes()) {
        const name = `${node.name} (${node.standby ? 'standby' : 'primary'})`;
        names.push(name);
        checked = await checkPostgres(name, databaseUrl(node.port, database), accepted, checked);
      }
      return { report: checked, nodes: names };
    },
    async stop() {
      await awaitScheduled();
      await stack.stop();
    },
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
