import { deflateSync } from 'node:zlib';
import { PDFDocument, PDFName, PDFNumber, PDFRawStream } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../shared/errors';
import { guardCapturedFile } from '../../../../shared/capture/import-guard';
import { guardPdfInflation, maxPdfStreamInflatedBytes } from '../../../../shared/pdf/inflate-guard';

/** A one-page PDF whose content stream is `inflated` bytes of spaces, Flate-compressed (valid PDF syntax). */
async function pdfWithContent(inflated: number, options: { objectStreams?: boolean } = {}): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([595.28, 841.89]);
  const deflated = deflateSync(Buffer.alloc(inflated, 0x20), { level: 9 });
  const dict = doc.context.obj({ Filter: 'FlateDecode' });
  dict.set(PDFName.of('Length'), PDFNumber.of(deflated.length));
  page.node.set(PDFName.of('Contents'), doc.context.register(PDFRawStream.of(dict, deflated)));
  return doc.save({ useObjectStreams: options.objectStreams ?? false });
}

async function refusal(bytes: Uint8Array, name: string): Promise<AppError> {
  const error: unknown = await guardCapturedFile(bytes, name).then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

describe('PDF decompression bombs (issue 17, finding 10)', () => {
  it('refuses at import a small PDF whose content stream inflates past the per-stream cap, before pdf-lib parses it', async () => {
    const bomb = await pdfWithContent(maxPdfStreamInflatedBytes + 1024 * 1024);
    // The bomb is tiny on disk: what makes it dangerous is what pdf.js would inflate to draw it.
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const error = await refusal(bomb, 'don-cong-dan.pdf');
    expect(error.code).toBe('FILE_PDF_TOO_EXPANDED');
    expect(error.details).toMatchObject({ name: 'don-cong-dan.pdf', scope: 'stream', limitMb: 256 });
  }, 30_000);

  it('accepts an ordinary PDF and counts its Flate streams, object streams included', async () => {
    const ordinary = await pdfWithContent(200_000, { objectStreams: true });
    const report = guardPdfInflation(ordinary, 'binh-thuong.pdf');
    // The content stream and the object stream pdf-lib wrote.
    expect(report.streams).toBeGreaterThanOrEqual(2);
    expect(report.inflatedBytes).toBeGreaterThanOrEqual(200_000);
    await expect(guardCapturedFile(ordinary, 'binh-thuong.pdf')).resolves.toMatchObject({ mediaType: 'application/pdf', pageCount: 1 });
  });

  it('refuses a file whose streams together pass the file cap though each one is under its own', async () => {
    const doc = await PDFDocument.create();
    for (let i = 0; i < 3; i++) {
      const page = doc.addPage([595.28, 841.89]);
      const deflated = deflateSync(Buffer.alloc(40_000, 0x20));
      const dict = doc.context.obj({ Filter: 'FlateDecode', Length: deflated.length });
      page.node.set(PDFName.of('Contents'), doc.context.register(PDFRawStream.of(dict, deflated)));
    }
    const bytes = await doc.save({ useObjectStreams: false });
    let error: unknown;
    try {
      guardPdfInflation(bytes, 'ba-trang.pdf', { perStream: 50_000, total: 100_000 });
    } catch (err) {
      error = err;
    }
    expect(error).toMatchObject({ code: 'FILE_PDF_TOO_EXPANDED', details: { scope: 'file' } });
    expect(guardPdfInflation(bytes, 'ba-trang.pdf', { perStream: 50_000, total: 130_000 }).streams).toBe(3);
  });

  it('leaves a stream it cannot inflate to the parsers (it refuses only for size)', () => {
    const text = '%PDF-1.7\n1 0 obj\n<< /Filter /FlateDecode /Length 5 >>\nstream\nxxxxx\nendstream\nendobj\n';
    expect(guardPdfInflation(new TextEncoder().encode(text), 'hong.pdf')).toEqual({ streams: 0, inflatedBytes: 0 });
  });
});
