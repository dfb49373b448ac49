/// <reference lib="dom" />
/**
 * Issue 18: the verify screen shows what is wrong with a signature in Vietnamese — the verifier reports
 * codes (shared/pdf/verify-problems.ts) and the screen translates them, where English sentences used to
 * reach the clerk. A citizen's PDF signed under a root the counter does not trust: the chain line and the
 * list of findings say so in Vietnamese, each finding marked with its code.
 */
import { PDFDocument } from 'pdf-lib';
import { test, expect } from '@playwright/test';
import { Pkcs12KeyStore } from '../../electron/services/signing/pkcs12-keystore';
import { signPdf } from '../../shared/pdf/sign-pdf';
import { startCentralProcess, type CentralProcess } from '../support/central-process';
import { shot } from '../support/e2e';
import { getTestPki } from '../support/pki';
import { createTestCa } from '../support/test-ca';
import { startWebHostProcess, type WebHostProcess } from '../support/web-host-process';

test.describe('the verify screen in Vietnamese', () => {
  let central: CentralProcess | undefined;
  let host: WebHostProcess | undefined;

  test.afterEach(async () => {
    await host?.stop();
    await central?.stop();
  });

  test('an untrusted chain is explained in Vietnamese, finding by finding', async ({ page }) => {
    const pki = await getTestPki();
    central = await startCentralProcess();
    host = await startWebHostProcess({ centralUrl: central.url, enroll: { adminToken: central.adminToken }, signerP12Path: pki.counterSignerP12Path, trustDir: pki.dir });

    const rogue = await createTestCa();
    const stranger = await rogue.issue({ commonName: 'Chứng thư không rõ nguồn' });
    const key = new Pkcs12KeyStore({ path: await stranger.p12('pw'), label: 'lạ' });
    await key.unlock('pw');
    const doc = await PDFDocument.create();
    doc.addPage([595, 842]);
    const pdf = await signPdf(doc, key, { reason: 'Đơn', location: 'Nhà', signerName: 'X', signingTime: new Date(Date.now() + 2000) });

    await page.goto(host.url);
    // The shortcut works once the app has painted its first screen.
    await expect(page.getByRole('heading', { name: 'Chọn thủ tục hành chính' })).toBeVisible();
    await page.keyboard.press('Alt+3');
    await page.getByTestId('verify-file').setInputFiles({ name: 'giay-to-la.pdf', mimeType: 'application/pdf', buffer: Buffer.from(pdf) });
    await expect(page.getByRole('status').filter({ hasText: 'KHÔNG hợp lệ' })).toBeVisible();
    const signature = page.locator('article.signature[data-index="0"]');
    await expect(signature).toContainText('Không tin cậy: Không tìm được tổ chức cấp tin cậy cho “CN=Chứng thư không rõ nguồn');
    const finding = signature.locator('li[data-code="PATH_NO_ISSUER"]');
    await expect(finding).toContainText('Không tìm được tổ chức cấp tin cậy');
    await expect(signature.locator('details.problems')).not.toContainText('Certificate chain not trusted');
    await shot(page, '18-kiem-tra-chu-ky-loi-tieng-viet');
  });
});
