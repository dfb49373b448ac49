/// <reference lib="dom" />
/**
 * The page workspace with a 30-page dossier, as a clerk sees it: one 30-page TIFF (made at test time:
 * Vietnamese text pages rendered by pdftoppm, joined by ImageMagick) imported into the unsorted stack, split
 * across four components with the mouse, Shift+click, the "Xếp vào" control and the number keys, then looked
 * at: the whole workspace, a component with many pages, the zoom view, keyboard focus, and the
 * present/missing summary. A reload keeps all 30 pages where the clerk put them. Screenshots
 * `test-results/screens/workspace-30-*.png`.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { test, expect, type Page } from '@playwright/test';
import { fillDossier } from '../support/e2e-intake';
import { getTestPki } from '../support/pki';
import { startCentralProcess, type CentralProcess } from '../support/central-process';
import { screensDir, shot, windowShot } from '../support/e2e';
import { startWebHostProcess, type WebHostProcess } from '../support/web-host-process';
import { textPagesPdf, vietnameseText } from '../support/page-images';

const run = promisify(execFile);

const stack = (page: Page) => page.getByRole('listbox', { name: 'Trang chưa xếp vào thành phần nào' });
const strip = (page: Page, code: string) => page.locator(`[data-component="${code}"]`).getByRole('listbox');

/** A 30-page TIFF of A4 text pages (grey, LZW, 200 dpi declared; rendered at 100 dpi to keep it small). */
async function thirtyPageTiff(): Promise<Buffer> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'motcua-30-'));
  const pdf = path.join(dir, 'ho-so.pdf');
  await writeFile(pdf, await textPagesPdf(await vietnameseText(), 30));
  await run('pdftoppm', ['-r', '100', '-gray', pdf, path.join(dir, 'p')]);
  const pages = (await readdir(dir)).filter((f) => f.endsWith('.pgm')).sort().map((f) => path.join(dir, f));
  const tiff = path.join(dir, 'ho-so-30-trang.tif');
  await run('convert', [...pages, '-units', 'PixelsPerInch', '-density', '200', '-compress', 'LZW', tiff]);
  return readFile(tiff);
}

test.describe('page workspace: a 30-page dossier', () => {
  let central: CentralProcess;
  let host: WebHostProcess;

  test.beforeEach(async () => {
    const pki = await getTestPki();
    central = await startCentralProcess();
    host = await startWebHostProcess({
      centralUrl: central.url,
      enroll: { adminToken: central.adminToken },
      // Enrolled, so the central acknowledges: the signed files stay a while for the spec to read back.
      retention: { filesDaysAfterAck: 30 },
      signerP12Path: pki.counterSignerP12Path,
      trustDir: pki.dir,
      capture: { sane: { enabled: false } },
      // How the workspace looks is what this spec is about; clean-up and OCR are tested elsewhere.
      imaging: { cleanup: false, ocr: false },
    });
  });

  test.afterEach(async () => {
    await host?.stop();
    await central?.stop();
  });

  test('30 pages imported, split across components, looked at', async ({ page }) => {
    test.setTimeout(180_000);
    await page.setViewportSize({ width: 1366, height: 900 });
    const tiff = await thirtyPageTiff();
    await page.goto(host.url);
    await fillDossier(page, {});
    await page.getByTestId('files-stack').setInputFiles({ name: 'ho-so-30-trang.tif', mimeType: 'image/tiff', buffer: tiff });
    await expect(stack(page).getByRole('option')).toHaveCount(30, { timeout: 60_000 });
    await expect(stack(page).getByRole('option').nth(29).locator('img')).toBeVisible();
    await shot(page, 'workspace-30-01-chong-trang');

    // Pages 1–2 → KS-01 (click, Shift+click, key 1).
    await stack(page).getByRole('option').nth(0).click();
    await stack(page).getByRole('option').nth(1).click({ modifiers: ['Shift'] });
    await stack(page).getByRole('option').nth(1).focus();
    await page.keyboard.press('1');
    await expect(strip(page, 'KS-01').getByRole('option')).toHaveCount(2);
    // The next 22 → KS-02 with the "Xếp vào" control.
    await stack(page).getByRole('option').nth(0).click();
    await stack(page).getByRole('option').nth(21).click({ modifiers: ['Shift'] });
    await page.getByRole('combobox', { name: 'Xếp vào' }).selectOption({ index: 2 });
    await page.getByRole('button', { name: /^Xếp 22 trang/ }).click();
    await expect(strip(page, 'KS-02').getByRole('option')).toHaveCount(22);
    // Four → KS-04 (key 4); two stay unsorted.
    await stack(page).getByRole('option').nth(0).click();
    await stack(page).getByRole('option').nth(3).click({ modifiers: ['Shift'] });
    await stack(page).getByRole('option').nth(3).focus();
    await page.keyboard.press('4');
    await expect(strip(page, 'KS-04').getByRole('option')).toHaveCount(4);
    await expect(stack(page).getByRole('option')).toHaveCount(2);

    // A restart: the wizard starts over (its form is not kept), the 30 pages are where the clerk put them.
    await page.reload();
    await fillDossier(page, {});
    await expect(strip(page, 'KS-02').getByRole('option')).toHaveCount(22);
    await expect(strip(page, 'KS-01').getByRole('option')).toHaveCount(2);
    await expect(stack(page).getByRole('option')).toHaveCount(2);
    await expect(strip(page, 'KS-02').getByRole('option').nth(21).locator('img')).toBeVisible();
    await shot(page, 'workspace-30-02-toan-bo');

    // A component with many pages, with keyboard focus on its 5th page.
    await strip(page, 'KS-02').getByRole('option').nth(4).focus();
    await page.keyboard.press('ArrowRight');
    await expect(strip(page, 'KS-02').getByRole('option').nth(5)).toBeFocused();
    // What the window shows at that moment (the decisions bar stays at the bottom while the list scrolls).
    await windowShot(page, 'workspace-30-03-cua-so');
    await page.locator('[data-component="KS-02"]').screenshot({ path: path.join(screensDir, 'workspace-30-04-thanh-phan-nhieu-trang.png') });

    // The present/missing summary: KS-03 is optional and empty, the rest present; two pages left unsorted.
    await expect(page.locator('[data-component="KS-01"] .badge.present')).toBeVisible();
    await expect(page.locator('[data-component="KS-03"] .badge.absent')).toBeVisible();
    await expect(page.getByTestId('dossier-summary')).toHaveText(/Thành phần bắt buộc: đủ 2\/2.*Hồ sơ có 28 trang.*2 trang chưa xếp — sẽ không vào hồ sơ/);
    await page.locator('.components').screenshot({ path: path.join(screensDir, 'workspace-30-05-thanh-phan-co-thieu.png') });

    // Zoom on the focused page.
    await page.keyboard.press('Enter');
    const zoom = page.getByRole('dialog');
    await expect(zoom).toBeVisible();
    await expect(zoom).toContainText('Trang 6/22');
    await page.keyboard.press('ArrowRight');
    await expect(zoom).toContainText('Trang 7/22');
    await page.keyboard.press('+');
    // The zoom view covers the window: a window-sized picture, not the whole scrolled page.
    await windowShot(page, 'workspace-30-06-phong-to');
    await page.keyboard.press('Escape');
    await expect(zoom).toHaveCount(0);
  });
});
