/**
 * Throughput of the central as a cluster (issue 19, "What it must show"): in ONE run on loopback, simulated
 * counters (bench/support/central-driver.ts, the driver of central-200) send real PAdES-signed PDFs with tus and
 * commit them through HAProxy to
 *   disk — one `motcua central` on `--storage disk` with PostgreSQL (the single-process baseline);
 *   1, 2 and 3 centrals in cluster mode (`--cluster --storage s3 --upload-lock postgres`) on Ceph RGW + PostgreSQL;
 * and then a swarm: `--swarm` counters (2,000 for the issue) each syncing one small dossier at the same moment
 * through the balancer to the 3 centrals.
 *
 * Per mode: anchor (GET /health through the balancer at the same concurrency), upload (tus, MB/s), burst (all
 * counters' files uploaded, then all commit at once: commits/s), end-to-end (upload + commit, `--dossiers` rounds:
 * dossiers/s), and the feed read back (each dossier once). Every phase also samples CPU time per process group
 * (support/cpu-groups.ts): centrals (and their signature-check threads), PostgreSQL, radosgw, ceph-osd, ceph-mon,
 * HAProxy, the bench's own client, and the rest of the machine — where the bottleneck is.
 *
 * Run through `npm run bench:central-cluster` (bench/central-cluster.sh brings up Ceph and PostgreSQL, sets
 * MOTCUA_CLUSTER_ROOT and the ports, and tears down); options: [--counters 50] [--dossiers 2] [--files 2]
 * [--file-kb 500] [--swarm 2000] [--modes disk,1,2,3] [--enroll-concurrency 50] [--warmup 4]
 * [--balancer-checks on|off]; `npx tsx
 * bench/central-cluster.bench.ts --prepare-only [same size options]` signs and caches the files alone. Results:
 * bench/results/central-cluster.json.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pathFor } from '../shared/sync/api-contract';
import { startCentralProcess } from '../tests/support/central-process';
import { createTestSchema, type TestSchema } from '../tests/support/postgres';
import {
  balancerUrl,
  clusterAdminToken,
  clusterMissing,
  clusterRoot,
  createBuckets,
  databaseUrl,
  ports,
  s3Client,
  startClusterCentral,
} from '../tests/cluster/support/cluster';
import { Haproxy } from '../tests/cluster/support/haproxy';
import {
  commit,
  dossierFor,
  enrollCounter,
  failureKey,
  feedDossierIds,
  listOption,
  numberOption,
  stringOption,
  signedFiles,
  summary,
  timed,
  upload,
  type Counter,
  type Summary,
  type Timing,
} from './support/central-driver';
import { cpuShares, cpuSnapshot, type CpuGroup, type CpuShares } from './support/cpu-groups';

const counterCount = numberOption('counters', 50);
const e2eRounds = numberOption('dossiers', 2);
const filesPerDossier = numberOption('files', 2);
const fileKb = numberOption('file-kb', 500);
const swarmCount = numberOption('swarm', 2000);
/** Enrolment is set-up, not under test: this many at a time, so the swarm's 2,000 do not time out. */
const enrollConcurrency = numberOption('enroll-concurrency', 50);
/**
 * Untimed dossiers per central before a mode's phases, all at once: every mode starts new processes, and a cold
 * central pays its JIT and its signature worker threads' start on the first commits (seen: 2× the CPU per commit).
 */
const warmupPerCentral = numberOption('warmup', 4);
const modes = listOption('modes', 'disk,1,2,3');
/**
 * `--balancer-checks off`: once a mode's centrals are UP in HAProxy, their ready checks and the PostgreSQL route's
 * role check are switched off (runtime API `disable health`), so nothing takes an instance or the database out
 * during the phases. The default keeps them, as deployed:
 * with tests/cluster/support/haproxy.ts's `inter 500ms fall 2` and no `timeout check`, a check times out after
 * 500 ms, and on a loaded 2-core machine every central can miss two checks at once (docs/benchmarks.md).
 */
const balancerChecks = stringOption('balancer-checks') ?? 'on';
if (balancerChecks !== 'on' && balancerChecks !== 'off') throw new Error('--balancer-checks: on or off');
for (const mode of modes) if (!['disk', '1', '2', '3'].includes(mode)) throw new Error(`--modes: unknown mode ${mode} (disk, 1, 2, 3)`);

