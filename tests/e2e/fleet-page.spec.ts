/// <reference lib="dom" />
/**
 * Issue 16: the central's fleet page in Chromium, with 200 simulated counters reporting through the real HTTP
 * API of a central process. IT types the admin token (kept in the page's memory only), filters with the
 * keyboard, and downloads the XLSX; the page runs under its strict CSP with no violation.
 */
import { readFile } from 'node:fs/promises';
import { test, expect } from '@playwright/test';
import ExcelJS from 'exceljs';
import { startCentralProcess, type CentralProcess } from '../support/central-process';
import { shot } from '../support/e2e';
import { fleetCentralArgs, simulateFleet, type SimulatedCounter } from '../support/fleet-simulation';
import { pathFor } from '../../shared/sync/api-contract';

test.describe('the fleet page of the central', () => {
  let central: CentralProcess | undefined;
  let counters: SimulatedCounter[] = [];

  test.beforeAll(async () => {
    test.setTimeout(300_000);
    central = await startCentralProcess({ env: { MOTCUA_CENTRAL_FAULT_CONTROL: '1' }, args: [...fleetCentralArgs], enroll: false });
    counters = await simulateFleet(central, 200);
  });

  test.afterAll(async () => {
    await central?.stop();
  });

  test('lists 200 counters after the token is typed, filters “offline > 7 days” and exports XLSX', async ({ page }) => {
    if (!central) throw new Error('no central');
    const cspViolations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) cspViolations.push(message.text());
    });
    const response = await page.goto(new URL(pathFor('fleetPage'), central.url).href);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Các máy quầy (fleet)');

    // Without the token: told what to do, nothing fetched.
    await page.getByRole('button', { name: 'Xem danh sách' }).click();
    // A required field: the browser's own check stops the submit; the token field has the focus.
    await expect(page.getByLabel('Mã quản trị (admin token)')).toBeFocused();

    // A wrong token: the page says so in Vietnamese.
    await page.getByLabel('Mã quản trị (admin token)').fill('sai-ma');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('status')).toHaveText(/Mã quản trị không đúng/);

    // The right one, with the keyboard only.
    await page.getByLabel('Mã quản trị (admin token)').fill(central.adminToken);
    await page.keyboard.press('Enter');
    await expect(page.getByRole('status')).toHaveText('Đã tải 200 máy quầy.');
    await expect(page.locator('#fleet tbody tr')).toHaveCount(200);
    await expect(page.locator('#caption')).toContainText('200 / 200 máy quầy — phiên bản tối thiểu 1.0.0');
    // The token is in no field, no storage and not in the address.
    await expect(page.getByLabel('Mã quản trị (admin token)')).toHaveValue('');
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + location.href + document.cookie);
    expect(stored).not.toContain(central.adminToken);
    await shot(page, 'fleet-01-tat-ca-may-quay');

    // Offline for more than 7 days: the counters heard ten days ago and those never heard.
    await page.getByLabel('Mất liên lạc quá (ngày)').fill('7');
    await page.getByLabel('Mất liên lạc quá (ngày)').press('Enter');
    const expectedOffline = counters.filter((c) => c.plan.reports !== 'now');
    await expect(page.getByRole('status')).toHaveText(`Đã tải ${expectedOffline.length} máy quầy.`);
    await expect(page.locator('#fleet tbody tr')).toHaveCount(expectedOffline.length);
    await expect(page.locator('#fleet tbody tr.offline')).toHaveCount(expectedOffline.length);
    const names = await page.locator('#fleet tbody tr td:nth-child(3)').allTextContents();
    expect(names.sort()).toEqual(expectedOffline.map((c) => `Máy quầy ${c.index}`).sort());
    await expect(page.locator('#fleet tbody')).toContainText('chưa bao giờ');
    await shot(page, 'fleet-02-mat-lien-lac-qua-7-ngay');

    // Outdated and a backlog over 20, together with the offline filter.
    await page.getByLabel('Chỉ máy phiên bản cũ').check();
    await page.getByLabel('Hồ sơ chưa gửi nhiều hơn').fill('20');
    await page.getByRole('button', { name: 'Xem danh sách' }).click();
    const expectedBoth = expectedOffline.filter((c) => c.plan.reports === 'ten-days-ago' && c.plan.version !== '1.0.0' && c.plan.backlog > 20);
    await expect(page.getByRole('status')).toHaveText(`Đã tải ${expectedBoth.length} máy quầy.`);
    await expect(page.locator('#fleet tbody tr')).toHaveCount(expectedBoth.length);

    // The XLSX of the same filters.
    const downloading = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Tải tệp Excel (XLSX)' }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(/^may-quay-\d{4}-\d\d-\d\d\.xlsx$/);
    const workbook = new ExcelJS.Workbook();
    const xlsx = await readFile(await download.path());
    await workbook.xlsx.load(xlsx.buffer.slice(xlsx.byteOffset, xlsx.byteOffset + xlsx.byteLength));
    expect((workbook.getWorksheet('Máy quầy')?.rowCount ?? 0) - 1).toBe(expectedBoth.length);
    await expect(page.getByRole('status')).toHaveText('Đã tải tệp Excel.');

    expect(cspViolations).toEqual([]);
  });
});
