// A counter below the central's minimum version (issue 16, item 5): the sync engine (renderer code, in Node over
// fake-indexeddb) against a real central process. Nothing is sent and nothing fails: the dossier waits, kept,
// with the reason, and goes once the counter may send again. The central refuses the sending routes itself too.
import 'fake-indexeddb/auto';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CounterDatabase } from '../../renderer/src/db/database';
import { createSyncEngine } from '../../renderer/src/sync/engine';
import { centralStatus } from '../../renderer/src/features/sync/central-status';
import { counterVersionHeader } from '../../shared/updates/release';
import { saveTestDossier } from '../support/counter-dossier';
import { adminCall, centralFetch, enrollTestDevice, makeSignedPdf, startCentralProcess, testUnit, type CentralProcess } from '../support/central-process';
import { pathFor } from '../../shared/sync/api-contract';

let central: CentralProcess;
let credential: string;
let pdf: Uint8Array;

beforeAll(async () => {
  [central, pdf] = await Promise.all([startCentralProcess({ enroll: false }), makeSignedPdf({ paddingBytes: 10_000, text: 'Don' })]);
  credential = (await enrollTestDevice(central, { counterNo: 1 })).credential;
});
afterAll(async () => {
  await central?.stop();
});

const setMinimum = async (minimumVersion: string | null) => {
  const answer = await adminCall(central, 'PUT', pathFor('adminSetUpdatePolicy'), { minimumVersion });
  expect(answer.status).toBe(200);
  // The central re-reads its policy every few seconds at most.
  await new Promise((resolve) => setTimeout(resolve, 5_200));
};

describe('a counter below the minimum version', () => {
  it('holds its dossiers (kept, not failed) and says why; sends them once allowed again', { timeout: 60_000 }, async () => {
    await setMinimum('9.0.0');
    const db = new CounterDatabase(`motcua-update-required-${randomUUID()}`);
    const engine = createSyncEngine({
      db,
      centralUrl: central.url,
      credential: () => credential,
      counter: { unitCode: testUnit.code, unitName: testUnit.name, counterNo: 1 },
      backoff: { baseMs: 100, maxMs: 1_000 },
      pollIntervalMs: 60_000,
      probeTimeoutMs: 2_000,
    });
    try {
      const { dossier } = await saveTestDossier(db, 1, [pdf]);
      await engine.syncNow();
      const snapshot = engine.snapshot();
      expect(snapshot.centralAccess).toMatchObject({ state: 'refused', error: { code: 'COUNTER_UPDATE_REQUIRED', details: { minimumVersion: '9.0.0' } } });
      expect(centralStatus(snapshot)).toMatchObject({ kind: 'refused', error: { code: 'COUNTER_UPDATE_REQUIRED' } });
      expect(await db.outbox.get(dossier.id)).toMatchObject({ state: 'waiting', attempts: 0, lastError: { code: 'COUNTER_UPDATE_REQUIRED' } });
      expect((await centralFetch({ url: central.url, credential }, pathFor('dossier', { id: dossier.id }))).status).toBe(404);

      await setMinimum(null);
      await engine.syncNow();
      expect(engine.snapshot().centralAccess).toMatchObject({ state: 'accepted' });
      expect(await db.outbox.get(dossier.id)).toMatchObject({ state: 'acknowledged' });
    } finally {
      await engine.stop();
      await db.delete();
    }
  });

  it('the central refuses commits and events from it with 426, by the version the counter names', { timeout: 30_000 }, async () => {
    await setMinimum('1.5.0');
    try {
      const put = (headers: Record<string, string>) =>
        centralFetch({ url: central.url, credential }, pathFor('commitDossier', { id: randomUUID() }), { method: 'PUT', headers: { 'content-type': 'application/json', ...headers }, body: '{}' });
      const unnamed = await put({});
      expect(unnamed.status).toBe(426);
      expect(await unnamed.json()).toMatchObject({ error: 'COUNTER_UPDATE_REQUIRED', details: { minimumVersion: '1.5.0', version: 'unknown' } });
      expect((await put({ [counterVersionHeader]: '1.4.9' })).status).toBe(426);
      // At the minimum, the request reaches the commit's own checks (an empty body is invalid).
      expect((await put({ [counterVersionHeader]: '1.5.0' })).status).toBe(400);
      const self = await centralFetch({ url: central.url, credential }, pathFor('deviceSelf'), { headers: { [counterVersionHeader]: '2.0.0' } });
      expect(self.status).toBe(200);
    } finally {
      await setMinimum(null);
    }
  });
});
