/**
 * Mẫu 01 "Giấy tiếp nhận hồ sơ và hẹn trả kết quả": the receipt the clerk hands the
 * applicant, printed in two copies — page 1 "Liên: Lưu" (kept with the dossier), page 2 "Liên: Giao khách
 * hàng" (given to the applicant). Layout after the Circular 01/2018/TT-VPCP form; the QR code of the dossier
 * code (for status look-up) follows current local variants.
 *
 * The 2025 edition (Circular 03/2025/TT-VPCP Annex I; exact Annex I layout UNCONFIRMED, after
 * post-merger local receipts): "Mẫu số 01" on top, the centre's own name ending the header, the deciding
 * agency, the holder's CCCD or tax code (MST), the components as a table (STT | Tên giấy tờ | Loại giấy tờ |
 * Số lượng), "6. Phí, lệ phí (nếu có)" and "7." the return channel.
 *
 * Platform-free: fonts come in as bytes (see fonts.ts); the QR code is drawn as one vector path from the
 * `qrcode` package's module matrix, so no canvas is needed.
 */
import type { PDFDocument, PDFPage } from 'pdf-lib';
import { create as createQrCode } from 'qrcode';
import { AppError } from '../errors';
import { LEGAL_BASIS_2025 } from '../domain/legal-basis';
import { edition2018, type FormEdition } from './forms/edition';
import { formatVietnamDateTime, formatVietnamLongDate } from '../domain/time';
import type { FormFonts } from './fonts';
import {
  A4_PORTRAIT,
  BLACK,
  BODY_SIZE,
  clean,
  createFormDocument,
  drawNationalHeader,
  type EmbeddedFonts,
  FormWriter,
  pad2,
  PARAGRAPH_GAP,
  type Run,
  saveFormDocument,
  type TableCell,
  type TableRow,
} from './forms/layout';

/** Moved to forms/layout.ts with the other layout helpers; re-exported for existing callers. */

export interface ReceiptData {
  /** Receiving unit, e.g. "Trung tâm Phục vụ hành chính công xã Demo". */
  readonly unitName: string;
  /** Governing body printed above the unit name, e.g. "UBND xã Demo" (optional). */
  readonly organisationName?: string;
  /** Place in the place-and-date line, e.g. "Xã Demo". */
  readonly place: string;
  readonly dossierCode: string;
  readonly applicant: {
    readonly fullName: string;
    /** 12-digit personal number, or 9-digit old ID. */
    readonly idNumber: string;
    readonly address: string;
    readonly phone: string;
    readonly email?: string;
    /** The dossier belongs to an organisation (its tax code); `fullName` is then the person submitting. */
    readonly organisation?: { readonly name: string; readonly taxCode: string };
    /** An individual the submitter represents. */
    readonly onBehalfOf?: { readonly fullName: string; readonly idNumber?: string; readonly relation?: string };
  };
  readonly procedureName: string;
  /** The components received, in order: a name, or (2025 table) a name with its kind and count. */
  readonly components: readonly (string | ReceiptComponent)[];
  /** Number of sets (bộ) received. */
  readonly sets: number;
  /** Item 3, e.g. "03 ngày làm việc" (see `formatTimeLimit`). */
  readonly timeLimitText: string;
  readonly receivedAt: Date;
  readonly appointmentAt: Date;
  readonly resultDelivery: 'counter' | 'post';
  /** Receiving clerk, printed under the clerk's signature. */
  readonly clerkName?: string;
  /** Register book (Mẫu 06) volume and line, when the unit keeps one. */
  readonly registerBook?: { readonly volume: string; readonly entry: number };
  /** 2025: the agency that decides the dossier (it may differ from the receiving centre). */
  readonly decidingAgency?: string;
  /** 2025: "Phí, lệ phí (nếu có)", from the procedure; none or empty prints "Không". */
  readonly fees?: readonly ReceiptFee[];
}

