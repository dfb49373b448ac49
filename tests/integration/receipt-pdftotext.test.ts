/**
 * The receipt read back by real PDF tools: poppler's pdftotext (text and diacritics survive, NFC),
 * pdfinfo (two A4 pages, one per copy), pdffonts (both Liberation Serif faces embedded as subsets).
 * It also renders the pages to PNG in test-results/receipt/ for a person to look at.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { create as createQrCode } from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeAppointment, formatTimeLimit } from '../../shared/domain/appointment';
import { findProcedure } from '../../shared/domain/catalog-demo';
import { formatDossierCode, nextSequence } from '../../shared/domain/dossier-code';
import { fromVietnamParts } from '../../shared/domain/time';
import { FONT_ASSET_DIR, type FormFonts, fontFiles } from '../../shared/pdf/fonts';
import { AppError } from '../../shared/errors';
import { buildReceiptPdf, RECEIPT_TITLE, type ReceiptData } from '../../shared/pdf/receipt';

const run = promisify(execFile);
const repoRoot = join(import.meta.dirname, '..', '..');
const renderDir = join(repoRoot, 'test-results', 'receipt');

const procedure = findProcedure('2.000815') ?? findProcedure('1.004873');
if (!procedure) throw new Error('demo catalog lacks the test procedures');

const receivedAt = fromVietnamParts(2026, 11, 23, 14, 5);
const dossierCode = formatDossierCode('000.17.22.H56', receivedAt, nextSequence(undefined, 2));
const applicantName = 'Nguyễn Thị Ánh Tuyết';

const data: ReceiptData = {
  unitName: 'Trung tâm Phục vụ hành chính công xã Demo',
  organisationName: 'UBND xã Demo',
  place: 'Xã Demo',
  dossierCode,
  applicant: {
    // Decomposed (NFD) on purpose: the receipt must still print precomposed letters.
    fullName: applicantName.normalize('NFD'),
    idNumber: '001186012345',
    address: 'Số 12, ngõ 34 đường Trần Hưng Đạo, thôn Đông Xuyên, xã Demo, tỉnh Phú Thọ',
    phone: '0912345678',
  },
  procedureName: procedure.name,
  components: procedure.components.map((c) => c.name),
  sets: 1,
  timeLimitText: formatTimeLimit(procedure.timeLimit),
  receivedAt,
  appointmentAt: computeAppointment(receivedAt, procedure.timeLimit),
  resultDelivery: 'counter',
  clerkName: 'Lê Văn Đức',
};

/** Binary PGM (P5, 8-bit) as written by pdftoppm -gray. */
function parsePgm(bytes: Buffer): { width: number; height: number; pixel: (x: number, y: number) => number } {
  const header = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(bytes.subarray(0, 64).toString('latin1'));
  if (!header) throw new Error('not an 8-bit binary PGM');
  const width = Number(header[1]);
  const height = Number(header[2]);
  const offset = header[0].length;
  return { width, height, pixel: (x, y) => bytes[offset + y * width + x] ?? 255 };
}

