/**
 * The visible signature stamp of a digitized copy (Decree 30/2020/NĐ-CP, Appendix I, Part II): top-right
 * of the first page, no image, three lines — the copy form ("SAO Y", "SAO LỤC", "TRÍCH SAO"), the copying
 * organisation's name, the signing time in ISO 8601 with Vietnam's offset — in a Times-compatible font
 * (Liberation Serif), regular, 10 pt, black, inside a thin frame on a white ground (a scan under the text
 * would make it hard to read).
 *
 * The stamp is drawn into the page content before the signature placeholder is added (it must be inside
 * the signed bytes: nothing may be drawn after signing). The signature widget then gets the stamp's
 * rectangle so viewers show the signature there.
 *
 * Rotated pages (/Rotate 90, 180, 270): the stamp goes to the top-right corner *as the page is shown*, and
 * its text is turned with the page so it reads upright; the rectangle returned is in the page's own
 * (unrotated) coordinates, as a widget /Rect must be.
 */
import fontkit from '@pdf-lib/fontkit';
import { degrees, rgb, type PDFDocument, type PDFFont, type PDFPage } from 'pdf-lib';
import { AppError } from '../errors';
import { sha256 } from '../util/bytes';
import type { FormFonts } from './fonts';

export const COPY_FORMS = ['SAO Y', 'SAO LỤC', 'TRÍCH SAO'] as const;
export type CopyForm = (typeof COPY_FORMS)[number];

export interface CopyStampOptions {
  readonly copyForm: CopyForm;
  readonly organisationName: string;
  readonly signingTime: Date;
  /** TrueType bytes of Liberation Serif (shared/pdf/fonts.ts); only the regular face is drawn. */
  readonly fonts: FormFonts;
}

/** [x1, y1, x2, y2] in the page's default user space (unrotated), as a /Rect. */
export type StampRect = readonly [number, number, number, number];

const STAMP_FONT_SIZE = 10;
const LINE_GAP = 12; // 1.2 × the font size
const PADDING = 4;
const PAGE_MARGIN = 20; // ≈ 7 mm from the edges of the visible page
const FRAME_WIDTH = 0.5;
const MAX_ORGANISATION_LENGTH = 300;

/** Vietnam has used UTC+7 all year since 1975 (no daylight saving). */
const VIETNAM_OFFSET_MINUTES = 7 * 60;

/** ISO 8601 local time in Vietnam with its offset, to the second: "2026-11-23T14:05:09+07:00". */
export function formatVietnamTime(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new AppError('SIGNATURE_APPEARANCE_INVALID', { reason: 'invalid signing time' });
  const local = new Date(date.getTime() + VIETNAM_OFFSET_MINUTES * 60_000);
  return `${local.toISOString().slice(0, 19)}+07:00`;
}

/** The text lines of the stamp (the organisation name may wrap onto several lines to fit the page). */
export function copyStampLines(opts: Pick<CopyStampOptions, 'copyForm' | 'organisationName' | 'signingTime'>): string[] {
  return [opts.copyForm, normaliseName(opts.organisationName), formatVietnamTime(opts.signingTime)];
}

/** Draws the stamp on the first page of `doc` and returns its rectangle (for the signature widget). */
export async function drawCopyStamp(doc: PDFDocument, opts: CopyStampOptions): Promise<StampRect> {
  if (!(COPY_FORMS as readonly string[]).includes(opts.copyForm)) {
    throw new AppError('SIGNATURE_APPEARANCE_INVALID', { reason: `copy form "${String(opts.copyForm)}" is not one of ${COPY_FORMS.join(', ')}` });
  }
  const organisation = normaliseName(opts.organisationName);
  if (!organisation) throw new AppError('SIGNATURE_APPEARANCE_INVALID', { reason: 'organisation name is empty' });
  if (organisation.length > MAX_ORGANISATION_LENGTH) throw new AppError('SIGNATURE_APPEARANCE_INVALID', { reason: 'organisation name is too long' });
  if (opts.fonts.regular.length === 0) throw new AppError('FILE_EMPTY', { name: 'regular font' });
  const page = doc.getPages()[0];
  if (!page) throw new AppError('FILE_CORRUPT_PDF', { name: '', reason: 'no pages' });

  const [first, , time] = copyStampLines({ ...opts, organisationName: organisation });
  return drawFramedLines(doc, page, opts.fonts, [first ?? ''], organisation, [time ?? '']);
}