interface ReceiptComponent {
  readonly name: string;
  /** "Bản chính", "Bản sao có chứng thực"… (Loại giấy tờ); blank when the catalog does not say. */
  readonly kind?: string;
  /** Số lượng; one when absent. */
  readonly quantity?: number;
}

interface ReceiptFee {
  readonly label: string;
  readonly amountVnd?: number;
  readonly text?: string;
}

/** Loại giấy tờ as the 2025 receipt's table says it, from the catalog's copy type (shared/domain/procedure.ts). */
export const componentKindNames = { original: 'Bản chính', 'certified-copy': 'Bản sao có chứng thực', copy: 'Bản sao', photocopy: 'Bản chụp' } as const;

const componentName = (c: string | ReceiptComponent): string => (typeof c === 'string' ? c : c.name);

/** "Lệ phí đăng ký: 50.000 đồng" (dots between thousands, as Vietnamese amounts are written). */
function feeText(fee: ReceiptFee): string {
  const amount = fee.amountVnd === undefined ? undefined : `${String(fee.amountVnd).replace(/\B(?=(\d{3})+(?!\d))/g, '.')} đồng`;
  return `${clean(fee.label)}: ${[amount, fee.text ? clean(fee.text) : undefined].filter(Boolean).join('; ')}`;
}

export const RECEIPT_TITLE = 'GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ';
const RECEIPT_COPIES = ['Lưu', 'Giao khách hàng'] as const;

const MARGIN = A4_PORTRAIT.margin;
const CONTENT_WIDTH = A4_PORTRAIT.size[0] - MARGIN.left - MARGIN.right;
const QR_SIZE = 72;

