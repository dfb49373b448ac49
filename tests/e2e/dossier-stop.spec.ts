/// <reference lib="dom" />
/**
 * Stopping a dossier at the applicant's request (Decree 118/2025 Art. 21), in Debian's Chromium against the
 * web host and a real central process: a dossier is received (its receipt is the 2025 Mẫu 01), the clerk
 * records the applicant's request at the desk, the stop notice (Mẫu 05 of the 2025 set) is produced and kept
 * in the printed history, the dossier shows "Dừng xử lý" and offers no second stop, and after a sync the
 * central has status 8 in its history and in the national export. Then a procedure whose result is handed
 * over at once: its receipt is offered on request, not printed first.
 */
import { test, expect } from '@playwright/test';
import { bundledCatalog } from '../../shared/domain/catalog-demo';
import { adminCall, startCentralProcess, type CentralProcess } from '../support/central-process';
import { onePagePdf, shot } from '../support/e2e';
import { fillDossier, signAndAccept } from '../support/e2e-intake';
import { getTestPki } from '../support/pki';
import { startWebHostProcess, type WebHostProcess } from '../support/web-host-process';
import { pdfText, savedDownload, syncNow } from '../support/e2e-files';
import { pathFor } from '../../shared/sync/api-contract';


interface AdminDossier {
  readonly status: number;
  readonly history: { status: number; note: string; actor: string }[];
}

