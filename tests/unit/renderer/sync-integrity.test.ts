// Damage is detected and reported, never repaired by deleting: the start-up queue check (missing chunk,
// missing file record) surfaces in the engine's snapshot and the sync log.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CounterDatabase } from '../../../renderer/src/db/database';
import type { StoredDossier } from '../../../renderer/src/db/database';
import { saveAcceptedDossier } from '../../../renderer/src/db/dossiers';
import { checkQueueIntegrity } from '../../../renderer/src/db/integrity';
import { createSyncEngine } from '../../../renderer/src/sync/engine';
import { dossierIdSchema } from '../../../shared/domain/dossier';
import { sha256Hex } from '../../../shared/util/bytes';
import { saveTestDossier } from '../../support/counter-dossier';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function dossierWithTwoFiles(db: CounterDatabase): Promise<StoredDossier> {
  const id = dossierIdSchema.parse(crypto.randomUUID());
  const files = [1, 2].map((n) => {
    const bytes = new Uint8Array(50_000).map((_, i) => (i * n) % 251);
    return { bytes, meta: { id: crypto.randomUUID(), dossierId: id, componentCode: `TP${n}`, name: `tp-${n}.pdf`, mediaType: 'application/pdf' as const, size: bytes.byteLength, sha256: sha256Hex(bytes), pageCount: 1 } };
  });
  const dossier: StoredDossier = {
    id,
    code: '000.00.01.H22-261123-0042',
    procedure: { code: '1.001234', name: 'Đăng ký khai sinh' },
    applicant: { fullName: 'Phạm Thị Dung', idNumber: '001203004567', phone: '0912345678', address: 'Hà Nội' },
    unit: { code: '000.00.01.H22', name: 'UBND xã Thử Nghiệm' },
    counterNo: 1,
    receivedAt: '2026-11-23T09:15:00+07:00',
    appointmentAt: '2026-11-26T09:15:00+07:00',
    components: files.map((f) => ({ code: f.meta.componentCode, name: f.meta.name, required: true, fileIds: [f.meta.id] })),
    createdAt: new Date().toISOString(),
  };
  await saveAcceptedDossier(db, dossier, files, { chunkSize: 16_384 });
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
