/**
 * Realistic scanned pages for imaging tests and benches: Vietnamese text (the project's seed articles) laid
 * out on A4 with pdf-lib in Liberation Serif, rasterised by poppler's pdftoppm, then skewed, noised or turned
 * by ImageMagick — real tools, not hand-drawn test patterns.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, rgb } from 'pdf-lib';
import { grayImage, type GrayImage } from '../../shared/imaging';

const run = promisify(execFile);
const seedsDir = path.resolve('../shared/seeds');
const fontPath = path.resolve('shared/assets/fonts/LiberationSerif-Regular.ttf');

/** Paragraph text from the seed articles (falls back to a fixed Vietnamese paragraph when they are absent). */
export async function vietnameseText(): Promise<string> {
  try {
    const names = (await readdir(seedsDir)).filter((n) => n.endsWith('.txt')).sort();
    const texts = await Promise.all(names.map((n) => readFile(path.join(seedsDir, n), 'utf8')));
    const joined = texts.join('\n').replace(/\uFFFD/g, '');
    if (joined.length > 2000) return joined;
  } catch {
    // no seeds beside the checkout (CI clones only the repository)
  }
  return FALLBACK_TEXT.repeat(12);
}

const FALLBACK_TEXT =
  'Bộ phận Một cửa tiếp nhận hồ sơ của công dân, kiểm tra tính đầy đủ của thành phần hồ sơ, số hóa giấy tờ và ' +
  'hẹn ngày trả kết quả theo quy định. Cán bộ tiếp nhận hướng dẫn công dân bổ sung giấy tờ còn thiếu, ghi rõ lý do ' +
  'và thời hạn; hồ sơ được chuyển đến cơ quan có thẩm quyền giải quyết trong ngày làm việc. ';

/**
 * Solid black squares just outside the text block's four corners (PDF points, origin bottom-left, A4 page of
 * 595.28 × 841.89): the outermost content of a page made with `cornerMarks`. A test finds them in a cleaned
 * page to tell that nothing was cut off, and measures the page's remaining skew from their centres,
 * independently of the code under test. Order: top-left, top-right, bottom-right, bottom-left.
 */
export const cornerMarks = {
  size: 18,
  page: { width: 595.28, height: 841.89 },
  at: [
    { x: 30, y: 812 },
    { x: 547, y: 812 },
    { x: 547, y: 48 },
    { x: 30, y: 48 },
  ],
} as const;

/**
 * A4 portrait PDF pages of wrapped text, `pages` of them, taking text from word `offset` on. By default the
 * words are cycled so every page is full; `fill: false` lays the text out once (a short note on a page);
 * `cornerMarks: true` adds the squares of `cornerMarks`.
 */
export async function textPagesPdf(
  text: string,
  pages: number,
  offset = 0,
  { fill = true, cornerMarks: marked = false }: { fill?: boolean; cornerMarks?: boolean } = {},
): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const font = await doc.embedFont(await readFile(fontPath), { subset: true });
  const words = text.replace(/\s+/g, ' ').split(' ').filter(Boolean);
  let w = offset % Math.max(1, words.length);
  const size = 12;
  for (let p = 0; p < pages; p++) {
    const page = doc.addPage([595.28, 841.89]);
    page.drawText(`Trang ${p + 1}`, { x: 280, y: 800, size: 10, font, color: rgb(0, 0, 0) });
    // `at` is each square's top-left corner; pdf-lib draws rectangles from their bottom-left.
    if (marked) for (const { x, y } of cornerMarks.at) page.drawRectangle({ x, y: y - cornerMarks.size, width: cornerMarks.size, height: cornerMarks.size, color: rgb(0, 0, 0) });
    for (let y = 770; y > 70; y -= size * 1.5) {
      let line = '';
      while (words.length > 0 && (fill || w < words.length)) {
        const next = line ? `${line} ${words[w % words.length]}` : (words[w % words.length] ?? '');
        if (font.widthOfTextAtSize(next, size) > 480) break;
        line = next;
        w++;
      }
      page.drawText(line, { x: 57, y, size, font, color: rgb(0.05, 0.05, 0.1) });
    }
  }
  return doc.save();
}

