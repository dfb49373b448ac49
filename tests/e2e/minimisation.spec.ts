/// <reference lib="dom" />
/**
 * Issue 17, finding 8, in Debian's Chromium against the web host and a real central process: a dossier is
 * accepted, the back office finishes it, the clerk returns the result, and once the central acknowledged
 * the return (grace 0 days here) the counter keeps only a masked name — the desk shows "Nguyễn T. Á. T." and
 * says why; the receipt is rebuilt from the central's copy; with the central down, the clerk reads that the
 * reprint needs the connection.
 */
import { test, expect, type Page } from '@playwright/test';
import { backOfficeStatus, startCentralProcess, type CentralProcess } from '../support/central-process';
import { onePagePdf, shot } from '../support/e2e';
import { fillDossier, unlockAndAccept } from '../support/e2e-intake';
import { syncNow } from '../support/e2e-files';
import { getTestPki } from '../support/pki';
import { startWebHostProcess, type WebHostProcess } from '../support/web-host-process';
import { storedValue } from '../support/sealed-at-rest';

/**
 * The dossier's applicant as stored in the page's IndexedDB, read without the app's code; sealed at rest since
 * issue 17 (renderer/src/db/encryption.ts), so it is opened on the test's side with the host's data key.
 */
async function storedApplicant(page: Page, code: string): Promise<unknown> {
  const raw = await page.evaluate(
    (wanted) =>
      new Promise<unknown>((resolve, reject) => {
        const open = indexedDB.open('motcua-counter');
        open.onerror = () => reject(new Error(String(open.error)));
        open.onsuccess = () => {
          const db = open.result;
          const request = db.transaction('dossiers').objectStore('dossiers').index('code').get(wanted);
          request.onsuccess = () => {
            db.close();
            resolve((request.result as { applicant?: unknown } | undefined)?.applicant);
          };
          request.onerror = () => reject(new Error(String(request.error)));
        };
      }),
    code,
  );
  return storedValue(page.url(), 'dossiers.applicant', raw);
}

test.describe('minimisation on the counter', () => {
  let central: CentralProcess | undefined;
  let host: WebHostProcess | undefined;

  test.afterEach(async () => {
    await host?.stop();
    await central?.stop();
  });

  test('a returned dossier keeps a masked name at the desk; the receipt is rebuilt from the central, not offline', async ({ page }) => {
    test.setTimeout(240_000);
    const pki = await getTestPki();
    central = await startCentralProcess();
    host = await startWebHostProcess({
      centralUrl: central.url,
      enroll: { adminToken: central.adminToken },
      signerP12Path: pki.counterSignerP12Path,
      trustDir: pki.dir,
      retention: { filesDaysAfterAck: 0, dossiersDaysAfterClose: 0, applicantsDaysUnseen: 90 },
    });
    await page.goto(host.url);
    await page.getByLabel('Công chức').fill('Trần Văn Bình');
    await page.getByLabel('Công chức').press('Tab');
    await fillDossier(page, {
      'KS-01': [{ name: 'to-khai.pdf', mimeType: 'application/pdf', buffer: await onePagePdf('To khai') }],
      'KS-02': [{ name: 'giay-chung-sinh.pdf', mimeType: 'application/pdf', buffer: await onePagePdf('Giay chung sinh') }],
    });
    const code = await unlockAndAccept(page);
    await syncNow(page);
    await page.keyboard.press('Alt+2');
    await expect(page.locator(`tr[data-code="${code}"]`)).toHaveAttribute('data-state', 'acknowledged', { timeout: 60_000 });

    // The back office finishes it; the clerk returns the result at the desk.
    expect((await backOfficeStatus(central, code, { status: 4 })).status).toBe(201);
    expect((await backOfficeStatus(central, code, { status: 9, note: 'Đã ký giấy khai sinh' })).status).toBe(201);
    await syncNow(page);
    await page.keyboard.press('Alt+4');
    await expect(page.getByRole('tab', { name: 'Chờ trả kết quả (1)' })).toBeVisible({ timeout: 30_000 });
    await page.getByRole('button', { name: code }).click();
    await expect(page.locator('.dossier-panel .facts')).toContainText('Nguyễn Thị Ánh Tuyết');
    await page.getByLabel('Người nhận kết quả').fill('Nguyễn Thị Ánh Tuyết');
    await page.getByRole('button', { name: 'Ghi nhận đã trả kết quả' }).click();
    await expect(page.getByText('Đã ghi nhận trả kết quả cho Nguyễn Thị Ánh Tuyết.')).toBeVisible();
    await page.getByRole('button', { name: 'Đóng' }).click();

    // The return is acknowledged; with no grace the same pass minimises the dossier.
    await syncNow(page);
    await expect.poll(() => storedApplicant(page, code), { timeout: 60_000 }).toEqual({ fullName: 'Nguyễn T. Á. T.', idNumber: '', phone: '', address: '' });
    await page.getByRole('tab', { name: /Tất cả/ }).click();
    const row = page.locator(`tr[data-code="${code}"]`);
    await expect(row).toContainText('Nguyễn T. Á. T.');
    await expect(row).not.toContainText('Tuyết');
    await row.getByRole('button', { name: code }).click();
    const panel = page.locator('.dossier-panel');
    await expect(panel.locator('.facts')).toContainText('Nguyễn T. Á. T.');
    await expect(panel.locator('.facts')).toContainText('Nguyễn T. Á. T. · Trực tiếp tại quầy');
    await expect(panel.locator('[data-minimised]')).toContainText('đã được rút gọn trên máy quầy');
    await expect(panel.locator('ul.printed li').first()).toHaveAttribute('data-form-kept', 'no');

    // The receipt, rebuilt from the central's copy of the applicant (keyboard: the button takes Enter).
    const rebuild = panel.getByRole('button', { name: `Lập lại Mẫu 01 — ${code} từ dữ liệu ở trung tâm` });
    await rebuild.focus();
    await page.keyboard.press('Enter');
    await expect(panel.getByRole('status')).toContainText(`Đã lập lại Mẫu 01 — ${code} từ dữ liệu hồ sơ ở trung tâm`);
    await expect(panel.locator('.form-output canvas').first()).toBeVisible();
    await shot(page, '90-ho-so-da-rut-gon');

    // The queue's search finds it by the masked name, not by the full one.
    await page.keyboard.press('Alt+2');
    await expect(page.locator(`tr[data-code="${code}"]`)).toContainText('Nguyễn T. Á. T.');

    // The central is down: the reprint says it needs the connection.
    await central.kill();
    await page.keyboard.press('Alt+4');
    await page.getByRole('tab', { name: /Tất cả/ }).click();
    await page.getByRole('button', { name: code }).click();
    await panel.getByRole('button', { name: `Lập lại Mẫu 01 — ${code} từ dữ liệu ở trung tâm` }).click();
    await expect(panel.getByRole('alert')).toContainText(`Không in lại được phiếu của hồ sơ ${code}`);
    await expect(panel.getByRole('alert')).toContainText('Hãy kiểm tra mạng rồi bấm in lại.');
    await shot(page, '91-in-lai-can-ket-noi');
  });
});
