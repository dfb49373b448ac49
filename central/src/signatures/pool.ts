/**
 * The central's signature checks in a small pool of worker threads (issue 19, item 3). Checking a PDF's
 * signatures is synchronous JavaScript (hashing the covered bytes, RSA/ECDSA, the chain) that takes about a
 * second for a 50 MB file; on the central's own thread that second stalls every other request — health
 * checks, the feed, other counters' uploads — and a load balancer may take the instance out. In a worker it
 * does not.
 *
 * One job per worker at a time, first come first served; workers start on first use (none at start-up, which
 * tests and a restart pay for) and stay until `close()`. A worker that dies (out of memory) fails its job with
 * `SignatureCheckUnavailable` — the central's fault, answered 500 so the counter retries — and is replaced.
 *
 * Where the worker code is: under tsx (dev, tests, `motcua central`) worker.ts, started through tsx's require
 * hooks (tsx's loader is not carried into a worker); in a bundle (the built CLI, the tests' bundled central)
 * `signature-worker.js` / `.mjs` beside the bundle (electron/cli/build-cli.mjs, tests/support/test-run.ts).
 */
import { Worker } from 'node:worker_threads';
import { errorWithOriginalMessage, RpcClient } from '../../../shared/rpc';
import { workerStartFor, type WorkerStart } from '../../../shared-node/worker-start';
import type { SignatureCheck } from '../commit';
import type { SignatureWorkerApi, SignatureWorkerData } from './protocol';

/** The check could not be run (the worker died or the pool is closed): not a verdict on the file. */
export class SignatureCheckUnavailable extends Error {
  constructor(reason: string, options?: { cause?: unknown }) {
    super(`signature check unavailable: ${reason}`, options);
    this.name = 'SignatureCheckUnavailable';
  }
}

export type { WorkerStart };

function defaultWorkerStart(): WorkerStart {
  // Bundled, the worker is `signature-worker.js`/`.mjs` beside the bundle (electron/cli/build-cli.mjs, tests/support/test-run.ts).
  return workerStartFor(import.meta.url, { source: './worker.ts', bundledName: 'signature-worker' });
}

interface Job {
  readonly pdf: Uint8Array;
  resolve(check: SignatureCheck): void;
  reject(err: unknown): void;
}

interface Slot {
  readonly worker: Worker;
  /** Busy while its one call is unanswered (`rpc.pending`). */
  readonly rpc: RpcClient<SignatureWorkerApi>;
}

export interface SignatureCheckPoolOptions {
  /** Worker threads (checks running at once); at least 1. */
  readonly size: number;
  readonly trustAnchorsDer: readonly Uint8Array[];
  /** Where the worker code is; default as described above. */
  readonly workerStart?: WorkerStart;
}

export class SignatureCheckPool {
  readonly size: number;
  readonly #data: SignatureWorkerData;
  readonly #start: WorkerStart;
  readonly #slots: Slot[] = [];
  readonly #waiting: Job[] = [];
  #closed = false;

  constructor(options: SignatureCheckPoolOptions) {
    this.size = Math.max(1, Math.floor(options.size));
    this.#data = { trustAnchorsDer: options.trustAnchorsDer.map((der) => new Uint8Array(der)) };
    this.#start = options.workerStart ?? defaultWorkerStart();
  }

  /** Checks running now. */
  get busy(): number {
    return this.#slots.filter((slot) => slot.rpc.pending > 0).length;
  }

  /**
   * The verdict on `pdf`'s signatures; rejects with the verifier's own error when it cannot read the file, or
   * `SignatureCheckUnavailable`. The bytes are copied to the worker: the caller keeps its own.
   */
  verify(pdf: Uint8Array): Promise<SignatureCheck> {
    if (this.#closed) return Promise.reject(new SignatureCheckUnavailable('the pool is closed'));
    return new Promise<SignatureCheck>((resolve, reject) => {
      this.#waiting.push({ pdf, resolve, reject });
      this.#pump();
    });
  }

  /** Stops every worker; checks waiting or running fail with `SignatureCheckUnavailable`. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const job of this.#waiting.splice(0)) job.reject(new SignatureCheckUnavailable('the pool is closed'));
    await Promise.all(this.#slots.map((slot) => slot.worker.terminate()));
  }

  #pump(): void {
    while (this.#waiting.length > 0) {
      const slot = this.#slots.find((s) => s.rpc.pending === 0) ?? (this.#slots.length < this.size ? this.#startWorker() : undefined);
      if (!slot) return;
      const job = this.#waiting.shift();
      if (!job) return;
      // A copy the worker owns (transferred, not cloned twice); the caller's bytes stay usable for storing. Not
      // `slice()`: on a Buffer that is a view of the same memory.
      const pdf = new Uint8Array(job.pdf.byteLength);
      pdf.set(job.pdf);
      slot.rpc.call('verify', { pdf }, [pdf.buffer]).then(
        (check) => {
          job.resolve(check);
          this.#pump();
        },
        (err: unknown) => {
          job.reject(err);
          this.#pump();
        },
      );
    }
  }

  #startWorker(): Slot {
    const worker = new Worker(this.#start.entry, { eval: this.#start.eval, workerData: this.#data });
    // An idle worker must not keep the process alive (the server does that while it runs).
    worker.unref();
    // The verifier's own message reaches the commit's report as it was thrown.
    const rpc = new RpcClient<SignatureWorkerApi>((message, transfer) => worker.postMessage(message, [...transfer]), { decodeError: errorWithOriginalMessage });
    const slot: Slot = { worker, rpc };
    let failure: Error | undefined;
    worker.on('message', (message: unknown) => rpc.receive(message));
    worker.on('error', (err) => {
      failure = err;
    });
    worker.on('exit', (code) => {
      const index = this.#slots.indexOf(slot);
      if (index >= 0) this.#slots.splice(index, 1);
      rpc.failAll(new SignatureCheckUnavailable(failure ? `worker failed: ${failure.message}` : `worker exited (code ${code})`, { cause: failure }));
      // Jobs still waiting get a new worker (unless the pool is closing).
      if (!this.#closed) this.#pump();
    });
    this.#slots.push(slot);
    return slot;
  }
}
