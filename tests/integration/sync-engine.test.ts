// The counter's sync engine (renderer code, run here in Node over fake-indexeddb) against a real central
// process: tus uploads, commit, backoff, fault injection, restart and resume.
import 'fake-indexeddb/auto';
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { CounterDatabase } from '../../renderer/src/db/database';
import type { OutboxRow, StoredDossier } from '../../renderer/src/db/database';
import { readFileBytes } from '../../renderer/src/db/dossiers';
import type { NewFile } from '../../renderer/src/db/dossiers';
import { createSyncEngine } from '../../renderer/src/sync/engine';
import type { SyncEngine, SyncEngineOptions, SyncSnapshot } from '../../renderer/src/sync/engine';
import type { DossierId } from '../../shared/domain/dossier';
import { commitAckSchema, dossierCommitSchema } from '../../shared/sync/protocol';
import { sha256Hex } from '../../shared/util/bytes';
import { centralFetch, makeSignedPdf, ownDeviceCounter, startCentralProcess } from '../support/central-process';
import type { CentralProcess } from '../support/central-process';
import { saveTestDossier } from '../support/counter-dossier';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { spoolHandlers } from '../../electron/services/counter-host';
import { openDossierSpool } from '../../electron/services/dossier-spool';
import { reconcileSpool, spoolEntryOf, spoolReleasePort } from '../../renderer/src/db/dossier-spool';
import { createMainClient } from '../../renderer/src/platform/main-client';
import type { MainClient } from '../../renderer/src/platform/main-client';
import { perChannel } from '../../shared/ipc/channels';
import type { IpcHandlers, MotcuaBridge } from '../../shared/ipc/contract';
import { dispatchIpc } from '../../shared/ipc/dispatch';
import { pathFor } from '../../shared/sync/api-contract';


let central: CentralProcess;
let smallPdf: Uint8Array;
let largePdf: Uint8Array;
let dossierSeq = 0;

const engines: SyncEngine[] = [];
const dbs: CounterDatabase[] = [];

beforeAll(async () => {
  [central, smallPdf, largePdf] = await Promise.all([
    startCentralProcess({ env: { MOTCUA_CENTRAL_FAULT_CONTROL: '1' } }),
    makeSignedPdf({ paddingBytes: 40_000, text: 'Don de nghi' }),
    // ~3 MB: many 64 KiB upload chunks, so an upload can be interrupted in the middle.
    makeSignedPdf({ paddingBytes: 3_000_000, text: 'Ban sao giay to' }),
  ]);
});

afterEach(async () => {
  for (const engine of engines.splice(0)) await engine.stop();
  for (const db of dbs.splice(0)) await db.delete();
  await setFaults({ 'commit-500': 0, 'commit-lost-ack': 0, 'upload-patch-500': 0 }).catch(() => undefined);
});

afterAll(async () => {
  await central?.stop();
});

async function setFaults(plan: Record<string, number>): Promise<void> {
  const res = await fetch(new URL(pathFor('testSetFaults'), central.url), { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(plan) });
  expect(res.status).toBe(200);
}

function openDb(name = `motcua-sync-${randomUUID()}`): CounterDatabase {
  const db = new CounterDatabase(name);
  dbs.push(db);
  return db;
}

function engineFor(db: CounterDatabase, extra: Partial<SyncEngineOptions> = {}): SyncEngine {
  const engine = createSyncEngine({
    db,
    centralUrl: central.url,
    credential: () => central.credential,
    uploadChunkSize: 256 * 1024,
    // Fast retries so the tests do not wait minutes; the policy's shape is unit-tested.
    backoff: { baseMs: 100, maxMs: 1_000 },
    pollIntervalMs: 500,
    probeTimeoutMs: 2_000,
    ...extra,
  });
  engines.push(engine);
  return engine;
}

async function queueDossier(db: CounterDatabase, pdfs: readonly Uint8Array[]): Promise<{ dossier: StoredDossier; files: NewFile[] }> {
  dossierSeq++;
  // An old-scheme number of the test device's own counter block (counter 9: 8001–8999), so the central keeps
  // it; a number the device does not own would be replaced (tests/integration/central-code-binding.test.ts).
  // Small chunks in IndexedDB too, so uploads read across chunk rows.
  return saveTestDossier(db, (ownDeviceCounter - 1) * 1000 + dossierSeq, pdfs, {
    fullName: 'Trần Thị Bình',
    createdAt: new Date().toISOString(),
    with: { counterNo: ownDeviceCounter },
    chunkSize: 100_000,
  });
}

