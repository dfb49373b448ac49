/**
 * The main-thread end of the page clean-up workers: a small pool of worker threads (two by default, one per
 * core of a counter PC), started on first use, one page in each at a time. Pages wait here compressed; decoded
 * bitmaps exist only inside the workers, one page's worth each. Failures come back as AppErrors.
 *
 * Why a pool and not libvips' own threads: most of a page's time is mozjpeg's encoder and the JavaScript
 * analysis, both single-threaded, so two pages side by side use two cores where one page with two libvips
 * threads does not (bench/scan-pipeline.bench.ts, docs/benchmarks.md).
 *
 * Where the worker code is: under tsx (tests, the CLI, the web host) it is page-worker.ts, started through
 * tsx's require hooks (Node 20 does not carry tsx's loader into a worker); in the bundled app electron-vite
 * builds it as a second main entry, `page-worker.js` beside the main bundle (electron.vite.config.ts).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { AppError } from '../../../shared/errors';
import { RpcClient } from '../../../shared/rpc';
import { workerStartFor, type WorkerStart } from '../../../shared-node/worker-start';
import type { CleanedPage, CleanupOptions } from './page-pipeline';
import type { PageWorkerApi, PageWorkerSettings } from './page-worker-protocol';

function workerStart(): WorkerStart {
  return workerStartFor(import.meta.url, { source: './page-worker.ts', bundledName: 'page-worker' });
}

interface Job {
  readonly bytes: Uint8Array;
  readonly name: string;
  readonly options: CleanupOptions;
  resolve(page: CleanedPage): void;
  reject(err: unknown): void;
}

interface Slot {
  readonly worker: Worker;
  readonly rpc: RpcClient<PageWorkerApi>;
  job: Job | null;
}

export interface PageCleanerOptions {
  /** Pages cleaned side by side, each in its own worker thread. Default: 2, or 1 on a single-core machine. */
  readonly workers?: number;
  /** libvips threads per page (sharp.concurrency in each worker). Default 1, sharp's own default on glibc. */
  readonly vipsThreads?: number;
}

export class PageCleaner {
  readonly #size: number;
  readonly #settings: PageWorkerSettings;
  readonly #slots: Slot[] = [];
  readonly #waiting: Job[] = [];

  constructor(options: PageCleanerOptions = {}) {
    this.#size = Math.max(1, Math.floor(options.workers ?? Math.min(2, availableParallelism())));
    this.#settings = { vipsThreads: Math.max(1, Math.floor(options.vipsThreads ?? 1)) };
  }

  #start(): Slot {
    const start = workerStart();
    const worker = new Worker(start.entry, { eval: start.eval, workerData: this.#settings });
    worker.unref(); // an idle worker must not keep the CLI or a test run alive
    const slot: Slot = { worker, rpc: new RpcClient((message, transfer) => worker.postMessage(message, transfer)), job: null };
    worker.on('message', (message: unknown) => slot.rpc.receive(message));
    worker.on('error', (err) => this.#fail(slot, new AppError('IMAGING_CLEANUP_FAILED', { name: slot.job?.name ?? '-', reason: err.message }, { cause: err })));
    worker.on('exit', () => this.#fail(slot, new AppError('IMAGING_CLEANUP_FAILED', { name: slot.job?.name ?? '-', reason: 'worker stopped' })));
    this.#slots.push(slot);
    return slot;
  }

  /** Queued behind earlier pages; up to `workers` pages are cleaned at once, in the order they came. */
  clean(bytes: Uint8Array, name: string, options: CleanupOptions = {}): Promise<CleanedPage> {
    return new Promise<CleanedPage>((resolve, reject) => {
      this.#waiting.push({ bytes, name, options, resolve, reject });
      this.#pump();
    });
  }

  #pump(): void {
    while (this.#waiting.length > 0) {
      const slot = this.#slots.find((s) => s.job === null) ?? (this.#slots.length < this.#size ? this.#start() : null);
      if (!slot) return;
      const job = this.#waiting.shift();
      if (!job) return;
      slot.job = job;
      slot.worker.ref(); // a page in flight keeps the process alive until it is answered
      slot.rpc.call('clean', { bytes: job.bytes, name: job.name, options: job.options }).then(
        (page) => this.#settle(slot, job, () => job.resolve(page)),
        (err: unknown) => this.#settle(slot, job, () => job.reject(err)),
      );
    }
  }

  #settle(slot: Slot, job: Job, settle: () => void): void {
    if (slot.job !== job) return; // the worker died first: #fail has answered the page
    slot.job = null;
    slot.worker.unref();
    settle();
    this.#pump();
  }

  /** A worker died: its page fails, the worker is dropped, and waiting pages go to a fresh one. */
  #fail(slot: Slot, err: AppError): void {
    const at = this.#slots.indexOf(slot);
    if (at >= 0) this.#slots.splice(at, 1);
    const job = slot.job;
    slot.job = null;
    job?.reject(err);
    slot.rpc.failAll(err); // settles the call too, which #settle then ignores
    this.#pump();
  }

  async close(): Promise<void> {
    const slots = this.#slots.splice(0);
    for (const job of this.#waiting.splice(0)) job.reject(new AppError('IMAGING_CLEANUP_FAILED', { name: job.name, reason: 'closed' }));
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
  }
}