const load = (): string => loadavg().map((l) => l.toFixed(2)).join(' ');
const MB = 1024 * 1024;
const maxCentrals = 3;
/** Index offset of the swarm's counters: their own units and counter numbers, beside the per-mode counters. */
const swarmFirstCounter = counterCount;

/**
 * All simulated counters share one loopback address, where real ones have their own: lift the per-address
 * enrolment and back-office brakes (issue 17) so the bench measures the central, not the brake.
 */
const rateLimitArgs = ['--rate-limit', `enroll=${(counterCount + swarmCount) * 2}/1000,admin=${(counterCount + swarmCount) * 4}/1000`];

// ------------------------------------------------------------------------------------------ processes

const cephDir = process.env.CEPH_DIR ?? path.join(clusterRoot ?? '/tmp', 'ceph');
const pgDir = process.env.PG_DIR ?? path.join(clusterRoot ?? '/tmp', 'pg');

const pidFrom = async (file: string): Promise<number[]> => {
  const text = await readFile(file, 'utf8').catch(() => '');
  const pid = Number(text.split('\n')[0]?.trim());
  return Number.isInteger(pid) && pid > 0 ? [pid] : [];
};

/** HAProxy runs as this process's child (tests/cluster/support/haproxy.ts keeps its handle private). */
async function haproxyPids(): Promise<number[]> {
  const pids: number[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = await readFile(`/proc/${name}/stat`, 'utf8').catch(() => '');
    if (stat.includes('(haproxy)') && Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === process.pid) pids.push(Number(name));
  }
  return pids;
}

let centralPids: number[] = [];
const signatureThreads = 'central: signature threads';
const cpuGroups: CpuGroup[] = [
  { name: 'centrals', roots: () => Promise.resolve(centralPids) },
  { name: signatureThreads, roots: () => Promise.resolve(centralPids), threadName: 'WorkerThread' },
  { name: 'postgres', roots: () => pidFrom(path.join(pgDir, 'primary', 'postmaster.pid')) },
  { name: 'postgres standby', roots: () => pidFrom(path.join(pgDir, 'standby', 'postmaster.pid')) },
  { name: 'radosgw', roots: () => pidFrom(path.join(cephDir, 'pids', 'rgw.a.pid')) },
  { name: 'ceph-osd', roots: () => pidFrom(path.join(cephDir, 'pids', 'osd.0.pid')) },
  { name: 'ceph-mon', roots: () => pidFrom(path.join(cephDir, 'pids', 'mon.a.pid')) },
  { name: 'haproxy', roots: haproxyPids },
  { name: 'bench client', roots: () => Promise.resolve([process.pid]), rootsOnly: true },
];

// ------------------------------------------------------------------------------------------ phases

interface Phase {
  readonly summary: Summary;
  readonly cpu: CpuShares;
  /** Bytes sent by the phase's uploads (0 for phases without uploads). */
  readonly bytes: number;
}

/** Times `work` for `count` counters at once and samples the CPU groups around it. */
async function phase(count: number, work: Parameters<typeof timed>[1], bytesOf: (t: Timing) => number = () => 0): Promise<Phase> {
  const before = await cpuSnapshot(cpuGroups);
  const t = await timed(count, work);
  const after = await cpuSnapshot(cpuGroups);
  const cpu = cpuShares(before, after, [signatureThreads]);
  return { summary: summary(t, cpu.groupsS.centrals === undefined ? undefined : cpu.groupsS.centrals * 1000), cpu, bytes: bytesOf(t) };
}

/** `work(i)` for i in 0…count-1, at most `limit` at a time; failures counted like `timed`. */
async function limited(count: number, limit: number, work: (i: number, record: (ms: number) => void) => Promise<void>): Promise<Timing> {
  const ms: number[] = [];
  const failures: Record<string, number> = {};
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(limit, count) }, async () => {
      while (next < count) {
        const i = next++;
        try {
          await work(i, (x) => ms.push(x));
        } catch (err) {
          const key = failureKey(err);
          failures[key] = (failures[key] ?? 0) + 1;
        }
      }
    }),
  );
  return { ms, wallMs: performance.now() - t0, failures };
}

/**
 * HAProxy's own counters for the centrals' backend (runtime API `show stat`, since the mode's start): 5xx it
 * answered or passed on, connection and response errors, retries and redispatches, aborts — what a failed request
 * met on its way, since an HTML error page from the balancer says little.
 */
