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
import { AppError } from '../../../shared/errors';
import { RpcClient } from '../../../shared/rpc';
import { workerStartFor, type WorkerStart } from '../../../shared-node/worker-start';
import type { Pkcs11OperationName, Pkcs11Operations, Pkcs11WorkerData } from './pkcs11-protocol';

/** How to start the worker: bundled beside main, or from source under tsx (shared-node/worker-start.ts). */
function workerStart(): WorkerStart {
  return workerStartFor(import.meta.url, { source: './pkcs11-worker.ts', bundledName: 'pkcs11-worker' });
}

export class Pkcs11Client {
  readonly library: string;
  readonly #worker: Worker;
  readonly #rpc: RpcClient<Pkcs11Operations>;
  #queue: Promise<unknown> = Promise.resolve();
  #exited = false;
  #users = 0;

  private constructor(library: string) {
    this.library = library;
    const start = workerStart();
    const data: Pkcs11WorkerData = { library };
    this.#worker = new Worker(start.entry, { workerData: data, eval: start.eval });
    this.#worker.unref(); // idle workers must not keep the CLI (or a test run) alive
    const worker = this.#worker;
    this.#rpc = new RpcClient<Pkcs11Operations>((message, transfer) => worker.postMessage(message, transfer));
    this.#worker.on('message', (message: unknown) => {
      this.#rpc.receive(message);
      if (this.#rpc.pending === 0) this.#worker.unref();
    });
    this.#worker.on('error', (err) => this.#rpc.failAll(new AppError('INTERNAL', { message: `PKCS#11 worker: ${err.message}` }, { cause: err })));
    this.#worker.on('exit', () => {
      this.#exited = true;
      this.#rpc.failAll(new AppError('SIGNER_TOKEN_ABSENT', { reason: 'PKCS#11 worker stopped' }));
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
    const run = (): Promise<Pkcs11Operations[K]['result']> => {
      if (this.#exited) return Promise.reject(new AppError('SIGNER_TOKEN_ABSENT', { reason: 'PKCS#11 worker stopped' }));
      this.#worker.ref(); // a request in flight keeps the process alive until it is answered
      return this.#rpc.call(op, args);
    };
    const result = this.#queue.then(run, run);
    this.#queue = result.catch(() => undefined);
    return result;
  }
}

const clients = new Map<string, Pkcs11Client>();
