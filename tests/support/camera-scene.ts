/**
 * What a document camera sees, made with real tools at test time: an A4 form (pdf-lib) carrying a CCCD QR
 * code (npm `qrcode`), rasterised by poppler and "photographed" at an angle onto a dark desk by ImageMagick's
 * perspective distortion, written as a Y4M video that Chromium's fake camera plays
 * (`--use-file-for-fake-video-capture`). Also photos of the back of a card for the QR-from-picture path.
 */
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, rgb } from 'pdf-lib';
import QRCode from 'qrcode';
import { withTempDir } from './page-images';

const run = promisify(execFile);
const fontPath = path.resolve('shared/assets/fonts/LiberationSerif-Regular.ttf');

/** A well-formed card QR (personal number: province, century+gender digit, year): 001 190 → female born 1990, as the date and "Nữ" say. */
export const cardQr = '001190012345|123456789|Nguyễn Thị Ánh Tuyết|15031990|Nữ|Thôn Đông, xã Demo, tỉnh Hưng Yên|01072021';

function qrPng(text: string, scale = 6): Promise<Buffer> {
  return QRCode.toBuffer(text, { errorCorrectionLevel: 'M', margin: 4, scale });
}

/** An A4 form with a title, lines of text and the applicant's card QR (45 mm) at the top right. */
export async function formWithQrPdf(qrText = cardQr): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const font = await doc.embedFont(await readFile(fontPath), { subset: true });
  const page = doc.addPage([595.28, 841.89]);
  const qr = await doc.embedPng(await qrPng(qrText, 8));
  const mm = 72 / 25.4;
  page.drawImage(qr, { x: 595.28 - 20 * mm - 45 * mm, y: 841.89 - 15 * mm - 45 * mm, width: 45 * mm, height: 45 * mm });
  page.drawText('TỜ KHAI ĐĂNG KÝ KHAI SINH', { x: 57, y: 760, size: 18, font, color: rgb(0, 0, 0) });
  page.drawText('Kính gửi: Ủy ban nhân dân xã Demo', { x: 57, y: 730, size: 13, font });
  const lines = ['Họ, chữ đệm, tên người yêu cầu: NGUYỄN THỊ ÁNH TUYẾT', 'Nơi cư trú: Thôn Đông, xã Demo, tỉnh Hưng Yên', 'Giấy tờ tùy thân: thẻ căn cước số 001190012345', 'Quan hệ với người được khai sinh: mẹ'];
  for (let i = 0; i < 26; i++) page.drawText(lines[i % lines.length] ?? '', { x: 57, y: 640 - i * 21, size: 12, font, color: rgb(0.05, 0.05, 0.12) });
  page.drawRectangle({ x: 40, y: 95, width: 515, height: 575, borderColor: rgb(0.2, 0.2, 0.2), borderWidth: 1 });
  return doc.save();
}

export type Corners = readonly [readonly [number, number], readonly [number, number], readonly [number, number], readonly [number, number]];

/** The page at `dpi`, flat (PNG bytes) and photographed into a `width`×`height` frame with its corners at `corners` (raw RGB). */
export async function photographPage(pdf: Uint8Array, dpi: number, width: number, height: number, corners: Corners): Promise<{ flatPng: Buffer; rgb: Buffer }> {
  return withTempDir(async (dir) => {
    await writeFile(path.join(dir, 'page.pdf'), pdf);
    await run('pdftoppm', ['-r', String(dpi), '-png', '-singlefile', path.join(dir, 'page.pdf'), path.join(dir, 'page')]);
    const flat = path.join(dir, 'page.png');
    const { stdout } = await run('identify', ['-format', '%w %h', flat]);
    const [w, h] = stdout.trim().split(' ').map(Number) as [number, number];
    const pairs = [
      [0, 0],
      [w, 0],
      [w, h],
      [0, h],
    ].map(([x, y], i) => `${x},${y} ${corners[i]?.[0]},${corners[i]?.[1]}`);
    const out = path.join(dir, 'frame.rgb');
    await run('convert', [flat, '-background', 'rgb(58,50,44)', '-virtual-pixel', 'background', '-define', `distort:viewport=${width}x${height}+0+0`, '-distort', 'Perspective', pairs.join('  '), '-attenuate', '0.25', '+noise', 'Gaussian', '-depth', '8', `rgb:${out}`]);
    return { flatPng: await readFile(flat), rgb: await readFile(out) };
  });
}

/** RGB frames → a YUV4MPEG2 (4:2:0, BT.601 studio range) file Chromium's fake camera loops. */
export async function writeY4m(file: string, rgbFrame: Buffer, width: number, height: number, frames = 2): Promise<void> {
  const ySize = width * height;
  const cSize = (width / 2) * (height / 2);
  const frame = Buffer.alloc(ySize + 2 * cSize);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      const r = (rgbFrame[i] ?? 0) / 255;
      const g = (rgbFrame[i + 1] ?? 0) / 255;
      const b = (rgbFrame[i + 2] ?? 0) / 255;
      frame[y * width + x] = Math.round(16 + 65.481 * r + 128.553 * g + 24.966 * b);
    }
  }
  for (let y = 0; y < height / 2; y++) {
    for (let x = 0; x < width / 2; x++) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (const [dx, dy] of [[0, 0], [1, 0], [0, 1], [1, 1]] as const) {
        const i = ((2 * y + dy) * width + 2 * x + dx) * 3;
        r += (rgbFrame[i] ?? 0) / 1020;
        g += (rgbFrame[i + 1] ?? 0) / 1020;
        b += (rgbFrame[i + 2] ?? 0) / 1020;
      }
      frame[ySize + y * (width / 2) + x] = Math.round(128 - 37.797 * r - 74.203 * g + 112 * b);
      frame[ySize + cSize + y * (width / 2) + x] = Math.round(128 + 112 * r - 93.786 * g - 18.214 * b);
    }
  }
  const parts: Buffer[] = [Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`)];
  for (let f = 0; f < frames; f++) parts.push(Buffer.from('FRAME\n'), frame);
  await writeFile(file, Buffer.concat(parts));
}

/** A phone photo of the back of a card: the QR on a light card, a little turned, on a desk (JPEG). */
export async function cardPhotoJpeg(qrText: string): Promise<Buffer> {
  return withTempDir(async (dir) => {
    const qr = path.join(dir, 'qr.png');
    await writeFile(qr, await qrPng(qrText, 5));
    const out = path.join(dir, 'card.jpg');
    await run('convert', ['-size', '1280x860', 'xc:rgb(92,80,70)', '(', '-size', '860x540', 'xc:rgb(232,236,240)', qr, '-gravity', 'east', '-geometry', '+40+0', '-composite', '-background', 'rgb(92,80,70)', '-rotate', '5', ')', '-gravity', 'center', '-composite', '-attenuate', '0.2', '+noise', 'Gaussian', '-quality', '88', out]);
    return readFile(out);
  });
}
