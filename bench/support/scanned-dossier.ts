/**
 * The scan bench's dossier, for other benches: `pages` A4 pages of Vietnamese text rendered at 200 dpi in colour,
 * on tinted paper, crooked by up to ±3°, with sensor noise and a dark lid margin, as a scanner's JPEG — the same
 * files, in the same cache folder, as bench/scan-pipeline.bench.ts makes (the first run of either makes them).
 * Plus what OCR should read on each page (pdftotext of the source PDF) and the character error rate.
 */
import { execFile } from 'node:child_process';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { scannedPageJpeg, textPagesPdf, vietnameseText } from '../../tests/support/page-images';

const run = promisify(execFile);
const cacheDir = join(fileURLToPath(new URL('..', import.meta.url)), '.cache', 'scan-pipeline');

/** Deterministic per-page look: angle in ±3°, noise, paper tint (as in the scan bench). */
function lookOf(i: number) {
  const angle = Math.round((((i * 7919) % 61) / 10 - 3) * 10) / 10;
  return { rotate: angle, noise: 0.15, border: 30, paper: [242, 238, 226] as [number, number, number], quality: 90 };
}

/** The source PDF and the scanned JPEG of each of its pages (made once, then read from the cache). */
export async function scannedDossier(pageCount: number): Promise<{ pdfPath: string; paths: string[] }> {
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

/** Whitespace-insensitive, NFC: what a character error rate compares. */
export const normaliseText = (text: string) => text.normalize('NFC').replace(/\s+/g, ' ').trim();

/** The text of page `index` (0-based) of the source PDF, as pdftotext lays it out. */
export async function pageTruth(pdfPath: string, index: number): Promise<string> {
  const { stdout } = await run('pdftotext', ['-f', String(index + 1), '-l', String(index + 1), '-layout', pdfPath, '-']);
  return normaliseText(stdout);
}

/** Levenshtein distance (insertions, deletions, substitutions of UTF-16 units). */
export function editDistance(a: string, b: string): number {
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
