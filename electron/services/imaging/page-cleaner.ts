/**
 * The main-thread end of the page clean-up worker: one worker thread for the process, started on first use,
 * one page in it at a time (a queue of compressed pages waits here; decoded bitmaps exist only inside the
 * worker, one page's worth). Failures come back as AppErrors.
 *
 * Where the worker code is: under tsx (tests, the CLI, the web host) it is page-worker.ts, started through
 * tsx's require hooks (Node 20 does not carry tsx's loader into a worker); in the bundled app electron-vite
 * builds it as a second main entry, `page-worker.js` beside the main bundle (electron.vite.config.ts).
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AppError, isErrorCode } from '../../../shared/errors';
import type { CleanedPage, CleanupOptions } from './page-pipeline';
import type { PageWorkerRequest, PageWorkerResponse } from './page-worker-protocol';

function workerStart(): { entry: string | URL; eval: boolean } {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return { entry: new URL('./page-worker.js', here), eval: false };
  const tsxCjsApi = createRequire(here).resolve('tsx/cjs/api');
  const worker = fileURLToPath(new URL('./page-worker.ts', here));
  return { entry: `require(${JSON.stringify(tsxCjsApi)}).register(); require(${JSON.stringify(worker)});`, eval: true };
}

interface Pending {
  resolve(page: CleanedPage): void;
  reject(err: unknown): void;
}

export class PageCleaner {
  #worker: Worker | null = null;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  #queue: Promise<unknown> = Promise.resolve();

  #start(): Worker {
    if (this.#worker) return this.#worker;
    const start = workerStart();
    const worker = new Worker(start.entry, { eval: start.eval });
    worker.unref(); // an idle worker must not keep the CLI or a test run alive
    worker.on('message', (message: PageWorkerResponse) => this.#settle(message));
    worker.on('error', (err) => this.#failAll(new AppError('IMAGING_CLEANUP_FAILED', { name: '-', reason: err.message }, { cause: err })));
    worker.on('exit', () => {
      if (this.#worker === worker) this.#worker = null;
      this.#failAll(new AppError('IMAGING_CLEANUP_FAILED', { name: '-', reason: 'worker stopped' }));
    });
    this.#worker = worker;
    return worker;
  }

  /** Queued behind earlier pages: the worker cleans one page at a time. */
  clean(bytes: Uint8Array, name: string, options: CleanupOptions = {}): Promise<CleanedPage> {
    const run = () =>
      new Promise<CleanedPage>((resolve, reject) => {
        const worker = this.#start();
        const id = this.#nextId++;
        this.#pending.set(id, { resolve, reject });
        worker.ref(); // a page in flight keeps the process alive until it is answered
        const request: PageWorkerRequest = { id, bytes, name, options };
        worker.postMessage(request);
      });
    const result = this.#queue.then(run, run);
    this.#queue = result.catch(() => undefined);
    return result;
  }

  #settle(message: PageWorkerResponse): void {
    const pending = this.#pending.get(message.id);
    if (!pending) return;
    this.#pending.delete(message.id);
    if (this.#pending.size === 0) this.#worker?.unref();
    if (message.ok) pending.resolve(message.page);
    else pending.reject(isErrorCode(message.error.code) ? new AppError(message.error.code, message.error.details) : new AppError('INTERNAL', message.error.details));
  }

  #failAll(err: AppError): void {
    for (const pending of this.#pending.values()) pending.reject(err);
    this.#pending.clear();
  }

  async close(): Promise<void> {
    const worker = this.#worker;
    this.#worker = null;
    if (worker) await worker.terminate();
  }
}
