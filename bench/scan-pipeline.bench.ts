/**
 * Page clean-up + PDF on realistic scans: A4 pages of Vietnamese text (the project's seed articles) rendered
 * at 200 dpi in colour, on tinted paper, crooked by up to ±3°, with sensor noise and a dark lid margin, as a
 * scanner's JPEG. In the same run:
 *   (a) img2pdf — the anchor: assembly only, the JPEGs embedded as they are;
 *   (b) ours — cleanPage (crop, orientation, deskew, levels, blank check, JPEG) on every page, one at a time,
 *       then assembleComponentPdfBytes; pages per minute, bytes per page, peak memory (RSS);
 *   (c) legibility — tesseract (vie) character error rate against the text pdftotext reads from the source
 *       PDF, on the raw scans and on our pages (lower is better; same engine, same pages);
 *   (d) ocrmypdf — OCR and optimisation of the img2pdf output, when installed;
 *   (e) ours, OCR — the app's OcrEngine (tesseract.js, the shipped Vietnamese data) on our cleaned pages, one
 *       at a time as in the app: pages per minute and character error rate of its words.
 * Every figure is printed with the load average at that moment (the machine may be shared).
 *
 * Run: npm run bench:scan           (options: --pages N (default 30), --ocr-pages N (default 3))
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { cleanPage } from '../electron/services/imaging/page-pipeline';
import { OcrEngine } from '../electron/services/imaging/ocr';
import { assembleComponentPdfBytes } from '../shared/pdf/assemble';
import { scannedPageJpeg, textPagesPdf, vietnameseText } from '../tests/support/page-images';

const run = promisify(execFile);
const benchDir = fileURLToPath(new URL('.', import.meta.url));
const cacheDir = join(benchDir, '.cache', 'scan-pipeline');
const resultsDir = join(benchDir, 'results');

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} wants a positive integer`);
  return value;
}
const pageCount = option('pages', 30);
const ocrPages = Math.min(pageCount, option('ocr-pages', 3));

async function has(command: string): Promise<boolean> {
  return run('sh', ['-c', `command -v ${command}`]).then(() => true, () => false);
}

/** Deterministic per-page look: angle in ±3°, noise, paper tint. */
function lookOf(i: number) {
  const angle = Math.round((((i * 7919) % 61) / 10 - 3) * 10) / 10;
  return { rotate: angle, noise: 0.15, border: 30, paper: [242, 238, 226] as [number, number, number], quality: 90 };
}

