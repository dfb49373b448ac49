/**
 * A fault campaign: the counter (Chromium) sends a growing backlog of signed dossiers to the central (in its
 * network namespace) while faults are injected one after another, picked with seeded randomness; then the
 * faults stop, the counter is given a bound to finish on its own, and the checker looks at both sides.
 */
import { mkdtemp, rm, statfs } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { getTestPki } from '../../support/pki';
import { enrollTestDevice } from '../../support/central-process';
import { clusterInstanceNames } from '../../cluster/support/stack';
import { startFaultCentral, type FaultCentral } from './central';
import { checkDatabase, checkThroughApi, type CheckReport } from './checker';
import { startFaultCluster, type FaultCluster } from './cluster';
import { buildCounterPage, counterPageDist, startFaultCounter, type EngineSettings, type FaultCounterBrowser, type StartupReport } from './counter';
import { startCounterMain, type CounterMain } from './counter-main';
import { makeFixtureDossier, type FixtureDossier, type FixtureFile } from './fixtures';
import { startGateway, type Gateway, type RequestKind, type WireFault } from './gateway';
import { createNetLink, type NetLink } from './netns';
import { createRng, type Rng } from './rng';
import { pathFor } from '../../../shared/sync/api-contract';

const faultKinds = [
  'counter-kill-upload',
  'counter-kill-commit',
  'counter-database-lost',
  'central-kill-upload',
  'central-kill-commit',
  'link-down-upload',
  'disk-full',
  'http-500',
  'http-503',
  'stall-reset',
  'stall-forward',
  'answer-lost',
  'central-commit-500',
  'central-commit-lost-ack',
  'central-patch-500',
  'duplicate-commit',
  'duplicate-patch',
  'replay-commit-late',
  'replay-patch-late',
  // The cluster's own (issue 19 item 5): listed last so a single-central plan draws exactly as before.
  'instance-kill-upload',
  'instance-kill-commit',
  'instance-database-cut',
  'storage-down-upload',
] as const;
export type FaultKind = (typeof faultKinds)[number];

/** Fault kinds that exist only with a cluster behind the balancer. */
const clusterOnlyKinds: readonly FaultKind[] = ['instance-kill-upload', 'instance-kill-commit', 'instance-database-cut', 'storage-down-upload'];
/** Single-central kinds with no meaning in the cluster, and why (printed by the cluster run). */
const skippedInCluster: Partial<Record<FaultKind, string>> = {
  'disk-full':
    "no disk of the central's to fill: stored files and uploads in progress live in the S3 bucket (Ceph RGW). Storage refusing writes is covered by 'storage-down-upload' (radosgw killed mid-upload, restarted)",
};

/** The kinds a campaign of this mode draws from, in the order of `faultKinds`. */
export function faultKindsFor(mode: 'single' | 'cluster'): FaultKind[] {
  return faultKinds.filter((k) => (mode === 'cluster' ? skippedInCluster[k] === undefined : !clusterOnlyKinds.includes(k)));
}

/** Relative frequency after the first round (which injects every kind once, in shuffled order). */
const weights: Record<FaultKind, number> = {
  'counter-kill-upload': 6,
  'counter-kill-commit': 5,
  // Rare, as it is in Chromium (about once in 200 kills); every run meets it at least once in its first round.
  'counter-database-lost': 1,
  'central-kill-upload': 4,
  'central-kill-commit': 4,
  'link-down-upload': 6,
  'disk-full': 3,
  'http-500': 6,
  'http-503': 6,
  'stall-reset': 4,
  'stall-forward': 3,
  'answer-lost': 5,
  'central-commit-500': 2,
  'central-commit-lost-ack': 3,
  'central-patch-500': 2,
  'duplicate-commit': 4,
  'duplicate-patch': 3,
  'replay-commit-late': 4,
  'replay-patch-late': 3,
  'instance-kill-upload': 5,
  'instance-kill-commit': 5,
  'instance-database-cut': 2,
  'storage-down-upload': 2,
};

