/**
 * The link between counter and central: a network namespace for the central and a veth pair to it, so a
 * test can cut the cable (`ip link set … down`) mid-upload and shape the rate (`tc … tbf`). Needs root
 * (CAP_NET_ADMIN) and iproute2; `netnsUnavailableReason()` says why not when it cannot run.
 *
 * Names and the /30 subnet are random per link, so parallel runs (and other helpers' runs) never collide.
 */
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { promisify } from 'node:util';

const run = promisify(execFile);

async function ip(...args: string[]): Promise<string> {
  const { stdout } = await run('ip', args);
  return stdout;
}

export interface NetLink {
  /** The namespace the central runs in (`ip netns exec <name> …`). */
  readonly namespace: string;
  /** The counter-side interface (host namespace): down = the cable is cut. */
  readonly hostInterface: string;
  /** Address of the central's side, reachable from the host. */
  readonly centralAddress: string;
  readonly hostAddress: string;
  /** Command prefix that runs a program inside the namespace. */
  readonly exec: readonly string[];
  isUp(): boolean;
  down(): Promise<void>;
  up(): Promise<void>;
  /** Limits the host → central direction (uploads) to `rateKbit` with a token bucket; undefined removes it. */
  shape(rateKbit: number | undefined): Promise<void>;
  /** The same for the central → host direction (downloads: result files, counter updates). */
  shapeDownstream(rateKbit: number | undefined): Promise<void>;
  /** Bytes the host side has sent through the link (uploads, headers, retransmissions included). */
  txBytes(): Promise<number>;
  destroy(): Promise<void>;
}

/** Why the suite cannot build a link here, or undefined when it can. */
export async function netnsUnavailableReason(): Promise<string | undefined> {
  if (process.platform !== 'linux') return `network namespaces need Linux (this is ${process.platform})`;
  if (process.getuid?.() !== 0) return 'network namespaces need root (CAP_NET_ADMIN); CI runs as root';
  try {
    await run('ip', ['-V']);
  } catch {
    return 'iproute2 (`ip`) is not installed';
  }
  const probe = `mfk-probe-${randomBytes(3).toString('hex')}`;
  try {
    await ip('netns', 'add', probe);
    await ip('netns', 'del', probe);
  } catch (err) {
    return `cannot create a network namespace: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`;
  }
  return undefined;
}

export async function createNetLink(): Promise<NetLink> {
  const tag = randomBytes(3).toString('hex');
  const namespace = `mfk-${tag}`;
  const hostInterface = `mfk${tag}h`;
  const nsInterface = `mfk${tag}n`;
  // A random /30 inside 10.200.0.0/13.
  const a = 200 + randomInt(0, 8);
  const b = randomInt(0, 256);
  const c = randomInt(0, 64) * 4;
  const hostAddress = `10.${a}.${b}.${c + 1}`;
  const centralAddress = `10.${a}.${b}.${c + 2}`;
  const subnet = `10.${a}.${b}.${c}/30`;
  let up = true;

  await ip('netns', 'add', namespace);
  try {
    await ip('link', 'add', hostInterface, 'type', 'veth', 'peer', 'name', nsInterface);
    await ip('link', 'set', nsInterface, 'netns', namespace);
    await ip('addr', 'add', `${hostAddress}/30`, 'dev', hostInterface);
    await ip('link', 'set', hostInterface, 'up');
    await ip('netns', 'exec', namespace, 'ip', 'addr', 'add', `${centralAddress}/30`, 'dev', nsInterface);
    await ip('netns', 'exec', namespace, 'ip', 'link', 'set', nsInterface, 'up');
    await ip('netns', 'exec', namespace, 'ip', 'link', 'set', 'lo', 'up');
    // While the veth is down its connected route is gone, and without this the central's address would follow the
    // default route out of the machine: a sandbox's egress proxy answered those requests "403 resolve_deny" (seen in
    // the cluster campaign, 2026-12-06), which the counter rightly takes as a refusal. A cut cable gives no answer;
    // here the kernel says "no route to host" (EHOSTUNREACH), as the harness always meant.
    await ip('route', 'add', 'unreachable', subnet, 'metric', '4000');
  } catch (err) {
    await ip('route', 'del', 'unreachable', subnet, 'metric', '4000').catch(() => undefined);
    await ip('link', 'del', hostInterface).catch(() => undefined);
    await ip('netns', 'del', namespace).catch(() => undefined);
    throw err;
  }
  liveLinks.set(namespace, subnet);

  return {
    namespace,
    hostInterface,
    centralAddress,
    hostAddress,
    exec: ['ip', 'netns', 'exec', namespace],
    isUp: () => up,
    async down() {
      await ip('link', 'set', hostInterface, 'down');
      up = false;
    },
    async up() {
      await ip('link', 'set', hostInterface, 'up');
      up = true;
    },
    async shape(rateKbit) {
      await run('tc', ['qdisc', 'del', 'dev', hostInterface, 'root']).catch(() => undefined);
      if (rateKbit === undefined) return;
      // burst: a few packets at this rate; latency bounds the queue (a real modem's buffer).
      await run('tc', ['qdisc', 'add', 'dev', hostInterface, 'root', 'tbf', 'rate', `${rateKbit}kbit`, 'burst', '16kb', 'latency', '200ms']);
    },
    async shapeDownstream(rateKbit) {
      await run('ip', ['netns', 'exec', namespace, 'tc', 'qdisc', 'del', 'dev', nsInterface, 'root']).catch(() => undefined);
      if (rateKbit === undefined) return;
      await run('ip', ['netns', 'exec', namespace, 'tc', 'qdisc', 'add', 'dev', nsInterface, 'root', 'tbf', 'rate', `${rateKbit}kbit`, 'burst', '16kb', 'latency', '200ms']);
    },
    async txBytes() {
      const text = await ip('-s', '-j', 'link', 'show', 'dev', hostInterface);
      const parsed = JSON.parse(text) as Array<{ stats64?: { tx?: { bytes?: number } }; stats?: { tx?: { bytes?: number } } }>;
      return parsed[0]?.stats64?.tx?.bytes ?? parsed[0]?.stats?.tx?.bytes ?? 0;
    },
    async destroy() {
      liveLinks.delete(namespace);
      await ip('link', 'del', hostInterface).catch(() => undefined);
      await ip('netns', 'del', namespace).catch(() => undefined);
      await ip('route', 'del', 'unreachable', subnet, 'metric', '4000').catch(() => undefined);
    },
  };
}

/** Namespaces (and their subnet's unreachable route) still present if the test process dies without destroying them: removed on exit. */
const liveLinks = new Map<string, string>();
process.once('exit', () => {
  // Synchronous: 'exit' handlers cannot wait. Deleting the namespace deletes the veth pair with it.
  for (const [namespace, subnet] of liveLinks) {
    for (const args of [['netns', 'del', namespace], ['route', 'del', 'unreachable', subnet, 'metric', '4000']]) {
      try {
        execFileSync('ip', args, { stdio: 'ignore' });
      } catch {
        // already gone
      }
    }
  }
});