let dir = '';
let pdfPath = '';
let fonts: FormFonts = { regular: new Uint8Array(), bold: new Uint8Array() };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'receipt-'));
  fonts = {
    regular: new Uint8Array(await readFile(join(repoRoot, FONT_ASSET_DIR, fontFiles.regular))),
    bold: new Uint8Array(await readFile(join(repoRoot, FONT_ASSET_DIR, fontFiles.bold))),
  };
  pdfPath = join(dir, 'receipt.pdf');
  await writeFile(pdfPath, await buildReceiptPdf(data, fonts));
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('receipt PDF (Mẫu 01)', () => {
  it('pdftotext finds the title, the dossier code and the applicant with diacritics, in NFC', async () => {
    const { stdout } = await run('pdftotext', ['-layout', '-enc', 'UTF-8', pdfPath, '-']);
    expect(stdout).toContain(RECEIPT_TITLE.normalize('NFC'));
    expect(stdout).toContain('GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ');
    expect(stdout).toContain(dossierCode);
    expect(stdout).toContain(applicantName.normalize('NFC'));
    expect(stdout).toBe(stdout.normalize('NFC'));
    expect(stdout).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(stdout).toContain('14 giờ 05 phút, ngày 23/11/2026');
    expect(stdout).toContain('NGƯỜI TIẾP NHẬN HỒ SƠ');
  });

  it('has two A4 pages: "Liên: Lưu" then "Liên: Giao khách hàng"', async () => {
    const { stdout: info } = await run('pdfinfo', [pdfPath]);
    expect(info).toMatch(/^Pages:\s+2$/m);
    expect(info).toMatch(/^Page size:\s+595\.28 x 841\.89 pts \(A4\)/m);
    const page = async (n: number): Promise<string> => (await run('pdftotext', ['-f', String(n), '-l', String(n), '-layout', pdfPath, '-'])).stdout;
    expect(await page(1)).toContain('Liên: Lưu');
    expect(await page(2)).toContain('Liên: Giao khách hàng');
    expect(await page(2)).toContain(dossierCode);
  });

  it('embeds both Liberation Serif faces as subsets', async () => {
    const { stdout } = await run('pdffonts', [pdfPath]);
    const rows = stdout.split('\n').filter((l) => l.includes('LiberationSerif'));
    expect(rows.some((r) => /\+LiberationSerif\s/.test(r) || /\+LiberationSerif(-Regular)?\s/.test(r))).toBe(true);
    expect(rows.some((r) => /\+LiberationSerif-Bold\s/.test(r))).toBe(true);
    // pdffonts columns: name type encoding emb sub uni — every font embedded, subset, with ToUnicode.
    for (const r of rows) expect(r).toMatch(/\s+yes\s+yes\s+yes\s+\d+\s+\d+\s*$/);
  });

  it('draws a QR code whose modules are those of the dossier code', async () => {
    // Render the top-left of page 1 at 300 dpi in grey, find the QR's dark bounding box, sample each module.
    const dpi = 300;
    const prefix = join(dir, 'qr');
    await run('pdftoppm', ['-r', String(dpi), '-gray', '-f', '1', '-l', '1', '-x', '0', '-y', '0', '-W', '1000', '-H', '1400', pdfPath, prefix]);
    const image = parsePgm(await readFile(`${prefix}-1.pgm`));
    // The QR's top-left finder pattern starts with a solid run of 7 modules at the left margin (85 pt ≈ 354 px);
    // nothing else on the page draws such a run there.
    const { modules } = createQrCode(dossierCode, { errorCorrectionLevel: 'M' });
    const count = modules.size;
    let found: { x: number; y: number; modulePx: number } | undefined;
    for (let y = 0; y < image.height && !found; y++) {
      let x = 340;
      while (x < 380 && image.pixel(x, y) >= 128) x++;
      if (x === 380) continue;
      let end = x;
      while (end < image.width && image.pixel(end, y) < 128) end++;
      if (end - x >= 70) found = { x, y, modulePx: (end - x) / 7 };
    }
    if (!found) throw new Error('no QR finder pattern at the left margin of page 1');
    const { x: minX, y: minY, modulePx } = found;
    expect(modulePx).toBeGreaterThan(8); // ≥ 0.68 mm per module: comfortably printable and scannable
    let mismatches = 0;
    for (let row = 0; row < count; row++) {
      for (let col = 0; col < count; col++) {
        const dark = image.pixel(Math.round(minX + (col + 0.5) * modulePx), Math.round(minY + (row + 0.5) * modulePx)) < 128;
        if (dark !== Boolean(modules.get(row, col))) mismatches++;
      }
    }
    expect(mismatches).toBe(0);
  });

  it('renders to PNG (test-results/receipt/) for visual review', async () => {
    await mkdir(renderDir, { recursive: true });
    await run('pdftoppm', ['-r', '60', '-png', pdfPath, join(renderDir, 'receipt')]);
    const png = await readFile(join(renderDir, 'receipt-1.png'));
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  });

  it('is byte-for-byte reproducible for the same data (the bytes get hashed and signed)', async () => {
    const [a, b] = await Promise.all([buildReceiptPdf(data, fonts), buildReceiptPdf(data, fonts)]);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });

  it('continues a copy on a new page when the component list is very long, and cuts unbreakable words', async () => {
    const components = Array.from({ length: 45 }, (_, i) => `Giấy tờ số ${i + 1}: bản sao có chứng thực của giấy tờ liên quan đến yêu cầu`);
    components.push('X'.repeat(200));
    const path = join(dir, 'long.pdf');
    await writeFile(path, await buildReceiptPdf({ ...data, components }, fonts));
    const { stdout: info } = await run('pdfinfo', [path]);
    const pages = Number(/^Pages:\s+(\d+)$/m.exec(info)?.[1]);
    expect(pages).toBeGreaterThan(2);
    expect(pages % 2).toBe(0);
    const pageText = async (n: number): Promise<string> => (await run('pdftotext', ['-f', String(n), '-l', String(n), '-layout', path, '-'])).stdout;
    // Each copy starts on a page of its own; its further pages carry the dossier code and copy.
    expect(await pageText(1)).toContain('Liên: Lưu');
    expect(await pageText(2)).toContain(`Mã hồ sơ: ${dossierCode} - Liên: Lưu (tiếp theo)`);
    expect(await pageText(pages / 2 + 1)).toContain('Liên: Giao khách hàng');
    const { stdout: text } = await run('pdftotext', ['-layout', path, '-']);
    expect(text.match(/Giấy tờ số 45:/g)).toHaveLength(2);
    expect(text.match(/NGƯỜI TIẾP NHẬN HỒ SƠ/g)).toHaveLength(2);
  });

  it('refuses incomplete data with DOSSIER_INVALID', async () => {
    await expect(buildReceiptPdf({ ...data, components: [] }, fonts)).rejects.toBeInstanceOf(AppError);
    await expect(buildReceiptPdf({ ...data, sets: 0, applicant: { ...data.applicant, fullName: ' ' } }, fonts)).rejects.toMatchObject({
      code: 'DOSSIER_INVALID',
      details: { fields: 'applicant.fullName, sets' },
    });
  });
});