export interface CampaignOptions {
  readonly seed: number;
  /** Faults to inject (counted only when they really fired). */
  readonly faults: number;
  /** Largest number of dossiers to accept; the backlog grows as needed up to this. */
  readonly maxDossiers: number;
  /** Keep at least this many dossiers waiting while faults are injected. */
  readonly backlog: number;
  /** Padding of each dossier's large component, bytes [min, max]. */
  readonly largeBytes: readonly [number, number];
  /** After the faults stop, how long the counter has to get everything acknowledged. */
  readonly settleBoundMs: number;
  readonly tmpfsMb: number;
  /** Inject only these kinds (to chase one problem); default all. */
  readonly only?: readonly FaultKind[];
  readonly log?: (line: string) => void;
  /** One line per fault (kind, fired or not, seconds). */
  readonly verbose?: boolean;
  /**
   * Aim at the cluster instead of one central: HAProxy and three centrals on the Ceph RGW and PostgreSQL that
   * tests/cluster/run.sh brought up; `dir` is its directory. `tmpfsMb` is then unused.
   */
  readonly cluster?: { readonly dir: string };
}

export interface CampaignResult {
  readonly seed: number;
  readonly mode: 'single' | 'cluster';
  /** Cluster: instance kills, and how many of them hit the instance that held the counter's request right then. */
  readonly instanceKills: { readonly total: number; readonly onBusyInstance: number };
  /** Cluster: the PostgreSQL nodes the database half of the checker read. */
  readonly databaseNodes: readonly string[];
  readonly injected: Readonly<Record<FaultKind, number>>;
  readonly totalInjected: number;
  /** Armed but never met a matching request within the wait (not counted). */
  readonly notFired: number;
  /** The central exited by itself (not killed by us): how often, and the tail of its output. */
  readonly centralCrashes: string[];
  readonly counterCrashes: number;
  /** Moments the counter's database held fewer dossiers than it had before, unnoticed by its ledger (a failure). */
  readonly counterShrinks: string[];
  /**
   * Database resets the counter's ledger noticed at start (Chromium handing it an empty IndexedDB), each with
   * what main's spool put back. Not a failure by itself: the checker still requires every dossier at the central.
   */
  readonly counterResets: string[];
  /** Copies main's spool still held after everything was acknowledged and reconciled (personal data kept). */
  readonly spoolLeft: string[];
  /** Set when the faults stopped early because the counter sent nothing any more. */
  readonly stalled?: string;
  readonly replays: ReadonlyArray<{ kind: RequestKind; status: number | 'error' }>;
  readonly requests: Readonly<Record<RequestKind, number>>;
  readonly centralErrors: Readonly<Record<RequestKind, number>>;
  /** Upload HEADs and PATCHes the central answered 404 (a gone upload), each with its time and instance. */
  readonly uploadsNotFound: readonly string[];
  readonly report: CheckReport;
  readonly durationMs: number;
  readonly settleMs: number;
}

const engineSettings: EngineSettings = {
  uploadChunkSize: 128 * 1024,
  backoffBaseMs: 100,
  backoffMaxMs: 2_000,
  pollIntervalMs: 1_000,
  probeTimeoutMs: 2_000,
  requestTimeoutMs: 4_000,
};

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Waits up to `ms` for `promise`; undefined on timeout. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function shuffled<T>(items: readonly T[], rng: Rng): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

export async function runCampaign(opts: CampaignOptions): Promise<CampaignResult> {
  const started = Date.now();
  const log = opts.log ?? ((line: string) => console.log(line));
  const rng = createRng(opts.seed);
  const pki = await getTestPki();
  const work = await mkdtemp(path.join(os.tmpdir(), 'motcua-fault-'));
  const fixturesDir = path.join(work, 'fixtures');

  let link: NetLink | undefined;
  let single: FaultCentral | undefined;
  let cluster: FaultCluster | undefined;
  let gateway: Gateway | undefined;
  let counter: FaultCounterBrowser | undefined;
  let credential: string;
  try {
    await buildCounterPage();
    link = await createNetLink();
    const counterMain = startCounterMain(path.join(work, 'counter-main'));
    let central: CentralSide;
    if (opts.cluster) {
      // The gateway first: the centrals' public URL (tus Locations) is the counter's view of the cluster.
      gateway = await startGateway({ upstream: 'http://127.0.0.1:1', statics: { '/counter/': counterPageDist, '/fixtures/': fixturesDir }, ipc: (req, res) => counterMain.handle(req, res) });
      cluster = await startFaultCluster({ link, publicUrl: gateway.url, dir: opts.cluster.dir });
      gateway.setUpstream(cluster.url);
      central = clusterSide(cluster, rng);
      for (const kind of faultKinds) {
        const reason = skippedInCluster[kind];
        if (reason) log(`fault kind ${kind} skipped in the cluster: ${reason}`);
      }
    } else {
      single = await startFaultCentral({ link, tmpfsMb: opts.tmpfsMb });
      gateway = await startGateway({ upstream: single.url, statics: { '/counter/': counterPageDist, '/fixtures/': fixturesDir }, ipc: (req, res) => counterMain.handle(req, res) });
      central = singleSide(single);
    }
    // The counter enrolls once, as an installer would; its credential rides on every call through the gateway.
    const device = await enrollTestDevice({ url: central.directUrl, adminToken: central.adminToken });
    credential = device.credential;
    counter = await startFaultCounter({ origin: gateway.url, engine: { ...engineSettings, credential } });
    log(`fault campaign: seed ${opts.seed}, ${opts.faults} faults, ${central.describe()}, link netns ${link.namespace}, counter via ${gateway.url}`);
    return await campaign(opts, rng, { link, central, cluster, gateway, counter, counterMain, fixturesDir, trustAnchorsDer: [pki.rootDer], log, started, credential });
  } finally {
    await counter?.close();
    await gateway?.close();
    await single?.stop();
    await cluster?.stop();
    await link?.destroy();
    await rm(work, { recursive: true, force: true });
  }
}

