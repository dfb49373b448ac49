import { PDFDocument, PDFName, StandardFonts } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../../shared/errors';
import { embedCms, preparePdfForSigning, saveCopyingStreamsNatively, signPdf, DEFAULT_PLACEHOLDER_BYTES } from '../../../../shared/pdf/sign-pdf';
import { parsePdfDate, verifyPdfSignatures } from '../../../../shared/pdf/verify-pdf';
import { sha256 } from '../../../../shared/util/bytes';
import { Pkcs12KeyStore } from '../../../../electron/services/signing/pkcs12-keystore';
import { getTestPki, type DemoPki } from '../../../support/pki';

const opts = { reason: 'Tiếp nhận hồ sơ', location: 'UBND xã Demo', signerName: 'Bộ phận Một cửa', signingTime: new Date() };

async function smallPdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([300, 200]);
  page.drawText('Giay tiep nhan', { font: await doc.embedFont(StandardFonts.Helvetica), x: 20, y: 100 });
  return doc.save();
}

const latin1 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('latin1');

let pki: DemoPki;
let keystore: Pkcs12KeyStore;

beforeAll(async () => {
  pki = await getTestPki();
  keystore = new Pkcs12KeyStore({ path: pki.counterSignerP12Path, label: 'test' });
  await keystore.unlock(pki.password);
});

describe('preparePdfForSigning', () => {
  it('reserves ≥ 16 KiB for the CMS and frames /Contents exactly with /ByteRange', async () => {
    const prepared = await preparePdfForSigning(await smallPdf(), opts);
    const [a, b, c, d] = prepared.byteRange;
    expect(a).toBe(0);
    expect(c + d).toBe(prepared.bytes.length);
    expect(c - b - 2).toBeGreaterThanOrEqual(32_768); // hex characters
    expect(c - b - 2).toBe(DEFAULT_PLACEHOLDER_BYTES * 2);
    expect(prepared.bytes[b]).toBe(0x3c); // '<'
    expect(prepared.bytes[c - 1]).toBe(0x3e); // '>'
    const text = latin1(prepared.bytes);
    expect(text).toContain('/SubFilter /ETSI.CAdES.detached');
    expect(text).toContain('/Filter /Adobe.PPKLite');
    expect(text).toMatch(new RegExp(`/ByteRange \\[0 ${b} ${c} ${d} *\\]`));
    expect(text).not.toContain('/ObjStm');
    const digest = sha256(Buffer.concat([prepared.bytes.subarray(0, b), prepared.bytes.subarray(c)]));
    expect(Buffer.from(prepared.contentDigest).equals(Buffer.from(digest))).toBe(true);
  });

  it('writes Vietnamese reason and location as UTF-16BE text strings', async () => {
    const prepared = await preparePdfForSigning(await smallPdf(), opts);
    const text = latin1(prepared.bytes);
    const utf16 = (s: string): string => 'FEFF' + Buffer.from(s, 'utf16le').swap16().toString('hex').toUpperCase();
    expect(text).toContain(`/Reason <${utf16('Tiếp nhận hồ sơ')}>`);
    expect(text).toContain(`/Location <${utf16('UBND xã Demo')}>`);
  });

  it('refuses a PDF that already carries a signature (re-saving would break it)', async () => {
    const signed = await signPdf(await smallPdf(), keystore, opts);
    await expect(preparePdfForSigning(signed, opts)).rejects.toMatchObject({ code: 'PDF_ALREADY_SIGNED' });
  });

  it('reports bytes that are not a PDF as FILE_CORRUPT_PDF', async () => {
    await expect(preparePdfForSigning(new TextEncoder().encode('not a pdf at all'), opts)).rejects.toMatchObject({ code: 'FILE_CORRUPT_PDF' });
  });
});

describe('saveCopyingStreamsNatively', () => {
  it('writes exactly the bytes of pdf-lib\'s own save, large image streams included, and leaves the document unpatched', async () => {
    // Two pages: a 300 KB image stream (copied natively) and a 1 KB one (left to pdf-lib), plus a
    // content stream pdf-lib encodes itself; loaded from bytes, as the signer does.
    const made = await PDFDocument.create();
    for (const size of [300 * 1024, 1024]) {
      const image = made.context.register(made.context.stream(new Uint8Array(size).map((_, i) => (i * 7919) % 251), { Type: 'XObject', Subtype: 'Image', Filter: 'DCTDecode' }));
      const page = made.addPage([595, 842]);
      page.node.setXObject(PDFName.of('Scan'), image);
      page.drawText('Trang', { x: 20, y: 20 });
    }
    const source = await made.save({ useObjectStreams: false });
    const doc = await PDFDocument.load(source);
    const natively = await saveCopyingStreamsNatively(doc);
    const patched = doc.context.enumerateIndirectObjects().filter(([, obj]) => Object.hasOwn(obj, 'copyBytesInto'));
    expect(patched).toEqual([]);
    const byPdfLib = await doc.save({ useObjectStreams: false });
    expect(natively.length).toBe(byPdfLib.length);
    expect(Buffer.from(natively).equals(Buffer.from(byPdfLib))).toBe(true);
  });
});