async function sourcePages(): Promise<{ pdfPath: string; paths: string[] }> {
  await mkdir(cacheDir, { recursive: true });
  const pdfPath = join(cacheDir, `source-${pageCount}.pdf`);
  if (!(await stat(pdfPath).catch(() => null))) await writeFile(pdfPath, await textPagesPdf(await vietnameseText(), pageCount));
  const pdf = new Uint8Array(await readFile(pdfPath));
  const paths: string[] = [];
  for (let i = 0; i < pageCount; i++) {
    const path = join(cacheDir, `scan-${pageCount}-${String(i + 1).padStart(3, '0')}.jpg`);
    if (!(await stat(path).catch(() => null))) await writeFile(path, await scannedPageJpeg(pdf, 200, lookOf(i), i));
    paths.push(path);
  }
  return { pdfPath, paths };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

const normalise = (text: string) => text.normalize('NFC').replace(/\s+/g, ' ').trim();

async function ocrText(imagePath: string): Promise<string> {
  const { stdout } = await run('tesseract', [imagePath, '-', '-l', 'vie', '--psm', '6'], { maxBuffer: 16 * 1024 * 1024 });
  return stdout;
}

async function main(): Promise<void> {
  sharp.cache(false);
  console.log(`scan pipeline bench: ${pageCount} pages, ${cpus().length} cores, load ${loadavg()[0]?.toFixed(1)}`);
  const { pdfPath, paths } = await sourcePages();
  const work = await mkdtemp(join(tmpdir(), 'motcua-scan-bench-'));
  const inputBytes = await Promise.all(paths.map(async (p) => (await stat(p)).size));
  const lines: string[] = [];
  const say = (line: string) => {
    const withLoad = `${line}  [load ${loadavg()[0]?.toFixed(1)}]`;
    console.log(withLoad);
    lines.push(withLoad);
  };
  try {
    // (a) img2pdf
    let img2pdfMs = NaN;
    const anchorPdf = join(work, 'img2pdf.pdf');
    if (await has('img2pdf')) {
      const t0 = performance.now();
      await run('img2pdf', [...paths, '-o', anchorPdf]);
      img2pdfMs = performance.now() - t0;
    }

    // (b) ours, one page at a time, memory sampled
    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
    const t0 = performance.now();
    const cleaned: Uint8Array[] = new Array<Uint8Array>(paths.length);
    const flags = { cropped: 0, turned: 0, straightened: 0, blank: 0 };
    // As the app does: two pages in flight (one per core), each decoded, cleaned and encoded on its own.
    let next = 0;
    const worker = async () => {
      while (next < paths.length) {
        const i = next++;
        const path = paths[i] ?? '';
        const page = await cleanPage(new Uint8Array(await readFile(path)), path);
        cleaned[i] = page.jpeg;
        if (page.cropped) flags.cropped++;
        if (page.quarterTurns) flags.turned++;
        if (page.skewDegrees) flags.straightened++;
        if (page.blank) flags.blank++;
      }
    };
    await Promise.all([worker(), worker()]);
    const cleanMs = performance.now() - t0;
    const assembled = await assembleComponentPdfBytes(
      cleaned.map((bytes, i) => ({ name: `p${i + 1}.jpg`, bytes })),
      { title: 'bench', creationDate: new Date('2026-01-01T00:00:00Z') },
    );
    const oursMs = performance.now() - t0;
    clearInterval(sampler);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    const oursPdf = join(work, 'ours.pdf');
    await writeFile(oursPdf, assembled.bytes);

    say(`input scans: median ${(median(inputBytes) / 1024).toFixed(0)} KB/page (JPEG q90, 200 dpi colour)`);
    if (Number.isFinite(img2pdfMs)) say(`(a) img2pdf (assembly only): ${img2pdfMs.toFixed(0)} ms = ${((pageCount / img2pdfMs) * 60_000).toFixed(0)} pages/min — anchor 1.00×`);
    const ratio = Number.isFinite(img2pdfMs) ? ` = ${(oursMs / img2pdfMs).toFixed(2)}× img2pdf's time` : '';
    say(`(b) ours, clean-up + PDF: ${oursMs.toFixed(0)} ms (clean-up ${cleanMs.toFixed(0)} ms) = ${((pageCount / oursMs) * 60_000).toFixed(0)} pages/min${ratio}`);
    say(`    output: median ${(median(cleaned.map((c) => c.byteLength)) / 1024).toFixed(0)} KB/page, max ${(Math.max(...cleaned.map((c) => c.byteLength)) / 1024).toFixed(0)} KB; PDF ${(assembled.bytes.byteLength / 1024 / 1024).toFixed(1)} MB`);
    say(`    pages cropped ${flags.cropped}, turned ${flags.turned}, straightened ${flags.straightened}, flagged blank ${flags.blank}`);
    say(`    peak RSS ${(peakRss / 1024 / 1024).toFixed(0)} MB for ${pageCount} pages`);

    // (c) legibility by OCR
    if (await has('tesseract')) {
      let rawErrors = 0;
      let ourErrors = 0;
      let chars = 0;
      const tOcr = performance.now();
      for (let i = 0; i < ocrPages; i++) {
        const { stdout } = await run('pdftotext', ['-f', String(i + 1), '-l', String(i + 1), '-layout', pdfPath, '-']);
        const truth = normalise(stdout);
        const ourPath = join(work, `ours-${i}.jpg`);
        await writeFile(ourPath, cleaned[i] ?? new Uint8Array());
        ourErrors += editDistance(normalise(await ocrText(ourPath)), truth);
        rawErrors += editDistance(normalise(await ocrText(paths[i] ?? '')), truth);
        chars += truth.length;
      }
      const ocrMs = (performance.now() - tOcr) / 2; // each page was read twice
      say(`(c) tesseract vie on ${ocrPages} pages: character error rate raw scans ${((rawErrors / chars) * 100).toFixed(2)} %, our pages ${((ourErrors / chars) * 100).toFixed(2)} %; OCR ${((ocrPages / ocrMs) * 60_000).toFixed(1)} pages/min`);
    } else say('(c) tesseract not installed: legibility not measured');

    // (d) ocrmypdf
    if (Number.isFinite(img2pdfMs) && (await has('ocrmypdf'))) {
      const t = performance.now();
      const out = join(work, 'ocrmypdf.pdf');
      await run('ocrmypdf', ['-l', 'vie', '--optimize', '1', '--jobs', String(cpus().length), '--quiet', anchorPdf, out], { maxBuffer: 64 * 1024 * 1024 });
      const ms = performance.now() - t;
      const size = (await stat(out)).size;
      say(`(d) ocrmypdf -l vie --optimize 1 on the img2pdf output: ${ms.toFixed(0)} ms = ${((pageCount / ms) * 60_000).toFixed(1)} pages/min, ${(size / pageCount / 1024).toFixed(0)} KB/page`);
    } else say('(d) ocrmypdf not installed: not run');

    // (e) ours: tesseract.js with the Vietnamese data shipped in node_modules, on our cleaned pages.
    {
      const engine = new OcrEngine();
      try {
        const tStart = performance.now();
        await engine.recognize(cleaned[0] ?? new Uint8Array(), { widthPx: 1, heightPx: 1 }); // engine start + first page
        const firstMs = performance.now() - tStart;
        let errors = 0;
        let chars = 0;
        const t = performance.now();
        const measured = Math.max(1, ocrPages - 1);
        for (let i = 1; i <= measured && i < cleaned.length; i++) {
          const page = await engine.recognize(cleaned[i] ?? new Uint8Array(), { widthPx: 1, heightPx: 1 });
          const { stdout } = await run('pdftotext', ['-f', String(i + 1), '-l', String(i + 1), '-layout', pdfPath, '-']);
          const truth = normalise(stdout);
          errors += editDistance(normalise(page.words.map((w) => w.text).join(' ')), truth);
          chars += truth.length;
        }
        const ms = performance.now() - t;
        const done = Math.min(measured, cleaned.length - 1);
        if (done > 0) say(`(e) ours, tesseract.js vie (best_int, one page at a time): ${((done / ms) * 60_000).toFixed(1)} pages/min on ${done} pages (${(ms / done / 1000).toFixed(1)} s/page; engine start + first page ${(firstMs / 1000).toFixed(1)} s); character error rate of its words ${((errors / chars) * 100).toFixed(2)} %`);
        else say(`(e) ours, tesseract.js vie: engine start + one page ${(firstMs / 1000).toFixed(1)} s (use --pages 2 or more for a rate)`);
      } finally {
        await engine.close();
      }
    }

    await mkdir(resultsDir, { recursive: true });
    await writeFile(join(resultsDir, 'scan-pipeline.txt'), `${new Date().toISOString()} load ${loadavg()[0]?.toFixed(1)}\n${lines.join('\n')}\n`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

await main();
