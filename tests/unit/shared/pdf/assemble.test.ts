import { PDFDocument, PDFName, PDFRawStream } from 'pdf-lib';
import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../../shared/errors';
import { assembleComponentPdf, assembleComponentPdfBytes, minimumDpi, orientationMatrix } from '../../../../shared/pdf/assemble';
import type { SourceFile } from '../../../../shared/pdf/assemble';
import { pngImageData } from '../../../../shared/pdf/image-probe';
import { saveCopyingStreamsNatively } from '../../../../shared/pdf/sign-pdf';
import { a4Pixels, makeJpeg, makePng, withExif } from '../../../support/images';

const meta = { title: 'Giấy chứng nhận quyền sử dụng đất', subject: 'Hồ sơ H01.02-250101-0001', creationDate: new Date('2025-03-04T05:06:07Z') };
const a4 = { width: 595.28, height: 841.89 };

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error: unknown = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

/** The streams of every image XObject in a saved PDF, with their /Filter. */
async function imageStreams(bytes: Uint8Array): Promise<{ filter: string; contents: Uint8Array; colourSpace: string }[]> {
  const doc = await PDFDocument.load(bytes);
  return doc.context
    .enumerateIndirectObjects()
    .flatMap(([, object]) => (object instanceof PDFRawStream && object.dict.get(PDFName.of('Subtype')) === PDFName.of('Image') ? [object] : []))
    .map((stream) => ({
      filter: String(stream.dict.get(PDFName.of('Filter'))),
      colourSpace: String(stream.dict.get(PDFName.of('ColorSpace'))),
      contents: stream.contents,
    }));
}

function contains(haystack: Uint8Array, needle: Uint8Array): boolean {
  return Buffer.from(haystack.buffer, haystack.byteOffset, haystack.byteLength).indexOf(Buffer.from(needle.buffer, needle.byteOffset, needle.byteLength)) >= 0;
}

describe('assembleComponentPdf: page size at 100 % scale', () => {
  const sources: Record<string, SourceFile> = {};
  beforeAll(async () => {
    const [j200, j300, p200, p300] = await Promise.all([
      makeJpeg({ ...a4Pixels(200), dpi: 200, seed: 1 }),
      makeJpeg({ ...a4Pixels(300), dpi: 300, seed: 2 }),
      makePng({ ...a4Pixels(200), dpi: 200, seed: 3 }),
      makePng({ ...a4Pixels(300), dpi: 300, seed: 4 }),
    ]);
    Object.assign(sources, {
      j200: { name: 'j200.jpg', bytes: j200 },
      j300: { name: 'j300.jpg', bytes: j300 },
      p200: { name: 'p200.png', bytes: p200 },
      p300: { name: 'p300.png', bytes: p300 },
    });
  });

  it.each(['j200', 'j300', 'p200', 'p300'])('an A4 scan (%s) becomes an A4 page', async (key) => {
    const source = sources[key];
    if (!source) throw new Error(key);
    const { pdf, pageCount, pages, lowResolutionPages } = await assembleComponentPdf([source], meta);
    expect(pageCount).toBe(1);
    const size = pdf.getPage(0).getSize();
    expect(Math.abs(size.width - a4.width)).toBeLessThanOrEqual(1);
    expect(Math.abs(size.height - a4.height)).toBeLessThanOrEqual(1);
    expect(pages[0]).toMatchObject({ pageNumber: 1, sourceName: source.name, sizeBasis: 'declared-dpi' });
    expect(pages[0]?.dpi).toBeCloseTo(key.endsWith('300') ? 300 : 200, 0);
    expect(lowResolutionPages).toEqual([]);
  });

  it('embeds the JPEG bytes unchanged as a DCTDecode stream', async () => {
    const source = sources.j200;
    if (!source) throw new Error('j200');
    const { bytes } = await assembleComponentPdfBytes([source], meta);
    const images = await imageStreams(bytes);
    expect(images).toHaveLength(1);
    expect(images[0]?.filter).toBe('/DCTDecode');
    expect(images[0]?.colourSpace).toBe('/DeviceRGB');
    expect(Buffer.from(images[0]?.contents ?? []).equals(Buffer.from(source.bytes))).toBe(true);
    expect(contains(bytes, source.bytes)).toBe(true);
  });

  it('embeds RGB PNG data unchanged (FlateDecode with the PNG predictor), an RGBA PNG through pdf-lib', async () => {
    const rgb = sources.p200;
    if (!rgb) throw new Error('p200');
    const rgba = await makePng({ widthPx: 300, heightPx: 200, dpi: 200, colour: 'rgba', seed: 5 });
    const { bytes } = await assembleComponentPdfBytes([rgb, { name: 'alpha.png', bytes: rgba }], meta);
    const doc = await PDFDocument.load(bytes);
    const images = doc.context
      .enumerateIndirectObjects()
      .flatMap(([, object]) => (object instanceof PDFRawStream && object.dict.get(PDFName.of('Subtype')) === PDFName.of('Image') ? [object] : []));
    const passed = images.find((i) => i.dict.get(PDFName.of('DecodeParms')) !== undefined);
    expect(String(passed?.dict.get(PDFName.of('DecodeParms')))).toMatch(/\/Predictor 15/);
    expect(Buffer.from(passed?.contents ?? []).equals(Buffer.from(pngImageData(rgb.bytes)))).toBe(true);
    // pdf-lib splits the alpha channel into a soft mask: 3 image streams in all.
    expect(images).toHaveLength(3);
  });

  it('keeps the pages in the order of the files and records each source', async () => {
    const files = ['j200', 'p200', 'j300'].map((k) => sources[k]).filter((f): f is SourceFile => f !== undefined);
    const { pageCount, pages } = await assembleComponentPdfBytes(files, meta);
    expect(pageCount).toBe(3);
    expect(pages.map((p) => [p.pageNumber, p.sourceName, p.sourceKind])).toEqual([
      [1, 'j200.jpg', 'jpeg'],
      [2, 'p200.png', 'png'],
      [3, 'j300.jpg', 'jpeg'],
    ]);
  });
});

