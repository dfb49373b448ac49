/**
 * The simulated counters the central benches drive (central-200, central-cluster): distinct PAdES-signed PDFs
 * (cached), enrolment through the admin API, tus uploads with tus-js-client and commits through the public API,
 * each call timed; percentiles and per-process CPU time from /proc. One copy, so both benches measure the same
 * client work.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Pkcs12KeyStore } from '../../electron/services/signing/pkcs12-keystore';
import { signPdf } from '../../shared/pdf/sign-pdf';
import { pathFor } from '../../shared/sync/api-contract';
import { centralFetch, enrollTestDevice, makeCommit, makePdf, tusUpload, type CentralProcess } from '../../tests/support/central-process';
import { getTestPki } from '../../tests/support/pki';

// ------------------------------------------------------------------------------------------ options

export function numberOption(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} must be a positive integer`);
  return value;
}

export function listOption(name: string, fallback: string): string[] {
  const at = process.argv.indexOf(`--${name}`);
  return (at >= 0 ? (process.argv[at + 1] ?? '') : fallback).split(',').filter(Boolean);
}

/** `--name value`, or undefined when the option is absent. */
export function stringOption(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

// ------------------------------------------------------------------------------------------ signed files

/** Size of the "small form" files: a one-page PDF with a 20 KB attachment. */
const smallFormBytes = 20_000;

/**
 * `count` distinct signed PDFs (the central stores by content, so repeats would flatter it). Signing is ~150 ms a
 * file, so they are kept in bench/.cache/central-200/ under the test PKI's root fingerprint.
 * `fileKb`: files alternate a small form and a scan of `fileKb` KB; `smallOnly`: every file is a small form
 * (what a counter syncs most: one signed application form).
 */
export async function signedFiles(count: number, opts: { fileKb: number; smallOnly?: boolean }): Promise<Uint8Array[]> {
  const pki = await getTestPki();
  const rootFingerprint = createHash('sha256').update(await readFile(pki.rootCaPemPath)).digest('hex').slice(0, 16);
  const kind = opts.smallOnly ? 'small' : `${opts.fileKb}kb`;
  const dir = fileURLToPath(new URL(`../.cache/central-200/${rootFingerprint}-${kind}/`, import.meta.url));
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
    // Half the files are small forms, half scanned copies of fileKb (unless smallOnly).
    const padding = opts.smallOnly || i % 2 === 0 ? smallFormBytes : opts.fileKb * 1024;
    const pdf = await makePdf({ paddingBytes: padding, text: opts.smallOnly ? `Ho so thu tai nho ${i}` : `Ho so thu tai ${i}` });
    const signed = await signPdf(pdf, keystore, { reason: 'Tiếp nhận hồ sơ', location: 'Bộ phận Một cửa', signerName: 'Quầy thử tải', signingTime: new Date() });
    await writeFile(file, signed);
    out.push(signed);
    if (++made % 100 === 0) console.log(`  signed ${made} new files…`);
  }
  return out;
}

// ------------------------------------------------------------------------------------------- measuring

export interface Timing {
  readonly ms: number[];
  readonly wallMs: number;
  readonly failures: Record<string, number>;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

export type Summary = { count: number; perSecond: number; p50: number; p95: number; max: number; wallS: number; centralCpuMsEach?: number; failures: Record<string, number> };

export function summary(t: Timing, centralCpuMs?: number): Summary {
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

/**
 * A failure's key in `Timing.failures`: its message without what differs between requests (tus-js-client names the
 * upload's URL and request id) and cut short, so the same failure counts under one key with its status.
 */
export const failureKey = (err: unknown): string =>
  (err instanceof Error ? err.message : String(err))
    .replace(/url: [^,]+, /g, '')
    .replace(/, request id: [^)]*/g, '')
    .replace(/\s+/g, ' ')
    .slice(0, 200);

/** Runs `work(i)` for every counter at once and times each call; a failure is counted by its message, not thrown. */
export async function timed(count: number, work: (i: number, record: (ms: number) => void) => Promise<void>): Promise<Timing> {
  const ms: number[] = [];
  const failures: Record<string, number> = {};
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      try {
        await work(i, (x) => ms.push(x));
      } catch (err) {
        const key = failureKey(err);
        failures[key] = (failures[key] ?? 0) + 1;
      }
    }),
  );
  return { ms, wallMs: performance.now() - t0, failures };
}

/** Clock ticks per second of /proc's utime and stime: 100 on Linux (USER_HZ). */
const ticksPerSecond = 100;

