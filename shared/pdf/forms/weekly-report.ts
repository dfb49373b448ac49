/**
 * The weekly report of the reception counter (not an official form: the unit's own summary): for one week,
 * the dossiers received, digitized, finished on time and late, per day, per clerk and per procedure, with
 * the on-time and digitization rates of Decision 766 (how they are counted: shared/domain/indicators.ts).
 */
import { z } from 'zod';
import type { FormFonts } from '../fonts';
import { formatVietnamDate } from '../../domain/time';
import { formatRate } from '../../domain/indicators';
import { instant, parseFormData, placeAndDate, text, unitHeaderLines, unitSchema } from './common';
import { edition2025 } from './edition';
import { clean, createFormDocument, drawNationalHeader, FormWriter, type Run, saveFormDocument, type TableRow } from './layout';

const WEEKLY_REPORT_TITLE = 'BÁO CÁO TUẦN TIẾP NHẬN VÀ TRẢ KẾT QUẢ HỒ SƠ';

const rowSchema = z.strictObject({
  label: text,
  received: z.number().int().min(0),
  digitized: z.number().int().min(0),
  onTime: z.number().int().min(0),
  late: z.number().int().min(0),
  pending: z.number().int().min(0),
  onTimeRate: z.number().min(0).max(1).nullable(),
  digitizationRate: z.number().min(0).max(1).nullable(),
});

const weeklyReportSchema = z.strictObject({
  unit: unitSchema,
  date: instant,
  period: z.strictObject({ from: instant, to: instant }),
  sections: z.array(z.strictObject({ heading: text, rows: z.array(rowSchema).min(1) })).min(1),
  /** Rules the figures follow, printed under the tables. */
  notes: z.array(text).default([]),
});
export type WeeklyReportData = z.input<typeof weeklyReportSchema>;

export async function buildWeeklyReport(input: WeeklyReportData, fonts: FormFonts): Promise<Uint8Array> {
  const data = parseFormData(weeklyReportSchema, input);
  const { doc, fonts: embedded } = await createFormDocument(fonts, input);
  const { regular, bold } = embedded;
  const w = new FormWriter(doc, embedded, `${WEEKLY_REPORT_TITLE} (tiếp theo)`);
  // Written today, so headed as the 2025 set heads its forms: the centre's own name, no division line.
  drawNationalHeader(w, { left: unitHeaderLines(data.unit, edition2025.divisionLine), placeAndDate: placeAndDate(data.unit, data.date) });
  w.moveDown(18);
  w.paragraph([{ text: WEEKLY_REPORT_TITLE, font: bold }], { size: 14, align: 'center' });
  w.paragraph([{ text: `Từ ngày ${formatVietnamDate(data.period.from)} đến ngày ${formatVietnamDate(data.period.to)}`, font: regular }], { size: 12, align: 'center' });
  const cell = (value: string, font = regular): Run[][] => [[{ text: clean(value) || ' ', font }]];
  for (const section of data.sections) {
    w.moveDown(8);
    w.paragraph([{ text: section.heading, font: bold }]);
    const rows: TableRow[] = section.rows.map((r, i) => {
      const font = i === section.rows.length - 1 && r.label === 'Tổng cộng' ? bold : regular;
      return [cell(r.label, font), cell(String(r.received), font), cell(String(r.digitized), font), cell(formatRate(r.digitizationRate), font), cell(String(r.onTime), font), cell(String(r.late), font), cell(String(r.pending), font), cell(formatRate(r.onTimeRate), font)];
    });
    w.table(
      [
        { heading: 'Nhóm', width: 28 },
        { heading: 'Tiếp nhận', width: 9, align: 'center' },
        { heading: 'Số hóa', width: 9, align: 'center' },
        { heading: 'Tỷ lệ số hóa', width: 10, align: 'center' },
        { heading: 'Đúng hạn', width: 9, align: 'center' },
        { heading: 'Trễ hạn', width: 9, align: 'center' },
        { heading: 'Chưa đến hạn', width: 10, align: 'center' },
        { heading: 'Tỷ lệ đúng hạn', width: 16, align: 'center' },
      ],
      rows,
      { size: 10, headerSize: 9.5 },
    );
  }
  if (data.notes.length) {
    w.moveDown(6);
    for (const note of data.notes) w.paragraph([{ text: `- ${clean(note)}`, font: regular }], { size: 10.5 });
  }
  return saveFormDocument(doc, { title: `${WEEKLY_REPORT_TITLE} - ${formatVietnamDate(data.period.from)}`, subject: WEEKLY_REPORT_TITLE, date: data.date });
}
