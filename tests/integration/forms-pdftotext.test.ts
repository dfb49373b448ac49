/**
 * Mẫu 02–06 read back by poppler: pdftotext finds each Vietnamese title and the filled-in values (in NFC),
 * pdffonts shows both Liberation Serif faces embedded as subsets, the register (Mẫu 06) paginates with its
 * column headings repeated. First pages are rendered to test-results/forms/ for a person to look at.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';
import { FONT_ASSET_DIR, type FormFonts, fontFiles } from '../../shared/pdf/fonts';
import {
  buildMau02,
  buildMau03,
  buildMau04,
  buildMau05,
  buildMau06,
  forms,
  formSets,
  type Mau02Data,
  type Mau03Data,
  type Mau04Data,
  type Mau05Data,
  type Mau06Data,
  renderForm,
} from '../../shared/pdf/forms/index';
import { buildReceiptPdf } from '../../shared/pdf/receipt';

const run = promisify(execFile);
const repoRoot = join(import.meta.dirname, '..', '..');
const renderDir = join(repoRoot, 'test-results', 'forms');

const unit = { organisationName: 'UBND xã Demo', unitName: 'Trung tâm Phục vụ hành chính công xã Demo', place: 'Xã Demo' };
const applicant = {
  // Decomposed (NFD) on purpose: the forms must still print precomposed letters.
  fullName: 'Nguyễn Thị Ánh Tuyết'.normalize('NFD'),
  address: 'Số 12, ngõ 34 đường Trần Hưng Đạo, thôn Đông Xuyên, xã Demo, tỉnh Phú Thọ',
  phone: '0912345678',
  email: 'anhtuyet@example.vn',
};
const dossierCode = '000.17.22.H56-261123-0002';

export const mau02: Mau02Data = {
  unit,
  date: '2026-11-23T09:30:00+07:00',
  applicant,
  procedureName: 'Đăng ký khai sinh',
  items: [
    { component: 'Tờ khai đăng ký khai sinh', copyType: 'original', request: 'Ghi đầy đủ ngày, tháng, năm sinh của người mẹ', reason: 'Tờ khai còn để trống mục ngày sinh của người mẹ' },
    { component: 'Giấy chứng sinh', copyType: 'certified-copy', reason: 'Bản nộp là bản photocopy không có chứng thực' },
  ],
  contact: { name: 'Lê Văn Đức', phone: '02103 812 345' },
  clerkName: 'Lê Văn Đức',
};

export const mau03: Mau03Data = {
  unit,
  date: '2026-11-23T10:15:00+07:00',
  applicant,
  procedureName: 'Cấp giấy phép xây dựng nhà ở riêng lẻ',
  reason: 'Thửa đất số 215 nằm trong hành lang bảo vệ đê điều, không thuộc trường hợp được cấp phép xây dựng',
  clerkName: 'Trần Quốc Bảo',
};

export const mau04: Mau04Data = {
  unit: { organisationName: 'UBND tỉnh Phú Thọ', unitName: 'Sở Tài nguyên và Môi trường', place: 'Phú Thọ' },
  documentNumber: '15/PXL-STNMT',
  date: '2026-12-01T08:00:00+07:00',
  addressee: 'Bà Nguyễn Thị Ánh Tuyết',
  dossierCode,
  procedureName: 'Đăng ký biến động quyền sử dụng đất',
  receivedAt: '2026-11-23T14:05:00+07:00',
  appointmentAt: '2026-11-30T16:00:00+07:00',
  reason: 'Phải xác minh thêm nguồn gốc thửa đất với Ủy ban nhân dân xã Đông Xuyên',
  newAppointmentAt: '2026-12-07T16:00:00+07:00',
  signerTitle: 'Giám đốc',
  signerName: 'Phạm Hồng Sơn',
};

export const mau05: Mau05Data = {
  unit,
  date: '2026-11-23T14:05:00+07:00',
  dossierCode,
  decidingAgency: 'Công chức Tư pháp - Hộ tịch, UBND xã Demo',
  cooperatingAgencies: ['Công an xã Demo'],
  handovers: [
    { from: 'Bộ phận Tiếp nhận và Trả kết quả', to: 'Công chức Tư pháp - Hộ tịch', at: '2026-11-23T15:00:00+07:00', giver: 'Lê Văn Đức', receiver: 'Đỗ Thị Hương', result: 'early' },
    { from: 'Công chức Tư pháp - Hộ tịch', to: 'Chủ tịch UBND xã', at: '2026-11-24T09:10:00+07:00', giver: 'Đỗ Thị Hương', receiver: 'Vũ Minh Khôi', result: 'on-time' },
    { from: 'Chủ tịch UBND xã', to: 'Bộ phận Tiếp nhận và Trả kết quả', at: '2026-11-26T16:45:00+07:00', giver: 'Vũ Minh Khôi', receiver: 'Lê Văn Đức', result: 'late', note: 'Chậm 1 ngày do chờ ý kiến Công an xã' },
  ],
};

const procedures = ['Đăng ký khai sinh', 'Chứng thực bản sao từ bản chính giấy tờ, văn bản', 'Đăng ký kết hôn', 'Cấp bản sao trích lục hộ tịch'];
const names = ['Nguyễn Văn Ấn', 'Trần Thị Bích Ngọc', 'Lê Hoàng Dũng', 'Phạm Thị Ể', 'Hoàng Đức Thắng', 'Võ Thị Yến'];
export function mau06(rows: number): Mau06Data {
  return {
    unit,
    date: '2026-11-30T17:00:00+07:00',
    volume: '03/2026',
    period: { from: '2026-11-01T00:00:00+07:00', to: '2026-11-30T00:00:00+07:00' },
    entries: Array.from({ length: rows }, (_, i) => ({
      dossierCode: `000.17.22.H56-2611${String(2 + (i % 28)).padStart(2, '0')}-${String(i + 1).padStart(4, '0')}`,
      procedureName: procedures[i % procedures.length] ?? '',
      applicantName: names[i % names.length] ?? '',
      address: `Thôn Đông Xuyên ${(i % 5) + 1}, xã Demo`,
      phone: `09123456${String(i % 100).padStart(2, '0')}`,
      decidingAgency: 'UBND xã Demo',
      receivedAt: '2026-11-02T08:30:00+07:00',
      appointmentAt: '2026-11-04T16:00:00+07:00',
      ...(i % 3 === 0 ? { returnedAt: '2026-11-04T10:20:00+07:00', delivery: 'counter' as const } : {}),
      ...(i % 7 === 0 ? { note: 'Trả qua bưu điện theo yêu cầu' } : {}),
    })),
  };
}

let dir = '';
let fonts: FormFonts = { regular: new Uint8Array(), bold: new Uint8Array() };

async function text(pdf: Uint8Array, name: string, pages: { first?: number; last?: number } = {}): Promise<string> {
  const path = join(dir, `${name}.pdf`);
  await writeFile(path, pdf);
  const range = [...(pages.first ? ['-f', String(pages.first)] : []), ...(pages.last ? ['-l', String(pages.last)] : [])];
  return (await run('pdftotext', ['-layout', '-enc', 'UTF-8', ...range, path, '-'])).stdout;
}
/** Body text with the layout's line breaks and column spacing collapsed, for values that may wrap. */
const flat = (s: string): string => s.replace(/\s+/g, ' ');

