// Issue 17, finding 8: minimisation of closed dossiers, the applicants cache by age, printed forms without
// bytes once the central holds the dossier, and the version 10 upgrade. A real Dexie on fake-indexeddb.
import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { CounterDatabase } from '../../../renderer/src/db/database';
import type { KnownApplicantRow, StatusChangeRow, StoredDossier } from '../../../renderer/src/db/database';
import { saveAcceptedDossier } from '../../../renderer/src/db/dossiers';
import { queueCounterEvent } from '../../../renderer/src/db/counter-events';
import { recordPrintedForm } from '../../../renderer/src/db/counter-desk';
import { markMinimiseDue, minimiseClosedDossiers, purgeStaleApplicants } from '../../../renderer/src/db/retention';
import { applyChangesPage } from '../../../renderer/src/sync/pull';
import { testDossierWithFiles } from '../../support/counter-dossier';
import { loadTrackedDossiers } from '../../../renderer/src/features/board/board-data';
import { registerEntries } from '../../../renderer/src/features/board/reports';
import { mau06Schema } from '../../../shared/pdf/forms/mau06';
import { dexieAtVersion } from '../../support/old-counter-schema';

const open: Dexie[] = [];
afterEach(async () => {
  for (const db of open.splice(0)) {
    db.close();
    await Dexie.delete(db.name);
  }
});

function newDb(name = `motcua-minimise-${crypto.randomUUID()}`): CounterDatabase {
  const db = new CounterDatabase(name);
  open.push(db);
  return db;
}

const day = 24 * 60 * 60 * 1000;
const t0 = new Date('2026-11-20T03:00:00.000Z');
const pdfBytes = new Uint8Array([37, 80, 68, 70, 45, 49]);

async function accepted(db: CounterDatabase, n: number, opts: { acknowledged?: boolean } = {}): Promise<StoredDossier> {
  const { dossier, files } = testDossierWithFiles(n, [new Uint8Array([37, 80, 68, 70, n])], { fullName: `Phạm Minh Tuấn ${n}` });
  await saveAcceptedDossier(db, dossier, files);
  if (opts.acknowledged ?? true) await db.outbox.update(dossier.id, { state: 'acknowledged', acknowledgedAt: t0.toISOString() });
  return dossier;
}

function change(seq: number, dossier: StoredDossier, status: StatusChangeRow['status'], note = ''): StatusChangeRow {
  return { seq, dossierId: dossier.id, dossierCode: dossier.code, status, at: '2026-11-20T10:00:00+07:00', actor: 'Phòng Tư pháp', department: '', note, supplementItems: [], resultFiles: [] };
}

async function feed(db: CounterDatabase, changes: StatusChangeRow[], at: Date): Promise<void> {
  await applyChangesPage(db, { changes, cursor: Math.max(...changes.map((c) => c.seq)), hasMore: false, serverTime: at.toISOString() }, at.toISOString());
}

