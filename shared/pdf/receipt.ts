/**
 * Mẫu 01 "Giấy tiếp nhận hồ sơ và hẹn trả kết quả" (domain.md §3): the receipt the clerk hands the
 * applicant, printed in two copies — page 1 "Liên: Lưu" (kept with the dossier), page 2 "Liên: Giao khách
 * hàng" (given to the applicant). Layout after the Circular 01/2018/TT-VPCP form; the QR code of the dossier
 * code (for status look-up) follows current local variants.
 *
 * Platform-free: fonts come in as bytes (see fonts.ts); the QR code is drawn as one vector path from the
 * `qrcode` package's module matrix, so no canvas is needed.
 */
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, type PDFFont, type PDFPage, PageSizes, rgb } from 'pdf-lib';
import { create as createQrCode } from 'qrcode';
import { AppError } from '../errors';
import { sha256 } from '../util/bytes';
import { formatVietnamDateTime, formatVietnamLongDate } from '../domain/time';
import type { FormFonts } from './fonts';

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
  };
  readonly procedureName: string;
  /** Names of the components received, in order. */
  readonly components: readonly string[];
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
}

export const RECEIPT_TITLE = 'GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ';
export const RECEIPT_COPIES = ['Lưu', 'Giao khách hàng'] as const;

const [PAGE_WIDTH, PAGE_HEIGHT] = PageSizes.A4;
/** Margins of Vietnamese administrative documents: left 30 mm, right 15–20 mm, top/bottom 20 mm. */
const MARGIN = { left: 85, right: 45, top: 56, bottom: 56 } as const;
const CONTENT_WIDTH = PAGE_WIDTH - MARGIN.left - MARGIN.right;
const HEADER_LEFT_WIDTH = 195;
const HEADER_GAP = 8;
const BODY_SIZE = 13;
const LINE_GAP = 1.3;
/** Extra space after each left-aligned paragraph, so wrapped items stay visibly apart. */
const PARAGRAPH_GAP = 2.5;
const QR_SIZE = 72;
const BLACK = rgb(0, 0, 0);

interface Run {
  readonly text: string;
  readonly font: PDFFont;
  /** Keep on one line if it fits a line at all (names, dates). */
  readonly nowrap?: boolean;
}

interface PlacedRun extends Run {
  readonly width: number;
}

interface Line {
  readonly runs: readonly PlacedRun[];
  readonly width: number;
}

/** Text as Unicode NFC: the fonts carry precomposed Vietnamese letters, not combining sequences. */
const nfc = (text: string): string => text.normalize('NFC').replace(/\s+/g, ' ');
/** A field value: NFC, single spaces, no spaces at the ends. */
const clean = (text: string): string => nfc(text).trim();
const pad2 = (n: number): string => String(n).padStart(2, '0');

/**
 * Greedy word wrap of runs in different fonts. `firstWidth` applies to the first line, `restWidth` to the
 * others (for hanging indents). A word wider than a line is cut between characters.
 */
export function wrapRuns(runs: readonly Run[], size: number, firstWidth: number, restWidth = firstWidth): Line[] {
  const lines: Line[] = [];
  let current: PlacedRun[] = [];
  let currentWidth = 0;
  let pendingSpace: PlacedRun | undefined;
  const limit = (): number => (lines.length === 0 ? firstWidth : restWidth);
  const flush = (): void => {
    lines.push({ runs: current, width: currentWidth });
    current = [];
    currentWidth = 0;
    pendingSpace = undefined;
  };
  const measure = (text: string, font: PDFFont): PlacedRun => ({ text, font, width: font.widthOfTextAtSize(text, size) });

  for (const run of runs) {
    const text = nfc(run.text);
    const tokens = run.nowrap && run.font.widthOfTextAtSize(text.trim(), size) <= restWidth ? [text.trim()] : text.split(/( )/);
    for (const token of tokens) {
      if (token === '') continue;
      if (token === ' ') {
        if (current.length > 0) pendingSpace = measure(' ', run.font);
        continue;
      }
      let word = measure(token, run.font);
      const spaceWidth = pendingSpace?.width ?? 0;
      if (current.length > 0 && currentWidth + spaceWidth + word.width > limit()) flush();
      // Cut a word that cannot fit on an empty line (e.g. a long code or URL).
      while (current.length === 0 && word.width > limit() && word.text.length > 1) {
        let cut = word.text.length - 1;
        while (cut > 1 && run.font.widthOfTextAtSize(word.text.slice(0, cut), size) > limit()) cut--;
        current.push(measure(word.text.slice(0, cut), run.font));
        currentWidth = current[0]?.width ?? 0;
        flush();
        word = measure(word.text.slice(cut), run.font);
      }
      if (pendingSpace && current.length > 0) {
        current.push(pendingSpace);
        currentWidth += pendingSpace.width;
      }
      current.push(word);
      currentWidth += word.width;
      pendingSpace = undefined;
    }
  }
  if (current.length > 0) flush();
  return lines;
}