/** What the campaign does to "the central", one process or the cluster as a whole. */
interface CentralSide {
  readonly mode: 'single' | 'cluster';
  /** Where the harness itself calls (enrollment, the checker), never through the faulty link. */
  readonly directUrl: string;
  readonly adminToken: string;
  describe(): string;
  running(): boolean;
  /** The output of what is not running (a crash report). */
  crashOutput(): string;
  /** The whole central down: the process, or every instance. */
  killWhole(): Promise<void>;
  /** Everything that is not running started again (on its port, with its data). */
  restartDown(): Promise<void>;
  fillDisk(): Promise<void>;
  freeDisk(): Promise<void>;
  /** Where to arm a central-side fault (`faultControlPath`): the process, or one instance picked at random. */
  faultControlBase(): string;
  /** For the "stalled" message: the state of the central's storage. */
  storageNote(): Promise<string>;
  /** The database half of the checker (after the API half); stops a single central first. */
  checkDatabase(accepted: ReadonlyMap<string, readonly FixtureFile[]>, report: CheckReport): Promise<{ report: CheckReport; nodes: string[] }>;
}

function singleSide(central: FaultCentral): CentralSide {
  return {
    mode: 'single',
    get directUrl() {
      return central.url;
    },
    adminToken: central.adminToken,
    describe: () => `central ${central.url} in the link's namespace`,
    running: () => central.running(),
    crashOutput: () => central.output().slice(-1500),
    killWhole: () => central.kill('SIGKILL'),
    restartDown: () => central.restart(),
    fillDisk: () => central.fillDisk(),
    freeDisk: () => central.freeDisk(),
    faultControlBase: () => central.url,
    async storageNote() {
      const { bavail, bsize } = await statfs(central.dataDir);
      return `the central's data disk has ${Math.round((bavail * bsize) / 1024 / 1024)} MB free`;
    },
    async checkDatabase(accepted, report) {
      await central.kill('SIGTERM');
      return { report: await checkDatabase(central.dataDir, accepted, report), nodes: ['PGlite'] };
    },
  };
}

function clusterSide(cluster: FaultCluster, rng: Rng): CentralSide {
  return {
    mode: 'cluster',
    directUrl: cluster.directUrl,
    adminToken: cluster.adminToken,
    describe: () => `HAProxy ${cluster.url} (inside the link's namespace; ${cluster.directUrl} on loopback) → c1, c2, c3 in cluster mode, database ${cluster.database}, buckets ${cluster.buckets.filesBucket}/${cluster.buckets.uploadsBucket}`,
    running: () => cluster.running(),
    crashOutput: () => cluster.down().map((name) => `${name}: ${cluster.output(name).slice(-1500)}`).join('\n'),
    killWhole: () => cluster.killAll(),
    restartDown: () => cluster.restartDown(),
    fillDisk: () => Promise.reject(new Error(`disk-full in the cluster: ${skippedInCluster['disk-full']}`)),
    freeDisk: () => Promise.resolve(),
    faultControlBase: () => cluster.instance(rng.pick(cluster.up().length ? cluster.up() : clusterInstanceNames)).url,
    storageNote: () => Promise.resolve(`instances down: ${cluster.down().join(', ') || 'none'}`),
    checkDatabase: (accepted, report) => cluster.checkDatabases(accepted, report),
  };
}

