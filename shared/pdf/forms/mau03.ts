/**
 * Mẫu 03 "Phiếu từ chối tiếp nhận giải quyết hồ sơ" (Circular 01/2018/TT-VPCP): the written refusal with
 * the specific reason, signed by the receiving clerk.
 */
import { z } from 'zod';
import type { FormFonts } from '../fonts';
import { edition2018, type FormEdition } from './edition';
import { applicantSchema, numberOf, instant, parseFormData, placeAndDate, text, unitHeaderLines, unitSchema } from './common';
import { clean, createFormDocument, drawNationalHeader, FormWriter, type Run, saveFormDocument } from './layout';

export const MAU03_TITLE = 'PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ';

export const mau03Schema = z.strictObject({
  unit: unitSchema,
  date: instant,
  /** When the dossier was checked and refused (may include its code, if one was issued). */
  dossierCode: text.optional(),
  applicant: applicantSchema,
  procedureName: text,
  /** The specific reason, e.g. "Thủ tục không thuộc thẩm quyền giải quyết của UBND xã". */
  reason: text,
  clerkName: text.optional(),
});
export type Mau03Data = z.input<typeof mau03Schema>;

/** `edition`: the set it is printed in (header, number, and how the receiving side is named). */
export async function buildMau03(input: Mau03Data, fonts: FormFonts, edition: FormEdition = edition2018): Promise<Uint8Array> {
  const data = parseFormData(mau03Schema, input);
  const { doc, fonts: embedded } = await createFormDocument(fonts, input);
  const { regular, bold } = embedded;
  const w = new FormWriter(doc, embedded, `${MAU03_TITLE} - ${clean(data.applicant.fullName)} (tiếp theo)`);

  drawNationalHeader(w, { left: unitHeaderLines(data.unit, edition.divisionLine), placeAndDate: placeAndDate(data.unit, data.date), ...numberOf(edition, 'refusal') });
  w.moveDown(22);
  w.paragraph([{ text: MAU03_TITLE, font: bold }], { size: 14, align: 'center' });
  w.moveDown(12);

  const { applicant } = data;
  w.paragraph([{ text: `${edition.receiver(data.unit.unitName)} tiếp nhận hồ sơ của: `, font: regular }, { text: clean(applicant.fullName), font: bold, nowrap: true }]);
  if (data.dossierCode) w.paragraph([{ text: 'Mã hồ sơ: ', font: regular }, { text: clean(data.dossierCode), font: bold, nowrap: true }]);
  if (applicant.address) w.paragraph([{ text: `Địa chỉ: ${clean(applicant.address)}`, font: regular }]);
  const contact: Run[] = [];
  if (applicant.phone) contact.push({ text: `Số điện thoại: ${clean(applicant.phone)}`, font: regular });
  if (applicant.email) contact.push({ text: `${contact.length ? '; ' : ''}Email: ${clean(applicant.email)}`, font: regular });
  if (contact.length) w.paragraph(contact);
  w.paragraph([{ text: 'Nội dung yêu cầu giải quyết: ', font: regular }, { text: clean(data.procedureName), font: bold }]);
  w.moveDown(4);
  w.paragraph([
    { text: `Qua xem xét, ${edition.receiverShort(data.unit.unitName)} thông báo không tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau: `, font: regular },
    { text: clean(data.reason), font: bold },
  ]);
  w.paragraph([{ text: 'Xin thông báo cho ông (bà) được biết và thực hiện./.', font: regular }]);

  const half = w.contentWidth / 2;
  w.signatures([{ title: 'NGƯỜI TIẾP NHẬN HỒ SƠ', note: '(Ký và ghi rõ họ tên)', ...(data.clerkName ? { name: data.clerkName } : {}) }], { x: w.left + half, width: half });

  return saveFormDocument(doc, { title: `${MAU03_TITLE} - ${data.applicant.fullName}`, subject: data.procedureName, date: data.date });
}
