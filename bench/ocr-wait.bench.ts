/**
 * What the clerk waits for on OCR (issue 20): a 30-page dossier (the scan bench's pages: 200 dpi colour scans of
 * Vietnamese text, crooked, noisy) is fed to the app's real PageProcessor — clean-up worker threads, then OCR —
 * at a feeder's pace (default 25 pages/min: one page every 2.4 s), and timed from the LAST page delivered until
 * every page has its OCR words ("ready to sign with a full text layer": the text layer is signed, so it cannot
 * come later). Also with an instant feeder (the whole stack arrives at once, e.g. a hot folder). For each engine
 * set-up: that wait, pages per minute over the whole run, and the character error rate of the words against the
 * source text (pdftotext), every figure with the load average at that moment.
 *
 * Set-ups, in one run: BEFORE = today's single tesseract.js engine (`wasm:1`); AFTER = the new defaults, a pool
 * of two lanes (`wasm:2` where no `tesseract` program is installed, `native:2` where it is — what 'auto' picks),
 * plus `native:1` to compare engines page for page.
 *
 * Run: npm run bench:ocr-wait   options: --pages N (30) --ppm N (25) --setups wasm:1,wasm:2,native:1,native:2
 *      --instant-setups wasm:1,native:2 (the set-ups also run with an instant feeder; "none" for none)
 *      --cleanup-workers N (2) --source-pages N (take the first --pages pages of the cached N-page dossier)
 * Writes bench/results/ocr-wait.json.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { OcrEngine } from '../electron/services/imaging/ocr';
import { NativeOcrEngine, nativeTesseractProblem } from '../electron/services/imaging/ocr-native';
import { OcrPool, defaultOcrLanes, type OcrEngineKind } from '../electron/services/imaging/ocr-pool';
import { PageCleaner } from '../electron/services/imaging/page-cleaner';
import { PageProcessor } from '../electron/services/imaging/page-processing';
import { editDistance, normaliseText, pageTruth, scannedDossier } from './support/scanned-dossier';

const resultsDir = join(fileURLToPath(new URL('.', import.meta.url)), 'results');

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} wants a positive number`);
  return value;
}
function listOption(name: string, fallback: string): { kind: OcrEngineKind; lanes: number }[] {
  const at = process.argv.indexOf(`--${name}`);
  const text = at >= 0 ? (process.argv[at + 1] ?? '') : fallback;
  if (text === 'none') return [];
  return text.split(',').map((item) => {
    const [kind, lanes] = item.split(':');
    if ((kind !== 'wasm' && kind !== 'native') || !Number.isInteger(Number(lanes)) || Number(lanes) < 1) throw new Error(`--${name}: "${item}" is not engine:lanes (wasm:2, native:1)`);
    return { kind, lanes: Number(lanes) };
  });
}
const pageCount = Math.round(option('pages', 30));
/** The first `--pages` pages of the scan bench's dossier of this many pages (its cache is reused). */
const sourcePages = Math.max(pageCount, Math.round(option('source-pages', pageCount)));
const ppm = option('ppm', 25);
const cleanupWorkers = Math.round(option('cleanup-workers', 2));
const setups = listOption('setups', 'wasm:1,wasm:2,native:1,native:2');
const instantSetups = listOption('instant-setups', `wasm:1,native:${defaultOcrLanes()}`);

const load = () => loadavg()[0]?.toFixed(2) ?? '?';

interface Outcome {
  readonly setup: string;
  readonly feeder: string;
  /** From the last page delivered to the last page's OCR words. */
  readonly waitAfterLastPageMs: number;
  /** From the first page delivered to the last page's OCR words. */
  readonly totalMs: number;
  readonly pagesPerMinute: number;
  readonly cer: number;
  readonly failedPages: number;
  readonly loadAtEnd: string;
}