interface World {
  readonly link: NetLink;
  readonly central: CentralSide;
  /** Set in cluster mode: the instance, database and storage faults. */
  readonly cluster: FaultCluster | undefined;
  readonly gateway: Gateway;
  readonly counter: FaultCounterBrowser;
  readonly counterMain: CounterMain;
  readonly fixturesDir: string;
  readonly trustAnchorsDer: readonly Uint8Array[];
  readonly log: (line: string) => void;
  readonly started: number;
  readonly credential: string;
}

async function campaign(opts: CampaignOptions, rng: Rng, w: World): Promise<CampaignResult> {
  const { link, central, cluster, gateway, counter, log } = w;
  const instanceKills = { total: 0, onBusyInstance: 0 };
  const injected = Object.fromEntries(faultKinds.map((k) => [k, 0])) as Record<FaultKind, number>;
  const centralCrashes: string[] = [];
  let counterCrashes = 0;
  const counterShrinks: string[] = [];
  const counterResets: string[] = [];
  let counterHeldMost = 0;
  let startupSeen: StartupReport | undefined;
  // Set by the 'counter-database-lost' fault: the next reset the ledger notices is ours, not Chromium's.
  let wipeInjected = false;
  // After every fault: the counter's database never holds fewer dossiers than it did (a reset shows at once),
  // unless its ledger noticed the reset at start — then main's spool must have put back the unsent ones.
  const watchCounterDatabase = async (after: string): Promise<void> => {
    const startup = counter.alive() ? counter.startup() : undefined;
    const held = counter.alive() ? (await counter.dossierIds().catch(() => undefined))?.length : undefined;
    if (held === undefined) return;
    const fresh = startup !== undefined && startup !== startupSeen;
    startupSeen = startup;
    if (fresh && (startup.verdict === 'replaced' || startup.verdict === 'shrank')) {
      const cause = wipeInjected ? 'injected' : 'by Chromium';
      const line = `after ${after} (${cause}): ledger verdict ${startup.verdict} (held up to ${startup.dossiersHeldMost}, found ${startup.dossiersHeld}); restored from main's spool ${startup.restored}, damaged ${startup.damaged}, unconfirmed ${startup.unconfirmed}; now ${held}`;
      counterResets.push(line);
      log(`  COUNTER DATABASE RESET ${line}`);
      if (!wipeInjected) for (const evidence of await counter.forensics().catch((err: unknown) => [`forensics failed: ${String(err)}`])) log(`    ${evidence}`);
      wipeInjected = false;
      counterHeldMost = held;
      return;
    }
    if (held < counterHeldMost) {
      counterShrinks.push(`after ${after}: ${counterHeldMost} → ${held} dossiers`);
      log(`  COUNTER DATABASE SHRANK (unnoticed by its ledger) after ${after}: held ${counterHeldMost}, now ${held}`);
    }
    counterHeldMost = Math.max(counterHeldMost, held);
  };
  let notFired = 0;

  // ---- dossiers: made in the background, accepted by the counter to keep a backlog ----
  // Its own stream: fixtures are made in the background, and must not shift the fault plan's draws.
  const fixtureRng = createRng(opts.seed ^ 0x5eed);
  const made: FixtureDossier[] = [];
  const accepted = new Map<string, readonly FixtureFile[]>();
  const allFiles = new Map<string, readonly FixtureFile[]>();
  const toSeed: FixtureDossier[] = [];
  let making: Promise<void> = Promise.resolve();
  const makeMore = (n: number): void => {
    making = making.then(async () => {
      for (let i = 0; i < n && made.length < opts.maxDossiers; i++) {
        const d = await makeFixtureDossier(fixtureRng, { dir: w.fixturesDir, largeBytes: opts.largeBytes });
        made.push(d);
        allFiles.set(d.spec.id, d.files);
        toSeed.push(d);
      }
    });
  };

  const seedWaiting = async (): Promise<void> => {
    if (!counter.alive() || toSeed.length === 0) return;
    const batch = toSeed.splice(0, toSeed.length);
    try {
      const ids = await counter.seed(batch.map((d) => d.spec));
      for (const id of ids) accepted.set(id, allFiles.get(id) ?? []);
    } catch {
      // The counter died mid-seed: whatever it stored is found in its database later; the rest is re-offered.
      toSeed.unshift(...batch.filter((d) => !accepted.has(d.spec.id)));
    }
  };

  const pendingAtCounter = async (): Promise<number> => {
    if (!counter.alive()) return Number.POSITIVE_INFINITY;
    const rows = await counter.outbox().catch(() => []);
    return rows.filter((r) => r.state !== 'acknowledged' && r.state !== 'failed').length;
  };

  const keepBacklog = async (): Promise<void> => {
    const pending = await pendingAtCounter();
    if (pending < opts.backlog && made.length < opts.maxDossiers) makeMore(opts.backlog - pending + 1);
    if (pending < 1) await making;
    await seedWaiting();
  };

  const ensureRunning = async (): Promise<void> => {
    if (!link.isUp()) await link.up();
    await central.freeDisk();
    if (!central.running()) await central.restartDown();
    if (!counter.alive()) await counter.relaunch();
  };

  // ---- injectors: each resolves true when its fault really happened ----
  const waitRequest = (kinds: RequestKind[], phase: 'request' | 'response', action: () => Promise<void> = () => Promise.resolve()): Promise<boolean> =>
    within(gateway.arm(kinds, { type: 'hook', phase, action }), 20_000).then((k) => {
      if (k === undefined) gateway.disarm();
      return k !== undefined;
    });

  const wire = async (kinds: RequestKind[], fault: WireFault): Promise<boolean> => {
    const k = await within(gateway.arm(kinds, fault), 20_000);
    if (k === undefined) gateway.disarm();
    return k !== undefined;
  };

  const centralFault = async (name: 'commit-500' | 'commit-lost-ack' | 'upload-patch-500'): Promise<boolean> => {
    const url = new URL(pathFor('testSetFaults'), central.faultControlBase());
    const put = (count: number): Promise<Response> => fetch(url, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ [name]: count }) });
    await put(1);
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      await sleep(100);
      const left = (await (await fetch(url)).json()) as Record<string, number>;
      if (!left[name]) return true;
    }
    await put(0);
    return false;
  };

  const restartCentralSoon = async (): Promise<void> => {
    await sleep(rng.int(200, 1_500));
    await central.restartDown();
  };

  const needCluster = (): FaultCluster => {
    if (!cluster) throw new Error('a cluster fault kind in a single-central campaign');
    return cluster;
  };

  /**
   * One instance SIGKILLed while the counter's `kinds` request is on it when possible: the gateway lets the request
   * through, HAProxy's session counts say which instance holds it. None busy (already answered): a running one at
   * random. The others keep serving; the killed one comes back 1–8 s later, on its port, in the background (the
   * next faults go on meanwhile), and HAProxy takes it in again once its readiness answers.
   */
  const killOneInstance = async (kinds: RequestKind[], delayMs: number): Promise<boolean> => {
    const c = needCluster();
    const running = c.up();
    if (running.length === 0) return false;
    if (!(await waitRequest(kinds, 'request'))) return false;
    const busy = await c.busyInstance(300);
    await sleep(delayMs);
    const victim = busy ?? rng.pick(running);
    await c.killInstance(victim);
    instanceKills.total++;
    if (busy) instanceKills.onBusyInstance++;
    c.restartLater(victim, rng.int(1_000, 8_000));
    return true;
  };

  const inject = async (kind: FaultKind): Promise<boolean> => {
    switch (kind) {
      case 'counter-kill-upload': {
        if (!(await waitRequest(['patch'], 'request'))) return false;
        await sleep(rng.int(0, 150));
        await counter.kill();
        await sleep(rng.int(100, 800));
        await counter.relaunch();
        return true;
      }
      case 'counter-database-lost': {
        // What Chromium now and then does after a crash (docs/fault-injection.md): the origin's IndexedDB is
        // gone at the next start. Mid-upload, so dossiers are waiting and main's spool must bring them back.
        if (!(await waitRequest(['patch'], 'request'))) return false;
        await counter.kill();
        await counter.deleteDatabase();
        wipeInjected = true;
        await counter.relaunch();
        return true;
      }
      case 'counter-kill-commit': {
        // Either as the commit leaves, or after the central answered and before the answer arrives.
        const phase = rng.next() < 0.5 ? 'request' : 'response';
        if (!(await waitRequest(['commit'], phase, phase === 'response' ? () => counter.kill() : undefined))) return false;
        if (phase === 'request') await counter.kill();
        await sleep(rng.int(100, 800));
        await counter.relaunch();
        return true;
      }
      case 'central-kill-upload': {
        if (!(await waitRequest(['patch'], 'request'))) return false;
        await sleep(rng.int(0, 150));
        await central.killWhole();
        await restartCentralSoon();
        return true;
      }
      case 'central-kill-commit': {
        if (!(await waitRequest(['commit'], 'request'))) return false;
        // The commit verifies signatures and writes files and rows: a few ms in, it is somewhere inside.
        await sleep(rng.int(0, 40));
        await central.killWhole();
        await restartCentralSoon();
        return true;
      }
      case 'link-down-upload': {
        if (!(await waitRequest(['patch'], 'request'))) return false;
        await sleep(rng.int(0, 150));
        await link.down();
        await sleep(rng.int(1_000, 4_000));
        await link.up();
        return true;
      }
      case 'disk-full': {
        await central.fillDisk();
        const hit = await waitRequest(['patch', 'create', 'commit'], 'response');
        await sleep(rng.int(500, 2_000));
        await central.freeDisk();
        if (!central.running()) {
          centralCrashes.push(`exited on a full disk: ${central.crashOutput()}`);
          await central.restartDown();
        }
        return hit;
      }
      case 'http-500':
      case 'http-503':
        return wire([rng.pick(['patch', 'patch', 'commit', 'create', 'head', 'probe'] as const)], { type: 'status', status: kind === 'http-500' ? 500 : 503 });
      case 'stall-reset':
        return wire([rng.pick(['patch', 'commit', 'create', 'probe'] as const)], { type: 'stall-reset', ms: rng.int(500, 3_000) });
      case 'stall-forward':
        // Sometimes longer than the engine's request timeout: the commit then lands after the counter gave up.
        return wire([rng.pick(['patch', 'commit'] as const)], { type: 'stall-forward', ms: rng.int(500, engineSettings.requestTimeoutMs + 2_000) });
      case 'answer-lost':
        return wire([rng.pick(['patch', 'commit', 'create'] as const)], { type: 'answer-lost' });
      case 'central-commit-500':
        return centralFault('commit-500');
      case 'central-commit-lost-ack':
        return centralFault('commit-lost-ack');
      case 'central-patch-500':
        return centralFault('upload-patch-500');
      case 'duplicate-commit':
        return wire(['commit'], { type: 'duplicate' });
      case 'duplicate-patch':
        return wire(['patch'], { type: 'duplicate' });
      case 'replay-commit-late':
        return wire(['commit'], { type: 'replay-late', ms: rng.int(500, 5_000) });
      case 'replay-patch-late':
        return wire(['patch'], { type: 'replay-late', ms: rng.int(500, 5_000) });
      case 'instance-kill-upload':
        return killOneInstance(['patch'], rng.int(0, 150));
      case 'instance-kill-commit':
        // The commit verifies signatures, streams the files to S3 and writes rows: a few ms in, it is inside.
        return killOneInstance(['commit'], rng.int(0, 40));
      case 'instance-database-cut': {
        // One instance loses PostgreSQL (its route in maintenance, sessions closed) while the counter uploads: its
        // readiness fails, HAProxy takes it out, what it held fails over to the others (the shared upload lock).
        const c = needCluster();
        const victim = rng.pick(clusterInstanceNames);
        if (!(await waitRequest(['patch', 'commit'], 'request'))) return false;
        await c.cutDatabase(victim);
        try {
          await sleep(rng.int(1_000, 4_000));
        } finally {
          await c.restoreDatabase(victim);
        }
        return true;
      }
      case 'storage-down-upload': {
        // The S3 gateway gone mid-upload: every instance's readiness fails, HAProxy answers 503 until it is back.
        const c = needCluster();
        if (!(await waitRequest(['patch'], 'request'))) return false;
        await sleep(rng.int(0, 150));
        await c.stopStorage();
        try {
          await sleep(rng.int(500, 3_000));
        } finally {
          await c.startStorage();
        }
        return true;
      }
    }
  };

  // ---- the campaign ----
  makeMore(opts.backlog);
  await making;
  await seedWaiting();
  const kinds = opts.only?.length ? opts.only : faultKindsFor(central.mode);
  const activeWeights = Object.fromEntries(kinds.map((k) => [k, weights[k]])) as Record<FaultKind, number>;
  const plan = shuffled(kinds, rng);
  let total = 0;
  let missedInARow = 0;
  let stalled: string | undefined;
  while (total < opts.faults) {
    await keepBacklog();
    if (made.length >= opts.maxDossiers && toSeed.length === 0 && (await pendingAtCounter()) === 0) {
      log(`  out of dossiers after ${total} faults: all ${opts.maxDossiers} sent (raise the dossier limit)`);
      break;
    }
    const kind = plan.shift() ?? rng.weighted(activeWeights);
    let fired = false;
    const faultStart = Date.now();
    try {
      fired = await inject(kind);
    } catch (err) {
      log(`  ${kind}: harness error ${err instanceof Error ? err.message : String(err)}`);
    }
    // The clock time beside each fault: a finding elsewhere (a 404 the gateway saw, a central's log line) can be placed.
    if (opts.verbose) log(`  #${total + 1} ${kind}: ${fired ? 'fired' : 'never met a request'} (${((Date.now() - faultStart) / 1000).toFixed(1)} s, ended ${new Date().toISOString().slice(11, 23)})`);
    if (fired) {
      injected[kind]++;
      total++;
      missedInARow = 0;
    } else {
      notFired++;
      missedInARow++;
    }
    // Twenty faults in a row that met no request (about 7 minutes): the counter has stopped sending. Say so
    // and let the checker report what is stuck, rather than waiting for ever for a request to hook.
    if (missedInARow >= 20) {
      stalled = `after ${total} faults the counter sent nothing for ${missedInARow} faults in a row (${await central.storageNote()})`;
      log(`  STALLED: ${stalled}`);
      break;
    }
    // Anything that died without being told to is a finding: note it and bring it back.
    if (!central.running()) {
      centralCrashes.push(`after ${kind}: ${central.crashOutput()}`);
    }
    if (!counter.alive() && kind !== 'counter-kill-upload' && kind !== 'counter-kill-commit' && kind !== 'counter-database-lost') counterCrashes++;
    await ensureRunning();
    await watchCounterDatabase(`fault #${total + notFired} ${kind}`);
    if (total % 10 === 0 && fired) log(`  ${total} faults injected (${made.length} dossiers made, ${accepted.size} accepted)`);
    await sleep(rng.int(0, 300));
  }

  // ---- faults stop: the counter must finish on its own within the bound ----
  gateway.disarm();
  await ensureRunning();
  await making;
  await seedWaiting();
  const settleStart = Date.now();
  let outbox = await counter.outbox();
  while (Date.now() - settleStart < opts.settleBoundMs) {
    outbox = await counter.outbox();
    const counterIds = new Set(outbox.map((r) => r.dossierId));
    // After a noticed reset, dossiers the central acknowledged before it are gone from the counter: the checker
    // looks for them at the central.
    const allHeld = counterResets.length > 0 || [...accepted.keys()].every((id) => counterIds.has(id));
    if (toSeed.length === 0 && allHeld && outbox.every((r) => r.state === 'acknowledged' || r.state === 'failed')) break;
    if (!counter.alive()) {
      counterCrashes++;
      await counter.relaunch();
    }
    await sleep(500);
  }
  const settleMs = Date.now() - settleStart;
  await gateway.settle();

  // The counter's own database decides what it accepted, beside the saves that resolved.
  const counterIds = new Set(await counter.dossierIds());
  for (const id of counterIds) if (!accepted.has(id)) accepted.set(id, allFiles.get(id) ?? []);
  const missingAtCounter = [...accepted.keys()].filter((id) => !counterIds.has(id));
  // Main's copies go once the central has the dossiers: one reconcile pass now, then nothing may be left.
  await counter.reconcile().catch((err: unknown) => log(`  reconcile failed: ${String(err)}`));
  // Copies of dossiers not acknowledged are rightly kept (they are stuck, and reported as such).
  const acknowledgedIds = new Set(outbox.filter((r) => r.state === 'acknowledged').map((r) => r.dossierId));
  const spoolLeft = (await w.counterMain.spool.list())
    .filter((e) => e.problem !== undefined || acknowledgedIds.has(e.dossierId))
    .map((e) => `${e.code || e.dossierId} (${e.state}${e.problem ? `, ${e.problem}` : ''})`);
  let report = await checkThroughApi({ accepted, missingAtCounter, resetDetected: counterResets.length > 0, outbox, centralUrl: central.directUrl, credential: w.credential, trustAnchorsDer: w.trustAnchorsDer });
  for (const id of report.stuck.slice(0, 3)) log(`  stuck ${id}:\n    ${(await counter.syncLog(id)).slice(-8).join('\n    ')}`);
  const databaseCheck = await central.checkDatabase(accepted, report);
  report = databaseCheck.report;

  return {
    seed: opts.seed,
    mode: central.mode,
    instanceKills,
    databaseNodes: databaseCheck.nodes,
    injected,
    totalInjected: total,
    notFired,
    centralCrashes,
    counterCrashes,
    counterShrinks,
    counterResets,
    spoolLeft,
    stalled,
    replays: gateway.replays(),
    requests: gateway.counts(),
    centralErrors: gateway.centralErrors(),
    uploadsNotFound: gateway.uploadsNotFound(),
    report,
    durationMs: Date.now() - w.started,
    settleMs,
  };
}

