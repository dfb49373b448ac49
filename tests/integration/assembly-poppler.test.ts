/**
 * The assembled PDF read by independent tools: poppler's pdfimages (what is embedded: colour, size,
 * encoding, resolution), pdftoppm (what a reader sees), qpdf (syntax; and it makes the encrypted input).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';
import { assembleComponentPdfBytes } from '../../shared/pdf/assemble';
import { probeSourceFile } from '../../shared/pdf/image-probe';
import { a4Pixels, decodePixels, makeJpeg, makePng, withExif } from '../support/images';

const run = promisify(execFile);
const meta = { title: 'Thành phần hồ sơ', creationDate: new Date('2025-01-02T03:04:05Z') };

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'motcua-assembly-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface ListedImage {
  page: number;
  width: number;
  height: number;
  color: string;
  comp: number;
  bpc: number;
  enc: string;
  xPpi: number;
  yPpi: number;
}

/** `pdfimages -list` rows: page num type width height color comp bpc enc interp object ID x-ppi y-ppi size ratio. */
async function listImages(pdfPath: string): Promise<ListedImage[]> {
  const { stdout } = await run('pdfimages', ['-list', pdfPath]);
  return stdout
    .split('\n')
    .slice(2)
    .filter((line) => line.trim())
    .map((line) => line.trim().split(/\s+/))
    .map((f) => ({ page: Number(f[0]), width: Number(f[3]), height: Number(f[4]), color: f[5] ?? '', comp: Number(f[6]), bpc: Number(f[7]), enc: f[8] ?? '', xPpi: Number(f[12]), yPpi: Number(f[13]) }));
}