/**
 * Centred headings wrapped greedily leave a short last line ("BỘ PHẬN TIẾP NHẬN VÀ TRẢ / KẾT QUẢ"); use the
 * narrowest width that keeps the same number of lines instead ("BỘ PHẬN TIẾP NHẬN / VÀ TRẢ KẾT QUẢ").
 */
function balance(runs: readonly Run[], size: number, width: number, greedy: Line[]): Line[] {
  let low = width / greedy.length;
  let high = width;
  let best = greedy;
  while (high - low > 1) {
    const middle = (low + high) / 2;
    const attempt = wrapRuns(runs, size, middle);
    if (attempt.length <= greedy.length) {
      best = attempt;
      high = middle;
    } else {
      low = middle;
    }
  }
  return best;
}

/** Draws one copy; starts new pages when the content does not fit (very long component lists). */
class CopyWriter {
  private page: PDFPage;
  private y: number;

  /**
   * @param continuation caption at the top of every further page of this copy, so a loose sheet still
   *   says which dossier and copy it belongs to.
   */
  constructor(
    private readonly doc: PDFDocument,
    private readonly fonts: { readonly regular: PDFFont; readonly bold: PDFFont },
    private readonly continuation: string,
  ) {
    this.page = doc.addPage(PageSizes.A4);
    this.y = PAGE_HEIGHT - MARGIN.top;
  }

  get cursor(): number {
    return this.y;
  }

  get currentPage(): PDFPage {
    return this.page;
  }

  moveDown(points: number): void {
    this.y -= points;
  }

  /** Makes room for `height` points, continuing on a new page if needed. */
  ensureSpace(height: number): void {
    if (this.y - height >= MARGIN.bottom) return;
    this.page = this.doc.addPage(PageSizes.A4);
    this.y = PAGE_HEIGHT - MARGIN.top;
    const size = 11;
    this.page.drawText(this.continuation, { x: MARGIN.left, y: this.y - size, size, font: this.fonts.regular, color: BLACK });
    this.y -= size * LINE_GAP + 8;
  }

  private drawLine(line: Line, x: number, size: number): void {
    let cursorX = x;
    for (const run of line.runs) {
      if (run.text !== ' ') this.page.drawText(run.text, { x: cursorX, y: this.y - size, size, font: run.font, color: BLACK });
      cursorX += run.width;
    }
  }

  /** A paragraph at `x` wide `width`; continuation lines start `hangingIndent` further right. */
  paragraph(runs: readonly Run[], options: { size?: number; x?: number; width?: number; hangingIndent?: number; align?: 'left' | 'center' } = {}): void {
    const size = options.size ?? BODY_SIZE;
    const x = options.x ?? MARGIN.left;
    const width = options.width ?? CONTENT_WIDTH;
    const indent = options.hangingIndent ?? 0;
    const lineHeight = size * LINE_GAP;
    let lines = wrapRuns(runs, size, width, width - indent);
    if (options.align === 'center' && lines.length > 1) lines = balance(runs, size, width, lines);
    for (const [i, line] of lines.entries()) {
      this.ensureSpace(lineHeight);
      const lineX = options.align === 'center' ? x + (width - line.width) / 2 : x + (i === 0 ? 0 : indent);
      this.drawLine(line, lineX, size);
      this.y -= lineHeight;
    }
    if (options.align !== 'center') this.y -= PARAGRAPH_GAP;
  }