export async function withTempDir<T>(work: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'motcua-img-'));
  try {
    return await work(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Parses a binary PGM (P5, 8-bit) as ImageMagick and pdftoppm write it. */
export function parsePgm(bytes: Uint8Array): GrayImage {
  const header: string[] = [];
  let i = 0;
  while (header.length < 4) {
    while (i < bytes.length && /\s/.test(String.fromCharCode(bytes[i] ?? 32))) i++;
    if (bytes[i] === 0x23) {
      while (i < bytes.length && bytes[i] !== 0x0a) i++;
      continue;
    }
    let token = '';
    while (i < bytes.length && !/\s/.test(String.fromCharCode(bytes[i] ?? 32))) token += String.fromCharCode(bytes[i++] ?? 32);
    header.push(token);
  }
  i++; // the single whitespace after maxval
  const [magic, w, h, max] = header;
  if (magic !== 'P5' || max !== '255') throw new Error(`not an 8-bit P5 PGM: ${header.join(' ')}`);
  const width = Number(w);
  const height = Number(h);
  return grayImage(width, height, bytes.slice(i, i + width * height));
}

/** Page 1 of a PDF as a grey image at `dpi`, after an ImageMagick transformation (e.g. `-rotate 3`). */
export async function rasterisePage(pdf: Uint8Array, dpi: number, imageMagickArgs: readonly string[] = []): Promise<GrayImage> {
  return withTempDir(async (dir) => {
    const pdfPath = path.join(dir, 'page.pdf');
    await writeFile(pdfPath, pdf);
    await run('pdftoppm', ['-r', String(dpi), '-gray', '-f', '1', '-l', '1', '-singlefile', pdfPath, path.join(dir, 'page')]);
    const source = path.join(dir, 'page.pgm');
    if (imageMagickArgs.length === 0) return parsePgm(await readFile(source));
    const out = path.join(dir, 'out.pgm');
    await run('convert', [source, ...imageMagickArgs, '-depth', '8', out]);
    return parsePgm(await readFile(out));
  });
}

/** A grey image through ImageMagick (e.g. to add noise to a blank page). */
export async function imageMagickGray(args: readonly string[]): Promise<GrayImage> {
  return withTempDir(async (dir) => {
    const out = path.join(dir, 'out.pgm');
    await run('convert', [...args, '-depth', '8', out]);
    return parsePgm(await readFile(out));
  });
}

export interface ScanLook {
  /** Clockwise degrees the sheet lies crooked on the glass. */
  readonly rotate?: number;
  /** ImageMagick Gaussian noise attenuation (0 = none). */
  readonly noise?: number;
  /** The noise generator's seed (default 1), so a test sees the same page on every run. */
  readonly noiseSeed?: number;
  /** Dark scanner-lid margin around the sheet, in pixels. */
  readonly border?: number;
  /** Paper colour as red, green, blue 0–255, e.g. [240, 235, 222]. */
  readonly paper?: readonly [number, number, number];
  readonly quality?: number;
}

/**
 * Page `pageIndex` (0-based) of a PDF as a colour JPEG a scanner would deliver: `dpi` written in JFIF, the
 * paper tinted, the sheet a little crooked, sensor noise, a dark margin from the lid.
 */
export async function scannedPageJpeg(pdf: Uint8Array, dpi: number, look: ScanLook = {}, pageIndex = 0): Promise<Uint8Array> {
  return withTempDir(async (dir) => {
    const pdfPath = path.join(dir, 'page.pdf');
    await writeFile(pdfPath, pdf);
    const page = String(pageIndex + 1);
    await run('pdftoppm', ['-r', String(dpi), '-f', page, '-l', page, '-singlefile', pdfPath, path.join(dir, 'page')]);
    const out = path.join(dir, 'scan.jpg');
    const args = [path.join(dir, 'page.ppm')];
    // +level per channel maps white to the paper colour and keeps black ink black.
    const paper = look.paper ?? [255, 255, 255];
    if (look.paper) {
      (['R', 'G', 'B'] as const).forEach((channel, i) => args.push('-channel', channel, '+level', `0%,${((paper[i] ?? 255) / 2.55).toFixed(1)}%`));
      args.push('+channel');
    }
    if (look.rotate) args.push('-background', `rgb(${paper.join(',')})`, '-rotate', String(look.rotate));
    // Seeded: the same page every run. Unseeded noise made a test's outcome a draw (the orientation vote of
    // a noisy sideways page fell under its agreement threshold about once in fifteen full runs).
    if (look.noise) args.push('-seed', String(look.noiseSeed ?? 1), '-attenuate', String(look.noise), '+noise', 'Gaussian');
    if (look.border) args.push('-bordercolor', 'rgb(20,20,22)', '-border', String(look.border));
    args.push('-units', 'PixelsPerInch', '-density', String(dpi), '-quality', String(look.quality ?? 92), out);
    await run('convert', args);
    return new Uint8Array(await readFile(out));
  });
}

/** Dark over-scan bands on the sides of a scan, each as a share of the sheet's height (top, bottom) or width (left, right). */
interface Bands {
  readonly top?: number;
  readonly bottom?: number;
  readonly left?: number;
  readonly right?: number;
}

export interface OverscanLook {
  /** Clockwise degrees the page is crooked. */
  readonly rotate: number;
  readonly bands: Bands;
  /** Grey level of the bands (and of the lid around a crooked sheet), 0–255. */
  readonly grey: number;
  /**
   * 'sheet': the sheet lies crooked on a lid of the bands' grey, so its edges are crooked too (dark wedges at
   * its corners) and the bands are added beyond the turned sheet's bounding box (a flatbed, or an ADF whose
   * sheet went in at an angle). 'frame': the print is crooked on a sheet that fills the scan's width, and the
   * bands are straight (an ADF reading past the top and bottom of a copy printed at an angle).
   */
  readonly edge: 'sheet' | 'frame';
  readonly noise?: number;
  readonly paper?: readonly [number, number, number];
}

/**
 * Page 1 of a PDF as a 200 dpi colour JPEG scanned with over-scan bands: tinted paper, crooked by
 * `rotate`, dark bands on the given sides, sensor noise (`convert` does every step).
 */
export async function overscanPageJpeg(pdf: Uint8Array, look: OverscanLook): Promise<Uint8Array> {
  const dpi = 200;
  return withTempDir(async (dir) => {
    const pdfPath = path.join(dir, 'page.pdf');
    await writeFile(pdfPath, pdf);
    await run('pdftoppm', ['-r', String(dpi), '-f', '1', '-l', '1', '-singlefile', pdfPath, path.join(dir, 'page')]);
    const width = Math.round((595.28 / 72) * dpi);
    const height = Math.round((841.89 / 72) * dpi);
    const paper = look.paper ?? [242, 238, 226];
    const grey = `rgb(${look.grey},${look.grey},${look.grey})`;
    const args = [path.join(dir, 'page.ppm')];
    (['R', 'G', 'B'] as const).forEach((channel, i) => args.push('-channel', channel, '+level', `0%,${((paper[i] ?? 255) / 2.55).toFixed(1)}%`));
    args.push('+channel');
    if (look.edge === 'sheet') {
      if (look.rotate) args.push('-background', grey, '-rotate', String(look.rotate));
    } else if (look.rotate) {
      // Turned on paper of its own colour, then cut back to the sheet: only the print is crooked.
      args.push('-background', `rgb(${paper.join(',')})`, '-rotate', String(look.rotate), '+repage', '-gravity', 'center', '-crop', `${width}x${height}+0+0`, '+repage');
    }
    const sides = [
      ['top', 'north', `0x${Math.round((look.bands.top ?? 0) * height)}`],
      ['bottom', 'south', `0x${Math.round((look.bands.bottom ?? 0) * height)}`],
      ['left', 'west', `${Math.round((look.bands.left ?? 0) * width)}x0`],
      ['right', 'east', `${Math.round((look.bands.right ?? 0) * width)}x0`],
    ] as const;
    for (const [side, gravity, size] of sides) if (look.bands[side]) args.push('-background', grey, '-gravity', gravity, '-splice', size);
    args.push('+gravity');
    if (look.noise !== 0) args.push('-attenuate', String(look.noise ?? 0.2), '+noise', 'Gaussian');
    const out = path.join(dir, 'scan.jpg');
    args.push('-units', 'PixelsPerInch', '-density', String(dpi), '-quality', '90', out);
    await run('convert', args);
    return new Uint8Array(await readFile(out));
  });
}

/** A colour JPEG that ImageMagick makes from `args` (e.g. `-size 800x600 plasma:`), `dpi` written in JFIF. */
export async function imageMagickJpeg(args: readonly string[], dpi: number): Promise<Uint8Array> {
  return withTempDir(async (dir) => {
    const out = path.join(dir, 'out.jpg');
    await run('convert', [...args, '-type', 'TrueColor', '-units', 'PixelsPerInch', '-density', String(dpi), '-quality', '90', out]);
    return new Uint8Array(await readFile(out));
  });
}
