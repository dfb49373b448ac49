// The UI ↔ sync-worker messages, over a real MessageChannel in Node: commands reach the engine, snapshots
// come back, and the worker's main-process calls and credential requests are answered by the UI side.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CounterDatabase } from '../../../renderer/src/db/database';
import { createSyncEngine } from '../../../renderer/src/sync/engine';
import type { SyncEngine } from '../../../renderer/src/sync/engine';
import { serveSyncEngine } from '../../../renderer/src/sync/worker-host';
import { connectSyncWorker } from '../../../renderer/src/sync/worker-client';
import type { FromWorker, MessageEndpoint, ToWorker } from '../../../renderer/src/sync/worker-protocol';
import type { MainClient } from '../../../renderer/src/platform/main-client';
import { AppError } from '../../../shared/errors';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** A MessageChannel's two ports, started (addEventListener on a MessagePort needs start()). */
function channel(): { ui: MessageEndpoint<FromWorker, ToWorker>; worker: MessageEndpoint<ToWorker, FromWorker> } {
  const { port1, port2 } = new MessageChannel();
  port1.start();
  port2.start();
  cleanups.push(() => {
    port1.close();
    port2.close();
    return Promise.resolve();
  });
  return { ui: port1, worker: port2 };
}

describe('sync worker messages', () => {
  it('starts the engine on init, relays snapshots, sync-now and stop', async () => {
    const { ui, worker } = channel();
    const db = new CounterDatabase(`motcua-worker-${crypto.randomUUID()}`);
    cleanups.push(() => db.delete());
    let engine: SyncEngine | undefined;
    // Port 9 (discard) on loopback: nothing listens, so the engine sees the central as unreachable.
    serveSyncEngine(worker, ({ init }) => (engine = createSyncEngine({ db, centralUrl: init.centralUrl, pollIntervalMs: 60_000, probeTimeoutMs: 1_000 })));
    const client = connectSyncWorker(ui, { init: { centralUrl: 'http://127.0.0.1:9', timestamping: false, credential: false } });
    client.start();
    await vi.waitFor(() => expect(client.snapshot()).toMatchObject({ running: true, connectivity: 'offline' }), { timeout: 10_000 });
    expect(client.snapshot().lastProbeError?.code).toBe('CENTRAL_UNREACHABLE');
    await client.syncNow();
    expect((await db.syncLog.toArray()).filter((e) => e.event === 'engine:start')).toHaveLength(1);
    await client.stop();
    await vi.waitFor(() => expect(client.snapshot().running).toBe(false));
    expect(engine?.snapshot().running).toBe(false);
  });

  it('answers the worker’s main calls (values and AppErrors) and credential requests from the UI side', async () => {
    const { ui, worker } = channel();
    let asked: { main: MainClient; credential: () => Promise<string | undefined> } | undefined;
    serveSyncEngine(worker, (ctx) => {
      asked = ctx;
      return { start: () => undefined, stop: () => Promise.resolve(), syncNow: () => Promise.resolve(), subscribe: () => () => undefined, snapshot: () => ({}) as never };
    });
    const main: MainClient = {
      call: ((channelName: string) =>
        channelName === 'trust:anchors' ? Promise.resolve({ anchorsDer: [new Uint8Array([1, 2, 3])] }) : Promise.reject(new AppError('TSA_UNREACHABLE', { url: 'http://tsa' }))) as MainClient['call'],
    };
    const client = connectSyncWorker(ui, { init: { centralUrl: 'http://x', timestamping: true, credential: true }, main, credential: () => 'mcd_secret' });
    client.start();
    await vi.waitFor(() => expect(asked).toBeDefined());
    expect(await asked!.main.call('trust:anchors', {})).toEqual({ anchorsDer: [new Uint8Array([1, 2, 3])] });
    await expect(asked!.main.call('tsa:request', { query: new Uint8Array([0]) })).rejects.toMatchObject({ code: 'TSA_UNREACHABLE', details: { url: 'http://tsa' } });
    expect(await asked!.credential()).toBe('mcd_secret');
  });
});
