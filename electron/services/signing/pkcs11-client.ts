/**
 * The main-thread end of the PKCS#11 worker: starts one worker per driver library for the whole process
 * (a library is initialised once per process, so two workers on one library would share its state
 * anyway), sends one request at a time, and turns failures back into AppErrors.
 *
 * Where the worker code is: under tsx (tests, `motcua` CLI) this file is a .ts and the worker is started
 * from pkcs11-worker.ts with tsx's loader; in the bundled app, electron-vite builds pkcs11-worker.ts as a
 * second main-process entry and the composition root passes its URL (see docs/tokens.md).
 */
import { Worker } from 'node:worker_threads';
import { AppError, fromWireError } from '../../../shared/errors';
import { workerStartFor, type WorkerStart } from '../../../shared-node/worker-start';
import type { Pkcs11OperationName, Pkcs11Operations, Pkcs11RequestMessage, Pkcs11ResponseMessage, Pkcs11WorkerData } from './pkcs11-protocol';

/** How to start the worker: bundled beside main, or from source under tsx (shared-node/worker-start.ts). */
function workerStart(): WorkerStart {
  return workerStartFor(import.meta.url, { source: './pkcs11-worker.ts', bundledName: 'pkcs11-worker' });
}

interface Pending {
  resolve(value: unknown): void;
  reject(err: unknown): void;
}

export class Pkcs11Client {
  readonly library: string;
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  #queue: Promise<unknown> = Promise.resolve();
  #exited = false;
  #users = 0;

  private constructor(library: string) {
    this.library = library;
    const start = workerStart();
    const data: Pkcs11WorkerData = { library };
    this.#worker = new Worker(start.entry, { workerData: data, eval: start.eval });
    this.#worker.unref(); // idle workers must not keep the CLI (or a test run) alive
    this.#worker.on('message', (message: Pkcs11ResponseMessage) => this.#settle(message));
    this.#worker.on('error', (err) => this.#failAll(new AppError('INTERNAL', { message: `PKCS#11 worker: ${err.message}` }, { cause: err })));
    this.#worker.on('exit', () => {
      this.#exited = true;
      this.#failAll(new AppError('SIGNER_TOKEN_ABSENT', { reason: 'PKCS#11 worker stopped' }));
      if (clients.get(library) === this) clients.delete(library);
    });
  }

  /** The process's client for this library, started if needed. Pair every acquire with release(). */
  static acquire(library: string): Pkcs11Client {
    let client = clients.get(library);
    if (!client || client.#exited) {
      client = new Pkcs11Client(library);
      clients.set(library, client);
    }
    client.#users++;
    return client;
  }

  /** One fewer user; the last one finalises the library and stops the worker. */
  async release(): Promise<void> {
    this.#users = Math.max(0, this.#users - 1);
    if (this.#users > 0) return;
    if (clients.get(this.library) === this) clients.delete(this.library);
    if (this.#exited) return;
    try {
      await this.call('close', {});
    } catch {
      // finalising a library that never loaded fails: the worker is stopped below anyway
    }
    await this.#worker.terminate();
  }

  /** Queued behind earlier calls: the library sees one request at a time. */
  call<K extends Pkcs11OperationName>(op: K, args: Pkcs11Operations[K]['request']): Promise<Pkcs11Operations[K]['result']> {
    const run = (): Promise<Pkcs11Operations[K]['result']> =>
      new Promise((resolve, reject) => {
        if (this.#exited) {
          reject(new AppError('SIGNER_TOKEN_ABSENT', { reason: 'PKCS#11 worker stopped' }));
          return;
        }
        const id = this.#nextId++;
        this.#pending.set(id, { resolve, reject });
        this.#worker.ref(); // a request in flight keeps the process alive until it is answered
        const message = { id, op, args } satisfies { id: number; op: K; args: Pkcs11Operations[K]['request'] } as Pkcs11RequestMessage;
        this.#worker.postMessage(message);
      });
    const result = this.#queue.then(run, run);
    this.#queue = result.catch(() => undefined);
    return result;
  }

  #settle(message: Pkcs11ResponseMessage): void {
    const pending = this.#pending.get(message.id);
    if (!pending) return;
    this.#pending.delete(message.id);
    if (this.#pending.size === 0) this.#worker.unref();
    if (message.ok) pending.resolve(message.result);
    else pending.reject(fromWireError(message.error));
  }

  #failAll(err: AppError): void {
    for (const pending of this.#pending.values()) pending.reject(err);
    this.#pending.clear();
  }
}

const clients = new Map<string, Pkcs11Client>();
