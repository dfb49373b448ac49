// Issue 17, finding 8 — "a test walks a dossier through accept → ack → result returned → grace, and checks
// exactly which fields remain at each step". The counter's database (renderer code in Node over
// fake-indexeddb), its real sync engine and a REAL central process; the engine's clock is moved to pass the
// grace. At each step: the dossier record, its search row, its state, its processing history, its counter
// events, its pending-dossier record, its printed forms and the applicants cache.
import 'fake-indexeddb/auto';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CounterDatabase } from '../../renderer/src/db/database';
import type { PendingDossierRow, StoredDossier } from '../../renderer/src/db/database';
import { queueCounterEvent } from '../../renderer/src/db/counter-events';
import { recordPrintedForm } from '../../renderer/src/db/counter-desk';
import { saveAcceptedDossier } from '../../renderer/src/db/dossiers';
import { createSyncEngine } from '../../renderer/src/sync/engine';
import type { DossierId } from '../../shared/domain/dossier';
import { backOfficeStatus, makeSignedPdf, ownDeviceCounter, startCentralProcess } from '../support/central-process';
import type { CentralProcess } from '../support/central-process';
import { testDossierWithFiles } from '../support/counter-dossier';

let central: CentralProcess;
let dossierPdf: Uint8Array;

beforeAll(async () => {
  [central, dossierPdf] = await Promise.all([startCentralProcess(), makeSignedPdf({ paddingBytes: 5_000, text: 'To khai' })]);
});

afterAll(async () => {
  await central?.stop();
});

const day = 24 * 60 * 60 * 1000;
const fullName = 'Nguyễn Văn Dũng';
const personal = { fullName, idNumber: '001203004567', phone: '0912345678', address: 'Số 5 ngõ 12 Phố Huế, Hà Nội', email: 'dung.nv@example.vn', birthDate: '2003-01-15' };
/** Strings that must not be anywhere on the counter once minimised (the applicants cache aside, on its own schedule). */
const secrets = [fullName, 'Văn Dũng', personal.idNumber, personal.phone, 'Phố Huế', personal.email, personal.birthDate, 'Nguyễn Thị Mai', '079185000111', 'Trả tận tay ông Dũng', 'ông Dũng'];

/** Everything the counter holds about one dossier, in every table that refers to it. */
async function holdings(db: CounterDatabase, id: DossierId, pendingId: string) {
  return {
    dossier: await db.dossiers.get(id),
    search: await db.dossierSearch.where('dossierId').equals(id).toArray(),
    state: await db.dossierState.get(id),
    history: await db.statusChanges.where('dossierId').equals(id).sortBy('seq'),
    events: await db.counterEvents.where('dossierId').equals(id).toArray(),
    pending: await db.pendingDossiers.get(pendingId),
    forms: await db.printedForms.where('dossierId').equals(id).toArray(),
    applicants: await db.applicants.toArray(),
    log: await db.syncLog.where('dossierId').equals(id).toArray(),
  };
}