describe('minimiseClosedDossiers', () => {
  it('a dossier stopped at the applicant\'s request (status 8 from the feed) is minimised after the grace: reason, notes and name gone', async () => {
    const db = newDb();
    const dossier = await accepted(db, 1);
    const stoppedAt = '2026-11-20T10:00:00+07:00';
    await queueCounterEvent(db, dossier.id, { kind: 'dossier-stopped', eventId: crypto.randomUUID(), at: stoppedAt, clerk: 'Cán bộ A', requestedAt: stoppedAt, reason: 'Ông Tuấn chuyển nhà về Đà Nẵng' }, (s) => ({
      ...s,
      status: 8,
      stopped: { at: stoppedAt, requestedAt: stoppedAt, reason: 'Ông Tuấn chuyển nhà về Đà Nẵng' },
    }));
    await db.counterEvents.where('dossierId').equals(dossier.id).modify({ state: 'acknowledged', acknowledgedAt: t0.toISOString() });
    await feed(db, [change(1, dossier, 8, 'Dừng theo đề nghị của ông Tuấn')], t0);
    expect((await db.dossierState.get(dossier.id))?.minimiseDueSince).toBe(t0.toISOString());

    expect((await minimiseClosedDossiers(db, new Date(t0.getTime() + 29 * day), { dossiersDaysAfterClose: 30 })).dossiers).toEqual([]);
    const result = await minimiseClosedDossiers(db, new Date(t0.getTime() + 30 * day), { dossiersDaysAfterClose: 30 });
    expect(result).toEqual({ dossiers: [dossier.id], deferred: 0 });
    expect((await db.dossiers.get(dossier.id))?.applicant).toEqual({ fullName: 'Phạm M. T. 1.', idNumber: '', phone: '', address: '' });
    const state = await db.dossierState.get(dossier.id);
    expect(state).toMatchObject({ status: 8, stopped: { at: stoppedAt, requestedAt: stoppedAt, reason: '' } });
    expect(state?.minimiseDueSince).toBeUndefined();
    expect((await db.statusChanges.get(1))?.note).toBe('');
    const [event] = await db.counterEvents.where('dossierId').equals(dossier.id).toArray();
    expect(event?.event).toMatchObject({ kind: 'dossier-stopped', reason: '' });
    const text = JSON.stringify(await db.syncLog.toArray());
    expect(text).not.toContain('Tuấn');
    expect(text).toContain('dossier:minimised');

    // The register still takes the line: the masked name, no address or phone (a blank one would be refused).
    const entries = registerEntries(await loadTrackedDossiers(db), 'UBND xã Thử Nghiệm');
    expect(entries.map((e) => [e.dossierCode, e.applicantName, e.address, e.phone])).toEqual([[dossier.code, 'Phạm M. T. 1.', undefined, undefined]]);
    expect(mau06Schema.safeParse({ unit: { unitName: 'UBND xã Thử Nghiệm', place: 'Xã Thử Nghiệm' }, date: new Date(), entries }).success).toBe(true);
  });

  it('defers — never minimises — a marked dossier the central may not hold: commit not acknowledged, or an event still to send', async () => {
    const db = newDb();
    const unsent = await accepted(db, 2, { acknowledged: false });
    const waitingEvent = await accepted(db, 3);
    for (const d of [unsent, waitingEvent]) await db.dossierState.update(d.id, { status: 10 });
    await feed(db, [change(1, unsent, 10), change(2, waitingEvent, 10)], t0);
    await queueCounterEvent(db, waitingEvent.id, { kind: 'apology-issued', eventId: crypto.randomUUID(), at: '2026-11-20T10:00:00+07:00', clerk: 'Cán bộ A', reason: 'Chậm', newAppointmentAt: '2026-11-30T10:00:00+07:00' }, (s) => s);

    const result = await minimiseClosedDossiers(db, new Date(t0.getTime() + 100 * day), { dossiersDaysAfterClose: 0 });
    expect(result).toEqual({ dossiers: [], deferred: 2 });
    for (const d of [unsent, waitingEvent]) {
      expect((await db.dossiers.get(d.id))?.applicant.idNumber).toBe('001203004567');
      expect((await db.dossierState.get(d.id))?.minimiseDueSince).toBeUndefined();
    }
    expect((await db.syncLog.filter((e) => e.event === 'dossier:minimise-deferred').toArray()).length).toBe(2);

    // Once the event is acknowledged, its acknowledgement marks the dossier again, and it goes.
    await db.transaction('rw', [db.counterEvents, db.dossierState], async () => {
      await db.counterEvents.where('dossierId').equals(waitingEvent.id).modify({ state: 'acknowledged' });
      await markMinimiseDue(db.dossierState, waitingEvent.id, t0.toISOString());
    });
    expect((await minimiseClosedDossiers(db, new Date(t0.getTime() + 100 * day), { dossiersDaysAfterClose: 0 })).dossiers).toEqual([waitingEvent.id]);
  });

  it('works in bounded batches, oldest mark first, and a second pass finds nothing', async () => {
    const db = newDb();
    const dossiers: StoredDossier[] = [];
    for (let n = 10; n < 15; n++) dossiers.push(await accepted(db, n));
    await feed(db, dossiers.map((d, i) => change(i + 1, d, 7)), t0);
    const later = new Date(t0.getTime() + 31 * day);
    const first = await minimiseClosedDossiers(db, later, { dossiersDaysAfterClose: 30, maxDossiers: 3 });
    expect(first.dossiers).toHaveLength(3);
    const second = await minimiseClosedDossiers(db, later, { dossiersDaysAfterClose: 30, maxDossiers: 3 });
    expect(second.dossiers).toHaveLength(2);
    expect(new Set([...first.dossiers, ...second.dossiers])).toEqual(new Set(dossiers.map((d) => d.id)));
    expect(await minimiseClosedDossiers(db, later, { dossiersDaysAfterClose: 30 })).toEqual({ dossiers: [], deferred: 0 });
  });
});

