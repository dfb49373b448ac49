/**
 * Mẫu 05 of Circular 03/2025/TT-VPCP, "Thông báo dừng giải quyết hồ sơ" (new in 2025; Circular 03 Art. 7,
 * Decree 118/2025/NĐ-CP Art. 21): the applicant may ask to stop a dossier from its receipt until the decision
 * is issued, and the One-Stop Division (the centre) notifies the stop. The 2018 set has no such form.
 *
 * Annex I's exact wording is UNCONFIRMED (no copy of the annex was found): the text follows the 2025 set's
 * other letters — who received what and when, the applicant's request with its date and reason, the stop.
 */
import { z } from 'zod';
import type { FormFonts } from '../fonts';
import { formatVietnamDate } from '../../domain/time';
import { dateTimeText, instant, numberOf, parseFormData, placeAndDate, text, unitHeaderLines, unitSchema } from './common';
import { edition2025 } from './edition';
import { clean, createFormDocument, drawNationalHeader, FormWriter, saveFormDocument } from './layout';

export const STOP_NOTICE_TITLE = 'THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ';

export const stopNoticeSchema = z
  .strictObject({
    /** The centre (One-Stop Division) issuing the notice. */
    unit: unitSchema,
    /** Document number, e.g. "07/TB-TTPVHCC" (printed as "Số: …"). */
    documentNumber: text.optional(),
    /** When the notice is issued (place-and-date line). */
    date: instant,
    /** The dossier holder, e.g. "Bà Nguyễn Thị Ánh Tuyết" or "Công ty TNHH Demo". */
    addressee: text,
    dossierCode: text,
    procedureName: text,
    /** The agency that was deciding the dossier (informed of the stop). */
    decidingAgency: text.optional(),
    receivedAt: instant,
    /** When the applicant asked to stop. */
    requestedAt: instant,
    /** The applicant's reason, as they gave it. */
    reason: text,
    /** Default "NGƯỜI TIẾP NHẬN HỒ SƠ". */
    signerTitle: text.optional(),
    signerName: text.optional(),
  })
  .refine((d) => d.requestedAt.getTime() >= d.receivedAt.getTime(), { message: 'ngày yêu cầu dừng phải từ ngày tiếp nhận trở đi', path: ['requestedAt'] });
export type StopNoticeData = z.input<typeof stopNoticeSchema>;

export async function buildStopNotice(input: StopNoticeData, fonts: FormFonts): Promise<Uint8Array> {
  const data = parseFormData(stopNoticeSchema, input);
  const edition = edition2025;
  const { doc, fonts: embedded } = await createFormDocument(fonts, input);
  const { regular, bold } = embedded;
  const w = new FormWriter(doc, embedded, `${STOP_NOTICE_TITLE} - Mã hồ sơ: ${clean(data.dossierCode)} (tiếp theo)`);
  const centre = edition.receiver(data.unit.unitName);

  drawNationalHeader(w, {
    left: unitHeaderLines(data.unit, edition.divisionLine),
    ...(data.documentNumber ? { number: `Số: ${data.documentNumber}` } : {}),
    placeAndDate: placeAndDate(data.unit, data.date),
    ...numberOf(edition, 'stop'),
  });
  w.moveDown(22);
  w.paragraph([{ text: STOP_NOTICE_TITLE, font: bold }], { size: 14, align: 'center' });
  w.moveDown(10);
  w.paragraph([{ text: 'Kính gửi: ', font: regular }, { text: clean(data.addressee), font: bold, nowrap: true }], { align: 'center' });
  w.moveDown(8);

  w.paragraph([
    { text: `Ngày ${formatVietnamDate(data.receivedAt)}, ${centre} tiếp nhận hồ sơ của ông (bà) về `, font: regular },
    { text: clean(data.procedureName), font: bold },
    { text: ', mã số hồ sơ: ', font: regular },
    { text: clean(data.dossierCode), font: bold, nowrap: true },
    { text: data.decidingAgency ? `, cơ quan giải quyết: ${clean(data.decidingAgency)}.` : '.', font: regular },
  ]);
  w.paragraph([
    { text: `Ngày ${formatVietnamDate(data.requestedAt)}, ông (bà) có yêu cầu dừng giải quyết hồ sơ nêu trên với lý do: `, font: regular },
    { text: clean(data.reason), font: bold },
    { text: '.', font: regular },
  ]);
  w.paragraph([
    { text: `Căn cứ Điều 21 Nghị định số 118/2025/NĐ-CP của Chính phủ, ${centre} thông báo dừng giải quyết hồ sơ nêu trên kể từ `, font: regular },
    { text: dateTimeText(data.date), font: bold, nowrap: true },
    { text: '.', font: regular },
  ]);
  w.paragraph([{ text: 'Xin thông báo để ông (bà) được biết./.', font: regular }]);

  const half = w.contentWidth / 2;
  w.signatures([{ title: clean(data.signerTitle ?? 'NGƯỜI TIẾP NHẬN HỒ SƠ').toUpperCase(), note: '(Ký và ghi rõ họ tên)', ...(data.signerName ? { name: data.signerName } : {}) }], {
    x: w.left + half,
    width: half,
  });

  return saveFormDocument(doc, { title: `${STOP_NOTICE_TITLE} - ${data.dossierCode}`, subject: data.procedureName, date: data.date });
}
