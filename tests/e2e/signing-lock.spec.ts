/// <reference lib="dom" />
/**
 * Issue 17, finding 3 in Chromium on the web host: the clerk locks the opened key with the keyboard (the lock
 * button of the sign step), unlocks it again and accepts; main signed exactly the dossier's components inside
 * one signing session, and its log on disk says so (dossier, component, digest, role), then the session closed.
 */
import { copyFile, mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import type { SigningLogLine } from '../../electron/services/signing/signing-guard';
import { createTestCa } from '../support/test-ca';
import { onePagePdf, shot } from '../support/e2e';
import { fillApplicant } from '../support/e2e-intake';
import { startWebHostProcess, type WebHostProcess } from '../support/web-host-process';

test.describe('the signing key locks, and signs only inside the acceptance', () => {
  let host: WebHostProcess | undefined;

  test.afterEach(async () => {
    await host?.stop();
  });

  test('lock button by keyboard, unlock, accept: one session, one logged signature per component', async ({ page }) => {
    const ca = await createTestCa();
    const organisation = await ca.issue({ commonName: 'UBND xã Demo - Bộ phận Một cửa', organisation: 'UBND xã Demo' });
    const clerk = await ca.issue({ commonName: 'Phạm Thu Hà', organisation: 'UBND xã Demo' });
    const trustDir = await mkdtemp(path.join(os.tmpdir(), 'motcua-trust-'));
    await copyFile(ca.rootCertPath, path.join(trustDir, 'root.pem'));
    // No central: signing and saving are local; the dossier waits in the queue.
    host = await startWebHostProcess({ centralUrl: 'http://127.0.0.1:9', signerP12Path: await organisation.p12('org-secret'), personalP12Path: await clerk.p12('ha-secret'), trustDir, imaging: { ocr: false } });
    await page.goto(host.url);

    await page.getByRole('searchbox').fill('dang ky khai sinh');
    await page.keyboard.press('Enter');
    await fillApplicant(page, 'Nguyễn Văn An', '001090012345');
    await page.getByTestId('files-KS-01').setInputFiles([{ name: 'to-khai.pdf', mimeType: 'application/pdf', buffer: await onePagePdf('To khai') }]);
    await page.getByTestId('files-KS-02').setInputFiles([{ name: 'giay-chung-sinh.pdf', mimeType: 'application/pdf', buffer: await onePagePdf('Giay chung sinh') }]);
    await expect(page.locator('[data-component="KS-02"] figure')).toHaveCount(1);
    await page.getByRole('button', { name: 'Tiếp tục', exact: true }).click();

    const password = page.getByLabel('Mật khẩu tệp chữ ký số');
    await password.fill('ha-secret');
    await password.press('Enter');
    await expect(page.getByText(/Chứng thư ký: Phạm Thu Hà/)).toBeVisible();
    const accept = page.getByRole('button', { name: 'Ký số và tiếp nhận' });
    await expect(accept).toBeFocused();
    const lock = page.getByRole('button', { name: 'Khóa chữ ký số' });
    await expect(lock).toBeVisible();
    await shot(page, 'issue17-01-nut-khoa-chu-ky');

    // From "Ký số và tiếp nhận": back over "Quay lại" to the lock button, and Enter.
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    await expect(lock).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.getByText('Đã khóa chữ ký số. Nhập lại mật khẩu hoặc mã PIN khi cần ký.')).toBeVisible();
    await expect(accept).toBeDisabled();
    await shot(page, 'issue17-02-da-khoa');

    await password.fill('ha-secret');
    await password.press('Enter');
    await expect(accept).toBeEnabled();
    await accept.click();
    await expect(page.getByRole('heading', { name: 'Đã tiếp nhận hồ sơ' })).toBeVisible();

    const lines = (await readFile(path.join(host.dataDir, 'signing-log.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as SigningLogLine);
    expect(lines.map((l) => l.event)).toEqual(['lock', 'session-open', 'sign', 'sign', 'session-close']);
    expect(lines[0]).toMatchObject({ event: 'lock', reason: 'clerk', role: 'personal' });
    const open = lines[1];
    if (open?.event !== 'session-open') throw new Error('no session opened');
    expect(open.expected).toBe(2);
    const signs = lines.filter((l) => l.event === 'sign');
    expect(signs.map((l) => l.component).sort()).toEqual(['KS-01', 'KS-02']);
    for (const sign of signs) {
      expect(sign).toMatchObject({ sessionId: open.sessionId, dossierId: open.dossierId, role: 'personal' });
      expect(sign.digest).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(lines[4]).toMatchObject({ event: 'session-close', sessionId: open.sessionId, outcome: 'done', signed: 2 });
  });
});
