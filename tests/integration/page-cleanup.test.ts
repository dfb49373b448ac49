import { crc32 } from 'node:zlib';
import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { PageCleaner } from '../../electron/services/imaging/page-cleaner';
import { cleanPage } from '../../electron/services/imaging/page-pipeline';
import { maxPagePixels } from '../../shared/capture/import-guard';
import { AppError } from '../../shared/errors';
import { estimateOrientation, estimateSkew, grayImage } from '../../shared/imaging';
import { probeJpeg } from '../../shared/pdf/image-probe';
import { makePng } from '../support/images';
import { scannedPageJpeg, textPagesPdf, vietnameseText } from '../support/page-images';

let pdf: Uint8Array;
beforeAll(async () => {
  pdf = await textPagesPdf(await vietnameseText(), 1, 300);
});

async function skewOf(jpeg: Uint8Array): Promise<number> {
  const { data, info } = await sharp(jpeg).greyscale().resize({ width: 827 }).raw().toBuffer({ resolveWithObject: true });
  return estimateSkew(grayImage(info.width, info.height, new Uint8Array(data))).angleDegrees;
}

async function codeOf(work: Promise<unknown>): Promise<string> {
  const err: unknown = await work.then(() => undefined, (e: unknown) => e);
  if (!(err instanceof AppError)) throw new Error(`expected an AppError, got ${String(err)}`);
  return err.code;
}

describe('cleanPage on a realistic 200 dpi colour scan', () => {
  it('straightens, crops the lid margin, keeps colour and 200 dpi, and compresses the page', async () => {
    const scan = await scannedPageJpeg(pdf, 200, { rotate: 2.4, noise: 0.3, border: 40, paper: [240, 235, 222] });
    const page = await cleanPage(scan, 'to-khai.jpg');
    expect(page.skewDegrees).toBeCloseTo(-2.4, 0);
    expect(page.cropped).toBe(true);
    expect(page.blank).toBe(false);
    expect(page.belowMinimumDpi).toBe(false);
    // A full page of dense 12 pt text is the worst case (bench/scan-pipeline.bench.ts measures the median).
    expect(page.jpeg.byteLength).toBeLessThan(scan.byteLength / 3);
    expect(Math.abs(await skewOf(page.jpeg))).toBeLessThanOrEqual(0.3);

    const probe = probeJpeg(page.jpeg, 'out.jpg');
    expect(probe.components).toBe(3); // colour kept (Decree 30)
    expect(probe.dpi?.x).toBe(200);
    // The dark lid margin (40 px each side) is cut off; what remains is the crooked sheet's bounding box.
    const input = probeJpeg(scan, 'scan.jpg');
    expect(probe.widthPx).toBeLessThanOrEqual(input.widthPx - 2 * 40 + 4);
    expect(probe.heightPx).toBeLessThanOrEqual(input.heightPx - 2 * 40 + 4);
    expect(probe.widthPx).toBeGreaterThanOrEqual(1654);
  });

  it('turns a sideways, crooked scan upright and straight in one pass, at the sheet size', async () => {
    // The sheet lies a quarter turn plus 1.7° clockwise on the glass: one libvips rotation of -(90 + 1.7)° undoes both.
    const scan = await scannedPageJpeg(pdf, 200, { rotate: 91.7, noise: 0.2, border: 30, paper: [240, 235, 222] });
    const page = await cleanPage(scan, 'nghieng.jpg');
    expect(page.quarterTurns).toBe(3);
    expect(page.skewDegrees).toBeCloseTo(-1.7, 0);
    expect(page.widthPx).toBeLessThan(page.heightPx); // portrait again
    const { data, info } = await sharp(page.jpeg).greyscale().resize({ width: Math.round(page.widthPx / 2) }).raw().toBuffer({ resolveWithObject: true });
    const gray = grayImage(info.width, info.height, new Uint8Array(data));
    expect(Math.abs(estimateSkew(gray).angleDegrees)).toBeLessThanOrEqual(0.3);
    expect(estimateOrientation(gray).quarterTurns).toBe(0);
  });

  it('flags a blank sheet (paper tint and sensor noise only) and still returns it', async () => {
    const empty = await PDFDocument.create();
    empty.addPage([595.28, 841.89]);
    const scan = await scannedPageJpeg(await empty.save(), 200, { noise: 0.3, paper: [238, 236, 230] });
    const page = await cleanPage(scan, 'trang-trang.jpg');
    expect(page.blank).toBe(true);
    expect(page.jpeg.byteLength).toBeGreaterThan(0); // flagged for the clerk, not dropped
  });

  it('does not flag a sheet with one short line of text', async () => {
    const oneLine = await textPagesPdf('Xác nhận của Ủy ban nhân dân xã', 1, 0, { fill: false });
    const page = await cleanPage(await scannedPageJpeg(oneLine, 200, { noise: 0.3, paper: [238, 236, 230] }), 'mot-dong.jpg');
    expect(page.blank).toBe(false);
    expect(page.inkShare).toBeLessThan(0.01); // very little ink, but ink
  });

  it('marks a 150 dpi scan as below the legal minimum', async () => {
    const scan = await scannedPageJpeg(pdf, 150, {});
    const page = await cleanPage(scan, 'thap.jpg');
    expect(page.belowMinimumDpi).toBe(true);
    expect(page.dpi).toBe(150);
  });
});

