/**
 * Vietnamese OCR with the counter's own `tesseract` program (Debian: `tesseract-ocr` + `tesseract-ocr-vie`),
 * where it is installed: `tesseract <image> stdout -l vie --oem 1 --psm 6 tsv`, its TSV parsed into the same
 * `OcrPage` words as the tesseract.js engine (same confidence cut, the line's box for each word's height).
 *
 * The program is run with execFile (no shell), one page per run, a page timeout (the process is killed) and a
 * cap on its output; the page goes through a file in a private temporary folder (mode 0700) removed after the
 * run. One OpenMP thread per run (OMP_THREAD_LIMIT=1): parallelism comes from the pool running pages side by
 * side (ocr-pool.ts), which measured better than tesseract's own threads on two cores (docs/benchmarks.md).
 * Any failure — program missing, Vietnamese data missing, a crash, a timeout — is IMAGING_OCR_FAILED.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { AppError } from '../../../shared/errors';
import type { OcrPage, OcrWord } from '../../../shared/imaging/processing';
import { minOcrConfidence } from './ocr';

/** What a counter's configuration may name; the default finds `tesseract` on PATH. */
export const defaultTesseractPath = 'tesseract';
/** A page's TSV is a few tens of KB; a runaway output stops here instead of filling memory. */
const maxOutputBytes = 8 * 1024 * 1024;
const defaultPageTimeoutMs = 90_000;

interface RunResult {
  readonly stdout: string;
}

function runTesseract(file: string, args: readonly string[], timeoutMs: number, signal?: AbortSignal): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      // Only what tesseract needs from the environment; one thread per page (see the header).
      { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: maxOutputBytes, encoding: 'utf8', windowsHide: true, ...(signal ? { signal } : {}), env: { PATH: process.env.PATH ?? '/usr/bin:/bin', OMP_THREAD_LIMIT: '1', ...(process.env.TESSDATA_PREFIX ? { TESSDATA_PREFIX: process.env.TESSDATA_PREFIX } : {}) } },
      (err, stdout, stderr) => {
        if (!err) return resolve({ stdout });
        const killed = (err as { killed?: boolean }).killed === true;
        const reason = signal?.aborted ? 'stopped' : killed ? `no result after ${Math.round(timeoutMs / 1000)} s` : (err as NodeJS.ErrnoException).code === 'ENOENT' ? `${file} not found` : firstLine(stderr) || err.message;
        reject(new Error(reason));
      },
    );
  });
}

function firstLine(text: string): string {
  return text.split('\n').find((l) => l.trim())?.trim().slice(0, 300) ?? '';
}

/**
 * The words of tesseract's TSV output (level 4 rows are lines, level 5 rows words: left, top, width, height,
 * conf, text). Words under `minConfidence` and empty ones are left out; each word takes its line's top and
 * bottom, as the tesseract.js engine does, so a line gets one font size and baseline in the text layer.
 */
export function parseTesseractTsv(tsv: string, size: { widthPx: number; heightPx: number }, minConfidence = minOcrConfidence): OcrPage {
  const lines = new Map<string, { y0: number; y1: number }>();
  const words: OcrWord[] = [];
  for (const row of tsv.split('\n')) {
    const cells = row.replace(/\r$/, '').split('\t');
    if (cells.length < 12) continue;
    const [level, page, block, paragraph, line, , left, top, width, height, conf] = cells.map(Number);
    if (level !== 4 && level !== 5) continue; // the header row and page/block/paragraph rows
    if (![left, top, width, height].every((n) => Number.isFinite(n))) continue;
    const key = `${page}.${block}.${paragraph}.${line}`;
    const x0 = left ?? 0;
    const y0 = top ?? 0;
    if (level === 4) {
      lines.set(key, { y0, y1: y0 + (height ?? 0) });
      continue;
    }
    // The text is the last column; a tab inside it would be a new column, so everything after the 11th is joined.
    const text = cells.slice(11).join('\t').normalize('NFC').trim();
    if (!text || !(Number(conf) >= minConfidence)) continue;
    const lineBox = lines.get(key) ?? { y0, y1: y0 + (height ?? 0) };
    words.push({ text: text.slice(0, 200), x0, x1: x0 + (width ?? 0), y0: lineBox.y0, y1: lineBox.y1 });
  }
  return { widthPx: size.widthPx, heightPx: size.heightPx, words };
}

/**
 * Whether `tesseract` (or the configured program) runs and has Vietnamese: `--list-langs` names `vie`.
 * Resolves to the reason it cannot be used, or null when it can.
 */
export async function nativeTesseractProblem(tesseractPath = defaultTesseractPath, timeoutMs = 10_000): Promise<string | null> {
  try {
    const { stdout } = await runTesseract(tesseractPath, ['--list-langs'], timeoutMs);
    // "List of available languages in "/usr/share/tesseract-ocr/5/tessdata/" (3):" then one name a line.
    return stdout.split('\n').some((l) => l.trim() === 'vie') ? null : `${tesseractPath} has no Vietnamese data (vie)`;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

export class NativeOcrEngine {
  readonly kind = 'native' as const;
  readonly #tesseractPath: string;
  readonly #pageTimeoutMs: number;
  #dir: Promise<string> | null = null;
  readonly #running = new Set<Promise<unknown>>();
  #stop = new AbortController();

  constructor(options: { tesseractPath?: string; pageTimeoutMs?: number } = {}) {
    this.#tesseractPath = options.tesseractPath ?? defaultTesseractPath;
    this.#pageTimeoutMs = options.pageTimeoutMs ?? defaultPageTimeoutMs;
  }

  /** The words of one page image (JPEG or PNG bytes), boxes in its pixels. Each call is its own process. */
  async recognize(image: Uint8Array, size: { widthPx: number; heightPx: number }, name = 'page'): Promise<OcrPage> {
    const work = (async () => {
      this.#dir ??= mkdtemp(path.join(tmpdir(), 'motcua-ocr-'));
      const file = path.join(await this.#dir, `${randomUUID()}.img`);
      try {
        await writeFile(file, image, { mode: 0o600 });
        const { stdout } = await runTesseract(this.#tesseractPath, [file, 'stdout', '-l', 'vie', '--oem', '1', '--psm', '6', 'tsv'], this.#pageTimeoutMs, this.#stop.signal);
        return parseTesseractTsv(stdout, size);
      } finally {
        await rm(file, { force: true });
      }
    })();
    this.#running.add(work);
    try {
      return await work;
    } catch (cause) {
      throw new AppError('IMAGING_OCR_FAILED', { name, reason: cause instanceof Error ? cause.message : String(cause) }, { cause });
    } finally {
      this.#running.delete(work);
    }
  }

  /** Kills the runs in progress (their pages fail), then removes the temporary folder. Usable again after. */
  async close(): Promise<void> {
    this.#stop.abort();
    this.#stop = new AbortController();
    await Promise.allSettled([...this.#running]);
    const dir = this.#dir;
    this.#dir = null;
    if (dir) await rm(await dir, { recursive: true, force: true });
  }
}