/** The summary a person reads: faults by kind, dossiers, lost, duplicated, stuck. */
export function formatSummary(result: CampaignResult): string {
  const r = result.report;
  const lines = [
    `fault campaign${result.mode === 'cluster' ? ' against the cluster (HAProxy, three centrals, Ceph RGW, PostgreSQL primary + standby)' : ''} — seed ${result.seed} (repeat with MOTCUA_FAULT_SEED=${result.seed})`,
    `faults injected: ${result.totalInjected} (armed but never met a request: ${result.notFired})`,
    ...faultKindsFor(result.mode).map((k) => `  ${k.padEnd(24)} ${result.injected[k]}`),
    ...(result.mode === 'cluster'
      ? [
          ...Object.entries(skippedInCluster).map(([k, why]) => `  ${k.padEnd(24)} skipped: ${why}`),
          `instance kills: ${result.instanceKills.total}, of them on the instance holding the counter's request: ${result.instanceKills.onBusyInstance}; database checked on ${result.databaseNodes.join(', ')}`,
        ]
      : []),
    `requests through the gateway: ${Object.entries(result.requests).map(([k, n]) => `${k} ${n}`).join(', ')}`,
    `5xx answers from the central itself (not injected by the gateway): ${Object.entries(result.centralErrors).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(', ') || 'none'}`,
    `duplicate/late requests sent by the gateway: ${result.replays.length} (answers: ${summarizeStatuses(result.replays.map((x) => `${x.kind} ${x.status}`))})`,
    `dossiers accepted: ${r.dossiers}, acknowledged: ${r.acknowledged}, files checked (SHA-256 + signature): ${r.filesChecked}`,
    `lost: ${r.lost.length} (of them gone from the counter's database but held by the central: ${r.goneFromCounterButAtCentral.length}), duplicated: ${r.duplicated.length}, stuck: ${r.stuck.length}, hash mismatches: ${r.hashMismatches.length}, bad signatures: ${r.badSignatures.length}`,
    `central crashed by itself: ${result.centralCrashes.length}, counter crashed by itself: ${result.counterCrashes}, counter database shrank unnoticed: ${result.counterShrinks.length}${result.counterShrinks.length ? ` (${result.counterShrinks.slice(0, 5).join('; ')})` : ''}`,
    `counter database resets noticed by the ledger: ${result.counterResets.length}${result.counterResets.length ? ` (${result.counterResets.slice(0, 5).join('; ')})` : ''}; main's spool copies left after the acknowledgements: ${result.spoolLeft.length}${result.spoolLeft.length ? ` (${result.spoolLeft.slice(0, 5).join(', ')})` : ''}`,
    `all acknowledged ${(result.settleMs / 1000).toFixed(1)} s after the faults stopped; whole run ${(result.durationMs / 1000).toFixed(0)} s`,
  ];
  if (result.uploadsNotFound.length) lines.push(`upload requests answered 404 by the central: ${result.uploadsNotFound.length}`, ...result.uploadsNotFound.slice(0, 20).map((l) => `  ${l}`));
  if (result.stalled) lines.push(`faults stopped early: ${result.stalled}`);
  if (r.problems.length) lines.push('problems:', ...r.problems.slice(0, 30).map((p) => `  ${p}`));
  for (const crash of result.centralCrashes.slice(0, 3)) lines.push(`central crash: ${crash}`);
  return lines.join('\n');
}

function summarizeStatuses(items: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  return [...counts].map(([k, n]) => `${k}×${n}`).join(', ') || 'none';
}
