/**
 * HAProxy (Debian's 2.6) in front of the cluster test's centrals and of its PostgreSQL pair: the configuration,
 * the process, and its runtime API (a Unix socket) to read server states and to cut one central off PostgreSQL.
 *
 * Centrals: one HTTP frontend, round-robin with no stickiness (every request may reach any instance — that is
 * what the shared tus lock and S3 uploads must make safe), health-checked on `GET /api/v1/ready` (database and
 * bucket reachable): an instance that lost either stops receiving requests within a second.
 *
 * PostgreSQL: the centrals' `pg` client knows one host, so a TCP route in HAProxy sends their connections to
 * whichever node is the primary now. Production uses Patroni: its REST API answers `GET :8008/primary` with 200 on
 * the leader only, and Patroni's documented HAProxy setup checks exactly that (`option httpchk GET /primary`,
 * `check port 8008`, `on-marked-down shutdown-sessions`). Here there is no Patroni; pg-role-check.ts answers the
 * same question from `pg_is_in_recovery()`, so the route and its check are the production ones and only the
 * promotion (Patroni's job) is done by the test. The standby is a `backup` server: it gets connections only when
 * the primary is down AND its own check says it is now the primary — so HAProxy's optimistic start (servers
 * count as up before their first check) can never send a write to a read-only standby.
 * Each central has its own route (its own port) so that one can be cut off alone; the test's own checks use a
 * shared route.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { connect, createConnection } from 'node:net';
import { stopProcess } from '../../support/stop-process';
import { pathFor } from '../../../shared/sync/api-contract';

interface PgNode {
  /** Server name in HAProxy, e.g. `pg1`. */
  readonly name: string;
  readonly port: number;
  /** Port of its role check (`GET /primary`). */
  readonly checkPort: number;
}

export interface HaproxyLayout {
  /** Where the balancer listens for counters (HTTP). */
  readonly balancerPort: number;
  /** The centrals behind it, by instance name. */
  readonly centrals: readonly { readonly name: string; readonly port: number }[];
  /** The first is the primary at start; the others are standbys (backup servers). */
  readonly pgNodes: readonly PgNode[];
  /** PostgreSQL routes: `shared` for the test itself and extra centrals, one per cluster central by its name. */
  readonly pgRoutes: readonly { readonly name: string; readonly port: number }[];
  /** The runtime API's Unix socket. */
  readonly statsSocket: string;
  /**
   * A second address of the counters' frontend, inside a network namespace (HAProxy's `bind … namespace`): the fault
   * campaign's counters reach the balancer through a veth pair it can cut, while the centrals' own traffic (to
   * PostgreSQL, to the S3 gateway, the health checks) stays on loopback outside it.
   */
  readonly counterLink?: { readonly address: string; readonly namespace: string };
}

/** The route a central's database connections take: `pg_<name>`. */
export const pgRouteName = (name: string): string => `pg_${name}`;

