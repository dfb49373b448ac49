/// <reference lib="dom" />
/**
 * Capture end to end in Chromium on the web host: a feeder batch from SANE's test scanner (real scanimage)
 * and a job from the eSCL test server become pages in the workspace; the clerk splits them across the
 * procedure's components with the mouse and the keyboard, rotates one, survives a reload, and the signed
 * component PDFs hold exactly those pages (pdfinfo, pdfsig). A hot-folder import as well.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { test, expect, type Page } from '@playwright/test';
import { fillDossier, readCounterFiles } from '../support/e2e-intake';
import { getTestPki, DEMO_P12_PASSWORD } from '../support/pki';
import { startCentralProcess, type CentralProcess } from '../support/central-process';
import { shot } from '../support/e2e';
import { startWebHostProcess, type WebHostProcess } from '../support/web-host-process';
import { startEsclServer, type EsclTestServer } from '../support/escl-server';
import { makeJpeg } from '../support/images';
import { makeNssDb } from '../support/nss';

const run = promisify(execFile);

const stack = (page: Page) => page.getByRole('listbox', { name: 'Trang chưa xếp vào thành phần nào' });
const component = (page: Page, name: string) => page.getByRole('listbox', { name: `Các trang của thành phần ${name}` });
const ks01 = 'Tờ khai đăng ký khai sinh (theo mẫu)';

test.describe('capture: scanners to signed PDFs', () => {
  let central: CentralProcess;
  let host: WebHostProcess;
  let escl: EsclTestServer;
  let hotFolder: string;

  test.beforeEach(async () => {
    const pki = await getTestPki();
    central = await startCentralProcess();
    escl = await startEsclServer({ feederPages: 3, busyBeforeEachPage: 1, retryAfterSeconds: 1 });
    hotFolder = path.join(await mkdtemp(path.join(os.tmpdir(), 'motcua-e2e-hot-')), 'scans');
    await mkdir(hotFolder);
    host = await startWebHostProcess({
      centralUrl: central.url,
      enroll: { adminToken: central.adminToken },
      // Enrolled, so the central acknowledges: the signed files stay a while for the spec to read back.
      retention: { filesDaysAfterAck: 30 },
      signerP12Path: pki.counterSignerP12Path,
      trustDir: pki.dir,
      capture: {
        // The test backend's colour pattern instead of solid black (thumbnails show something), 150 × 200 mm (portrait).
        sane: { enabled: true, devices: ['test:0'], deviceOptions: { 'test:0': ['--test-picture', 'Color pattern', '-x', '150'] } },
        escl: [{ label: 'Máy quét tầng 1', url: escl.url }],
        hotFolders: [{ label: 'Thư mục máy quét Canon', path: hotFolder, pollMs: 200 }],
      },
      // This spec is about capture and the workspace; OCR of the test pattern pages only slowed it down
      // (capture-cleanup.spec.ts tests clean-up and OCR). Clean-up stays on, as at a counter.
      imaging: { cleanup: true, ocr: false },
    });
  });

  test.afterEach(async () => {
    await host?.stop();
    await central?.stop();
    await escl?.close();
  });

  test('a SANE feeder batch and an eSCL job are split across components, survive a reload and end up signed', async ({ page }) => {
    await page.goto(host.url);
    await fillDossier(page, {});
    const device = page.getByLabel('Nguồn quét');
    await expect(device.locator('option')).toHaveCount(3);
    await device.selectOption({ label: 'Máy quét: Noname frontend-tester (virtual device) — test:0' });
    await page.getByLabel('Khay giấy').selectOption({ label: 'Khay nạp tự động' });
    await page.getByRole('button', { name: 'Quét', exact: true }).click();
    await expect(page.getByText('Đã quét xong: nhận 10 trang.')).toBeVisible();
    await expect(stack(page).getByRole('option')).toHaveCount(10);
    await shot(page, 'capture-01-sane-10-trang');

    // Pages 1–4 (click, shift-click) into KS-01 with the "put into" control.
    const thumbs = stack(page).getByRole('option');
    await thumbs.nth(0).click();
    await thumbs.nth(3).click({ modifiers: ['Shift'] });
    await expect(stack(page).locator('[aria-selected="true"]')).toHaveCount(4);
    await page.getByRole('combobox', { name: 'Xếp vào' }).selectOption({ label: `1. ${ks01}` });
    await page.getByRole('button', { name: 'Xếp 4 trang đã chọn' }).click();
    await expect(component(page, ks01).getByRole('option')).toHaveCount(4);
    await expect(stack(page).getByRole('option')).toHaveCount(6);

    // The keyboard: rotate the first KS-01 page, move it one place right, delete the last stack page.
    const firstKs01 = component(page, ks01).getByRole('option').first();
    await firstKs01.focus();
    await page.keyboard.press('r');
    await page.keyboard.press('Alt+ArrowRight');
    await expect(component(page, ks01).getByRole('option').nth(1).locator('img')).toHaveAttribute('style', /rotate\(90deg\)/);
    await stack(page).getByRole('option').last().focus();
    await page.keyboard.press('Delete');
    await expect(stack(page).getByRole('option')).toHaveCount(5);
    // Select all that is left and press 2: into the second component.
    await page.getByRole('button', { name: 'Chọn tất cả' }).click();
    await stack(page).getByRole('option').first().focus();
    await page.keyboard.press('2');
    await expect(stack(page).getByRole('option')).toHaveCount(0);
    const ks02 = page.locator('[data-component="KS-02"]').getByRole('listbox');
    await expect(ks02.getByRole('option')).toHaveCount(5);

    // The eSCL scanner: three pages (each after a 503 + Retry-After), dragged into KS-02 one by one.
    await device.selectOption({ label: 'Máy quét mạng: Máy quét tầng 1 — Test MFP eSCL' });
    await page.getByRole('button', { name: 'Quét', exact: true }).click();
    await expect(page.getByText('Đã quét xong: nhận 3 trang.')).toBeVisible();
    await expect(stack(page).getByRole('option')).toHaveCount(3);
    await shot(page, 'capture-02-escl-va-xep-trang');
    // One by drag and drop (HTML5 drag events with a real DataTransfer), the other two with the keyboard.
    const transfer = await page.evaluateHandle(() => new DataTransfer());
    const dragged = stack(page).getByRole('option').first();
    await dragged.dispatchEvent('dragstart', { dataTransfer: transfer });
    await ks02.dispatchEvent('dragover', { dataTransfer: transfer });
    await ks02.dispatchEvent('drop', { dataTransfer: transfer });
    await expect(ks02.getByRole('option')).toHaveCount(6);
    await page.getByRole('button', { name: 'Chọn tất cả' }).click();
    await stack(page).getByRole('option').first().focus();
    await page.keyboard.press('2');
    await expect(ks02.getByRole('option')).toHaveCount(8);

    // Rescan one page in place (flatbed of the eSCL scanner): same position, same component.
    const before = await ks02.getByRole('option').nth(2).getAttribute('data-page-id');
    await page.getByLabel('Khay giấy').selectOption({ label: 'Mặt kính' });
    await ks02.getByRole('button', { name: 'Quét lại trang 3' }).click();
    await expect(page.getByText('Đã quét xong: nhận 1 trang.')).toBeVisible();
    await expect(ks02.getByRole('option')).toHaveCount(8);
    expect(await ks02.getByRole('option').nth(2).getAttribute('data-page-id')).not.toBe(before);

    // Zoom with the keyboard, close with Escape.
    await ks02.getByRole('option').first().focus();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('dialog')).toBeVisible();
    await shot(page, 'capture-03-phong-to');
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog')).toHaveCount(0);

    // The app restarts (reload): every page is still there, where the clerk put it.
    await page.reload();
    await fillDossier(page, {});
    await expect(component(page, ks01).getByRole('option')).toHaveCount(4);
    await expect(ks02.getByRole('option')).toHaveCount(8);
    await expect(component(page, ks01).getByRole('option').nth(1).locator('img')).toHaveAttribute('style', /rotate\(90deg\)/);
    await expect(page.locator('[data-component="KS-01"] .badge.present')).toBeVisible();
    await shot(page, 'capture-04-sau-khi-tai-lai');

    await page.getByRole('button', { name: 'Tiếp tục' }).click();
    await page.getByLabel('Mật khẩu tệp chữ ký số').fill(DEMO_P12_PASSWORD);
    await page.getByRole('button', { name: 'Mở khóa' }).click();
    await page.getByRole('button', { name: 'Ký số và tiếp nhận' }).click();
    await expect(page.getByRole('heading', { name: 'Đã tiếp nhận hồ sơ' })).toBeVisible();
    const code = (await page.getByTestId('dossier-code').textContent()) ?? '';

    const dir = await mkdtemp(path.join(os.tmpdir(), 'motcua-capture-pdf-'));
    const { files } = await readCounterFiles(page, code);
    const pki = await getTestPki();
    const nss = await makeNssDb(pki.rootDer);
    const pagesOf: Record<string, number> = {};
    for (const { componentCode, base64 } of files) {
      const file = path.join(dir, `${componentCode}.pdf`);
      await writeFile(file, Buffer.from(base64, 'base64'));
      const { stdout: info } = await run('pdfinfo', [file]);
      pagesOf[componentCode] = Number(/Pages:\s+(\d+)/.exec(info)?.[1]);
      const { stdout: sig } = await run('pdfsig', ['-nssdir', nss, file]);
      expect(sig).toContain('Signature is Valid');
      expect(sig).toContain('Total document signed');
      if (componentCode === 'KS-01') {
        // Page 2 is the rotated scan: an upright page turned a quarter, so it is landscape now.
        const { stdout: sizes } = await run('pdfinfo', ['-f', '1', '-l', '2', file]);
        const [p1, p2] = [...sizes.matchAll(/Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])] as const);
        expect(p1 && p1[0] < p1[1]).toBe(true);
        expect(p2 && p2[0] > p2[1]).toBe(true);
      }
    }
    expect(pagesOf).toEqual({ 'KS-01': 4, 'KS-02': 8 });
    // Accepted: the workspace is empty for the next dossier.
    await page.getByRole('button', { name: /Tiếp nhận hồ sơ mới|Hồ sơ mới/ }).click();
    await fillDossier(page, {});
    await expect(stack(page).getByRole('option')).toHaveCount(0);
  });

  test('a hot-folder import: files the vendor software writes become pages, bad ones are refused in Vietnamese', async ({ page }) => {
    await page.goto(host.url);
    await fillDossier(page, {});
    await page.getByLabel('Nguồn quét').selectOption({ label: 'Thư mục: Thư mục máy quét Canon' });
    await page.getByRole('button', { name: 'Nhận ảnh từ thư mục' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Đang quét' })).toBeVisible();
    for (let i = 1; i <= 2; i++) await writeFile(path.join(hotFolder, `canon-${i}.jpg`), await makeJpeg({ widthPx: 827, heightPx: 1169, dpi: 100, seed: 20 + i }));
    await writeFile(path.join(hotFolder, 'ghi-chu.txt'), 'không phải ảnh');
    await expect(stack(page).getByRole('option')).toHaveCount(2);
    await expect(page.getByText('Tệp "ghi-chu.txt" không phải ảnh JPEG, PNG, TIFF hay tệp PDF nên không đưa vào bàn làm việc được.', { exact: false })).toBeVisible();
    await expect(stack(page).getByText('< 200 dpi').first()).toBeVisible();
    await shot(page, 'capture-05-thu-muc');
    await page.getByRole('button', { name: 'Dừng' }).click();
    await expect(page.getByText('Đã dừng: giữ 2 trang đã nhận.')).toBeVisible();
    expect((await readdir(path.join(hotFolder, 'da-nhan'))).sort()).toEqual(['canon-1.jpg', 'canon-2.jpg', 'ghi-chu.txt']);
  });
});
