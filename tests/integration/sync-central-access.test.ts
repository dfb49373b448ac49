// What the central makes of this counter (issue 14, finding 6): the sync engine (renderer code, in Node over
// fake-indexeddb) against a real central process — not enrolled, enrolled for another unit, revoked, accepted.
import 'fake-indexeddb/auto';
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { CounterDatabase } from '../../renderer/src/db/database';
import type { StoredDossier } from '../../renderer/src/db/database';
import { createSyncEngine, type SyncEngine, type SyncEngineOptions } from '../../renderer/src/sync/engine';
import { adminCall, enrollTestDevice, makeSignedPdf, startCentralProcess, testUnit, type CentralProcess } from '../support/central-process';
import { saveTestDossier } from '../support/counter-dossier';
import { pathFor } from '../../shared/sync/api-contract';

let central: CentralProcess;
let pdf: Uint8Array;
const engines: SyncEngine[] = [];
const dbs: CounterDatabase[] = [];

beforeAll(async () => {
  [central, pdf] = await Promise.all([startCentralProcess(), makeSignedPdf({ paddingBytes: 10_000, text: 'Don' })]);
});
afterEach(async () => {
  for (const engine of engines.splice(0)) await engine.stop();
  for (const db of dbs.splice(0)) await db.delete();
});
afterAll(async () => {
  await central?.stop();
});

const counter = { unitCode: testUnit.code, unitName: testUnit.name, counterNo: 1 };

function engineFor(credential: () => string | undefined, extra: Partial<SyncEngineOptions> = {}): { engine: SyncEngine; db: CounterDatabase } {
  const db = new CounterDatabase(`motcua-access-${randomUUID()}`);
  dbs.push(db);
  const engine = createSyncEngine({ db, centralUrl: central.url, credential, counter, backoff: { baseMs: 100, maxMs: 1_000 }, pollIntervalMs: 60_000, probeTimeoutMs: 2_000, ...extra });
  engines.push(engine);
  return { engine, db };
}

let sequence = 500;
async function queueDossier(db: CounterDatabase): Promise<StoredDossier> {
  sequence++;
  const { dossier } = await saveTestDossier(db, sequence, [pdf], {
    fullName: 'Trần Thị Bình',
    with: { code: `${testUnit.code}-261123-${String(sequence).padStart(4, '0')}`, unit: testUnit, createdAt: new Date().toISOString() },
  });
  return dossier;
}

describe('the central’s answer about this counter', () => {
  it('an un-enrolled counter is refused: nothing is sent or tried, the row says why; once enrolled it is accepted and sends', async () => {
    // What main would hand over: nothing until IT enrolls this PC.
    const stored: { credential?: string } = {};
    const { engine, db } = engineFor(() => stored.credential);
    const dossier = await queueDossier(db);
    await engine.syncNow();
    const snapshot = engine.snapshot();
    // The central is reachable — but that is not the same as working for this counter.
    expect(snapshot.connectivity).toBe('online');
    expect(snapshot.centralAccess).toMatchObject({ state: 'refused', error: { code: 'DEVICE_UNAUTHENTICATED' } });
    const row = await db.outbox.get(dossier.id);
    expect(row).toMatchObject({ state: 'waiting', attempts: 0, lastError: { code: 'DEVICE_UNAUTHENTICATED' } });
    // A second pass logs no second line: the log says when it changes.
    await engine.syncNow();
    expect((await db.syncLog.toArray()).filter((e) => e.event === 'central:refused')).toHaveLength(1);

    stored.credential = (await enrollTestDevice(central)).credential;
    await engine.syncNow();
    expect(engine.snapshot().centralAccess).toEqual({ state: 'accepted' });
    await vi.waitFor(async () => expect((await db.outbox.get(dossier.id))?.state).toBe('acknowledged'), { timeout: 30_000, interval: 50 });
    const events = (await db.syncLog.orderBy('id').toArray()).map((e) => e.event);
    expect(events.indexOf('central:accepted')).toBeGreaterThan(events.indexOf('central:refused'));
  });

  it('a counter enrolled for another unit is refused before any of its dossiers fails', async () => {
    const other = await enrollTestDevice(central, { unit: { code: '000.00.02.H22', name: 'UBND xã Bên Cạnh' } });
    const { engine, db } = engineFor(() => other.credential);
    const dossier = await queueDossier(db);
    await engine.syncNow();
    expect(engine.snapshot().centralAccess).toMatchObject({
      state: 'refused',
      error: { code: 'DEVICE_UNIT_MISMATCH', details: { deviceUnit: '000.00.02.H22', unit: testUnit.code, deviceCounter: 1, counter: 1 } },
    });
    // Without the check the commit would have been refused with DEVICE_FORBIDDEN and the dossier marked failed.
    expect(await db.outbox.get(dossier.id)).toMatchObject({ state: 'waiting', attempts: 0, lastError: { code: 'DEVICE_UNIT_MISMATCH' } });
  });

  it('a counter enrolled under another counter number of the same unit is refused too (its dossier numbers would clash)', async () => {
    const other = await enrollTestDevice(central, { counterNo: 2, deviceName: 'Quầy 2' });
    const { engine, db } = engineFor(() => other.credential);
    const dossier = await queueDossier(db);
    await engine.syncNow();
    expect(engine.snapshot().centralAccess).toMatchObject({
      state: 'refused',
      error: { code: 'DEVICE_UNIT_MISMATCH', details: { deviceUnit: testUnit.code, unit: testUnit.code, deviceCounter: 2, counter: 1 } },
    });
    expect(await db.outbox.get(dossier.id)).toMatchObject({ state: 'waiting', attempts: 0, lastError: { code: 'DEVICE_UNIT_MISMATCH' } });
  });

  it('a revoked counter is refused with the revocation', async () => {
    // Counter 3: counter 1 is the first test's (one PC per counter number).
    const enrolled = await enrollTestDevice(central, { counterNo: 3 });
    const { engine } = engineFor(() => enrolled.credential, { counter: { ...counter, counterNo: 3 } });
    await engine.syncNow();
    expect(engine.snapshot().centralAccess).toEqual({ state: 'accepted' });
    expect((await adminCall(central, 'POST', pathFor('adminRevokeDevice', { deviceId: enrolled.device.deviceId }))).status).toBe(200);
    await engine.syncNow();
    expect(engine.snapshot().centralAccess).toMatchObject({ state: 'refused', error: { code: 'DEVICE_REVOKED' } });
  });

  it('an unreachable central leaves no answer about the counter (offline, not refused)', async () => {
    const { engine } = engineFor(() => central.credential, { centralUrl: 'http://127.0.0.1:9' });
    await engine.syncNow();
    expect(engine.snapshot().connectivity).toBe('offline');
    expect(engine.snapshot().centralAccess).toBeUndefined();
  });
});
