/**
 * Form 07a (Circular 09/2026/TT-BTP) read back: pdftotext finds the title, the period, every column heading,
 * the counts of the rows computed by shared/domain/form-07a.ts and the note on what the counter cannot count;
 * the XLSX (exceljs) carries the same figures. The first page is rendered to test-results/forms/ to look at.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeForm07a, form07aNotes, type Form07aDossier } from '../../shared/domain/form-07a';
import { FONT_ASSET_DIR, type FormFonts, fontFiles } from '../../shared/pdf/fonts';
import { buildForm07a, form07aColumns, FORM_07A_TITLE, type Form07aData } from '../../shared/pdf/forms/form-07a';
import { form07aXlsx } from '../../renderer/src/features/board/reports';

const run = promisify(execFile);
const repoRoot = join(import.meta.dirname, '..', '..');
const renderDir = join(repoRoot, 'test-results', 'forms');

let dir = '';
let fonts: FormFonts = { regular: new Uint8Array(), bold: new Uint8Array() };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'form07a-'));
  fonts = {
    regular: new Uint8Array(await readFile(join(repoRoot, FONT_ASSET_DIR, fontFiles.regular))),
    bold: new Uint8Array(await readFile(join(repoRoot, FONT_ASSET_DIR, fontFiles.bold))),
  };
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const at = (iso: string) => new Date(iso);
const period = { from: at('2026-11-01T00:00:00+07:00'), to: at('2026-11-30T23:59:59+07:00') };
const now = at('2026-12-06T10:00:00+07:00');
const received = at('2026-11-10T09:00:00+07:00');
const appointment = at('2026-11-13T16:00:00+07:00');
const d = (group: string, over: Partial<Form07aDossier> = {}): Form07aDossier => ({ group, channel: 'in-person', receivedAt: received, appointmentAt: appointment, ...over });

const dossiers: Form07aDossier[] = [
  d('Hộ tịch', { finishedAt: at('2026-11-12T10:00:00+07:00') }),
  d('Hộ tịch', { finishedAt: appointment }),
  d('Hộ tịch', { finishedAt: at('2026-11-16T10:00:00+07:00') }),
  d('Hộ tịch', { stoppedAt: at('2026-11-11T10:00:00+07:00') }),
  d('Chứng thực', { receivedAt: at('2026-10-20T09:00:00+07:00'), appointmentAt: at('2026-10-23T16:00:00+07:00') }),
  d('Chứng thực', { appointmentAt: at('2026-12-20T16:00:00+07:00') }),
];

const report = (): Form07aData => ({
  unit: { organisationName: 'UBND xã Demo', unitName: 'Trung tâm Phục vụ hành chính công xã Demo', place: 'Xã Demo' },
  date: now,
  period,
  rows: computeForm07a(dossiers, period, now),
  notes: form07aNotes,
});

describe('form 07a read back', () => {
  it('prints the title, the period, the columns, the counts per field and the note on scope', { timeout: 60_000 }, async () => {
    const pdf = await buildForm07a(report(), fonts);
    const path = join(dir, 'form07a.pdf');
    await writeFile(path, pdf);
    const out = (await run('pdftotext', ['-layout', '-enc', 'UTF-8', path, '-'])).stdout;
    const flat = out.replace(/\s+/g, ' ');
    expect(out).toContain(FORM_07A_TITLE);
    expect(flat).toContain('Biểu số 07a (Thông tư số 09/2026/TT-BTP)');
    expect(flat).toContain('Kỳ báo cáo: từ ngày 01/11/2026 đến ngày 30/11/2026');
    for (const heading of ['Số mới tiếp nhận trong kỳ', 'Số hồ sơ đã giải quyết', 'Số hồ sơ đang giải quyết', 'Kỳ trước', 'Trực tuyến', 'toàn trình', 'một phần', 'Bưu chính', 'Trực tiếp', 'Trước hạn', 'Đúng hạn', 'Trong hạn', 'Quá hạn', 'Dừng giải'])
      expect(flat).toContain(heading);
    // Rows: label then total, carried over, four channels, early, on time, late, within, overdue, stopped.
    const line = (label: string) => out.split('\n').find((l) => l.includes(label))?.replace(/.*?(\d+(\s+\d+){11})\s*$/, '$1').trim().split(/\s+/).map(Number);
    expect(line('1. Chứng thực')).toEqual([2, 1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0]);
    expect(line('2. Hộ tịch')).toEqual([4, 0, 0, 0, 0, 4, 1, 1, 1, 0, 0, 1]);
    expect(line('Tổng cộng')).toEqual([6, 1, 0, 0, 0, 5, 1, 1, 1, 1, 1, 1]);
    expect(flat).toContain('quầy không biết hồ sơ nộp trực tuyến hay qua bưu chính ở nơi khác');
    expect((await run('pdfinfo', [path])).stdout).toMatch(/Page size:\s+841\.89 x 595\.28/);
    await mkdir(renderDir, { recursive: true });
    await run('pdftoppm', ['-png', '-r', '70', '-f', '1', '-l', '1', '-singlefile', path, join(renderDir, 'form-07a')]);
  });

  it('gives the same figures as a spreadsheet', async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await form07aXlsx(report(), 'UBND xã Demo')).buffer as ArrayBuffer);
    const sheet = book.getWorksheet('Bieu 07a');
    const rows = Array.from(sheet?.getSheetValues() ?? [], (r) => (Array.isArray(r) ? r.slice(1) : []));
    const headings = rows.filter((r) => r[0] === 'Lĩnh vực');
    expect(headings[0]).toContain('Số hồ sơ đã giải quyết');
    expect(headings[1]).toEqual(['Lĩnh vực', ...form07aColumns.map((c) => c.heading)]);
    expect(rows.find((r) => r[0] === 'Tổng cộng')).toEqual(['Tổng cộng', 6, 1, 0, 0, 0, 5, 1, 1, 1, 1, 1, 1]);
    expect(rows.find((r) => r[0] === 'Hộ tịch')).toEqual(['Hộ tịch', 4, 0, 0, 0, 0, 4, 1, 1, 1, 0, 0, 1]);
    expect(rows.some((r) => typeof r[0] === 'string' && r[0].startsWith('Số liệu lấy từ hồ sơ do quầy này tiếp nhận trực tiếp'))).toBe(true);
  });
});
