// The OCR engine settings in config.json (issue 20): `imaging.ocrEngine` auto|wasm|native, `ocrWorkers`,
// `tesseractPath` — checked at start-up, main's only (publicConfig gives the renderer the switches alone), and
// how long main expects the clerk to wait for the pages still queued for OCR.
import { describe, expect, it } from 'vitest';
import { parseHostConfig, publicConfig } from '../../../electron/services/config';
import { AppError } from '../../../shared/errors';
import type { OcrPage } from '../../../shared/imaging/processing';
import { OcrPool, type PageReader } from '../../../electron/services/imaging/ocr-pool';
import { PageProcessor } from '../../../electron/services/imaging/page-processing';

const base = {
  unit: { code: '000.00.01.H99', name: 'UBND xã Demo' },
  organisationName: 'Ủy ban nhân dân xã Demo',
  counterNo: 1,
  centralUrl: 'http://127.0.0.1:9',
  locale: 'vi',
  signers: [{ role: 'organisation', keystore: { kind: 'pkcs12', path: '/nonexistent/x.p12', label: 'Thử' } }],
};
const parse = (extra: Record<string, unknown>) => parseHostConfig('/tmp/config.json', JSON.stringify({ ...base, ...extra }));

describe('imaging.ocrEngine in config.json', () => {
  it("defaults to 'auto' with the default lanes, and older files (switches only) still load", () => {
    expect(parse({}).imaging).toEqual({ cleanup: true, minDpiPolicy: 'warn', ocr: true, ocrEngine: 'auto' });
    expect(parse({ imaging: { cleanup: false, ocr: true } }).imaging).toEqual({ cleanup: false, minDpiPolicy: 'warn', ocr: true, ocrEngine: 'auto' });
  });

  it('takes an engine, a number of lanes and a program path, and keeps them from the renderer', () => {
    const config = parse({ imaging: { ocrEngine: 'native', ocrWorkers: 3, tesseractPath: '/opt/tesseract/bin/tesseract' } });
    expect(config.imaging).toMatchObject({ ocrEngine: 'native', ocrWorkers: 3, tesseractPath: '/opt/tesseract/bin/tesseract' });
    expect(publicConfig(config).imaging).toEqual({ cleanup: true, minDpiPolicy: 'warn', ocr: true });
  });

  it('refuses an unknown engine or a number of lanes out of range, naming the field', () => {
    for (const imaging of [{ ocrEngine: 'gpu' }, { ocrWorkers: 0 }, { ocrWorkers: 1.5 }, { tesseractPath: '' }]) {
      let issue = '';
      try {
        parse({ imaging });
      } catch (err) {
        if (err instanceof AppError && err.code === 'CONFIG_INVALID') issue = String(err.details.issue);
      }
      expect(issue).toMatch(/^imaging\.(ocrEngine|ocrWorkers|tesseractPath): /);
    }
  });
});

describe('the expected OCR wait main reports (imaging:results expectedMs)', () => {
  it('counts the pages queued for OCR up to the last asked one, read `lanes` at a time, at the recent time per page', async () => {
    // Readers that never finish: every page stays queued for OCR.
    const reader: PageReader = { kind: 'native', recognize: () => new Promise<OcrPage>(() => undefined), close: () => Promise.resolve() };
    const pool = new OcrPool({ lanes: 2, open: () => Promise.resolve(reader) });
    const processor = new PageProcessor({ cleanup: false, ocr: true }, { ocr: pool });
    const ids = [1, 2, 3, 4, 5].map((n) => processor.submit(new Uint8Array([n]), `p${n}.jpg`, { widthPx: 1, heightPx: 1 }) ?? '');
    // No page read yet: 4 s a page is assumed (tesseract.js on the 2-core counter).
    expect(processor.expectedOcrMs([ids[0] ?? ''])).toBe(4000);
    expect(processor.expectedOcrMs([ids[1] ?? ''])).toBe(4000);
    expect(processor.expectedOcrMs([ids[2] ?? ''])).toBe(8000);
    // The last asked page decides: pages queued before it are read first.
    expect(processor.expectedOcrMs([ids[0] ?? '', ids[4] ?? ''])).toBe(12_000);
    expect(processor.expectedOcrMs(['not-a-page'])).toBe(0);
    await pool.close();
  });
});
