// Unit tests of renderer code, run in Node (fake-indexeddb stands in for the browser's IndexedDB).
import 'fake-indexeddb/auto';
import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import { CounterDatabase, type StoredDossier } from '../../../renderer/src/db/database';
import { schemaV4 } from '../../../renderer/src/db/schema-versions';
import { awaitingCompletion, boardThresholds, findApplicants, printedFormsOf, recordRefusal, requestCompletion, setBoardThresholds, toggleFavourite } from '../../../renderer/src/db/counter-desk';
import { saveAcceptedDossier } from '../../../renderer/src/db/dossiers';
import { allocateDossierCode, storeCodeLeases } from '../../../renderer/src/db/sequences';
import { registerXlsx, weekOf, weeklyReportXlsx } from '../../../renderer/src/features/board/reports';
import { applicantSchema, dossierIdSchema, type Applicant } from '../../../shared/domain/dossier';
import { toVietnamIso } from '../../../shared/domain/time';
import { AppError } from '../../../shared/errors';
import { sha256Hex } from '../../../shared/util/bytes';
import { dexieAtVersion } from '../../support/old-counter-schema';

const openDbs: CounterDatabase[] = [];
function openDb(name = `motcua-test-${crypto.randomUUID()}`): CounterDatabase {
  const db = new CounterDatabase(name);
  openDbs.push(db);
  return db;
}
afterEach(async () => {
  for (const db of openDbs.splice(0)) await db.delete();
});

const hoa: Applicant = { fullName: 'Lê Thị Hoa', idNumber: '001190012345', phone: '0912345678', address: 'Thôn Đông, xã Demo' };
const company: Applicant = { ...hoa, fullName: 'Trần Văn Bình', idNumber: '001085000111', organisation: { name: 'Công ty TNHH Đông Á', taxCode: '0100233488' } };
const procedure = { code: '1.001193', name: 'Đăng ký khai sinh' };
const form = { formId: 'mau02' as const, label: 'Mẫu 02', pdf: new Uint8Array([37, 80, 68, 70]), clerk: 'Trần Văn Bình' };

function dossierFor(applicant: Applicant, code: string, createdAt: string): { dossier: StoredDossier; bytes: Uint8Array; fileId: string } {
  const id = dossierIdSchema.parse(crypto.randomUUID());
  const bytes = new TextEncoder().encode(`pdf of ${code}`);
  const fileId = crypto.randomUUID();
  return {
    fileId,
    bytes,
    dossier: {
      id,
      code,
      procedure,
      applicant,
      unit: { code: '000.00.01.H22', name: 'UBND xã Demo' },
      counterNo: 1,
      receivedAt: toVietnamIso(new Date(createdAt)),
      appointmentAt: toVietnamIso(new Date(Date.parse(createdAt) + 86_400_000)),
      components: [{ code: 'KS-01', name: 'Tờ khai', required: true, fileIds: [fileId] }],
      createdAt,
    },
  };
}

async function save(db: CounterDatabase, applicant: Applicant, code: string, createdAt: string, pendingId?: string): Promise<StoredDossier> {
  const { dossier, bytes, fileId } = dossierFor(applicant, code, createdAt);
  const file = { id: fileId, dossierId: dossier.id, componentCode: 'KS-01', name: 'a.pdf', mediaType: 'application/pdf' as const, size: bytes.length, sha256: sha256Hex(bytes), pageCount: 1 };
  await saveAcceptedDossier(db, dossier, [{ meta: file, bytes }], pendingId ? { pendingId } : {});
  return dossier;
}

describe('applicantSchema (extended in issue 6)', () => {
  it('keeps an existing individual applicant valid and unchanged', () => {
    expect(applicantSchema.parse(hoa)).toEqual(hoa);
  });
  it('takes an organisation with a valid tax code, refuses a wrong check digit', () => {
    expect(applicantSchema.parse(company).organisation?.taxCode).toBe('0100233488');
    expect(applicantSchema.safeParse({ ...company, organisation: { name: 'X', taxCode: '0100233489' } }).success).toBe(false);
  });
  it('takes a person submitting on someone’s behalf, but not both at once', () => {
    expect(applicantSchema.safeParse({ ...hoa, onBehalfOf: { fullName: 'Lê Văn Bé', relation: 'Mẹ' } }).success).toBe(true);
    expect(applicantSchema.safeParse({ ...company, onBehalfOf: { fullName: 'Lê Văn Bé' } }).success).toBe(false);
  });
});