export interface SignatureBoxOptions {
  /** The signer's name as on the certificate (its subject CN). */
  readonly signerName: string;
  readonly signingTime: Date;
  readonly fonts: FormFonts;
}

/** The lines of the personal signature box (the name may wrap). */
export function signatureBoxLines(opts: Pick<SignatureBoxOptions, 'signerName' | 'signingTime'>): string[] {
  return [`Người ký: ${normaliseName(opts.signerName)}`, `Thời gian ký: ${formatVietnamTime(opts.signingTime)}`];
}

/**
 * The receiving clerk's personal signature on a digitized copy (Decree 118/2025 Art. 17.1.c): a small box at
 * the same place as the copy stamp naming the signer and the time — no copy form ("SAO Y" is the
 * organisation's), so the copy does not pretend to be a certified copy.
 */
export async function drawSignatureBox(doc: PDFDocument, opts: SignatureBoxOptions): Promise<StampRect> {
  const name = normaliseName(opts.signerName);
  if (!name) throw new AppError('SIGNATURE_APPEARANCE_INVALID', { reason: 'signer name is empty' });
  if (name.length > MAX_ORGANISATION_LENGTH) throw new AppError('SIGNATURE_APPEARANCE_INVALID', { reason: 'signer name is too long' });
  if (opts.fonts.regular.length === 0) throw new AppError('FILE_EMPTY', { name: 'regular font' });
  const page = doc.getPages()[0];
  if (!page) throw new AppError('FILE_CORRUPT_PDF', { name: '', reason: 'no pages' });
  const [nameLine, timeLine] = signatureBoxLines({ signerName: name, signingTime: opts.signingTime });
  return drawFramedLines(doc, page, opts.fonts, [], nameLine ?? '', [timeLine ?? '']);
}

/**
 * Lines centred in a thin frame on a white ground at the top-right of the page as shown: `before` and
 * `after` as they are, `wrapped` word-wrapped to at most 45 % of the page width (at least 180 pt).
 */
async function drawFramedLines(doc: PDFDocument, page: PDFPage, fonts: FormFonts, before: readonly string[], wrapped: string, after: readonly string[]): Promise<StampRect> {
  doc.registerFontkit(fontkit);
  const font = await doc.embedFont(fonts.regular, { subset: true, customName: subsetFontName(fonts.regular, [...before, wrapped, ...after].join('\n')) });

  const view = visibleFrame(page);
  const maxTextWidth = Math.max(180, view.width * 0.45);
  const lines = [...before, ...wrap(wrapped, font, maxTextWidth), ...after];
  const widths = lines.map((line) => font.widthOfTextAtSize(line, STAMP_FONT_SIZE));
  const boxWidth = Math.ceil(Math.max(...widths) + 2 * PADDING);
  const ascent = font.heightAtSize(STAMP_FONT_SIZE, { descender: false });
  const fullHeight = font.heightAtSize(STAMP_FONT_SIZE);
  const boxHeight = Math.ceil(2 * PADDING + fullHeight + (lines.length - 1) * LINE_GAP);

  // In the shown page's frame (origin bottom-left as displayed): the top-right corner, inside the margin.
  const left = Math.max(0, view.width - PAGE_MARGIN - boxWidth);
  const bottom = Math.max(0, view.height - PAGE_MARGIN - boxHeight);
  const corners = [view.toUser(left, bottom), view.toUser(left + boxWidth, bottom + boxHeight)];
  const rect: StampRect = [
    Math.min(corners[0]?.x ?? 0, corners[1]?.x ?? 0),
    Math.min(corners[0]?.y ?? 0, corners[1]?.y ?? 0),
    Math.max(corners[0]?.x ?? 0, corners[1]?.x ?? 0),
    Math.max(corners[0]?.y ?? 0, corners[1]?.y ?? 0),
  ];

  page.drawRectangle({
    x: rect[0],
    y: rect[1],
    width: rect[2] - rect[0],
    height: rect[3] - rect[1],
    color: rgb(1, 1, 1),
    borderColor: rgb(0, 0, 0),
    borderWidth: FRAME_WIDTH,
  });
  lines.forEach((line, i) => {
    const start = view.toUser(left + (boxWidth - (widths[i] ?? 0)) / 2, bottom + boxHeight - PADDING - ascent - i * LINE_GAP);
    page.drawText(line, { x: start.x, y: start.y, size: STAMP_FONT_SIZE, font, color: rgb(0, 0, 0), rotate: degrees(view.rotation) });
  });
  return rect;
}

