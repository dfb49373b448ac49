/**
 * On the UI thread: the sync engine as the screens know it (`SyncEngine`), backed by the worker. The UI
 * never uploads or hashes; it renders the snapshots the worker posts and relays the worker's main calls.
 */
import { fromWireError, toWireError } from '../../../shared/errors';
import type { MainClient } from '../platform/main-client';
import type { CredentialSupplier } from './central-client';
import type { SyncEngine, SyncSnapshot } from './engine';
import type { FromWorker, MessageEndpoint, SyncWorkerInit, ToWorker } from './worker-protocol';

export interface SyncWorkerClientOptions {
  readonly init: SyncWorkerInit;
  readonly main?: MainClient;
  readonly credential?: CredentialSupplier;
}

const initialSnapshot: SyncSnapshot = { connectivity: 'unknown', clockSkewWarning: false, waiting: 0, failed: 0, bytesLeft: 0, eventsWaiting: 0, running: false, sending: [], damaged: 0 };

export function connectSyncWorker(endpoint: MessageEndpoint<FromWorker, ToWorker>, options: SyncWorkerClientOptions): SyncEngine {
  let snapshot = initialSnapshot;
  const listeners = new Set<(s: SyncSnapshot) => void>();
  let nextId = 1;
  const pending = new Map<number, { resolve: () => void; reject: (err: unknown) => void }>();

  function command(message: (id: number) => ToWorker): Promise<void> {
    const id = nextId++;
    return new Promise<void>((resolve, reject) => {
      pending.set(id, { resolve, reject });
      endpoint.postMessage(message(id));
    });
  }

  endpoint.addEventListener('message', (event) => {
    const message = event.data;
    switch (message.type) {
      case 'snapshot':
        snapshot = message.snapshot;
        for (const listener of listeners) listener(snapshot);
        break;
      case 'done': {
        const waiter = pending.get(message.id);
        pending.delete(message.id);
        if (message.error) waiter?.reject(fromWireError(message.error));
        else waiter?.resolve();
        break;
      }
      case 'main-call': {
        const { id, channel, request } = message;
        if (!options.main) {
          endpoint.postMessage({ type: 'main-result', id, ok: false, error: { code: 'INTERNAL', details: { message: 'no main client' } } });
          break;
        }
        // The request came from our own worker; main validates it again with the contract's schema.
        const main = options.main;
        const call = (c: typeof channel, r: unknown): Promise<unknown> => main.call(c, r as never);
        call(channel, request).then(
          (value) => endpoint.postMessage({ type: 'main-result', id, ok: true, value }),
          (err: unknown) => endpoint.postMessage({ type: 'main-result', id, ok: false, error: toWireError(err) }),
        );
        break;
      }
      case 'credential-request': {
        const { id } = message;
        void Promise.resolve(options.credential?.())
          .catch(() => undefined)
          .then((credential) => endpoint.postMessage({ type: 'credential-result', id, credential }));
        break;
      }
    }
  });

  let started: Promise<void> | undefined;
  return {
    start() {
      started ??= command((id) => ({ type: 'init', id, init: options.init }));
    },
    async stop() {
      await started;
      await command((id) => ({ type: 'stop', id }));
    },
    async syncNow() {
      await started;
      await command((id) => ({ type: 'sync-now', id }));
    },
    subscribe(listener) {
      listeners.add(listener);
      listener(snapshot);
      return () => listeners.delete(listener);
    },
    snapshot: () => snapshot,
  };
}
