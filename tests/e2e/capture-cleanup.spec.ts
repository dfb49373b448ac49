/// <reference lib="dom" />
/**
 * Page clean-up and OCR end to end in Chromium on the web host: an eSCL job brings two crooked, tinted
 * Vietnamese text pages and one blank sheet; main cleans each in its worker thread and reads it with
 * tesseract.js while the clerk already sees the originals ("Đang làm sạch"); the blank sheet is flagged (not
 * deleted) and the clerk keeps it; the signed PDF embeds the cleaned JPEGs (pdfimages: sheet-sized, not the
 * scanner's larger crooked frame), carries the OCR words (pdftotext finds them with their diacritics) and
 * pdfsig calls the signature valid.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { test, expect, type Page } from '@playwright/test';
import { fillDossier, readCounterFiles, unlockAndAccept } from '../support/e2e-intake';
import { getTestPki } from '../support/pki';
import { startCentralProcess, type CentralProcess } from '../support/central-process';
import { shot } from '../support/e2e';
import { startWebHostProcess, type WebHostProcess } from '../support/web-host-process';
import { startEsclServer, type EsclTestServer } from '../support/escl-server';
import { makeNssDb } from '../support/nss';
import { parsePgm, scannedPageJpeg, textPagesPdf } from '../support/page-images';
import { estimateSkew } from '../../shared/imaging/deskew';

const run = promisify(execFile);

/** Width and height of a JPEG, read by ImageMagick (an outside tool). */
async function jpegSize(jpeg: Uint8Array): Promise<{ width: number; height: number }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'motcua-sheet-'));
  const file = path.join(dir, 'sheet.jpg');
  await writeFile(file, jpeg);
  const { stdout } = await run('identify', ['-format', '%w %h', file]);
  const [width, height] = stdout.trim().split(' ').map(Number);
  return { width: width ?? 0, height: height ?? 0 };
}
const stack = (page: Page) => page.getByRole('listbox', { name: 'Trang chưa xếp vào thành phần nào' });
const ks01 = 'Tờ khai đăng ký khai sinh (theo mẫu)';

const paragraphs = [
  'Ủy ban nhân dân xã tiếp nhận tờ khai đăng ký khai sinh của công dân. Cán bộ một cửa kiểm tra giấy tờ và hẹn ngày trả kết quả.',
  'Người nộp hồ sơ được hướng dẫn bổ sung giấy tờ còn thiếu. Thành phần hồ sơ được số hóa và ký số trước khi chuyển đi xử lý.',
];
const look = { rotate: 1.2, noise: 0.1, border: 30, paper: [242, 238, 226] as [number, number, number], quality: 90 };

