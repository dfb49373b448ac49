/**
 * OCR on every core (issue 20): a pool of `lanes` engines, each reading one page at a time, so a 30-page
 * dossier is read about as fast as the feeder brings it instead of two minutes after the last page. Pages are
 * read in the order they came; a page that fails (or times out) fails alone and its lane takes the next one;
 * `close()` stops every lane and fails the pages still waiting or being read.
 *
 * Which engine: `imaging.ocrEngine` in the counter's configuration — 'native' (the `tesseract` program,
 * ocr-native.ts), 'wasm' (tesseract.js, shipped with the app, ocr.ts) or 'auto' (the default): native when the
 * program runs and lists Vietnamese, else wasm; decided once, on the first page. How many lanes:
 * `imaging.ocrWorkers`, default `defaultOcrLanes()` (measured with bench/ocr-wait.bench.ts, docs/benchmarks.md).
 */
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { AppError } from '../../../shared/errors';
import type { OcrPage } from '../../../shared/imaging/processing';
import { OcrEngine } from './ocr';
import { NativeOcrEngine, defaultTesseractPath, nativeTesseractProblem } from './ocr-native';

export type OcrEngineKind = 'wasm' | 'native';
export type OcrEngineChoice = OcrEngineKind | 'auto';

/** One engine: reads one page per call. */
export interface PageReader {
  readonly kind: OcrEngineKind;
  recognize(image: Uint8Array, size: { widthPx: number; heightPx: number }, name?: string): Promise<OcrPage>;
  close(): Promise<void>;
}

/**
 * Lanes by default: one per core, at most 2. On the 2-core counter two lanes took the wait after the last page
 * from ~a minute to seconds while clean-up (2 worker threads) shares the same cores; a third lane on 2 cores only
 * adds ~100 MB (a tesseract.js engine) without reading faster.
 */
export function defaultOcrLanes(cores = availableParallelism()): number {
  return Math.max(1, Math.min(2, cores));
}

interface Job {
  readonly image: Uint8Array;
  readonly size: { widthPx: number; heightPx: number };
  readonly name: string;
  resolve(page: OcrPage): void;
  reject(err: unknown): void;
}

export interface OcrPoolOptions {
  readonly lanes: number;
  /** Makes the engine of one lane (called once per lane, on first use). */
  readonly open: () => Promise<PageReader>;
}

export class OcrPool {
  readonly lanes: number;
  readonly #open: () => Promise<PageReader>;
  readonly #engines: (Promise<PageReader> | null)[];
  readonly #busy: (Job | null)[];
  readonly #waiting: Job[] = [];
  #kind: OcrEngineKind | null = null;
  #msPerPage: number | null = null;

  constructor(options: OcrPoolOptions) {
    this.lanes = Math.max(1, Math.floor(options.lanes));
    this.#open = options.open;
    this.#engines = Array.from({ length: this.lanes }, () => null);
    this.#busy = Array.from({ length: this.lanes }, () => null);
  }

  /** The engine the lanes run, once the first one started (null before). */
  get kind(): OcrEngineKind | null {
    return this.#kind;
  }

  /** How long a lane takes for one page lately (a moving average of read times), null before the first page. */
  get msPerPage(): number | null {
    return this.#msPerPage;
  }

  /** Pages being read now and waiting for a lane. */
  get queued(): number {
    return this.#waiting.length + this.#busy.filter(Boolean).length;
  }

  /** The words of one page; waits for a free lane. Results are per call, so the order they finish in does not matter. */
  recognize(image: Uint8Array, size: { widthPx: number; heightPx: number }, name = 'page'): Promise<OcrPage> {
    return new Promise<OcrPage>((resolve, reject) => {
      this.#waiting.push({ image, size, name, resolve, reject });
      this.#pump();
    });
  }

  #pump(): void {
    for (let lane = 0; lane < this.lanes && this.#waiting.length > 0; lane++) {
      if (this.#busy[lane]) continue;
      const job = this.#waiting.shift();
      if (!job) return;
      this.#busy[lane] = job;
      void this.#read(lane, job);
    }
  }

  async #read(lane: number, job: Job): Promise<void> {
    try {
      const engine = await (this.#engines[lane] ??= this.#open());
      this.#kind = engine.kind;
      const started = performance.now();
      const page = await engine.recognize(job.image, job.size, job.name);
      const took = performance.now() - started;
      this.#msPerPage = this.#msPerPage === null ? took : 0.7 * this.#msPerPage + 0.3 * took;
      if (this.#busy[lane] === job) job.resolve(page);
    } catch (err) {
      // An engine that could not start is tried again for the next page.
      if (this.#engines[lane] && (await this.#engines[lane].then(() => false, () => true))) this.#engines[lane] = null;
      if (this.#busy[lane] === job) job.reject(err instanceof AppError ? err : new AppError('IMAGING_OCR_FAILED', { name: job.name, reason: err instanceof Error ? err.message : String(err) }, { cause: err }));
    }
    if (this.#busy[lane] === job) {
      this.#busy[lane] = null;
      this.#pump();
    }
  }

  /** Stops every lane: the pages waiting and those being read fail ('closed'); a later page starts the lanes again. */
  async close(): Promise<void> {
    const failed = [...this.#waiting.splice(0), ...this.#busy.filter((j): j is Job => j !== null)];
    this.#busy.fill(null);
    for (const job of failed) job.reject(new AppError('IMAGING_OCR_FAILED', { name: job.name, reason: 'closed' }));
    const engines = this.#engines.splice(0, this.lanes, ...Array.from({ length: this.lanes }, () => null));
    await Promise.all(engines.map(async (engine) => (await engine?.catch(() => null))?.close()));
  }
}

export interface OcrSettings {
  readonly engine: OcrEngineChoice;
  readonly lanes?: number | undefined;
  readonly tesseractPath?: string | undefined;
}

/** Which engine 'auto' (or a fixed choice) means on this machine; native only when its program answers with `vie`. */
export async function resolveOcrEngine(choice: OcrEngineChoice, tesseractPath = defaultTesseractPath): Promise<OcrEngineKind> {
  if (choice !== 'auto') return choice;
  return (await nativeTesseractProblem(tesseractPath)) === null ? 'native' : 'wasm';
}

/** The counter's OCR: a pool of the configured engine. Nothing starts before the first page. */
export function openOcrPool(settings: OcrSettings): OcrPool {
  let kind: Promise<OcrEngineKind> | null = null;
  return new OcrPool({
    lanes: settings.lanes ?? defaultOcrLanes(),
    open: async () => {
      kind ??= resolveOcrEngine(settings.engine, settings.tesseractPath);
      return (await kind) === 'native' ? new NativeOcrEngine({ ...(settings.tesseractPath ? { tesseractPath: settings.tesseractPath } : {}) }) : new OcrEngine();
    },
  });
}
