/**
 * Building blocks of the printed forms (Mẫu 01–06): Unicode NFC text, word wrap across fonts, a page writer
 * that continues on new pages, the two-column national header, bordered tables whose header row repeats on
 * every page, signature columns, subset font names and document metadata.
 *
 * Platform-free: fonts come in as bytes (see ../fonts.ts).
 */
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, type PDFFont, type PDFPage, PageSizes, rgb } from 'pdf-lib';
import { AppError } from '../../errors';
import { sha256 } from '../../util/bytes';
import type { FormFonts } from '../fonts';

export const BLACK = rgb(0, 0, 0);
export const BODY_SIZE = 13;
export const LINE_GAP = 1.3;
/** Extra space after each left-aligned paragraph, so wrapped items stay visibly apart. */
export const PARAGRAPH_GAP = 2.5;

export interface PageGeometry {
  readonly size: readonly [number, number];
  /** Margins of Vietnamese administrative documents: left 30 mm, right 15–20 mm, top/bottom 20 mm. */
  readonly margin: { readonly left: number; readonly right: number; readonly top: number; readonly bottom: number };
}

export const A4_PORTRAIT: PageGeometry = { size: PageSizes.A4, margin: { left: 85, right: 45, top: 56, bottom: 56 } };
/** Register books are kept in landscape; the binding edge stays on the left. */
export const A4_LANDSCAPE: PageGeometry = { size: [PageSizes.A4[1], PageSizes.A4[0]], margin: { left: 56, right: 40, top: 45, bottom: 45 } };

export interface EmbeddedFonts {
  readonly regular: PDFFont;
  readonly bold: PDFFont;
}

export interface Run {
  readonly text: string;
  readonly font: PDFFont;
  /** Keep on one line if it fits a line at all (names, dates). */
  readonly nowrap?: boolean;
}

interface PlacedRun extends Run {
  readonly width: number;
}

export interface Line {
  readonly runs: readonly PlacedRun[];
  readonly width: number;
}

/** Text as Unicode NFC: the fonts carry precomposed Vietnamese letters, not combining sequences. */
const nfc = (text: string): string => text.normalize('NFC').replace(/\s+/g, ' ');
/** A field value: NFC, single spaces, no spaces at the ends. */
export const clean = (text: string): string => nfc(text).trim();
export const pad2 = (n: number): string => String(n).padStart(2, '0');

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
        // The longest prefix that fits, by bisection: a prefix's width grows with its length, and cutting
        // character by character was cubic in the word's length (a 3,000-character word took minutes).
        let fits = 1;
        let tooWide = word.text.length;
        while (tooWide - fits > 1) {
          const middle = (fits + tooWide) >> 1;
          if (run.font.widthOfTextAtSize(word.text.slice(0, middle), size) > limit()) tooWide = middle;
          else fits = middle;
        }
        const cut = fits;
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

export interface ParagraphOptions {
  readonly size?: number;
  readonly x?: number;
  readonly width?: number;
  readonly hangingIndent?: number;
  readonly align?: 'left' | 'center';
}

/** One table column: its heading and its share of the table width. */
export interface TableColumn {
  readonly heading: string;
  readonly width: number;
  readonly align?: 'left' | 'center';
}

/** A table cell: paragraphs, each a list of runs. */
export type TableCell = readonly (readonly Run[])[];
/** A table row: one cell per column. */
export type TableRow = readonly TableCell[];

/** Writes top to bottom; starts new pages when the content does not fit. */
export class FormWriter {
  private page: PDFPage;
  private y: number;
  /** Called after a new page's continuation caption, e.g. to repeat a table's header row. */
  private onNewPage: (() => void) | undefined;

  /**
   * @param continuation caption at the top of every further page, so a loose sheet still says which
   *   dossier (and copy) it belongs to.
   */
  constructor(
    private readonly doc: PDFDocument,
    readonly fonts: EmbeddedFonts,
    private readonly continuation: string,
    readonly geometry: PageGeometry = A4_PORTRAIT,
  ) {
    this.page = doc.addPage([geometry.size[0], geometry.size[1]]);
    this.y = geometry.size[1] - geometry.margin.top;
  }

  get left(): number {
    return this.geometry.margin.left;
  }

  get contentWidth(): number {
    return this.geometry.size[0] - this.geometry.margin.left - this.geometry.margin.right;
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
    if (this.y - height >= this.geometry.margin.bottom) return;
    this.newPage();
  }

  newPage(): void {
    this.page = this.doc.addPage([this.geometry.size[0], this.geometry.size[1]]);
    this.y = this.geometry.size[1] - this.geometry.margin.top;
    const size = 11;
    this.page.drawText(nfc(this.continuation), { x: this.left, y: this.y - size, size, font: this.fonts.regular, color: BLACK });
    this.y -= size * LINE_GAP + 8;
    this.onNewPage?.();
  }

  private drawLine(line: Line, x: number, y: number, size: number): void {
    let cursorX = x;
    for (const run of line.runs) {
      if (run.text !== ' ') this.page.drawText(run.text, { x: cursorX, y: y - size, size, font: run.font, color: BLACK });
      cursorX += run.width;
    }
  }

