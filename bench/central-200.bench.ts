/**
 * The central receiving from 200 counters at once on loopback, with the embedded store (PGlite) and with a
 * PostgreSQL server. The central is a real process (`motcua central`, as the integration tests start it);
 * every simulated counter is enrolled with its own one-time code and device credential, uploads real
 * PAdES-signed PDFs with tus (tus-js-client) and commits them through the public API.
 *
 *   anchor   — the same number of `GET /health` and of authenticated `GET /api/v1/devices/self`, at the same
 *              concurrency: what the machine does per request with no work behind it;
 *   burst    — every counter has its files uploaded, then all commit at the same moment: commits/s, p50/p95;
 *   end-to-end — every counter uploads and commits `--dossiers` dossiers one after another, all counters at
 *              once: dossiers/s, p50/p95 of upload+commit and of the commit alone.
 *
 * Run: npm run bench:central -- [--counters 200] [--dossiers 2] [--files 2] [--file-kb 500] [--stores embedded,postgres]
 *      [--commit-concurrency N] [--profile <dir>]
 * PostgreSQL: MOTCUA_TEST_POSTGRES_URL, else postgres://motcua:motcua@127.0.0.1:5432/motcua_test (`.ci/run`
 * creates it); a schema of its own is made and dropped. Results: bench/results/central-200.json.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pathFor } from '../shared/sync/api-contract';
import { centralFetch, startCentralProcess, type CentralProcess } from '../tests/support/central-process';
import { createTestSchema } from '../tests/support/postgres';
import {
  commit,
  cpuMs,
  dossierFor,
  enrollCounter,
  feedDossierIds,
  listOption,
  numberOption,
  peakRssMb,
  signedFiles,
  stringOption,
  summary,
  timed,
  type Counter,
  type Summary,
  upload,
} from './support/central-driver';

const counterCount = numberOption('counters', 200);
const e2eRounds = numberOption('dossiers', 2);
const filesPerDossier = numberOption('files', 2);
const fileKb = numberOption('file-kb', 500);
const stores = listOption('stores', 'embedded,postgres');
/** Passed to the central (`--commit-concurrency`); unset = the central's default. */
const commitConcurrency = stringOption('commit-concurrency');
/** `--profile <dir>`: the central runs with `node --cpu-prof`, its profile written there when it stops. */
const profileDir = stringOption('profile');
const postgresUrl = process.env.MOTCUA_TEST_POSTGRES_URL || 'postgres://motcua:motcua@127.0.0.1:5432/motcua_test';

const load = (): string => loadavg().map((l) => l.toFixed(2)).join(' ');