describe('assembleComponentPdf: images without a usable resolution', () => {
  it('sizes an image with no resolution as an A4 sheet and flags it when that is below 200 dpi', async () => {
    const portrait = await makeJpeg({ widthPx: 1000, heightPx: 1414, dpi: null, seed: 8 });
    const landscape = await makePng({ widthPx: 1414, heightPx: 1000, dpi: null, seed: 9 });
    const { pdf, pages, lowResolutionPages } = await assembleComponentPdf(
      [
        { name: 'portrait.jpg', bytes: portrait },
        { name: 'landscape.png', bytes: landscape },
      ],
      meta,
    );
    const first = pdf.getPage(0).getSize();
    expect(first.height).toBeCloseTo(a4.height, 1);
    expect(first.width).toBeCloseTo((1000 / 1414) * a4.height, 1);
    const second = pdf.getPage(1).getSize();
    expect(second.width).toBeCloseTo(a4.height, 1);
    expect(pages.map((p) => p.sizeBasis)).toEqual(['assumed-a4', 'assumed-a4']);
    // 1414 px over 297 mm is about 121 dpi.
    expect(pages[0]?.dpi).toBeCloseTo(120.9, 0);
    expect(lowResolutionPages.map((p) => [p.pageNumber, p.sourceName])).toEqual([
      [1, 'portrait.jpg'],
      [2, 'landscape.png'],
    ]);
  });

  it('ignores a camera-style 72 dpi that would make the page larger than A2', async () => {
    const photo = await makeJpeg({ widthPx: 1200, heightPx: 1800, dpi: 72, seed: 10 });
    const { pages } = await assembleComponentPdf([{ name: 'photo.jpg', bytes: photo }], meta);
    expect(pages[0]).toMatchObject({ sizeBasis: 'assumed-a4', ignoredDpi: 72 });
    expect(pages[0]?.heightPt).toBeCloseTo(a4.height, 1);
  });

  it('lists a true 150 dpi scan as low resolution, at its real size', async () => {
    const scan = await makeJpeg({ ...a4Pixels(150), dpi: 150, seed: 12 });
    const { pages, lowResolutionPages } = await assembleComponentPdf([{ name: 'low.jpg', bytes: scan }], meta);
    expect(pages[0]?.sizeBasis).toBe('declared-dpi');
    expect(pages[0]?.heightPt).toBeCloseTo(a4.height, 0);
    expect(lowResolutionPages).toEqual([{ pageNumber: 1, sourceName: 'low.jpg', dpi: 150 }]);
    expect(minimumDpi).toBe(200);
  });

  it('turns the page for an EXIF orientation of 90°', async () => {
    const stored = await makeJpeg({ widthPx: 1169, heightPx: 827, dpi: null, seed: 13 });
    const { pdf, pages } = await assembleComponentPdf([{ name: 'phone.jpg', bytes: withExif(stored, { dpi: 100, orientation: 6 }) }], meta);
    const size = pdf.getPage(0).getSize();
    expect(size.width).toBeCloseTo((827 / 100) * 72, 1);
    expect(size.height).toBeCloseTo((1169 / 100) * 72, 1);
    expect(pages[0]?.dpi).toBe(100);
  });

  it('maps the image unit square onto the page for every orientation', () => {
    // Corners of the unit square (u, v) → page points, for a 10 × 20 page.
    const apply = (m: number[], u: number, v: number): [number, number] => [(m[0] ?? 0) * u + (m[2] ?? 0) * v + (m[4] ?? 0), (m[1] ?? 0) * u + (m[3] ?? 0) * v + (m[5] ?? 0)];
    for (let orientation = 1; orientation <= 8; orientation++) {
      const m = orientationMatrix(orientation, 10, 20);
      const corners = [apply(m, 0, 0), apply(m, 1, 0), apply(m, 0, 1), apply(m, 1, 1)].map(([x, y]) => `${x},${y}`).sort();
      expect(corners).toEqual(['0,0', '0,20', '10,0', '10,20']);
    }
    // Orientation 6 (turned 90° clockwise to view): the stored top-left pixel is seen at the top right.
    expect(apply(orientationMatrix(6, 10, 20), 0, 1)).toEqual([10, 20]);
    // Orientation 8: the stored top-left pixel is seen at the bottom left.
    expect(apply(orientationMatrix(8, 10, 20), 0, 1)).toEqual([0, 0]);
  });
});

