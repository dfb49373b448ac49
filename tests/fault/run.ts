/**
 * The fault campaign from the command line: `npm run test:fault:long` (≥ 1,000 faults) or any size:
 *
 *   tsx tests/fault/run.ts --faults 1000 --dossiers 400 [--seed 1234] [--only disk-full,link-down-upload] [--tmpfs-mb 64]
 *
 * With `--cluster`, against HAProxy and three centrals in cluster mode on Ceph RGW and PostgreSQL, which
 * tests/cluster/run.sh brings up first (`npm run test:fault:cluster`, `npm run test:fault:cluster:long`; run.sh
 * passes `--cluster` and its arguments here). `--ci` takes the CI-size settings of fault-suite.test.ts.
 *
 * Exit status 0 only when nothing was lost, duplicated, stuck, altered or badly signed. Needs root
 * (network namespaces, tmpfs) and Debian's chromium.
 */
import { parseArgs } from 'node:util';
import { clusterMissing, clusterRoot } from '../cluster/support/cluster';
import { faultKindsFor, formatSummary, runCampaign, type FaultKind } from './harness/campaign';
import { netnsUnavailableReason } from './harness/netns';
import { campaignVerdict, seedFromEnv } from './harness/verdict';
import { prepareTestRun } from '../support/test-run';

const { values: given } = parseArgs({
  options: {
    faults: { type: 'string', default: '1000' },
    dossiers: { type: 'string', default: '2000' },
    backlog: { type: 'string', default: '4' },
    seed: { type: 'string' },
    only: { type: 'string' },
    'settle-bound-s': { type: 'string', default: '300' },
    cluster: { type: 'boolean', default: false },
    /** The CI size (fault-suite.test.ts's): 60 faults, 150 dossiers, backlog 3, larger files; given numbers win. */
    ci: { type: 'boolean', default: false },
    /** The central's data disk; default sized for --dossiers. Small values show a central whose disk stays full. */
    'tmpfs-mb': { type: 'string' },
  },
});

const ciSize = { faults: '60', dossiers: '150', backlog: '3', 'settle-bound-s': '180' };
const explicit = new Set(process.argv.slice(2).filter((a) => a.startsWith('--')).map((a) => a.slice(2).split('=')[0]));
const values = given.ci ? { ...given, ...Object.fromEntries(Object.entries(ciSize).filter(([k]) => !explicit.has(k))) } : given;

// Ctrl-C: exit through 'exit' so the harness kills its processes, unmounts and deletes its namespace.
process.once('SIGINT', () => process.exit(130));
process.once('SIGTERM', () => process.exit(143));

const unavailable = await netnsUnavailableReason();
if (unavailable) {
  console.error(`fault campaign cannot run here: ${unavailable}`);
  process.exit(2);
}
if (values.cluster && clusterMissing) {
  console.error(`cluster fault campaign cannot run: ${clusterMissing}`);
  process.exit(2);
}
const mode = values.cluster ? 'cluster' : 'single';
const only = (values.only ?? '').split(',').filter(Boolean);
const unknown = only.filter((k) => !(faultKindsFor(mode) as readonly string[]).includes(k));
if (unknown.length) {
  console.error(`fault kinds unknown ${mode === 'cluster' ? 'in the cluster' : 'to one central'}: ${unknown.join(', ')}; known: ${faultKindsFor(mode).join(', ')}`);
  process.exit(2);
}
// The cluster restarts centrals often (instance kills, the whole central down = three at once): the central bundled
// once, as the test runners' global set-up does, starts faster than through tsx (tests/support/test-run.ts).
const finishTestRun = values.cluster ? await prepareTestRun('fault-run') : undefined;
const seed = values.seed === undefined ? seedFromEnv() : Number(values.seed);
console.log(`seed ${seed}`);
const result = await runCampaign({
  seed,
  faults: Number(values.faults),
  maxDossiers: Number(values.dossiers),
  backlog: Number(values.backlog),
  // The CI size uses the test's larger files (more PATCHes per dossier, so more upload faults meet a request).
  largeBytes: values.ci ? [100_000, 900_000] : [50_000, 600_000],
  settleBoundMs: Number(values['settle-bound-s']) * 1000,
  // The central's data disk holds every dossier of the run (about 0.4 MB each with these sizes) plus the
  // uploads in flight and its database: 768 MB was full of real data after 1,593 dossiers.
  tmpfsMb: values['tmpfs-mb'] ? Number(values['tmpfs-mb']) : Math.max(768, Math.ceil(Number(values.dossiers) * 0.7) + 256),
  only: only as FaultKind[],
  verbose: true,
  ...(values.cluster && clusterRoot ? { cluster: { dir: clusterRoot } } : {}),
});
console.log(formatSummary(result));
const verdict = campaignVerdict(result);
console.log(verdict.ok ? 'VERDICT: every accepted dossier is at the central exactly once, byte for byte, signatures valid' : `VERDICT: FAILED — ${verdict.reasons.join('; ')}`);
await finishTestRun?.();
process.exit(verdict.ok ? 0 : 1);
