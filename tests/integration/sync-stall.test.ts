// A link that goes silent in the middle of a tus PATCH (no reset, nothing answered): the sync engine's stall
// watchdog aborts the upload, and the next attempt asks the central for its offset (HEAD) and resumes from it.
// Real central process; the fault suite's gateway sits on the link and swallows one PATCH.
import 'fake-indexeddb/auto';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CounterDatabase } from '../../renderer/src/db/database';
import { createSyncEngine } from '../../renderer/src/sync/engine';
import { sha256Hex } from '../../shared/util/bytes';
import { startGateway, type Gateway, type RequestKind } from '../fault/harness/gateway';
import { centralFetch, makeSignedPdf, startCentralProcess, type CentralProcess } from '../support/central-process';
import { saveTestDossier } from '../support/counter-dossier';
import { pathFor } from '../../shared/sync/api-contract';

let central: CentralProcess;
let gateway: Gateway;
let pdf: Uint8Array;

beforeAll(async () => {
  [central, pdf] = await Promise.all([startCentralProcess(), makeSignedPdf({ paddingBytes: 1_500_000, text: 'Ban sao giay to' })]);
  gateway = await startGateway({ upstream: central.url, statics: {} });
});

afterAll(async () => {
  await gateway?.close();
  await central?.stop();
});

describe('tus upload over a link that goes silent', () => {
  it('aborts the stalled PATCH, resumes from the central offset and completes with the same bytes', async () => {
    const db = new CounterDatabase(`motcua-stall-${randomUUID()}`);
    const sha256 = sha256Hex(pdf);
    const { dossier } = await saveTestDossier(db, 901, [pdf], { fullName: 'Trần Thị Bình', createdAt: new Date().toISOString() });
    const id = dossier.id;

    const chunkSize = 256 * 1024;
    // The first PATCH goes through; when its answer is back, the link goes silent for the next one.
    let silenced: Promise<RequestKind | undefined> | undefined;
    const firstPatch = gateway.arm(['patch'], {
      type: 'hook',
      phase: 'response',
      action: () => {
        silenced = gateway.arm(['patch'], { type: 'blackhole' });
        return Promise.resolve();
      },
    });
    const engine = createSyncEngine({
      db,
      centralUrl: gateway.url,
      credential: () => central.credential,
      uploadChunkSize: chunkSize,
      uploadStallTimeoutMs: 1_500,
      backoff: { baseMs: 100, maxMs: 1_000 },
      pollIntervalMs: 500,
      probeTimeoutMs: 2_000,
      pull: false,
    });
    engine.start();
    try {
      expect(await firstPatch).toBe('patch');
      const row = await vi.waitFor(
        async () => {
          const r = await db.outbox.get(id);
          if (r?.state !== 'acknowledged') throw new Error(`outbox row is ${r?.state} (${r?.lastError?.code ?? 'no error'})`);
          return r;
        },
        { timeout: 45_000, interval: 100 },
      );
      expect(await silenced).toBe('patch');
      expect(row.lastError).toBeUndefined();

      // The stall was seen and logged as such (not as a dead central), and the dossier went back to waiting.
      const log = await db.syncLog.where('dossierId').equals(id).toArray();
      expect(log.some((e) => e.event === 'state:waiting' && JSON.stringify(e.details).includes('CENTRAL_UPLOAD_STALLED'))).toBe(true);
      // Resumed, not restarted: one upload created, the offset asked with HEAD, at most one chunk sent twice.
      expect(log.filter((e) => e.event === 'upload:created')).toHaveLength(1);
      expect(gateway.counts().head).toBeGreaterThanOrEqual(1);
      expect(gateway.bodyBytes().patch).toBeGreaterThanOrEqual(pdf.byteLength);
      expect(gateway.bodyBytes().patch).toBeLessThanOrEqual(pdf.byteLength + chunkSize);

      const res = await centralFetch(central, pathFor('dossierFile', { id, sha256 }));
      expect(res.status).toBe(200);
      expect(sha256Hex(new Uint8Array(await res.arrayBuffer()))).toBe(sha256);
    } finally {
      await engine.stop();
      await db.delete();
    }
  });
});
