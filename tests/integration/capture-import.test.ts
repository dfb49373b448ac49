/**
 * Importing files into the workspace through the same CaptureService the scanners use: real multi-page
 * TIFFs written by ImageMagick (black-and-white, grey and colour pages, LZW and Group 4), a TIFF cut off
 * in its last page, one whose second page claims 30000 × 30000 pixels, and bad files beside good ones.
 * Every good page must arrive (decoded by an outside tool afterwards), every bad one be named in Vietnamese.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CaptureService, type CaptureItem } from '../../electron/services/capture/capture-service';
import { describeError } from '../../shared/i18n/error-messages';
import { probeTiff } from '../../shared/capture/tiff-probe';
import { makeJpeg } from '../support/images';

let dir: string;

/** Runs ImageMagick (the TIFFs are made by an outside tool, not by our code). */
function convert(args: string[]): void {
  execFileSync('convert', args, { stdio: 'pipe' });
}

async function importAll(service: CaptureService, files: { name: string; bytes: Uint8Array }[]): Promise<CaptureItem[]> {
  const { jobId } = service.importFiles(files);
  const items: CaptureItem[] = [];
  let since = 0;
  for (;;) {
    const poll = await service.poll(jobId, since, 1000);
    items.push(...poll.items);
    since = poll.next;
    if (poll.state !== 'running') return items;
  }
}

function message(item: CaptureItem): string {
  if (item.kind !== 'rejected') throw new Error(`${item.index} is a page`);
  return describeError('vi', item.error.code, item.error.details);
}

/** Decodes with ImageMagick (not our code): width, height and colourspace of one page file. */
async function identify(bytes: Uint8Array): Promise<string> {
  const file = path.join(dir, `page-${Math.random().toString(36).slice(2)}`);
  await writeFile(file, bytes);
  return execFileSync('identify', ['-format', '%m %w %h %[colorspace]', file]).toString().trim();
}

/** Sets a SHORT/LONG field of the n-th IFD in a little-endian TIFF (to forge a page header). */
function patchIfdField(bytes: Uint8Array, page: number, tag: number, value: number): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let ifd = view.getUint32(4, true);
  for (let i = 0; i < page; i++) ifd = view.getUint32(ifd + 2 + view.getUint16(ifd, true) * 12, true);
  const count = view.getUint16(ifd, true);
  for (let i = 0; i < count; i++) {
    const entry = ifd + 2 + i * 12;
    if (view.getUint16(entry, true) !== tag) continue;
    if (view.getUint16(entry + 2, true) === 3) view.setUint16(entry + 8, value, true);
    else view.setUint32(entry + 8, value, true);
    return;
  }
  throw new Error(`tag ${tag} not in page ${page}`);
}

