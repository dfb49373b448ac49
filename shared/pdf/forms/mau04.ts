/**
 * Mẫu 04 "Phiếu xin lỗi và hẹn lại ngày trả kết quả" (Circular 01/2018/TT-VPCP): the late agency apologises,
 * gives the reason for the delay and a new appointment; signed by its head.
 */
import { z } from 'zod';
import type { FormFonts } from '../fonts';
import { formatVietnamLongDate } from '../../domain/time';
import { dateTimeText, instant, parseFormData, placeAndDate, text, unitHeaderLines, unitSchema } from './common';
import { clean, createFormDocument, drawNationalHeader, FormWriter, saveFormDocument } from './layout';

export const MAU04_TITLE = 'PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ';

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

export async function buildMau04(input: Mau04Data, fonts: FormFonts): Promise<Uint8Array> {
  const data = parseFormData(mau04Schema, input);
  const { doc, fonts: embedded } = await createFormDocument(fonts, input);
  const { regular, bold } = embedded;
  const w = new FormWriter(doc, embedded, `${MAU04_TITLE} - Mã hồ sơ: ${clean(data.dossierCode)} (tiếp theo)`);
  const agency = clean(data.unit.unitName);

  drawNationalHeader(w, {
    left: unitHeaderLines(data.unit, ''),
    ...(data.documentNumber ? { number: `Số: ${data.documentNumber}` } : {}),
    placeAndDate: placeAndDate(data.unit, data.date),
  });
  w.moveDown(22);
  w.paragraph([{ text: MAU04_TITLE, font: bold }], { size: 14, align: 'center' });
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
  w.paragraph([{ text: `Tuy nhiên đến nay, ${agency} chưa trả kết quả giải quyết hồ sơ của ông (bà) đúng hẹn với lý do: `, font: regular }, { text: clean(data.reason), font: bold }]);
  w.paragraph([
    { text: `Sự chậm trễ này đã gây phiền hà, tốn kém chi phí đi lại của ông (bà). ${agency} xin lỗi ông (bà) và sẽ trả kết quả giải quyết hồ sơ cho ông (bà) vào `, font: regular },
    { text: dateTimeText(data.newAppointmentAt), font: bold, nowrap: true },
    { text: '.', font: regular },
  ]);
  w.paragraph([{ text: 'Xin trân trọng cảm ơn sự hợp tác của ông (bà)./.', font: regular }]);

  const half = w.contentWidth / 2;
  w.signatures([{ title: clean(data.signerTitle ?? 'THỦ TRƯỞNG CƠ QUAN').toUpperCase(), note: '(Ký, ghi rõ họ tên và đóng dấu)', ...(data.signerName ? { name: data.signerName } : {}) }], {
    x: w.left + half,
    width: half,
  });

  return saveFormDocument(doc, { title: `${MAU04_TITLE} - ${data.dossierCode}`, subject: data.procedureName ?? data.dossierCode, date: data.date });
}