test.describe('stopping a dossier (Decree 118 Art. 21, Mẫu 05)', () => {
  let central: CentralProcess | undefined;
  let host: WebHostProcess | undefined;

  test.afterEach(async () => {
    await host?.stop();
    await central?.stop();
  });

  test('received, then stopped at the desk with Mẫu 05; the stop reaches the central and its national export', async ({ page }) => {
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
    // New dossiers are received under Circular 03/2025: the receipt is its Mẫu 01.
    const receipt = await pdfText(await savedDownload(page, () => page.getByRole('link', { name: 'Tải giấy tiếp nhận (PDF)' }).click()));
    expect(receipt).toContain('Mẫu số 01');
    expect(receipt).toContain('GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ');
    expect(receipt).toContain('Phí, lệ phí (nếu có)');
    expect(receipt).toMatch(/STT Tên giấy tờ Loại giấy tờ Số lượng/);
    expect(receipt).not.toMatch(/BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ/);
    await syncNow(page);

    // The desk: the dossier in processing; the applicant asks to stop it.
    await page.keyboard.press('Alt+4');
    await page.getByRole('tab', { name: /^Đang giải quyết \(1\)/ }).click();
    await page.getByRole('button', { name: code }).click();
    const panel = page.locator('.dossier-panel');
    const stopForm = panel.getByRole('form', { name: 'Dừng giải quyết theo yêu cầu của công dân (Mẫu 05)' });
    await expect(stopForm).toBeVisible();
    const submit = stopForm.getByRole('button', { name: 'Ghi nhận dừng và in thông báo (Mẫu 05)' });
    await expect(submit).toBeDisabled();
    await stopForm.getByLabel('Lý do công dân nêu').fill('Gia đình chuyển đăng ký khai sinh về nơi cư trú của người cha');
    await stopForm.scrollIntoViewIfNeeded();
    await shot(page, '60-dung-giai-quyet');
    // Keyboard: the reason field, then Tab to the button and Enter.
    await stopForm.getByLabel('Lý do công dân nêu').press('Tab');
    await expect(submit).toBeFocused();
    await page.keyboard.press('Enter');

    await expect(panel.getByText(`Đã dừng giải quyết hồ sơ ${code} và lập Thông báo dừng giải quyết hồ sơ (Mẫu 05). Trung tâm sẽ được báo khi có kết nối.`)).toBeVisible();
    await expect(panel.locator('.facts')).toContainText('Dừng xử lý');
    await expect(panel.getByRole('note').filter({ hasText: 'Hồ sơ đã dừng giải quyết lúc' })).toContainText('Gia đình chuyển đăng ký khai sinh');
    // No second stop is offered once stopped.
    await expect(stopForm).toHaveCount(0);
    const label = `Mẫu 05 (dừng giải quyết) — ${code}`;
    await expect(page.getByRole('img', { name: label }).locator('canvas')).toBeVisible();
    await shot(page, '61-thong-bao-dung-mau05');
    const notice = await pdfText(await savedDownload(page, () => page.getByRole('link', { name: `Tải về: ${label}` }).click()));
    expect(notice).toContain('Mẫu số 05');
    expect(notice).toContain('THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ');
    expect(notice).toContain(code);
    expect(notice).toContain('Gia đình chuyển đăng ký khai sinh về nơi cư trú của người cha');
    expect(notice).toContain('Căn cứ Điều 21 Nghị định số 118/2025/NĐ-CP');
    expect(notice).toContain('Trần Văn Bình');
    // Kept for reprints.
    await expect(panel.locator('ul.printed li').filter({ hasText: label })).toHaveCount(1);

    // The stop reaches the central: status 8 with the reason, and the national export says 8.
    await syncNow(page);
    await expect
      .poll(async () => ((await adminCall(central as CentralProcess, 'GET', pathFor('adminDossier', { id: code }))).body as AdminDossier).status, { timeout: 60_000 })
      .toBe(8);
    const view = (await adminCall(central, 'GET', pathFor('adminDossier', { id: code }))).body as AdminDossier;
    expect(view.history.at(-1)).toMatchObject({ status: 8, actor: 'Trần Văn Bình', note: 'Dừng giải quyết theo yêu cầu của người nộp (Mẫu 05): Gia đình chuyển đăng ký khai sinh về nơi cư trú của người cha' });
    const exported = await adminCall(central, 'GET', pathFor('adminDossierExport', { id: code }));
    expect(exported.status).toBe(200);
    expect(exported.body).toMatchObject({ MaHoSo: code, TrangThaiHoSo: '8' });

    // The desk lists it under "all", not in processing; the board does not count it as late or pending.
    await expect(page.getByRole('tab', { name: /^Đang giải quyết \(0\)/ })).toBeVisible();
    await page.keyboard.press('Alt+5');
    await expect(page.getByRole('heading', { name: 'Bảng màu theo dõi hồ sơ' })).toBeVisible();
    // Received 1, digitized 1, on time 0, late 0, not yet due 0: a stop is the applicant's, not a delay.
    await expect(page.getByRole('row', { name: /^Tổng cộng/ })).toHaveText(/^Tổng cộng\s*1\s*1\s*100 %\s*0\s*0\s*0\s*–$/);
    await shot(page, '62-bang-mau-sau-khi-dung');

    // A procedure whose result is handed over at once (the test catalog flags birth registration so): the
    // receipt is made and kept, but offered on request instead of printed first (Decree 118 Art. 17.4).
    const catalog = bundledCatalog.map((p) => (p.code === '1.001193' ? { ...p, resultAtOnce: true } : p));
    expect((await adminCall(central, 'PUT', pathFor('adminReference', { kind: 'catalog' }), catalog)).status).toBe(200);
    await syncNow(page);
    await page.keyboard.press('Alt+1');
    await page.getByRole('button', { name: 'Tiếp nhận hồ sơ mới' }).click();
    await fillDossier(page, {
      'KS-01': [{ name: 'to-khai-2.pdf', mimeType: 'application/pdf', buffer: await onePagePdf('To khai 2') }],
      'KS-02': [{ name: 'giay-chung-sinh-2.pdf', mimeType: 'application/pdf', buffer: await onePagePdf('Giay chung sinh 2') }],
    });
    await signAndAccept(page);
    await expect(page.getByRole('note').filter({ hasText: 'Thủ tục trả kết quả ngay: giấy tiếp nhận chỉ in khi công dân yêu cầu' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'In giấy tiếp nhận (Mẫu 01) theo yêu cầu' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'In giấy tiếp nhận', exact: true })).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Tiếp nhận hồ sơ mới' })).toBeFocused();
    await shot(page, '63-tra-ngay-giay-tiep-nhan-theo-yeu-cau');
  });
});