describe('purgeStaleApplicants', () => {
  it('deletes the returning-applicant entries not seen for the configured days, and only those', async () => {
    const db = newDb();
    const row = (key: string, daysAgo: number): KnownApplicantRow => ({
      key,
      idNumber: key,
      phone: '0912345678',
      applicant: { fullName: `Người ${key}`, idNumber: key, phone: '0912345678', address: 'Hà Nội' },
      visits: 1,
      lastSeenAt: new Date(t0.getTime() - daysAgo * day).toISOString(),
    });
    await db.applicants.bulkAdd([row('001203000010', 10), row('001203000089', 89), row('001203000091', 91), row('001203000400', 400)]);
    expect(await purgeStaleApplicants(db, t0, 90)).toBe(2);
    expect((await db.applicants.toCollection().primaryKeys()).sort()).toEqual(['001203000010', '001203000089']);
    expect(await purgeStaleApplicants(db, t0, 90)).toBe(0);
    const log = await db.syncLog.filter((e) => e.event === 'applicants:purged').toArray();
    expect(log.map((e) => e.details)).toEqual([{ entries: 2, daysUnseen: 90 }]);
  });
});

describe('printed forms', () => {
  it('keep their bytes before the central acknowledges the dossier, and none for a form issued after', async () => {
    const db = newDb();
    const dossier = await accepted(db, 20, { acknowledged: false });
    const before = await recordPrintedForm(db, { formId: 'mau01', label: 'Mẫu 01', dossierId: dossier.id, pdf: pdfBytes, clerk: 'Cán bộ A' });
    expect(before.pdf).toEqual(pdfBytes);
    await db.outbox.update(dossier.id, { state: 'acknowledged' });
    const after = await recordPrintedForm(db, { formId: 'mau04', label: 'Mẫu 04', dossierId: dossier.id, pdf: pdfBytes, clerk: 'Cán bộ A' });
    expect(after.pdf).toBeUndefined();
    expect((await db.printedForms.get(after.id))?.pdf).toBeUndefined();
    expect((await db.printedForms.get(after.id))?.pdfDroppedAt).toBe(after.createdAt);
  });
});

describe('schema version 10 upgrade', () => {
  it('marks the dossiers already closed and drops the form bytes of dossiers the central holds', async () => {
    const name = `motcua-minimise-${crypto.randomUUID()}`;
    const staging = newDb(`${name}-staging`);
    const returned = await accepted(staging, 30);
    const open8 = await accepted(staging, 31, { acknowledged: false });
    await staging.dossierState.update(returned.id, { status: 10, updatedAt: t0.toISOString() });
    await staging.printedForms.bulkAdd([
      { id: 'f1', formId: 'mau01', label: 'Mẫu 01', dossierId: returned.id, pdf: pdfBytes, clerk: 'A', createdAt: t0.toISOString() },
      { id: 'f2', formId: 'mau01', label: 'Mẫu 01', dossierId: open8.id, pdf: pdfBytes, clerk: 'A', createdAt: t0.toISOString() },
    ]);
    const rows = { dossiers: await staging.dossiers.toArray(), dossierState: (await staging.dossierState.toArray()).map(({ minimiseDueSince: _m, ...s }) => s), outbox: await staging.outbox.toArray(), printedForms: await staging.printedForms.toArray() };

    const v8 = dexieAtVersion(name, 8);
    await v8.open();
    for (const [table, values] of Object.entries(rows)) await v8.table(table).bulkAdd(values);
    v8.close();

    const db = newDb(name);
    await db.open();
    expect(db.verno).toBe(10);
    expect((await db.dossierState.get(returned.id))?.minimiseDueSince).toBe(t0.toISOString());
    expect((await db.dossierState.get(open8.id))?.minimiseDueSince).toBeUndefined();
    expect((await db.printedForms.get('f1'))?.pdf).toBeUndefined();
    expect((await db.printedForms.get('f2'))?.pdf).toEqual(pdfBytes);
  });
});
