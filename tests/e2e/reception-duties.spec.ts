/// <reference lib="dom" />
/**
 * The clerk's reception duties (Decree 118 Art. 17.1.a–b) at a real counter page in Debian's Chromium, synced
 * to a real central process: VNeID level 2 chosen with one key in the applicant step, one component marked as
 * a reused digitized copy with one letter, and both found in the national export the central produces.
 */
import { test, expect } from '@playwright/test';
import { dongBoHoSoMCSchema } from '../../shared/sync/portal-export';
import { adminCall, startCentralProcess, type CentralProcess } from '../support/central-process';
import { shot } from '../support/e2e';
import { attach, signAndAccept } from '../support/e2e-intake';
import { getTestPki } from '../support/pki';
import { startWebHostProcess, type WebHostProcess } from '../support/web-host-process';
import { pathFor } from '../../shared/sync/api-contract';

test.describe('reception duties at intake', () => {
  let central: CentralProcess | undefined;
  let host: WebHostProcess | undefined;

  test.afterEach(async () => {
    await host?.stop();
    await central?.stop();
  });

  test('VNeID level 2 and a reused component, recorded by keyboard, reach the national export', async ({ page }) => {
    const pki = await getTestPki();
    central = await startCentralProcess();
    host = await startWebHostProcess({ centralUrl: central.url, enroll: { adminToken: central.adminToken }, signerP12Path: pki.counterSignerP12Path, trustDir: pki.dir });
    await page.goto(host.url);

    await expect(page.getByRole('heading', { name: 'Chọn thủ tục hành chính' })).toBeVisible();
    await page.getByRole('searchbox').fill('dang ky khai sinh');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { name: 'Thông tin người nộp hồ sơ' })).toBeVisible();
    await page.getByLabel('Họ và tên', { exact: true }).fill('Nguyễn Thị Ánh Tuyết');
    await page.getByLabel('Số CCCD / Căn cước').fill('001190012345');
    await page.getByLabel('Số điện thoại').fill('0912345678');
    await page.getByLabel('Địa chỉ').fill('Thôn Đông, xã Demo, tỉnh Hưng Yên');

    // Nothing is claimed by default; the key "1" in the group records level 2.
    const group = page.getByRole('group', { name: 'Tài khoản định danh điện tử (VNeID) của người nộp' });
    await expect(group.getByRole('radio', { name: /Chưa kiểm tra/ })).toBeChecked();
    await group.getByRole('radio', { name: /Chưa kiểm tra/ }).focus();
    await page.keyboard.press('1');
    await expect(group.getByRole('radio', { name: /Đã xác thực mức độ 2/ })).toBeChecked();
    await expect(group.getByRole('radio', { name: /Đã xác thực mức độ 2/ })).toBeFocused();
    await group.scrollIntoViewIfNeeded();
    await shot(page, 'reception-01-vneid');
    // Enter in the group goes on, as it does from a text field.
    await page.keyboard.press('Enter');

    await expect(page.getByRole('heading', { name: 'Đính kèm thành phần hồ sơ' })).toBeVisible();
    await attach(page, 'KS-01', 'To khai dang ky khai sinh');
    await attach(page, 'KS-02', 'Giay chung sinh (ban so hoa da co)');
    const source = page.locator('select[name="source-KS-02"]');
    await expect(source).toHaveValue('paper');
    await source.focus();
    await page.keyboard.press('t');
    await expect(source).toHaveValue('reused-digitized');
    await expect(page.locator('select[name="source-KS-01"]')).toHaveValue('paper');
    await page.locator('[data-component="KS-02"]').scrollIntoViewIfNeeded();
    await shot(page, 'reception-02-nguon-giay-to');

    const code = await signAndAccept(page);
    expect(code).not.toBe('');

    // The counter syncs after acceptance; the export exists once the central holds the dossier.
    let exported: { status: number; body: unknown } = { status: 0, body: undefined };
    await expect
      .poll(
        async () => {
          exported = await adminCall(central!, 'GET', pathFor('adminDossierExport', { id: code }));
          return exported.status;
        },
        { timeout: 60_000 },
      )
      .toBe(200);
    const hoSo = dongBoHoSoMCSchema.parse(exported.body);
    expect(hoSo.TaiKhoanDuocXacThucVoiVNeID).toBe('1');
    expect(hoSo.ChuHoSo).toBe('Nguyễn Thị Ánh Tuyết');
    const flags = Object.fromEntries(hoSo.TaiLieuNop.map((t) => [t.MaThanhPhanHoSo, [t.DuocTaiSuDung, t.DuocLayTuKhoDMQG]]));
    expect(flags).toEqual({ 'KS-01': ['0', '0'], 'KS-02': ['1', '0'] });

    // The board's form 07a for this month counts the dossier received in person.
    await page.keyboard.press('Alt+5');
    const form07a = page.getByRole('region', { name: /Mẫu 07a/ });
    await expect(form07a).toContainText('1 hồ sơ được tính');
    await form07a.getByRole('button', { name: 'Mẫu 07a — PDF' }).click();
    await expect(page.getByRole('img', { name: /Mẫu 07a — từ 01\// }).locator('canvas').first()).toBeVisible();
    await form07a.scrollIntoViewIfNeeded();
    await shot(page, 'reception-03-mau07a');
  });
});
