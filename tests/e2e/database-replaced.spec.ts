/// <reference lib="dom" />
/**
 * A counter database replaced behind the app's back — what Chromium does with a database it finds corrupt,
 * and what clearing the browser data or a second profile look like. A second browser context on the same
 * host is exactly that: an empty IndexedDB beside main's ledger of the database this counter was using.
 */
import { test, expect } from '@playwright/test';
import { getTestPki } from '../support/pki';
import { startCentralProcess, type CentralProcess } from '../support/central-process';
import { onePagePdf, shot } from '../support/e2e';
import { fillDossier, readCounterFiles, signAndAccept, unlockAndAccept } from '../support/e2e-intake';
import { startWebHostProcess, type WebHostProcess } from '../support/web-host-process';

test.describe('a replaced counter database', () => {
  let central: CentralProcess;
  let host: WebHostProcess;

  test.afterEach(async () => {
    await host?.stop();
    await central?.stop();
  });

  test('is stopped and explained; after IT confirms, codes go on from where the old database stopped', async ({ page, browser }) => {
    const pki = await getTestPki();
    central = await startCentralProcess();
    // No enrollment: the dossiers stay queued, as on a counter that was offline when its database went.
    host = await startWebHostProcess({ centralUrl: central.url, signerP12Path: pki.counterSignerP12Path, trustDir: pki.dir });
    const pdf = async (text: string) => [{ name: 'to-khai.pdf', mimeType: 'application/pdf', buffer: await onePagePdf(text) }];

    await page.goto(host.url);
    await fillDossier(page, { 'KS-01': await pdf('Ho so 1'), 'KS-02': await pdf('Giay chung sinh') });
    const firstCode = await unlockAndAccept(page);
    expect(firstCode).toMatch(/-0001$/);
    // The same database after a reload is the same database: no warning.
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Chọn thủ tục hành chính' })).toBeVisible();
    await expect(page.getByTestId('database-replaced')).toHaveCount(0);
    const original = await readCounterFiles(page, firstCode);
    await page.close();

    const other = await browser.newContext({ locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh', viewport: { width: 1366, height: 768 } });
    try {
      const replaced = await other.newPage();
      await replaced.goto(host.url);
      const screen = replaced.getByTestId('database-replaced');
      await expect(screen.getByRole('heading', { name: 'Dừng tiếp nhận: cơ sở dữ liệu hồ sơ trên máy đã bị thay' })).toBeVisible();
      // What happened, with the numbers: the old database held the dossier, the one just opened holds none.
      await expect(screen.getByTestId('replaced-what')).toContainText('đã giữ tới 1 hồ sơ');
      await expect(screen.getByTestId('replaced-what')).toContainText('đang có 0 hồ sơ');
      await expect(screen.getByTestId('replaced-what')).toContainText('1 hồ sơ đó không có ở đây');
      // What IT does first when it is only another browser profile: go back to it, the old database is there.
      await expect(screen).toContainText('đừng xác nhận: đóng cửa sổ này và mở lại ứng dụng bằng tài khoản');
      await expect(screen).toContainText('không xoá gì, không tiếp nhận và không đồng bộ gì');
      // Main kept its own copy of the unsent dossier (dossier-spool.ts).
      await expect(screen.getByTestId('spooled')).toHaveText('Bản dự phòng trên máy đang giữ 1 hồ sơ chưa được trung tâm xác nhận.');
      // Nothing of the counter is reachable behind it.
      await expect(replaced.getByRole('heading', { name: 'Chọn thủ tục hành chính' })).toHaveCount(0);
      const accept = screen.getByRole('button', { name: 'Dùng cơ sở dữ liệu mới' });
      await expect(accept).toBeDisabled();
      await shot(replaced, '37-co-so-du-lieu-bi-thay');

      await screen.getByLabel('Tôi là cán bộ CNTT, đã kiểm tra và đồng ý dùng cơ sở dữ liệu mới').check();
      await accept.click();
      const restored = replaced.getByTestId('database-restored');
      await expect(restored.getByRole('heading', { name: 'Đã dùng cơ sở dữ liệu mới' })).toBeVisible();
      await expect(restored.getByTestId('restored')).toContainText(`Đã khôi phục 1 hồ sơ chưa gửi từ bản dự phòng`);
      await expect(restored.getByTestId('restored')).toContainText(firstCode);
      await shot(replaced, '38-khoi-phuc-ho-so-chua-gui');
      // The button has the focus: Enter goes on to the counter.
      await replaced.keyboard.press('Enter');
      await expect(replaced.getByRole('heading', { name: 'Chọn thủ tục hành chính' })).toBeVisible();
      // The lost dossier is back in the queue, waiting to be sent, with the very bytes it was signed with.
      await replaced.keyboard.press('Alt+2');
      await expect(replaced.locator(`tr[data-code="${firstCode}"]`)).toHaveAttribute('data-state', 'waiting');
      const back = await readCounterFiles(replaced, firstCode);
      expect(back.dossierId).toBe(original.dossierId);
      expect(back.files.map((f) => [f.sha256, f.base64]).sort()).toEqual(original.files.map((f) => [f.sha256, f.base64]).sort());
      await replaced.keyboard.press('Alt+1');
      await expect(replaced.getByRole('heading', { name: 'Chọn thủ tục hành chính' })).toBeVisible();
      await fillDossier(replaced, { 'KS-01': await pdf('Ho so 2'), 'KS-02': await pdf('Giay chung sinh') });
      // A newly loaded window starts with the key locked: the clerk types the password again.
      const secondCode = await signAndAccept(replaced);
      // Same unit, counter and day as the first: the new database must not issue 0001 again.
      expect(secondCode).toBe(firstCode.replace(/-0001$/, '-0002'));

      // Once accepted, the new database is the one on record: a reload opens the counter directly.
      await replaced.reload();
      await expect(replaced.getByRole('heading', { name: 'Chọn thủ tục hành chính' })).toBeVisible();
      await expect(replaced.getByTestId('database-replaced')).toHaveCount(0);
    } finally {
      await other.close();
    }
  });

  test('a database that never held a dossier is replaced quietly, and the sync history says so', async ({ page, browser }) => {
    const pki = await getTestPki();
    central = await startCentralProcess({ enroll: false });
    host = await startWebHostProcess({ centralUrl: central.url, signerP12Path: pki.counterSignerP12Path, trustDir: pki.dir });
    // The demo opened once in one browser profile: its database is on record, holding nothing.
    await page.goto(host.url);
    await expect(page.getByRole('heading', { name: 'Chọn thủ tục hành chính' })).toBeVisible();
    await page.close();

    const other = await browser.newContext({ locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh', viewport: { width: 1366, height: 768 } });
    try {
      const second = await other.newPage();
      await second.goto(host.url);
      // Nothing was there to lose: no lockout, straight to the counter.
      await expect(second.getByRole('heading', { name: 'Chọn thủ tục hành chính' })).toBeVisible();
      await expect(second.getByTestId('database-replaced')).toHaveCount(0);
      await second.keyboard.press('Alt+6');
      const noted = second.getByTestId('sync-history').locator('tr[data-event="database:replaced-empty"]');
      await expect(noted).toHaveCount(1);
      await expect(noted).toContainText('Cảnh báo');
      await expect(noted).toContainText('previousDossiersHeldMost=0');
      await shot(second, '39-co-so-du-lieu-trong-duoc-thay');
      // And the new database is now the one on record: a reload is quiet and logs nothing more.
      await second.reload();
      await expect(second.getByRole('heading', { name: 'Chọn thủ tục hành chính' })).toBeVisible();
      await second.keyboard.press('Alt+6');
      await expect(second.getByTestId('sync-history').locator('tr[data-event="database:replaced-empty"]')).toHaveCount(1);
    } finally {
      await other.close();
    }
  });
});
