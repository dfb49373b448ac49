/// <reference lib="dom" />
/**
 * Decree 118/2025 Art. 19.6 at the desk, in Debian's Chromium against the web host and a real central: a
 * 2025 dossier (5 working days, so the proposal is always at least one day before its deadline) gets an
 * apology with a reason, a CHOSEN new date (a weekend date is refused first, by name) and the channel used to
 * tell the applicant; the appointment moves; a second extension is refused with the law's message; the
 * central records the extension with its channel. And Art. 19.5: a dossier whose supplement does not come
 * within 15 days is shown closed (browser clock moved on), off the colour board and not late.
 */
import { test, expect } from '@playwright/test';
import { adminCall, backOfficeStatus, startCentralProcess, type CentralProcess } from '../support/central-process';
import { shot } from '../support/e2e';
import { attach, fillApplicant, fillDossier, signAndAccept } from '../support/e2e-intake';
import { onePagePdf } from '../support/e2e';
import { getTestPki } from '../support/pki';
import { startWebHostProcess, type WebHostProcess } from '../support/web-host-process';
import { pathFor } from '../../shared/sync/api-contract';

/** "YYYY-MM-DD" of the first Saturday after `from` (Vietnam date), for a date the form must refuse. */
function saturdayAfter(from: string): string {
  const date = new Date(`${from}T12:00:00Z`);
  do date.setUTCDate(date.getUTCDate() + 1);
  while (date.getUTCDay() !== 6);
  return date.toISOString().slice(0, 10);
}