describe('PageCleaner: a pool of worker threads', () => {
  it('cleans pages side by side in two workers and answers each page with its own result', { timeout: 120_000 }, async () => {
    const cleaner = new PageCleaner({ workers: 2 });
    try {
      const angles = [1.1, -2.2, 0.6, -1.4];
      const scans = await Promise.all(angles.map((rotate) => scannedPageJpeg(pdf, 200, { rotate, noise: 0.2, border: 20, paper: [242, 238, 226] })));
      const pages = await Promise.all(scans.map((scan, i) => cleaner.clean(scan, `trang-${i + 1}.jpg`)));
      pages.forEach((page, i) => expect(page.skewDegrees).toBeCloseTo(-(angles[i] ?? 0), 0));
      // A bad page fails alone; the pool goes on with the next.
      expect(await codeOf(cleaner.clean(new Uint8Array(), 'rong.jpg'))).toBe('FILE_EMPTY');
      expect((await cleaner.clean(scans[0] ?? new Uint8Array(), 'lai.jpg')).skewDegrees).toBeCloseTo(-1.1, 0);
    } finally {
      await cleaner.close();
    }
  });
});

describe('cleanPage refuses bad input with a code, before decoding it', () => {
  it('zero bytes', async () => {
    expect(await codeOf(cleanPage(new Uint8Array(), 'rong.jpg'))).toBe('FILE_EMPTY');
  });

  it('not an image', async () => {
    expect(await codeOf(cleanPage(new TextEncoder().encode('PK\u0003\u0004 docx'), 'don.jpg'))).toBe('FILE_UNSUPPORTED_TYPE');
  });

  it('a truncated JPEG', async () => {
    const scan = await scannedPageJpeg(pdf, 200, {});
    expect(await codeOf(cleanPage(scan.slice(0, Math.floor(scan.length / 3)), 'cut.jpg'))).toBe('CAPTURE_IMAGE_TRUNCATED');
  });

  it('a 30000 × 30000 PNG header (decompression bomb)', async () => {
    const small = await makePng({ widthPx: 16, heightPx: 16, dpi: 200, colour: 'rgb' });
    // Rewrite IHDR's width and height: the header claims 900 Mpx; the pixels are never decoded.
    const bomb = small.slice();
    const view = new DataView(bomb.buffer);
    view.setUint32(16, 30000);
    view.setUint32(20, 30000);
    view.setUint32(29, crc32(bomb.subarray(12, 29))); // IHDR's CRC covers its type and data
    expect(30000 * 30000).toBeGreaterThan(maxPagePixels);
    expect(await codeOf(cleanPage(bomb, 'bom.png'))).toBe('CAPTURE_IMAGE_TOO_LARGE');
  });
});
