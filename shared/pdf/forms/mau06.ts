/**
 * Mẫu 06 "Sổ theo dõi hồ sơ" (Circular 01/2018/TT-VPCP): the register book, one row per dossier, printed in
 * landscape; rows continue on further pages with the column headings repeated.
 */
import { z } from 'zod';
import type { FormFonts } from '../fonts';
import { edition2018, type FormEdition } from './edition';
import { instant, numberOf, parseFormData, placeAndDate, shortDateTime, text, unitHeaderLines, unitSchema } from './common';
import { formatVietnamDate } from '../../domain/time';
import { A4_LANDSCAPE, clean, createFormDocument, drawNationalHeader, FormWriter, type Run, saveFormDocument, type TableRow } from './layout';

export const MAU06_TITLE = 'SỔ THEO DÕI HỒ SƠ';

const deliveryLabels = { counter: 'Trực tiếp', post: 'Bưu chính', online: 'Trực tuyến' } as const;

export const mau06Schema = z
  .strictObject({
    unit: unitSchema,
    /** Date the register pages are printed. */
    date: instant,
    /** Register volume ("Quyển số"). */
    volume: text.optional(),
    /** Period the pages cover. */
    period: z.strictObject({ from: instant, to: instant }).optional(),
    entries: z.array(
      z.strictObject({
        /** Line number in the book; default: position in the list. */
        sequence: z.number().int().positive().optional(),
        dossierCode: text,
        procedureName: text,
        applicantName: text,
        address: text.optional(),
        phone: text.optional(),
        decidingAgency: text,
        receivedAt: instant,
        appointmentAt: instant,
        returnedAt: instant.optional(),
        delivery: z.enum(['counter', 'post', 'online']).optional(),
        note: text.optional(),
      }),
    ),
  })
  .refine((d) => !d.period || d.period.from.getTime() <= d.period.to.getTime(), { message: 'ngày bắt đầu phải trước ngày kết thúc', path: ['period', 'to'] });
export type Mau06Data = z.input<typeof mau06Schema>;

/** `edition`: the set it is printed in (the register is Mẫu 06 in 2018, Mẫu 07 in 2025). */
export async function buildMau06(input: Mau06Data, fonts: FormFonts, edition: FormEdition = edition2018): Promise<Uint8Array> {
  const data = parseFormData(mau06Schema, input);
  const { doc, fonts: embedded } = await createFormDocument(fonts, input);
  const { regular, bold } = embedded;
  const caption = `${MAU06_TITLE} - ${clean(data.unit.unitName)}${data.volume ? ` - Quyển số: ${clean(data.volume)}` : ''} (tiếp theo)`;
  const w = new FormWriter(doc, embedded, caption, A4_LANDSCAPE);

  drawNationalHeader(w, { left: unitHeaderLines(data.unit, edition.divisionLine), placeAndDate: placeAndDate(data.unit, data.date), leftWidth: 300, ...numberOf(edition, 'register') });
  w.moveDown(14);
  w.paragraph([{ text: MAU06_TITLE, font: bold }], { size: 14, align: 'center' });
  const sub: string[] = [];
  if (data.volume) sub.push(`Quyển số: ${clean(data.volume)}`);
  if (data.period) sub.push(`Từ ngày ${formatVietnamDate(data.period.from)} đến ngày ${formatVietnamDate(data.period.to)}`);
  if (sub.length) w.paragraph([{ text: sub.join(' - '), font: regular }], { size: 12, align: 'center' });
  w.moveDown(8);

  const cell = (value: string | undefined, font = regular): Run[][] => [[{ text: value ? clean(value) : '', font }]];
  const rows: TableRow[] = data.entries.map((entry, i) => [
    cell(String(entry.sequence ?? i + 1)),
    [[{ text: clean(entry.dossierCode), font: regular }]],
    cell(entry.procedureName),
    cell(entry.applicantName),
    [entry.address ? [{ text: clean(entry.address), font: regular }] : [], ...(entry.phone ? [[{ text: `ĐT: ${clean(entry.phone)}`, font: regular }]] : [])].filter((p) => p.length > 0),
    cell(entry.decidingAgency),
    cell(shortDateTime(entry.receivedAt)),
    cell(shortDateTime(entry.appointmentAt)),
    cell(entry.returnedAt ? shortDateTime(entry.returnedAt) : undefined),
    cell(entry.delivery ? deliveryLabels[entry.delivery] : undefined),
    cell(undefined),
    cell(entry.note),
  ]);
  w.table(
    [
      // Widths in points of the 746-point landscape line: a full dossier code, a name and a date fit on one line at 9 pt.
      { heading: 'TT', width: 20, align: 'center' },
      { heading: 'Mã hồ sơ', width: 112 },
      { heading: 'Tên thủ tục hành chính', width: 94 },
      { heading: 'Tên tổ chức, cá nhân', width: 80 },
      { heading: 'Địa chỉ, số điện thoại', width: 92 },
      { heading: 'Cơ quan chủ trì giải quyết', width: 66 },
      { heading: 'Ngày nhận hồ sơ', width: 48, align: 'center' },
      { heading: 'Ngày hẹn trả kết quả', width: 48, align: 'center' },
      { heading: 'Ngày trả kết quả', width: 48, align: 'center' },
      { heading: 'Hình thức nhận kết quả', width: 50, align: 'center' },
      { heading: 'Ký nhận', width: 42 },
      { heading: 'Ghi chú', width: 46 },
    ],
    rows,
    { size: 9, headerSize: 9 },
  );

  return saveFormDocument(doc, { title: `${MAU06_TITLE} - ${data.unit.unitName}`, subject: MAU06_TITLE, date: data.date });
}