async function pageCount(pdf: Uint8Array, name: string): Promise<{ pages: number; size: string }> {
  const path = join(dir, `${name}.pdf`);
  await writeFile(path, pdf);
  const { stdout } = await run('pdfinfo', [path]);
  return { pages: Number(/^Pages:\s+(\d+)$/m.exec(stdout)?.[1]), size: /^Page size:\s+(.*)$/m.exec(stdout)?.[1] ?? '' };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'forms-'));
  fonts = {
    regular: new Uint8Array(await readFile(join(repoRoot, FONT_ASSET_DIR, fontFiles.regular))),
    bold: new Uint8Array(await readFile(join(repoRoot, FONT_ASSET_DIR, fontFiles.bold))),
  };
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('Mẫu 02–06 (Circular 01/2018/TT-VPCP) read back by pdftotext', () => {
  it('Mẫu 02: title, applicant, each component with its copy type and reason, the contact', async () => {
    const out = await text(await buildMau02(mau02, fonts), 'mau02');
    expect(out).toBe(out.normalize('NFC'));
    expect(out).toContain('PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ');
    expect(out).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(out).toContain('Xã Demo, ngày 23 tháng 11 năm 2026');
    expect(out).toContain('Hồ sơ của: Nguyễn Thị Ánh Tuyết');
    const body = flat(out);
    expect(body).toContain('Nội dung yêu cầu giải quyết: Đăng ký khai sinh');
    expect(body).toContain('1. Tờ khai đăng ký khai sinh (Bản chính)');
    expect(body).toContain('Nội dung bổ sung, hoàn thiện: Ghi đầy đủ ngày, tháng, năm sinh của người mẹ');
    expect(body).toContain('Lý do: Tờ khai còn để trống mục ngày sinh của người mẹ');
    expect(body).toContain('2. Giấy chứng sinh (Bản sao có chứng thực)');
    expect(body).toContain('Lý do: Bản nộp là bản photocopy không có chứng thực');
    expect(body).toContain('liên hệ với Lê Văn Đức, số điện thoại 02103 812 345 để được hướng dẫn');
    expect(out).toContain('NGƯỜI HƯỚNG DẪN');
  });

  it('Mẫu 03: title, applicant, procedure and the specific reason', async () => {
    const out = await text(await buildMau03(mau03, fonts), 'mau03');
    expect(out).toContain('PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ');
    const body = flat(out);
    expect(body).toContain('tiếp nhận hồ sơ của: Nguyễn Thị Ánh Tuyết');
    expect(body).toContain('Nội dung yêu cầu giải quyết: Cấp giấy phép xây dựng nhà ở riêng lẻ');
    expect(body).toContain('với lý do cụ thể như sau: Thửa đất số 215 nằm trong hành lang bảo vệ đê điều, không thuộc trường hợp được cấp phép xây dựng');
    expect(body).toContain('Số điện thoại: 0912345678; Email: anhtuyet@example.vn');
    expect(out).toContain('Trần Quốc Bảo');
  });

  it('Mẫu 04: addressee, date received, code, original and new appointment, reason, signed by the head', async () => {
    const out = await text(await buildMau04(mau04, fonts), 'mau04');
    expect(out).toContain('PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ');
    expect(out).toContain('Số: 15/PXL-STNMT');
    expect(out).toContain('Kính gửi: Bà Nguyễn Thị Ánh Tuyết');
    const body = flat(out);
    expect(body).toContain('Ngày 23 tháng 11 năm 2026, Sở Tài nguyên và Môi trường tiếp nhận giải quyết hồ sơ của ông (bà)');
    expect(body).toContain(`mã số hồ sơ: ${dossierCode}`);
    expect(body).toContain('Thời gian hẹn trả kết quả giải quyết hồ sơ: 16 giờ 00 phút, ngày 30/11/2026');
    expect(body).toContain('với lý do: Phải xác minh thêm nguồn gốc thửa đất với Ủy ban nhân dân xã Đông Xuyên');
    expect(body).toContain('vào 16 giờ 00 phút, ngày 07/12/2026');
    expect(out).toContain('GIÁM ĐỐC');
    expect(out).toContain('Phạm Hồng Sơn');
  });

  it('Mẫu 05: the hand-over table with agencies, times, people and results', async () => {
    const out = await text(await buildMau05(mau05, fonts), 'mau05');
    expect(out).toContain('PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ');
    expect(out).toContain(`Mã hồ sơ: ${dossierCode}`);
    expect(out).toContain('TÊN CƠ QUAN');
    expect(out).toContain('GHI CHÚ');
    for (const value of ['15 giờ 00 phút', 'ngày 23/11/2026', '09 giờ 10 phút', 'ngày 24/11/2026', 'Trước hạn', 'Đúng hạn', 'Quá hạn', 'Đỗ Thị Hương', 'Vũ Minh Khôi']) {
      expect(out).toContain(value);
    }
    // Each row's cells sit side by side: the first step's time and result on the same line as its agency.
    const firstRow = out.split('\n').find((l) => l.includes('1. Giao:'));
    expect(firstRow).toMatch(/1\. Giao: Bộ phận Tiếp nhận.*15 giờ 00 phút.*Trước hạn/);
    expect(flat(out)).toContain('Cơ quan phối hợp giải quyết hồ sơ: Công an xã Demo');
  });

  it('Mẫu 06 with 60 rows: landscape A4 pages, every row once, column headings on every page', async () => {
    const pdf = await buildMau06(mau06(60), fonts);
    const { pages, size } = await pageCount(pdf, 'mau06');
    expect(size).toMatch(/^841\.89 x 595\.28 pts/);
    expect(pages).toBeGreaterThan(1);
    const all = await text(pdf, 'mau06');
    expect(all).toContain('SỔ THEO DÕI HỒ SƠ');
    expect(all).toContain('Quyển số: 03/2026 - Từ ngày 01/11/2026 đến ngày 30/11/2026');
    for (let i = 1; i <= 60; i++) expect(all.match(new RegExp(`-${String(i).padStart(4, '0')}\\b`, 'g'))).toHaveLength(1);
    expect(all).toContain('Trần Thị Bích Ngọc');
    expect(all).toContain('Phạm Thị Ể');
    for (let page = 1; page <= pages; page++) {
      const pageText = await text(pdf, 'mau06', { first: page, last: page });
      expect(pageText).toContain('Mã hồ sơ');
      expect(pageText).toContain('Ký nhận');
      if (page > 1) expect(pageText).toContain('SỔ THEO DÕI HỒ SƠ - Trung tâm Phục vụ hành chính công xã Demo - Quyển số: 03/2026 (tiếp theo)');
    }
  });

  it('embeds both Liberation Serif faces as subsets with ToUnicode, in every form', async () => {
    const builds = [buildMau02(mau02, fonts), buildMau03(mau03, fonts), buildMau04(mau04, fonts), buildMau05(mau05, fonts), buildMau06(mau06(3), fonts)];
    for (const [i, pdf] of (await Promise.all(builds)).entries()) {
      const path = join(dir, `fonts-${i}.pdf`);
      await writeFile(path, pdf);
      const { stdout } = await run('pdffonts', [path]);
      const rows = stdout.split('\n').filter((l) => l.includes('LiberationSerif'));
      expect(rows.some((r) => /^[A-Z]{6}\+LiberationSerif\s/.test(r))).toBe(true);
      expect(rows.some((r) => /^[A-Z]{6}\+LiberationSerif-Bold\s/.test(r))).toBe(true);
      expect(stdout.split('\n').slice(2).filter((l) => l.trim())).toHaveLength(rows.length);
      for (const r of rows) expect(r).toMatch(/\s+yes\s+yes\s+yes\s+\d+\s+\d+\s*$/);
    }
  });

  it('renders each form\'s first page to PNG (test-results/forms/) for visual review', async () => {
    await mkdir(renderDir, { recursive: true });
    const all = {
      mau02: await buildMau02(mau02, fonts),
      mau03: await buildMau03(mau03, fonts),
      mau04: await buildMau04(mau04, fonts),
      mau05: await buildMau05(mau05, fonts),
      mau06: await buildMau06(mau06(60), fonts),
    };
    for (const [name, pdf] of Object.entries(all)) {
      const path = join(dir, `${name}.pdf`);
      await writeFile(path, pdf);
      await run('pdftoppm', ['-r', '60', '-png', '-f', '1', '-l', name === 'mau06' ? '2' : '1', path, join(renderDir, name)]);
      const png = await readFile(join(renderDir, `${name}-1.png`));
      expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    }
  });
});

