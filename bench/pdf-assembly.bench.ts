/**
 * How long does building one dossier component take on a counter PC? 20 A4 colour pages scanned at 200 dpi
 * (the Decree 30/2020 minimum) are assembled three ways in the same run:
 *   (a) img2pdf — the anchor: a dedicated tool that also embeds JPEG without re-encoding;
 *   (b) assembleComponentPdfBytes — our assembly (shared/pdf/assemble.ts);
 *   (c) our assembly followed by PAdES signing with a PKCS#12 key (shared/pdf/sign-pdf.ts).
 *
 * Run: npm run bench            (options: --reps N, --pages N; default 7 repetitions, 20 pages)
 * The generated pages are cached in bench/.cache; results are also written to bench/results/.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { sha256 } from '@noble/hashes/sha2.js';
import { assembleComponentPdf, assembleComponentPdfBytes } from '../shared/pdf/assemble';
import type { SourceFile } from '../shared/pdf/assemble';
import { signPdf } from '../shared/pdf/sign-pdf';
import type { Sha256Digest } from '../shared/util/bytes';
import { ensureDemoPki } from '../electron/services/signing/demo-pki';
import { Pkcs12KeyStore } from '../electron/services/signing/pkcs12-keystore';
import { a4Pixels, makeJpeg } from '../tests/support/images';

const run = promisify(execFile);
const benchDir = fileURLToPath(new URL('.', import.meta.url));
const cacheDir = join(benchDir, '.cache');
const resultsDir = join(benchDir, 'results');

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} wants a positive integer`);
  return value;
}

const repetitions = option('reps', 7);
const pageCount = option('pages', 20);
const dpi = 200;
const meta = { title: 'Bench: 20 trang A4 200 dpi', subject: 'pdf-assembly bench', creationDate: new Date('2025-01-01T00:00:00Z') };

/** The scanned pages, generated once (about 1 s each) and reused by later runs. */
async function cachedPages(): Promise<{ paths: string[]; files: SourceFile[] }> {
  const dir = join(cacheDir, `a4-${dpi}dpi-jpeg`);
  await mkdir(dir, { recursive: true });
  const paths = Array.from({ length: pageCount }, (_, i) => join(dir, `page-${String(i + 1).padStart(2, '0')}.jpg`));
  const missing = [];
  for (const [i, path] of paths.entries()) {
    if (!(await stat(path).catch(() => null))) missing.push({ i, path });
  }
  if (missing.length) console.log(`generating ${missing.length} scanned pages in ${dir} …`);
  // Two at a time: the reference machine has two cores.
  for (let k = 0; k < missing.length; k += 2) {
    await Promise.all(
      missing.slice(k, k + 2).map(async ({ i, path }) => {
        await writeFile(path, await makeJpeg({ ...a4Pixels(dpi), dpi, seed: 1000 + i, quality: 85 }));
      }),
    );
  }
  const files = await Promise.all(paths.map(async (path, i) => ({ name: `page-${i + 1}.jpg`, bytes: new Uint8Array(await readFile(path)) })));
  return { paths, files };
}

/** Debian's img2pdf module lives in the system Python (/usr/bin/python3), whatever python3 is on PATH. */
const img2pdfTimer = `
import img2pdf, json, sys, time
reps = int(sys.argv[1])
pages = [open(p, "rb").read() for p in sys.argv[2:]]
out = img2pdf.convert(pages)  # warm-up
times = []
for _ in range(reps):
    start = time.perf_counter()
    out = img2pdf.convert(pages)
    times.append((time.perf_counter() - start) * 1000)
print(json.dumps({"times": times, "size": len(out)}))
`;

async function img2pdfInProcess(paths: readonly string[]): Promise<Measured> {
  const { stdout } = await run('/usr/bin/python3', ['-c', img2pdfTimer, String(repetitions), ...paths], { maxBuffer: 1 << 20 });
  const parsed = JSON.parse(stdout) as { times: number[]; size: number };
  return { step: "(a') img2pdf.convert() in-process", timesMs: parsed.times, outputBytes: parsed.size };
}

interface Measured {
  readonly step: string;
  readonly timesMs: number[];
  readonly outputBytes: number;
}

/** One untimed warm-up (JIT, page cache), then `repetitions` timed runs. */
async function measure(step: string, once: () => Promise<number>): Promise<Measured> {
  let outputBytes = await once();
  const timesMs: number[] = [];
  for (let r = 0; r < repetitions; r++) {
    const start = performance.now();
    outputBytes = await once();
    timesMs.push(performance.now() - start);
  }
  return { step, timesMs, outputBytes };
}

const median = (xs: readonly number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};
const min = (xs: readonly number[]): number => Math.min(...xs);
const kb = (bytes: number): string => `${(bytes / 1024).toFixed(0)} KB`;

