import { PDFDocument } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../../shared/errors';
import type { ErrorCode } from '../../../../shared/errors';
import { detectSourceKind, probeSourceFile } from '../../../../shared/pdf/image-probe';
import { makeJpeg, makePng, withExif } from '../../../support/images';

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error: unknown = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

async function expectCode(bytes: Uint8Array, name: string, code: ErrorCode): Promise<void> {
  const error = await rejection(probeSourceFile(bytes, name));
  expect(error.code).toBe(code);
  expect(error.details.name).toBe(name);
}

async function pdfWithPages(count: number): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  for (let i = 0; i < count; i++) doc.addPage([595.28, 841.89]);
  return doc.save({ useObjectStreams: false });
}

describe('probeSourceFile: JPEG', () => {
  let jpeg200: Uint8Array;
  beforeAll(async () => {
    jpeg200 = await makeJpeg({ widthPx: 827, heightPx: 1169, dpi: 200, seed: 11 });
  });

  it('reads size, colour components and the JFIF density', async () => {
    const probe = await probeSourceFile(jpeg200, 'scan.jpg');
    expect(probe).toMatchObject({ kind: 'jpeg', widthPx: 827, heightPx: 1169, components: 3, bitsPerComponent: 8, progressive: false, codingProcess: 'baseline', dpi: { x: 200, y: 200 }, dpiSource: 'jfif', orientation: 1, missingEndOfImage: false });
  });

  it('walks every scan of a progressive JPEG to its end marker', async () => {
    const probe = await probeSourceFile(await makeJpeg({ widthPx: 400, heightPx: 500, dpi: 300, progressive: true, seed: 3 }), 'p.jpg');
    expect(probe).toMatchObject({ kind: 'jpeg', progressive: true, codingProcess: 'progressive', dpi: { x: 300, y: 300 }, missingEndOfImage: false });
  });

  it('reports a grey JPEG as one component', async () => {
    const probe = await probeSourceFile(await makeJpeg({ widthPx: 300, heightPx: 300, dpi: 200, colour: 'gray' }), 'g.jpg');
    expect(probe).toMatchObject({ kind: 'jpeg', components: 1 });
  });

  it('takes the resolution and orientation from EXIF when JFIF gives none', async () => {
    const plain = await makeJpeg({ widthPx: 300, heightPx: 200, dpi: null });
    expect(await probeSourceFile(plain, 'plain.jpg')).toMatchObject({ dpi: null, dpiSource: null });
    const probe = await probeSourceFile(withExif(plain, { dpi: 300, orientation: 6 }), 'phone.jpg');
    expect(probe).toMatchObject({ dpi: { x: 300, y: 300 }, dpiSource: 'exif', orientation: 6 });
  });

  it('recognises by content, not by name', async () => {
    expect(detectSourceKind(jpeg200)).toBe('jpeg');
    expect((await probeSourceFile(jpeg200, 'looks-like.pdf')).kind).toBe('jpeg');
  });

  it('accepts a JPEG that stops inside the image data, and says so', async () => {
    const cut = jpeg200.slice(0, Math.floor(jpeg200.length * 0.6));
    expect(await probeSourceFile(cut, 'cut.jpg')).toMatchObject({ kind: 'jpeg', missingEndOfImage: true });
  });

  it('refuses a JPEG cut inside its headers', async () => {
    await expectCode(jpeg200.slice(0, 300), 'head.jpg', 'FILE_CORRUPT_IMAGE');
    await expectCode(jpeg200.slice(0, 3), 'tiny.jpg', 'FILE_CORRUPT_IMAGE');
  });

  it('refuses a JPEG without a frame header', async () => {
    const noFrame = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, ...new TextEncoder().encode('JFIF\0'), 1, 1, 1, 0, 200, 0, 200, 0, 0, 0xff, 0xd9]);
    await expectCode(noFrame, 'noframe.jpg', 'FILE_CORRUPT_IMAGE');
  });
});

describe('probeSourceFile: PNG', () => {
  let png: Uint8Array;
  beforeAll(async () => {
    png = await makePng({ widthPx: 600, heightPx: 800, dpi: 200, seed: 5 });
  });

  it('reads IHDR and the pHYs resolution', async () => {
    const probe = await probeSourceFile(png, 'scan.png');
    expect(probe).toMatchObject({ kind: 'png', widthPx: 600, heightPx: 800, bitDepth: 8, colourType: 2, interlaced: false });
    if (probe.kind !== 'png' || !probe.dpi) throw new Error('expected a PNG with a resolution');
    expect(probe.dpi.x).toBeCloseTo(200, 0);
    expect(probe.dpi.y).toBeCloseTo(200, 0);
  });

  it('reports no resolution when there is no pHYs', async () => {
    expect(await probeSourceFile(await makePng({ widthPx: 50, heightPx: 40, dpi: null }), 'n.png')).toMatchObject({ kind: 'png', dpi: null });
  });

  it('refuses a PNG cut inside its image data', async () => {
    await expectCode(png.slice(0, Math.floor(png.length / 2)), 'half.png', 'FILE_CORRUPT_IMAGE');
  });

  it('refuses a PNG with a damaged chunk (CRC mismatch)', async () => {
    const damaged = png.slice();
    const at = Math.floor(damaged.length / 2);
    damaged[at] = (damaged[at] ?? 0) ^ 0xff;
    await expectCode(damaged, 'bitrot.png', 'FILE_CORRUPT_IMAGE');
  });
});

describe('probeSourceFile: PDF and other files', () => {
  it('counts the pages of a PDF', async () => {
    expect(await probeSourceFile(await pdfWithPages(3), 'form.pdf')).toEqual({ kind: 'pdf', pageCount: 3 });
  });

  it('refuses an empty file', async () => {
    await expectCode(new Uint8Array(0), 'empty.jpg', 'FILE_EMPTY');
  });

  it('refuses text renamed .jpg and a .docx', async () => {
    await expectCode(new TextEncoder().encode('Đơn đề nghị cấp giấy chứng nhận\n'), 'don.jpg', 'FILE_UNSUPPORTED_TYPE');
    // A .docx is a ZIP: "PK\3\4".
    await expectCode(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0, 0, 0, 0]), 'don.docx', 'FILE_UNSUPPORTED_TYPE');
  });

  it('refuses a PDF that cannot be parsed', async () => {
    await expectCode(new TextEncoder().encode('%PDF-1.7\nthis is not a PDF body\n'), 'broken.pdf', 'FILE_CORRUPT_PDF');
    const real = await pdfWithPages(2);
    await expectCode(real.slice(0, Math.floor(real.length * 0.3)), 'cut.pdf', 'FILE_CORRUPT_PDF');
  });
});
