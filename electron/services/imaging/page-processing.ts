/**
 * Every captured page is cleaned and then read (OCR) in main, behind the clerk's back: a page is queued the
 * moment it arrives, the renderer keeps showing the original and asks for results now and then
 * (`imaging:results`), swapping the original for the cleaned page once it is ready and storing the OCR words
 * when they come. Clean-up runs in its worker threads (page-cleaner.ts) and OCR in a pool of engines, one page
 * per lane (ocr-pool.ts: on a 2-core counter two lanes, so the clerk does not wait for OCR after the last page);
 * the queues hold compressed files only.
 *
 * Results are kept until the renderer has them: the cleaned JPEG until it asks for the OCR words of that page
 * (which says it stored the image), and the whole entry for half an hour after it finished.
 */
import { randomUUID } from 'node:crypto';
import { toWireError, type WireError } from '../../../shared/errors';
import type { CleanupFacts, ImagingConfig, OcrPage, ProcessingResult, ProcessingWant, StepState } from '../../../shared/imaging/processing';
import { openOcrPool, type OcrEngineChoice } from './ocr-pool';
import type { CleanedPage } from './page-pipeline';
import { PageCleaner } from './page-cleaner';

interface Entry {
  readonly id: string;
  readonly name: string;
  cleanup: StepState;
  cleaned?: { jpeg: Uint8Array; facts: CleanupFacts };
  ocr: StepState;
  ocrPage?: OcrPage;
  error?: WireError;
  finishedAt?: number;
}

const keepFinishedMs = 30 * 60_000;
/** Cleaned JPEGs per answer: one answer stays a few MB. */
const maxImagesPerAnswer = 4;

function cleanupFacts(page: CleanedPage): CleanupFacts {
  return {
    widthPx: page.widthPx,
    heightPx: page.heightPx,
    dpi: page.dpi,
    skewDegrees: page.skewDegrees,
    quarterTurns: page.quarterTurns,
    cropped: page.cropped,
    blank: page.blank,
    belowMinimumDpi: page.belowMinimumDpi,
  };
}

/** What reads pages: an OcrPool (the app), or a single engine (tests). */
interface PageOcr {
  recognize(image: Uint8Array, size: { widthPx: number; heightPx: number }, name?: string): Promise<OcrPage>;
  close(): Promise<void>;
  /** Pages read side by side, and the recent time per page: for the expected wait (pools only). */
  readonly lanes?: number;
  readonly msPerPage?: number | null;
}

/** Before any page was read: tesseract.js measured ~3.9 s a page on the 2-core counter (bench:scan). */
const assumedOcrMsPerPage = 4000;

export interface PageProcessorDeps {
  readonly cleaner?: PageCleaner;
  readonly ocr?: PageOcr;
  readonly now?: () => number;
}

export class PageProcessor {
  readonly #entries = new Map<string, Entry>();
  readonly #config: Pick<ImagingConfig, 'cleanup' | 'ocr'>;
  readonly #deps: PageProcessorDeps;
  #changed: Promise<void>;
  #notify: () => void = () => {};

  constructor(config: Pick<ImagingConfig, 'cleanup' | 'ocr'>, deps: PageProcessorDeps) {
    this.#config = { cleanup: config.cleanup && !!deps.cleaner, ocr: config.ocr && !!deps.ocr };
    this.#deps = deps;
    this.#changed = this.#nextChange();
  }

  get enabled(): boolean {
    return this.#config.cleanup || this.#config.ocr;
  }

  #nextChange(): Promise<void> {
    return new Promise<void>((resolve) => (this.#notify = resolve));
  }

  #touch(): void {
    const wake = this.#notify;
    this.#changed = this.#nextChange();
    wake();
  }