async function runOnce(setup: { kind: OcrEngineKind; lanes: number }, feederPpm: number | null, scans: readonly Uint8Array[], truths: readonly string[]): Promise<Outcome> {
  const ocr = new OcrPool({ lanes: setup.lanes, open: () => Promise.resolve(setup.kind === 'native' ? new NativeOcrEngine() : new OcrEngine()) });
  const processor = new PageProcessor({ cleanup: true, ocr: true }, { cleaner: new PageCleaner({ workers: cleanupWorkers }), ocr });
  const ids: string[] = [];
  try {
    const t0 = performance.now();
    let lastDelivered = t0;
    for (const [i, scan] of scans.entries()) {
      // A feeder delivers page i at i × its period; the processor works in the background meanwhile.
      if (feederPpm !== null) {
        const due = t0 + (i * 60_000) / feederPpm;
        const now = performance.now();
        if (due > now) await new Promise((resolve) => setTimeout(resolve, due - now));
      }
      const id = processor.submit(scan, `page-${i + 1}.jpg`, { widthPx: 1, heightPx: 1 });
      if (!id) throw new Error('processing is off');
      ids.push(id);
      lastDelivered = performance.now();
    }
    while (processor.pending > 0) await new Promise((resolve) => setTimeout(resolve, 25));
    const done = performance.now();
    const results = await processor.results(ids.map((id) => ({ id, want: 'ocr' as const })));
    let errors = 0;
    let chars = 0;
    let failedPages = 0;
    results.forEach((result, i) => {
      const truth = truths[i] ?? '';
      if (result.state !== 'known' || result.ocr !== 'done' || !result.ocrPage) failedPages++;
      const read = result.state === 'known' && result.ocrPage ? normaliseText(result.ocrPage.words.map((w) => w.text).join(' ')) : '';
      errors += editDistance(read, truth);
      chars += truth.length;
    });
    return {
      setup: `${setup.kind}:${setup.lanes}`,
      feeder: feederPpm === null ? 'instant' : `${feederPpm} pages/min`,
      waitAfterLastPageMs: done - lastDelivered,
      totalMs: done - t0,
      pagesPerMinute: (scans.length / (done - t0)) * 60_000,
      cer: errors / Math.max(1, chars),
      failedPages,
      loadAtEnd: load(),
    };
  } finally {
    await processor.close();
  }
}

async function main(): Promise<void> {
  sharp.cache(false);
  const nativeProblem = await nativeTesseractProblem();
  console.log(`OCR wait bench: ${pageCount} pages, feeder ${ppm} pages/min (${(60 / ppm).toFixed(1)} s/page), ${cpus().length} cores, ${cleanupWorkers} clean-up workers, default OCR lanes here ${defaultOcrLanes()}, native tesseract: ${nativeProblem ?? 'yes, with vie'}  [load ${load()}]`);
  const dossier = await scannedDossier(sourcePages);
  const { pdfPath } = dossier;
  const paths = dossier.paths.slice(0, pageCount);
  const scans = await Promise.all(paths.map(async (p) => new Uint8Array(await readFile(p))));
  const truths = await Promise.all(paths.map((_, i) => pageTruth(pdfPath, i)));
  const runs: { setup: { kind: OcrEngineKind; lanes: number }; feeder: number | null }[] = [
    ...setups.map((setup) => ({ setup, feeder: ppm })),
    ...instantSetups.map((setup) => ({ setup, feeder: null })),
  ].filter((r) => r.setup.kind === 'wasm' || nativeProblem === null);
  const outcomes: Outcome[] = [];
  for (const { setup, feeder } of runs) {
    const loadBefore = load();
    const outcome = await runOnce(setup, feeder, scans, truths);
    outcomes.push(outcome);
    console.log(
      `${outcome.setup.padEnd(9)} feeder ${outcome.feeder.padEnd(14)}: wait after the last page ${(outcome.waitAfterLastPageMs / 1000).toFixed(1).padStart(6)} s, ` +
        `all ${pageCount} pages in ${(outcome.totalMs / 1000).toFixed(1)} s = ${outcome.pagesPerMinute.toFixed(1)} pages/min, CER ${(outcome.cer * 100).toFixed(2)} %` +
        `${outcome.failedPages ? `, ${outcome.failedPages} pages FAILED` : ''}  [load ${loadBefore} → ${outcome.loadAtEnd}]`,
    );
  }
  const table = [
    '',
    '| set-up | feeder | wait after last page | pages/min (whole run) | CER | load (end) |',
    '|---|---|---|---|---|---|',
    ...outcomes.map((o) => `| ${o.setup}${o.setup === 'wasm:1' ? ' (before)' : ''} | ${o.feeder} | ${(o.waitAfterLastPageMs / 1000).toFixed(1)} s | ${o.pagesPerMinute.toFixed(1)} | ${(o.cer * 100).toFixed(2)} % | ${o.loadAtEnd} |`),
  ];
  for (const line of table) console.log(line);
  await mkdir(resultsDir, { recursive: true });
  await writeFile(
    join(resultsDir, 'ocr-wait.json'),
    JSON.stringify({ at: new Date().toISOString(), cores: cpus().length, pages: pageCount, feederPagesPerMinute: ppm, cleanupWorkers, defaultOcrLanes: defaultOcrLanes(), nativeTesseract: nativeProblem ?? 'available', outcomes }, null, 2) + '\n',
  );
}

await main();