  /** A short centred rule under a header block, clear of the descenders of the line above. */
  rule(centerX: number, width: number): void {
    const y = this.y - 3;
    this.page.drawLine({ start: { x: centerX - width / 2, y }, end: { x: centerX + width / 2, y }, thickness: 0.7, color: BLACK });
    this.y -= 6;
  }
}

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

function drawCopy(doc: PDFDocument, fonts: { regular: PDFFont; bold: PDFFont }, data: ReceiptData, copy: (typeof RECEIPT_COPIES)[number]): void {
  const { regular, bold } = fonts;
  const w = new CopyWriter(doc, fonts, `Mã hồ sơ: ${clean(data.dossierCode)} - Liên: ${copy} (tiếp theo)`);
  const top = w.cursor;

  // Header, left: the receiving unit and its division.
  const leftCenter = MARGIN.left + HEADER_LEFT_WIDTH / 2;
  const headerLeft = { x: MARGIN.left, width: HEADER_LEFT_WIDTH, size: 12, align: 'center' as const };
  if (data.organisationName) w.paragraph([{ text: clean(data.organisationName).toUpperCase(), font: regular }], headerLeft);
  w.paragraph([{ text: clean(data.unitName).toUpperCase(), font: data.organisationName ? regular : bold }], headerLeft);
  w.paragraph([{ text: 'BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ', font: bold }], headerLeft);
  w.rule(leftCenter, 60);
  const leftBottom = w.cursor;

  // Header, right: national title and motto, drawn from the same top.
  w.moveDown(w.cursor - top);
  const rightX = MARGIN.left + HEADER_LEFT_WIDTH + HEADER_GAP;
  const rightWidth = CONTENT_WIDTH - HEADER_LEFT_WIDTH - HEADER_GAP;
  const rightCenter = rightX + rightWidth / 2;
  const headerRight = { x: rightX, width: rightWidth, align: 'center' as const };
  w.paragraph([{ text: 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', font: bold }], { ...headerRight, size: 12 });
  const motto = 'Độc lập - Tự do - Hạnh phúc';
  w.paragraph([{ text: motto, font: bold }], { ...headerRight, size: 13 });
  w.rule(rightCenter, bold.widthOfTextAtSize(motto, 13));
  w.moveDown(6);
  w.paragraph([{ text: `${clean(data.place)}, ${formatVietnamLongDate(data.receivedAt)}`, font: regular }], headerRight);
  w.moveDown(Math.max(0, w.cursor - leftBottom));

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
  w.paragraph([{ text: `${clean(data.unitName)} tiếp nhận hồ sơ của: `, font: regular }, { text: clean(applicant.fullName), font: bold, nowrap: true }]);
  w.paragraph([{ text: idLabel, font: regular }, { text: clean(applicant.idNumber), font: regular }]);
  w.paragraph([{ text: 'Địa chỉ: ', font: regular }, { text: clean(applicant.address), font: regular }]);
  const contact: Run[] = [{ text: `Số điện thoại: ${clean(applicant.phone)}`, font: regular }];
  if (applicant.email) contact.push({ text: `; Email: ${clean(applicant.email)}`, font: regular });
  w.paragraph(contact);
  w.paragraph([{ text: 'Nội dung yêu cầu giải quyết: ', font: regular }, { text: clean(data.procedureName), font: bold }]);

  // Items 1–6.
  w.paragraph([{ text: '1. Thành phần hồ sơ nộp gồm:', font: regular }]);
  const listIndent = 18;
  data.components.forEach((component, i) => {
    const label = `(${i + 1}) `;
    const labelWidth = regular.widthOfTextAtSize(label, BODY_SIZE);
    w.paragraph([{ text: `${label}${clean(component)}`, font: regular }], {
      x: MARGIN.left + listIndent,
      width: CONTENT_WIDTH - listIndent,
      hangingIndent: labelWidth,
    });
  });
  w.paragraph([{ text: `2. Số lượng hồ sơ: ${pad2(data.sets)} (bộ)`, font: regular }]);
  w.paragraph([{ text: '3. Thời hạn giải quyết hồ sơ theo quy định: ', font: regular }, { text: clean(data.timeLimitText), font: regular }]);
  w.paragraph([{ text: '4. Thời gian nhận hồ sơ: ', font: regular }, { text: formatVietnamDateTime(data.receivedAt), font: regular, nowrap: true }]);
  w.paragraph([{ text: '5. Thời gian trả kết quả giải quyết hồ sơ: ', font: regular }, { text: formatVietnamDateTime(data.appointmentAt), font: bold, nowrap: true }]);
  const delivery = data.resultDelivery === 'counter' ? `Bộ phận Tiếp nhận và Trả kết quả, ${clean(data.unitName)}` : 'Qua dịch vụ bưu chính công ích, về địa chỉ nêu trên';
  w.paragraph([{ text: '6. Đăng ký nhận kết quả tại: ', font: regular }, { text: delivery, font: regular }]);
  if (data.registerBook) {
    w.paragraph([{ text: `Vào Sổ theo dõi hồ sơ, Quyển số: ${clean(data.registerBook.volume)}, Số thứ tự: ${data.registerBook.entry}`, font: regular }]);
  }

  // Signatures: two columns; names under a space for the handwritten signature.
  const signatureHeight = 2 * BODY_SIZE * LINE_GAP + 64 + BODY_SIZE * LINE_GAP;
  w.moveDown(14);
  w.ensureSpace(signatureHeight);
  const signTop = w.cursor;
  const half = CONTENT_WIDTH / 2;
  const column = (x: number, title: string, name: string | undefined): void => {
    w.moveDown(w.cursor - signTop);
    const options = { x, width: half, align: 'center' as const };
    w.paragraph([{ text: title, font: bold }], options);
    w.paragraph([{ text: '(Ký và ghi rõ họ tên)', font: regular }], { ...options, size: 12 });
    w.moveDown(64);
    if (name) w.paragraph([{ text: clean(name), font: bold }], options);
  };
  column(MARGIN.left, 'NGƯỜI NỘP HỒ SƠ', applicant.fullName);
  column(MARGIN.left + half, 'NGƯỜI TIẾP NHẬN HỒ SƠ', data.clerkName);
}

/**
 * "ABCDEF+PostScriptName", the name PDF 32000-1 §9.6.4 gives a font subset (pdf-lib's own name has a
 * "-1234" suffix, which tools do not recognise as a subset). The tag is derived from the font and the
 * receipt's text, so it is reproducible and differs between subsets when receipts are merged into one file.
 */
function subsetFontName(fontBytes: Uint8Array, data: ReceiptData): string {
  const postscriptName = (fontkit.create(fontBytes).postscriptName ?? 'Font').replace(/[^\x21-\x7e]|[()<>[\]{}/%#]/g, '');
  const digest = sha256(new TextEncoder().encode(`${postscriptName}\n${JSON.stringify(data)}`));
  const tag = Array.from(digest.subarray(0, 6), (byte) => String.fromCharCode(65 + (byte % 26))).join('');
  return `${tag}+${postscriptName}`;
}

/** Builds the two-copy receipt. Deterministic for the same data and fonts (dates come from the data). */
export async function buildReceiptPdf(data: ReceiptData, fonts: FormFonts): Promise<Uint8Array> {
  checkReceiptData(data);
  if (fonts.regular.length === 0) throw new AppError('FILE_EMPTY', { name: 'regular font' });
  if (fonts.bold.length === 0) throw new AppError('FILE_EMPTY', { name: 'bold font' });

  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.registerFontkit(fontkit);
  const embedded = {
    regular: await doc.embedFont(fonts.regular, { subset: true, customName: subsetFontName(fonts.regular, data) }),
    bold: await doc.embedFont(fonts.bold, { subset: true, customName: subsetFontName(fonts.bold, data) }),
  };
  for (const copy of RECEIPT_COPIES) drawCopy(doc, embedded, data, copy);

  doc.setTitle(`${RECEIPT_TITLE} - ${clean(data.dossierCode)}`);
  doc.setSubject(clean(data.procedureName));
  doc.setLanguage('vi-VN');
  doc.setCreator('motcua-kiosk');
  doc.setProducer('motcua-kiosk (pdf-lib)');
  doc.setCreationDate(data.receivedAt);
  doc.setModificationDate(data.receivedAt);
  return doc.save();
}