  /** Queues a page (JPEG or PNG bytes); null when clean-up and OCR are both off. */
  submit(bytes: Uint8Array, name: string, size: { widthPx: number; heightPx: number }): string | null {
    if (!this.enabled) return null;
    this.#forgetOld();
    const entry: Entry = { id: randomUUID(), name, cleanup: this.#config.cleanup ? 'pending' : 'off', ocr: this.#config.ocr ? 'pending' : 'off' };
    this.#entries.set(entry.id, entry);
    void this.#run(entry, bytes, size);
    return entry.id;
  }

  async #run(entry: Entry, original: Uint8Array, size: { widthPx: number; heightPx: number }): Promise<void> {
    let image = original;
    let imageSize = size;
    if (entry.cleanup === 'pending' && this.#deps.cleaner) {
      try {
        const page = await this.#deps.cleaner.clean(original, entry.name);
        entry.cleaned = { jpeg: page.jpeg, facts: cleanupFacts(page) };
        entry.cleanup = 'done';
        image = page.jpeg;
        imageSize = { widthPx: page.widthPx, heightPx: page.heightPx };
      } catch (err) {
        entry.cleanup = 'failed';
        entry.error = toWireError(err);
      }
      this.#touch();
    }
    if (entry.ocr === 'pending' && this.#deps.ocr) {
      try {
        entry.ocrPage = await this.#deps.ocr.recognize(image, imageSize, entry.name);
        entry.ocr = 'done';
      } catch (err) {
        entry.ocr = 'failed';
        entry.error ??= toWireError(err);
      }
    }
    entry.finishedAt = (this.#deps.now ?? Date.now)();
    this.#touch();
  }

  #answer(want: ProcessingWant, images: { count: number }): ProcessingResult {
    const entry = this.#entries.get(want.id);
    if (!entry) return { id: want.id, state: 'unknown' };
    // Asking for the OCR words says the cleaned image is stored on the other side: let it go.
    if (want.want === 'ocr') delete entry.cleaned;
    const withImage = want.want === 'cleaned' && entry.cleaned !== undefined && images.count < maxImagesPerAnswer;
    if (withImage) images.count++;
    return {
      id: entry.id,
      state: 'known',
      cleanup: entry.cleanup,
      ...(withImage ? { cleaned: entry.cleaned } : {}),
      ocr: entry.ocr,
      ...(entry.ocrPage && want.want === 'ocr' ? { ocrPage: entry.ocrPage } : {}),
      ...(entry.error ? { error: entry.error } : {}),
    };
  }

  #news(want: ProcessingWant): boolean {
    const entry = this.#entries.get(want.id);
    if (!entry) return true;
    return want.want === 'cleaned' ? entry.cleanup !== 'pending' : entry.ocr !== 'pending';
  }

  /** The state of the asked pages; waits up to `waitMs` while none of them has news. */
  async results(wants: readonly ProcessingWant[], waitMs = 0): Promise<ProcessingResult[]> {
    if (waitMs > 0 && !wants.some((w) => this.#news(w))) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.#changed, new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)))]);
      clearTimeout(timer);
    }
    const images = { count: 0 };
    return wants.map((w) => this.#answer(w, images));
  }

  /**
   * About how long until every asked page has its OCR words: the pages queued for OCR up to the last asked one,
   * read `lanes` at a time at the recent time per page. 0 when none of them is still waiting for OCR.
   */
  expectedOcrMs(ids: readonly string[]): number {
    const asked = new Set(ids);
    let ahead = 0;
    let counted = 0;
    for (const entry of this.#entries.values()) {
      if (entry.ocr !== 'pending') continue;
      ahead++;
      if (asked.has(entry.id)) counted = ahead;
    }
    if (counted === 0) return 0;
    const lanes = Math.max(1, this.#deps.ocr?.lanes ?? 1);
    return Math.ceil(counted / lanes) * (this.#deps.ocr?.msPerPage ?? assumedOcrMsPerPage);
  }

  /** Pages still queued or running (for the bench and the CLI). */
  get pending(): number {
    return [...this.#entries.values()].filter((e) => e.finishedAt === undefined).length;
  }

  #forgetOld(): void {
    const now = (this.#deps.now ?? Date.now)();
    for (const [id, entry] of this.#entries) if (entry.finishedAt !== undefined && now - entry.finishedAt > keepFinishedMs) this.#entries.delete(id);
  }

  async close(): Promise<void> {
    await Promise.all([this.#deps.cleaner?.close(), this.#deps.ocr?.close()]);
  }
}

/** Main-only OCR settings of the counter's configuration (`imaging.ocrEngine`, `ocrWorkers`, `tesseractPath`). */
export interface OcrHostSettings {
  readonly ocrEngine?: OcrEngineChoice;
  readonly ocrWorkers?: number | undefined;
  readonly tesseractPath?: string | undefined;
}

export function openPageProcessor(config: Pick<ImagingConfig, 'cleanup' | 'ocr'> & OcrHostSettings): PageProcessor {
  // The engines start on first use: a counter with both switched off never loads them.
  return new PageProcessor(config, {
    ...(config.cleanup ? { cleaner: new PageCleaner() } : {}),
    ...(config.ocr ? { ocr: openOcrPool({ engine: config.ocrEngine ?? 'auto', lanes: config.ocrWorkers, tesseractPath: config.tesseractPath }) } : {}),
  });
}
