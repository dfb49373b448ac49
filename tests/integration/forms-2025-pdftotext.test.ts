/**
 * The 2025 set (Circular 03/2025/TT-VPCP Annex I, Mẫu 01–07) read back by poppler: each form's title, its
 * "Mẫu số 0x" line, the centre's own name heading it (no "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ" line) and the
 * filled-in values; the receipt's deciding agency, CCCD / tax code, fees, return channel, component table and
 * the dossier code as a QR; and a dossier received under the 2018 rules still reprinting its 2018 forms.
 * First pages are rendered to test-results/forms-2025/ for a person to look at.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { legalBasisOf, LEGAL_BASIS_2018, LEGAL_BASIS_2025 } from '../../shared/domain/legal-basis';
import { FONT_ASSET_DIR, type FormFonts, fontFiles } from '../../shared/pdf/fonts';
import { formSets, printedForm, renderForm, type Mau01Data2025, type Mau02Data, type Mau03Data, type Mau04Data, type Mau05Data, type Mau06Data, type StopNoticeData } from '../../shared/pdf/forms/index';
import type { ReceiptData } from '../../shared/pdf/receipt';

const run = promisify(execFile);
const repoRoot = join(import.meta.dirname, '..', '..');
const renderDir = join(repoRoot, 'test-results', 'forms-2025');

const centre = { organisationName: 'UBND xã Đông Xuyên', unitName: 'Trung tâm Phục vụ hành chính công xã Đông Xuyên', place: 'Xã Đông Xuyên' };
const dossierCode = 'G12.18.92-261123-0042';

const person = { fullName: 'Nguyễn Thị Ánh Tuyết', address: 'Thôn Đông Xuyên 3, xã Đông Xuyên, tỉnh Phú Thọ', phone: '0912345678' };

const mau02: Mau02Data = {
  unit: centre,
  date: '2026-11-23T09:30:00+07:00',
  applicant: person,
  procedureName: 'Đăng ký khai sinh',
  items: [{ component: 'Tờ khai đăng ký khai sinh', copyType: 'original', reason: 'Tờ khai còn để trống mục ngày sinh của người mẹ' }],
  contact: { name: 'Lê Văn Đức', phone: '02103 812 345' },
  clerkName: 'Lê Văn Đức',
};

const mau03: Mau03Data = {
  unit: centre,
  date: '2026-11-23T10:15:00+07:00',
  applicant: person,
  procedureName: 'Cấp giấy phép xây dựng nhà ở riêng lẻ',
  reason: 'Thửa đất số 215 nằm trong hành lang bảo vệ đê điều, không thuộc trường hợp được cấp phép xây dựng',
  clerkName: 'Trần Quốc Bảo',
};

const mau04: Mau04Data = {
  unit: { organisationName: 'UBND tỉnh Phú Thọ', unitName: 'Sở Nông nghiệp và Môi trường', place: 'Phú Thọ' },
  documentNumber: '15/XL-SNNMT',
  date: '2026-11-27T08:00:00+07:00',
  addressee: 'Bà Nguyễn Thị Ánh Tuyết',
  dossierCode,
  procedureName: 'Đăng ký biến động quyền sử dụng đất',
  receivedAt: '2026-11-23T14:05:00+07:00',
  appointmentAt: '2026-11-30T16:00:00+07:00',
  reason: 'Phải xác minh thêm nguồn gốc thửa đất với UBND xã Đông Xuyên',
  newAppointmentAt: '2026-12-07T16:00:00+07:00',
  signerTitle: 'Giám đốc',
  signerName: 'Phạm Hồng Sơn',
};

const mau05: Mau05Data = {
  unit: centre,
  date: '2026-11-23T14:05:00+07:00',
  dossierCode,
  decidingAgency: 'UBND xã Đông Xuyên',
  handovers: [
    { from: 'Trung tâm Phục vụ hành chính công', to: 'Công chức Tư pháp - Hộ tịch', at: '2026-11-23T15:00:00+07:00', giver: 'Lê Văn Đức', receiver: 'Đỗ Thị Hương', result: 'early' },
    { from: 'Công chức Tư pháp - Hộ tịch', to: 'Chủ tịch UBND xã', at: '2026-11-24T09:10:00+07:00', result: 'late', note: 'Chậm 1 ngày do chờ ý kiến Công an xã' },
  ],
};

function mau06(rows: number): Mau06Data {
  return {
    unit: centre,
    date: '2026-11-30T17:00:00+07:00',
    period: { from: '2026-11-01T00:00:00+07:00', to: '2026-11-30T00:00:00+07:00' },
    entries: Array.from({ length: rows }, (_, i) => ({
      dossierCode: `G12.18.92-2611${String(2 + (i % 28)).padStart(2, '0')}-${String(i + 1).padStart(4, '0')}`,
      procedureName: 'Đăng ký khai sinh',
      applicantName: 'Nguyễn Văn Ấn',
      decidingAgency: 'UBND xã Đông Xuyên',
      receivedAt: '2026-11-02T08:30:00+07:00',
      appointmentAt: '2026-11-04T16:00:00+07:00',
      ...(i === 1 ? { note: 'Dừng giải quyết theo yêu cầu (03/11/2026)' } : {}),
    })),
  };
}

const receipt: Mau01Data2025 = {
  ...centre,
  dossierCode,
  applicant: {
    fullName: 'Nguyễn Thị Ánh Tuyết',
    idNumber: '001186012345',
    address: 'Thôn Đông Xuyên 3, xã Đông Xuyên, tỉnh Phú Thọ',
    phone: '0912345678',
    email: 'anhtuyet@example.vn',
  },
  procedureName: 'Đăng ký khai sinh',
  decidingAgency: 'UBND xã Đông Xuyên',
  components: [
    { name: 'Tờ khai đăng ký khai sinh', kind: 'Bản chính', quantity: 1 },
    { name: 'Giấy chứng sinh', kind: 'Bản chính', quantity: 1 },
    { name: 'Giấy tờ chứng minh nơi cư trú', kind: 'Bản chụp', quantity: 2 },
  ],
  sets: 1,
  timeLimitText: '01 ngày làm việc',
  receivedAt: '2026-11-23T14:05:00+07:00',
  appointmentAt: '2026-11-24T14:05:00+07:00',
  resultDelivery: 'counter',
  fees: [{ label: 'Lệ phí đăng ký khai sinh', amountVnd: 8000 }],
  clerkName: 'Lê Văn Đức',
};

const organisationReceipt: Mau01Data2025 = {
  ...receipt,
  dossierCode: 'G12.18.92-261123-0043',
  applicant: { ...receipt.applicant, fullName: 'Trần Quốc Bảo', idNumber: '034090001122', organisation: { name: 'Công ty TNHH Nông sản Đông Xuyên', taxCode: '2601234567' } },
  procedureName: 'Cấp giấy chứng nhận đăng ký hộ kinh doanh',
  decidingAgency: 'Phòng Kinh tế UBND xã Đông Xuyên',
  fees: [],
  resultDelivery: 'post',
};

const stop: StopNoticeData = {
  unit: centre,
  documentNumber: '07/TB-TTPVHCC',
  date: '2026-11-25T09:40:00+07:00',
  addressee: 'Bà Nguyễn Thị Ánh Tuyết',
  dossierCode,
  procedureName: 'Đăng ký khai sinh',
  decidingAgency: 'UBND xã Đông Xuyên',
  receivedAt: '2026-11-23T14:05:00+07:00',
  requestedAt: '2026-11-25T09:30:00+07:00',
  reason: 'Gia đình chuyển đăng ký khai sinh về nơi cư trú của người cha',
  signerName: 'Lê Văn Đức',
};

let dir = '';
let fonts: FormFonts = { regular: new Uint8Array(), bold: new Uint8Array() };

async function text(pdf: Uint8Array, name: string, pages: { first?: number; last?: number } = {}): Promise<string> {
  const path = join(dir, `${name}.pdf`);
  await writeFile(path, pdf);
  const range = [...(pages.first ? ['-f', String(pages.first)] : []), ...(pages.last ? ['-l', String(pages.last)] : [])];
  return (await run('pdftotext', ['-layout', '-enc', 'UTF-8', ...range, path, '-'])).stdout;
}
const flat = (s: string): string => s.replace(/\s+/g, ' ');

/** The header's left block alone (the issuing body), cropped so the right block's lines do not interleave. */
async function headerLeft(pdf: Uint8Array, name: string): Promise<string> {
  const path = join(dir, `${name}-header.pdf`);
  await writeFile(path, pdf);
  return flat((await run('pdftotext', ['-enc', 'UTF-8', '-f', '1', '-l', '1', '-r', '72', '-x', '0', '-y', '0', '-W', '290', '-H', '170', path, '-'])).stdout).trim();
}
const centreHeading = 'UBND XÃ ĐÔNG XUYÊN TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG XÃ ĐÔNG XUYÊN';

