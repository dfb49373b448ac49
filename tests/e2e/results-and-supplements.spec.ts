/// <reference lib="dom" />
/**
 * What comes back from the central, in Debian's Chromium against the web host and a real central process
 * with an enrolled counter: the back office moves one dossier to "result ready" (9, with a result PDF, by
 * `motcua central status`), the counter pulls it and fetches the result PDF ahead of time, the clerk sees,
 * opens and prints it at the desk and returns it (10, who and how), the central records the return and the
 * PDF is deleted from the counter's IndexedDB once that is acknowledged; the back office asks for a supplement on another (5), the clerk records
 * the papers the applicant brought at the desk, and the central has the dossier back in processing (4)
 * with the signed supplement file.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { test, expect, type Page } from '@playwright/test';
import { adminCall, centralFetch, startCentralProcess, type CentralProcess } from '../support/central-process';
import { onePagePdf, shot } from '../support/e2e';
import { fillDossier } from '../support/e2e-intake';
import { DEMO_P12_PASSWORD, getTestPki } from '../support/pki';
import { startWebHostProcess, type WebHostProcess } from '../support/web-host-process';
import { syncNow } from '../support/e2e-files';
import { pathFor } from '../../shared/sync/api-contract';

const run = promisify(execFile);
const repoRoot = path.resolve(import.meta.dirname, '..', '..');

async function acceptOne(page: Page, label: string): Promise<string> {
  const again = page.getByRole('button', { name: 'Tiếp nhận hồ sơ mới' });
  if (await again.isVisible()) await again.click();
  await fillDossier(page, {
    'KS-01': [{ name: 'to-khai.pdf', mimeType: 'application/pdf', buffer: await onePagePdf(`To khai ${label}`) }],
    'KS-02': [{ name: 'giay-chung-sinh.pdf', mimeType: 'application/pdf', buffer: await onePagePdf(`Giay chung sinh ${label}`) }],
  });
  await page.getByRole('button', { name: 'Tiếp tục' }).click();
  await expect(page.getByRole('heading', { name: 'Ký số và tiếp nhận hồ sơ' })).toBeVisible();
  // The key stays open in main after the first dossier.
  // The signer's state arrives from main after the step renders: unlock only once it says the key is locked.
  const password = page.getByLabel('Mật khẩu tệp chữ ký số');
  const sign = page.getByRole('button', { name: 'Ký số và tiếp nhận' });
  await expect(async () => {
    if (await password.isVisible()) {
      await password.fill(DEMO_P12_PASSWORD);
      await page.getByRole('button', { name: 'Mở khóa' }).click();
    }
    await expect(sign).toBeEnabled({ timeout: 2_000 });
  }).toPass({ timeout: 60_000 });
  await sign.click();
  await expect(page.getByRole('heading', { name: 'Đã tiếp nhận hồ sơ' })).toBeVisible();
  return (await page.getByTestId('dossier-code').textContent()) ?? '';
}

/** Rows of the result-file tables in the page's IndexedDB (raw, as a person inspecting the profile would). */
async function resultRowsInBrowser(page: Page): Promise<{ files: number; chunks: number }> {
  return page.evaluate(
    () =>
      new Promise<{ files: number; chunks: number }>((resolve, reject) => {
        const open = indexedDB.open('motcua-counter');
        open.onerror = () => reject(new Error(String(open.error)));
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction(['resultFiles', 'resultFileChunks'], 'readonly');
          const files = tx.objectStore('resultFiles').count();
          const chunks = tx.objectStore('resultFileChunks').count();
          tx.oncomplete = () => {
            db.close();
            resolve({ files: files.result, chunks: chunks.result });
          };
          tx.onerror = () => reject(new Error(String(tx.error)));
        };
      }),
  );
}

interface AdminDossier {
  readonly dossierId: string;
  readonly status: number;
  readonly appointmentAt: string | null;
  readonly history: { status: number; note: string; actor: string }[];
}

