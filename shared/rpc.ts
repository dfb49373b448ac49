/**
 * One typed request/reply protocol for the app's workers: the PKCS#11 worker, the page clean-up workers, the
 * camera's flatten worker, the sync worker (calls both ways) and the central's signature pool.
 * Each call carries an id; the reply settles that call's promise with the result or the thrown error, carried
 * as a WireError (toWireError / fromWireError). Transport-agnostic: the owner passes a `send` function and
 * feeds incoming messages to `receive`, so one module serves Node worker_threads, web workers and MessagePorts
 * without Node or DOM types (shared/ has neither).
 *
 * Why not comlink: a comlink call never settles when the worker dies (every owner here must fail its waiting
 * calls on a crash, and the pools replace the worker), comlink's thrown errors lose an AppError's code and
 * details unless a custom transfer handler is registered on both ends, and the sync worker's calls go both
 * ways over one port beside plain snapshot messages. What is left is small enough to own.
 */
import { fromWireError, toWireError, type WireError } from './errors';

/** Each operation's request and result (written over `keyof Api` so an interface qualifies too). */
type RpcApi<Api> = Record<keyof Api, { readonly request: unknown; readonly result: unknown }>;

/** What crosses the port. Messages that are neither (e.g. the sync worker's snapshots) are left to the owner. */
export type RpcMessage =
  | { readonly rpc: 'call'; readonly id: number; readonly op: string; readonly request: unknown }
  | { readonly rpc: 'reply'; readonly id: number; readonly ok: true; readonly result: unknown }
  | { readonly rpc: 'reply'; readonly id: number; readonly ok: false; readonly error: WireError };

/** Buffers handed over instead of copied: the sender's copy is unusable afterwards. */
type Transfer = readonly ArrayBuffer[];

type RpcSend = (message: RpcMessage, transfer: Transfer) => void;

function isRpcMessage(value: unknown): value is RpcMessage {
  return typeof value === 'object' && value !== null && 'rpc' in value && typeof (value as { id?: unknown }).id === 'number';
}

/** The caller's end: `call` sends a request and resolves with the matching reply. */
export class RpcClient<Api extends RpcApi<Api>> {
  readonly #send: RpcSend;
  readonly #decodeError: (wire: WireError) => unknown;
  readonly #pending = new Map<number, { resolve(value: unknown): void; reject(err: unknown): void }>();
  #nextId = 1;

  /** `decodeError` turns a reply's error back into what the call rejects with; default fromWireError. */
  constructor(send: RpcSend, options: { readonly decodeError?: (wire: WireError) => unknown } = {}) {
    this.#send = send;
    this.#decodeError = options.decodeError ?? fromWireError;
  }

  /** Calls sent and not yet answered. */
  get pending(): number {
    return this.#pending.size;
  }

  call<K extends keyof Api & string>(op: K, request: Api[K]['request'], transfer: Transfer = []): Promise<Api[K]['result']> {
    const id = this.#nextId++;
    return new Promise<Api[K]['result']>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve, reject });
      try {
        this.#send({ rpc: 'call', id, op, request }, transfer);
      } catch (err) {
        // e.g. a DataCloneError: the call never left
        this.#pending.delete(id);
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
  }

  /** A message from the other end: settles the call it answers. False when it is not a reply to this client. */
  receive(message: unknown): boolean {
    if (!isRpcMessage(message) || message.rpc !== 'reply') return false;
    const waiter = this.#pending.get(message.id);
    if (!waiter) return true; // answered after failAll: nobody waits any more
    this.#pending.delete(message.id);
    if (message.ok) waiter.resolve(message.result);
    else waiter.reject(this.#decodeError(message.error));
    return true;
  }

  /** The other end is gone (crashed, stopped): every call still waiting rejects with `err`. */
  failAll(err: unknown): void {
    const waiting = [...this.#pending.values()];
    this.#pending.clear();
    for (const waiter of waiting) waiter.reject(err);
  }
}

const transferMark = Symbol('rpc.transfer');

interface Transferred<T> {
  readonly [transferMark]: true;
  readonly value: T;
  readonly transfer: Transfer;
}

/** A handler's result whose buffers are handed to the caller instead of copied. */
export function withTransfer<T>(value: T, transfer: Transfer): Transferred<T> {
  return { [transferMark]: true, value, transfer };
}

function isTransferred(value: unknown): value is Transferred<unknown> {
  return typeof value === 'object' && value !== null && transferMark in value;
}

type Answer<T> = T | Transferred<T>;

export type RpcHandlers<Api extends RpcApi<Api>> = {
  readonly [K in keyof Api]: (request: Api[K]['request']) => Answer<Api[K]['result']> | Promise<Answer<Api[K]['result']>>;
};

/**
 * The worker's end: returns the function to feed incoming messages to (false for a message that is not a call).
 * A synchronous handler is answered before `receive` returns, so an owner may close its port right after.
 */
export function serveRpc<Api extends RpcApi<Api>>(handlers: RpcHandlers<Api>, send: RpcSend): (message: unknown) => boolean {
  const reply = (id: number, answer: unknown): void => {
    if (isTransferred(answer)) send({ rpc: 'reply', id, ok: true, result: answer.value }, answer.transfer);
    else send({ rpc: 'reply', id, ok: true, result: answer }, []);
  };
  const fail = (id: number, err: unknown): void => send({ rpc: 'reply', id, ok: false, error: toWireError(err) }, []);
  return (message) => {
    if (!isRpcMessage(message) || message.rpc !== 'call') return false;
    const { id, op, request } = message;
    const handler = Object.hasOwn(handlers, op) ? (handlers as Readonly<Record<string, (request: unknown) => unknown>>)[op] : undefined;
    let answer: unknown;
    try {
      if (!handler) throw new Error(`unknown operation ${op}`);
      answer = handler(request);
    } catch (err) {
      fail(id, err);
      return true;
    }
    if (answer instanceof Promise) {
      answer.then(
        (value: unknown) => reply(id, value),
        (err: unknown) => fail(id, err),
      );
    } else {
      reply(id, answer);
    }
    return true;
  };
}

/**
 * For owners whose callers expect the thrown error's own message (the camera shows it): a plain failure comes
 * back as an Error with that message; an AppError stays an AppError.
 */
export function errorWithOriginalMessage(wire: WireError): Error {
  const message = wire.details['message'];
  return wire.code === 'INTERNAL' && typeof message === 'string' ? new Error(message) : fromWireError(wire);
}