/** utime + stime (ms) from the text of a /proc/<pid>/stat or /proc/<pid>/task/<tid>/stat file; NaN if empty. */
export function statCpuMs(stat: string): number {
  if (!stat) return Number.NaN;
  // Fields after the command name (which may hold spaces) start at ")"; utime and stime are fields 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
}

/**
 * CPU time a process has used (user + system, all its threads), in ms, from /proc/<pid>/stat. Unlike wall time it
 * hardly depends on what else the machine runs, so it compares runs taken under different loads.
 */
export async function cpuMs(pid: number | undefined): Promise<number> {
  if (pid === undefined) return Number.NaN;
  return statCpuMs(await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => ''));
}

/** Peak resident memory of a process (VmHWM), in MB. */
export async function peakRssMb(pid: number | undefined): Promise<number | undefined> {
  if (pid === undefined) return undefined;
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
  return kb === undefined ? undefined : Math.round(Number(kb) / 1024);
}

// ------------------------------------------------------------------------------------------ counters

/** One simulated counter: where it sends (a central or the balancer) and its device credential. */
export interface Counter {
  readonly url: string;
  readonly credential: string;
  readonly unit: { code: string; name: string };
  readonly counterNo: number;
}

/** Counters per unit (a commune's reception desk has a few); the API allows counters 1–9. */
const countersPerUnit = 5;

/** The unit and counter number of simulated counter `i` (0-based): `countersPerUnit` counters a unit. */
function counterPlace(i: number): { unit: { code: string; name: string }; counterNo: number } {
  const unitNo = Math.floor(i / countersPerUnit) + 1;
  const unit = { code: `000.${String(Math.floor(unitNo / 100)).padStart(2, '0')}.${String(unitNo % 100).padStart(2, '0')}.H22`, name: `UBND xã Thử Tải ${unitNo}` };
  return { unit, counterNo: (i % countersPerUnit) + 1 };
}

/** Enrols counter `i` through `central`'s admin API (a one-time code, then the device's enrolment) and times it. */
export async function enrollCounter(central: Pick<CentralProcess, 'url' | 'adminToken'>, i: number, record: (ms: number) => void): Promise<Counter> {
  const { unit, counterNo } = counterPlace(i);
  const t = performance.now();
  const enrolled = await enrollTestDevice(central, { unit, counterNo, deviceName: `Quầy thử tải ${i + 1}` });
  record(performance.now() - t);
  return { url: central.url, credential: enrolled.credential, unit, counterNo };
}

let dossierSequence = 0;

export interface BenchDossier {
  readonly id: string;
  readonly files: readonly Uint8Array[];
  /** The commit body once the files are uploaded to `urls`. */
  commit(urls: string[]): Record<string, unknown>;
}

export function dossierFor(counter: Counter, files: readonly Uint8Array[]): BenchDossier {
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

/** Uploads a dossier's files one at a time (the sync engine's per-dossier order); resolves with their upload URLs. */
export async function upload(counter: Counter, dossier: { id: string; files: readonly Uint8Array[] }): Promise<string[]> {
  const urls: string[] = [];
  for (const [i, bytes] of dossier.files.entries()) urls.push(await tusUpload(counter, bytes, { dossierId: dossier.id, filename: `thanh-phan-${i + 1}.pdf` }));
  return urls;
}

/**
 * Commits; anything but 201 throws with the status and the start of the answer — also an answer that is not the
 * central's JSON (a load balancer's HTML error page), so every failure names its status.
 */
export async function commit(counter: Counter, id: string, body: unknown): Promise<void> {
  const res = await centralFetch(counter, pathFor('commitDossier', { id }), { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  if (res.status !== 201) throw new Error(`commit ${res.status}: ${text.replace(/\s+/g, ' ').slice(0, 120)}`);
}

/** Every dossier id in the feeds of the units of counters 0…count-1 (read as each unit's first counter), in feed order. */
export async function feedDossierIds(counterAt: (i: number) => Counter, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let u = 0; u < count; u += countersPerUnit) {
    let after = 0;
    for (;;) {
      const res = await centralFetch(counterAt(u), `${pathFor('changes')}?after=${after}&limit=1000`);
      if (!res.ok) throw new Error(`feed ${res.status}: ${(await res.text()).slice(0, 120)}`);
      const page = (await res.json()) as { changes: { dossierId: string }[]; cursor: number; hasMore: boolean };
      ids.push(...page.changes.map((c) => c.dossierId));
      after = page.cursor;
      if (!page.hasMore) break;
    }
  }
  return ids;
}
