/// <reference lib="dom" />
/** The intake flow's steps as end-to-end specs drive them (procedure, applicant, files, signing). */
import { expect, type Page } from '@playwright/test';
import { DEMO_P12_PASSWORD } from './pki';
import { shot } from './e2e';

/** Procedure → applicant → components, with the given files per component code. */
export async function fillDossier(page: Page, files: Record<string, { name: string; mimeType: string; buffer: Buffer }[]>, screens = false) {
  await expect(page.getByRole('heading', { name: 'Chọn thủ tục hành chính' })).toBeVisible();
  await page.getByRole('searchbox').fill('dang ky khai sinh');
  if (screens) await shot(page, '01-chon-thu-tuc');
  await page.keyboard.press('Enter');

  await expect(page.getByRole('heading', { name: 'Thông tin người nộp hồ sơ' })).toBeVisible();
  await page.getByLabel('Họ và tên').fill('Nguyễn Thị Ánh Tuyết');
  await page.getByLabel('Số CCCD / Căn cước').fill('001190012345');
  await page.getByLabel('Số điện thoại').fill('0912345678');
  await page.getByLabel('Địa chỉ').fill('Thôn Đông, xã Demo, tỉnh Hưng Yên');
  if (screens) await shot(page, '02-nguoi-nop');
  await page.getByLabel('Địa chỉ').press('Enter');

  await expect(page.getByRole('heading', { name: 'Đính kèm thành phần hồ sơ' })).toBeVisible();
  for (const [component, list] of Object.entries(files)) await page.getByTestId(`files-${component}`).setInputFiles(list);
}

export async function unlockAndAccept(page: Page) {
  await page.getByRole('button', { name: 'Tiếp tục' }).click();
  await page.getByLabel('Mật khẩu tệp chữ ký số').fill(DEMO_P12_PASSWORD);
  await page.getByRole('button', { name: 'Mở khóa' }).click();
  await page.getByRole('button', { name: 'Ký số và tiếp nhận' }).click();
  await expect(page.getByRole('heading', { name: 'Đã tiếp nhận hồ sơ' })).toBeVisible();
  return (await page.getByTestId('dossier-code').textContent()) ?? '';
}

