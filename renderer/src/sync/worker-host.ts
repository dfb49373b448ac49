/**
 * Inside the worker: builds the engine on `init` and serves the UI's commands. Kept apart from the worker
 * entry so tests drive it over a MessageChannel in Node.
 */
import type { IpcChannel, IpcRequest, IpcResponse } from '../../../shared/ipc/contract';
import { RpcClient, serveRpc } from '../../../shared/rpc';
import type { MainClient } from '../platform/main-client';
import type { SyncEngine } from './engine';
import type { FromWorker, MessageEndpoint, SyncUiApi, SyncWorkerApi, SyncWorkerInit, ToWorker } from './worker-protocol';

export interface EngineFactoryContext {
  readonly init: SyncWorkerInit;
  /** Main-process calls, relayed by the UI thread. */
  readonly main: MainClient;
  /** The device credential, asked of the UI thread. */
  readonly credential: () => Promise<string | undefined>;
}

export function serveSyncEngine(endpoint: MessageEndpoint<ToWorker, FromWorker>, createEngine: (ctx: EngineFactoryContext) => Promise<SyncEngine> | SyncEngine): void {
  let engine: SyncEngine | undefined;
  const ui = new RpcClient<SyncUiApi>((message) => endpoint.postMessage(message));

  const main: MainClient = {
    call<C extends IpcChannel>(channel: C, request: IpcRequest<C>): Promise<IpcResponse<C>> {
      return ui.call('main-call', { channel, request }) as Promise<IpcResponse<C>>;
    },
  };

  const serve = serveRpc<SyncWorkerApi>(
    {
      async init(init) {
        if (engine) return undefined;
        engine = await createEngine({
          init,
          main,
          credential: () => (init.credential ? ui.call('credential', null) : Promise.resolve(undefined)),
        });
        engine.subscribe((snapshot) => endpoint.postMessage({ type: 'snapshot', snapshot }));
        engine.start();
        return undefined;
      },
      'sync-now': async () => {
        await engine?.syncNow();
        return undefined;
      },
      stop: async () => {
        await engine?.stop();
        return undefined;
      },
    },
    (message) => endpoint.postMessage(message),
  );

  endpoint.addEventListener('message', (event) => {
    if (!ui.receive(event.data)) serve(event.data);
  });
}