test.describe('capture: pages are cleaned and read before signing', () => {
  let central: CentralProcess;
  let host: WebHostProcess;
  let escl: EsclTestServer;
  let sheets: Uint8Array[];

  test.beforeEach(async () => {
    const pki = await getTestPki();
    central = await startCentralProcess();
    sheets = [
      ...(await Promise.all(paragraphs.map(async (text, i) => scannedPageJpeg(await textPagesPdf(text, 1, 0, { fill: false }), 200, { ...look, rotate: i ? -1.5 : 1.2 })))),
      await scannedPageJpeg(await textPagesPdf(' ', 1, 0, { fill: false }), 200, { ...look, rotate: 0 }),
    ];
    escl = await startEsclServer({ feederPages: 3, sheets });
    host = await startWebHostProcess({
      centralUrl: central.url,
      enroll: { adminToken: central.adminToken },
      // Enrolled, so the central acknowledges: the signed files stay a while for the spec to read back.
      retention: { filesDaysAfterAck: 30 },
      signerP12Path: pki.counterSignerP12Path,
      trustDir: pki.dir,
      capture: { sane: { enabled: false }, escl: [{ label: 'Máy quét tầng 1', url: escl.url }] },
    });
  });

  test.afterEach(async () => {
    await host?.stop();
    await central?.stop();
    await escl?.close();
  });

  test('two text pages and a blank sheet: cleaned, blank flagged and kept, OCR words in the signed PDF', async ({ page }) => {
    test.setTimeout(300_000);
    await page.goto(host.url);
    await fillDossier(page, {});
    await page.getByLabel('Khay giấy').selectOption({ label: 'Khay nạp tự động' });
    await page.getByRole('button', { name: 'Quét', exact: true }).click();
    await expect(page.getByText('Đã quét xong: nhận 3 trang.')).toBeVisible();
    await expect(stack(page).getByRole('option')).toHaveCount(3);
    // The originals are there at once; clean-up and OCR follow in main.
    await expect(page.getByRole('status').filter({ hasText: /Đang làm sạch|Đang nhận dạng chữ/ })).toBeVisible();
    await shot(page, 'cleanup-01-dang-lam-sach');

    // The blank sheet is flagged, not deleted.
    await expect(stack(page).getByText('Trang trắng?')).toHaveCount(1, { timeout: 120_000 });
    await expect(page.getByText('1 trang có thể là trang trắng — hãy xem và xóa hoặc giữ.')).toBeVisible();
    await expect(stack(page).getByRole('option')).toHaveCount(3);
    // OCR of every page finished (the clerk could have signed before; this test wants the words in).
    await expect(page.getByText(/Đang làm sạch|Đang nhận dạng chữ/)).toHaveCount(0, { timeout: 240_000 });
    await shot(page, 'cleanup-02-da-lam-sach-trang-trang');

    // The clerk keeps the blank sheet (e.g. the back of a form that must stay in the file): G on the page
    // (the flag's "Giữ" button does the same; it is there for the mouse).
    await expect(stack(page).getByRole('button', { name: 'Giữ trang 3 (không xóa dù trang gần như trắng)' })).toBeVisible();
    await stack(page).getByRole('option').nth(2).focus();
    await page.keyboard.press('g');
    await expect(stack(page).getByText('Trang trắng?')).toHaveCount(0);
    // Pages 1–2 into KS-01 (click, shift-click, key 1), the kept sheet into KS-02 (key 2).
    await stack(page).getByRole('option').nth(0).click();
    await stack(page).getByRole('option').nth(1).click({ modifiers: ['Shift'] });
    await stack(page).getByRole('option').nth(1).focus();
    await page.keyboard.press('1');
    await expect(page.getByRole('listbox', { name: `Các trang của thành phần ${ks01}` }).getByRole('option')).toHaveCount(2);
    await stack(page).getByRole('option').first().focus();
    await page.keyboard.press('2');
    await expect(page.locator('[data-component="KS-02"]').getByRole('listbox').getByRole('option')).toHaveCount(1);
    await shot(page, 'cleanup-03-xep-vao-thanh-phan');

    const code = await unlockAndAccept(page);
    const { files } = await readCounterFiles(page, code);
    expect(files.map((f) => f.componentCode).sort()).toEqual(['KS-01', 'KS-02']);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'motcua-cleanup-pdf-'));
    const pdfOf = async (componentCode: string) => {
      const file = path.join(dir, `${componentCode}.pdf`);
      await writeFile(file, Buffer.from(files.find((f) => f.componentCode === componentCode)?.base64 ?? '', 'base64'));
      return file;
    };
    const file = await pdfOf('KS-01');
    const blankFile = await pdfOf('KS-02');

    // The embedded JPEGs are the cleaned pages, not the scanner's frames: the dark lid margin (30 px a side)
    // is cut away, leaving about the sheet (A4 at 200 dpi is 1654 × 2339 px; a crooked sheet's bounding box a
    // little more), and the bytes differ from what the scanner sent.
    const frames = await Promise.all(sheets.map(jpegSize));
    const expected = [
      [file, frames.slice(0, 2)],
      [blankFile, frames.slice(2)],
    ] as const;
    for (const [pdf, scannerFrames] of expected) {
      const { stdout: list } = await run('pdfimages', ['-list', pdf]);
      const images = [...list.matchAll(/^\s*\d+\s+\d+\s+image\s+(\d+)\s+(\d+)\s+(\w+)\s+\d+\s+\d+\s+(\w+)/gm)].map((m) => ({ width: Number(m[1]), height: Number(m[2]), colour: m[3], enc: m[4] }));
      expect(images).toHaveLength(scannerFrames.length);
      for (const [i, image] of images.entries()) {
        const frame = scannerFrames[i] ?? { width: 0, height: 0 };
        expect(image.enc).toBe('jpeg');
        expect(image.colour).toBe('rgb');
        expect(image.width).toBeLessThanOrEqual(frame.width - 50);
        expect(image.height).toBeLessThanOrEqual(frame.height - 50);
        expect(Math.abs(image.width - 1654)).toBeLessThan(80);
        expect(Math.abs(image.height - 2339)).toBeLessThan(80);
      }
    }
    const { stdout: info } = await run('pdfinfo', [file]);
    expect(info).toMatch(/Pages:\s+2/);

    const { stdout: words } = await run('pdftotext', ['-enc', 'UTF-8', file, '-']);
    const found = words.normalize('NFC');
    for (const word of ['khai', 'sinh', 'công', 'dân', 'hướng', 'dẫn', 'giấy', 'số']) expect(found).toContain(word);

    const pki = await getTestPki();
    const nss = await makeNssDb(pki.rootDer);
    for (const pdf of [file, blankFile]) {
      const { stdout: sig } = await run('pdfsig', ['-nssdir', nss, pdf]);
      expect(sig).toContain('Signature is Valid');
      expect(sig).toContain('Total document signed');
    }
  });

  test('a picked crooked JPEG is cleaned and read like a scan; a picked born-digital PDF is kept as it is', async ({ page }) => {
    test.setTimeout(300_000);
    const crooked = await scannedPageJpeg(await textPagesPdf(paragraphs[0] ?? '', 1, 0, { fill: false }), 200, { ...look, rotate: 2.5 });
    const digital = await textPagesPdf('Giấy chứng sinh bản điện tử', 1, 0, { fill: false });
    await page.goto(host.url);
    await fillDossier(page, {
      'KS-01': [{ name: 'to-khai-chup-lech.jpg', mimeType: 'image/jpeg', buffer: Buffer.from(crooked) }],
      'KS-02': [{ name: 'giay-chung-sinh-dien-tu.pdf', mimeType: 'application/pdf', buffer: Buffer.from(digital) }],
    });
    const ks01Pages = page.getByRole('listbox', { name: `Các trang của thành phần ${ks01}` });
    await expect(ks01Pages.getByRole('option')).toHaveCount(1);
    await expect(page.locator('[data-component="KS-02"]').getByRole('listbox').getByRole('option')).toHaveCount(1);
    // The picked page is cleaned and read in main like a scanned one (this test waits for the words).
    await expect(page.getByText(/Đang làm sạch|Đang nhận dạng chữ/)).toHaveCount(0, { timeout: 240_000 });
    await shot(page, 'cleanup-04-tep-chon-da-lam-sach');

    const code = await unlockAndAccept(page);
    const { files } = await readCounterFiles(page, code);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'motcua-import-pdf-'));
    const pdfOf = async (componentCode: string) => {
      const file = path.join(dir, `${componentCode}.pdf`);
      await writeFile(file, Buffer.from(files.find((f) => f.componentCode === componentCode)?.base64 ?? '', 'base64'));
      return file;
    };
    const ks01File = await pdfOf('KS-01');
    const ks02File = await pdfOf('KS-02');

    // Straightened: the skew of the embedded image, measured with the shared estimator on ImageMagick's
    // decoding of pdfimages' output, is near 0 where the picked file's was 2.5°; the lid margin is cut away.
    // (80 px are shaved off before measuring: the lid's dark margin would otherwise count as ink.)
    const skewOf = async (jpegFile: string) => {
      const pgm = path.join(dir, `${path.basename(jpegFile)}.pgm`);
      await run('convert', [jpegFile, '-colorspace', 'Gray', '-shave', '80x80', '-resize', '50%', '-depth', '8', pgm]);
      return estimateSkew(parsePgm(await readFile(pgm))).angleDegrees;
    };
    const pickedFile = path.join(dir, 'picked.jpg');
    await writeFile(pickedFile, crooked);
    expect(Math.abs(await skewOf(pickedFile))).toBeGreaterThan(2);
    await run('pdfimages', ['-j', ks01File, path.join(dir, 'ks01')]);
    const embedded = path.join(dir, 'ks01-000.jpg');
    expect(Math.abs(await skewOf(embedded))).toBeLessThan(0.5);
    const frame = await jpegSize(crooked);
    const cleaned = await jpegSize(await readFile(embedded));
    expect(cleaned.width).toBeLessThanOrEqual(frame.width - 50);
    expect(Math.abs(cleaned.height - 2339)).toBeLessThan(80);
    const { stdout: words } = await run('pdftotext', ['-enc', 'UTF-8', ks01File, '-']);
    for (const word of ['khai', 'sinh', 'công', 'dân', 'giấy']) expect(words.normalize('NFC')).toContain(word);

    // The born-digital PDF is not rasterised: no image in it, its own text still there.
    const { stdout: images } = await run('pdfimages', ['-list', ks02File]);
    expect(images.trim().split('\n').length).toBe(2);
    const { stdout: text } = await run('pdftotext', ['-enc', 'UTF-8', ks02File, '-']);
    expect(text.normalize('NFC')).toContain('Giấy chứng sinh bản điện tử');
  });
});
