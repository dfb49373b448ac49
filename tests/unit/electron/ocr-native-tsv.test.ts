/**
 * The native engine's TSV parser on real tesseract output: `tests/unit/electron/fixtures/tesseract-5.3-vie-psm6.tsv`
 * is what Debian's tesseract 5.3.0 (tesseract-ocr-vie) printed for `tesseract page.jpg stdout -l vie --oem 1 --psm 6
 * tsv` on a 200 dpi scan (tinted paper, crooked 0.8°, noise) of one page made by tests/support/page-images.ts
 * from the sentence below — captured once from a real run, not written by hand.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parseTesseractTsv } from '../../../electron/services/imaging/ocr-native';

const source = 'Ủy ban nhân dân xã tiếp nhận hồ sơ đăng ký khai sinh của công dân. Cán bộ một cửa kiểm tra giấy tờ, số hóa thành phần hồ sơ và hẹn ngày trả kết quả.';
const size = { widthPx: 1688, heightPx: 2363 };
const tsv = () => readFile(new URL('./fixtures/tesseract-5.3-vie-psm6.tsv', import.meta.url), 'utf8');

describe('parseTesseractTsv (real tesseract 5.3 output)', () => {
  it('reads every word of the page, in reading order, with its Vietnamese letters', async () => {
    const page = parseTesseractTsv(await tsv(), size);
    expect(page.widthPx).toBe(size.widthPx);
    expect(page.heightPx).toBe(size.heightPx);
    expect(page.words.map((w) => w.text).join(' ')).toBe(`Trang 1 ${source}`);
    for (const word of page.words) expect(word.text).toBe(word.text.normalize('NFC'));
  });

  it('gives each word its own left and right edge and its line\'s top and bottom (one baseline per line)', async () => {
    const page = parseTesseractTsv(await tsv(), size);
    const uy = page.words.find((w) => w.text === 'Ủy');
    // Word row: left 190, width 39; its line (level 4): top 173, height 54.
    expect(uy).toEqual({ text: 'Ủy', x0: 190, x1: 229, y0: 173, y1: 227 });
    const secondLine = page.words.slice(2, 25); // Ủy … giấy
    expect(secondLine.at(-1)?.text).toBe('giấy');
    expect(new Set(secondLine.map((w) => `${w.y0}-${w.y1}`))).toEqual(new Set(['173-227']));
    for (const word of page.words) expect(word.x1).toBeGreaterThan(word.x0);
  });

  it('leaves out words read with less confidence than the cut (here "kiểm", read at 73 %)', async () => {
    const all = parseTesseractTsv(await tsv(), size).words.map((w) => w.text);
    expect(all).toContain('kiểm');
    const sure = parseTesseractTsv(await tsv(), size, 80).words.map((w) => w.text);
    expect(sure).not.toContain('kiểm');
    expect(sure).toHaveLength(all.length - 1);
  });

  it('takes Windows line ends as well, and finds no words in the header alone or in text that is not TSV', async () => {
    const text = await tsv();
    expect(parseTesseractTsv(text.replace(/\n/g, '\r\n'), size).words.map((w) => w.text).join(' ')).toBe(`Trang 1 ${source}`);
    expect(parseTesseractTsv(text.split('\n')[0] ?? '', size).words).toEqual([]);
    expect(parseTesseractTsv('Error opening data file vie.traineddata\n', size).words).toEqual([]);
  });
});
