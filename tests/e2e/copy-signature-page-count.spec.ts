/// <reference lib="dom" />
/**
 * Issue 15, items 6 and 10 in Chromium on the web host: a dossier whose first component has a page with a
 * sticky note captured twice (paired with the P key: 3 images = 2 paper pages). The clerk says the paper
 * has 3 pages: the mismatch is flagged and "Tiếp tục" waits until it is acknowledged (keyboard only). The
 * sign step then asks for the clerk's personal key only — not the organisation's — and the signed copies
 * carry the clerk's certificate (pdfsig) and no "SAO Y" (pdftotext). The dossier in IndexedDB records the
 * counts and the certificate.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { test, expect } from '@playwright/test';
import { createTestCa } from '../support/test-ca';
import { makeNssDb } from '../support/nss';
import { onePagePdf, shot } from '../support/e2e';
import { fillApplicant, readCounterFiles } from '../support/e2e-intake';
import { startWebHostProcess, type WebHostProcess } from '../support/web-host-process';

const run = promisify(execFile);

test.describe('who signs the copy, and the paper page count', () => {
  let host: WebHostProcess | undefined;

  test.afterEach(async () => {
    await host?.stop();
  });

  test('a sticky-note pair, a page-count mismatch flagged and acknowledged, then the clerk alone signs', async ({ page }) => {
    const ca = await createTestCa();
    const organisation = await ca.issue({ commonName: 'UBND xã Demo - Bộ phận Một cửa', organisation: 'UBND xã Demo' });
    const clerk = await ca.issue({ commonName: 'Phạm Thu Hà', organisation: 'UBND xã Demo' });
    const trustDir = await mkdtemp(path.join(os.tmpdir(), 'motcua-trust-'));
    await copyFile(ca.rootCertPath, path.join(trustDir, 'root.pem'));
    // No central: signing and saving are local; the dossier waits in the queue.
    host = await startWebHostProcess({
      centralUrl: 'http://127.0.0.1:9',
      signerP12Path: await organisation.p12('org-secret'),
      personalP12Path: await clerk.p12('ha-secret'),
      trustDir,
      imaging: { ocr: false },
    });
    await page.goto(host.url);

    await page.getByRole('searchbox').fill('dang ky khai sinh');
    await page.keyboard.press('Enter');
    await fillApplicant(page, 'Nguyễn Văn An', '001090012345');
    const ks01 = page.locator('[data-component="KS-01"]');
    await page.getByTestId('files-KS-01').setInputFiles([
      { name: 'to-khai-trang-1.pdf', mimeType: 'application/pdf', buffer: await onePagePdf('To khai trang 1') },
      { name: 'to-khai-trang-2-co-ghi-chu.pdf', mimeType: 'application/pdf', buffer: await onePagePdf('To khai trang 2 (co giay ghi chu)') },
      { name: 'to-khai-trang-2-da-boc.pdf', mimeType: 'application/pdf', buffer: await onePagePdf('To khai trang 2') },
    ]);
    await expect(ks01.locator('figure')).toHaveCount(3);
    await page.getByTestId('files-KS-02').setInputFiles([{ name: 'giay-chung-sinh.pdf', mimeType: 'application/pdf', buffer: await onePagePdf('Giay chung sinh') }]);
    await expect(page.locator('[data-component="KS-02"] figure')).toHaveCount(1);

    // Before pairing: 3 images, 3 pages, the field follows the count.
    const paperPages = page.getByLabel('Số trang giấy của Tờ khai đăng ký khai sinh (theo mẫu)');
    await expect(paperPages).toHaveValue('3');
    // The page with the note and its shot without: P on the first of the two (keyboard on the thumbnail).
    await ks01.getByRole('option', { name: /^Trang 2 / }).focus();
    await page.keyboard.press('p');
    await expect(ks01.locator('figure[data-note-shot="with-note"]')).toHaveCount(1);
    await expect(ks01.locator('figure[data-note-shot="without-note"]')).toHaveCount(1);
    await expect(ks01.getByText('3 ảnh = 2 trang số hóa')).toBeVisible();
    await expect(ks01.getByText('trong đó 1 trang có giấy ghi chú (chụp 2 lần)')).toBeVisible();
    await expect(paperPages).toHaveValue('2');

    // The clerk counted 3 sheets of paper: flagged, and the dossier cannot go on until acknowledged.
    await paperPages.fill('3');
    const warning = ks01.getByRole('alert');
    await expect(warning).toContainText('Số trang số hóa (2) khác số trang giấy (3)');
    const next = page.getByRole('button', { name: 'Tiếp tục', exact: true });
    await expect(next).toBeDisabled();
    await expect(page.getByText('Chưa khớp số trang: Tờ khai đăng ký khai sinh (theo mẫu).')).toBeVisible();
    await shot(page, 'issue15-01-so-trang-khong-khop');
    await paperPages.press('Tab');
    const acknowledge = page.getByRole('checkbox', { name: /Đã kiểm tra: tiếp nhận với 2 trang số hóa \/ 3 trang giấy/ });
    await expect(acknowledge).toBeFocused();
    await page.keyboard.press('Space');
    await expect(acknowledge).toBeChecked();
    await expect(next).toBeEnabled();
    await shot(page, 'issue15-02-da-xac-nhan');
    await next.click();

    // Only the clerk's key is asked for: every component here is the clerk's to sign.
    await expect(page.getByRole('heading', { name: 'Ký số và tiếp nhận hồ sơ' })).toBeVisible();
    await expect(page.locator('[data-role="personal"]')).toBeVisible();
    await expect(page.locator('[data-role="organisation"]')).toHaveCount(0);
    await expect(page.getByRole('list', { name: 'Người ký từng thành phần' }).getByRole('listitem')).toHaveText([
      'Tờ khai đăng ký khai sinh (theo mẫu): chữ ký số cá nhân của công chức tiếp nhận',
      /^Giấy chứng sinh.*: chữ ký số cá nhân của công chức tiếp nhận$/,
    ]);
    await page.getByLabel('Mật khẩu tệp chữ ký số').fill('ha-secret');
    await page.getByLabel('Mật khẩu tệp chữ ký số').press('Enter');
    await expect(page.getByText(/Chứng thư ký: Phạm Thu Hà/)).toBeVisible();
    await shot(page, 'issue15-03-chi-ky-ca-nhan');
    await page.getByRole('button', { name: 'Ký số và tiếp nhận' }).click();
    await expect(page.getByRole('heading', { name: 'Đã tiếp nhận hồ sơ' })).toBeVisible();
    const code = (await page.getByTestId('dossier-code').textContent()) ?? '';

    // The signed copies: the clerk's certificate, no "SAO Y"; 3 images in the first component's PDF.
    const counter = await readCounterFiles(page, code);
    expect(counter.files).toHaveLength(2);
    const nssDir = await makeNssDb(ca.rootDer);
    const work = await mkdtemp(path.join(os.tmpdir(), 'motcua-copies-'));
    await mkdir(work, { recursive: true });
    for (const file of counter.files) {
      const pdf = path.join(work, `${file.componentCode}.pdf`);
      await writeFile(pdf, Buffer.from(file.base64, 'base64'));
      const { stdout: sig } = await run('pdfsig', ['-nssdir', nssDir, pdf]);
      expect(sig.match(/^Signature #\d+:$/gm)).toHaveLength(1);
      expect(sig).toContain('Signer Certificate Common Name: Phạm Thu Hà');
      expect(sig).toContain('Signature is Valid');
      const { stdout: text } = await run('pdftotext', ['-layout', pdf, '-']);
      expect(text).not.toMatch(/SAO\s*Y/);
      expect(text).toContain('Người ký: Phạm Thu Hà');
      if (file.componentCode === 'KS-01') {
        const { stdout: info } = await run('pdfinfo', [pdf]);
        expect(info).toMatch(/^Pages:\s+3$/m);
        // Page 1 as printed, to look at the clerk's signature box.
        await run('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '1', '-singlefile', pdf, path.resolve('test-results/screens/issue15-04-ban-sao-ky-ca-nhan')]);
      }
    }

    // The dossier remembers the counts the clerk confirmed and the certificate that signed.
    const stored = await page.evaluate(async (dossierCode) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open('motcua-counter');
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(new Error(request.error?.message ?? 'IndexedDB error'));
      });
      const all = await new Promise<unknown[]>((resolve, reject) => {
        const request = db.transaction('dossiers').objectStore('dossiers').getAll();
        request.onsuccess = () => resolve(request.result as unknown[]);
        request.onerror = () => reject(new Error(request.error?.message ?? 'IndexedDB error'));
      });
      return (all as { code: string; digitization?: unknown; copySignatures?: unknown }[]).find((d) => d.code === dossierCode);
    }, code);
    expect(stored?.digitization).toMatchObject({
      components: [
        { code: 'KS-01', images: 3, notePairs: 1, inputPages: 2, paperPages: 3, mismatchAcknowledged: true },
        { code: 'KS-02', images: 1, notePairs: 0, inputPages: 1, paperPages: 1, mismatchAcknowledged: false },
      ],
    });
    expect(stored?.copySignatures).toEqual([expect.objectContaining({ role: 'personal', subjectCommonName: 'Phạm Thu Hà', components: ['KS-01', 'KS-02'] })]);
  });
});