const set2025 = formSets[LEGAL_BASIS_2025];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'forms-2025-'));
  fonts = {
    regular: new Uint8Array(await readFile(join(repoRoot, FONT_ASSET_DIR, fontFiles.regular))),
    bold: new Uint8Array(await readFile(join(repoRoot, FONT_ASSET_DIR, fontFiles.bold))),
  };
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the 2025 set (Circular 03/2025/TT-VPCP) read back by pdftotext', () => {
  it('has seven forms in Annex I order, 05 being the new stop notice', () => {
    expect(Object.entries(set2025).map(([id, form]) => `${id} ${form.title}`)).toEqual([
      'mau01 GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ',
      'mau02 PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ',
      'mau03 PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ',
      'mau04 VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT',
      'mau05 THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ',
      'mau06 PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ',
      'mau07 SỔ THEO DÕI HỒ SƠ',
    ]);
  });

  it('Mẫu 01: number, centre heading, deciding agency, CCCD, component table, fees, channel, on both copies', async () => {
    const pdf = await renderForm('mau01', receipt, fonts, LEGAL_BASIS_2025);
    // The centre IS the One-Stop Division (Decree 118 Art. 3.3): its own name ends the heading.
    expect(await headerLeft(pdf, 'mau01')).toMatch(new RegExp(`^${centreHeading} Mã hồ sơ`));
    for (const page of [1, 2]) {
      const out = await text(pdf, `mau01-p${page}`, { first: page, last: page });
      const body = flat(out);
      expect(out).toContain('Mẫu số 01');
      expect(out).not.toMatch(/BỘ PHẬN/i);
      expect(out).toContain('GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ');
      expect(body).toContain(`Mã hồ sơ: ${dossierCode}`);
      expect(body).toContain('Cơ quan giải quyết hồ sơ: UBND xã Đông Xuyên');
      expect(body).toContain('Số CCCD/định danh cá nhân: 001186012345');
      expect(out).toMatch(/STT\s+Tên giấy tờ\s+Loại giấy tờ\s+Số lượng/);
      expect(out).toMatch(/3\s+Giấy tờ chứng minh nơi cư trú\s+Bản chụp\s+02/);
      expect(body).toContain('6. Phí, lệ phí (nếu có): Lệ phí đăng ký khai sinh: 8.000 đồng');
      expect(body).toContain('7. Hình thức nhận kết quả: Trực tiếp tại Trung tâm Phục vụ hành chính công xã Đông Xuyên');
      expect(body).toContain(page === 1 ? 'Liên: Lưu' : 'Liên: Giao khách hàng');
    }
  });

  it('Mẫu 01 for an organisation: its name and tax code (MST), the submitter, no fee, by post', async () => {
    const body = flat(await text(await renderForm('mau01', organisationReceipt, fonts, LEGAL_BASIS_2025), 'mau01-org', { last: 1 }));
    expect(body).toContain('tiếp nhận hồ sơ của: Công ty TNHH Nông sản Đông Xuyên');
    expect(body).toContain('Mã số thuế (MST): 2601234567');
    expect(body).toContain('Người nộp hồ sơ: Trần Quốc Bảo');
    expect(body).toContain('Số CCCD/định danh cá nhân người nộp: 034090001122');
    expect(body).toContain('Cơ quan giải quyết hồ sơ: Phòng Kinh tế UBND xã Đông Xuyên');
    expect(body).toContain('6. Phí, lệ phí (nếu có): Không');
    expect(body).toContain('7. Hình thức nhận kết quả: Qua dịch vụ bưu chính công ích');
    // A tax code whose check digit is wrong is refused before anything is printed.
    const wrongTaxCode = { ...organisationReceipt, applicant: { ...organisationReceipt.applicant, organisation: { name: 'Công ty TNHH Nông sản Đông Xuyên', taxCode: '2601234568' } } };
    await expect(renderForm('mau01', wrongTaxCode, fonts, LEGAL_BASIS_2025)).rejects.toMatchObject({ code: 'DOSSIER_INVALID', details: { field: 'applicant.organisation.taxCode' } });
  });

  it('Mẫu 01 carries the dossier code as a QR code (decoded from the rendered page)', async () => {
    const path = join(dir, 'mau01-qr.pdf');
    await writeFile(path, await renderForm('mau01', receipt, fonts, LEGAL_BASIS_2025));
    await run('pdftoppm', ['-r', '150', '-png', '-f', '1', '-l', '1', path, join(dir, 'mau01-qr')]);
    // The reader's WebAssembly from the installed package: nothing is fetched.
    const { prepareZXingModule, readBarcodes } = await import('zxing-wasm/reader');
    const wasm = await readFile(join(repoRoot, 'node_modules', 'zxing-wasm', 'dist', 'reader', 'zxing_reader.wasm'));
    await prepareZXingModule({ overrides: { wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) }, fireImmediately: true });
    const found = await readBarcodes(new Blob([await readFile(join(dir, 'mau01-qr-1.png'))]), { formats: ['QRCode'] });
    expect(found.map((b) => b.text)).toContain(dossierCode);
  });

  it('Mẫu 02 and 03: number and centre heading; the refusal names the centre, not a division', async () => {
    const supplementPdf = await set2025.mau02.build(mau02, fonts);
    expect(await headerLeft(supplementPdf, 'mau02')).toBe(centreHeading);
    const supplement = await text(supplementPdf, 'mau02');
    expect(supplement).toContain('Mẫu số 02');
    expect(supplement).toContain('PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ');
    expect(supplement).not.toMatch(/BỘ PHẬN TIẾP NHẬN/i);
    expect(flat(supplement)).toContain('Tờ khai đăng ký khai sinh (Bản chính)');

    const refusal = flat(await text(await set2025.mau03.build(mau03, fonts), 'mau03'));
    expect(refusal).toContain('Mẫu số 03');
    expect(refusal).toContain('PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ');
    expect(refusal).toContain('Trung tâm Phục vụ hành chính công xã Đông Xuyên tiếp nhận hồ sơ của: Nguyễn Thị Ánh Tuyết');
    expect(refusal).toContain('Qua xem xét, Trung tâm Phục vụ hành chính công xã Đông Xuyên thông báo không tiếp nhận');
    expect(refusal).not.toMatch(/Bộ phận Tiếp nhận/i);
    expect(refusal).toContain('hành lang bảo vệ đê điều');
  });

  it('Mẫu 04: the apology proposing an extension, with reason and proposed date', async () => {
    const out = flat(await text(await set2025.mau04.build(mau04, fonts), 'mau04'));
    expect(out).toContain('Mẫu số 04');
    expect(out).toContain('VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT');
    expect(out).toContain('không thể trả kết quả giải quyết hồ sơ của ông (bà) đúng hẹn với lý do: Phải xác minh thêm nguồn gốc thửa đất');
    expect(out).toContain('đề nghị gia hạn thời gian giải quyết hồ sơ, hẹn trả kết quả cho ông (bà) vào 16 giờ 00 phút, ngày 07/12/2026');
    expect(out).toContain(dossierCode);
  });

  it('Mẫu 05: the stop notice with the request date, the reason, the stop and Decree 118 Art. 21', async () => {
    const pdf = await set2025.mau05.build(stop, fonts);
    expect(await headerLeft(pdf, 'mau05')).toBe(`${centreHeading} Số: 07/TB-TTPVHCC`);
    const out = await text(pdf, 'mau05');
    const body = flat(out);
    expect(out).toContain('Mẫu số 05');
    expect(out).not.toMatch(/BỘ PHẬN/i);
    expect(body).toContain('Số: 07/TB-TTPVHCC');
    expect(body).toContain('THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ');
    expect(body).toContain('Kính gửi: Bà Nguyễn Thị Ánh Tuyết');
    expect(body).toContain(`Ngày 23/11/2026, Trung tâm Phục vụ hành chính công xã Đông Xuyên tiếp nhận hồ sơ của ông (bà) về Đăng ký khai sinh, mã số hồ sơ: ${dossierCode}, cơ quan giải quyết: UBND xã Đông Xuyên.`);
    expect(body).toContain('Ngày 25/11/2026, ông (bà) có yêu cầu dừng giải quyết hồ sơ nêu trên với lý do: Gia đình chuyển đăng ký khai sinh về nơi cư trú của người cha.');
    expect(body).toContain('Căn cứ Điều 21 Nghị định số 118/2025/NĐ-CP');
    expect(body).toContain('thông báo dừng giải quyết hồ sơ nêu trên kể từ 09 giờ 40 phút, ngày 25/11/2026.');
    expect(body).toContain('Lê Văn Đức');
  });

  it('Mẫu 05 refuses a request dated before the receipt, naming the field', async () => {
    await expect(renderForm('mau05', { ...stop, requestedAt: '2026-11-20T08:00:00+07:00' }, fonts, LEGAL_BASIS_2025)).rejects.toMatchObject({ code: 'DOSSIER_INVALID', details: { field: 'requestedAt' } });
  });

  it('Mẫu 06 (control slip) and Mẫu 07 (register) carry their 2025 numbers', async () => {
    const controlPdf = await set2025.mau06.build(mau05, fonts);
    expect(await headerLeft(controlPdf, 'mau06')).toBe(centreHeading);
    const control = await text(controlPdf, 'mau06');
    expect(control).toContain('Mẫu số 06');
    expect(control).toContain('PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ');
    expect(control).toMatch(/Người giao: Lê Văn Đức/);
    expect(control).toContain('Quá hạn');
    const register = await text(await set2025.mau07.build(mau06(4), fonts), 'mau07');
    expect(register).toContain('Mẫu số 07');
    expect(register).toContain('SỔ THEO DÕI HỒ SƠ');
    expect(register).toContain('G12.18.92-261102-0001');
    expect(flat(register)).toMatch(/Dừng giải .*quyết theo yêu cầu/);
  });

  it('renders each 2025 form\'s first page to PNG (test-results/forms-2025/) for visual review', async () => {
    await mkdir(renderDir, { recursive: true });
    const all: Record<string, Uint8Array> = {
      mau01: await renderForm('mau01', receipt, fonts, LEGAL_BASIS_2025),
      mau02: await set2025.mau02.build(mau02, fonts),
      mau03: await set2025.mau03.build(mau03, fonts),
      mau04: await set2025.mau04.build(mau04, fonts),
      mau05: await set2025.mau05.build(stop, fonts),
      mau06: await set2025.mau06.build(mau05, fonts),
      mau07: await set2025.mau07.build(mau06(12), fonts),
    };
    for (const [name, pdf] of Object.entries(all)) {
      const path = join(dir, `${name}.pdf`);
      await writeFile(path, pdf);
      await run('pdftoppm', ['-r', '60', '-png', '-f', '1', '-l', '1', path, join(renderDir, name)]);
      const png = await readFile(join(renderDir, `${name}-1.png`));
      expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    }
  });
});

