// The counter's pulls: feed entries applied to the dossier's state, a page and its cursor in one
// transaction (a repeat applies nothing twice), and the reference-data validation that guards the last
// good copy. Real Dexie over fake-indexeddb; the central's side is tested against a real central in
// tests/integration/sync-pull.test.ts.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { CounterDatabase } from '../../../renderer/src/db/database';
import type { DossierStateRow } from '../../../renderer/src/db/database';
import { applyChangesPage, applyStatusChange, changesCursorKey, validateReferenceData } from '../../../renderer/src/sync/pull';
import { bundledCatalog } from '../../../shared/domain/catalog-demo';
import { builtInOfficialCalendars } from '../../../shared/domain/working-calendar';
import { dossierIdSchema } from '../../../shared/domain/dossier';
import type { DossierId } from '../../../shared/domain/dossier';
import type { StatusChange } from '../../../shared/sync/protocol';
import { toBase64 } from '../../../shared/util/bytes';
import { getTestPki } from '../../support/pki';
import { readFile } from 'node:fs/promises';

const dbs: CounterDatabase[] = [];
afterEach(async () => {
  for (const db of dbs.splice(0)) await db.delete();
});

function openDb(): CounterDatabase {
  const db = new CounterDatabase(`motcua-pull-${crypto.randomUUID()}`);
  dbs.push(db);
  return db;
}

const dossierId: DossierId = dossierIdSchema.parse(crypto.randomUUID());

function change(seq: number, status: StatusChange['status'], extra: Partial<StatusChange> = {}): StatusChange {
  return {
    seq,
    dossierId,
    dossierCode: '000.00.01.H22-261123-0001',
    status,
    at: `2026-11-2${Math.min(9, seq)}T02:00:00.000Z`,
    actor: 'Nguyễn Văn Xử Lý',
    department: 'Phòng Tư pháp',
    note: '',
    supplementItems: [],
    resultFiles: [],
    ...extra,
  };
}

const state: DossierStateRow = { dossierId, status: 2, appointmentAt: '2026-11-26T09:15:00+07:00', supplementRounds: 0, updatedAt: '2026-11-23T02:15:00.000Z' };

describe('applyStatusChange', () => {
  it('pauses on a supplement request (5), counts the round, and resumes when the dossier moves on', () => {
    const paused = applyStatusChange(state, change(1, 5, { supplementItems: ['Bản sao giấy khai sinh'] }), 'x');
    expect(paused).toMatchObject({ status: 5, supplementRounds: 1, pausedSince: '2026-11-21T02:00:00.000Z', lastChangeSeq: 1 });
    // A second 5 while already paused (an amended request) is the same round.
    const amended = applyStatusChange(paused, change(2, 5), 'x');
    expect(amended).toMatchObject({ supplementRounds: 1, pausedSince: '2026-11-21T02:00:00.000Z' });
    const resumed = applyStatusChange(amended, change(3, 4, { newAppointmentAt: '2026-11-30T09:15:00+07:00' }), 'x');
    expect(resumed).toMatchObject({ status: 4, supplementRounds: 1, appointmentAt: '2026-11-30T09:15:00+07:00', lastChangeSeq: 3 });
    expect(resumed.pausedSince).toBeUndefined();
    // A second request after resuming is a second round (more than one counts as late).
    expect(applyStatusChange(resumed, change(4, 5), 'x').supplementRounds).toBe(2);
  });
});

describe('applyChangesPage', () => {
  it('stores the history, updates the state and moves the cursor; the same page again changes nothing', async () => {
    const db = openDb();
    await db.dossierState.put(state);
    const page = { changes: [change(1, 3), change(2, 5)], cursor: 2, hasMore: false, serverTime: '2026-11-23T03:00:00.000Z' };
    expect(await applyChangesPage(db, page, '2026-11-23T03:00:01.000Z')).toBe(2);
    expect(await applyChangesPage(db, page, '2026-11-23T03:00:02.000Z')).toBe(0);
    expect((await db.statusChanges.toArray()).map((c) => c.seq)).toEqual([1, 2]);
    expect(await db.dossierState.get(dossierId)).toMatchObject({ status: 5, supplementRounds: 1, lastChangeSeq: 2 });
    expect((await db.syncMeta.get(changesCursorKey))?.value).toBe(2);
    // An overlapping page (the central re-sent seq 2 with a new one) applies only the new entry.
    expect(await applyChangesPage(db, { ...page, changes: [change(2, 5), change(3, 4)], cursor: 3 }, 'y')).toBe(1);
    expect(await db.dossierState.get(dossierId)).toMatchObject({ status: 4, supplementRounds: 1, lastChangeSeq: 3 });
  });

  it('keeps entries of dossiers this counter does not hold (another counter of the unit accepted them)', async () => {
    const db = openDb();
    expect(await applyChangesPage(db, { changes: [change(7, 3)], cursor: 7, hasMore: false, serverTime: '2026-11-23T03:00:00.000Z' }, 'z')).toBe(1);
    expect(await db.statusChanges.get(7)).toBeDefined();
    expect(await db.dossierState.count()).toBe(0);
  });

  it('writes nothing when the transaction fails: rows and cursor together or not at all', async () => {
    const db = openDb();
    await db.dossierState.put(state);
    const bad = { changes: [change(1, 3), { ...change(2, 4), seq: undefined as unknown as number }], cursor: 2, hasMore: false, serverTime: '2026-11-23T03:00:00.000Z' };
    await expect(applyChangesPage(db, bad, 'w')).rejects.toThrow();
    expect(await db.statusChanges.count()).toBe(0);
    expect(await db.syncMeta.get(changesCursorKey)).toBeUndefined();
    expect((await db.dossierState.get(dossierId))?.status).toBe(2);
  });
});

describe('validateReferenceData', () => {
  it('accepts the bundled catalog and calendar and a real certificate', async () => {
    const pki = await getTestPki();
    const pem = await readFile(pki.rootCaPemPath, 'utf8');
    const der = Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
    expect(validateReferenceData('catalog', bundledCatalog)).toBeUndefined();
    expect(validateReferenceData('calendar', builtInOfficialCalendars)).toBeUndefined();
    expect(validateReferenceData('trust-anchors', { certificatesDerBase64: [toBase64(new Uint8Array(der))] })).toBeUndefined();
  });

  it('names what is wrong with a malformed document', () => {
    expect(validateReferenceData('catalog', [{ code: 'x' }])).toMatch(/code/);
    expect(validateReferenceData('catalog', [])).toBeDefined();
    expect(validateReferenceData('calendar', [{ year: 2027, source: 'Công văn', daysOff: [{ date: '2026-01-01', reason: 'Tết' }] }])).toMatch(/2026-01-01/);
    expect(validateReferenceData('trust-anchors', { certificatesDerBase64: [toBase64(new TextEncoder().encode('not a certificate'))] })).toMatch(/X\.509/);
    expect(validateReferenceData('trust-anchors', {})).toBeDefined();
  });
});
