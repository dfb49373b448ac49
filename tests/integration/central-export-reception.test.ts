/**
 * The national export (DongBoHoSoMC) fills the holder, the VNeID check and the reuse flags from what the
 * counter committed (Decree 118 Art. 17.1.a–b), never from constants: an organisation's dossier goes out
 * under the organisation, with the employee who brought it in as the submitter. Through the real central
 * process: commit → export → fields.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dongBoHoSoMCSchema, type DongBoHoSoMC } from '../../shared/sync/portal-export';
import { adminCall, makeCommit, makePdf, makeSignedPdf, putCommit, startCentralProcess, tusUpload, type CentralProcess } from '../support/central-process';
import { pathFor } from '../../shared/sync/api-contract';

let central: CentralProcess;

beforeAll(async () => {
  central = await startCentralProcess();
}, 90_000);

afterAll(async () => {
  await central?.stop();
});

const target = () => ({ url: central.url, credential: central.credential ?? '', adminToken: central.adminToken });

const submitter = { fullName: 'Trần Thị Bình', idNumber: '001304005678', phone: '0987654321', address: 'Số 5, phố Huế, Hà Nội' };

/** Commits a dossier of two components (one file each) and returns its export. */
async function commitAndExport(overrides: Record<string, unknown>): Promise<DongBoHoSoMC> {
  const id = randomUUID();
  const [first, second] = await Promise.all([makeSignedPdf({ text: `don ${id}` }), makeSignedPdf({ text: `giay phep ${id}` })]);
  const files = [
    { bytes: first, uploadUrl: await tusUpload(target(), first, { dossierId: id }), componentCode: 'TP1', name: 'don.pdf' },
    { bytes: second, uploadUrl: await tusUpload(target(), second, { dossierId: id }), componentCode: 'TP2', name: 'giay-phep.pdf' },
  ];
  const code = `000.00.01.H22-261201-${String(Math.floor(Math.random() * 9000) + 1000)}`;
  expect((await putCommit(target(), id, makeCommit(id, files, { code, ...overrides }))).status).toBe(201);
  const exported = await adminCall(target(), 'GET', pathFor('adminDossierExport', { id }));
  expect(exported.status).toBe(200);
  return dongBoHoSoMCSchema.parse(exported.body);
}

describe('national export of the reception duties and the holder', () => {
  it('sends an organisation dossier under the organisation, with VNeID level 2 and the reuse flags per component', { timeout: 90_000 }, async () => {
    const hoSo = await commitAndExport({
      applicant: { ...submitter, organisation: { name: 'Công ty TNHH Thử Nghiệm', taxCode: '0100233488' } },
      receptionDuties: { vneid: 'level-2', documents: [{ componentCode: 'TP1', source: 'reused-digitized' }, { componentCode: 'TP2', source: 'national-data-store' }] },
    });
    expect(hoSo).toMatchObject({
      ChuHoSo: 'Công ty TNHH Thử Nghiệm',
      SoGiayToChuHoSo: '0100233488',
      LoaiDoiTuong: '2',
      UyQuyen: '1',
      NguoiUyQuyen: 'Trần Thị Bình',
      SoGiayToNguoiUyQuyen: '001304005678',
      SoDienThoaiNguoiUyQuyen: '0987654321',
      TaiKhoanDuocXacThucVoiVNeID: '1',
      DinhDanhCHS: [],
    });
    const byComponent = Object.fromEntries(hoSo.TaiLieuNop.map((t) => [t.MaThanhPhanHoSo, [t.DuocTaiSuDung, t.DuocLayTuKhoDMQG]]));
    expect(byComponent).toEqual({ TP1: ['1', '0'], TP2: ['0', '1'] });
  });

  it('sends a dossier brought in for someone else under the represented person', { timeout: 90_000 }, async () => {
    const hoSo = await commitAndExport({
      applicant: { ...submitter, onBehalfOf: { fullName: 'Trần Văn Cường', idNumber: '001080001234', relation: 'Cha' } },
      receptionDuties: { vneid: 'principal-account', documents: [] },
    });
    expect(hoSo).toMatchObject({
      ChuHoSo: 'Trần Văn Cường',
      SoGiayToChuHoSo: '001080001234',
      LoaiDoiTuong: '1',
      UyQuyen: '1',
      NguoiUyQuyen: 'Trần Thị Bình',
      TaiKhoanDuocXacThucVoiVNeID: '1',
      DinhDanhCHS: [{ LoaiDinhDanh: '1', SoDinhDanh: '001080001234' }],
    });
    expect(hoSo.TaiLieuNop.map((t) => [t.DuocTaiSuDung, t.DuocLayTuKhoDMQG])).toEqual([
      ['0', '0'],
      ['0', '0'],
    ]);
  });

  it('says "0" when the clerk recorded "not checked" and when an older counter sent no record', { timeout: 90_000 }, async () => {
    const notChecked = await commitAndExport({ applicant: submitter, receptionDuties: { vneid: 'not-checked', documents: [] } });
    expect(notChecked).toMatchObject({ ChuHoSo: 'Trần Thị Bình', SoGiayToChuHoSo: '001304005678', UyQuyen: '0', TaiKhoanDuocXacThucVoiVNeID: '0' });
    expect(notChecked.NguoiUyQuyen).toBeUndefined();
    const older = await commitAndExport({ applicant: submitter });
    expect(older.TaiKhoanDuocXacThucVoiVNeID).toBe('0');
    expect(older.TaiLieuNop.every((t) => t.DuocTaiSuDung === '0' && t.DuocLayTuKhoDMQG === '0')).toBe(true);
  });

  it('refuses a commit whose reception record is malformed', { timeout: 60_000 }, async () => {
    const id = randomUUID();
    const pdf = await makePdf({ text: id });
    const uploadUrl = await tusUpload(target(), pdf, { dossierId: id });
    const answer = await putCommit(target(), id, makeCommit(id, [{ bytes: pdf, uploadUrl }], { receptionDuties: { vneid: 'level-3', documents: [] } }));
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ error: 'DOSSIER_INVALID' });
  });
});
