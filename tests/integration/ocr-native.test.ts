/**
 * The native OCR engine with the real `tesseract` program (Debian: tesseract-ocr, tesseract-ocr-vie) on rendered
 * Vietnamese pages: the words come back with their diacritics, two lanes read two pages side by side, a missing
 * program is IMAGING_OCR_FAILED (and makes 'auto' choose tesseract.js), a page past its timeout and a page being
 * read at close() are stopped.
 *
 * Skipped ONLY where the tesseract program with Vietnamese data is not installed (a developer machine without
 * it); CI installs both packages (tests/environment/debian-packages.txt), so it runs there.
 */
import { describe, expect, it } from 'vitest';
import { NativeOcrEngine, nativeTesseractProblem } from '../../electron/services/imaging/ocr-native';
import { OcrPool, resolveOcrEngine } from '../../electron/services/imaging/ocr-pool';
import { scannedPageJpeg, textPagesPdf } from '../support/page-images';

const missing = await nativeTesseractProblem();
const texts = [
  'Ủy ban nhân dân xã tiếp nhận hồ sơ đăng ký khai sinh của công dân và hẹn ngày trả kết quả.',
  'Người nộp hồ sơ được hướng dẫn bổ sung giấy tờ còn thiếu trước khi chuyển đi xử lý.',
];
const look = { rotate: 1.1, noise: 0.15, border: 20, paper: [242, 238, 226] as [number, number, number], quality: 90 };
const pageOf = async (text: string) => scannedPageJpeg(await textPagesPdf(text, 1, 0, { fill: false }), 200, look);
const size = { widthPx: 1654, heightPx: 2339 };

describe.skipIf(missing !== null)(`native tesseract (${missing ?? 'installed'})`, () => {
  it('reads a scanned Vietnamese page: the words with their diacritics, boxes inside the page', { timeout: 60_000 }, async () => {
    const engine = new NativeOcrEngine();
    try {
      const page = await engine.recognize(await pageOf(texts[0] ?? ''), size, 'trang-1.jpg');
      const read = page.words.map((w) => w.text);
      for (const word of ['nhân', 'tiếp', 'nhận', 'đăng', 'ký', 'khai', 'sinh', 'công', 'hẹn', 'ngày', 'trả']) expect(read).toContain(word);
      for (const w of page.words) {
        expect(w.x0).toBeGreaterThanOrEqual(0);
        expect(w.x1).toBeLessThanOrEqual(1654 + 2 * 20 + 100);
        expect(w.y1).toBeGreaterThan(w.y0);
      }
    } finally {
      await engine.close();
    }
  });

  it('two lanes read two pages side by side, each page getting its own words', { timeout: 90_000 }, async () => {
    const pool = new OcrPool({ lanes: 2, open: () => Promise.resolve(new NativeOcrEngine()) });
    try {
      const [first, second] = await Promise.all(texts.map(async (text, i) => pool.recognize(await pageOf(text), size, `trang-${i + 1}.jpg`)));
      expect(first?.words.map((w) => w.text)).toContain('khai');
      expect(second?.words.map((w) => w.text)).toContain('hướng');
      expect(second?.words.map((w) => w.text)).not.toContain('khai');
    } finally {
      await pool.close();
    }
  });

  it("'auto' picks the native engine here", async () => {
    expect(await resolveOcrEngine('auto')).toBe('native');
  });

  it('a page past its timeout is stopped and fails as IMAGING_OCR_FAILED', { timeout: 30_000 }, async () => {
    const engine = new NativeOcrEngine({ pageTimeoutMs: 100 });
    await expect(engine.recognize(await pageOf(texts[0] ?? ''), size, 'chậm.jpg')).rejects.toMatchObject({ code: 'IMAGING_OCR_FAILED', details: { name: 'chậm.jpg', reason: 'no result after 0 s' } });
    await engine.close();
  });

  it('close() stops a page being read', { timeout: 30_000 }, async () => {
    const engine = new NativeOcrEngine();
    const reading = engine.recognize(await pageOf(texts[1] ?? ''), size, 'dở.jpg');
    const outcome = reading.then(() => 'read', (err: unknown) => err);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await engine.close();
    expect(await outcome).toMatchObject({ code: 'IMAGING_OCR_FAILED', details: { name: 'dở.jpg', reason: 'stopped' } });
  });
});

describe('a counter without the tesseract program', () => {
  const nowhere = '/nonexistent/motcua/tesseract';

  it("is told why it cannot be used, and 'auto' falls back to tesseract.js", async () => {
    expect(await nativeTesseractProblem(nowhere)).toBe(`${nowhere} not found`);
    expect(await resolveOcrEngine('auto', nowhere)).toBe('wasm');
    expect(await resolveOcrEngine('native', nowhere)).toBe('native');
  });

  it("fails each page as IMAGING_OCR_FAILED when 'native' is forced", async () => {
    const engine = new NativeOcrEngine({ tesseractPath: nowhere });
    await expect(engine.recognize(new Uint8Array([0xff, 0xd8]), size, 'trang.jpg')).rejects.toMatchObject({ code: 'IMAGING_OCR_FAILED', details: { name: 'trang.jpg', reason: `${nowhere} not found` } });
    await engine.close();
  });
});