async function balancerErrors(haproxy: Haproxy): Promise<string> {
  const csv = await haproxy.command('show stat');
  const [header, ...rows] = csv.replace(/^# /, '').trim().split('\n');
  const columns = (header ?? '').split(',');
  const row = rows.map((r) => r.split(',')).find((cells) => cells[0] === 'centrals' && cells[1] === 'BACKEND');
  if (!row) return 'no backend row';
  const wanted = ['hrsp_5xx', 'hrsp_4xx', 'econ', 'eresp', 'wretr', 'wredis', 'cli_abrt', 'srv_abrt', 'qmax', 'smax', 'chkdown'];
  // Per server: how often its ready check failed and how often that took it out (UP → DOWN).
  const servers = rows
    .map((r) => r.split(','))
    .filter((cells) => cells[0] === 'centrals' && cells[1] !== 'BACKEND' && cells[1] !== 'FRONTEND')
    .map((cells) => `${cells[1]} ${cells[columns.indexOf('status')]} chkfail ${cells[columns.indexOf('chkfail')]} chkdown ${cells[columns.indexOf('chkdown')]}`);
  return `${wanted.map((name) => `${name} ${row[columns.indexOf(name)] ?? '?'}`).join(', ')} (all servers down: chkdown); ${servers.join('; ')}`;
}

/** The central's log lines at warn or above (pino JSON, level ≥ 40), counted by message. */
function centralWarnings(output: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const line of output.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const entry = JSON.parse(line) as { level?: number; msg?: string; check?: string };
      if ((entry.level ?? 0) < 40) continue;
      const key = `${(entry.msg ?? '?').slice(0, 80)}${entry.check ? ` (${entry.check})` : ''}`;
      counts[key] = (counts[key] ?? 0) + 1;
    } catch {
      // not a log line
    }
  }
  return counts;
}

const failureCount = (s: Summary): number => Object.values(s.failures).reduce((a, b) => a + b, 0);

/** Shares are of the run's own processes (the groups); the rest of the machine (other work) is given apart. */
function printCpu(label: string, cpu: CpuShares, per: number, perName: string): void {
  const own = Math.max(0.01, cpu.machineBusyS - cpu.otherS);
  const parts = Object.entries(cpu.groupsS)
    .filter(([, s]) => s > 0)
    .map(([name, s]) => `${name} ${((s * 1000) / per).toFixed(1)} ms/${perName} (${((s / own) * 100).toFixed(0)}%)`);
  console.log(
    `    CPU ${label} (${cpu.wallS.toFixed(1)} s, ${cpu.coresBusy.toFixed(2)} cores busy, ${own.toFixed(1)} s in this run's processes, ${cpu.otherS.toFixed(1)} s elsewhere on the machine): ${parts.join('; ')}`,
  );
}

function printRow(name: string, p: Phase, anchor: Summary | undefined): void {
  const s = p.summary;
  console.log(
    `  ${name.padEnd(30)} ${String(s.count).padStart(5)} in ${s.wallS.toFixed(2).padStart(6)} s → ${s.perSecond.toFixed(1).padStart(7)}/s` +
      (p.bytes ? `  ${(p.bytes / MB / s.wallS).toFixed(2).padStart(6)} MB/s` : '') +
      `  p50 ${s.p50.toFixed(0).padStart(6)} ms  p95 ${s.p95.toFixed(0).padStart(6)} ms  max ${s.max.toFixed(0).padStart(6)} ms` +
      (anchor ? `  (/health: ${(anchor.perSecond / s.perSecond).toFixed(0)}× the rate)` : '') +
      (failureCount(s) ? `  FAILURES ${JSON.stringify(s.failures)}` : ''),
  );
}

// ------------------------------------------------------------------------------------------ one mode

interface ModeResult {
  readonly mode: string;
  readonly centrals: number;
  readonly loadBefore: string;
  readonly loadAfter: string;
  readonly health: Phase;
  readonly upload: Phase;
  readonly burst: Phase;
  readonly endToEnd: Phase;
  readonly endToEndCommit: Summary;
  readonly feed: { entries: number; distinct: number; expected: number };
  readonly errors: number;
}