/**
 * The visible area (crop box) as it is shown: width and height after /Rotate, and a map from that
 * frame to user space. /Rotate turns the page clockwise for display.
 */
function visibleFrame(page: PDFPage): { width: number; height: number; rotation: number; toUser(vx: number, vy: number): { x: number; y: number } } {
  const box = page.getCropBox();
  const rotation = ((page.getRotation().angle % 360) + 360) % 360;
  const x0 = box.x;
  const y0 = box.y;
  const x1 = box.x + box.width;
  const y1 = box.y + box.height;
  switch (rotation) {
    case 90: // shown bottom-left is the user-space bottom-right; shown "up" is user −x
      return { width: box.height, height: box.width, rotation, toUser: (vx, vy) => ({ x: x1 - vy, y: y0 + vx }) };
    case 180:
      return { width: box.width, height: box.height, rotation, toUser: (vx, vy) => ({ x: x1 - vx, y: y1 - vy }) };
    case 270:
      return { width: box.height, height: box.width, rotation, toUser: (vx, vy) => ({ x: x0 + vy, y: y1 - vx }) };
    case 0:
      return { width: box.width, height: box.height, rotation, toUser: (vx, vy) => ({ x: x0 + vx, y: y0 + vy }) };
    default:
      throw new AppError('FILE_CORRUPT_PDF', { name: '', reason: `page rotation ${rotation} is not a multiple of 90` });
  }
}

/** Collapses whitespace (a name from configuration may carry line breaks or tabs). */
function normaliseName(name: string): string {
  return name.normalize('NFC').replace(/\s+/g, ' ').trim();
}

/** Greedy word wrap; a single word wider than the limit keeps its own line. */
function wrap(text: string, font: PDFFont, maxWidth: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(' ')) {
    const candidate = current ? `${current} ${word}` : word;
    if (current && font.widthOfTextAtSize(candidate, STAMP_FONT_SIZE) > maxWidth) {
      lines.push(current);
      current = word;
    } else current = candidate;
  }
  if (current) lines.push(current);
  return lines;
}

/** "ABCDEF+PostScriptName" (PDF 32000-1 §9.6.4 subset naming), tag derived from the font and the text. */
function subsetFontName(fontBytes: Uint8Array, text: string): string {
  const postscriptName = (fontkit.create(fontBytes).postscriptName ?? 'Font').replace(/[^\x21-\x7e]|[()<>[\]{}/%#]/g, '');
  const digest = sha256(new TextEncoder().encode(`${postscriptName}\n${text}`));
  const tag = Array.from(digest.subarray(0, 6), (byte) => String.fromCharCode(65 + (byte % 26))).join('');
  return `${tag}+${postscriptName}`;
}