test.describe('extension of the appointment at the desk (Art. 19.6)', () => {
  let central: CentralProcess | undefined;
  let host: WebHostProcess | undefined;

  test.afterEach(async () => {
    await host?.stop();
    await central?.stop();
  });

  test('proposed with a chosen working day and a channel, then a second extension refused', async ({ page }) => {
    test.setTimeout(240_000);
    const pki = await getTestPki();
    central = await startCentralProcess();
    host = await startWebHostProcess({ centralUrl: central.url, enroll: { adminToken: central.adminToken }, signerP12Path: pki.counterSignerP12Path, trustDir: pki.dir });
    await page.goto(host.url);
    await page.getByLabel('Công chức').fill('Trần Văn Bình');
    await page.getByLabel('Công chức').press('Tab');

    // Đăng ký lại khai sinh: 05 working days.
    await expect(page.getByRole('heading', { name: 'Chọn thủ tục hành chính' })).toBeVisible();
    await page.getByRole('searchbox').fill('dang ky lai khai sinh');
    await page.getByRole('searchbox').press('Enter');
    await fillApplicant(page, 'Nguyễn Thị Ánh Tuyết', '001190012345');
    await attach(page, 'LK-01', 'To khai dang ky lai khai sinh');
    await attach(page, 'LK-02', 'Ban sao giay to lien quan');
    const code = await signAndAccept(page);

    await page.keyboard.press('Alt+4');
    await page.getByRole('tab', { name: /Đang giải quyết/ }).click();
    await page.getByRole('button', { name: code }).click();
    const panel = page.locator('.dossier-panel');
    const form = panel.getByRole('form', { name: 'Xin lỗi và đề nghị gia hạn (Mẫu 04)' });
    await expect(form).toBeVisible();
    await expect(form).toContainText('trước hạn ít nhất 1 ngày');
    const oldAppointment = (await panel.locator('.facts dd').nth(4).textContent()) ?? '';

    // A Saturday is not a working day: refused by name before anything is issued.
    const dateInput = form.getByLabel('Ngày hẹn mới đề nghị (ngày làm việc sau ngày hẹn cũ)');
    const proposed = await dateInput.inputValue();
    await dateInput.fill(saturdayAfter(proposed));
    await expect(form.locator('[data-extension-preview]')).toContainText('không phải ngày làm việc');
    await form.getByLabel('Lý do chậm trễ').fill('Cần xác minh thông tin khai sinh tại nơi đăng ký trước đây');
    await form.getByRole('button', { name: 'Lập văn bản xin lỗi và gia hạn' }).click();
    await expect(panel.getByRole('alert')).toContainText('không phải ngày làm việc');

    // The first working day after the old appointment (the form's own proposal), told by text message.
    await dateInput.fill(proposed);
    await form.getByLabel('Tin nhắn').check();
    await expect(form.locator('[data-extension-preview]')).toContainText('Ngày hẹn mới: 17 giờ 00 phút');
    await shot(page, '60-de-nghi-gia-han');
    await form.getByRole('button', { name: 'Lập văn bản xin lỗi và gia hạn' }).click();
    await expect(panel.getByRole('status')).toContainText('Đã gia hạn một lần: ngày hẹn mới 17 giờ 00 phút');
    await expect(panel.getByRole('status')).toContainText('Tin nhắn');
    await expect(page.getByRole('img', { name: `Mẫu 04 — ${code}` }).locator('canvas')).toBeVisible();
    const newAppointment = (await panel.locator('.facts dd').nth(4).textContent()) ?? '';
    expect(newAppointment).not.toBe(oldAppointment);
    expect(newAppointment).toContain('17 giờ 00 phút');

    // A second extension: refused with the law's message, no form to issue another.
    const refused = panel.locator('[data-extension="used"]');
    await expect(refused).toContainText('đã được gia hạn một lần');
    await expect(refused).toContainText('chỉ được điều chỉnh tối đa một lần');
    await expect(form).toHaveCount(0);
    await shot(page, '61-gia-han-lan-hai-bi-tu-choi');

    // The central has the extension, its new date and the channel.
    await page.keyboard.press('Alt+2');
    await page.getByTestId('sync-indicator').getByRole('button', { name: 'Đồng bộ ngay' }).click();
    await expect
      .poll(
        async () => {
          const view = await adminCall(central as CentralProcess, 'GET', pathFor('adminDossier', { id: code }));
          const history = (view.body as { history?: { note: string }[] } | undefined)?.history ?? [];
          return history.find((c) => c.note.startsWith('Thư xin lỗi'))?.note ?? '';
        },
        { timeout: 90_000 },
      )
      .toContain('đã báo người nộp qua: tin nhắn');
  });

  test('a 2025 dossier not supplemented within 15 days is shown closed, not late', async ({ page }) => {
    test.setTimeout(240_000);
    const pki = await getTestPki();
    central = await startCentralProcess();
    host = await startWebHostProcess({ centralUrl: central.url, enroll: { adminToken: central.adminToken }, signerP12Path: pki.counterSignerP12Path, trustDir: pki.dir });
    await page.goto(host.url);
    await page.getByLabel('Công chức').fill('Trần Văn Bình');
    await page.getByLabel('Công chức').press('Tab');
    await fillDossier(page, {
      'KS-01': [{ name: 'to-khai.pdf', mimeType: 'application/pdf', buffer: await onePagePdf('To khai') }],
      'KS-02': [{ name: 'giay-chung-sinh.pdf', mimeType: 'application/pdf', buffer: await onePagePdf('Giay chung sinh') }],
    });
    const code = await signAndAccept(page);

    // Sent, then the deciding agency asks for a paper (status 5) and the counter hears of it.
    const sync = page.getByTestId('sync-indicator').getByRole('button', { name: 'Đồng bộ ngay' });
    await page.keyboard.press('Alt+2');
    await expect(sync).toBeEnabled({ timeout: 60_000 });
    await sync.click();
    await expect(page.locator(`tr[data-code="${code}"]`)).toHaveAttribute('data-state', 'acknowledged', { timeout: 60_000 });
    expect((await backOfficeStatus(central, code, { status: 4 })).status).toBe(201);
    expect((await backOfficeStatus(central, code, { status: 5, note: 'Thiếu giấy tờ', supplementItems: ['Giấy xác nhận cư trú'] })).status).toBe(201);
    await expect(sync).toBeEnabled({ timeout: 60_000 });
    await sync.click();
    await page.keyboard.press('Alt+4');
    await expect(page.getByRole('tab', { name: 'Chờ bổ sung (1)' })).toBeVisible({ timeout: 60_000 });

    // Twenty days later (the browser's clock), nobody came back.
    await page.clock.setFixedTime(new Date(Date.now() + 20 * 86_400_000));
    await page.keyboard.press('Alt+5');
    await expect(page.locator('[data-closed-count="1"]')).toContainText('1 hồ sơ đã dừng do quá hạn bổ sung (không tính trễ hạn)');
    await expect(page.locator(`.board tr[data-code="${code}"]`)).toHaveCount(0);
    await shot(page, '63-bang-mau-da-dung');
    await page.keyboard.press('Alt+4');
    await expect(page.getByRole('tab', { name: 'Chờ bổ sung (0)' })).toBeVisible();
    await page.getByRole('tab', { name: /Tất cả/ }).click();
    const row = page.locator(`tr[data-code="${code}"]`);
    await expect(row.locator('[data-closed="supplement-window"]')).toHaveText('Đã dừng — quá hạn bổ sung');
    await expect(row.locator('[data-deadline]')).toHaveCount(0);
    await row.getByRole('button', { name: code }).click();
    const panel = page.locator('.dossier-panel');
    await expect(panel.locator('[data-closed="supplement-window"]')).toContainText('Điều 19 khoản 5 Nghị định 118/2025/NĐ-CP');
    await expect(panel.locator('.facts')).toContainText('Đã dừng — quá hạn bổ sung');
    await expect(panel.getByRole('heading', { name: 'Nhận hồ sơ bổ sung' })).toHaveCount(0);
    await expect(panel.getByRole('form', { name: 'Xin lỗi và đề nghị gia hạn (Mẫu 04)' })).toHaveCount(0);
    await shot(page, '62-qua-han-bo-sung');
  });
});