/** Enrols counters first…first+count-1 through the balancer, `enrollConcurrency` at a time. */
async function enrollThroughBalancer(first: number, count: number): Promise<{ counters: Counter[]; timing: Summary }> {
  const counters = new Array<Counter>(count);
  const t = await limited(count, enrollConcurrency, async (i, record) => {
    counters[i] = await enrollCounter({ url: balancerUrl, adminToken: clusterAdminToken }, first + i, record);
  });
  const timing = summary(t);
  if (failureCount(timing)) throw new Error(`enrolment failed: ${JSON.stringify(timing.failures)}`);
  return { counters, timing };
}

async function runMode(mode: string, haproxy: Haproxy, pdfs: readonly Uint8Array[], swarmPdfs: readonly Uint8Array[] | undefined): Promise<{ result: ModeResult; swarm?: SwarmResult }> {
  const n = mode === 'disk' ? 1 : Number(mode);
  const schema: TestSchema = await createTestSchema(databaseUrl(ports.pgShared));
  const stops: (() => Promise<void>)[] = [];
  const outputs: (() => string)[] = [];
  try {
    const started = performance.now();
    if (mode === 'disk') {
      const central = await startCentralProcess({
        enroll: false,
        port: ports.central(1),
        startTimeoutMs: 240_000,
        env: { MOTCUA_CENTRAL_ADMIN_TOKEN: clusterAdminToken },
        args: ['--database', schema.url, '--storage', 'disk', '--max-uploads-per-device', '64', ...rateLimitArgs],
      });
      stops.push(() => central.stop());
      outputs.push(() => central.output());
      centralPids = central.pid === undefined ? [] : [central.pid];
    } else {
      centralPids = [];
      for (let c = 1; c <= n; c++) {
        const central = await startClusterCentral({
          name: `c${c}`,
          port: ports.central(c),
          pgPort: ports.pgShared,
          // The later --database wins (node's parseArgs keeps the last value): this mode's own schema.
          args: ['--upload-lock', 'postgres', '--database', schema.url, ...rateLimitArgs],
        });
        stops.push(() => central.process.stop());
        outputs.push(() => central.process.output());
        if (central.process.pid !== undefined) centralPids.push(central.process.pid);
      }
    }
    for (let c = 1; c <= maxCentrals; c++) await haproxy.waitFor('centrals', `c${c}`, c <= n ? 'UP' : 'DOWN', 60_000);
    // HAProxy's counters from here on are this mode's (the servers' start and the previous mode's stop left theirs).
    await haproxy.command('clear counters all');
    if (balancerChecks === 'off') {
      // The PostgreSQL route's check too: marked down, it shuts every session (the upload locks' among them).
      const checked = [...Array.from({ length: n }, (_, i) => `centrals/c${i + 1}`), 'pg_shared/pg1'];
      for (const server of checked) await haproxy.command(`disable health ${server}`);
      // Back on before they stop, so the next mode sees them go DOWN.
      stops.unshift(async () => {
        for (const server of checked) await haproxy.command(`enable health ${server}`);
      });
    }
    const loadBefore = load();
    console.log(`\n[${mode === 'disk' ? 'disk: one central, --storage disk' : `${n} central${n > 1 ? 's' : ''}, cluster mode on S3`}] up and in the balancer in ${((performance.now() - started) / 1000).toFixed(1)} s; pids ${centralPids.join(' ')}; load average ${loadBefore}`);

    const { counters, timing: enrolment } = await enrollThroughBalancer(0, counterCount);
    console.log(`  enrolled ${counters.length} counters through the balancer in ${enrolment.wallS} s (p50 ${enrolment.p50} ms)`);
    const counterAt = (i: number): Counter => {
      const c = counters[i];
      if (!c) throw new Error(`counter ${i} not enrolled`);
      return c;
    };
    let nextFile = 0;
    const takeFiles = (): Uint8Array[] => Array.from({ length: filesPerDossier }, () => pdfs[nextFile++ % pdfs.length] as Uint8Array);

    const warmup = await timed(warmupPerCentral * n, async (i) => {
      const counter = counterAt(i % counterCount);
      const dossier = dossierFor(counter, takeFiles());
      await commit(counter, dossier.id, dossier.commit(await upload(counter, dossier)));
    });
    const warmupFailures = Object.values(warmup.failures).reduce((a, b) => a + b, 0);
    if (warmupFailures) console.log(`  warm-up FAILURES ${JSON.stringify(warmup.failures)}`);

    // Anchor: as many GET /health as the commits below, from as many concurrent clients, through the balancer.
    const health = await phase(counterCount, async (_i, record) => {
      for (let r = 0; r < 1 + e2eRounds; r++) {
        const t = performance.now();
        const res = await fetch(new URL(pathFor('health'), balancerUrl));
        await res.arrayBuffer();
        if (!res.ok) throw new Error(`health ${res.status}`);
        record(performance.now() - t);
      }
    });

    // Upload, then the burst: every counter's files uploaded first, then all commit at the same moment.
    const staged = new Array<{ id: string; body: unknown }>(counterCount);
    let uploadBytes = 0;
    const uploadPhase = await phase(
      counterCount,
      async (i, record) => {
        const dossier = dossierFor(counterAt(i), takeFiles());
        const t = performance.now();
        const urls = await upload(counterAt(i), dossier);
        record(performance.now() - t);
        uploadBytes += dossier.files.reduce((a, f) => a + f.byteLength, 0);
        staged[i] = { id: dossier.id, body: dossier.commit(urls) };
      },
      () => uploadBytes,
    );
    const burst = await phase(counterCount, async (i, record) => {
      const s = staged[i];
      if (!s) throw new Error('upload failed before the burst');
      const t = performance.now();
      await commit(counterAt(i), s.id, s.body);
      record(performance.now() - t);
    });

    // End-to-end: each counter sends its dossiers one after another, all counters at once.
    const commitOnly: number[] = [];
    let e2eBytes = 0;
    const endToEnd = await phase(
      counterCount,
      async (i, record) => {
        for (let r = 0; r < e2eRounds; r++) {
          const dossier = dossierFor(counterAt(i), takeFiles());
          const t = performance.now();
          const urls = await upload(counterAt(i), dossier);
          e2eBytes += dossier.files.reduce((a, f) => a + f.byteLength, 0);
          const tc = performance.now();
          await commit(counterAt(i), dossier.id, dossier.commit(urls));
          commitOnly.push(performance.now() - tc);
          record(performance.now() - t);
        }
      },
      () => e2eBytes,
    );
    const endToEndCommit = summary({ ms: commitOnly, wallMs: endToEnd.summary.wallS * 1000, failures: {} });

    const feedIds = await feedDossierIds(counterAt, counterCount);
    const feed = { entries: feedIds.length, distinct: new Set(feedIds).size, expected: warmupPerCentral * n - warmupFailures + burst.summary.count + endToEnd.summary.count };
    const feedErrors = feed.entries === feed.expected && feed.distinct === feed.expected ? 0 : 1;

    printRow('anchor: GET /health', health, undefined);
    printRow('upload (tus, no commit)', uploadPhase, health.summary);
    printCpu('upload', uploadPhase.cpu, uploadPhase.summary.count * filesPerDossier, 'file');
    printRow('burst: commits at once', burst, health.summary);
    printCpu('burst', burst.cpu, burst.summary.count, 'commit');
    printRow('end-to-end: upload + commit', endToEnd, health.summary);
    printCpu('end-to-end', endToEnd.cpu, endToEnd.summary.count, 'dossier');
    console.log(`  end-to-end, the commit alone: p50 ${endToEndCommit.p50} ms, p95 ${endToEndCommit.p95} ms`);
    console.log(`  feed: ${feed.entries} entries for ${feed.distinct} dossiers (expected ${feed.expected}, each once)${feedErrors ? '  MISMATCH' : ''}`);

    console.log(`  HAProxy, backend centrals: ${await balancerErrors(haproxy)}`);
    const swarm = swarmPdfs ? await runSwarm(swarmPdfs) : undefined;
    if (swarm) console.log(`  HAProxy, backend centrals, after the swarm: ${await balancerErrors(haproxy)}`);
    const warnings = outputs.map((output) => centralWarnings(output()));
    console.log(`  the centrals' warnings and errors over the mode: ${warnings.map((w, i) => `c${i + 1} ${JSON.stringify(w)}`).join('; ')}`);
    const loadAfter = load();
    const errors = warmupFailures + failureCount(health.summary) + failureCount(uploadPhase.summary) + failureCount(burst.summary) + failureCount(endToEnd.summary) + feedErrors;
    return {
      result: { mode, centrals: n, loadBefore, loadAfter, health, upload: uploadPhase, burst, endToEnd, endToEndCommit, feed, errors },
      ...(swarm ? { swarm } : {}),
    };
  } finally {
    for (const stop of stops) await stop().catch((err: unknown) => console.error(`stopping a central: ${failureKey(err)}`));
    centralPids = [];
    await schema.drop().catch((err: unknown) => console.error(`dropping ${schema.url}: ${failureKey(err)}`));
  }
}