describe('retention walk: accept → central ack → result returned → its ack → grace', () => {
  it('keeps everything until the grace has passed after the central holds the return, then only code, procedure, dates, status and a masked name', async () => {
    const db = new CounterDatabase(`motcua-retention-walk-${randomUUID()}`);
    const start = Date.now();
    let clock = start;
    const engine = createSyncEngine({
      db,
      centralUrl: central.url,
      credential: () => central.credential,
      now: () => new Date(clock),
      backoff: { baseMs: 100, maxMs: 1_000 },
      pollIntervalMs: 60_000,
      probeTimeoutMs: 2_000,
      requestTimeoutMs: 10_000,
      retention: { filesDaysAfterAck: 0, dossiersDaysAfterClose: 7, applicantsDaysUnseen: 90 },
    });
    try {
      // ---- 1. Accepted at the counter, after one completion round (a pending record with a represented person).
      const made = testDossierWithFiles((ownDeviceCounter - 1) * 1000 + 901, [dossierPdf], { fullName, createdAt: new Date(start).toISOString() });
      const dossier: StoredDossier = { ...made.dossier, applicant: { ...personal, onBehalfOf: { fullName: 'Nguyễn Thị Mai', idNumber: '079185000111', relation: 'Mẹ' } } };
      const files = made.files;
      const pendingId = randomUUID();
      const pendingRow: PendingDossierRow = {
        id: pendingId,
        state: 'awaiting-completion',
        procedure: dossier.procedure,
        applicant: dossier.applicant,
        attachments: [],
        rounds: [{ at: new Date(start - day).toISOString(), clerk: 'Trần Văn Quầy', items: [{ componentCode: 'TP1', component: 'Tờ khai', copyType: 'original', reason: 'Thiếu chữ ký' }] }],
        createdAt: new Date(start - day).toISOString(),
        updatedAt: new Date(start - day).toISOString(),
      };
      await db.pendingDossiers.add(pendingRow);
      await saveAcceptedDossier(db, dossier, files, { pendingId });
      await recordPrintedForm(db, { formId: 'mau01', label: `Mẫu 01 — ${dossier.code}`, dossierId: dossier.id, pdf: new Uint8Array([37, 80, 68, 70]), clerk: 'Trần Văn Quầy' }, new Date(start));

      let now = await holdings(db, dossier.id, pendingId);
      expect(now.dossier).toEqual(dossier);
      expect(now.search.map((r) => r.text)).toEqual([`${dossier.code.toLowerCase()}\u001fnguyen van dung`]);
      expect(now.state).toEqual({ dossierId: dossier.id, status: 2, appointmentAt: dossier.appointmentAt, supplementRounds: 0, updatedAt: expect.any(String) as string });
      expect(now.pending).toMatchObject({ state: 'accepted', acceptedDossierId: dossier.id, applicant: dossier.applicant });
      expect(now.forms.map((f) => [f.formId, f.pdf?.byteLength, f.pdfDroppedAt])).toEqual([['mau01', 4, undefined]]);
      expect(now.applicants.map((a) => [a.key, a.idNumber, a.phone, a.applicant.fullName])).toEqual([[personal.idNumber, personal.idNumber, personal.phone, fullName]]);

      // ---- 2. The central acknowledges the commit: the receipt's bytes go (rebuilt from the central when
      // needed); everything else stays — the dossier is still being processed.
      await engine.syncNow();
      expect((await db.outbox.get(dossier.id))?.state).toBe('acknowledged');
      now = await holdings(db, dossier.id, pendingId);
      expect(now.dossier).toEqual(dossier);
      expect(now.forms.map((f) => [f.formId, f.pdf, f.pdfDroppedAt])).toEqual([['mau01', undefined, new Date(clock).toISOString()]]);
      expect(now.state?.minimiseDueSince).toBeUndefined();
      expect(now.pending?.applicant).toEqual(dossier.applicant);

      // ---- 3. The back office finishes it (4 → 9, a note naming the citizen); the counter returns the result.
      expect((await backOfficeStatus(central, dossier.id, { status: 4 })).status).toBe(201);
      expect((await backOfficeStatus(central, dossier.id, { status: 9, note: 'Trả tận tay ông Dũng' })).status).toBe(201);
      await engine.syncNow();
      const returnedAt = new Date(clock).toISOString();
      await queueCounterEvent(db, dossier.id, { kind: 'result-returned', eventId: randomUUID(), at: returnedAt, clerk: 'Trần Văn Quầy', receivedBy: fullName, method: 'counter' }, (s) => ({
        ...s,
        status: 10,
        returned: { at: returnedAt, receivedBy: fullName, method: 'counter' },
      }));
      now = await holdings(db, dossier.id, pendingId);
      expect(now.state).toMatchObject({ status: 10, returned: { receivedBy: fullName } });
      expect(now.state?.minimiseDueSince).toBeUndefined();
      expect(now.history.map((c) => [c.status, c.note])).toEqual([
        [2, 'Đã tiếp nhận hồ sơ'],
        [4, 'Đang xử lý'],
        [9, 'Trả tận tay ông Dũng'],
      ]);
      expect(now.events.map((e) => [e.state, e.event.kind === 'result-returned' ? e.event.receivedBy : ''])).toEqual([['waiting', fullName]]);

      // ---- 4. The central acknowledges the return: the grace starts; nothing is dropped yet.
      await engine.syncNow();
      const ackedAt = new Date(clock).toISOString();
      now = await holdings(db, dossier.id, pendingId);
      expect(now.events.map((e) => e.state)).toEqual(['acknowledged']);
      expect(now.state?.minimiseDueSince).toBe(ackedAt);
      expect(now.dossier).toEqual(dossier);
      // The event's acknowledgement started the grace; the feed brings status 10 back in a later pass.
      expect(now.history.map((c) => c.status)).toEqual([2, 4, 9]);

      // ---- 5. Six days later: still inside the 7-day grace.
      clock = start + 6 * day;
      await engine.syncNow();
      now = await holdings(db, dossier.id, pendingId);
      expect(now.dossier).toEqual(dossier);
      expect(now.log.some((e) => e.event === 'dossier:minimised')).toBe(false);

      // ---- 6. Eight days later: minimised by the engine's pass.
      clock = start + 8 * day;
      await engine.syncNow();
      now = await holdings(db, dossier.id, pendingId);
      const minimisedAt = new Date(clock).toISOString();
      expect(now.dossier).toEqual({ ...dossier, applicant: { fullName: 'Nguyễn T. M.', idNumber: '', phone: '', address: '' }, minimisedAt });
      expect(now.search.map((r) => r.text)).toEqual([`${dossier.code.toLowerCase()}\u001fnguyen t. m.`]);
      expect(now.state).toEqual({ dossierId: dossier.id, status: 10, appointmentAt: dossier.appointmentAt, supplementRounds: 0, lastChangeSeq: expect.any(Number) as number, returned: { at: returnedAt, receivedBy: 'Nguyễn V. D.', method: 'counter' }, updatedAt: expect.any(String) as string });
      expect(now.history.map((c) => [c.status, c.note, c.supplementItems, c.actor])).toEqual([
        [2, '', [], expect.any(String) as string],
        [4, '', [], 'Nguyễn Thị Xử Lý'],
        [9, '', [], 'Nguyễn Thị Xử Lý'],
        [10, '', [], expect.any(String) as string],
      ]);
      expect(now.events.map((e) => e.event)).toEqual([{ kind: 'result-returned', eventId: expect.any(String) as string, at: returnedAt, clerk: 'Trần Văn Quầy', receivedBy: 'Nguyễn V. D.', method: 'counter' }]);
      expect(now.pending).toEqual({ ...pendingRow, state: 'accepted', acceptedDossierId: dossier.id, applicant: { fullName: 'Nguyễn T. M.', idNumber: '', phone: '', address: '' }, updatedAt: dossier.createdAt });
      expect(now.forms.map((f) => [f.formId, f.pdf])).toEqual([['mau01', undefined]]);
      const logged = now.log.filter((e) => e.event === 'dossier:minimised');
      expect(logged.map((e) => e.details)).toEqual([{ status: 10, graceDays: 7, statusChanges: 4, events: 1, pendingRecords: 1, formsDropped: 0, resultFiles: 0 }]);
      // Nothing personal left anywhere about this dossier (the applicants cache is on its own schedule).
      const { applicants, ...aboutTheDossier } = now;
      const text = JSON.stringify(aboutTheDossier);
      for (const secret of secrets) expect(text, secret).not.toContain(secret);
      expect(applicants.map((a) => a.key)).toEqual([personal.idNumber]);

      // A second pass changes nothing (idempotent): no mark left.
      await engine.syncNow();
      expect(await holdings(db, dossier.id, pendingId)).toEqual({ ...now, log: expect.any(Array) as unknown[] });
      expect((await db.syncLog.where('dossierId').equals(dossier.id).toArray()).filter((e) => e.event === 'dossier:minimised')).toHaveLength(1);

      // ---- 7. The applicant not seen for 90 days: the returning-applicant entry goes too.
      clock = start + 91 * day;
      await engine.syncNow();
      expect(await db.applicants.count()).toBe(0);
      const all = JSON.stringify(await holdings(db, dossier.id, pendingId));
      for (const secret of secrets) expect(all, secret).not.toContain(secret);
    } finally {
      await engine.stop();
      await db.delete();
    }
  });
});
