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
 * A4 portrait PDF pages of wrapped text, `pages` of them, taking text from word `offset` on. By default the
 * words are cycled so every page is full; `fill: false` lays the text out once (a short note on a page).
 */
export async function textPagesPdf(text: string, pages: number, offset = 0, { fill = true }: { fill?: boolean } = {}): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const font = await doc.embedFont(await readFile(fontPath), { subset: true });
  const words = text.replace(/\s+/g, ' ').split(' ').filter(Boolean);
  let w = offset % Math.max(1, words.length);
  const size = 12;
  for (let p = 0; p < pages; p++) {
    const page = doc.addPage([595.28, 841.89]);
    page.drawText(`Trang ${p + 1}`, { x: 280, y: 800, size: 10, font, color: rgb(0, 0, 0) });
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
    if (look.noise) args.push('-attenuate', String(look.noise), '+noise', 'Gaussian');
    if (look.border) args.push('-bordercolor', 'rgb(20,20,22)', '-border', String(look.border));
    args.push('-units', 'PixelsPerInch', '-density', String(dpi), '-quality', String(look.quality ?? 92), out);
    await run('convert', args);
    return new Uint8Array(await readFile(out));
  });
}