describe('assembled PDF seen by poppler and qpdf', () => {
  it('embeds colour JPEG and PNG scans at their size and resolution', async () => {
    const a4at200 = a4Pixels(200);
    const files = [
      { name: 'page1.jpg', bytes: await makeJpeg({ ...a4at200, dpi: 200, seed: 1 }) },
      { name: 'page2.png', bytes: await makePng({ widthPx: 827, heightPx: 1169, dpi: 100, seed: 2 }) },
      { name: 'page3.jpg', bytes: await makeJpeg({ ...a4Pixels(300), dpi: 300, seed: 3 }) },
      { name: 'page4.jpg', bytes: await makeJpeg({ widthPx: 600, heightPx: 800, dpi: 200, colour: 'gray', seed: 4 }) },
    ];
    const { bytes } = await assembleComponentPdfBytes(files, meta);
    const pdfPath = join(dir, 'component.pdf');
    await writeFile(pdfPath, bytes);

    expect(await listImages(pdfPath)).toEqual([
      { page: 1, ...dims(a4at200.widthPx, a4at200.heightPx), color: 'rgb', comp: 3, bpc: 8, enc: 'jpeg', xPpi: 200, yPpi: 200 },
      { page: 2, ...dims(827, 1169), color: 'rgb', comp: 3, bpc: 8, enc: 'image', xPpi: 100, yPpi: 100 },
      { page: 3, ...dims(a4Pixels(300).widthPx, a4Pixels(300).heightPx), color: 'rgb', comp: 3, bpc: 8, enc: 'jpeg', xPpi: 300, yPpi: 300 },
      { page: 4, ...dims(600, 800), color: 'gray', comp: 1, bpc: 8, enc: 'jpeg', xPpi: 200, yPpi: 200 },
    ]);

    const { stdout: info } = await run('pdfinfo', [pdfPath]);
    expect(info).toMatch(/Pages:\s+4/);
    expect(info).toMatch(/Creator:\s+motcua-kiosk/);
    expect(info).toMatch(/Page size:\s+595\.\d+ x 842\.\d+ pts \(A4\)/);
    // Exit status 0: no syntax errors, no warnings.
    await run('qpdf', ['--check', pdfPath]);
  });

  it('carries PNG pixels through unchanged, 1-bit scans staying 1-bit', async () => {
    const specs = [
      { name: 'rgb.png', colour: 'rgb', layout: 'rgb', listed: { color: 'rgb', comp: 3, bpc: 8 } },
      { name: 'gray.png', colour: 'gray', layout: 'gray', listed: { color: 'gray', comp: 1, bpc: 8 } },
      { name: 'bilevel.png', colour: 'bilevel', layout: 'gray', listed: { color: 'gray', comp: 1, bpc: 1 } },
      { name: 'interlaced.png', colour: 'rgb', interlaced: true, layout: 'rgb', listed: { color: 'rgb', comp: 3, bpc: 8 } },
    ] as const;
    const files = [];
    for (const [i, spec] of specs.entries()) {
      const bytes = await makePng({ widthPx: 413, heightPx: 585, dpi: 50, colour: spec.colour, interlaced: 'interlaced' in spec, seed: 40 + i });
      await writeFile(join(dir, spec.name), bytes);
      files.push({ name: spec.name, bytes });
    }
    const pdfPath = join(dir, 'png-pages.pdf');
    await writeFile(pdfPath, (await assembleComponentPdfBytes(files, meta)).bytes);

    const listed = await listImages(pdfPath);
    expect(listed.map((l) => ({ color: l.color, comp: l.comp, bpc: l.bpc }))).toEqual(specs.map((s) => s.listed));
    // Extract what a reader decodes (pdfimages -png writes the image as stored) and compare every pixel.
    await run('pdfimages', ['-png', pdfPath, join(dir, 'extracted')]);
    for (const [i, spec] of specs.entries()) {
      const original = await decodePixels(join(dir, spec.name), spec.layout);
      const extracted = await decodePixels(join(dir, `extracted-${String(i).padStart(3, '0')}.png`), spec.layout);
      expect(Buffer.from(extracted).equals(Buffer.from(original)), spec.name).toBe(true);
    }
  });

  it('shows a phone photo upright after applying its EXIF orientation', async () => {
    // Stored image: left half red, right half blue. Turned 90° clockwise (orientation 6), red is on top;
    // turned anticlockwise (8), red is at the bottom.
    const stored = join(dir, 'halves.jpg');
    await run('convert', ['-size', '200x100', 'xc:red', '-fill', 'blue', '-draw', 'rectangle 100,0 199,99', '-quality', '95', stored]);
    const jpeg = new Uint8Array(await readFile(stored));
    for (const [orientation, top, bottom] of [
      [6, 'red', 'blue'],
      [8, 'blue', 'red'],
    ] as const) {
      const { bytes, pages } = await assembleComponentPdfBytes([{ name: 'phone.jpg', bytes: withExif(jpeg, { dpi: 72, orientation }) }], meta);
      expect([pages[0]?.widthPt, pages[0]?.heightPt]).toEqual([100, 200]);
      const pdfPath = join(dir, `turned-${orientation}.pdf`);
      await writeFile(pdfPath, bytes);
      const { stdout } = await run('pdftoppm', ['-r', '72', '-singlefile', pdfPath], { encoding: 'buffer', maxBuffer: 1 << 24 });
      expect([dominantColour(stdout, 50, 40), dominantColour(stdout, 50, 160)]).toEqual([top, bottom]);
    }
  });

  it('refuses an encrypted PDF, in the probe and in assembly', async () => {
    const plain = await PDFDocument.create();
    plain.addPage();
    const plainPath = join(dir, 'plain.pdf');
    const encryptedPath = join(dir, 'encrypted.pdf');
    await writeFile(plainPath, await plain.save());
    await run('qpdf', ['--encrypt', 'user-pass', 'owner-pass', '256', '--', plainPath, encryptedPath]);
    const encrypted = new Uint8Array(await readFile(encryptedPath));

    const probeError: unknown = await probeSourceFile(encrypted, 'locked.pdf').catch((e: unknown) => e);
    expect(probeError).toBeInstanceOf(AppError);
    expect((probeError as AppError).code).toBe('FILE_ENCRYPTED_PDF');
    const assemblyError: unknown = await assembleComponentPdfBytes([{ name: 'locked.pdf', bytes: encrypted }], meta).catch((e: unknown) => e);
    expect((assemblyError as AppError).details).toEqual({ name: 'locked.pdf' });
    expect((assemblyError as AppError).code).toBe('FILE_ENCRYPTED_PDF');
  });
});

function dims(width: number, height: number): { width: number; height: number } {
  return { width, height };
}

/** 'red' | 'blue' | 'other' for the pixel at (x, y) of a binary PPM (P6) image. */
function dominantColour(ppm: Buffer, x: number, y: number): string {
  const text = ppm.toString('latin1', 0, 64);
  const match = /^P6\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(text);
  if (!match) throw new Error('not a PPM');
  const width = Number(match[1]);
  const at = match[0].length + (y * width + x) * 3;
  const [r = 0, g = 0, b = 0] = ppm.subarray(at, at + 3);
  if (r > 180 && g < 80 && b < 80) return 'red';
  if (b > 180 && r < 80 && g < 80) return 'blue';
  return `other(${r},${g},${b})`;
}
