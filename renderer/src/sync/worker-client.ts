/**
 * On the UI thread: the sync engine as the screens know it (`SyncEngine`), backed by the worker. The UI
 * never uploads or hashes; it renders the snapshots the worker posts and relays the worker's main calls.
 */
import { AppError } from '../../../shared/errors';
import { RpcClient, serveRpc } from '../../../shared/rpc';
import type { MainClient } from '../platform/main-client';
import type { CredentialSupplier } from './central-client';
import type { SyncEngine, SyncSnapshot } from './engine';
import type { FromWorker, MessageEndpoint, SyncUiApi, SyncWorkerApi, SyncWorkerInit, ToWorker } from './worker-protocol';

export interface SyncWorkerClientOptions {
  readonly init: SyncWorkerInit;
  readonly main?: MainClient;
  readonly credential?: CredentialSupplier;
}

const initialSnapshot: SyncSnapshot = { connectivity: 'unknown', clockSkewWarning: false, waiting: 0, failed: 0, bytesLeft: 0, eventsWaiting: 0, running: false, sending: [], damaged: 0 };

export function connectSyncWorker(endpoint: MessageEndpoint<FromWorker, ToWorker>, options: SyncWorkerClientOptions): SyncEngine {
  let snapshot = initialSnapshot;
  const listeners = new Set<(s: SyncSnapshot) => void>();
  const worker = new RpcClient<SyncWorkerApi>((message) => endpoint.postMessage(message));
  const serve = serveRpc<SyncUiApi>(
    {
      'main-call'({ channel, request }) {
        if (!options.main) throw new AppError('INTERNAL', { message: 'no main client' });
        // The request came from our own worker; main validates it again with the contract's schema.
        const main = options.main;
        const call = (c: typeof channel, r: unknown): Promise<unknown> => main.call(c, r as never);
        return call(channel, request);
      },
      // No credential (none configured, or the supplier failed) is an answer too: the request goes without one.
      credential: () => Promise.resolve(options.credential?.()).catch(() => undefined),
    },
    (message) => endpoint.postMessage(message),
  );

  endpoint.addEventListener('message', (event) => {
    const message = event.data;
    if ('type' in message) {
      snapshot = message.snapshot;
      for (const listener of listeners) listener(snapshot);
      return;
    }
    if (!worker.receive(message)) serve(message);
  });

  let started: Promise<void> | undefined;
  return {
    start() {
      started ??= worker.call('init', options.init);
    },
    async stop() {
      await started;
      await worker.call('stop', null);
    },
    async syncNow() {
      await started;
      await worker.call('sync-now', null);
    },
    subscribe(listener) {
      listeners.add(listener);
      listener(snapshot);
      return () => listeners.delete(listener);
    },
    snapshot: () => snapshot,
  };
}