describe('assembleComponentPdf: PDF sources, metadata, errors', () => {
  it('copies every page of a source PDF, keeping sizes', async () => {
    const source = await PDFDocument.create();
    source.addPage([a4.width, a4.height]);
    source.addPage([a4.height, a4.width]);
    source.addPage([419.53, 595.28]); // A5
    const jpeg = await makeJpeg({ widthPx: 827, heightPx: 1169, dpi: 100, seed: 14 });
    const { pdf, pageCount, pages } = await assembleComponentPdf(
      [
        { name: 'form.pdf', bytes: await source.save() },
        { name: 'id-card.jpg', bytes: jpeg },
      ],
      meta,
    );
    expect(pageCount).toBe(4);
    expect(pdf.getPages().map((p) => Math.round(p.getWidth()))).toEqual([595, 842, 420, 595]);
    expect(pages.map((p) => p.sizeBasis)).toEqual(['source-pdf', 'source-pdf', 'source-pdf', 'declared-dpi']);
  });

  it('writes title, subject, creator, producer and dates', async () => {
    const jpeg = await makeJpeg({ widthPx: 200, heightPx: 280, dpi: 200 });
    const { bytes } = await assembleComponentPdfBytes([{ name: 'a.jpg', bytes: jpeg }], meta);
    const doc = await PDFDocument.load(bytes, { updateMetadata: false });
    expect(doc.getTitle()).toBe(meta.title);
    expect(doc.getSubject()).toBe(meta.subject);
    expect(doc.getCreator()).toBe('motcua-kiosk');
    expect(doc.getProducer()).toContain('motcua-kiosk');
    expect(doc.getCreationDate()?.toISOString()).toBe(meta.creationDate.toISOString());
    expect(doc.getModificationDate()?.toISOString()).toBe(meta.creationDate.toISOString());
    expect(new TextDecoder('latin1').decode(bytes.subarray(0, 8))).toBe('%PDF-1.7');
  });

  it('gives the same bytes for the same input (a retry yields the same hash)', async () => {
    const jpeg = await makeJpeg({ widthPx: 200, heightPx: 280, dpi: 200, seed: 21 });
    const png = await makePng({ widthPx: 120, heightPx: 90, dpi: 300, seed: 22 });
    const files = [
      { name: 'a.jpg', bytes: jpeg },
      { name: 'b.png', bytes: png },
    ];
    const first = await assembleComponentPdfBytes(files, meta);
    const second = await assembleComponentPdfBytes(files, meta);
    expect(Buffer.from(first.bytes).equals(Buffer.from(second.bytes))).toBe(true);
  });

  it('names the failing file in the error', async () => {
    const good = await makeJpeg({ widthPx: 200, heightPx: 280, dpi: 200 });
    const cases: [SourceFile, string][] = [
      [{ name: 'empty.jpg', bytes: new Uint8Array(0) }, 'FILE_EMPTY'],
      [{ name: 'cut.jpg', bytes: good.slice(0, 200) }, 'FILE_CORRUPT_IMAGE'],
      [{ name: 'note.jpg', bytes: new TextEncoder().encode('not an image') }, 'FILE_UNSUPPORTED_TYPE'],
      [{ name: 'bad.pdf', bytes: new TextEncoder().encode('%PDF-1.4\n%%EOF\n') }, 'FILE_CORRUPT_PDF'],
    ];
    for (const [bad, code] of cases) {
      const error = await rejection(assembleComponentPdfBytes([{ name: 'good.jpg', bytes: good }, bad], meta));
      expect([error.code, error.details.name]).toEqual([code, bad.name]);
    }
  });

  it('refuses a JPEG that PDF readers cannot show (arithmetic coding)', async () => {
    const jpeg = await makeJpeg({ widthPx: 200, heightPx: 280, dpi: 200, seed: 31 });
    const arithmetic = jpeg.slice();
    // Turn the baseline frame marker (FFC0) into the arithmetic-coded one (FFC9): same header layout.
    const sof = Buffer.from(arithmetic).indexOf(Buffer.from([0xff, 0xc0]), 2);
    arithmetic[sof + 1] = 0xc9;
    const error = await rejection(assembleComponentPdfBytes([{ name: 'arith.jpg', bytes: arithmetic }], meta));
    expect([error.code, error.details.name]).toEqual(['FILE_UNSUPPORTED_TYPE', 'arith.jpg']);
  });

  it('accepts a Uint8Array that is a view into a larger buffer', async () => {
    const jpeg = await makeJpeg({ widthPx: 200, heightPx: 280, dpi: 200, seed: 30 });
    const padded = new Uint8Array(jpeg.length + 64);
    padded.set(jpeg, 32);
    const { pageCount } = await assembleComponentPdfBytes([{ name: 'view.jpg', bytes: padded.subarray(32, 32 + jpeg.length) }], meta);
    expect(pageCount).toBe(1);
  });
});