async function main(): Promise<void> {
  const { paths, files } = await cachedPages();
  const inputBytes = files.reduce((sum, f) => sum + f.bytes.length, 0);
  const work = await mkdtemp(join(tmpdir(), 'motcua-bench-'));
  const results: Measured[] = [];
  try {
    // (a) img2pdf, the anchor. It embeds the same JPEG bytes; its time includes Python start-up, measured
    // separately below so the reader can see how much of it that is.
    const img2pdfOut = join(work, 'img2pdf.pdf');
    results.push(
      await measure('(a) img2pdf (anchor)', async () => {
        await run('img2pdf', [...paths, '-o', img2pdfOut]);
        return (await stat(img2pdfOut)).size;
      }),
    );
    const startup = await measure('    img2pdf --version (start-up only)', async () => {
      await run('img2pdf', ['--version']);
      return 0;
    });
    // The same conversion inside one Python process, from bytes in memory: img2pdf's own cost without
    // start-up, the fair comparison for (b), which also works on bytes in memory.
    results.push(await img2pdfInProcess(paths));

    // (b) our assembly, in memory (the renderer worker holds the pages as bytes from IndexedDB).
    results.push(
      await measure('(b) assembleComponentPdfBytes', async () => {
        const { bytes, pageCount: pages } = await assembleComponentPdfBytes(files, meta);
        if (pages !== pageCount) throw new Error(`expected ${pageCount} pages, got ${pages}`);
        return bytes.length;
      }),
    );

    // (c) assembly + PAdES signature with the demo PKCS#12 key. Unlocking the key is a clerk action done
    // once per session, so it is outside the timed loop.
    const pki = await ensureDemoPki(join(cacheDir, 'demo-pki'));
    const keyStore = new Pkcs12KeyStore({ path: pki.counterSignerP12Path, label: 'bench' });
    await keyStore.unlock(pki.password);
    let signed: Uint8Array = new Uint8Array();
    const signOptions = { reason: 'Sao y bản chính', location: 'Bộ phận Một cửa', signerName: 'Bench', signingTime: new Date() };
    // The app hashes with the platform's native SHA-256 (WebCrypto in the renderer); node:crypto here.
    const nativeDigest: Sha256Digest = (parts) => {
      const hash = createHash('sha256');
      for (const part of parts) hash.update(part);
      return Promise.resolve(new Uint8Array(hash.digest()));
    };
    results.push(
      await measure('(c) assembly + PAdES signing (PKCS#12, native SHA-256 as in the app)', async () => {
        const { pdf } = await assembleComponentPdf(files, meta);
        signed = await signPdf(pdf, keyStore, { ...signOptions, digest: nativeDigest });
        return signed.length;
      }),
      await measure("(c') the same, SHA-256 in pure JS (@noble/hashes)", async () => {
        const { pdf } = await assembleComponentPdf(files, meta);
        return (await signPdf(pdf, keyStore, signOptions)).length;
      }),
    );
    // Why the digest is a port: hashing the whole file (minus /Contents) dominates signing.
    const hashed = signed.slice(); // a copy over a plain ArrayBuffer, as WebCrypto's BufferSource wants
    results.push(
      await measure('    SHA-256 of the output, @noble/hashes', () => Promise.resolve(sha256(hashed).length * 0)),
      await measure('    SHA-256 of the output, node:crypto', () => Promise.resolve(createHash('sha256').update(hashed).digest().length * 0)),
      await measure('    SHA-256 of the output, WebCrypto', async () => (await globalThis.crypto.subtle.digest('SHA-256', hashed)).byteLength * 0),
    );

    // Not timed: the last signed output checked by poppler, so a fast but broken signature cannot pass.
    const signedPath = join(work, 'signed.pdf');
    await writeFile(signedPath, signed);
    const { stdout } = await run('pdfsig', [signedPath]).catch((e: { stdout?: string }) => ({ stdout: e.stdout ?? '' }));
    const signedCheck = /Signature Validation:\s*(.+)/.exec(stdout)?.[1]?.trim() ?? 'no signature found';

    const summary = report(results, startup, inputBytes, signedCheck);
    await mkdir(resultsDir, { recursive: true });
    await writeFile(join(resultsDir, `pdf-assembly-${summary.date.replace(/[:.]/g, '-')}.json`), JSON.stringify(summary, null, 2));
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

function report(results: readonly Measured[], startup: Measured, inputBytes: number, signedCheck: string): { date: string } & Record<string, unknown> {
  const medianOf = (prefix: string): number => median(results.find((m) => m.step.startsWith(prefix))?.timesMs ?? [NaN]);
  const cliMedian = medianOf('(a)');
  const inProcessMedian = medianOf("(a')");
  const [cli, ...rest] = results;
  const rows = [...(cli ? [cli] : []), startup, ...rest].map((m) => ({
    step: m.step,
    medianMs: median(m.timesMs),
    minMs: min(m.timesMs),
    msPerPage: median(m.timesMs) / pageCount,
    output: m.outputBytes ? kb(m.outputBytes) : '—',
    ratioToImg2pdf: median(m.timesMs) / cliMedian,
    ratioToImg2pdfInProcess: median(m.timesMs) / inProcessMedian,
  }));

  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  console.log(`\nPDF assembly: ${pageCount} A4 colour JPEG pages at ${dpi} dpi (input ${kb(inputBytes)}), ${repetitions} repetitions after 1 warm-up`);
  console.log(`machine: ${cpus().length} cores, ${cpu}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}\n`);
  const header = ['step', 'median ms', 'min ms', 'ms/page', 'output', 'vs img2pdf', "vs img2pdf in-process"];
  const table = rows.map((r) => [r.step, r.medianMs.toFixed(1), r.minMs.toFixed(1), r.msPerPage.toFixed(2), r.output, `${r.ratioToImg2pdf.toFixed(2)}×`, `${r.ratioToImg2pdfInProcess.toFixed(2)}×`]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of table) console.log(line(row));
  console.log(`\npdfsig on the signed output: ${signedCheck}`);
  return { date: new Date().toISOString(), pageCount, dpi, repetitions, inputBytes, machine: { cores: cpus().length, cpu, node: process.version, loadAverage: loadavg() }, rows, signedCheck };
}

await main();