describe('embedCms', () => {
  it('throws SIGNATURE_PLACEHOLDER_TOO_SMALL when the CMS does not fit, and changes no other byte when it does', async () => {
    const prepared = await preparePdfForSigning(await smallPdf(), { ...opts, placeholderBytes: 1024 });
    expect(() => embedCms(prepared, new Uint8Array(1025))).toThrow(AppError);
    expect(() => embedCms(prepared, new Uint8Array(1025))).toThrow(/SIGNATURE_PLACEHOLDER_TOO_SMALL/);
    const out = embedCms(prepared, new Uint8Array(1024).fill(0xab));
    expect(out.length).toBe(prepared.bytes.length);
    const [, b, c] = prepared.byteRange;
    expect(Buffer.from(out.subarray(0, b)).equals(Buffer.from(prepared.bytes.subarray(0, b)))).toBe(true);
    expect(Buffer.from(out.subarray(c)).equals(Buffer.from(prepared.bytes.subarray(c)))).toBe(true);
    expect(latin1(out.subarray(b + 1, b + 5))).toBe('abab');
  });
});

describe('verifyPdfSignatures', () => {
  it('accepts a fresh signature and reports the PAdES attributes', async () => {
    const signed = await signPdf(await smallPdf(), keystore, opts);
    const report = verifyPdfSignatures(signed, { trustAnchorsDer: [pki.rootDer] });
    expect(report.problems).toEqual([]);
    expect(report.valid).toBe(true);
    expect(report.signatures).toHaveLength(1);
    const [sig] = report.signatures;
    expect(sig).toMatchObject({
      subFilter: 'ETSI.CAdES.detached',
      integrity: 'valid',
      coversWholeDocument: true,
      chain: { trusted: true },
      certificateValidAtSigningTime: true,
      attributes: { signingCertificateV2Matches: true, hasSigningTime: false, contentTypeIsData: true },
      padesBaselineB: true,
      problems: [],
    });
    expect(sig?.signer?.subject).toBe('CN=Bộ phận Một cửa - Demo, O=UBND xã Demo, C=VN');
    expect(sig?.claimedSigningTime).toBe(new Date(Math.floor(opts.signingTime.getTime() / 1000) * 1000).toISOString());
  });

  it('flags content appended after signing (incremental update) as not covering the whole document', async () => {
    const signed = await signPdf(await smallPdf(), keystore, opts);
    const appended = Buffer.concat([signed, Buffer.from('\n% appended after signing\n')]);
    const report = verifyPdfSignatures(appended, { trustAnchorsDer: [pki.rootDer] });
    expect(report.signatures[0]?.integrity).toBe('valid');
    expect(report.signatures[0]?.coversWholeDocument).toBe(false);
    expect(report.valid).toBe(false);
  });

  it('says invalid (not throw) for an unsigned PDF, and FILE_CORRUPT_PDF for non-PDF bytes', async () => {
    const report = verifyPdfSignatures(await smallPdf(), { trustAnchorsDer: [pki.rootDer] });
    expect(report.valid).toBe(false);
    expect(report.signatures).toHaveLength(0);
    expect(() => verifyPdfSignatures(new Uint8Array([1, 2, 3]), { trustAnchorsDer: [] })).toThrow(/FILE_CORRUPT_PDF/);
  });

  it('checks the certificate at the claimed signing time', async () => {
    const signed = await signPdf(await smallPdf(), keystore, { ...opts, signingTime: new Date('2001-01-01T00:00:00Z') });
    const report = verifyPdfSignatures(signed, { trustAnchorsDer: [pki.rootDer] });
    expect(report.signatures[0]?.certificateValidAtSigningTime).toBe(false);
    expect(report.valid).toBe(false);
  });
});

describe('parsePdfDate', () => {
  it('reads UTC and offset forms', () => {
    expect(parsePdfDate('D:20250102030405Z')).toBe('2025-01-02T03:04:05.000Z');
    expect(parsePdfDate("D:20250102100405+07'00'")).toBe('2025-01-02T03:04:05.000Z');
    expect(parsePdfDate('D:2025')).toBe('2025-01-01T00:00:00.000Z');
    expect(parsePdfDate('garbage')).toBeNull();
  });
});
