/// <reference lib="dom" />
/**
 * The header tells the truth about the central (issue 14, finding 6): reachable and accepting this counter;
 * reachable but refusing it (not enrolled, revoked, enrolled for another unit), with why and what IT must do;
 * answering with errors; or not reachable at all. Through the real web host and a real central process.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test, expect, type Page } from '@playwright/test';
import { adminCall, startCentralProcess, testUnit, type CentralProcess } from '../support/central-process';
import { shot } from '../support/e2e';
import { getTestPki } from '../support/pki';
import { enrollWebHost, startWebHostProcess, webHostUnit, type WebHostProcess } from '../support/web-host-process';
import { pathFor } from '../../shared/sync/api-contract';

/** The always-visible status in the header, and the explanation under it. */
function statusOf(page: Page) {
  const indicator = page.getByTestId('sync-indicator');
  return { indicator, refused: page.getByTestId('central-refused'), failing: page.getByTestId('central-failing'), syncNow: indicator.getByRole('button', { name: 'Đồng bộ ngay' }) };
}

test.describe('the header’s central status', () => {
  let central: CentralProcess | undefined;
  let host: WebHostProcess | undefined;
  let stub: http.Server | undefined;

  test.afterEach(async () => {
    await host?.stop();
    await central?.stop();
    if (stub?.listening) await new Promise((resolve) => stub?.close(resolve));
    host = undefined;
    central = undefined;
    stub = undefined;
  });

  test('an un-enrolled counter’s header says refused, says why and what IT runs; green once IT enrolls it', async ({ page }) => {
    const pki = await getTestPki();
    central = await startCentralProcess({ enroll: false });
    host = await startWebHostProcess({ centralUrl: central.url, signerP12Path: pki.counterSignerP12Path, trustDir: pki.dir });
    await page.goto(host.url);
    const { indicator, refused, syncNow } = statusOf(page);

    await expect(indicator).toHaveAttribute('data-central', 'refused');
    await expect(indicator).toContainText('Trung tâm từ chối máy này');
    await expect(indicator).not.toContainText('Đã kết nối');
    await expect(indicator).not.toContainText('Đã gửi hết');
    // Red, not the green of a working link.
    expect(await indicator.evaluate((pill) => getComputedStyle(pill).backgroundColor)).toBe('rgb(179, 38, 30)');

    // The reason and the remedy are on screen, in a live region a screen reader reads (not in a tooltip).
    await expect(refused).toHaveAttribute('role', 'status');
    await expect(refused).toContainText('Hệ thống trung tâm đang hoạt động nhưng từ chối máy quầy này');
    await expect(refused).toContainText('Máy này chưa được đăng ký với hệ thống trung tâm');
    await expect(refused).toContainText('hồ sơ được giữ an toàn trên máy');
    await expect(refused).toContainText(`motcua central enroll-code --unit ${webHostUnit.code} --unit-name "${webHostUnit.name}" --counter 1`);
    await expect(refused).toContainText(`motcua enroll --central ${central.url} --code <mã một lần> --name <tên máy>`);
    // The header's status points at that explanation, so it is read with it.
    await expect(indicator.getByRole('status')).toHaveAccessibleDescription(/chưa được đăng ký với hệ thống trung tâm/);
    await shot(page, '42-trung-tam-tu-choi-may-chua-dang-ky');

    // IT does what the screen says; the next pass finds the counter accepted.
    await enrollWebHost({ centralUrl: central.url, adminToken: central.adminToken, dataDir: host.dataDir });
    await syncNow.click();
    await expect(indicator).toHaveAttribute('data-central', 'accepting');
    await expect(indicator).toContainText('Đã kết nối trung tâm');
    await expect(indicator).toContainText('Đã gửi hết');
    await expect(refused).toHaveCount(0);
    expect(await indicator.locator('.dot').evaluate((dot) => getComputedStyle(dot).backgroundColor)).toBe('rgb(76, 217, 100)');
    await shot(page, '43-trung-tam-chap-nhan-may');
  });

  test('a revoked counter and a counter enrolled for another unit are refused, each with its reason', async ({ page }) => {
    const pki = await getTestPki();
    central = await startCentralProcess({ enroll: false });
    host = await startWebHostProcess({ centralUrl: central.url, enroll: { adminToken: central.adminToken }, signerP12Path: pki.counterSignerP12Path, trustDir: pki.dir });
    await page.goto(host.url);
    const { indicator, refused, syncNow } = statusOf(page);
    await expect(indicator).toHaveAttribute('data-central', 'accepting');

    const self = await fetch(new URL(pathFor('deviceSelf'), central.url), { headers: { authorization: `Bearer ${host.credential}` } });
    const { deviceId } = (await self.json()) as { deviceId: string };
    expect((await adminCall(central, 'POST', pathFor('adminRevokeDevice', { deviceId }))).status).toBe(200);
    await syncNow.click();
    await expect(indicator).toHaveAttribute('data-central', 'refused');
    await expect(refused).toContainText('Hệ thống trung tâm đã thu hồi quyền kết nối của máy này');
    await expect(refused).toContainText('motcua enroll --central');
    await shot(page, '44-trung-tam-thu-hoi-may');

    // Re-enrolled, but with a code for another unit: every dossier of this counter would be refused.
    await enrollWebHost({ centralUrl: central.url, adminToken: central.adminToken, dataDir: host.dataDir, unit: testUnit });
    await syncNow.click();
    await expect(indicator).toHaveAttribute('data-central', 'refused');
    await expect(refused).toContainText(`Máy được đăng ký với trung tâm cho ${testUnit.name} (${testUnit.code}), quầy 1`);
    await expect(refused).toContainText(`ứng dụng đang cấu hình cho ${webHostUnit.name} (${webHostUnit.code}), quầy 1`);
    await expect(refused).toContainText(`motcua central enroll-code --unit ${webHostUnit.code}`);
    await shot(page, '45-trung-tam-sai-don-vi');
  });

  test('a central answering errors is not "offline", and an unreachable one is', async ({ page }) => {
    const pki = await getTestPki();
    // Something at the central's address that answers every request with 503, as a central whose database is down.
    const failing = http.createServer((request, response) => {
      // Cross-origin like the real central (the page is served by the web host), or the browser hides the answer.
      const cors = { 'access-control-allow-origin': '*', 'access-control-allow-headers': '*', 'access-control-allow-methods': '*' };
      if (request.method === 'OPTIONS') response.writeHead(204, cors).end();
      else response.writeHead(503, { ...cors, 'content-type': 'application/json' }).end(JSON.stringify({ error: 'CENTRAL_SERVER_ERROR', details: {} }));
    });
    stub = failing;
    await new Promise<void>((resolve) => failing.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(failing.address() as AddressInfo).port}`;
    host = await startWebHostProcess({ centralUrl: url, signerP12Path: pki.counterSignerP12Path, trustDir: pki.dir });
    await page.goto(host.url);
    const { indicator, failing: failingBanner, refused, syncNow } = statusOf(page);

    await expect(indicator).toHaveAttribute('data-central', 'central-error');
    await expect(indicator).toContainText('Trung tâm đang gặp lỗi');
    await expect(indicator).not.toContainText('Mất kết nối');
    // Amber: the counter can do nothing about it, but it is not a network fault either.
    expect(await indicator.evaluate((pill) => getComputedStyle(pill).backgroundColor)).toBe('rgb(154, 103, 0)');
    await expect(failingBanner).toHaveAttribute('role', 'status');
    await expect(failingBanner).toContainText('Hệ thống trung tâm trả lời nhưng đang gặp lỗi');
    await expect(failingBanner).toContainText('HTTP 503');
    await expect(refused).toHaveCount(0);
    await shot(page, '46-trung-tam-dang-loi');

    failing.closeAllConnections();
    await new Promise((resolve) => failing.close(resolve));
    await syncNow.click();
    await expect(indicator).toHaveAttribute('data-central', 'offline');
    await expect(indicator).toContainText('Mất kết nối trung tâm');
    await expect(failingBanner).toHaveCount(0);
  });
});
