/// <reference lib="dom" />
/**
 * Bad input the clerk or IT meets, in Debian's Chromium against the web host and a real central: a
 * procedure code that is not in the catalog, and a malformed catalog and calendar sent by the central
 * (the counter keeps its last good copy and the sync history says so in Vietnamese).
 *
 * Elsewhere: an ID number contradicting the card's birth date (tests/e2e/intake.spec.ts, the QR test), an
 * invalid tax code (tests/e2e/counter-day.spec.ts), a malformed config.json or unit code
 * (tests/integration/config-errors.test.ts), a malformed calendar file for the CLI
 * (tests/integration/calendar-cli.test.ts).
 *
 * The real central refuses malformed reference data at its back office, so the broken documents are put on
 * the wire by Playwright's routing (the rest of the traffic goes to the real central).
 */
import { test, expect } from '@playwright/test';
import { startCentralProcess, type CentralProcess } from '../support/central-process';
import { shot } from '../support/e2e';
import { getTestPki } from '../support/pki';
import { startWebHostProcess, type WebHostProcess } from '../support/web-host-process';
import { syncNow } from '../support/e2e-files';
import { pathFor } from '../../shared/sync/api-contract';

test.describe('bad input, told in Vietnamese', () => {
  let central: CentralProcess | undefined;
  let host: WebHostProcess | undefined;

  test.afterEach(async () => {
    await host?.stop();
    await central?.stop();
  });

  test('an unknown procedure code; a malformed catalog and calendar from the central keep the last good copy', async ({ page, context }) => {
    const pki = await getTestPki();
    central = await startCentralProcess();
    host = await startWebHostProcess({ centralUrl: central.url, enroll: { adminToken: central.adminToken }, signerP12Path: pki.counterSignerP12Path, trustDir: pki.dir });
    await page.goto(host.url);

    // A national code that is not in the catalog, then words that match nothing.
    const search = page.getByRole('searchbox');
    await search.fill('1.999999');
    await expect(page.getByRole('alert')).toHaveText('Không có thủ tục mã 1.999999 trong danh mục. Hãy kiểm tra lại mã, tìm theo tên thủ tục, hoặc báo bộ phận CNTT cập nhật danh mục.');
    await expect(page.getByRole('option')).toHaveCount(0);
    await search.press('Enter');
    await expect(page.getByRole('heading', { name: 'Chọn thủ tục hành chính' })).toBeVisible();
    await shot(page, '40-ma-thu-tuc-khong-co');
    await search.fill('cấp phép bay');
    await expect(page.getByRole('alert')).toContainText('Không tìm thấy thủ tục nào khớp với "cấp phép bay"');
    await search.fill('1.001193');
    await expect(page.getByRole('alert')).toHaveCount(0);
    await expect(page.getByRole('option')).toHaveCount(1);

    // The first pass takes the central's good copies.
    await syncNow(page);
    await page.keyboard.press('Alt+6');
    const facts = page.getByTestId('sync-facts');
    await expect(facts.locator('[data-reference="catalog"]')).toContainText('Danh mục thủ tục (catalog): phiên bản', { timeout: 30_000 });
    const goodCatalog = (await facts.locator('[data-reference="catalog"]').textContent()) ?? '';
    await expect(facts.getByRole('alert')).toHaveCount(0);

    // Then the central sends a broken catalog and a calendar with an impossible date.
    const broken = (kind: 'catalog' | 'calendar', data: unknown) =>
      context.route(`**${pathFor('reference', { kind })}`, (route) =>
        route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ kind, version: `hong-${kind}`, publishedAt: new Date().toISOString(), data }) }),
      );
    await broken('catalog', [{ code: 'không phải mã', name: '' }]);
    await broken('calendar', { year: 2027, daysOff: [{ date: '2027-02-30', reason: 'Tết' }] });
    await syncNow(page);
    const catalogAlert = facts.locator('[data-reference="catalog"]').getByRole('alert');
    await expect(catalogAlert).toContainText('Trung tâm gửi bản mới lúc', { timeout: 30_000 });
    await expect(catalogAlert).toContainText('nhưng bản đó bị lỗi nên máy không dùng; vẫn dùng bản');
    await expect(catalogAlert).toContainText('Dữ liệu danh mục/lịch "Danh mục thủ tục (catalog)" không hợp lệ:');
    await expect(facts.locator('[data-reference="calendar"]').getByRole('alert')).toContainText('Dữ liệu danh mục/lịch "Lịch làm việc (calendar)" không hợp lệ:');
    // Nothing half-taken: the copy in use is the one from before.
    expect(((await facts.locator('[data-reference="catalog"]').textContent()) ?? '').startsWith(goodCatalog)).toBe(true);
    const rows = page.getByTestId('sync-history').locator('tr[data-event="reference:invalid"]');
    await expect(rows.first()).toContainText('Lỗi');
    await expect(rows.first()).toContainText('không hợp lệ');
    await shot(page, '41-du-lieu-tham-chieu-loi');
  });
});
