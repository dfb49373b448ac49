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
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Pkcs12KeyStore } from '../electron/services/signing/pkcs12-keystore';
import { signPdf } from '../shared/pdf/sign-pdf';
import {
  centralFetch,
  enrollTestDevice,
  makeCommit,
  makePdf,
  putCommit,
  startCentralProcess,
  tusUpload,
  type CentralProcess,
} from '../tests/support/central-process';
import { getTestPki } from '../tests/support/pki';
import { createTestSchema } from '../tests/support/postgres';
import { pathFor } from '../shared/sync/api-contract';

function numberOption(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} must be a positive integer`);
  return value;
}
function listOption(name: string, fallback: string): string[] {
  const at = process.argv.indexOf(`--${name}`);
  return (at >= 0 ? (process.argv[at + 1] ?? '') : fallback).split(',').filter(Boolean);
}

const counterCount = numberOption('counters', 200);
const e2eRounds = numberOption('dossiers', 2);
const filesPerDossier = numberOption('files', 2);
const fileKb = numberOption('file-kb', 500);
const stores = listOption('stores', 'embedded,postgres');
/** Passed to the central (`--commit-concurrency`); unset = the central's default. */
const commitConcurrency = ((at) => (at >= 0 ? process.argv[at + 1] : undefined))(process.argv.indexOf('--commit-concurrency'));
/** `--profile <dir>`: the central runs with `node --cpu-prof`, its profile written there when it stops. */
const profileDir = ((at) => (at >= 0 ? process.argv[at + 1] : undefined))(process.argv.indexOf('--profile'));
const postgresUrl = process.env.MOTCUA_TEST_POSTGRES_URL || 'postgres://motcua:motcua@127.0.0.1:5432/motcua_test';
/** Counters per unit (a commune's reception desk has a few); the API allows counters 1–9. */
const countersPerUnit = 5;

const load = (): string => loadavg().map((l) => l.toFixed(2)).join(' ');

// ------------------------------------------------------------------------------------------ signed files

/**
 * One distinct signed PDF per file (the central stores by content, so repeats would flatter it). Signing is
 * ~150 ms a file, so they are kept in bench/.cache/ under the test PKI's root fingerprint.
 */
async function signedFiles(count: number): Promise<Uint8Array[]> {
  const pki = await getTestPki();
  const rootFingerprint = createHash('sha256').update(await readFile(pki.rootCaPemPath)).digest('hex').slice(0, 16);
  const dir = fileURLToPath(new URL(`./.cache/central-200/${rootFingerprint}-${fileKb}kb/`, import.meta.url));
  await mkdir(dir, { recursive: true });
  const keystore = new Pkcs12KeyStore({ path: pki.counterSignerP12Path, label: 'bench' });
  await keystore.unlock(pki.password);
  const out: Uint8Array[] = [];
  let made = 0;
  for (let i = 0; i < count; i++) {
    const file = join(dir, `${i}.pdf`);
    const cached = await readFile(file).catch(() => undefined);
    if (cached) {
      out.push(new Uint8Array(cached));
      continue;
    }
    // Half the files are small forms, half scanned copies of --file-kb.
    const padding = i % 2 === 0 ? 20_000 : fileKb * 1024;
    const pdf = await makePdf({ paddingBytes: padding, text: `Ho so thu tai ${i}` });
    const signed = await signPdf(pdf, keystore, { reason: 'Tiếp nhận hồ sơ', location: 'Bộ phận Một cửa', signerName: 'Quầy thử tải', signingTime: new Date() });
    await writeFile(file, signed);
    out.push(signed);
    if (++made % 100 === 0) console.log(`  signed ${made} new files…`);
  }
  return out;
}

// ------------------------------------------------------------------------------------------- measuring

interface Timing {
  readonly ms: number[];
  readonly wallMs: number;
  readonly failures: Record<string, number>;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

type Summary = { count: number; perSecond: number; p50: number; p95: number; max: number; wallS: number; centralCpuMsEach?: number; failures: Record<string, number> };

function summary(t: Timing, centralCpuMs?: number): Summary {
  const sorted = [...t.ms].sort((a, b) => a - b);
  const r = (x: number) => Number(x.toFixed(1));
  return {
    count: sorted.length,
    perSecond: r(sorted.length / (t.wallMs / 1000)),
    p50: r(percentile(sorted, 50)),
    p95: r(percentile(sorted, 95)),
    max: r(sorted[sorted.length - 1] ?? Number.NaN),
    wallS: Number((t.wallMs / 1000).toFixed(2)),
    ...(centralCpuMs === undefined || sorted.length === 0 ? {} : { centralCpuMsEach: Number((centralCpuMs / sorted.length).toFixed(2)) }),
    failures: t.failures,
  };
}

/** Runs `work(i)` for every counter at once and times each call; a failure is counted by its message, not thrown. */
async function timed(count: number, work: (i: number, record: (ms: number) => void) => Promise<void>): Promise<Timing> {
  const ms: number[] = [];
  const failures: Record<string, number> = {};
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      try {
        await work(i, (x) => ms.push(x));
      } catch (err) {
        const key = (err instanceof Error ? err.message : String(err)).slice(0, 160);
        failures[key] = (failures[key] ?? 0) + 1;
      }
    }),
  );
  return { ms, wallMs: performance.now() - t0, failures };
}

/**
 * CPU time the central process has used (user + system), in ms, from /proc/<pid>/stat (clock ticks of 10 ms
 * on Linux). Unlike wall time it hardly depends on what else the machine runs, so it compares runs taken
 * under different loads.
 */
async function cpuMs(pid: number | undefined): Promise<number> {
  if (pid === undefined) return Number.NaN;
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  // Fields after the command name (which may hold spaces) start at ")"; utime and stime are fields 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Peak resident memory of a process (VmHWM), in MB. */
async function peakRssMb(pid: number | undefined): Promise<number | undefined> {
  if (pid === undefined) return undefined;
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
  return kb === undefined ? undefined : Math.round(Number(kb) / 1024);
}

// ------------------------------------------------------------------------------------------ one store

interface Counter {
  readonly url: string;
  readonly credential: string;
  readonly unit: { code: string; name: string };
  readonly counterNo: number;
}

let dossierSequence = 0;

function dossierFor(counter: Counter, files: readonly Uint8Array[]): { id: string; files: readonly Uint8Array[]; commit: (urls: string[]) => Record<string, unknown> } {
  const id = randomUUID();
  const seq = ++dossierSequence;
  const code = `${counter.unit.code}-261123-${String(seq % 10_000).padStart(4, '0')}`;
  return {
    id,
    files,
    commit: (urls) =>
      makeCommit(
        id,
        files.map((bytes, i) => ({ bytes, uploadUrl: urls[i] ?? '' })),
        { code, receivingUnit: counter.unit, counterNo: counter.counterNo },
      ),
  };
}

async function upload(counter: Counter, dossier: { id: string; files: readonly Uint8Array[] }): Promise<string[]> {
  const urls: string[] = [];
  // A counter sends one file at a time (the sync engine's per-dossier order).
  for (const [i, bytes] of dossier.files.entries()) urls.push(await tusUpload(counter, bytes, { dossierId: dossier.id, filename: `thanh-phan-${i + 1}.pdf` }));
  return urls;
}

async function commit(counter: Counter, id: string, body: unknown): Promise<void> {
  const answer = await putCommit(counter, id, body);
  if (answer.status !== 201) throw new Error(`commit ${answer.status}: ${JSON.stringify(answer.body).slice(0, 120)}`);
}

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
      const unitNo = Math.floor(i / countersPerUnit) + 1;
      const unit = { code: `000.${String(Math.floor(unitNo / 100)).padStart(2, '0')}.${String(unitNo % 100).padStart(2, '0')}.H22`, name: `UBND xã Thử Tải ${unitNo}` };
      const counterNo = (i % countersPerUnit) + 1;
      const t = performance.now();
      const enrolled = await enrollTestDevice(central, { unit, counterNo, deviceName: `Quầy thử tải ${i + 1}` });
      record(performance.now() - t);
      counters[i] = { url: central.url, credential: enrolled.credential, unit, counterNo };
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
    const feedIds: string[] = [];
    for (let u = 0; u < counterCount; u += countersPerUnit) {
      let after = 0;
      for (;;) {
        const res = await centralFetch(counterAt(u), `${pathFor('changes')}?after=${after}&limit=1000`);
        const page = (await res.json()) as { changes: { dossierId: string }[]; cursor: number; hasMore: boolean };
        feedIds.push(...page.changes.map((c) => c.dossierId));
        after = page.cursor;
        if (!page.hasMore) break;
      }
    }
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
  const pdfs = await signedFiles(fileCount);
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
