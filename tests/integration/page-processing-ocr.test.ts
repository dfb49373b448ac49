/**
 * Page processing in main, end to end with the real engines: a scanned Vietnamese page goes through the
 * clean-up worker thread and tesseract.js (Vietnamese data from the npm package, no network), its words are
 * drawn as an invisible text layer, the PDF is signed — and poppler finds the words (pdftotext, with their
 * diacritics) while pdfsig still calls the signature valid. A blank sheet is flagged, not dropped. OCR is also
 * run once in a network namespace with no network at all (unshare -n, or -rn when not root), to show nothing is fetched.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PageProcessor } from '../../electron/services/imaging/page-processing';
import { PageCleaner } from '../../electron/services/imaging/page-cleaner';
import { OcrEngine } from '../../electron/services/imaging/ocr';
import { Pkcs12KeyStore } from '../../electron/services/signing/pkcs12-keystore';
import { assembleComponentPdf } from '../../shared/pdf/assemble';
import { signPdf } from '../../shared/pdf/sign-pdf';
import type { ProcessingResult } from '../../shared/imaging/processing';
import { getTestPki } from '../support/pki';
import { makeNssDb } from '../support/nss';
import { scannedPageJpeg, textPagesPdf } from '../support/page-images';
import { readFile } from 'node:fs/promises';

const run = promisify(execFile);
const text =
  'Ủy ban nhân dân xã tiếp nhận hồ sơ đăng ký khai sinh của công dân. Cán bộ một cửa kiểm tra giấy tờ, số hóa ' +
  'thành phần hồ sơ và hẹn ngày trả kết quả. Người nộp hồ sơ được hướng dẫn bổ sung giấy tờ còn thiếu.';

let work: string;
const processor = new PageProcessor({ cleanup: true, ocr: true }, { cleaner: new PageCleaner(), ocr: new OcrEngine() });

async function finished(id: string): Promise<ProcessingResult & { state: 'known' }> {
  // First the cleaned image (as the renderer asks), then the OCR words.
  let cleaned: ProcessingResult | undefined;
  for (;;) {
    const [result] = await processor.results([{ id, want: cleaned ? 'ocr' : 'cleaned' }], 2000);
    if (!result || result.state !== 'known') throw new Error('lost');
    if (!cleaned && result.cleanup !== 'pending') cleaned = result;
    else if (cleaned && result.ocr !== 'pending') return { ...result, ...(cleaned.state === 'known' && cleaned.cleaned ? { cleaned: cleaned.cleaned } : {}) };
  }
}

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'motcua-ocr-'));
});

afterAll(async () => {
  await processor.close();
  await rm(work, { recursive: true, force: true });
});

describe('page clean-up + Vietnamese OCR text layer', () => {
  it('a crooked scan is cleaned, read, and its words are searchable in the signed PDF', { timeout: 240_000 }, async () => {
    const scan = await scannedPageJpeg(await textPagesPdf(text, 1, 0, { fill: false }), 200, { rotate: 1.5, noise: 0.1, border: 20, paper: [242, 238, 226], quality: 90 });
    const id = processor.submit(scan, 'trang-1.jpg', { widthPx: 1, heightPx: 1 });
    expect(id).toBeTruthy();
    const result = await finished(id ?? '');
    expect(result.cleanup).toBe('done');
    expect(result.ocr).toBe('done');
    const cleaned = result.cleaned;
    if (!cleaned || !result.ocrPage) throw new Error('no cleaned page or words');
    expect(cleaned.facts.blank).toBe(false);
    expect(Math.abs(cleaned.facts.skewDegrees)).toBeGreaterThan(1);
    expect(result.ocrPage.widthPx).toBe(cleaned.facts.widthPx);
    expect(result.ocrPage.words.map((w) => w.text)).toContain('khai');

    const pki = await getTestPki();
    const keystore = new Pkcs12KeyStore({ path: pki.counterSignerP12Path, label: 'Quầy 1' });
    await keystore.unlock(pki.password);
    const font = new Uint8Array(await readFile('shared/assets/fonts/LiberationSerif-Regular.ttf'));
    const { pdf } = await assembleComponentPdf([{ name: 'trang-1.jpg', bytes: cleaned.jpeg, textLayer: result.ocrPage }], { title: 'Tờ khai', creationDate: new Date(), textFont: font });
    const signed = await signPdf(pdf, keystore, { reason: 'SAO Y', location: 'UBND xã Demo', signerName: 'Bộ phận Một cửa', signingTime: new Date() });
    const file = path.join(work, 'signed.pdf');
    await writeFile(file, signed);

    const { stdout: found } = await run('pdftotext', ['-enc', 'UTF-8', file, '-']);
    const words = found.normalize('NFC');
    for (const word of ['nhân', 'đăng', 'khai', 'công', 'số', 'hóa', 'hướng', 'giấy']) expect(words).toContain(word);
    const nss = await makeNssDb(pki.rootDer);
    const { stdout: sig } = await run('pdfsig', ['-nssdir', nss, file]);
    expect(sig).toContain('Signature is Valid');
    expect(sig).toContain('Total document signed');
    // The image is the cleaned JPEG, untouched: its size is what clean-up produced.
    const { stdout: images } = await run('pdfimages', ['-list', file]);
    expect(images).toMatch(new RegExp(`\\s${cleaned.facts.widthPx}\\s+${cleaned.facts.heightPx}\\s+rgb`));
    await rm(nss, { recursive: true, force: true });
  });

  it('a blank sheet is flagged blank (the page itself is kept)', { timeout: 120_000 }, async () => {
    const scan = await scannedPageJpeg(await textPagesPdf(' ', 1, 0, { fill: false }), 200, { noise: 0.1, paper: [244, 240, 230] });
    const id = processor.submit(scan, 'trang-trang.jpg', { widthPx: 1, heightPx: 1 }) ?? '';
    const result = await finished(id);
    expect(result.cleaned?.facts.blank).toBe(true);
    expect(result.cleaned?.jpeg.length).toBeGreaterThan(0);
  });

  it('a page main does not know is "unknown" (the renderer submits its original again)', async () => {
    expect(await processor.results([{ id: 'no-such-page', want: 'cleaned' }])).toEqual([{ id: 'no-such-page', state: 'unknown' }]);
  });

  it('OCR needs no network: it reads a page inside a network namespace without any', { timeout: 240_000 }, async () => {
    const jpeg = path.join(work, 'ohne-netz.jpg');
    await writeFile(jpeg, await scannedPageJpeg(await textPagesPdf(text, 1, 0, { fill: false }), 200));
    // Root makes the network namespace directly; anyone else through a user namespace (-r). A chrooted root (the
    // fresh-machine rehearsal) may not make user namespaces at all, so root never asks for one.
    const namespaces = process.getuid?.() === 0 ? '-n' : '-rn';
    const { stdout } = await run('unshare', [namespaces, 'npx', 'tsx', 'tests/support/ocr-file.ts', jpeg], { timeout: 200_000 });
    expect(stdout).toContain('khai sinh');
  });
});