// ------------------------------------------------------------------------------------------ the swarm

interface SwarmResult {
  readonly counters: number;
  readonly enrolment: Summary;
  readonly sync: Phase;
  readonly commit: Summary;
  readonly upload: Summary;
  readonly feed: { entries: number; distinct: number; expected: number };
  readonly errors: number;
}

/** `swarmCount` counters (enrolled first, not timed as part of it), each syncing one small dossier at the same moment. */
async function runSwarm(pdfs: readonly Uint8Array[]): Promise<SwarmResult> {
  console.log(`\n  [swarm] enrolling ${swarmCount} counters through the balancer (${enrollConcurrency} at a time; set-up, not measured)…`);
  const { counters, timing: enrolment } = await enrollThroughBalancer(swarmFirstCounter, swarmCount);
  console.log(`  [swarm] enrolled in ${enrolment.wallS} s; load average ${load()}; now all ${swarmCount} sync one dossier at once`);
  const commitMs: number[] = [];
  const uploadMs: number[] = [];
  let bytes = 0;
  const sync = await phase(
    swarmCount,
    async (i, record) => {
      const counter = counters[i];
      if (!counter) throw new Error(`swarm counter ${i} not enrolled`);
      const file = pdfs[i % pdfs.length] as Uint8Array;
      const dossier = dossierFor(counter, [file]);
      const t = performance.now();
      const urls = await upload(counter, dossier);
      const tc = performance.now();
      uploadMs.push(tc - t);
      bytes += file.byteLength;
      await commit(counter, dossier.id, dossier.commit(urls));
      commitMs.push(performance.now() - tc);
      record(performance.now() - t);
    },
    () => bytes,
  );
  const wallMs = sync.summary.wallS * 1000;
  const commitSummary = summary({ ms: commitMs, wallMs, failures: {} });
  const uploadSummary = summary({ ms: uploadMs, wallMs, failures: {} });
  const feedIds = await feedDossierIds((i) => counters[i] as Counter, swarmCount);
  const feed = { entries: feedIds.length, distinct: new Set(feedIds).size, expected: sync.summary.count };
  const feedErrors = feed.entries === feed.expected && feed.distinct === feed.expected ? 0 : 1;
  printRow('swarm: upload + commit', sync, undefined);
  console.log(`  swarm: upload p50 ${uploadSummary.p50} ms p95 ${uploadSummary.p95} ms; commit p50 ${commitSummary.p50} ms p95 ${commitSummary.p95} ms max ${commitSummary.max} ms`);
  printCpu('swarm', sync.cpu, Math.max(1, sync.summary.count), 'dossier');
  const errors = failureCount(sync.summary) + feedErrors;
  console.log(`  swarm: errors ${errors} (every non-2xx or exception is counted${errors ? `: ${JSON.stringify(sync.summary.failures)}` : ''}); feed ${feed.entries} entries for ${feed.distinct} dossiers (expected ${feed.expected})`);
  return { counters: swarmCount, enrolment, sync, commit: commitSummary, upload: uploadSummary, feed, errors };
}

