/**
 * Mẫu 02 "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ" (Circular 01/2018/TT-VPCP; the same form is Mẫu 02 of Circular 03/2025/TT-VPCP): the written guidance the
 * clerk gives — once — listing each component to add or correct, the copy type wanted and why, and whom
 * to contact. Signed by the guiding clerk.
 */
import { z } from 'zod';
import type { FormFonts } from '../fonts';
import { edition2018, type FormEdition } from './edition';
import { applicantSchema, instant, numberOf, parseFormData, placeAndDate, text, unitHeaderLines, unitSchema } from './common';
import { clean, createFormDocument, drawNationalHeader, FormWriter, type Run, saveFormDocument } from './layout';

export const MAU02_TITLE = 'PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ';

/** How the component must be provided. */
export const copyTypeLabels = {
  original: 'Bản chính',
  'certified-copy': 'Bản sao có chứng thực',
  'copy-with-original': 'Bản sao kèm bản chính để đối chiếu',
  photocopy: 'Bản sao (photocopy)',
} as const;

export const mau02Schema = z.strictObject({
  unit: unitSchema,
  /** Date of the request (place-and-date line). */
  date: instant,
  dossierCode: text.optional(),
  applicant: applicantSchema,
  procedureName: text,
  items: z
    .array(
      z.strictObject({
        /** The component, e.g. "Tờ khai đăng ký khai sinh". */
        component: text,
        copyType: z.enum(['original', 'certified-copy', 'copy-with-original', 'photocopy']),
        /** What to add or correct, e.g. "Ghi đầy đủ ngày sinh của người mẹ". */
        request: text.optional(),
        reason: text,
      }),
    )
    .min(1),
  /** Who answers questions while the applicant completes the dossier. */
  contact: z.strictObject({ name: text, phone: text }),
  /** The guiding clerk, under the signature. */
  clerkName: text.optional(),
});
export type Mau02Data = z.input<typeof mau02Schema>;

/** `edition`: the set it is printed in (header and number; the wording is the same in 2018 and 2025). */
export async function buildMau02(input: Mau02Data, fonts: FormFonts, edition: FormEdition = edition2018): Promise<Uint8Array> {
  const data = parseFormData(mau02Schema, input);
  const { doc, fonts: embedded } = await createFormDocument(fonts, input);
  const { regular, bold } = embedded;
  const w = new FormWriter(doc, embedded, `${MAU02_TITLE}${data.dossierCode ? ` - Mã hồ sơ: ${clean(data.dossierCode)}` : ''} (tiếp theo)`);

  drawNationalHeader(w, { left: unitHeaderLines(data.unit, edition.divisionLine), placeAndDate: placeAndDate(data.unit, data.date), ...numberOf(edition, 'supplement') });
  w.moveDown(22);
  w.paragraph([{ text: MAU02_TITLE, font: bold }], { size: 14, align: 'center' });
  w.moveDown(12);

  const { applicant } = data;
  w.paragraph([{ text: 'Hồ sơ của: ', font: regular }, { text: clean(applicant.fullName), font: bold, nowrap: true }]);
  if (data.dossierCode) w.paragraph([{ text: 'Mã hồ sơ: ', font: regular }, { text: clean(data.dossierCode), font: bold, nowrap: true }]);
  w.paragraph([{ text: 'Nội dung yêu cầu giải quyết: ', font: regular }, { text: clean(data.procedureName), font: bold }]);
  if (applicant.address) w.paragraph([{ text: `Địa chỉ: ${clean(applicant.address)}`, font: regular }]);
  const contact: Run[] = [];
  if (applicant.phone) contact.push({ text: `Số điện thoại: ${clean(applicant.phone)}`, font: regular });
  if (applicant.email) contact.push({ text: `${contact.length ? '; ' : ''}Email: ${clean(applicant.email)}`, font: regular });
  if (contact.length) w.paragraph(contact);

  w.paragraph([{ text: 'Yêu cầu hoàn thiện hồ sơ gồm những nội dung sau:', font: regular }]);
  const indent = 18;
  data.items.forEach((item, i) => {
    const label = `${i + 1}. `;
    const hanging = regular.widthOfTextAtSize(label, 13);
    const place = { x: w.left + indent, width: w.contentWidth - indent, hangingIndent: hanging };
    w.paragraph([{ text: label, font: regular }, { text: clean(item.component), font: bold }, { text: ` (${copyTypeLabels[item.copyType]})`, font: regular }], place);
    const sub = { x: w.left + indent + hanging, width: w.contentWidth - indent - hanging };
    if (item.request) w.paragraph([{ text: `Nội dung bổ sung, hoàn thiện: ${clean(item.request)}`, font: regular }], sub);
    w.paragraph([{ text: `Lý do: ${clean(item.reason)}`, font: regular }], sub);
  });

  w.moveDown(4);
  w.paragraph([
    { text: 'Trong quá trình hoàn thiện hồ sơ nếu có vướng mắc, ông (bà) liên hệ với ', font: regular },
    { text: clean(data.contact.name), font: bold, nowrap: true },
    { text: ', số điện thoại ', font: regular },
    { text: clean(data.contact.phone), font: bold, nowrap: true },
    { text: ' để được hướng dẫn./.', font: regular },
  ]);

  const half = w.contentWidth / 2;
  w.signatures([{ title: 'NGƯỜI HƯỚNG DẪN', note: '(Ký và ghi rõ họ tên)', ...(data.clerkName ? { name: data.clerkName } : {}) }], { x: w.left + half, width: half });

  return saveFormDocument(doc, { title: `${MAU02_TITLE}${data.dossierCode ? ` - ${data.dossierCode}` : ''}`, subject: data.procedureName, date: data.date });
}
