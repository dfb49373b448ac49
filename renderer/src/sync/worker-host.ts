/**
 * Inside the worker: builds the engine on `init` and serves the UI's commands. Kept apart from the worker
 * entry so tests drive it over a MessageChannel in Node.
 */
import { fromWireError, toWireError } from '../../../shared/errors';
import type { IpcChannel, IpcRequest, IpcResponse } from '../../../shared/ipc/contract';
import type { MainClient } from '../platform/main-client';
import type { SyncEngine } from './engine';
import type { FromWorker, MessageEndpoint, SyncWorkerInit, ToWorker } from './worker-protocol';

export interface EngineFactoryContext {
  readonly init: SyncWorkerInit;
  /** Main-process calls, relayed by the UI thread. */
  readonly main: MainClient;
  /** The device credential, asked of the UI thread. */
  readonly credential: () => Promise<string | undefined>;
}

export function serveSyncEngine(endpoint: MessageEndpoint<ToWorker, FromWorker>, createEngine: (ctx: EngineFactoryContext) => Promise<SyncEngine> | SyncEngine): void {
  let engine: SyncEngine | undefined;
  let nextId = 1;
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (err: unknown) => void }>();

  function ask<T>(message: (id: number) => FromWorker): Promise<T> {
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      endpoint.postMessage(message(id));
    });
  }

  const main: MainClient = {
    call<C extends IpcChannel>(channel: C, request: IpcRequest<C>): Promise<IpcResponse<C>> {
      return ask<IpcResponse<C>>((id) => ({ type: 'main-call', id, channel, request }));
    },
  };

  async function run(id: number, action: () => Promise<void>): Promise<void> {
    try {
      await action();
      endpoint.postMessage({ type: 'done', id });
    } catch (err) {
      endpoint.postMessage({ type: 'done', id, error: toWireError(err) });
    }
  }

  endpoint.addEventListener('message', (event) => {
    const message = event.data;
    switch (message.type) {
      case 'init':
        void run(message.id, async () => {
          if (engine) return;
          engine = await createEngine({
            init: message.init,
            main,
            credential: () => (message.init.credential ? ask<string | undefined>((id) => ({ type: 'credential-request', id })) : Promise.resolve(undefined)),
          });
          engine.subscribe((snapshot) => endpoint.postMessage({ type: 'snapshot', snapshot }));
          engine.start();
        });
        break;
      case 'sync-now':
        void run(message.id, async () => engine?.syncNow());
        break;
      case 'stop':
        void run(message.id, async () => engine?.stop());
        break;
      case 'main-result': {
        const waiter = pending.get(message.id);
        pending.delete(message.id);
        if (message.ok) waiter?.resolve(message.value);
        else waiter?.reject(fromWireError(message.error));
        break;
      }
      case 'credential-result': {
        const waiter = pending.get(message.id);
        pending.delete(message.id);
        waiter?.resolve(message.credential);
        break;
      }
    }
  });
}
