/// <reference lib="dom" />
/**
 * The whole flow in Debian's Chromium: the clerk receives a dossier on the web host (the same renderer
 * and main-side services as the Electron app), it is signed, queued in IndexedDB, synced to a central
 * running as a separate process, and the central's copy is checked byte for byte.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { test, expect } from '@playwright/test';
import { getTestPki, DEMO_P12_PASSWORD } from '../support/pki';
import { centralFetch, startCentralProcess, type CentralProcess } from '../support/central-process';
import { onePagePdf, shot } from '../support/e2e';
import { fillDossier, readCounterFiles, unlockAndAccept } from '../support/e2e-intake';
import { startWebHostProcess, type WebHostProcess } from '../support/web-host-process';
import { makeJpeg, makePng, a4Pixels } from '../support/images';
import { sha256Hex } from '../../shared/util/bytes';
import { pathFor } from '../../shared/sync/api-contract';

const run = promisify(execFile);

test.describe('counter to central', () => {
  let central: CentralProcess;
  let host: WebHostProcess;

  test.afterEach(async () => {
    await host?.stop();
    await central?.stop();
  });

  test('a dossier is signed, queued, synced and stored byte for byte at the central', async ({ page }) => {
    const pki = await getTestPki();
    central = await startCentralProcess();
    // A week's grace before the counter purges the sent files: this test compares them with the central's
    // after the acknowledgement (the purge itself: results-and-supplements.spec.ts, retention-db.test.ts).
    host = await startWebHostProcess({ centralUrl: central.url, enroll: { adminToken: central.adminToken }, signerP12Path: pki.counterSignerP12Path, trustDir: pki.dir, retention: { filesDaysAfterAck: 7 } });
    await page.goto(host.url);

    const a4 = a4Pixels(200);
    const scan = Buffer.from(await makeJpeg({ ...a4, dpi: 200, seed: 1 }));
    const png = Buffer.from(await makePng({ ...a4, dpi: 200, seed: 2 }));
    const validJpeg = scan.subarray(0, 4);
    await fillDossier(
      page,
      {
        'KS-01': [
          { name: 'to-khai.jpg', mimeType: 'image/jpeg', buffer: scan },
          // Bad input, each refused with its own message while the good file stays.
          { name: 'rong.jpg', mimeType: 'image/jpeg', buffer: Buffer.alloc(0) },
          { name: 'hong.jpg', mimeType: 'image/jpeg', buffer: Buffer.concat([validJpeg, Buffer.from('not really a jpeg segment at all')]) },
          { name: 'van-ban.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('Đây là một tệp văn bản, không phải ảnh.') },
        ],
        'KS-02': [
          { name: 'giay-chung-sinh.png', mimeType: 'image/png', buffer: png },
          { name: 'giay-chung-sinh-trang-2.pdf', mimeType: 'application/pdf', buffer: await onePagePdf('Trang 2') },
        ],
      },
      true,
    );
    const ks01 = page.locator('[data-component="KS-01"]');
    await expect(ks01.getByText('Tệp "rong.jpg" rỗng (0 byte)')).toBeVisible();
    await expect(ks01.getByText('Ảnh "hong.jpg" bị hỏng')).toBeVisible();
    await expect(ks01.getByText('Tệp "van-ban.jpg" không phải ảnh JPEG, PNG, TIFF hay tệp PDF')).toBeVisible();
    await expect(ks01.getByRole('img', { name: 'to-khai.jpg' })).toBeVisible();
    await expect(page.locator('[data-component="KS-02"] figure')).toHaveCount(2);
    await shot(page, '03-thanh-phan');

    await page.getByRole('button', { name: 'Tiếp tục' }).click();
    await expect(page.getByRole('heading', { name: 'Ký số và tiếp nhận hồ sơ' })).toBeVisible();
    await page.getByLabel('Mật khẩu tệp chữ ký số').fill('sai-mat-khau');
    await page.getByRole('button', { name: 'Mở khóa' }).click();
    await expect(page.getByRole('alert')).toHaveText('Mật khẩu tệp chữ ký số không đúng. Hãy nhập lại.');
    await expect(page.getByRole('button', { name: 'Ký số và tiếp nhận' })).toBeDisabled();
    await shot(page, '04-sai-mat-khau');
    await page.getByLabel('Mật khẩu tệp chữ ký số').fill(DEMO_P12_PASSWORD);
    await page.getByRole('button', { name: 'Mở khóa' }).click();
    await expect(page.getByText(/Chứng thư ký: .*Bộ phận Một cửa - Demo/)).toBeVisible();
    await shot(page, '05-ky-so');
    await page.getByRole('button', { name: 'Ký số và tiếp nhận' }).click();

    await expect(page.getByRole('heading', { name: 'Đã tiếp nhận hồ sơ' })).toBeVisible();
    const code = (await page.getByTestId('dossier-code').textContent()) ?? '';
    expect(code).toMatch(/^(?:000\.00\.01\.H99-\d{6}-9001|TAM-000\.00\.01\.H99-Q\d-\d{6}-0001)$/);
    await expect(page.locator('.pdf-preview canvas')).toBeVisible();
    await shot(page, '06-giay-tiep-nhan');

    // The receipt the clerk prints: its Vietnamese title and the code extract exactly.
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Tải giấy tiếp nhận (PDF)' }).click();
    const receiptPath = path.join(await mkdtemp(path.join(os.tmpdir(), 'receipt-')), 'receipt.pdf');
    await (await download).saveAs(receiptPath);
    const { stdout: receiptText } = await run('pdftotext', ['-layout', receiptPath, '-']);
    expect(receiptText).toContain('GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ');
    expect(receiptText).toContain(code);
    expect(receiptText).toContain('Nguyễn Thị Ánh Tuyết');

    await page.keyboard.press('Alt+2');
    const row = page.locator(`tr[data-code="${code}"]`);
    await expect(row).toHaveAttribute('data-state', 'acknowledged', { timeout: 60_000 });
    await expect(row.getByText('Trung tâm đã nhận')).toBeVisible();
    // Just received and due at 17:00 at the earliest (same-day procedure): green, with the legend on screen.
    await expect(row.locator('[data-deadline]')).toHaveAttribute('data-deadline', 'green');
    await expect(page.getByRole('list', { name: 'Chú giải màu thời hạn' })).toContainText('Quá hạn');
    await expect(page.getByTestId('sync-indicator')).toContainText('Đã kết nối trung tâm');
    await shot(page, '07-hang-doi');

    // Byte for byte: every file the counter stored is what the central stored, and it verifies there.
    const counter = await readCounterFiles(page, code);
    expect(counter.files).toHaveLength(2);
    const record = (await (await centralFetch({ url: central.url, credential: host.credential }, pathFor('dossier', { id: counter.dossierId }))).json()) as { files: { sha256: string }[] };
    expect(record.files.map((f) => f.sha256).sort()).toEqual(counter.files.map((f) => f.sha256).sort());
    for (const file of counter.files) {
      const local = Buffer.from(file.base64, 'base64');
      expect(sha256Hex(local)).toBe(file.sha256);
      const response = await centralFetch({ url: central.url, credential: host.credential }, pathFor('dossierFile', { id: counter.dossierId, sha256: file.sha256 }));
      expect(response.status).toBe(200);
      const stored = Buffer.from(await response.arrayBuffer());
      expect(stored.equals(local)).toBe(true);
      const copy = path.join(path.dirname(receiptPath), `${file.sha256}.pdf`);
      await writeFile(copy, stored);
      const verified = await run(process.execPath, ['electron/cli/bin.mjs', 'verify', copy, '--trust', pki.rootCaPemPath]);
      expect((JSON.parse(verified.stdout) as { valid: boolean }).valid).toBe(true);
    }
    expect((await readFile(receiptPath)).subarray(0, 5).toString()).toBe('%PDF-');

    // The clerk checks a signed file in the app: valid; the same file with one signed byte changed: not valid.
    const firstCopy = path.join(path.dirname(receiptPath), `${counter.files[0]?.sha256 ?? ''}.pdf`);
    await page.keyboard.press('Alt+3');
    await page.getByTestId('verify-file').setInputFiles(firstCopy);
    await expect(page.getByRole('status').filter({ hasText: 'Hợp lệ — 1 chữ ký' })).toBeVisible();
    await expect(page.getByText('Nội dung được ký không bị thay đổi')).toBeVisible();
    await expect(page.getByText('Tin cậy (đến chứng thư gốc được cấu hình)')).toBeVisible();
    await shot(page, '11-kiem-tra-chu-ky');
    const tampered = Buffer.from(await readFile(firstCopy));
    const signedByte = tampered.indexOf('/Producer');
    tampered[signedByte + 1] = tampered[signedByte + 1] === 0x50 ? 0x51 : 0x50;
    await page.getByTestId('verify-file').setInputFiles({ name: 'da-sua.pdf', mimeType: 'application/pdf', buffer: tampered });
    await expect(page.getByRole('status').filter({ hasText: 'KHÔNG hợp lệ' })).toBeVisible();
    await expect(page.getByText('Nội dung đã bị thay đổi sau khi ký')).toBeVisible();
    await shot(page, '12-tep-bi-sua');
  });

  test('with the central down, then failing, the dossier stays queued and is sent later', async ({ page }) => {
    const pki = await getTestPki();
    central = await startCentralProcess();
    // Enrolled while the central was up (as installed); the central is down before the counter starts.
    host = await startWebHostProcess({
      centralUrl: central.url,
      enroll: { adminToken: central.adminToken },
      beforeStart: () => central.kill(),
      signerP12Path: pki.counterSignerP12Path,
      trustDir: pki.dir,
    });
    await page.goto(host.url);
    const a4 = a4Pixels(200);
    await fillDossier(page, {
      'KS-01': [{ name: 'to-khai.jpg', mimeType: 'image/jpeg', buffer: Buffer.from(await makeJpeg({ ...a4, dpi: 200, seed: 3 })) }],
      'KS-02': [{ name: 'giay-chung-sinh.pdf', mimeType: 'application/pdf', buffer: await onePagePdf('Giay chung sinh') }],
    });
    const code = await unlockAndAccept(page);

    await page.keyboard.press('Alt+2');
    // The only dossier. Its code may change: a counter that never reached the central holds no leased number
    // and gives a provisional TAM-… one, which the central replaces when it commits (issue 15).
    const row = page.locator('table.queue tbody tr');
    await expect(row).toHaveAttribute('data-code', code);
    await expect(row).toHaveAttribute('data-state', 'waiting');
    await expect(row.getByText('Chưa kết nối được hệ thống trung tâm')).toBeVisible();
    await expect(page.getByTestId('sync-indicator')).toContainText('Mất kết nối trung tâm');
    await expect(page.getByTestId('sync-indicator')).toContainText('1 hồ sơ chờ gửi');
    await shot(page, '08-mat-ket-noi');

    // The central comes back but fails the first commit with a 500: still queued, with that reason.
    central = await central.restart({ env: { MOTCUA_CENTRAL_FAULTS: 'commit-500=1' } });
    await page.getByRole('button', { name: 'Đồng bộ ngay' }).click();
    await expect(row.getByText('Hệ thống trung tâm đang gặp lỗi')).toBeVisible({ timeout: 30_000 });
    await expect(row).toHaveAttribute('data-state', 'waiting');
    await shot(page, '09-trung-tam-loi');

    await page.getByRole('button', { name: 'Đồng bộ ngay' }).click();
    await expect(row).toHaveAttribute('data-state', 'acknowledged', { timeout: 30_000 });
    const { dossierId } = await readCounterFiles(page, (await row.getAttribute('data-code')) ?? code);
    const response = await centralFetch({ url: central.url, credential: host.credential }, pathFor('dossier', { id: dossierId }));
    expect(response.status).toBe(200);
  });

  test('a CCCD QR typed by a barcode reader fills the applicant; a contradictory one is refused', async ({ page }) => {
    const pki = await getTestPki();
    central = await startCentralProcess();
    host = await startWebHostProcess({ centralUrl: central.url, enroll: { adminToken: central.adminToken }, signerP12Path: pki.counterSignerP12Path, trustDir: pki.dir });
    await page.goto(host.url);
    await page.getByRole('searchbox').fill('khai sinh');
    await page.keyboard.press('Enter');
    const qr = page.getByLabel('Quét mã QR trên thẻ căn cước (đầu đọc mã vạch)');
    await expect(qr).toBeFocused();
    // A reader types the card's text and Enter; this card's number says male, the card says Nữ.
    await page.keyboard.type('001190012345||Nguyễn Thị Ánh Tuyết|15031991|Nữ|Thôn Đông, xã Demo, Hưng Yên|01072021');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('alert')).toContainText('Số định danh');
    await expect(page.getByLabel('Họ và tên')).toHaveValue('');
    await page.keyboard.type('001190012345||Nguyễn Thị Ánh Tuyết|15031990|Nữ|Thôn Đông, xã Demo, Hưng Yên|01072021');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('status').filter({ hasText: 'Đã đọc thẻ của Nguyễn Thị Ánh Tuyết (sinh ngày 15/03/1990)' })).toBeVisible();
    await expect(page.getByLabel('Họ và tên')).toHaveValue('Nguyễn Thị Ánh Tuyết');
    await expect(page.getByLabel('Số CCCD / Căn cước')).toHaveValue('001190012345');
    await expect(page.getByLabel('Địa chỉ')).toHaveValue('Thôn Đông, xã Demo, Hưng Yên');
    await expect(page.getByLabel('Số điện thoại')).toBeFocused();
    await shot(page, '02b-quet-qr-cccd');
  });

  test('an expired certificate cannot sign, and says so in Vietnamese', async ({ page }) => {
    const pki = await getTestPki();
    central = await startCentralProcess();
    host = await startWebHostProcess({ centralUrl: central.url, enroll: { adminToken: central.adminToken }, signerP12Path: pki.expiredSignerP12Path, trustDir: pki.dir });
    await page.goto(host.url);
    await fillDossier(page, {
      'KS-01': [{ name: 'to-khai.pdf', mimeType: 'application/pdf', buffer: await onePagePdf('To khai') }],
      'KS-02': [{ name: 'giay-chung-sinh.pdf', mimeType: 'application/pdf', buffer: await onePagePdf('Giay chung sinh') }],
    });
    await page.getByRole('button', { name: 'Tiếp tục' }).click();
    await page.getByLabel('Mật khẩu tệp chữ ký số').fill(DEMO_P12_PASSWORD);
    await page.getByRole('button', { name: 'Mở khóa' }).click();
    await expect(page.getByRole('alert')).toContainText('Chứng thư số đã hết hạn ngày');
    await expect(page.getByRole('button', { name: 'Ký số và tiếp nhận' })).toBeDisabled();
    await shot(page, '10-chung-thu-het-han');
  });
});