describe('form registry and data validation', () => {
  it('keeps the 2018 set under its legal basis, with Mẫu 01 the existing receipt builder', async () => {
    expect(Object.keys(formSets)).toEqual(['01/2018/TT-VPCP', '03/2025/TT-VPCP']);
    expect(Object.keys(formSets['01/2018/TT-VPCP'])).toEqual(['mau01', 'mau02', 'mau03', 'mau04', 'mau05', 'mau06']);
    // The default set is 2025's (tests/integration/forms-2025-pdftotext.test.ts).
    expect(Object.keys(forms)).toEqual(['mau01', 'mau02', 'mau03', 'mau04', 'mau05', 'mau06', 'mau07']);
    const receipt = {
      unitName: unit.unitName,
      place: unit.place,
      dossierCode,
      applicant: { fullName: 'Nguyễn Thị Ánh Tuyết', idNumber: '001186012345', address: applicant.address, phone: applicant.phone },
      procedureName: 'Đăng ký khai sinh',
      components: ['Tờ khai đăng ký khai sinh', 'Giấy chứng sinh'],
      sets: 1,
      timeLimitText: '01 ngày làm việc',
      receivedAt: '2026-11-23T14:05:00+07:00',
      appointmentAt: '2026-11-24T14:05:00+07:00',
      resultDelivery: 'counter',
    };
    const viaRegistry = await renderForm('mau01', receipt, fonts, '01/2018/TT-VPCP');
    const direct = await buildReceiptPdf({ ...receipt, resultDelivery: 'counter', receivedAt: new Date(receipt.receivedAt), appointmentAt: new Date(receipt.appointmentAt) }, fonts);
    expect(Buffer.from(viaRegistry).equals(Buffer.from(direct))).toBe(true);
  });

  it('refuses bad data with DOSSIER_INVALID naming the field', async () => {
    const cases: [string, unknown, string][] = [
      ['mau02', { ...mau02, items: [] }, 'items'],
      ['mau02', { ...mau02, items: [{ component: 'Giấy chứng sinh', copyType: 'scan', reason: 'x' }] }, 'items[0].copyType'],
      ['mau03', { ...mau03, reason: '   ' }, 'reason'],
      ['mau04', { ...mau04, newAppointmentAt: '30/12/2026' }, 'newAppointmentAt'],
      ['mau04', { ...mau04, newAppointmentAt: '2026-11-29T16:00:00+07:00' }, 'newAppointmentAt'],
      ['mau05', { ...mau05, handovers: [{ ...mau05.handovers[0], result: 'soon' }] }, 'handovers[0].result'],
      ['mau06', { ...mau06(2), unit: { ...unit, unitName: undefined } }, 'unit.unitName'],
      ['mau01', { unitName: 'x' }, 'place'],
    ];
    for (const [id, data, field] of cases) {
      const error = await renderForm(id, data, fonts, '01/2018/TT-VPCP').then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(error, `${id} ${field}`).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ code: 'DOSSIER_INVALID', details: { field } });
    }
    await expect(renderForm('mau07', {}, fonts, '01/2018/TT-VPCP')).rejects.toMatchObject({ code: 'DOSSIER_INVALID', details: { field: 'form' } });
  });

  it('refuses a field longer than a form can hold, before laying anything out (issue 17, finding 10)', async () => {
    // A 1.2 MB reason once took 103 s and 1.3 GB to lay out; now the schema stops it, for every form's text fields.
    const huge = 'Hồ sơ cần bổ sung giấy tờ. '.repeat(45_000);
    const error = await renderForm('mau04', { ...mau04, reason: huge }, fonts, '01/2018/TT-VPCP').then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).toMatchObject({ code: 'DOSSIER_INVALID', details: { field: 'reason' } });
    expect(String((error as AppError).details.issue)).toContain('3000 ký tự');
    await expect(renderForm('mau02', { ...mau02, applicant: { ...mau02.applicant, address: huge } }, fonts, '01/2018/TT-VPCP')).rejects.toMatchObject({ code: 'DOSSIER_INVALID', details: { field: 'applicant.address' } });
    // At the cap it still prints.
    const atCap = 'x'.repeat(2999) + '.';
    expect((await renderForm('mau04', { ...mau04, reason: atCap }, fonts, '01/2018/TT-VPCP')).length).toBeGreaterThan(1000);
  });

  it('is byte-for-byte reproducible for the same data', async () => {
    const [a, b] = await Promise.all([buildMau05(mau05, fonts), buildMau05(mau05, fonts)]);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });
});
