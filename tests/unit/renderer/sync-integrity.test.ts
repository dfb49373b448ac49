// Damage is detected and reported, never repaired by deleting: the start-up queue check (missing chunk,
// missing file record) surfaces in the engine's snapshot and the sync log.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CounterDatabase } from '../../../renderer/src/db/database';
import type { StoredDossier } from '../../../renderer/src/db/database';
import { checkQueueIntegrity } from '../../../renderer/src/db/integrity';
import { createSyncEngine } from '../../../renderer/src/sync/engine';
import { saveTestDossier } from '../../support/counter-dossier';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function dossierWithTwoFiles(db: CounterDatabase): Promise<StoredDossier> {
  const pdfs = [1, 2].map((n) => new Uint8Array(50_000).map((_, i) => (i * n) % 251));
  const { dossier } = await saveTestDossier(db, 42, pdfs, { fullName: 'Phạm Thị Dung', createdAt: new Date().toISOString(), fileNames: ['tp-1.pdf', 'tp-2.pdf'], chunkSize: 16_384 });
  return dossier;
}

describe('queue integrity', () => {
  it('finds a missing chunk and a missing file record, and the engine reports them at start', async () => {
    const db = new CounterDatabase(`motcua-integrity-${crypto.randomUUID()}`);
    cleanups.push(() => db.delete());
    const healthy = await dossierWithTwoFiles(db);
    expect(await checkQueueIntegrity(db)).toEqual([]);
    const [first, second] = healthy.components.map((c) => c.fileIds[0]!);
    await db.fileChunks.delete([first!, 2]);
    await db.files.delete(second!);
    const problems = await checkQueueIntegrity(db);
    expect(problems.map((p) => p.issue)).toEqual(['tp-1.pdf: 3 of 4 chunks', 'file 2 record missing']);

    const engine = createSyncEngine({ db, centralUrl: 'http://127.0.0.1:9', pollIntervalMs: 60_000, probeTimeoutMs: 500 });
    cleanups.push(() => engine.stop());
    engine.start();
    await vi.waitFor(() => expect(engine.snapshot().damaged).toBe(1));
    const logged = await db.syncLog.where('dossierId').equals(healthy.id).filter((e) => e.event === 'integrity:damaged').toArray();
    expect(logged).toHaveLength(2);
    expect(logged[0]).toMatchObject({ level: 'error', details: { code: healthy.code } });
    // Reported, not repaired: the dossier and its remaining data are all still there.
    expect(await db.dossiers.get(healthy.id)).toBeDefined();
    expect(await db.fileChunks.where('[fileId+index]').between([first!, 0], [first!, Infinity]).count()).toBe(3);
  });
  it('scheduled as the app does (after a delay, in rounds with pauses), still finds damage in a later round and reports it', async () => {
    // Issue 20: the worker defers the check past the clerk's first screen and reads in rounds of 100 dossiers.
    const db = new CounterDatabase(`motcua-integrity-${crypto.randomUUID()}`);
    cleanups.push(() => db.delete());
    const saved = [];
    for (let n = 1; n <= 130; n++) saved.push(await saveTestDossier(db, n, [new Uint8Array(64).fill(n)]));
    const damaged = saved[117]!.dossier;
    const fileId = damaged.components[0]!.fileIds[0]!;
    await db.fileChunks.delete([fileId, 0]);
    const problems = await checkQueueIntegrity(db, { pauseMs: 5 });
    expect(problems.map((p) => [p.code, p.issue])).toEqual([[damaged.code, 'thanh-phan-1.pdf: 0 of 1 chunks']]);

    const engine = createSyncEngine({ db, centralUrl: 'http://127.0.0.1:9', pollIntervalMs: 60_000, probeTimeoutMs: 500, integrityCheck: { delayMs: 200, pauseMs: 5 } });
    cleanups.push(() => engine.stop());
    engine.start();
    await vi.waitFor(() => expect(engine.snapshot().damaged).toBe(1), { timeout: 10_000 });
    expect(await db.syncLog.where('dossierId').equals(damaged.id).filter((e) => e.event === 'integrity:damaged').count()).toBe(1);
  });
});