/** The QR code as one filled path (runs of dark modules per row), top-left corner at (x, top). */
function drawQrCode(page: PDFPage, text: string, x: number, top: number, size: number): void {
  const { modules } = createQrCode(text, { errorCorrectionLevel: 'M' });
  const count = modules.size;
  let path = '';
  for (let row = 0; row < count; row++) {
    let col = 0;
    while (col < count) {
      if (!modules.get(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < count && modules.get(row, col)) col++;
      path += `M${start} ${row}h${col - start}v1h${start - col}z`;
    }
  }
  page.drawSvgPath(path, { x, y: top, scale: size / count, color: BLACK, borderWidth: 0 });
}

function checkReceiptData(data: ReceiptData): void {
  const problems: string[] = [];
  if (!clean(data.unitName)) problems.push('unitName');
  if (!clean(data.dossierCode)) problems.push('dossierCode');
  if (!clean(data.applicant.fullName)) problems.push('applicant.fullName');
  if (!clean(data.procedureName)) problems.push('procedureName');
  if (data.components.length === 0) problems.push('components');
  if (!Number.isInteger(data.sets) || data.sets < 1) problems.push('sets');
  if (Number.isNaN(data.receivedAt.getTime())) problems.push('receivedAt');
  if (Number.isNaN(data.appointmentAt.getTime())) problems.push('appointmentAt');
  if (problems.length > 0) throw new AppError('DOSSIER_INVALID', { fields: problems.join(', ') });
}

function drawCopy(doc: PDFDocument, fonts: EmbeddedFonts, data: ReceiptData, copy: (typeof RECEIPT_COPIES)[number], edition: FormEdition): void {
  const { regular, bold } = fonts;
  const is2025 = edition.legalBasis === LEGAL_BASIS_2025;
  const w = new FormWriter(doc, fonts, `Mã hồ sơ: ${clean(data.dossierCode)} - Liên: ${copy} (tiếp theo)`);
  const left = data.organisationName ? [clean(data.organisationName).toUpperCase()] : [];
  left.push(clean(data.unitName).toUpperCase());
  if (edition.divisionLine) left.push(edition.divisionLine);
  const formNumber = edition.numberLine('receipt');
  drawNationalHeader(w, { left, placeAndDate: `${clean(data.place)}, ${formatVietnamLongDate(data.receivedAt)}`, ...(formNumber ? { formNumber } : {}) });

  // Dossier code, copy and QR code.
  w.moveDown(10);
  const qrTop = w.cursor;
  drawQrCode(w.currentPage, data.dossierCode, MARGIN.left, qrTop, QR_SIZE);
  const besideQr = { x: MARGIN.left + QR_SIZE + 16, width: CONTENT_WIDTH - QR_SIZE - 16 };
  w.moveDown(8);
  w.paragraph([{ text: 'Mã hồ sơ: ', font: regular }, { text: clean(data.dossierCode), font: bold, nowrap: true }], besideQr);
  w.paragraph([{ text: `Liên: ${copy}`, font: bold }], besideQr);
  w.paragraph([{ text: '(Quét mã QR để tra cứu tình trạng hồ sơ)', font: regular }], { ...besideQr, size: 11 });
  w.moveDown(Math.max(0, w.cursor - (qrTop - QR_SIZE)));

  // Title.
  w.moveDown(16);
  w.paragraph([{ text: RECEIPT_TITLE, font: bold }], { size: 14, align: 'center' });
  w.moveDown(10);

  // Applicant and request.
  const { applicant } = data;
  const idLabel = applicant.idNumber.length === 9 ? 'Số Chứng minh nhân dân: ' : 'Số định danh cá nhân: ';
  const holder = applicant.organisation ?? applicant.onBehalfOf;
  const holderName = applicant.organisation?.name ?? applicant.onBehalfOf?.fullName ?? applicant.fullName;
  w.paragraph([{ text: `${clean(data.unitName)} tiếp nhận hồ sơ của: `, font: regular }, { text: clean(holderName), font: bold }]);
  if (applicant.organisation) w.paragraph([{ text: is2025 ? 'Mã số thuế (MST): ' : 'Mã số thuế: ', font: regular }, { text: clean(applicant.organisation.taxCode), font: regular }]);
  if (applicant.onBehalfOf?.idNumber) w.paragraph([{ text: 'Số định danh cá nhân: ', font: regular }, { text: clean(applicant.onBehalfOf.idNumber), font: regular }]);
  if (holder) {
    const relation = applicant.onBehalfOf?.relation ? ` (${clean(applicant.onBehalfOf.relation)})` : '';
    w.paragraph([{ text: 'Người nộp hồ sơ: ', font: regular }, { text: `${clean(applicant.fullName)}${relation}`, font: regular }]);
  }
  // 2025 receipts say "CCCD" (the citizen identity card carries the personal number).
  const label = is2025 ? (applicant.idNumber.length === 9 ? 'Số CMND: ' : 'Số CCCD/định danh cá nhân: ') : idLabel;
  w.paragraph([{ text: holder ? `${label.replace(': ', '')} người nộp: ` : label, font: regular }, { text: clean(applicant.idNumber), font: regular }]);
  w.paragraph([{ text: 'Địa chỉ: ', font: regular }, { text: clean(applicant.address), font: regular }]);
  const contact: Run[] = [{ text: `Số điện thoại: ${clean(applicant.phone)}`, font: regular }];
  if (applicant.email) contact.push({ text: `; Email: ${clean(applicant.email)}`, font: regular });
  w.paragraph(contact);
  w.paragraph([{ text: 'Nội dung yêu cầu giải quyết: ', font: regular }, { text: clean(data.procedureName), font: bold }]);
  if (is2025) w.paragraph([{ text: 'Cơ quan giải quyết hồ sơ: ', font: regular }, { text: clean(data.decidingAgency ?? data.unitName), font: regular }]);

  // Items 1–6 (2018) or 1–7 (2025).
  w.paragraph([{ text: '1. Thành phần hồ sơ nộp gồm:', font: regular }]);
  if (is2025) {
    const cell = (value: string): TableCell => [[{ text: value, font: regular }]];
    w.table(
      [
        { heading: 'STT', width: 8, align: 'center' },
        { heading: 'Tên giấy tờ', width: 56 },
        { heading: 'Loại giấy tờ', width: 24, align: 'center' },
        { heading: 'Số lượng', width: 12, align: 'center' },
      ],
      data.components.map((c, i): TableRow => [cell(String(i + 1)), cell(clean(componentName(c))), cell(typeof c === 'string' || !c.kind ? '' : clean(c.kind)), cell(pad2(typeof c === 'string' ? 1 : (c.quantity ?? 1)))]),
      { size: 11.5, headerSize: 11.5 },
    );
    w.moveDown(PARAGRAPH_GAP);
  } else {
    const listIndent = 18;
    data.components.forEach((component, i) => {
      const label = `(${i + 1}) `;
      const labelWidth = regular.widthOfTextAtSize(label, BODY_SIZE);
      w.paragraph([{ text: `${label}${clean(componentName(component))}`, font: regular }], {
        x: MARGIN.left + listIndent,
        width: CONTENT_WIDTH - listIndent,
        hangingIndent: labelWidth,
      });
    });
  }
  w.paragraph([{ text: `2. Số lượng hồ sơ: ${pad2(data.sets)} (bộ)`, font: regular }]);
  w.paragraph([{ text: '3. Thời hạn giải quyết hồ sơ theo quy định: ', font: regular }, { text: clean(data.timeLimitText), font: regular }]);
  w.paragraph([{ text: '4. Thời gian nhận hồ sơ: ', font: regular }, { text: formatVietnamDateTime(data.receivedAt), font: regular, nowrap: true }]);
  w.paragraph([{ text: '5. Thời gian trả kết quả giải quyết hồ sơ: ', font: regular }, { text: formatVietnamDateTime(data.appointmentAt), font: bold, nowrap: true }]);
  const postal = 'Qua dịch vụ bưu chính công ích, về địa chỉ nêu trên';
  if (is2025) {
    const fees = (data.fees ?? []).map(feeText);
    w.paragraph([{ text: '6. Phí, lệ phí (nếu có): ', font: regular }, { text: fees.length > 0 ? fees.join('; ') : 'Không', font: regular }]);
    const channel = data.resultDelivery === 'counter' ? `Trực tiếp tại ${edition.receiver(data.unitName)}` : postal;
    w.paragraph([{ text: '7. Hình thức nhận kết quả: ', font: regular }, { text: channel, font: regular }]);
  } else {
    const delivery = data.resultDelivery === 'counter' ? edition.receiver(data.unitName) : postal;
    w.paragraph([{ text: '6. Đăng ký nhận kết quả tại: ', font: regular }, { text: delivery, font: regular }]);
  }
  if (data.registerBook) {
    w.paragraph([{ text: `Vào Sổ theo dõi hồ sơ, Quyển số: ${clean(data.registerBook.volume)}, Số thứ tự: ${data.registerBook.entry}`, font: regular }]);
  }

  // Signatures: two columns; names under a space for the handwritten signature.
  w.signatures([
    { title: 'NGƯỜI NỘP HỒ SƠ', note: '(Ký và ghi rõ họ tên)', name: applicant.fullName },
    { title: 'NGƯỜI TIẾP NHẬN HỒ SƠ', note: '(Ký và ghi rõ họ tên)', ...(data.clerkName ? { name: data.clerkName } : {}) },
  ]);
}

/**
 * Builds the two-copy receipt in `edition` (the dossier's set: `editionOf(legalBasisOf(dossier))`).
 * Deterministic for the same data and fonts (dates come from the data).
 */
export async function buildReceiptPdf(data: ReceiptData, fonts: FormFonts, edition: FormEdition = edition2018): Promise<Uint8Array> {
  checkReceiptData(data);
  const { doc, fonts: embedded } = await createFormDocument(fonts, data);
  for (const copy of RECEIPT_COPIES) drawCopy(doc, embedded, data, copy, edition);
  return saveFormDocument(doc, { title: `${RECEIPT_TITLE} - ${clean(data.dossierCode)}`, subject: data.procedureName, date: data.receivedAt });
}
