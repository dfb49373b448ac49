import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { PDFArray, PDFDict, PDFDocument, PDFName, degrees, type PDFNumber } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { FONT_ASSET_DIR, fontFiles, type FormFonts } from '../../../../shared/pdf/fonts';
import { preparePdfForSigning } from '../../../../shared/pdf/sign-pdf';
import { copyStampLines, drawCopyStamp, formatVietnamTime } from '../../../../shared/pdf/stamp';

let fonts: FormFonts;
beforeAll(async () => {
  const read = async (name: string): Promise<Uint8Array> => new Uint8Array(await readFile(path.join(FONT_ASSET_DIR, name)));
  fonts = { regular: await read(fontFiles.regular), bold: await read(fontFiles.bold) };
});

const stamp = { copyForm: 'SAO Y', organisationName: 'UBND xã Demo', signingTime: new Date('2026-11-23T07:05:09.600Z') } as const;

async function pageOf(size: [number, number], rotation = 0): Promise<PDFDocument> {
  const doc = await PDFDocument.create();
  doc.addPage(size).setRotation(degrees(rotation));
  return doc;
}

describe('formatVietnamTime', () => {
  it('writes local time in Vietnam with +07:00, to the second', () => {
    expect(formatVietnamTime(new Date('2026-11-23T07:05:09.600Z'))).toBe('2026-11-23T14:05:09+07:00');
    expect(formatVietnamTime(new Date('2026-12-31T20:00:00Z'))).toBe('2027-01-01T03:00:00+07:00');
  });
});

describe('drawCopyStamp', () => {
  it('has the three lines: copy form, organisation, ISO time', () => {
    expect(copyStampLines({ ...stamp, organisationName: '  UBND xã\nDemo ' })).toEqual(['SAO Y', 'UBND xã Demo', '2026-11-23T14:05:09+07:00']);
  });

  it.each([
    ['A4', [595.28, 841.89]],
    ['Letter', [612, 792]],
    ['A3 landscape', [1190.55, 841.89]],
  ] as const)('sits in the top-right corner of an %s page, inside a margin', async (_name, size) => {
    const doc = await pageOf([size[0], size[1]]);
    const [x1, y1, x2, y2] = await drawCopyStamp(doc, { ...stamp, fonts });
    expect(size[0] - x2).toBeCloseTo(20, 0);
    expect(size[1] - y2).toBeCloseTo(20, 0);
    expect(x1).toBeGreaterThan(size[0] / 2);
    expect(y2 - y1).toBeGreaterThan(30); // three lines of 10 pt
    expect(y2 - y1).toBeLessThan(50);
  });

  it('on a page rotated 90°, sits at the corner that is shown top-right (user-space top-left)', async () => {
    const doc = await pageOf([595, 842], 90);
    const [x1, y1, , y2] = await drawCopyStamp(doc, { ...stamp, fonts });
    expect(x1).toBeCloseTo(20, 0);
    expect(842 - y2).toBeCloseTo(20, 0);
    expect(y1).toBeGreaterThan(842 / 2);
  });

  it('wraps a long organisation name to fit the page', async () => {
    const doc = await pageOf([300, 400]);
    const long = 'Trung tâm Phục vụ hành chính công tỉnh Thừa Thiên Huế và các huyện lân cận';
    const [x1, y1, x2, y2] = await drawCopyStamp(doc, { ...stamp, organisationName: long, fonts });
    expect(x1).toBeGreaterThanOrEqual(0);
    expect(x2 - x1).toBeLessThan(300);
    expect(y2 - y1).toBeGreaterThan(50); // more than three lines
  });

  it('refuses an empty organisation name or an unknown copy form', async () => {
    await expect(drawCopyStamp(await pageOf([595, 842]), { ...stamp, organisationName: '  ', fonts })).rejects.toMatchObject({ code: 'SIGNATURE_APPEARANCE_INVALID' });
    const badForm = { ...stamp, copyForm: 'BẢN SAO' as unknown as 'SAO Y', fonts };
    await expect(drawCopyStamp(await pageOf([595, 842]), badForm)).rejects.toMatchObject({ code: 'SIGNATURE_APPEARANCE_INVALID' });
  });
});

describe('preparePdfForSigning with a copy stamp', () => {
  it('gives the signature widget the stamp rectangle and an appearance; without one, an invisible widget', async () => {
    const withStamp = await preparePdfForSigning(await pageOf([595, 842]), {
      reason: 'Sao y',
      location: 'Demo',
      signerName: 'Demo',
      signingTime: stamp.signingTime,
      appearance: { kind: 'copy-stamp', copyForm: 'SAO LỤC', organisationName: 'UBND xã Demo', fonts },
    });
    const widgetOf = async (bytes: Uint8Array): Promise<PDFDict> => {
      const doc = await PDFDocument.load(bytes);
      const annots = doc.getPages()[0]?.node.lookup(PDFName.of('Annots'), PDFArray);
      return annots?.lookup(0, PDFDict) as PDFDict;
    };
    const widget = await widgetOf(withStamp.bytes);
    const rect = widget.lookup(PDFName.of('Rect'), PDFArray).asArray().map((n) => (n as PDFNumber).asNumber());
    expect(rect[2]).toBeCloseTo(575, 0);
    expect(rect[3]).toBeCloseTo(822, 0);
    expect(widget.has(PDFName.of('AP'))).toBe(true);

    const invisible = await preparePdfForSigning(await pageOf([595, 842]), { reason: 'r', location: 'l', signerName: 's', signingTime: stamp.signingTime });
    const plain = await widgetOf(invisible.bytes);
    expect(plain.lookup(PDFName.of('Rect'), PDFArray).asArray().map((n) => (n as PDFNumber).asNumber())).toEqual([0, 0, 0, 0]);
  });
});
