/**
 * Mẫu 05 "Phiếu kiểm soát quá trình giải quyết hồ sơ" (Circular 01/2018/TT-VPCP): follows the dossier from
 * agency to agency. One table row per hand-over: who handed it to whom, when (with both signatures), the
 * result at that step (early / on time / late) and a note.
 */
import { z } from 'zod';
import type { FormFonts } from '../fonts';
import { formatVietnamDate, toVietnamDateTime } from '../../domain/time';
import { edition2018, type FormEdition } from './edition';
import { instant, numberOf, parseFormData, placeAndDate, text, unitHeaderLines, unitSchema } from './common';
import { clean, createFormDocument, pad2, drawNationalHeader, FormWriter, saveFormDocument, type TableRow } from './layout';

export const MAU05_TITLE = 'PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ';

const stepResultLabels = { early: 'Trước hạn', 'on-time': 'Đúng hạn', late: 'Quá hạn' } as const;

export const mau05Schema = z.strictObject({
  unit: unitSchema,
  date: instant,
  dossierCode: text,
  /** The agency (division) deciding the dossier. */
  decidingAgency: text,
  /** Agencies that cooperate, if any. */
  cooperatingAgencies: z.array(text).optional(),
  handovers: z
    .array(
      z.strictObject({
        /** Handing agency, e.g. "Bộ phận Tiếp nhận và Trả kết quả". */
        from: text,
        /** Receiving agency, e.g. "Công chức Tư pháp - Hộ tịch". */
        to: text,
        at: instant,
        giver: text.optional(),
        receiver: text.optional(),
        result: z.enum(['early', 'on-time', 'late']).optional(),
        note: text.optional(),
      }),
    )
    .min(1),
});
export type Mau05Data = z.input<typeof mau05Schema>;

function timeText(date: Date): string {
  const t = toVietnamDateTime(date);
  return `${pad2(t.hour)} giờ ${pad2(t.minute)} phút`;
}

/** `edition`: the set it is printed in (the control slip is Mẫu 05 in 2018, Mẫu 06 in 2025). */
export async function buildMau05(input: Mau05Data, fonts: FormFonts, edition: FormEdition = edition2018): Promise<Uint8Array> {
  const data = parseFormData(mau05Schema, input);
  const { doc, fonts: embedded } = await createFormDocument(fonts, input);
  const { regular, bold } = embedded;
  const w = new FormWriter(doc, embedded, `${MAU05_TITLE} - Mã hồ sơ: ${clean(data.dossierCode)} (tiếp theo)`);

  drawNationalHeader(w, { left: unitHeaderLines(data.unit, edition.divisionLine), placeAndDate: placeAndDate(data.unit, data.date), ...numberOf(edition, 'control') });
  w.moveDown(22);
  w.paragraph([{ text: MAU05_TITLE, font: bold }], { size: 14, align: 'center' });
  w.paragraph([{ text: 'Mã hồ sơ: ', font: regular }, { text: clean(data.dossierCode), font: bold, nowrap: true }], { align: 'center' });
  w.paragraph([{ text: '(Kèm theo Giấy tiếp nhận hồ sơ và hẹn trả kết quả)', font: regular }], { size: 12, align: 'center' });
  w.moveDown(10);
  w.paragraph([{ text: 'Cơ quan (bộ phận) giải quyết hồ sơ: ', font: regular }, { text: clean(data.decidingAgency), font: bold }]);
  const cooperating = (data.cooperatingAgencies ?? []).map(clean);
  w.paragraph([{ text: `Cơ quan phối hợp giải quyết hồ sơ: ${cooperating.length ? cooperating.join('; ') : 'Không'}`, font: regular }]);
  w.moveDown(6);

  const rows: TableRow[] = data.handovers.map((step, i) => [
    [
      [{ text: `${i + 1}. Giao: `, font: regular }, { text: clean(step.from), font: regular }],
      [{ text: 'Nhận: ', font: regular }, { text: clean(step.to), font: regular }],
    ],
    [
      // Time and date on lines of their own, so neither is broken in the narrow column.
      [{ text: timeText(step.at), font: regular, nowrap: true }],
      [{ text: `ngày ${formatVietnamDate(step.at)}`, font: regular, nowrap: true }],
      // An empty line under each name leaves room to sign.
      [{ text: `Người giao: ${step.giver ? clean(step.giver) : ''}`, font: regular }],
      [],
      [{ text: `Người nhận: ${step.receiver ? clean(step.receiver) : ''}`, font: regular }],
      [],
    ],
    [[{ text: step.result ? stepResultLabels[step.result] : '', font: step.result === 'late' ? bold : regular }]],
    [[{ text: step.note ? clean(step.note) : '', font: regular }]],
  ]);
  w.table(
    [
      { heading: 'TÊN CƠ QUAN', width: 30 },
      { heading: 'THỜI GIAN GIAO, NHẬN HỒ SƠ', width: 32 },
      { heading: 'KẾT QUẢ GIẢI QUYẾT HỒ SƠ (Trước hạn/đúng hạn/quá hạn)', width: 20, align: 'center' },
      { heading: 'GHI CHÚ', width: 18 },
    ],
    rows,
    { size: 11, headerSize: 10.5 },
  );

  return saveFormDocument(doc, { title: `${MAU05_TITLE} - ${data.dossierCode}`, subject: data.decidingAgency, date: data.date });
}
