/**
 * Form 07a of Circular 09/2026/TT-BTP as the counter can fill it: the dossiers of a period by channel and
 * by outcome (counted by shared/domain/form-07a.ts). The form's official layout was not found (UNCONFIRMED,
 * docs/indicators.md): the columns follow the breakdown the circular is quoted for, under group headings
 * (new by channel, resolved, in progress), and the notes say what the counter cannot count.
 */
import { z } from 'zod';
import type { FormFonts } from '../fonts';
import { formatVietnamDate } from '../../domain/time';
import type { Form07aCounts } from '../../domain/form-07a';
import { instant, parseFormData, placeAndDate, text, unitHeaderLines, unitSchema } from './common';
import { A4_LANDSCAPE, BLACK, clean, createFormDocument, drawNationalHeader, FormWriter, LINE_GAP, type Run, saveFormDocument, type TableRow, wrapRuns } from './layout';

export const FORM_07A_TITLE = 'TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH';
export const FORM_07A_NUMBER = 'Biểu số 07a (Thông tư số 09/2026/TT-BTP)';

/** Headings spanning several columns (the second heading row), by the columns they group. */
export const form07aGroups = { received: 'Số mới tiếp nhận trong kỳ', resolved: 'Số hồ sơ đã giải quyết', inProgress: 'Số hồ sơ đang giải quyết' } as const;
export type Form07aGroup = keyof typeof form07aGroups;

/** The form's columns after the row label, in order: group, heading and how to read it from the counts. */
export const form07aColumns: readonly { readonly group?: Form07aGroup; readonly heading: string; readonly value: (c: Form07aCounts) => number }[] = [
  { heading: 'Tổng số hồ sơ', value: (c) => c.total },
  { heading: 'Kỳ trước chuyển sang', value: (c) => c.carriedOver },
  { group: 'received', heading: 'Trực tuyến toàn trình', value: (c) => c.received['online-whole'] },
  { group: 'received', heading: 'Trực tuyến một phần', value: (c) => c.received['online-partial'] },
  { group: 'received', heading: 'Bưu chính công ích', value: (c) => c.received.postal },
  { group: 'received', heading: 'Trực tiếp', value: (c) => c.received['in-person'] },
  { group: 'resolved', heading: 'Trước hạn', value: (c) => c.resolvedEarly },
  { group: 'resolved', heading: 'Đúng hạn', value: (c) => c.resolvedOnTime },
  { group: 'resolved', heading: 'Quá hạn', value: (c) => c.resolvedLate },
  { group: 'inProgress', heading: 'Trong hạn', value: (c) => c.inProgressWithinTime },
  { group: 'inProgress', heading: 'Quá hạn', value: (c) => c.inProgressOverdue },
  { heading: 'Dừng giải quyết, rút hồ sơ', value: (c) => c.stopped },
];

/** Consecutive columns under the same group heading: [group or undefined, first index, count]. */
export function form07aGroupSpans(): [Form07aGroup | undefined, number, number][] {
  const spans: [Form07aGroup | undefined, number, number][] = [];
  form07aColumns.forEach((c, i) => {
    const last = spans.at(-1);
    if (last && c.group && last[0] === c.group) last[2]++;
    else spans.push([c.group, i, 1]);
  });
  return spans;
}

/** Shares of the table width: the label column, then each count column. */
const labelShare = 22;
const countShare = 8;

/** The band of group headings above the table's own heading row (the layout's table has one heading row). */
function drawGroupBand(w: FormWriter, size: number): void {
  const { bold } = w.fonts;
  const unit = w.contentWidth / (labelShare + countShare * form07aColumns.length);
  const padding = 3;
  const height = size * LINE_GAP + 2 * padding;
  w.ensureSpace(height + 80);
  const top = w.cursor;
  const page = w.currentPage;
  for (const [group, first, span] of form07aGroupSpans()) {
    if (!group) continue;
    const x = w.left + (labelShare + countShare * first) * unit;
    const width = countShare * span * unit;
    const [line] = wrapRuns([{ text: form07aGroups[group], font: bold }], size, width - 2 * padding);
    page.drawRectangle({ x, y: top - height, width, height, borderColor: BLACK, borderWidth: 0.6 });
    if (line) page.drawText(line.runs.map((r) => r.text).join(''), { x: x + (width - line.width) / 2, y: top - padding - size, size, font: bold, color: BLACK });
  }
  w.moveDown(height);
}

const count = z.number().int().min(0);
const rowSchema = z.strictObject({
  label: text,
  total: count,
  carriedOver: count,
  received: z.strictObject({ 'online-whole': count, 'online-partial': count, postal: count, 'in-person': count }),
  resolvedEarly: count,
  resolvedOnTime: count,
  resolvedLate: count,
  inProgressWithinTime: count,
  inProgressOverdue: count,
  stopped: count,
});

const form07aSchema = z
  .strictObject({
    unit: unitSchema,
    date: instant,
    period: z.strictObject({ from: instant, to: instant }),
    /** Groups, then the total as the last row. */
    rows: z.array(rowSchema).min(1),
    notes: z.array(text).default([]),
  })
  .refine((d) => d.period.from.getTime() <= d.period.to.getTime(), { message: 'ngày bắt đầu phải trước ngày kết thúc', path: ['period', 'to'] });
export type Form07aData = z.input<typeof form07aSchema>;

export async function buildForm07a(input: Form07aData, fonts: FormFonts): Promise<Uint8Array> {
  const data = parseFormData(form07aSchema, input);
  const { doc, fonts: embedded } = await createFormDocument(fonts, input);
  const { regular, bold } = embedded;
  const w = new FormWriter(doc, embedded, `${FORM_07A_TITLE} (tiếp theo)`, A4_LANDSCAPE);
  drawNationalHeader(w, { left: unitHeaderLines(data.unit), placeAndDate: placeAndDate(data.unit, data.date), leftWidth: 300 });
  w.moveDown(12);
  w.paragraph([{ text: FORM_07A_NUMBER, font: regular }], { size: 11, align: 'center' });
  w.paragraph([{ text: FORM_07A_TITLE, font: bold }], { size: 14, align: 'center' });
  w.paragraph([{ text: `Kỳ báo cáo: từ ngày ${formatVietnamDate(data.period.from)} đến ngày ${formatVietnamDate(data.period.to)}`, font: regular }], { size: 12, align: 'center' });
  w.moveDown(8);
  const cell = (value: string, font = regular): Run[][] => [[{ text: clean(value) || ' ', font }]];
  const last = data.rows.length - 1;
  const rows: TableRow[] = data.rows.map((r, i) => {
    const font = i === last ? bold : regular;
    return [cell(i === last ? r.label : `${i + 1}. ${r.label}`, font), ...form07aColumns.map((c) => cell(String(c.value(r)), font))];
  });
  drawGroupBand(w, 8.5);
  w.table([{ heading: 'Lĩnh vực', width: labelShare }, ...form07aColumns.map((c) => ({ heading: c.heading, width: countShare, align: 'center' as const }))], rows, { size: 9.5, headerSize: 8.5 });
  if (data.notes.length) {
    w.moveDown(6);
    w.paragraph([{ text: 'Ghi chú:', font: bold }], { size: 10.5 });
    for (const note of data.notes) w.paragraph([{ text: `- ${clean(note)}`, font: regular }], { size: 10 });
  }
  return saveFormDocument(doc, { title: `${FORM_07A_TITLE} - ${formatVietnamDate(data.period.from)}`, subject: FORM_07A_NUMBER, date: data.date });
}