async function centralView(central: CentralProcess, code: string): Promise<AdminDossier> {
  const answer = await adminCall(central, 'GET', pathFor('adminDossier', { id: code }));
  expect(answer.status).toBe(200);
  return answer.body as AdminDossier;
}

test.describe('results and supplements from the central', () => {
  let central: CentralProcess | undefined;
  let host: WebHostProcess | undefined;

  test.afterEach(async () => {
    await host?.stop();
    await central?.stop();
  });

  test('result ready → returned (10 at the central); supplement requested → received (4, file at the central)', async ({ page }) => {
    // Two signed acceptances and several sync passes on a shared machine.
    test.setTimeout(300_000);
    const pki = await getTestPki();
    // Fault control: the result download answers 500 for a while (the desk shows the file waiting).
    central = await startCentralProcess({ args: ['--fault-control'] });
    host = await startWebHostProcess({ centralUrl: central.url, enroll: { adminToken: central.adminToken }, signerP12Path: pki.counterSignerP12Path, trustDir: pki.dir });
    await page.goto(host.url);
    await page.getByLabel('Công chức').fill('Trần Văn Bình');
    await page.getByLabel('Công chức').press('Tab');

    const resultCode = await acceptOne(page, 'A');
    const supplementCode = await acceptOne(page, 'B');
    await syncNow(page);
    await page.keyboard.press('Alt+2');
    for (const code of [resultCode, supplementCode]) await expect(page.locator(`tr[data-code="${code}"]`)).toHaveAttribute('data-state', 'acknowledged', { timeout: 60_000 });

    // The back office: A is processed and its result is ready, by the IT command line with a result PDF.
    const dir = await mkdtemp(path.join(os.tmpdir(), 'motcua-result-'));
    const resultPdf = path.join(dir, 'giay-khai-sinh.pdf');
    await writeFile(resultPdf, await onePagePdf('Giay khai sinh (ban chinh)'));
    const cli = (...args: string[]) => run(process.execPath, [path.join(repoRoot, 'electron/cli/bin.mjs'), 'central', ...args, '--central', central?.url ?? ''], { cwd: repoRoot, env: { ...process.env, MOTCUA_CENTRAL_ADMIN_TOKEN: central?.adminToken ?? '' } });
    await cli('status', resultCode, '4', '--actor', 'Nguyễn Thị Xử Lý', '--department', 'Phòng Tư pháp', '--note', 'Đang thẩm định');
    const faults = await fetch(new URL(pathFor('testSetFaults'), central.url), { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ 'result-500': 1000 }) });
    expect(faults.status).toBe(200);
    await cli('status', resultCode, '9', '--actor', 'Nguyễn Thị Xử Lý', '--department', 'Phòng Tư pháp', '--note', 'Đã ký giấy khai sinh', '--result', resultPdf);
    // B: the deciding agency needs one more paper.
    await cli('status', supplementCode, '4', '--actor', 'Nguyễn Thị Xử Lý', '--department', 'Phòng Tư pháp');
    await cli('status', supplementCode, '5', '--actor', 'Nguyễn Thị Xử Lý', '--department', 'Phòng Tư pháp', '--note', 'Thiếu giấy tờ chứng minh nơi cư trú', '--supplement', 'Giấy xác nhận thông tin về cư trú của người mẹ');
    await syncNow(page);

    // The desk: A waits to be returned.
    await page.keyboard.press('Alt+4');
    await expect(page.getByRole('tab', { name: 'Chờ trả kết quả (1)' })).toBeVisible({ timeout: 30_000 });
    await expect(page.getByRole('tab', { name: 'Chờ bổ sung (1)' })).toBeVisible();
    await shot(page, '30-cho-tra-ket-qua');
    await page.getByRole('button', { name: resultCode }).click();
    await expect(page.locator('.dossier-panel .facts')).toContainText('Đã xử lý xong');
    // Retention (default: at the first pass after the acknowledgement): the scanned papers' bytes are gone
    // from this PC, and the panel says so plainly from the metadata that stays.
    const papers = page.getByTestId('dossier-files').locator('li');
    await expect(papers.first()).toHaveAttribute('data-state', 'purged');
    await expect(papers.first()).toContainText('Đã xóa khỏi máy sau khi trung tâm xác nhận (bản gốc ở trung tâm)');
    expect(await papers.evaluateAll((items) => items.every((li) => li.getAttribute('data-state') === 'purged'))).toBe(true);
    await page.getByTestId('dossier-files').scrollIntoViewIfNeeded();
    await shot(page, '36-giay-to-da-xoa-khoi-may');
    // The central cannot serve the result yet (500): announced, waiting to be fetched again.
    const result = page.locator('.result-document[data-name="giay-khai-sinh.pdf"]');
    await expect(result).toHaveAttribute('data-state', 'waiting', { timeout: 60_000 });
    await expect(result).toContainText('Đang chờ tải lại');
    await expect(result.getByRole('button', { name: 'Xem giay-khai-sinh.pdf' })).toBeDisabled();
    // Then the link goes down: the desk says the file waits for the connection.
    await central.kill();
    await syncNow(page);
    await expect(result).toContainText('Chờ kết nối để tải về', { timeout: 30_000 });
    await shot(page, '35-ket-qua-cho-ket-noi');
    // The link is back (a fresh central process, no fault left).
    await central.restart();
    await syncNow(page);
    // The result PDF was fetched ahead of time by the sync worker: on this counter, with its first page.
    await expect(result).toHaveAttribute('data-state', 'downloaded', { timeout: 60_000 });
    await expect(result).toContainText('Đã có trên máy');
    await expect(result.getByRole('img', { name: `giay-khai-sinh.pdf — ${resultCode}` }).locator('canvas')).toBeVisible();
    expect(await resultRowsInBrowser(page)).toEqual({ files: 1, chunks: 1 });
    // "Xem" opens the preview below (keyboard: the button takes Enter), "In" goes through the forms' print path.
    await result.getByRole('button', { name: 'Xem giay-khai-sinh.pdf' }).focus();
    await page.keyboard.press('Enter');
    const preview = page.locator('.form-output');
    await expect(preview.getByRole('img', { name: `giay-khai-sinh.pdf — ${resultCode}` }).locator('canvas')).toBeVisible();
    await expect(preview.getByRole('link', { name: `Tải về: giay-khai-sinh.pdf — ${resultCode}` })).toHaveAttribute('download', 'giay-khai-sinh.pdf');
    await shot(page, '34-giay-to-ket-qua');
    // Printing (checked sheet by sheet in printing.spec.ts): the page laid out for print, no frame, the browser's print called.
    await result.getByRole('button', { name: 'In giay-khai-sinh.pdf' }).click();
    await expect(result.getByRole('status')).toHaveText(`Đã mở hộp thoại in cho giay-khai-sinh.pdf — ${resultCode}.`);
    await expect(page.locator('iframe')).toHaveCount(0);
    await page.getByLabel('Người nhận kết quả').fill('Lê Văn Nhận');
    await page.getByLabel('Qua bưu chính').check();
    await shot(page, '31-tra-ket-qua');
    await page.getByRole('button', { name: 'Ghi nhận đã trả kết quả' }).click();
    await expect(page.getByText('Đã ghi nhận trả kết quả cho Lê Văn Nhận.')).toBeVisible();
    await expect(page.locator('.dossier-panel .facts')).toContainText('Lê Văn Nhận · Qua bưu chính');
    await expect(page.getByRole('tab', { name: 'Chờ trả kết quả (0)' })).toBeVisible();
    await syncNow(page);
    await expect.poll(async () => (await centralView(central as CentralProcess, resultCode)).status, { timeout: 60_000 }).toBe(10);
    const returned = await centralView(central, resultCode);
    expect(returned.history.at(-1)).toMatchObject({ status: 10, actor: 'Trần Văn Bình', note: 'Đã trả kết quả cho Lê Văn Nhận (qua bưu chính)' });
    // The return is acknowledged: the result PDF (personal data) is gone from the counter.
    await expect.poll(() => resultRowsInBrowser(page), { timeout: 60_000 }).toEqual({ files: 0, chunks: 0 });
    await expect(page.locator('.result-documents')).toHaveCount(0);

    // B: the applicant brings the residence paper; the clerk records it at the desk.
    await page.getByRole('button', { name: 'Đóng' }).click();
    await page.getByRole('tab', { name: 'Chờ bổ sung (1)' }).click();
    await page.getByRole('button', { name: supplementCode }).click();
    const panel = page.locator('.dossier-panel');
    await expect(panel.getByRole('heading', { name: 'Nhận hồ sơ bổ sung' })).toBeVisible();
    await expect(panel.locator('.supplement-items')).toContainText('Giấy xác nhận thông tin về cư trú của người mẹ');
    const record = panel.getByRole('button', { name: 'Ký số và ghi nhận đã nhận bổ sung' });
    await expect(record).toBeDisabled();
    await panel.getByTestId('supplement-files').setInputFiles([{ name: 'xac-nhan-cu-tru.pdf', mimeType: 'application/pdf', buffer: await onePagePdf('Xac nhan cu tru') }]);
    await expect(panel.locator('.supplement figure')).toHaveCount(1);
    // The PDF's first page is drawn in its tile (it once looked blank).
    await expect(panel.locator('.supplement figure canvas')).toBeVisible();
    await expect(panel.locator('.supplement figure .pdf-drawing')).toHaveCount(0);
    // A 2025 dossier (Decree 118/2025 Art. 19.5): the time limit restarts from the beginning at the completed receipt.
    await expect(panel.getByTestId('supplement-new-appointment')).toContainText('thời hạn giải quyết được tính lại từ đầu');
    await expect(panel.getByTestId('supplement-new-appointment')).toContainText('Hạn bổ sung:');
    await shot(page, '32-nhan-bo-sung');
    await record.click();
    await expect(page.getByText(/Đã nhận hồ sơ bổ sung\. Thời hạn giải quyết được tính lại từ đầu: ngày hẹn mới/)).toBeVisible({ timeout: 60_000 });
    await expect(page.getByRole('img', { name: `Mẫu 01 (bổ sung lần 1) — ${supplementCode}` }).locator('canvas')).toBeVisible();
    await expect(panel.locator('.facts')).toContainText('Đang xử lý');
    await expect(panel.locator('ul.printed')).toContainText('Mẫu 01 (bổ sung lần 1)');
    await shot(page, '33-da-nhan-bo-sung');

    // Sent: the file by tus first, then the event; the central has B in processing again with the file.
    await syncNow(page);
    await expect.poll(async () => (await centralView(central as CentralProcess, supplementCode)).status, { timeout: 60_000 }).toBe(4);
    const resumed = await centralView(central, supplementCode);
    expect(resumed.history.at(-1)).toMatchObject({ status: 4, actor: 'Trần Văn Bình', note: 'Đã nhận hồ sơ bổ sung (1 tệp)' });
    const stored = await centralFetch({ url: central.url, credential: host.credential ?? '' }, pathFor('dossier', { id: resumed.dossierId }));
    expect(stored.status).toBe(200);
    const files = ((await stored.json()) as { files: { componentCode: string; name: string }[] }).files;
    expect(files.map((f) => f.componentCode).sort()).toEqual(['BS1', 'KS-01', 'KS-02']);
    expect(files.find((f) => f.componentCode === 'BS1')?.name).toBe(`${supplementCode}_BS1.pdf`);
  });
});
