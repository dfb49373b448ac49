/// <reference lib="dom" />
/**
 * Issue 20: pressing "Ký số và tiếp nhận" while pages are still being read (OCR) no longer signs them silently
 * without a text layer. The counter reads with the native engine through `tests/support/slow-tesseract.sh` (the
 * real tesseract, 20 s late per page, named by `imaging.tesseractPath`), so both pages are still being read when
 * the clerk signs. The prompt says how many and about how long; Enter waits and the dossier is signed by itself
 * once the last page is read, with its words (pdftotext finds them); "Ký ngay, không có lớp chữ cho 2 trang"
 * signs at once, and then the PDF has no text; Esc goes back without signing.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { test, expect, type Page } from '@playwright/test';
import { fillDossier, readCounterFiles } from '../support/e2e-intake';
import { DEMO_P12_PASSWORD, getTestPki } from '../support/pki';
import { startCentralProcess, type CentralProcess } from '../support/central-process';
import { shot } from '../support/e2e';
import { startWebHostProcess, type WebHostProcess } from '../support/web-host-process';
import { scannedPageJpeg, textPagesPdf } from '../support/page-images';

const run = promisify(execFile);
const ks01 = 'Tờ khai đăng ký khai sinh (theo mẫu)';
const paragraphs = [
  'Ủy ban nhân dân xã tiếp nhận tờ khai đăng ký khai sinh của công dân. Cán bộ một cửa kiểm tra giấy tờ và hẹn ngày trả kết quả.',
  'Người nộp hồ sơ được hướng dẫn bổ sung giấy tờ còn thiếu. Thành phần hồ sơ được số hóa và ký số trước khi chuyển đi xử lý.',
];
const look = { rotate: 1.2, noise: 0.1, border: 30, paper: [242, 238, 226] as [number, number, number], quality: 90 };

/** The signed KS-01 PDF's text, as poppler reads it. */
async function signedText(page: Page, code: string): Promise<string> {
  const { files } = await readCounterFiles(page, code);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'motcua-ocr-wait-'));
  const file = path.join(dir, 'KS-01.pdf');
  await writeFile(file, Buffer.from(files.find((f) => f.componentCode === 'KS-01')?.base64 ?? '', 'base64'));
  const { stdout } = await run('pdftotext', ['-enc', 'UTF-8', file, '-']);
  return stdout.normalize('NFC');
}

/** Two scanned pages into KS-01, on to signing, key unlocked: the sign button is ready while both are being read. */
async function toSigning(page: Page, host: WebHostProcess): Promise<void> {
  const scans = await Promise.all(paragraphs.map(async (text) => scannedPageJpeg(await textPagesPdf(text, 1, 0, { fill: false }), 200, look)));
  await page.goto(host.url);
  // KS-02 (also required) is a born-digital PDF: kept as it is, nothing to read.
  const digital = await textPagesPdf('Giấy chứng sinh bản điện tử', 1, 0, { fill: false });
  await fillDossier(page, {
    'KS-01': scans.map((bytes, i) => ({ name: `trang-${i + 1}.jpg`, mimeType: 'image/jpeg', buffer: Buffer.from(bytes) })),
    'KS-02': [{ name: 'giay-chung-sinh-dien-tu.pdf', mimeType: 'application/pdf', buffer: Buffer.from(digital) }],
  });
  await expect(page.getByRole('listbox', { name: `Các trang của thành phần ${ks01}` }).getByRole('option')).toHaveCount(2);
  await expect(page.locator('[data-component="KS-02"]').getByRole('listbox').getByRole('option')).toHaveCount(1);
  await page.getByRole('button', { name: 'Tiếp tục' }).click();
  await page.getByLabel('Mật khẩu tệp chữ ký số').fill(DEMO_P12_PASSWORD);
  await page.getByRole('button', { name: 'Mở khóa' }).click();
  await expect(page.getByRole('button', { name: 'Ký số và tiếp nhận' })).toBeFocused();
}

test.describe('signing while pages are still being read', () => {
  let central: CentralProcess;
  let host: WebHostProcess;

  test.beforeEach(async () => {
    const pki = await getTestPki();
    central = await startCentralProcess();
    host = await startWebHostProcess({
      centralUrl: central.url,
      enroll: { adminToken: central.adminToken },
      retention: { filesDaysAfterAck: 30 },
      signerP12Path: pki.counterSignerP12Path,
      trustDir: pki.dir,
      imaging: { ocrEngine: 'native', ocrWorkers: 2, tesseractPath: path.resolve('tests/support/slow-tesseract.sh') },
    });
  });

  test.afterEach(async () => {
    await host?.stop();
    await central?.stop();
  });

  test('Enter waits: the dossier is signed by itself once the last page is read, with its words', async ({ page }) => {
    test.setTimeout(240_000);
    await toSigning(page, host);
    await page.keyboard.press('Enter');
    const prompt = page.getByRole('alertdialog');
    await expect(prompt).toContainText('Còn 2 trang đang được nhận dạng chữ (OCR)');
    await expect(prompt).toContainText(/Dự kiến chờ khoảng \d+ giây\./);
    await expect(prompt.getByRole('button', { name: 'Chờ đọc xong' })).toBeFocused();
    await expect(prompt.getByRole('button', { name: 'Ký ngay, không có lớp chữ cho 2 trang' })).toBeVisible();
    await shot(page, 'ocr-wait-01-con-trang-dang-doc');

    await page.keyboard.press('Enter');
    await expect(prompt).toContainText(/Đang chờ nhận dạng chữ: còn [12] trang/);
    await expect(prompt).toContainText('Hồ sơ sẽ được ký ngay khi đọc xong trang cuối cùng.');
    await shot(page, 'ocr-wait-02-dang-cho');
    // A second Enter while waiting must not sign without the words: nothing happens.
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { name: 'Đã tiếp nhận hồ sơ' })).toBeVisible({ timeout: 180_000 });
    const code = (await page.getByTestId('dossier-code').textContent()) ?? '';
    const text = await signedText(page, code);
    for (const word of ['khai', 'sinh', 'công', 'dân', 'hướng', 'dẫn', 'giấy', 'số']) expect(text).toContain(word);
  });

  test('Esc goes back without signing; "Ký ngay…" signs at once, without a text layer for those pages', async ({ page }) => {
    test.setTimeout(240_000);
    await toSigning(page, host);
    await page.getByRole('button', { name: 'Ký số và tiếp nhận' }).click();
    const prompt = page.getByRole('alertdialog');
    await expect(prompt).toContainText('Còn 2 trang đang được nhận dạng chữ (OCR)');
    await page.keyboard.press('Escape');
    await expect(prompt).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Ký số và tiếp nhận' })).toBeFocused();

    await page.keyboard.press('Enter');
    await prompt.getByRole('button', { name: 'Ký ngay, không có lớp chữ cho 2 trang' }).click();
    await expect(page.getByRole('heading', { name: 'Đã tiếp nhận hồ sơ' })).toBeVisible({ timeout: 60_000 });
    const code = (await page.getByTestId('dossier-code').textContent()) ?? '';
    // Only the visible stamp's own text ("SAO Y", the unit's name, the time) is in the PDF: none of the pages' words.
    const text = await signedText(page, code);
    expect(text).toContain('SAO Y');
    for (const word of ['khai', 'sinh', 'công', 'hướng', 'dẫn', 'giấy', 'tiếp']) expect(text).not.toContain(word);
  });
});