  /** A paragraph at `x` wide `width`; continuation lines start `hangingIndent` further right. */
  paragraph(runs: readonly Run[], options: ParagraphOptions = {}): void {
    const size = options.size ?? BODY_SIZE;
    const x = options.x ?? this.left;
    const width = options.width ?? this.contentWidth;
    const indent = options.hangingIndent ?? 0;
    const lineHeight = size * LINE_GAP;
    let lines = wrapRuns(runs, size, width, width - indent);
    if (options.align === 'center' && lines.length > 1) lines = balance(runs, size, width, lines);
    for (const [i, line] of lines.entries()) {
      this.ensureSpace(lineHeight);
      const lineX = options.align === 'center' ? x + (width - line.width) / 2 : x + (i === 0 ? 0 : indent);
      this.drawLine(line, lineX, this.y, size);
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

  /**
   * A bordered table. Column widths are shares of the content width; cells wrap; a row never splits
   * across pages (unless it is taller than a page), and the header row is drawn again on every page.
   */
  table(columns: readonly TableColumn[], rows: readonly TableRow[], options: { size?: number; headerSize?: number } = {}): void {
    const size = options.size ?? 11;
    const headerSize = options.headerSize ?? size;
    const padding = 3;
    const total = columns.reduce((sum, c) => sum + c.width, 0);
    const widths = columns.map((c) => (c.width / total) * this.contentWidth);
    const xs = widths.map((_, i) => this.left + widths.slice(0, i).reduce((a, b) => a + b, 0));

    const layoutRow = (cells: readonly TableCell[], cellSize: number): { lines: Line[][][]; height: number } => {
      const lines = cells.map((cell, i) => cell.map((paragraph) => wrapRuns(paragraph, cellSize, (widths[i] ?? 0) - 2 * padding)));
      const lineCount = lines.map((cell) => cell.reduce((sum, p) => sum + Math.max(1, p.length), 0));
      return { lines, height: Math.max(1, ...lineCount) * cellSize * LINE_GAP + 2 * padding };
    };
    const drawRow = (cells: readonly TableCell[], cellSize: number, aligns: readonly ('left' | 'center')[]): void => {
      const { lines, height } = layoutRow(cells, cellSize);
      const top = this.y;
      lines.forEach((cell, i) => {
        let y = top - padding;
        const x = xs[i] ?? 0;
        const width = widths[i] ?? 0;
        for (const paragraph of cell) {
          for (const line of paragraph) {
            const lineX = aligns[i] === 'center' ? x + (width - line.width) / 2 : x + padding;
            this.drawLine(line, lineX, y, cellSize);
            y -= cellSize * LINE_GAP;
          }
          if (paragraph.length === 0) y -= cellSize * LINE_GAP;
        }
        this.page.drawRectangle({ x, y: top - height, width, height, borderColor: BLACK, borderWidth: 0.6 });
      });
      this.y -= height;
    };
    const header = columns.map((c): TableCell => [[{ text: c.heading, font: this.fonts.bold }]]);
    const drawHeader = (): void => drawRow(header, headerSize, columns.map(() => 'center'));
    const headerHeight = layoutRow(header, headerSize).height;
    const aligns = columns.map((c) => c.align ?? 'left');

    const firstRowHeight = rows[0] ? layoutRow(rows[0], size).height : 0;
    this.ensureSpace(headerHeight + Math.min(firstRowHeight, 60));
    drawHeader();
    this.onNewPage = drawHeader;
    for (const row of rows) {
      const { height } = layoutRow(row, size);
      const pageRoom = this.geometry.size[1] - this.geometry.margin.top - this.geometry.margin.bottom - 40 - headerHeight;
      if (height <= pageRoom) this.ensureSpace(height);
      drawRow(row, size, aligns);
    }
    this.onNewPage = undefined;
  }

  /**
   * Signature columns side by side: a title, the "(Ký …)" note, room for the handwritten signature, then
   * the printed name. `x` and `width` place the whole block (default: the content width).
   */
  signatures(columns: readonly { title: string; note: string; name?: string }[], options: { x?: number; width?: number; gap?: number } = {}): void {
    const { regular, bold } = this.fonts;
    const x = options.x ?? this.left;
    const width = options.width ?? this.contentWidth;
    const titleLines = Math.max(...columns.map((c) => wrapRuns([{ text: c.title, font: bold }], BODY_SIZE, width / columns.length).length));
    const signatureHeight = (titleLines + 1) * BODY_SIZE * LINE_GAP + 64 + BODY_SIZE * LINE_GAP;
    this.moveDown(options.gap ?? 14);
    this.ensureSpace(signatureHeight);
    const top = this.y;
    let bottom = top;
    const columnWidth = width / columns.length;
    columns.forEach((column, i) => {
      this.y = top;
      const place = { x: x + i * columnWidth, width: columnWidth, align: 'center' as const };
      this.paragraph([{ text: column.title, font: bold }], place);
      this.paragraph([{ text: column.note, font: regular }], { ...place, size: 12 });
      this.moveDown(64);
      if (column.name && clean(column.name)) this.paragraph([{ text: clean(column.name), font: bold }], place);
      bottom = Math.min(bottom, this.y);
    });
    this.y = bottom;
  }
}

export interface NationalHeader {
  /** Lines of the issuing body, top to bottom; the last is bold (e.g. "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ"). */
  readonly left: readonly string[];
  /** Under the left block, e.g. "Số: 12/XL" (optional). */
  readonly number?: string;
  /** The place-and-date line, e.g. "Xã Demo, ngày 23 tháng 11 năm 2026". */
  readonly placeAndDate: string;
  /** Width of the left block (the right one takes the rest). */
  readonly leftWidth?: number;
  /** "Mẫu số 01", printed at the top right above both blocks (the 2025 set numbers its forms). */
  readonly formNumber?: string;
}

/**
 * The header every form opens with: the issuing body on the left, the national title and motto on the right,
 * each with a short rule, then the place-and-date line on the right. Leaves the cursor under both blocks.
 */
export function drawNationalHeader(w: FormWriter, header: NationalHeader): void {
  const { regular, bold } = w.fonts;
  if (header.formNumber) {
    const label = clean(header.formNumber);
    const size = 12;
    w.currentPage.drawText(label, { x: w.left + w.contentWidth - bold.widthOfTextAtSize(label, size), y: w.cursor - size, size, font: bold, color: BLACK });
    w.moveDown(size * LINE_GAP + 6);
  }
  const top = w.cursor;
  const leftWidth = header.leftWidth ?? 195;
  const gap = 8;
  const leftCenter = w.left + leftWidth / 2;
  const headerLeft = { x: w.left, width: leftWidth, size: 12, align: 'center' as const };
  header.left.forEach((text, i) => {
    const last = i === header.left.length - 1;
    w.paragraph([{ text: clean(text), font: last ? bold : regular }], headerLeft);
  });
  w.rule(leftCenter, 60);
  if (header.number) {
    w.moveDown(4);
    w.paragraph([{ text: clean(header.number), font: regular }], { ...headerLeft, size: 13 });
  }
  const leftBottom = w.cursor;

  w.moveDown(w.cursor - top);
  const rightX = w.left + leftWidth + gap;
  const rightWidth = w.contentWidth - leftWidth - gap;
  const rightCenter = rightX + rightWidth / 2;
  const headerRight = { x: rightX, width: rightWidth, align: 'center' as const };
  w.paragraph([{ text: 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', font: bold }], { ...headerRight, size: 12 });
  const motto = 'Độc lập - Tự do - Hạnh phúc';
  w.paragraph([{ text: motto, font: bold }], { ...headerRight, size: 13 });
  w.rule(rightCenter, bold.widthOfTextAtSize(motto, 13));
  w.moveDown(6);
  w.paragraph([{ text: clean(header.placeAndDate), font: regular }], headerRight);
  w.moveDown(Math.max(0, w.cursor - leftBottom));
}

/**
 * "ABCDEF+PostScriptName", the name PDF 32000-1 §9.6.4 gives a font subset (pdf-lib's own name has a
 * "-1234" suffix, which tools do not recognise as a subset). The tag is derived from the font and the
 * form's data, so it is reproducible and differs between subsets when forms are merged into one file.
 */
export function subsetFontName(fontBytes: Uint8Array, seed: unknown): string {
  const postscriptName = (fontkit.create(fontBytes).postscriptName ?? 'Font').replace(/[^\x21-\x7e]|[()<>[\]{}/%#]/g, '');
  const digest = sha256(new TextEncoder().encode(`${postscriptName}\n${JSON.stringify(seed)}`));
  const tag = Array.from(digest.subarray(0, 6), (byte) => String.fromCharCode(65 + (byte % 26))).join('');
  return `${tag}+${postscriptName}`;
}

/** A new document with both faces embedded as named subsets. */
export async function createFormDocument(fonts: FormFonts, seed: unknown): Promise<{ doc: PDFDocument; fonts: EmbeddedFonts }> {
  if (fonts.regular.length === 0) throw new AppError('FILE_EMPTY', { name: 'regular font' });
  if (fonts.bold.length === 0) throw new AppError('FILE_EMPTY', { name: 'bold font' });
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.registerFontkit(fontkit);
  return {
    doc,
    fonts: {
      regular: await doc.embedFont(fonts.regular, { subset: true, customName: subsetFontName(fonts.regular, seed) }),
      bold: await doc.embedFont(fonts.bold, { subset: true, customName: subsetFontName(fonts.bold, seed) }),
    },
  };
}

/** Title, subject and dates from the data, so the same data gives the same bytes. */
export async function saveFormDocument(doc: PDFDocument, meta: { title: string; subject: string; date: Date }): Promise<Uint8Array> {
  doc.setTitle(clean(meta.title));
  doc.setSubject(clean(meta.subject));
  doc.setLanguage('vi-VN');
  doc.setCreator('motcua-kiosk');
  doc.setProducer('motcua-kiosk (pdf-lib)');
  doc.setCreationDate(meta.date);
  doc.setModificationDate(meta.date);
  return doc.save();
}