describe('completion rounds on one pending dossier', () => {
  it('keeps the incomplete dossier, adds a second round to the same record, and closes it on acceptance', async () => {
    const db = openDb();
    const item = { componentCode: 'KS-02', component: 'Giấy chứng sinh', copyType: 'original' as const, reason: 'Chưa nộp' };
    const first = await requestCompletion(db, { procedure, applicant: hoa, attachments: [{ componentCode: 'KS-01', name: 'a.pdf', bytes: new Uint8Array([1]) }], items: [item], clerk: 'B', at: new Date('2026-11-23T02:00:00Z') }, form);
    const second = await requestCompletion(db, { procedure, applicant: hoa, attachments: first.attachments, items: [{ ...item, reason: 'Bản sao không rõ' }], clerk: 'B', at: new Date('2026-11-24T02:00:00Z'), pendingId: first.id }, form);
    expect(second.id).toBe(first.id);
    expect(second.rounds.map((r) => r.items[0]?.reason)).toEqual(['Chưa nộp', 'Bản sao không rõ']);
    expect((await awaitingCompletion(db)).map((p) => p.id)).toEqual([first.id]);
    expect(await printedFormsOf(db, { pendingId: first.id })).toHaveLength(2);

    const dossier = await save(db, hoa, '000.00.01.H22-261125-0001', '2026-11-25T02:00:00.000Z', first.id);
    expect(await awaitingCompletion(db)).toEqual([]);
    expect(await db.pendingDossiers.get(first.id)).toMatchObject({ state: 'accepted', acceptedDossierId: dossier.id, attachments: [] });
  });

  it('refuses to accept against a pending record that is not waiting, and saves nothing', async () => {
    const db = openDb();
    const refused = await recordRefusal(db, { procedure, applicant: hoa, reason: 'Không thuộc thẩm quyền', clerk: 'B', at: new Date() }, { ...form, formId: 'mau03' });
    expect(refused.state).toBe('refused');
    const err = await save(db, hoa, '000.00.01.H22-261125-0001', '2026-11-25T02:00:00.000Z', refused.id).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(await db.dossiers.count()).toBe(0);
  });

  it('a refusal needs a reason; a completion request needs an item', async () => {
    const db = openDb();
    await expect(recordRefusal(db, { procedure, applicant: hoa, reason: '  ', clerk: 'B', at: new Date() }, form)).rejects.toBeInstanceOf(AppError);
    await expect(requestCompletion(db, { procedure, applicant: hoa, attachments: [], items: [], clerk: 'B', at: new Date() }, form)).rejects.toBeInstanceOf(AppError);
  });
});

describe('returning applicants, favourites, thresholds', () => {
  it('finds an applicant by number, tax code, phone or name without diacritics', async () => {
    const db = openDb();
    await save(db, hoa, '000.00.01.H22-261123-0001', '2026-11-23T02:00:00.000Z');
    await save(db, hoa, '000.00.01.H22-261124-0001', '2026-11-24T02:00:00.000Z');
    await save(db, company, '000.00.01.H22-261124-0002', '2026-11-24T03:00:00.000Z');
    expect((await findApplicants(db, '0011900')).map((a) => [a.key, a.visits])).toEqual([['001190012345', 2]]);
    expect((await findApplicants(db, '0100233'))[0]?.applicant.organisation?.name).toBe('Công ty TNHH Đông Á');
    expect(await findApplicants(db, '0912345')).toHaveLength(2);
    expect((await findApplicants(db, 'le thi hoa'))[0]?.key).toBe('001190012345');
    expect((await findApplicants(db, 'dong a'))[0]?.key).toBe('0100233488');
    expect(await findApplicants(db, 'xy')).toEqual([]);
  });

  it('toggles favourites and keeps valid thresholds only', async () => {
    const db = openDb();
    expect(await toggleFavourite(db, '1.001193')).toEqual(['1.001193']);
    expect(await toggleFavourite(db, '2.000815')).toEqual(['1.001193', '2.000815']);
    expect(await toggleFavourite(db, '1.001193')).toEqual(['2.000815']);
    expect(await boardThresholds(db)).toEqual({ yellowFrom: 0.5, orangeFrom: 0.75 });
    await setBoardThresholds(db, { yellowFrom: 0.3, orangeFrom: 0.6 });
    expect(await boardThresholds(db)).toEqual({ yellowFrom: 0.3, orangeFrom: 0.6 });
    await expect(setBoardThresholds(db, { yellowFrom: 0.8, orangeFrom: 0.6 })).rejects.toBeInstanceOf(AppError);
  });
});