describe('file import: multi-page TIFF and bad files', () => {
  let threePages: Uint8Array;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'motcua-import-'));
    const page = (file: string, label: string, colour: string, type: string) =>
      convert(['-size', '500x700', 'xc:white', '-fill', colour, '-pointsize', '60', '-annotate', '+60+200', label, '-type', type, '-depth', '8', path.join(dir, file)]);
    // Page 1 black-and-white, page 2 colour, page 3 grey; 200 dpi declared; little-endian, LZW.
    page('p1.png', 'Trang 1', 'black', 'Bilevel');
    page('p2.png', 'Trang 2', 'red', 'TrueColor');
    page('p3.png', 'Trang 3', 'gray40', 'Grayscale');
    convert([...['p1.png', 'p2.png', 'p3.png'].map((f) => path.join(dir, f)), '-units', 'PixelsPerInch', '-density', '200', '-define', 'tiff:endian=lsb', '-compress', 'LZW', path.join(dir, 'ba-trang.tif')]);
    threePages = new Uint8Array(await readFile(path.join(dir, 'ba-trang.tif')));
  });

  it('a 3-page TIFF becomes three pages, in order, each at its declared 200 dpi', async () => {
    const service = new CaptureService([]);
    const items = await importAll(service, [{ name: 'ba-trang.tif', bytes: threePages }]);
    expect(items.map((i) => i.kind)).toEqual(['page', 'page', 'page']);
    const pages = items.flatMap((i) => (i.kind === 'page' ? [i] : []));
    expect(pages.map((p) => p.origin.name)).toEqual(['ba-trang.tif (trang 1)', 'ba-trang.tif (trang 2)', 'ba-trang.tif (trang 3)']);
    expect(pages.map((p) => p.origin.kind)).toEqual(['file', 'file', 'file']);
    // Black-and-white and grey pages as lossless PNG, the colour page as JPEG.
    expect(pages.map((p) => p.info.mediaType)).toEqual(['image/png', 'image/jpeg', 'image/png']);
    for (const p of pages) expect(p.info).toMatchObject({ widthPx: 500, heightPx: 700, dpi: 200, pageCount: 1 });
    expect(await identify(pages[0]!.bytes)).toMatch(/^PNG 500 700 (Gray|sRGB)/);
    expect(await identify(pages[1]!.bytes)).toBe('JPEG 500 700 sRGB');
  });

  it('a Group 4 (fax) TIFF in big-endian byte order imports too', async () => {
    const file = path.join(dir, 'fax.tif');
    convert(['-size', '600x800', 'xc:white', '-fill', 'black', '-draw', 'rectangle 50,50 300,120', '-type', 'Bilevel', '-units', 'PixelsPerInch', '-density', '204x196', '-define', 'tiff:endian=msb', '-compress', 'Group4', file]);
    const service = new CaptureService([]);
    const items = await importAll(service, [{ name: 'fax.tif', bytes: new Uint8Array(await readFile(file)) }]);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ kind: 'page', info: { mediaType: 'image/png', widthPx: 600, heightPx: 800, dpi: 196 } });
  });

  it('a TIFF cut off in its last page keeps the pages before it and names the cut page in Vietnamese', async () => {
    const probe = probeTiff(threePages, 'x.tif');
    expect(probe.pages).toHaveLength(3);
    // Cut 100 bytes before the end: ImageMagick writes each page's data before its IFD, so the cut falls in page 3.
    const cut = threePages.slice(0, threePages.length - 100);
    const service = new CaptureService([]);
    const items = await importAll(service, [{ name: 'bi-cat.tif', bytes: cut }]);
    const kinds = items.map((i) => i.kind);
    expect(kinds.slice(0, 2)).toEqual(['page', 'page']);
    expect(kinds.at(-1)).toBe('rejected');
    expect(message(items.at(-1)!)).toBe('Ảnh "bi-cat.tif (trang 3)" bị cắt cụt (tệp chưa ghi xong hoặc bị lỗi). Hãy quét lại trang này.');
  });

  it('a TIFF cut off half-way through its data: the damaged page is refused, the others kept', async () => {
    const cut = threePages.slice(0, Math.floor(threePages.length * 0.5));
    const service = new CaptureService([]);
    const items = await importAll(service, [{ name: 'nua.tif', bytes: cut }]);
    // Whatever survives of the file comes through as pages; at least one page is refused as cut off, none crashes.
    expect(items.some((i) => i.kind === 'rejected' && i.error.code === 'CAPTURE_IMAGE_TRUNCATED')).toBe(true);
    for (const item of items) if (item.kind === 'page') expect(await identify(item.bytes)).toMatch(/^(PNG|JPEG) 500 700/);
  });

  it('a page claiming 30000 × 30000 pixels is refused before decoding; the pages around it come in', async () => {
    const bomb = threePages.slice();
    patchIfdField(bomb, 1, 256, 30000);
    patchIfdField(bomb, 1, 257, 30000);
    const service = new CaptureService([]);
    const items = await importAll(service, [{ name: 'bom.tif', bytes: bomb }]);
    expect(items.map((i) => i.kind)).toEqual(['page', 'rejected', 'page']);
    expect(message(items[1]!)).toBe('Ảnh "bom.tif (trang 2)" quá lớn (30000 × 30000 điểm ảnh) nên không được mở, để tránh treo máy. Hãy quét lại ở độ phân giải 200–300 dpi.');
  });

  it('bad files beside good ones: each refused with its message, the good ones kept in the order picked', async () => {
    const jpeg = await makeJpeg({ widthPx: 400, heightPx: 560, dpi: 200, seed: 4 });
    const service = new CaptureService([]);
    const items = await importAll(service, [
      { name: 'rong.tif', bytes: new Uint8Array() },
      { name: 'to-khai.jpg', bytes: jpeg },
      { name: 'ghi-chu.tif', bytes: new TextEncoder().encode('II*\0 không phải TIFF thật') },
      { name: 'ba-trang.tif', bytes: threePages },
    ]);
    expect(items.map((i) => i.kind)).toEqual(['rejected', 'page', 'rejected', 'page', 'page', 'page']);
    expect(message(items[0]!)).toBe('Tệp "rong.tif" rỗng (0 byte). Hãy quét hoặc chọn lại tệp.');
    expect(message(items[2]!)).toBe('Ảnh "ghi-chu.tif" bị hỏng, không đọc được. Hãy quét lại trang này.');
  });
});
