/// <reference lib="dom" />
/**
 * Issue 16 items 3–4 in the browser, through the real web host and a real central process: a counter with no
 * device credential opens on the enrollment screen (keyboard only: type the code, Enter); a refusal is told
 * there in Vietnamese and the right code opens the counter, accepted by the central. A silent install's preset
 * code enrolls on first start without a click. Ctrl+Alt+Shift+D opens IT's check panel with the doctor's report
 * and the IndexedDB quota, Escape closes it.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { unzipSync } from 'fflate';
import { adminEnrollmentCodeResponseSchema } from '../../shared/sync/protocol';
import { adminCall, startCentralProcess, testUnit, type CentralProcess } from '../support/central-process';
import { shot, windowShot } from '../support/e2e';
import { getTestPki } from '../support/pki';
import { startWebHostProcess, webHostUnit, type WebHostProcess } from '../support/web-host-process';
import { pathFor } from '../../shared/sync/api-contract';

async function issueCode(central: CentralProcess, unit: { code: string; name: string }): Promise<string> {
  const issued = await adminCall(central, 'POST', pathFor('adminEnrollmentCodes'), { unit, counterNo: 1 });
  return adminEnrollmentCodeResponseSchema.parse(issued.body).enrollmentCode;
}

test.describe('enrollment and the IT check screen', () => {
  let central: CentralProcess | undefined;
  let host: WebHostProcess | undefined;

  test.afterEach(async () => {
    await host?.stop();
    await central?.stop();
    host = undefined;
    central = undefined;
  });

  test('a counter not enrolled opens on the enrollment screen; a wrong code is explained, the right one opens the counter', async ({ page }) => {
    const pki = await getTestPki();
    central = await startCentralProcess({ enroll: false });
    host = await startWebHostProcess({ centralUrl: central.url, signerP12Path: pki.counterSignerP12Path, trustDir: pki.dir, firstStartEnrollmentScreen: true });
    await page.goto(host.url);
    const screen = page.getByTestId('enrollment-screen');
    await expect(screen.getByRole('heading', { name: 'Đăng ký máy quầy với hệ thống trung tâm' })).toBeVisible();
    await expect(screen).toContainText(`${webHostUnit.name} (${webHostUnit.code})`);
    await expect(screen).toContainText(central.url);
    // The code field has the focus: the installer types and presses Enter.
    const codeField = screen.getByLabel('Mã đăng ký (dạng XXXX-XXXX-XXXX)');
    await expect(codeField).toBeFocused();
    await shot(page, '60-dang-ky-may-lan-dau');

    const otherUnitsCode = await issueCode(central, testUnit);
    await page.keyboard.type(otherUnitsCode.toLowerCase());
    await page.keyboard.press('Enter');
    const error = screen.getByTestId('enrollment-error');
    await expect(error).toContainText(`Mã đăng ký này được cấp cho ${testUnit.name} (${testUnit.code}), quầy 1, không phải ${webHostUnit.code}, quầy 1`);
    await expect(error).toContainText('Mã chưa bị dùng');
    await expect(codeField).toHaveAttribute('aria-invalid', 'true');
    await shot(page, '61-dang-ky-may-sai-don-vi');

    await codeField.fill('');
    await codeField.focus();
    await page.keyboard.type(await issueCode(central, webHostUnit));
    await page.keyboard.press('Tab');
    await page.keyboard.type('Máy quầy 1 tầng trệt');
    await page.keyboard.press('Enter');
    await expect(screen).toHaveCount(0);
    const indicator = page.getByTestId('sync-indicator');
    await expect(indicator).toHaveAttribute('data-central', 'accepting');
    await expect(indicator).toContainText('Đã kết nối trung tâm');
  });

  test('a silent install’s preset code enrolls on first start without a click; Ctrl+Alt+Shift+D shows the checks', async ({ page }) => {
    const pki = await getTestPki();
    central = await startCentralProcess({ enroll: false });
    host = await startWebHostProcess({ centralUrl: central.url, signerP12Path: pki.counterSignerP12Path, trustDir: pki.dir, firstStartEnrollmentScreen: true, presetEnrollmentCode: await issueCode(central, webHostUnit) });
    await page.goto(host.url);
    const indicator = page.getByTestId('sync-indicator');
    await expect(indicator).toHaveAttribute('data-central', 'accepting');
    await expect(page.getByTestId('enrollment-screen')).toHaveCount(0);

    await page.keyboard.press('Control+Alt+Shift+KeyD');
    const panel = page.getByTestId('doctor-panel');
    await expect(panel.getByRole('heading', { name: 'Kiểm tra máy quầy (dành cho bộ phận CNTT)' })).toBeFocused();
    await expect(panel.getByTestId('doctor-summary')).toContainText('Kết quả lúc', { timeout: 30_000 });
    const row = (id: string) => panel.locator(`[data-check="${id}"]`);
    await expect(row('central')).toHaveAttribute('data-verdict', 'pass');
    await expect(row('device')).toHaveAttribute('data-verdict', 'pass');
    await expect(row('device')).toContainText('Máy cài tự động');
    await expect(row('clock')).toHaveAttribute('data-verdict', 'pass');
    await expect(row('indexeddb-quota')).toHaveAttribute('data-verdict', 'pass');
    await expect(row('indexeddb-quota')).toContainText('Đã dùng');
    await expect(row('config')).toHaveAttribute('data-verdict', 'pass');
    await windowShot(page, '62-kiem-tra-may-ctrl-alt-shift-d');
    // Nothing fetched CRL/OCSP yet on this new counter: a warning with what to do, at the end of the list.
    await expect(row('revocation-cache')).toHaveAttribute('data-verdict', 'warn');
    await row('backlog').scrollIntoViewIfNeeded();
    await windowShot(page, '63-kiem-tra-may-cuoi-danh-sach');
    // Keyboard only: Tab stays inside the panel (heading → "Kiểm tra lại" → "Tạo gói hỗ trợ" → "Đóng" → heading).
    await page.keyboard.press('Tab');
    await expect(panel.getByRole('button', { name: 'Kiểm tra lại' })).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(panel.getByRole('button', { name: 'Tạo gói hỗ trợ cho CNTT' })).toBeFocused();
    // The support bundle for IT: written into the data folder, its path shown; a zip with the doctor's report.
    await page.keyboard.press('Enter');
    const written = panel.getByTestId('support-bundle-written');
    await expect(written).toContainText('Đã ghi gói hỗ trợ', { timeout: 30_000 });
    const file = /: (\/\S+\.zip)\./.exec((await written.textContent()) ?? '')?.[1] ?? '';
    expect(file.startsWith(path.join(host.dataDir, 'support'))).toBe(true);
    expect(Object.keys(unzipSync(new Uint8Array(await readFile(file))))).toEqual(expect.arrayContaining(['config.json', 'doctor.json']));
    await windowShot(page, '64-goi-ho-tro');
    await panel.getByRole('button', { name: 'Tạo gói hỗ trợ cho CNTT' }).focus();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await expect(panel.getByRole('heading', { name: 'Kiểm tra máy quầy (dành cho bộ phận CNTT)' })).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(panel).toHaveCount(0);
  });
});