describe('schema version 4', () => {
  it('upgrades a version 1 database with dossiers: state added (v2) and applicants known (v4)', async () => {
    const name = `motcua-test-${crypto.randomUUID()}`;
    const { dossier } = dossierFor(hoa, '000.00.01.H22-261123-0001', '2026-11-23T02:00:00.000Z');
    const v1 = dexieAtVersion(name, 1);
    await v1.open();
    await v1.table('dossiers').add(dossier);
    v1.close();
    const db = openDb(name);
    await db.open();
    expect(db.verno).toBe(10);
    expect(await db.dossierState.get(dossier.id)).toMatchObject({ status: 2 });
    expect(await db.applicants.get('001190012345')).toMatchObject({ visits: 1, applicant: hoa });
  });

  it('upgrades a version 2 database with dossiers, state and events, keeping them and counting visits', async () => {
    const name = `motcua-test-${crypto.randomUUID()}`;
    const a = dossierFor(hoa, '000.00.01.H22-261123-0001', '2026-11-23T02:00:00.000Z').dossier;
    const b = dossierFor(hoa, '000.00.01.H22-261124-0001', '2026-11-24T02:00:00.000Z').dossier;
    const v2 = dexieAtVersion(name, 2);
    await v2.open();
    await v2.table('dossiers').bulkAdd([a, b]);
    const state = { dossierId: a.id, status: 9, appointmentAt: a.appointmentAt, supplementRounds: 1, updatedAt: a.createdAt };
    await v2.table('dossierState').add(state);
    v2.close();
    const db = openDb(name);
    await db.open();
    expect(db.verno).toBe(10);
    expect(Object.keys(schemaV4).every((t) => db.tables.some((x) => x.name === t))).toBe(true);
    expect(await db.dossierState.get(a.id)).toEqual(state);
    expect(await db.applicants.get('001190012345')).toMatchObject({ visits: 2, lastSeenAt: b.createdAt });
    expect(await db.pendingDossiers.count()).toBe(0);
  });
});

describe('several counters of one unit, all offline', () => {
  it('allocate codes concurrently on their own databases without a single duplicate', async () => {
    // Each counter PC has its own IndexedDB and no link to the others: only the blocks the central leased
    // each of them before the link went down (issue 15) keep the agency's daily sequence apart.
    const counters = [1, 2, 3, 4, 5].map((counterNo) => ({ counterNo, db: openDb() }));
    const at = new Date('2026-11-23T02:00:00Z');
    const perCounter = 40;
    for (const { counterNo, db } of counters) {
      await storeCodeLeases(db, [{ agencyId: '000.00.01.H22', day: '2026-11-23', first: 9001 + (counterNo - 1) * perCounter, last: 9000 + counterNo * perCounter }], at);
    }
    const codes = (
      await Promise.all(counters.flatMap(({ counterNo, db }) => Array.from({ length: perCounter }, () => allocateDossierCode(db, { unitCode: '000.00.01.H22', counterNo }, at))))
    ).flat();
    expect(codes).toHaveLength(counters.length * perCounter);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(code).toMatch(/^000\.00\.01\.H22-261123-9\d{3}$/);
  });
});

describe('XLSX exports', () => {
  it('the register and weekly report read back with the same cells', async () => {
    const period = weekOf(new Date('2026-12-01T05:00:00Z'));
    expect(toVietnamIso(period.from)).toBe('2026-11-30T00:00:00+07:00');
    const register = new ExcelJS.Workbook();
    await register.xlsx.load(
      (await registerXlsx(
        [{ sequence: 1, dossierCode: '000.00.01.H22-261201-0001', procedureName: 'Đăng ký khai sinh', applicantName: 'Lê Thị Hoa', decidingAgency: 'UBND xã Demo', receivedAt: new Date('2026-12-01T01:00:00Z'), appointmentAt: new Date('2026-12-01T10:00:00Z') }],
        'UBND xã Demo',
        period,
      )).buffer as ArrayBuffer,
    );
    const row = register.worksheets[0]?.getRow(4);
    expect([row?.getCell(2).value, row?.getCell(4).value, row?.getCell(7).value, row?.getCell(8).value]).toEqual(['000.00.01.H22-261201-0001', 'Lê Thị Hoa', '01/12/2026 08:00', '01/12/2026 17:00']);
    const report = new ExcelJS.Workbook();
    await report.xlsx.load(
      (await weeklyReportXlsx(
        { unit: { unitName: 'UBND xã Demo', place: 'Xã Demo' }, date: new Date(), period, sections: [{ heading: 'I', rows: [{ label: 'Tổng cộng', received: 4, digitized: 4, onTime: 1, late: 1, pending: 2, onTimeRate: 0.5, digitizationRate: 1 }] }] },
        'UBND xã Demo',
      )).buffer as ArrayBuffer,
    );
    const total = report.worksheets[0]?.getRow(4);
    expect([total?.getCell(1).value, total?.getCell(2).value, total?.getCell(8).value, total?.getCell(8).numFmt]).toEqual(['Tổng cộng', 4, 0.5, '0.0%']);
  });
});