describe('assembleComponentPdfBytes: pdf-lib\'s own save, with the scanned pages copied natively', () => {
  it('gives the very bytes of pdf-lib\'s save for JPEG and PNG scans, a copied PDF page and an OCR text layer', async () => {
    // Two 200 dpi JPEG pages (hundreds of KB each: copied natively), a grey PNG passed through, a small
    // source PDF and a text layer (a font subset, flushed during the save): every kind of object the
    // assembly writes.
    const [j1, j2, png] = await Promise.all([
      makeJpeg({ ...a4Pixels(200), dpi: 200, seed: 41 }),
      makeJpeg({ ...a4Pixels(200), dpi: 200, seed: 42 }),
      makePng({ ...a4Pixels(100), dpi: 100, seed: 43, colour: 'gray' }),
    ]);
    const source = await PDFDocument.create();
    source.addPage([300, 200]).drawText('Giay to kem theo', { x: 20, y: 100 });
    const sourcePdf = await source.save();
    const textFont = new Uint8Array(await readFile('shared/assets/fonts/LiberationSerif-Regular.ttf'));
    const { widthPx, heightPx } = a4Pixels(200);
    const files: SourceFile[] = [
      { name: 'trang-1.jpg', bytes: j1, textLayer: { widthPx, heightPx, words: [{ text: 'Tờ', x0: 100, y0: 100, x1: 160, y1: 140 }, { text: 'khai', x0: 170, y0: 100, x1: 260, y1: 140 }] } },
      { name: 'trang-2.jpg', bytes: j2, rotation: 90 },
      { name: 'trang-3.png', bytes: png },
      { name: 'kem-theo.pdf', bytes: sourcePdf },
    ];
    const assembled = await assembleComponentPdfBytes(files, { ...meta, textFont });
    const { pdf } = await assembleComponentPdf(files, { ...meta, textFont });
    const byPdfLib = await pdf.save({ useObjectStreams: false, updateFieldAppearances: false });
    expect(assembled.pageCount).toBe(4);
    expect(assembled.bytes.length).toBe(byPdfLib.length);
    expect(Buffer.from(assembled.bytes).equals(Buffer.from(byPdfLib))).toBe(true);
    // The JPEG data went in unchanged (a wrong native copy would show here first).
    expect(contains(assembled.bytes, j1)).toBe(true);
    expect(contains(assembled.bytes, j2)).toBe(true);
  });

  it('copies every large scanned page natively, though pdf-lib makes their streams only while saving', async () => {
    const pages = await Promise.all([51, 52, 53].map((seed) => makeJpeg({ ...a4Pixels(200), dpi: 200, seed })));
    const files = pages.map((bytes, i) => ({ name: `trang-${i + 1}.jpg`, bytes }));
    const { pdf } = await assembleComponentPdf(files, meta);
    const copied: { streams: number; bytes: number }[] = [];
    const natively = await saveCopyingStreamsNatively(pdf, { updateFieldAppearances: false, onNativeCopies: (c) => copied.push(c) });
    expect(copied).toEqual([{ streams: 3, bytes: pages.reduce((sum, p) => sum + p.length, 0) }]);
    // The document is left as given: saved again by pdf-lib alone, the same bytes, and no override remains.
    expect(Object.hasOwn(pdf, 'flush')).toBe(false);
    expect(pdf.context.enumerateIndirectObjects().filter(([, obj]) => Object.hasOwn(obj, 'copyBytesInto'))).toEqual([]);
    expect(Buffer.from(await pdf.save({ useObjectStreams: false, updateFieldAppearances: false })).equals(Buffer.from(natively))).toBe(true);
  });
});
