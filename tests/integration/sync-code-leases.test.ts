/**
 * Issue 15, the counter's sync engine (renderer code over fake-indexeddb) against the real central process:
 * while online it is leased blocks of dossier numbers for the agency it numbers for; with the central
 * unreachable it still issues official codes from them, then a provisional TAM-… number once they are used
 * up; when the central is back, the dossier with the provisional number is committed, the central gives it
 * an official code above every leased block, and the counter stores that code and keeps the provisional one
 * beside it (the queue asks the clerk to reprint the receipt).
 */
import 'fake-indexeddb/auto';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CounterDatabase } from '../../renderer/src/db/database';
import { saveAcceptedDossier } from '../../renderer/src/db/dossiers';
import { queueView } from '../../renderer/src/db/queue';
import { allocateDossierCode, leasesFor, vietnamDayKey } from '../../renderer/src/db/sequences';
import { createSyncEngine, type SyncEngine } from '../../renderer/src/sync/engine';
import { defaultCodeLeasePolicy } from '../../shared/domain/code-lease';
import { isProvisionalDossierCode, parseDossierCode } from '../../shared/domain/dossier-code';
import { toVietnamIso } from '../../shared/domain/time';
import { makeSignedPdf, ownDeviceCounter, startCentralProcess, testUnit, type CentralProcess } from '../support/central-process';
import { testDossierWithFiles } from '../support/counter-dossier';

let central: CentralProcess;
let signedPdf: Uint8Array;
const agencyId = 'G12.18.92';

beforeAll(async () => {
  [central, signedPdf] = await Promise.all([startCentralProcess(), makeSignedPdf({ paddingBytes: 2_000 })]);
});

afterAll(async () => {
  await central?.stop();
});

describe('dossier codes from leases, offline and back', () => {
  it('draws official codes from a lease while the central is unreachable, then a provisional number the central replaces on sync', async () => {
    const db = new CounterDatabase(`motcua-leases-${randomUUID()}`);
    const counter = { unitCode: testUnit.code, counterNo: ownDeviceCounter, agencyId };
    const engine: SyncEngine = createSyncEngine({
      db,
      centralUrl: central.url,
      credential: () => central.credential,
      backoff: { baseMs: 100, maxMs: 1_000 },
      pollIntervalMs: 500,
      probeTimeoutMs: 2_000,
      codeLeases: { unitCode: testUnit.code, counterNo: ownDeviceCounter, agencyIds: () => Promise.resolve([agencyId]) },
    });
    try {
      await engine.syncNow();
      const today = vietnamDayKey(new Date());
      expect(await leasesFor(db, agencyId, today)).toMatchObject([{ agencyId, day: today, first: 1, last: defaultCodeLeasePolicy.floor }]);

      await central.kill();
      await engine.syncNow();
      expect(engine.snapshot().connectivity).toBe('offline');
      const codes: string[] = [];
      for (let i = 0; i < defaultCodeLeasePolicy.floor + 1; i++) codes.push(await allocateDossierCode(db, counter, new Date()));
      const official = codes.slice(0, -1);
      expect(official.map((c) => parseDossierCode(c).sequence)).toEqual(Array.from({ length: defaultCodeLeasePolicy.floor }, (_, i) => i + 1));
      const provisional = codes.at(-1) ?? '';
      expect(isProvisionalDossierCode(provisional)).toBe(true);

      // The dossier with the provisional number is saved (queued) as intake would.
      const { dossier, files } = testDossierWithFiles(1, [signedPdf]);
      const now = toVietnamIso(new Date());
      await saveAcceptedDossier(db, { ...dossier, code: provisional, codePrefix: agencyId, counterNo: ownDeviceCounter, receivedAt: now, createdAt: new Date().toISOString() }, files);

      await central.restart();
      await engine.syncNow();
      await vi.waitFor(async () => expect((await db.outbox.get(dossier.id))?.state).toBe('acknowledged'), { timeout: 30_000, interval: 200 });
      const stored = await db.dossiers.get(dossier.id);
      expect(stored?.provisionalCode).toBe(provisional);
      // Back online the counter was first given a new block (it had none left), then the commit's code came above it.
      const floor = defaultCodeLeasePolicy.floor;
      expect((await leasesFor(db, agencyId, today)).map((l) => [l.first, l.last])).toEqual([[1, floor], [floor + 1, 2 * floor]]);
      expect(parseDossierCode(stored?.code ?? '')).toMatchObject({ agencyId, sequence: 2 * floor + 1 });
      const [item] = await queueView(db, 10);
      expect(item).toMatchObject({ code: stored?.code, provisionalCode: provisional });
      // The clerk still finds it by the provisional number on the applicant's first receipt.
      expect((await queueView(db, 10, { text: provisional.slice(-12) })).map((i) => i.dossierId)).toEqual([dossier.id]);
    } finally {
      await engine.stop();
      await db.delete();
    }
  });
});