describe('a dossier remembers its set', () => {
  const stored2018 = {}; // saved before the field existed: received under the 2018 rules
  const stored2025 = { legalBasis: LEGAL_BASIS_2025 } as const;
  const receipt2018: ReceiptData = {
    unitName: 'UBND xã Demo',
    place: 'Xã Demo',
    dossierCode: '000.17.22.H56-250612-0002',
    applicant: { fullName: 'Nguyễn Văn Ấn', idNumber: '001186012345', address: 'Thôn 1, xã Demo', phone: '0912345678' },
    procedureName: 'Đăng ký khai sinh',
    components: ['Tờ khai đăng ký khai sinh'],
    sets: 1,
    timeLimitText: '01 ngày làm việc',
    receivedAt: new Date('2025-06-12T09:00:00+07:00'),
    appointmentAt: new Date('2025-06-13T09:00:00+07:00'),
    resultDelivery: 'counter',
  };

  it('a 2018-era dossier reprints its 2018 receipt: the division line, the 2018 items, no "Mẫu số"', async () => {
    expect(legalBasisOf(stored2018)).toBe(LEGAL_BASIS_2018);
    const form = printedForm(legalBasisOf(stored2018), 'receipt');
    expect(form).toMatchObject({ id: 'mau01', legalBasis: LEGAL_BASIS_2018 });
    const pdf = await form.build(receipt2018, fonts);
    expect(await headerLeft(pdf, 'reprint-2018')).toMatch(/^UBND XÃ DEMO BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ Mã hồ sơ/);
    const out = await text(pdf, 'reprint-2018', { last: 1 });
    expect(flat(out)).toContain('6. Đăng ký nhận kết quả tại: Bộ phận Tiếp nhận và Trả kết quả, UBND xã Demo');
    expect(out).not.toContain('Mẫu số');
    expect(out).not.toContain('Phí, lệ phí');
    expect(out).not.toContain('Loại giấy tờ');
  });

  it('the control slip and the apology follow the dossier: 2018 Mẫu 05 and its apology title, 2025 Mẫu 06 and the extension letter', async () => {
    const control2018 = printedForm(legalBasisOf(stored2018), 'control');
    const control2025 = printedForm(legalBasisOf(stored2025), 'control');
    expect([control2018.id, control2025.id]).toEqual(['mau05', 'mau06']);
    const oldPdf = await control2018.build(mau05, fonts);
    expect(await headerLeft(oldPdf, 'control-2018')).toBe(`${centreHeading} BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ`);
    const old = await text(oldPdf, 'control-2018');
    expect(old).not.toContain('Mẫu số');
    const apology2018 = await text(await printedForm(legalBasisOf(stored2018), 'apology').build(mau04, fonts), 'apology-2018');
    expect(apology2018).toContain('PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ');
    expect(printedForm(legalBasisOf(stored2025), 'apology').title).toBe('VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT');
  });

  it('stopping exists only under Decree 118: a 2018-era dossier is stopped with the 2025 Mẫu 05', () => {
    expect(printedForm(legalBasisOf(stored2018), 'stop')).toMatchObject({ id: 'mau05', legalBasis: LEGAL_BASIS_2025, title: 'THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ' });
  });
});