async function benchStore(store: string, pdfs: readonly Uint8Array[]): Promise<Record<string, unknown>> {
  const schema = store === 'postgres' ? await createTestSchema(postgresUrl) : undefined;
  const central: CentralProcess = await startCentralProcess({
    enroll: false,
    // A first start compiles the TypeScript and creates the database: slow on a loaded machine.
    startTimeoutMs: 240_000,
    args: [
      ...(schema ? ['--database', schema.url] : []),
      ...(commitConcurrency ? ['--commit-concurrency', commitConcurrency] : []),
      // All simulated counters share one loopback address, where real ones have their own: lift the per-address
      // enrollment and back-office limits (issue 17) so the bench measures the central, not the brake.
      '--rate-limit',
      `enroll=${counterCount * 2}/100,admin=${counterCount * 4}/100`,
    ],
    ...(profileDir ? { nodeArgs: ['--cpu-prof', '--cpu-prof-dir', profileDir] } : {}),
  });
  const loadBefore = load();
  try {
    console.log(`\n[${store}] central pid ${central.pid} at ${central.url} — load average ${loadBefore}`);

    /** A phase timed from the clients and by the central's own CPU time. */
    const measured = async (work: Parameters<typeof timed>[1]): Promise<Summary> => {
      const cpu0 = await cpuMs(central.pid);
      const t = await timed(counterCount, work);
      return summary(t, (await cpuMs(central.pid)) - cpu0);
    };

    // Enrollment: a code per counter from the admin API, then all counters enroll at once.
    const counters: Counter[] = new Array<Counter>(counterCount);
    const enrollment = await measured(async (i, record) => {
      counters[i] = await enrollCounter(central, i, record);
    });
    if (Object.keys(enrollment.failures).length) throw new Error(`enrollment failed: ${JSON.stringify(enrollment.failures)}`);
    const counterAt = (i: number): Counter => {
      const c = counters[i];
      if (!c) throw new Error(`counter ${i} not enrolled`);
      return c;
    };

    let nextFile = 0;
    const takeFiles = (): Uint8Array[] => Array.from({ length: filesPerDossier }, () => pdfs[nextFile++ % pdfs.length] as Uint8Array);

    // Anchors: as many requests as the commits below, from the same number of concurrent clients.
    const requestsPerCounter = 1 + e2eRounds;
    const health = await measured(async (_i, record) => {
      for (let r = 0; r < requestsPerCounter; r++) {
        const t = performance.now();
        const res = await fetch(new URL(pathFor('health'), central.url));
        await res.arrayBuffer();
        if (!res.ok) throw new Error(`health ${res.status}`);
        record(performance.now() - t);
      }
    });
    const self = await measured(async (i, record) => {
      for (let r = 0; r < requestsPerCounter; r++) {
        const t = performance.now();
        const res = await centralFetch(counterAt(i), pathFor('deviceSelf'));
        await res.arrayBuffer();
        if (!res.ok) throw new Error(`devices/self ${res.status}`);
        record(performance.now() - t);
      }
    });

    // Burst: every counter's files are uploaded first, then all commit at the same moment.
    const staged = new Array<{ id: string; body: unknown }>(counterCount);
    const uploads = await measured(async (i, record) => {
      const dossier = dossierFor(counterAt(i), takeFiles());
      const t = performance.now();
      const urls = await upload(counterAt(i), dossier);
      record(performance.now() - t);
      staged[i] = { id: dossier.id, body: dossier.commit(urls) };
    });
    const burst = await measured(async (i, record) => {
      const s = staged[i];
      if (!s) throw new Error('upload failed before the burst');
      const t = performance.now();
      await commit(counterAt(i), s.id, s.body);
      record(performance.now() - t);
    });

    // End-to-end: each counter sends its dossiers one after another, all counters at once.
    const commitOnly: number[] = [];
    const e2eCpu0 = await cpuMs(central.pid);
    const e2eTiming = await timed(counterCount, async (i, record) => {
      for (let r = 0; r < e2eRounds; r++) {
        const dossier = dossierFor(counterAt(i), takeFiles());
        const t = performance.now();
        const urls = await upload(counterAt(i), dossier);
        const tc = performance.now();
        await commit(counterAt(i), dossier.id, dossier.commit(urls));
        commitOnly.push(performance.now() - tc);
        record(performance.now() - t);
      }
    });
    const endToEnd = summary(e2eTiming, (await cpuMs(central.pid)) - e2eCpu0);
    const endToEndCommit = summary({ ms: commitOnly, wallMs: e2eTiming.wallMs, failures: {} });

    // Check: every unit's feed lists each committed dossier once.
    const feedIds = await feedDossierIds(counterAt, counterCount);
    const expected = burst.count + endToEnd.count;
    const distinct = new Set(feedIds).size;

    const peakMb = await peakRssMb(central.pid);
    const loadAfter = load();
    const row = (name: string, s: Summary, anchor?: Summary) =>
      console.log(
        `  ${name.padEnd(34)} ${String(s.count).padStart(5)} in ${s.wallS.toFixed(2).padStart(6)} s → ${s.perSecond.toFixed(1).padStart(7)}/s` +
          `  p50 ${s.p50.toFixed(0).padStart(6)} ms  p95 ${s.p95.toFixed(0).padStart(6)} ms  max ${s.max.toFixed(0).padStart(6)} ms` +
          (s.centralCpuMsEach === undefined ? '' : `  central CPU ${s.centralCpuMsEach.toFixed(1).padStart(6)} ms each`) +
          (anchor
            ? `  (/health: ${(anchor.perSecond / s.perSecond).toFixed(1)}× the rate` +
              (anchor.centralCpuMsEach && s.centralCpuMsEach ? `, ${(s.centralCpuMsEach / anchor.centralCpuMsEach).toFixed(0)}× the CPU)` : ')')
            : '') +
          (Object.keys(s.failures).length ? `  FAILURES ${JSON.stringify(s.failures)}` : ''),
      );
    row('enroll (code + enroll, at once)', enrollment);
    row('anchor: GET /health', health);
    row('anchor: GET /devices/self (auth)', self, health);
    row('upload (all files, no commit)', uploads, health);
    row('burst: commits at once', burst, health);
    row('end-to-end: upload + commit', endToEnd, health);
    row('end-to-end: the commit alone', endToEndCommit);
    console.log(`  feed: ${feedIds.length} entries for ${distinct} dossiers (expected ${expected}, each once)`);
    console.log(`  central peak RSS ${peakMb ?? '?'} MB; load average before ${loadBefore}, after ${loadAfter}`);
    return {
      store,
      counters: counterCount,
      filesPerDossier,
      fileBytes: pdfs.slice(0, filesPerDossier).map((p) => p.byteLength),
      loadBefore,
      loadAfter,
      centralPeakRssMb: peakMb,
      enrollment,
      anchor: { health, deviceSelf: self },
      uploads,
      burst,
      endToEnd,
      endToEndCommit,
      feed: { entries: feedIds.length, distinct, expected },
    };
  } finally {
    await central.stop();
    await schema?.drop();
  }
}

async function main(): Promise<void> {
  const fileCount = counterCount * (1 + e2eRounds) * filesPerDossier;
  console.log(`central-200: ${counterCount} counters, 1 burst + ${e2eRounds} end-to-end dossiers each, ${filesPerDossier} signed PDFs a dossier (a small form and a ~${fileKb} KB scan, alternating)`);
  console.log(`preparing ${fileCount} distinct signed PDFs (cached in bench/.cache/central-200/)…`);
  const pdfs = await signedFiles(fileCount, { fileKb });
  console.log(`file sizes: ${pdfs.slice(0, 2).map((p) => `${(p.byteLength / 1024).toFixed(0)} KB`).join(' and ')}`);
  console.log(`${cpus().length} CPUs, load average ${load()}; client and central share this machine`);
  const results: Record<string, unknown>[] = [];
  for (const store of stores) {
    if (store !== 'embedded' && store !== 'postgres') throw new Error(`--stores: unknown store ${store}`);
    results.push(await benchStore(store, pdfs));
  }
  const resultsDir = fileURLToPath(new URL('./results/', import.meta.url));
  await mkdir(resultsDir, { recursive: true });
  await writeFile(join(resultsDir, 'central-200.json'), JSON.stringify({ at: new Date().toISOString(), cpus: cpus().length, results }, null, 2));
}

await main();