/** The whole haproxy.cfg for `layout` (pure: unit-tested in tests/unit/cluster/haproxy-config.test.ts). */
export function haproxyConfig(layout: HaproxyLayout): string {
  const [primary, ...standbys] = layout.pgNodes;
  if (!primary) throw new Error('haproxyConfig: no PostgreSQL node');
  const lines = [
    'global',
    '  maxconn 4000',
    `  stats socket ${layout.statsSocket} mode 600 level admin`,
    'defaults',
    '  timeout connect 2s',
    '',
    '# Counters → centrals. The ready check takes an instance out when it loses PostgreSQL or the bucket.',
    'frontend counters',
    '  mode http',
    `  bind 127.0.0.1:${layout.balancerPort}`,
    ...(layout.counterLink ? [`  bind ${layout.counterLink.address}:${layout.balancerPort} namespace ${layout.counterLink.namespace}`] : []),
    '  timeout client 300s',
    '  default_backend centrals',
    'backend centrals',
    '  mode http',
    '  balance roundrobin',
    '  timeout server 300s',
    // A connection refused (an instance just killed, not yet marked down) is tried on another: safe, nothing was sent.
    '  retries 2',
    '  option redispatch',
    '  option forwardfor',
    // Which instance answered, for a test's findings (the fault campaign names the instance of a surprising answer).
    '  http-response set-header X-Served-By %[srv_name]',
    `  option httpchk GET ${pathFor('ready')}`,
    '  http-check expect status 200',
    // A check may take up to 2 s: without `timeout check`, `inter` (500 ms) bounds the whole check, and centrals busy
    // with signature checks on 2 cores were all marked down at once (the cluster bench: 2,038 answers 503). A killed
    // instance is still seen at once: its port refuses the connection.
    '  timeout check 2s',
    // At most this many requests in a central at once; the rest wait in HAProxy's queue (up to `timeout queue`)
    // instead of piling into a saturated event loop, where they outlived the central's own header and idle
    // deadlines (2,000 counters at once: 1,057 answers 502).
    '  timeout queue 300s',
    '  default-server inter 500ms fall 2 rise 2 maxconn 64',
    ...layout.centrals.map((c) => `  server ${c.name} 127.0.0.1:${c.port} check`),
  ];
  for (const route of layout.pgRoutes) {
    lines.push(
      '',
      `# PostgreSQL route "${route.name}": to the node whose role check says primary (Patroni's /primary in production).`,
      `listen ${pgRouteName(route.name)}`,
      '  mode tcp',
      `  bind 127.0.0.1:${route.port}`,
      // Idle pooled connections and the tus lock's LISTEN session stay open for the whole run.
      '  timeout client 2h',
      '  timeout server 2h',
      '  option clitcpka',
      '  option srvtcpka',
      '  option httpchk GET /primary',
      '  http-check expect status 200',
      // As for the centrals: a slow answer under load is not a dead node (a false "down" cut every session).
      '  timeout check 2s',
      // A node marked down loses its sessions at once: clients reconnect (to the new primary) instead of hanging.
      '  default-server inter 500ms fall 2 rise 1 on-marked-down shutdown-sessions',
      `  server ${primary.name} 127.0.0.1:${primary.port} check port ${primary.checkPort}`,
      ...standbys.map((s) => `  server ${s.name} 127.0.0.1:${s.port} check port ${s.checkPort} backup`),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** One line of `show stat`: the state HAProxy has for a server (`UP`, `DOWN`, `MAINT`, `UP 1/2`…). */
export interface ServerState {
  readonly proxy: string;
  readonly server: string;
  readonly status: string;
  /** Sessions open on it now (`scur`): requests in flight through it (health checks are not counted). */
  readonly sessions: number;
}

export class Haproxy {
  private constructor(
    private readonly child: ChildProcess,
    readonly layout: HaproxyLayout,
    private readonly log: () => string,
  ) {}

  /** Writes the configuration to `configPath`, starts `haproxy -db` and waits until the balancer accepts. */
  static async start(layout: HaproxyLayout, configPath: string): Promise<Haproxy> {
    await writeFile(configPath, haproxyConfig(layout));
    const child = spawn('haproxy', ['-f', configPath, '-db'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk: Buffer): void => {
      output = (output + chunk.toString('utf8')).slice(-100_000);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const proxy = new Haproxy(child, layout, () => output);
    const deadline = Date.now() + 10_000;
    while (!(await accepts(layout.balancerPort))) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`haproxy did not start:\n${output.slice(-3000)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return proxy;
  }

  output(): string {
    return this.log();
  }

  /** One runtime API command; resolves with its answer. */
  command(text: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = createConnection(this.layout.statsSocket);
      let answer = '';
      socket.on('data', (chunk) => (answer += chunk.toString('utf8')));
      socket.on('end', () => resolve(answer));
      socket.on('error', reject);
      socket.end(`${text}\n`);
    });
  }

  async serverStates(): Promise<ServerState[]> {
    const csv = await this.command('show stat');
    const [header, ...rows] = csv.replace(/^# /, '').trim().split('\n');
    const columns = (header ?? '').split(',');
    const at = (name: string): number => columns.indexOf(name);
    return rows
      .map((row) => row.split(','))
      .filter((cells) => cells[at('svname')] !== 'FRONTEND' && cells[at('svname')] !== 'BACKEND')
      .map((cells) => ({ proxy: cells[at('pxname')] ?? '', server: cells[at('svname')] ?? '', status: cells[at('status')] ?? '', sessions: Number(cells[at('scur')] ?? 0) }));
  }

  async serverStatus(proxy: string, server: string): Promise<string> {
    return (await this.serverStates()).find((s) => s.proxy === proxy && s.server === server)?.status ?? 'absent';
  }

  /** Waits until `proxy/server` reports `status` exactly (`UP`, `DOWN`, `MAINT`); resolves with the time it took. */
  async waitFor(proxy: string, server: string, status: string, timeoutMs = 20_000): Promise<number> {
    const started = performance.now();
    for (;;) {
      const now = await this.serverStatus(proxy, server);
      if (now === status) return Math.round(performance.now() - started);
      if (performance.now() - started > timeoutMs) throw new Error(`haproxy: ${proxy}/${server} is ${now}, not ${status}, after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Cuts one central off PostgreSQL: its route's servers in maintenance (no new connection) and its sessions closed. */
  async cutDatabaseRoute(centralName: string): Promise<void> {
    const route = pgRouteName(centralName);
    for (const node of this.layout.pgNodes) await this.command(`set server ${route}/${node.name} state maint`);
    for (const node of this.layout.pgNodes) await this.command(`shutdown sessions server ${route}/${node.name}`);
  }

  /** Gives the central its route back (the servers' health checks decide again which one is the primary). */
  async restoreDatabaseRoute(centralName: string): Promise<void> {
    const route = pgRouteName(centralName);
    for (const node of this.layout.pgNodes) await this.command(`set server ${route}/${node.name} state ready`);
  }

  async stop(): Promise<void> {
    await stopProcess(this.child, 'haproxy', 'SIGTERM', 5_000);
  }
}

/** Whether something accepts TCP connections on 127.0.0.1:`port`. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
