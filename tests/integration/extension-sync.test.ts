// A second extension of a 2025 dossier through the real sync engine (renderer code in Node over
// fake-indexeddb) and a REAL central: the central refuses it with EXTENSION_ALREADY_USED, the event ends
// `failed` (not retried for ever), the central's accepted appointment comes back through the feed, and the
// desk's data carries the refusal so the panel can say it.
import 'fake-indexeddb/auto';
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { queueCounterEvent } from '../../renderer/src/db/counter-events';
import { CounterDatabase } from '../../renderer/src/db/database';
import { loadTrackedDossiers } from '../../renderer/src/features/board/board-data';
import { createSyncEngine, type SyncEngine } from '../../renderer/src/sync/engine';
import { LEGAL_BASIS_2025 } from '../../shared/domain/legal-basis';
import { describeError } from '../../shared/i18n/error-messages';
import type { CounterEvent } from '../../shared/sync/protocol';
import { makeSignedPdf, startCentralProcess, type CentralProcess } from '../support/central-process';
import { saveTestDossier } from '../support/counter-dossier';

let central: CentralProcess;
let pdf: Uint8Array;
const engines: SyncEngine[] = [];
const dbs: CounterDatabase[] = [];

beforeAll(async () => {
  [central, pdf] = await Promise.all([startCentralProcess(), makeSignedPdf({ paddingBytes: 10_000, text: 'To khai' })]);
});
afterEach(async () => {
  for (const engine of engines.splice(0)) await engine.stop();
  for (const db of dbs.splice(0)) await db.delete();
});
afterAll(async () => {
  await central?.stop();
});

describe('a second extension refused by the central', () => {
  it('the first is acknowledged, the second fails with EXTENSION_ALREADY_USED and the desk shows why', async () => {
    const db = new CounterDatabase(`motcua-extension-${randomUUID()}`);
    dbs.push(db);
    const { dossier } = await saveTestDossier(db, 4242, [pdf], { createdAt: new Date().toISOString() });
    const apology = (newAppointmentAt: string): Extract<CounterEvent, { kind: 'apology-issued' }> => ({
      kind: 'apology-issued',
      eventId: randomUUID(),
      at: new Date().toISOString(),
      clerk: 'Trần Văn Quầy',
      reason: 'Cần xác minh thêm',
      newAppointmentAt,
      legalBasis: LEGAL_BASIS_2025,
      notifiedVia: 'email',
    });
    const first = apology('2026-12-03T17:00:00+07:00');
    const second = apology('2026-12-10T17:00:00+07:00');
    await queueCounterEvent(db, dossier.id, first, (s) => ({ ...s, appointmentAt: first.newAppointmentAt }));
    await queueCounterEvent(db, dossier.id, second, (s) => ({ ...s, appointmentAt: second.newAppointmentAt }));

    const engine = createSyncEngine({ db, centralUrl: central.url, credential: () => central.credential, backoff: { baseMs: 100, maxMs: 1_000 }, pollIntervalMs: 500 });
    engines.push(engine);
    engine.start();
    await vi.waitFor(async () => expect((await db.counterEvents.get(first.eventId))?.state).toBe('acknowledged'), { timeout: 60_000, interval: 100 });
    await vi.waitFor(async () => expect((await db.counterEvents.get(second.eventId))?.state).toBe('failed'), { timeout: 60_000, interval: 100 });
    expect((await db.counterEvents.get(second.eventId))?.lastError?.code).toBe('EXTENSION_ALREADY_USED');

    // The feed brings the appointment the central accepted: the refused date does not stay on the counter.
    await engine.syncNow();
    await vi.waitFor(async () => expect((await db.dossierState.get(dossier.id))?.appointmentAt).toBe(new Date(first.newAppointmentAt).toISOString()), { timeout: 60_000, interval: 100 });

    const tracked = (await loadTrackedDossiers(db)).find((d) => d.dossier.id === dossier.id);
    const refusal = tracked?.refusedExtension;
    expect(refusal?.code).toBe('EXTENSION_ALREADY_USED');
    expect(refusal && describeError('vi', refusal.code, refusal.details)).toContain('đã được gia hạn một lần');
  });
});