// ------------------------------------------------------------------------------------------ the run

function gitCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

/** `--prepare-only`: sign and cache the run's files, then stop (no cluster needed): a later run starts at once. */
const prepareOnly = process.argv.includes('--prepare-only');

async function main(): Promise<void> {
  if (clusterMissing && !prepareOnly) {
    console.error(`${clusterMissing}\n(for this bench: npm run bench:central-cluster, which runs bench/central-cluster.sh)`);
    process.exitCode = 2;
    return;
  }
  const runStarted = performance.now();
  const perMode = (counterCount * (1 + e2eRounds) + warmupPerCentral * maxCentrals) * filesPerDossier;
  console.log(
    `central-cluster: modes ${modes.join(', ')}; ${counterCount} counters a mode, 1 burst + ${e2eRounds} end-to-end dossiers each, ${filesPerDossier} signed PDFs a dossier (a small form and a ~${fileKb} KB scan, alternating); swarm ${swarmCount} counters × one small dossier on 3 centrals; HAProxy's ready checks ${balancerChecks === 'on' ? 'on (as deployed)' : 'off during the phases'}`,
  );
  console.log(`preparing ${perMode * modes.length} + ${swarmCount} distinct signed PDFs (cached in bench/.cache/central-200/)…`);
  // Distinct files for every mode: the central stores by content, so a file another mode stored would be cheaper.
  const pdfs = await signedFiles(perMode * modes.length, { fileKb });
  const swarmPdfs = await signedFiles(swarmCount, { fileKb, smallOnly: true });
  if (prepareOnly) {
    console.log(`prepared in ${((performance.now() - runStarted) / 1000).toFixed(0)} s`);
    return;
  }
  const commitId = gitCommit();
  console.log(`${cpus().length} CPUs, load average ${load()}, commit ${commitId}; the client, the centrals, HAProxy, PostgreSQL and Ceph share this machine`);

  const lifecycle = await createBuckets(s3Client());
  const haproxy = await Haproxy.start(
    {
      balancerPort: ports.balancer,
      centrals: Array.from({ length: maxCentrals }, (_, i) => ({ name: `c${i + 1}`, port: ports.central(i + 1) })),
      pgNodes: [
        { name: 'pg1', port: ports.pgPrimary, checkPort: ports.pgPrimaryCheck },
        { name: 'pg2', port: ports.pgStandby, checkPort: ports.pgStandbyCheck },
      ],
      pgRoutes: [{ name: 'shared', port: ports.pgShared }],
      statsSocket: path.join(clusterRoot ?? '/tmp', 'haproxy.sock'),
    },
    path.join(clusterRoot ?? '/tmp', 'haproxy.cfg'),
  );
  const results: ModeResult[] = [];
  let swarm: SwarmResult | undefined;
  try {
    await haproxy.waitFor('pg_shared', 'pg1', 'UP');
    console.log(`buckets made (${lifecycle.join(', ')}); HAProxy on ${balancerUrl}`);
    for (const [m, mode] of modes.entries()) {
      const runSwarmHere = mode === '3' || (m === modes.length - 1 && !modes.includes('3'));
      const out = await runMode(mode, haproxy, pdfs.slice(m * perMode, (m + 1) * perMode), runSwarmHere ? swarmPdfs : undefined);
      results.push(out.result);
      if (out.swarm) swarm = out.swarm;
    }
  } finally {
    await haproxy.stop();
  }

  // ---------------------------------------------------------------------------------------- the table
  const anchor = results[0]?.health.summary;
  const disk = results.find((r) => r.mode === 'disk');
  const ratio = (x: number, base: number | undefined): string => (base ? `${(x / base).toFixed(2)}×` : '—');
  /** Against the anchor, every figure as a cost in /health requests: its rate's inverse, or its latency, × /health's. */
  const costOfRate = (rate: number): string => (anchor && rate ? `${(anchor.perSecond / rate).toFixed(0)}×` : '—');
  const costOfLatency = (ms: number, anchorMs: number | undefined): string => (anchorMs ? `${(ms / anchorMs).toFixed(0)}×` : '—');
  const rows: { figure: string; value: number; unit: string; anchorRatio: string; diskRatio: string }[] = [];
  if (anchor) rows.push({ figure: `anchor: GET /health through the balancer (${results[0]?.mode})`, value: anchor.perSecond, unit: '/s', anchorRatio: '1.00×', diskRatio: '—' });
  for (const r of results) {
    const label = r.mode === 'disk' ? 'disk, 1 central' : `S3, ${r.centrals} central${r.centrals > 1 ? 's' : ''}`;
    const uploadMBs = r.upload.bytes / MB / r.upload.summary.wallS;
    const diskMBs = disk ? disk.upload.bytes / MB / disk.upload.summary.wallS : undefined;
    rows.push({ figure: `${label}: upload MB/s`, value: Number(uploadMBs.toFixed(2)), unit: 'MB/s', anchorRatio: costOfRate(r.upload.summary.perSecond * filesPerDossier), diskRatio: ratio(uploadMBs, diskMBs) });
    rows.push({ figure: `${label}: burst commits/s`, value: r.burst.summary.perSecond, unit: '/s', anchorRatio: costOfRate(r.burst.summary.perSecond), diskRatio: ratio(r.burst.summary.perSecond, disk?.burst.summary.perSecond) });
    rows.push({ figure: `${label}: burst commit p95`, value: r.burst.summary.p95, unit: 'ms', anchorRatio: costOfLatency(r.burst.summary.p95, anchor?.p95), diskRatio: ratio(r.burst.summary.p95, disk?.burst.summary.p95) });
    rows.push({ figure: `${label}: end-to-end dossiers/s`, value: r.endToEnd.summary.perSecond, unit: '/s', anchorRatio: costOfRate(r.endToEnd.summary.perSecond), diskRatio: ratio(r.endToEnd.summary.perSecond, disk?.endToEnd.summary.perSecond) });
  }
  if (swarm) {
    rows.push({ figure: `swarm ${swarm.counters}: dossiers/s`, value: swarm.sync.summary.perSecond, unit: '/s', anchorRatio: costOfRate(swarm.sync.summary.perSecond), diskRatio: ratio(swarm.sync.summary.perSecond, disk?.endToEnd.summary.perSecond) });
    rows.push({ figure: `swarm ${swarm.counters}: commit p50`, value: swarm.commit.p50, unit: 'ms', anchorRatio: costOfLatency(swarm.commit.p50, anchor?.p50), diskRatio: ratio(swarm.commit.p50, disk?.endToEndCommit.p50) });
    rows.push({ figure: `swarm ${swarm.counters}: commit p95`, value: swarm.commit.p95, unit: 'ms', anchorRatio: costOfLatency(swarm.commit.p95, anchor?.p95), diskRatio: ratio(swarm.commit.p95, disk?.endToEndCommit.p95) });
    rows.push({ figure: `swarm ${swarm.counters}: upload + commit p50`, value: swarm.sync.summary.p50, unit: 'ms', anchorRatio: costOfLatency(swarm.sync.summary.p50, anchor?.p50), diskRatio: ratio(swarm.sync.summary.p50, disk?.endToEnd.summary.p50) });
    rows.push({ figure: `swarm ${swarm.counters}: upload + commit p95`, value: swarm.sync.summary.p95, unit: 'ms', anchorRatio: costOfLatency(swarm.sync.summary.p95, anchor?.p95), diskRatio: ratio(swarm.sync.summary.p95, disk?.endToEnd.summary.p95) });
    rows.push({ figure: `swarm ${swarm.counters}: errors`, value: swarm.errors, unit: '', anchorRatio: '', diskRatio: '' });
  }
  console.log('\n| figure | value | × anchor | ÷ disk baseline |\n|---|---:|---:|---:|');
  for (const row of rows) console.log(`| ${row.figure} | ${row.value} ${row.unit} | ${row.anchorRatio} | ${row.diskRatio} |`);
  console.log(
    "(× anchor: what one item costs in /health requests through the balancer — /health's rate ÷ the figure's rate (uploads count files), or the latency ÷ /health's p50/p95; ÷ disk baseline: the figure ÷ the same figure of the disk mode, the swarm against the disk mode's end-to-end)",
  );

  console.log('\nCPU seconds per commit in the burst (where the work goes):');
  for (const r of results) {
    const per = (s: number | undefined): string => (((s ?? 0) * 1000) / Math.max(1, r.burst.summary.count)).toFixed(1);
    const g = r.burst.cpu.groupsS;
    console.log(
      `  ${r.mode.padEnd(4)}: centrals ${per(g.centrals)} ms (signature threads ${per(g[signatureThreads])}), postgres ${per(g.postgres)}, radosgw ${per(g.radosgw)}, ceph-osd ${per(g['ceph-osd'])}, haproxy ${per(g.haproxy)}, bench client ${per(g['bench client'])}; cores busy ${r.burst.cpu.coresBusy}`,
    );
  }
  const errors = results.reduce((a, r) => a + r.errors, 0) + (swarm?.errors ?? 0);
  const wallS = (performance.now() - runStarted) / 1000;
  console.log(`\nerrors in all phases: ${errors}; wall time ${wallS.toFixed(0)} s; load average at the end ${load()}`);

  const resultsDir = fileURLToPath(new URL('./results/', import.meta.url));
  await mkdir(resultsDir, { recursive: true });
  await writeFile(
    path.join(resultsDir, 'central-cluster.json'),
    JSON.stringify({ at: new Date().toISOString(), commit: commitId, cpus: cpus().length, options: { counterCount, e2eRounds, filesPerDossier, fileKb, swarmCount, modes, balancerChecks }, wallS: Math.round(wallS), errors, table: rows, modes: results, swarm }, null, 2),
  );
  if (errors) process.exitCode = 1;
}

await main();