async function outboxRow(db: CounterDatabase, id: DossierId): Promise<OutboxRow> {
  const row = await db.outbox.get(id);
  if (!row) throw new Error('outbox row missing');
  return row;
}

async function waitForState(db: CounterDatabase, id: DossierId, accept: (row: OutboxRow) => boolean, timeout = 30_000): Promise<OutboxRow> {
  return vi.waitFor(
    async () => {
      const row = await outboxRow(db, id);
      if (!accept(row)) throw new Error(`outbox row is ${row.state} (${row.lastError?.code ?? 'no error'})`);
      return row;
    },
    { timeout, interval: 50 },
  );
}

interface CentralDossier {
  readonly ack: { centralId: string };
  readonly record: unknown;
  readonly files: ReadonlyArray<{ sha256: string; size: number; componentCode: string; name: string }>;
}

async function centralDossier(id: string): Promise<CentralDossier> {
  const res = await centralFetch(central, pathFor('dossier', { id }));
  expect(res.status).toBe(200);
  return (await res.json()) as CentralDossier;
}

async function centralFileSha(id: string, sha256: string): Promise<string> {
  const res = await centralFetch(central, pathFor('dossierFile', { id, sha256 }));
  expect(res.status).toBe(200);
  return sha256Hex(new Uint8Array(await res.arrayBuffer()));
}

async function logEvents(db: CounterDatabase, id: DossierId): Promise<string[]> {
  return (await db.syncLog.where('dossierId').equals(id).sortBy('id')).map((e) => e.event);
}

