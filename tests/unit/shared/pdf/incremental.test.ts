import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRef, StandardFonts } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { appendSignature, RawPdf, revisionEnds } from '../../../../shared/pdf/incremental';
import { signPdf } from '../../../../shared/pdf/sign-pdf';
import { verifyPdfSignatures } from '../../../../shared/pdf/verify-pdf';
import { Pkcs12KeyStore } from '../../../../electron/services/signing/pkcs12-keystore';
import { getTestPki, type DemoPki } from '../../../support/pki';

const opts = { reason: 'Tiếp nhận hồ sơ', location: 'UBND xã Demo', signerName: 'Bộ phận Một cửa', signingTime: new Date() };
const latin1 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('latin1');

let pki: DemoPki;
let keystore: Pkcs12KeyStore;
let signedOnce: Uint8Array;

async function twoPagePdf(): Promise<PDFDocument> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.addPage([300, 200]).drawText('Trang 1', { font, x: 20, y: 100 });
  doc.addPage([300, 200]).drawText('Trang 2', { font, x: 20, y: 100 });
  return doc;
}

/**
 * Appends a hand-written incremental update (what another tool might do after our signature): objects by
 * number with their body text, and object numbers to mark free.
 */
function appendRevision(pdf: Uint8Array, objects: Record<number, string>, free: number[] = []): Uint8Array {
  const text = latin1(pdf);
  const prev = Number(/startxref\s+(\d+)\s+%%EOF\s*$/.exec(text)?.[1]);
  const trailers = [...text.matchAll(/trailer\s*<<([\s\S]*?)>>\s*startxref/g)];
  const lastTrailer = trailers[trailers.length - 1]?.[1] ?? '';
  const root = /\/Root (\d+ \d+ R)/.exec(lastTrailer)?.[1];
  const size = Number(/\/Size (\d+)/.exec(lastTrailer)?.[1]);
  let body = '';
  const offsets: [number, string][] = [];
  for (const [n, objectBody] of Object.entries(objects)) {
    offsets.push([Number(n), `${String(pdf.length + body.length).padStart(10, '0')} 00000 n\r\n`]);
    body += `${n} 0 obj\n${objectBody}\nendobj\n`;
  }
  for (const n of free) offsets.push([n, '0000000000 00001 f\r\n']);
  const xrefAt = pdf.length + body.length;
  const xref = offsets.map(([n, line]) => `${n} 1\n${line}`).join('');
  const newSize = Math.max(size, ...Object.keys(objects).map((n) => Number(n) + 1));
  const tail = `xref\n${xref}trailer\n<< /Size ${newSize} /Root ${root} /Prev ${prev} >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  return new Uint8Array(Buffer.concat([pdf, Buffer.from(body + tail, 'latin1')]));
}

/** Object number and dictionary text of the first page, and its content stream's number. */
function firstPage(pdf: Uint8Array): { n: number; body: string; contents: number } {
  const raw = new RawPdf(pdf);
  const at = raw.startxrefBefore(pdf.length) ?? 0;
  const catalog = raw.resolve(raw.section(at).trailer.get(PDFName.of('Root')), at);
  const pages = catalog instanceof PDFDict ? raw.resolve(catalog.get(PDFName.of('Pages')), at) : undefined;
  const kids = pages instanceof PDFDict ? raw.resolve(pages.get(PDFName.of('Kids')), at) : undefined;
  const ref = kids instanceof PDFArray ? kids.get(0) : undefined;
  const page = raw.resolve(ref, at);
  if (!(ref instanceof PDFRef) || !(page instanceof PDFDict)) throw new Error('no page');
  const entry = page.get(PDFName.of('Contents'));
  const contents = entry instanceof PDFArray ? entry.get(0) : entry; // pdf-lib writes an array of streams
  if (!(contents instanceof PDFRef)) throw new Error('no content stream');
  return { n: ref.objectNumber, body: page.toString(), contents: contents.objectNumber };
}

beforeAll(async () => {
  pki = await getTestPki();
  keystore = new Pkcs12KeyStore({ path: pki.counterSignerP12Path, label: 'test' });
  await keystore.unlock(pki.password);
  signedOnce = await signPdf(await twoPagePdf(), keystore, opts);
});

describe('appendSignature', () => {
  it('keeps the original bytes, and every xref offset of the update points at its object', async () => {
    const twice = await appendSignature(signedOnce, keystore, { ...opts, fieldName: 'Cán bộ' });
    expect(Buffer.from(twice.subarray(0, signedOnce.length)).equals(Buffer.from(signedOnce))).toBe(true);
    const update = latin1(twice.subarray(signedOnce.length));
    const xref = /xref\n([\s\S]*?)trailer/.exec(update)?.[1] ?? '';
    const lines = xref.split('\n').map((l) => l.trim()).filter(Boolean);
    let checked = 0;
    for (let i = 0; i < lines.length; ) {
      const [first, count] = (lines[i] ?? '').split(' ').map(Number) as [number, number];
      for (let k = 0; k < count; k++) {
        const offset = Number(lines[i + 1 + k]?.slice(0, 10));
        expect(latin1(twice.subarray(offset, offset + 16))).toMatch(new RegExp(`^${first + k} 0 obj`));
        checked++;
      }
      i += 1 + count;
    }
    expect(checked).toBe(4); // page, AcroForm, signature dictionary, widget
    expect(update).toMatch(/\/Prev \d+/);
    // pdf-lib ends the file right after %%EOF; the update starts with an end-of-line, counted with the marker.
    expect(revisionEnds(twice)).toEqual([signedOnce.length + 1, twice.length]);
    expect((await PDFDocument.load(twice)).getForm().getFields().map((f) => f.getName())).toEqual(['Signature1', 'Cán bộ']);
  });

  it('refuses a visible stamp on a later signature, and a field name already taken', async () => {
    const fonts = { regular: new Uint8Array(1), bold: new Uint8Array(1) };
    await expect(
      appendSignature(signedOnce, keystore, { ...opts, appearance: { kind: 'copy-stamp', copyForm: 'SAO Y', organisationName: 'X', fonts } }),
    ).rejects.toMatchObject({ code: 'SIGNATURE_APPEARANCE_INVALID' });
    await expect(appendSignature(signedOnce, keystore, { ...opts, fieldName: 'Signature1' })).rejects.toMatchObject({ code: 'PDF_INCREMENTAL_UNSUPPORTED' });
  });

  it('refuses bytes that are not a PDF', async () => {
    await expect(appendSignature(new TextEncoder().encode('hello'), keystore, opts)).rejects.toMatchObject({ code: 'FILE_CORRUPT_PDF' });
  });
});

describe('verifyPdfSignatures: what changed after a signature', () => {
  it('a single signature: revision 1, covered bytes, no changes after it', () => {
    const [sig] = verifyPdfSignatures(signedOnce, { trustAnchorsDer: [pki.rootDer] }).signatures;
    const [, b, c, d] = sig?.byteRange ?? [];
    expect(sig).toMatchObject({ revision: 1, changesAfter: 'none', laterRevisions: [] });
    expect(sig?.coveredBytes).toBe((b ?? 0) + (d ?? 0));
    expect((b ?? 0) + (c ?? 0) - (b ?? 0) + (d ?? 0)).toBe(signedOnce.length);
  });

  it('an added text annotation: "annotations"; the first signature stays intact but the file is not fully covered', () => {
    const page = firstPage(signedOnce);
    const size = Number(/\/Size (\d+)/.exec(latin1(signedOnce))?.[1]);
    const withNote = appendRevision(signedOnce, {
      [size]: '<< /Type /Annot /Subtype /Text /Rect [10 10 30 30] /Contents (Ghi chu) >>',
      [page.n]: page.body.replace(/\/Annots\s*\[/, `/Annots [${size} 0 R `),
    });
    const report = verifyPdfSignatures(withNote, { trustAnchorsDer: [pki.rootDer] });
    const [sig] = report.signatures;
    expect(sig?.integrity).toBe('valid');
    expect(sig?.changesAfter).toBe('annotations');
    expect(sig?.laterRevisions[0]?.objects).toEqual(
      expect.arrayContaining([
        { objectNumber: size, generation: 0, change: 'added', kind: 'annotation', level: 'annotations' },
        { objectNumber: page.n, generation: 0, change: 'modified', kind: 'page', level: 'signatures-only' },
      ]),
    );
    expect(report.valid).toBe(false);
  });

  it('a replaced page content stream: "content", the object named', () => {
    const page = firstPage(signedOnce);
    const contents = page.contents;
    const changed = appendRevision(signedOnce, { [contents]: '<< /Length 30 >>\nstream\nBT /F1 12 Tf 20 50 Td (X) Tj ET\nendstream' });
    const [sig] = verifyPdfSignatures(changed, { trustAnchorsDer: [pki.rootDer] }).signatures;
    expect(sig?.changesAfter).toBe('content');
    expect(sig?.laterRevisions[0]?.objects).toEqual([{ objectNumber: contents, generation: 0, change: 'modified', kind: 'page', level: 'content' }]);
  });

  it('a page whose /MediaBox changed, or an object deleted: "content"', () => {
    const page = firstPage(signedOnce);
    const resized = appendRevision(signedOnce, { [page.n]: page.body.replace(/\/MediaBox\s*\[[^\]]*\]/, '/MediaBox [0 0 600 600]') });
    expect(verifyPdfSignatures(resized, { trustAnchorsDer: [pki.rootDer] }).signatures[0]?.changesAfter).toBe('content');
    const contents = page.contents;
    const deleted = appendRevision(signedOnce, {}, [contents]);
    const [sig] = verifyPdfSignatures(deleted, { trustAnchorsDer: [pki.rootDer] }).signatures;
    expect(sig?.changesAfter).toBe('content');
    expect(sig?.laterRevisions[0]?.objects[0]).toMatchObject({ objectNumber: contents, change: 'deleted', level: 'content' });
  });

  it('a second signature after our first: "signatures-only"; trailing bytes without a revision: unreadable, "content"', async () => {
    const twice = await appendSignature(signedOnce, keystore, opts);
    const report = verifyPdfSignatures(twice, { trustAnchorsDer: [pki.rootDer] });
    expect(report.valid).toBe(true);
    expect(report.signatures.map((s) => [s.revision, s.changesAfter])).toEqual([
      [1, 'signatures-only'],
      [2, 'none'],
    ]);
    const junk = new Uint8Array(Buffer.concat([twice, Buffer.from('garbage that is not a revision')]));
    const junkReport = verifyPdfSignatures(junk, { trustAnchorsDer: [pki.rootDer] });
    expect(junkReport.signatures[1]?.laterRevisions).toEqual([{ revision: 3, start: twice.length, end: junk.length, readable: false, objects: [], level: 'content' }]);
    expect(junkReport.signatures[1]?.changesAfter).toBe('content');
  });
});
