/**
 * Vietnamese OCR with tesseract.js, entirely from files shipped with the app: the engine (tesseract.js-core's
 * WebAssembly, from node_modules) and the trained data (npm `@tesseract.js-data/vie`, the LSTM "best_int"
 * model). `langPath` is a local folder, so tesseract.js reads the file instead of fetching it, and
 * `cacheMethod: 'none'` stops it writing a copy into the working directory. tesseract.js runs the engine in
 * its own worker thread; one page is recognised at a time, and the engine stops after a minute idle (it
 * holds ~100 MB).
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { createWorker, OEM, type Worker } from 'tesseract.js';
import { AppError } from '../../../shared/errors';
import type { OcrPage, OcrWord } from '../../../shared/imaging/processing';

const require = createRequire(import.meta.url);

/** The folder holding `vie.traineddata.gz`, inside the installed npm package. */
function vietnameseLangPath(): string {
  return path.join(path.dirname(require.resolve('@tesseract.js-data/vie/package.json')), '4.0.0_best_int');
}

/** Words tesseract is less sure of than this are left out of the text layer (noise read as letters). */
export const minOcrConfidence = 30;
const idleStopMs = 60_000;
/**
 * A page that is not text (a photo, a colour test pattern, noise) can keep tesseract busy for minutes and
 * hold up every page behind it: past this, the engine is stopped and the page goes without a text layer.
 */
const defaultPageTimeoutMs = 90_000;

export class OcrEngine {
  readonly kind = 'wasm' as const;
  #worker: Promise<Worker> | null = null;
  #queue: Promise<unknown> = Promise.resolve();
  #idle: NodeJS.Timeout | null = null;
  readonly #langPath: string;
  readonly #pageTimeoutMs: number;

  constructor(options: { langPath?: string; pageTimeoutMs?: number } = {}) {
    this.#langPath = options.langPath ?? vietnameseLangPath();
    this.#pageTimeoutMs = options.pageTimeoutMs ?? defaultPageTimeoutMs;
  }

  #start(): Promise<Worker> {
    this.#worker ??= createWorker('vie', OEM.LSTM_ONLY, {
      langPath: this.#langPath,
      gzip: true,
      cacheMethod: 'none',
      errorHandler: () => undefined,
    });
    return this.#worker;
  }

  /** The words of one page image (JPEG or PNG bytes), boxes in its pixels. Queued: one page at a time. */
  recognize(image: Uint8Array, size: { widthPx: number; heightPx: number }, name = 'page'): Promise<OcrPage> {
    const run = async (): Promise<OcrPage> => {
      if (this.#idle) clearTimeout(this.#idle);
      try {
        const worker = await this.#start();
        let timer: NodeJS.Timeout | undefined;
        const timedOut = new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            void this.close();
            reject(new Error(`no result after ${Math.round(this.#pageTimeoutMs / 1000)} s`));
          }, this.#pageTimeoutMs);
        });
        const { data } = await Promise.race([worker.recognize(Buffer.from(image.buffer, image.byteOffset, image.byteLength), {}, { blocks: true, text: false }), timedOut]).finally(() => clearTimeout(timer));
        const words: OcrWord[] = [];
        for (const block of data.blocks ?? [])
          for (const paragraph of block.paragraphs)
            for (const line of paragraph.lines)
              for (const word of line.words) {
                const text = word.text.trim();
                if (!text || word.confidence < minOcrConfidence) continue;
                // The line's height, not the word's: "a" and "Đ" on one line get one font size and baseline.
                words.push({ text: text.slice(0, 200), x0: word.bbox.x0, x1: word.bbox.x1, y0: line.bbox.y0, y1: line.bbox.y1 });
              }
        return { widthPx: size.widthPx, heightPx: size.heightPx, words };
      } catch (cause) {
        throw new AppError('IMAGING_OCR_FAILED', { name, reason: cause instanceof Error ? cause.message : String(cause) }, { cause });
      } finally {
        this.#idle = setTimeout(() => void this.close(), idleStopMs);
        this.#idle.unref();
      }
    };
    const result = this.#queue.then(run, run);
    this.#queue = result.catch(() => undefined);
    return result;
  }

  async close(): Promise<void> {
    if (this.#idle) clearTimeout(this.#idle);
    const worker = this.#worker;
    this.#worker = null;
    if (worker) await (await worker.catch(() => null))?.terminate();
  }
}
