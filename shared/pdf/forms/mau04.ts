/**
 * Mẫu 04 "Phiếu xin lỗi và hẹn lại ngày trả kết quả" (Circular 01/2018/TT-VPCP): the late agency apologises,
 * gives the reason for the delay and a new appointment; signed by its head.
 *
 * Mẫu 04 of Circular 03/2025/TT-VPCP is the same letter sent under Decree 118 Art. 19.6 (at least one day
 * before the deadline): the apology, the reason, and the extension the agency PROPOSES. Its title is taken
 * from the published list of Annex I, "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết" (Art. 19.6
 * itself says "Phiếu đề nghị gia hạn thời gian giải quyết"); UNCONFIRMED, see docs/forms.md.
 */
import { z } from 'zod';
import type { FormFonts } from '../fonts';
import { formatVietnamLongDate } from '../../domain/time';
import { edition2018, type FormEdition } from './edition';
import { LEGAL_BASIS_2025 } from '../../domain/legal-basis';
import { dateTimeText, instant, numberOf, parseFormData, placeAndDate, text, unitHeaderLines, unitSchema } from './common';
import { clean, createFormDocument, drawNationalHeader, FormWriter, saveFormDocument } from './layout';

export const MAU04_TITLE = 'PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ';
export const MAU04_2025_TITLE = 'VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT';

export const mau04Schema = z
  .strictObject({
    /** The late agency (unitName), its governing body and place. */
    unit: unitSchema,
    /** Document number, e.g. "15/PXL-UBND" (printed as "Số: …"). */
    documentNumber: text.optional(),
    date: instant,
    /** "Kính gửi: …", e.g. "Bà Nguyễn Thị Ánh Tuyết". */
    addressee: text,
    dossierCode: text,
    procedureName: text.optional(),
    receivedAt: instant,
    appointmentAt: instant,
    reason: text,
    newAppointmentAt: instant,
    /** e.g. "CHỦ TỊCH" or "GIÁM ĐỐC"; default "THỦ TRƯỞNG CƠ QUAN". */
    signerTitle: text.optional(),
    signerName: text.optional(),
  })
  .refine((d) => d.newAppointmentAt.getTime() > d.appointmentAt.getTime(), {
    message: 'ngày hẹn mới phải sau ngày hẹn cũ',
    path: ['newAppointmentAt'],
  });
export type Mau04Data = z.input<typeof mau04Schema>;

/** `edition`: the 2018 apology with a new appointment, or the 2025 apology proposing an extension. */
export async function buildMau04(input: Mau04Data, fonts: FormFonts, edition: FormEdition = edition2018): Promise<Uint8Array> {
  const data = parseFormData(mau04Schema, input);
  const proposes = edition.legalBasis === LEGAL_BASIS_2025;
  const title = proposes ? MAU04_2025_TITLE : MAU04_TITLE;
  const { doc, fonts: embedded } = await createFormDocument(fonts, input);
  const { regular, bold } = embedded;
  const w = new FormWriter(doc, embedded, `${title} - Mã hồ sơ: ${clean(data.dossierCode)} (tiếp theo)`);
  const agency = clean(data.unit.unitName);

  drawNationalHeader(w, {
    left: unitHeaderLines(data.unit, ''),
    ...(data.documentNumber ? { number: `Số: ${data.documentNumber}` } : {}),
    placeAndDate: placeAndDate(data.unit, data.date),
    ...numberOf(edition, 'apology'),
  });
  w.moveDown(22);
  w.paragraph([{ text: title, font: bold }], { size: 14, align: 'center' });
  w.moveDown(10);
  w.paragraph([{ text: 'Kính gửi: ', font: regular }, { text: clean(data.addressee), font: bold, nowrap: true }], { align: 'center' });
  w.moveDown(8);

  w.paragraph([
    { text: `Ngày ${formatVietnamLongDate(data.receivedAt).replace(/^ngày /, '')}, ${agency} tiếp nhận giải quyết hồ sơ của ông (bà)`, font: regular },
    ...(data.procedureName ? [{ text: ` về ${clean(data.procedureName)}`, font: regular }] : []),
    { text: ', mã số hồ sơ: ', font: regular },
    { text: clean(data.dossierCode), font: bold, nowrap: true },
    { text: '.', font: regular },
  ]);
  w.paragraph([{ text: 'Thời gian hẹn trả kết quả giải quyết hồ sơ: ', font: regular }, { text: dateTimeText(data.appointmentAt), font: regular, nowrap: true }, { text: '.', font: regular }]);
  // 2025: written before the deadline (Art. 19.6), so the result "cannot be" returned on time rather than "was not".
  const delay = proposes ? `Tuy nhiên, ${agency} không thể trả kết quả giải quyết hồ sơ của ông (bà) đúng hẹn với lý do: ` : `Tuy nhiên đến nay, ${agency} chưa trả kết quả giải quyết hồ sơ của ông (bà) đúng hẹn với lý do: `;
  w.paragraph([{ text: delay, font: regular }, { text: clean(data.reason), font: bold }]);
  w.paragraph([
    {
      text: proposes
        ? `${agency} xin lỗi ông (bà) vì sự chậm trễ này và đề nghị gia hạn thời gian giải quyết hồ sơ, hẹn trả kết quả cho ông (bà) vào `
        : `Sự chậm trễ này đã gây phiền hà, tốn kém chi phí đi lại của ông (bà). ${agency} xin lỗi ông (bà) và sẽ trả kết quả giải quyết hồ sơ cho ông (bà) vào `,
      font: regular,
    },
    { text: dateTimeText(data.newAppointmentAt), font: bold, nowrap: true },
    { text: '.', font: regular },
  ]);
  w.paragraph([{ text: 'Xin trân trọng cảm ơn sự hợp tác của ông (bà)./.', font: regular }]);

  const half = w.contentWidth / 2;
  w.signatures([{ title: clean(data.signerTitle ?? 'THỦ TRƯỞNG CƠ QUAN').toUpperCase(), note: '(Ký, ghi rõ họ tên và đóng dấu)', ...(data.signerName ? { name: data.signerName } : {}) }], {
    x: w.left + half,
    width: half,
  });

  return saveFormDocument(doc, { title: `${title} - ${data.dossierCode}`, subject: data.procedureName ?? data.dossierCode, date: data.date });
}
