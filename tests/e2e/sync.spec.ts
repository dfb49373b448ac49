/// <reference lib="dom" />
/**
 * What the clerk sees of sync, in Debian's Chromium against a real central process: the always-visible
 * indicator (offline with dossiers and bytes waiting, then all sent after "Đồng bộ ngay"), status changes
 * pulled from the central, and the sync history an IT person reads.
 */
import { test, expect } from '@playwright/test';
import { adminCall, startCentralProcess, type CentralProcess } from '../support/central-process';
import { onePagePdf, shot } from '../support/e2e';
import { fillDossier, unlockAndAccept } from '../support/e2e-intake';
import { a4Pixels, makeJpeg } from '../support/images';
import { getTestPki } from '../support/pki';
import { startWebHostProcess, type WebHostProcess } from '../support/web-host-process';
import { pathFor } from '../../shared/sync/api-contract';

test.describe('sync as the clerk sees it', () => {
  let central: CentralProcess | undefined;
  let host: WebHostProcess | undefined;

  test.afterEach(async () => {
    await host?.stop();
    await central?.stop();
  });

  test('indicator offline → sync now → all sent; a status change pulled; the sync history', async ({ page }) => {
    const pki = await getTestPki();
    const started = await startCentralProcess();
    central = started;
    // Enrolled while the central was up (as installed); the central is down before the counter starts.
    host = await startWebHostProcess({
      centralUrl: started.url,
      enroll: { adminToken: started.adminToken },
      beforeStart: () => started.kill(),
      signerP12Path: pki.counterSignerP12Path,
      trustDir: pki.dir,
    });
    await page.goto(host.url);
    const a4 = a4Pixels(200);
    await fillDossier(page, {
      'KS-01': [{ name: 'to-khai.jpg', mimeType: 'image/jpeg', buffer: Buffer.from(await makeJpeg({ ...a4, dpi: 200, seed: 5 })) }],
      'KS-02': [{ name: 'giay-chung-sinh.pdf', mimeType: 'application/pdf', buffer: await onePagePdf('Giay chung sinh') }],
    });
    const code = await unlockAndAccept(page);

    const indicator = page.getByTestId('sync-indicator');
    await expect(indicator).toHaveAttribute('data-connectivity', 'offline');
    await expect(indicator).toContainText('Mất kết nối trung tâm');
    await expect(page.getByTestId('sync-waiting')).toContainText('1 hồ sơ chờ gửi');
    await expect(page.getByTestId('sync-waiting')).toContainText(/còn \d+(\.\d)? (KB|MB)/);
    await page.keyboard.press('Alt+2');
    // The only dossier. A counter that never reached the central holds no leased number: its code is a
    // provisional TAM-… one, replaced by the central's official code on sync (issue 15).
    const row = page.locator('table.queue tbody tr');
    await expect(row).toHaveAttribute('data-code', code);
    await expect(row).toContainText('Chưa kết nối được hệ thống trung tâm');
    await shot(page, 'sync-01-mat-ket-noi');

    central = await central.restart();
    await indicator.getByRole('button', { name: 'Đồng bộ ngay' }).click();
    await expect(row).toHaveAttribute('data-state', 'acknowledged', { timeout: 60_000 });
    const official = (await row.getAttribute('data-code')) ?? code;
    await expect(indicator).toHaveAttribute('data-connectivity', 'online');
    await expect(indicator).toContainText('Đã gửi hết');
    await expect(row).toContainText('Trung tâm nhận lúc');
    await shot(page, 'sync-02-da-gui');

    // The back office takes the dossier up; the counter's next pass pulls the change.
    const moved = await adminCall(central, 'POST', pathFor('adminDossierStatus', { id: official }), { status: 4, actor: 'Nguyễn Thị Xử Lý', department: 'Phòng Tư pháp', note: 'Đang thẩm định' });
    expect(moved.status).toBe(201);
    await indicator.getByRole('button', { name: 'Đồng bộ ngay' }).click();
    await expect(indicator.getByRole('button', { name: 'Đồng bộ ngay' })).toBeEnabled();

    await page.keyboard.press('Alt+6');
    await expect(page.getByRole('heading', { name: 'Nhật ký đồng bộ' })).toBeVisible();
    const history = page.getByTestId('sync-history');
    await expect(history.locator('tr[data-event="pull:changes"]').first()).toBeVisible({ timeout: 30_000 });
    await expect(history.locator('tr[data-event="state:acknowledged"]')).toContainText(official);
    await expect(history.locator('tr[data-event="connectivity:offline"]').first()).toContainText('Cảnh báo');
    await expect(page.getByTestId('sync-facts')).toContainText('Đã nhận thay đổi trạng thái đến số');
    await expect(page.getByTestId('sync-facts')).toContainText('Danh mục thủ tục (catalog): phiên bản');
    await shot(page, 'sync-03-nhat-ky');

    // IT narrows it to warnings and errors.
    await page.getByLabel('Mức').selectOption('warn');
    await expect(history.locator('tr[data-level="info"]')).toHaveCount(0);
    await page.getByLabel('Mức').selectOption('all');
    await page.getByRole('searchbox', { name: 'Lọc theo mã hồ sơ hoặc sự kiện' }).fill(official);
    await expect(history.locator('tr').filter({ hasNotText: official }).locator('td')).toHaveCount(0);
    await shot(page, 'sync-04-nhat-ky-loc');
  });
});