describe('sync engine against a real central', () => {
  it('sends one dossier: acknowledged, and the central holds the same bytes', async () => {
    const db = openDb();
    const { dossier, files } = await queueDossier(db, [smallPdf, largePdf]);
    const engine = engineFor(db);
    const snapshots: SyncSnapshot[] = [];
    engine.subscribe((s) => snapshots.push(s));
    engine.start();

    const row = await waitForState(db, dossier.id, (r) => r.state === 'acknowledged');
    const ack = commitAckSchema.parse(row.ack);
    expect(ack).toMatchObject({ dossierId: dossier.id, duplicate: false });
    expect(row.centralReceivedAt).toBe(ack.receivedAt);
    expect(row.lastError).toBeUndefined();

    const stored = await centralDossier(dossier.id);
    expect(stored.ack.centralId).toBe(ack.centralId);
    expect(stored.files.map((f) => f.sha256).sort()).toEqual(files.map((f) => f.meta.sha256).sort());
    for (const f of files) expect(await centralFileSha(dossier.id, f.meta.sha256)).toBe(f.meta.sha256);
    const record = dossierCommitSchema.parse(stored.record);
    expect(record.code).toBe(dossier.code);
    expect(record.applicant).toEqual(dossier.applicant);

    // Retention (default: 0 days after the acknowledgement): the same pass deletes the bytes, keeps the metadata.
    await vi.waitFor(async () => expect(await logEvents(db, dossier.id)).toEqual(['queued', 'state:uploading', 'upload:created', 'upload:created', 'state:committing', 'state:acknowledged', 'files:purged']));
    const kept = await db.files.where('dossierId').equals(dossier.id).toArray();
    expect(kept.map((f) => [f.sha256, f.size, f.confirmedAt, typeof f.purgedAt]).sort()).toEqual(files.map((f) => [f.meta.sha256, f.meta.size, row.acknowledgedAt, 'string']).sort());
    expect(await db.fileChunks.count()).toBe(0);
    expect(await db.dossiers.get(dossier.id)).toEqual(dossier);
    await vi.waitFor(() => expect(engine.snapshot()).toMatchObject({ waiting: 0, bytesLeft: 0, connectivity: 'online', running: true }));
    expect(typeof engine.snapshot().centralClockOffsetMs).toBe('number');
    expect(snapshots.some((s) => s.bytesLeft > 0)).toBe(true);
  });

  it('keeps the bytes after the acknowledgement while the configured grace period runs', async () => {
    const db = openDb();
    const { dossier, files } = await queueDossier(db, [smallPdf]);
    const engine = engineFor(db, { retention: { filesDaysAfterAck: 30 } });
    engine.start();
    await waitForState(db, dossier.id, (r) => r.state === 'acknowledged');
    await engine.syncNow();
    expect(await readFileBytes(db, files[0]!.meta.id)).toEqual(files[0]!.bytes);
    expect((await db.files.get(files[0]!.meta.id))?.awaitingPurgeSince).toBeDefined();
    expect(await logEvents(db, dossier.id)).not.toContain('files:purged');
  });

  it('keeps the dossier waiting while the central is down, then sends it when the central is back', async () => {
    const db = openDb();
    const { dossier, files } = await queueDossier(db, [smallPdf]);
    await central.kill('SIGKILL');
    try {
      const engine = engineFor(db);
      engine.start();
      const waiting = await waitForState(db, dossier.id, (r) => r.lastError?.code === 'CENTRAL_UNREACHABLE');
      expect(waiting.state).toBe('waiting');
      await vi.waitFor(() => expect(engine.snapshot().connectivity).toBe('offline'));
      // A pass while down changes nothing but the error.
      await engine.syncNow();
      expect((await outboxRow(db, dossier.id)).state).toBe('waiting');
    } finally {
      await central.restart();
    }
    const row = await waitForState(db, dossier.id, (r) => r.state === 'acknowledged');
    expect(row.lastError).toBeUndefined();
    expect((await centralDossier(dossier.id)).files[0]?.sha256).toBe(files[0]!.meta.sha256);
    const events = await db.syncLog.toArray();
    expect(events.some((e) => e.event === 'connectivity:offline')).toBe(true);
    expect(events.some((e) => e.event === 'connectivity:online')).toBe(true);
  });

  it('backs off on 500s from the central and gets the dossier acknowledged later', async () => {
    const db = openDb();
    const { dossier } = await queueDossier(db, [smallPdf]);
    await setFaults({ 'upload-patch-500': 1, 'commit-500': 2 });
    const engine = engineFor(db);
    engine.start();

    const row = await waitForState(db, dossier.id, (r) => r.state === 'acknowledged');
    // One failed upload and two failed commits, each sent back to 'waiting' with a backoff delay.
    expect(row.attempts).toBe(3);
    const retries = (await db.syncLog.where('dossierId').equals(dossier.id).toArray()).filter((e) => e.event === 'state:waiting');
    expect(retries.map((e) => e.details.from)).toEqual(['uploading', 'committing', 'committing']);
    for (const entry of retries) expect(Number(entry.details.retryInMs)).toBeGreaterThan(0);
    // The central answers the faulty PATCH with 500 without reading the body; Node's HTTP client may see the
    // connection reset while still writing it, so the upload failure is either of the two retryable codes.
    expect(['CENTRAL_SERVER_ERROR', 'CENTRAL_UNREACHABLE']).toContain(retries[0]!.details.error);
    expect(retries.slice(1).map((e) => e.details.error)).toEqual(['CENTRAL_SERVER_ERROR', 'CENTRAL_SERVER_ERROR']);
    // The failed PATCH did not make the engine create a second upload.
    expect((await logEvents(db, dossier.id)).filter((e) => e === 'upload:created')).toHaveLength(1);
  });

  it('re-sends a commit whose answer was lost and gets the first answer back, not a second dossier', async () => {
    const db = openDb();
    const { dossier } = await queueDossier(db, [smallPdf]);
    await setFaults({ 'commit-lost-ack': 1 });
    const engine = engineFor(db);
    engine.start();

    const row = await waitForState(db, dossier.id, (r) => r.state === 'acknowledged');
    const ack = commitAckSchema.parse(row.ack);
    expect(ack.duplicate).toBe(true);
    expect((await centralDossier(dossier.id)).ack.centralId).toBe(ack.centralId);
  });

  it('resumes an interrupted upload from the stored upload URL after an engine and database restart', async () => {
    const name = `motcua-sync-${randomUUID()}`;
    const first = new CounterDatabase(name);
    const { dossier, files } = await queueDossier(first, [largePdf]);
    const sha = files[0]!.meta.sha256;
    const engine1 = createSyncEngine({ db: first, centralUrl: central.url, credential: () => central.credential, uploadChunkSize: 64 * 1024, pollIntervalMs: 500 });
    engines.push(engine1);

    // Stop the engine (like closing the app) as soon as part of the file has reached the central.
    let stopping: Promise<void> | undefined;
    engine1.subscribe((s) => {
      if (!stopping && s.waiting === 1 && s.bytesLeft > 0 && s.bytesLeft < largePdf.byteLength) stopping = engine1.stop();
    });
    engine1.start();
    await vi.waitFor(() => expect(stopping).toBeDefined(), { timeout: 30_000, interval: 20 });
    await stopping;

    const interrupted = await outboxRow(first, dossier.id);
    const progress = interrupted.uploads[sha];
    expect(interrupted.state).toBe('waiting');
    expect(progress?.uploadUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1\/uploads\//);
    expect(progress?.bytesSent).toBeGreaterThan(0);
    expect(progress?.bytesSent).toBeLessThan(largePdf.byteLength);
    first.close();

    // The app starts again: a new database handle and a new engine.
    const second = openDb(name);
    const engine2 = engineFor(second, { uploadChunkSize: 64 * 1024 });
    engine2.start();
    const row = await waitForState(second, dossier.id, (r) => r.state === 'acknowledged');
    expect(row.uploads[sha]?.uploadUrl).toBe(progress?.uploadUrl);

    const stored = await centralDossier(dossier.id);
    expect(stored.files.map((f) => f.sha256)).toEqual([sha]);
    expect(await centralFileSha(dossier.id, sha)).toBe(sha);
    // The central's record names the very upload begun before the restart: no second upload was created.
    expect(dossierCommitSchema.parse(stored.record).files[0]?.uploadUrl).toBe(progress?.uploadUrl);
    expect((await logEvents(second, dossier.id)).filter((e) => e === 'upload:created')).toHaveLength(1);
  });

  it('marks a dossier the central refuses as failed with the central’s code', async () => {
    const db = openDb();
    // An unsigned PDF: the central refuses it (CENTRAL_SIGNATURE_INVALID), a terminal error for the clerk.
    const unsigned = new TextEncoder().encode('%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n');
    const { dossier } = await queueDossier(db, [unsigned]);
    const engine = engineFor(db);
    engine.start();
    const row = await waitForState(db, dossier.id, (r) => r.state === 'failed');
    expect(row.lastError?.code).toBe('CENTRAL_SIGNATURE_INVALID');
    await vi.waitFor(() => expect(engine.snapshot().failed).toBe(1));
  });
});

// Issue 18 item 6: main's spool copy of a dossier goes with its acknowledgement, through the engine's port —
// not with a later pass of the UI thread's reconcile, which only catches what a failed release left.
describe('main’s spool copy released with the acknowledgement', () => {
  /** Main's real spool (electron/services/dossier-spool.ts) behind the IPC contract, in a temporary folder. */
  async function spoolMain(): Promise<MainClient> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'motcua-engine-spool-'));
    spoolCleanups.push(() => rm(dir, { recursive: true, force: true }));
    const handlers = spoolHandlers(openDossierSpool(dir)) as unknown as IpcHandlers;
    const bridge = perChannel((channel) => (request: unknown) => dispatchIpc(handlers, channel, request, () => undefined)) as MotcuaBridge;
    return createMainClient(bridge);
  }
  const spoolCleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of spoolCleanups.splice(0)) await cleanup();
  });

  async function queueSpooledDossier(db: CounterDatabase, main: MainClient): Promise<StoredDossier> {
    const { dossier, files } = await queueDossier(db, [smallPdf]);
    await main.call('spool:prepare', spoolEntryOf(dossier, files));
    await main.call('spool:commit', { dossierIds: [dossier.id] });
    return dossier;
  }

  const spooledIds = async (main: MainClient): Promise<string[]> => (await main.call('spool:list', {})).entries.map((e) => e.dossierId);

  it('releases the copy as part of the acknowledgement, with no reconcile pass', async () => {
    const main = await spoolMain();
    const db = openDb();
    const dossier = await queueSpooledDossier(db, main);
    expect(await spooledIds(main)).toEqual([dossier.id]);
    engineFor(db, { spool: spoolReleasePort(main) }).start();
    await waitForState(db, dossier.id, (r) => r.state === 'acknowledged');
    await vi.waitFor(async () => expect(await spooledIds(main)).toEqual([]));
    expect(await logEvents(db, dossier.id)).not.toContain('spool:release-failed');
  });

  it('keeps the dossier acknowledged when main cannot release; the reconcile pass releases it later', async () => {
    const main = await spoolMain();
    const db = openDb();
    const dossier = await queueSpooledDossier(db, main);
    engineFor(db, { spool: { release: () => Promise.reject(new Error('main is busy')) } }).start();
    await waitForState(db, dossier.id, (r) => r.state === 'acknowledged');
    await vi.waitFor(async () => expect(await logEvents(db, dossier.id)).toContain('spool:release-failed'));
    expect((await outboxRow(db, dossier.id)).state).toBe('acknowledged');
    expect(await spooledIds(main)).toEqual([dossier.id]);
    expect(await reconcileSpool(db, main)).toMatchObject({ released: 1, problems: [] });
    expect(await spooledIds(main)).toEqual([]);
  });
});
