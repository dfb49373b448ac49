// The clerk's personal signature box (issue 15): names the certificate holder and the time, never a copy form.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { PDFArray, PDFDict, PDFDocument, PDFName, degrees, type PDFNumber } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { FONT_ASSET_DIR, fontFiles, type FormFonts } from '../../../../shared/pdf/fonts';
import { preparePdfForSigning } from '../../../../shared/pdf/sign-pdf';
import { drawSignatureBox, signatureBoxLines } from '../../../../shared/pdf/stamp';

let fonts: FormFonts;
beforeAll(async () => {
  const read = async (name: string): Promise<Uint8Array> => new Uint8Array(await readFile(path.join(FONT_ASSET_DIR, name)));
  fonts = { regular: await read(fontFiles.regular), bold: await read(fontFiles.bold) };
});

const signingTime = new Date('2026-11-23T07:05:09.600Z');

async function pageOf(size: [number, number], rotation = 0): Promise<PDFDocument> {
  const doc = await PDFDocument.create();
  doc.addPage(size).setRotation(degrees(rotation));
  return doc;
}

describe('the personal signature box', () => {
  it('two lines: the signer (whitespace collapsed) and the ISO time in Vietnam', () => {
    expect(signatureBoxLines({ signerName: ' Nguyễn\tThị  Lan ', signingTime })).toEqual(['Người ký: Nguyễn Thị Lan', 'Thời gian ký: 2026-11-23T14:05:09+07:00']);
  });

  it('sits in the top-right corner of page 1 as shown, also on a turned page', async () => {
    const [x1, y1, x2, y2] = await drawSignatureBox(await pageOf([595, 842]), { signerName: 'Nguyễn Thị Lan', signingTime, fonts });
    expect(x2).toBeLessThanOrEqual(595 - 19);
    expect(y2).toBeLessThanOrEqual(842 - 19);
    expect(x1).toBeGreaterThan(595 / 2);
    expect(y1).toBeGreaterThan(842 - 80);
    // /Rotate 90 (turned clockwise for display): the shown top-right corner is the user-space top-left.
    const [rx1, , rx2, ry2] = await drawSignatureBox(await pageOf([595, 842], 90), { signerName: 'Nguyễn Thị Lan', signingTime, fonts });
    expect(rx1).toBeGreaterThanOrEqual(19);
    expect(rx2).toBeLessThan(80);
    expect(ry2).toBeLessThanOrEqual(842 - 19);
    expect(ry2).toBeGreaterThan(842 - 30);
  });

  it('refuses an empty signer name', async () => {
    await expect(drawSignatureBox(await pageOf([595, 842]), { signerName: ' ', signingTime, fonts })).rejects.toMatchObject({ code: 'SIGNATURE_APPEARANCE_INVALID' });
  });

  it('the signature widget takes the box rectangle and an appearance stream', async () => {
    const prepared = await preparePdfForSigning(await pageOf([595, 842]), {
      reason: 'Bản sao chụp điện tử',
      location: 'Demo',
      signerName: 'Nguyễn Thị Lan',
      signingTime,
      appearance: { kind: 'signature-box', signerName: 'Nguyễn Thị Lan', fonts },
    });
    const doc = await PDFDocument.load(prepared.bytes);
    const widget = doc.getPages()[0]?.node.lookup(PDFName.of('Annots'), PDFArray).lookup(0, PDFDict);
    const rect = widget?.lookup(PDFName.of('Rect'), PDFArray).asArray().map((n) => (n as PDFNumber).asNumber()) ?? [];
    expect(rect[2] ?? 0).toBeGreaterThan(rect[0] ?? 0);
    expect(rect[3] ?? 0).toBeGreaterThan(rect[1] ?? 0);
    expect(widget?.get(PDFName.of('AP'))).toBeDefined();
  });
});
