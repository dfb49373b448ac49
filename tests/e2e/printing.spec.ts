/// <reference lib="dom" />
/**
 * Printing the counter's forms (issue 14, finding 4), in Debian's Chromium against the web host and a central
 * process: the receipt (Mẫu 01) in one keystroke after acceptance, its reprint from the dossier's history,
 * Mẫu 02 and Mẫu 03 from the decision screens, the register (Mẫu 06, A4 landscape) from the board, and a
 * print that fails saying so.
 *
 * Headless Chromium's window.print() shows nothing, so an init script replaces it with a recorder. Once the
 * app has called it, Chromium's print-to-PDF (`page.pdf()`, print media, the page's own @page sizes) yields
 * exactly what would have gone to the printer; that PDF is compared with the form the app produced: the same
 * number of pages, each A4, each looking like the form's page (both rasterised by poppler at 50 dpi, grey).
 * No Content Security Policy violation and no page error may happen on the way.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { test, expect, type Locator, type Page } from '@playwright/test';
import { getTestPki } from '../support/pki';
import { startCentralProcess, type CentralProcess } from '../support/central-process';
import { onePagePdf, shot } from '../support/e2e';
import { fillDossier, unlockAndAccept } from '../support/e2e-intake';
import { syncNow } from '../support/e2e-files';
import { startWebHostProcess, type WebHostProcess } from '../support/web-host-process';

const run = promisify(execFile);

interface PrintRecorder {
  calls: number;
  /** Set by a test: the next window.print() throws, as a browser whose printing is broken would. */
  failNext: boolean;
  violations: string[];
}

/** Before any app script: window.print() records instead of doing nothing; CSP violations are kept. */
async function recordPrinting(page: Page): Promise<{ problems: string[] }> {
  await page.addInitScript(() => {
    const recorder: PrintRecorder = { calls: 0, failNext: false, violations: [] };
    (window as unknown as { __print: PrintRecorder }).__print = recorder;
    window.print = () => {
      recorder.calls++;
      if (recorder.failNext) {
        recorder.failNext = false;
        throw new Error('no printer service');
      }
    };
    document.addEventListener('securitypolicyviolation', (e) => recorder.violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}:${e.columnNumber}`));
  });
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (message) => {
    if (message.text().includes('Content Security Policy')) problems.push(`console: ${message.text()}`);
  });
  return { problems };
}

const printCalls = (page: Page) => page.evaluate(() => (window as unknown as { __print: PrintRecorder }).__print.calls);
const violations = (page: Page) => page.evaluate(() => (window as unknown as { __print: PrintRecorder }).__print.violations);

async function savedDownload(page: Page, link: Locator, dir: string): Promise<string> {
  const download = page.waitForEvent('download');
  await link.click();
  const file = path.join(dir, (await download).suggestedFilename());
  await (await download).saveAs(file);
  return file;
}

/** Page sizes in points, from poppler's pdfinfo. */
async function pageSizes(file: string): Promise<{ width: number; height: number }[]> {
  const { stdout: info } = await run('pdfinfo', [file]);
  const pages = Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]);
  const { stdout } = await run('pdfinfo', ['-f', '1', '-l', String(pages), file]);
  return [...stdout.matchAll(/^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts/gm)].map((m) => ({ width: Number(m[1]), height: Number(m[2]) }));
}

interface Grey {
  readonly width: number;
  readonly height: number;
  readonly pixels: Uint8Array;
}

/** Every page of a PDF as a 50-dpi grey picture (poppler's pdftoppm, binary PGM). */
async function greyPages(file: string, dir: string, name: string): Promise<Grey[]> {
  const prefix = path.join(dir, name);
  await run('pdftoppm', ['-r', '50', '-gray', file, prefix]);
  const files = (await readdir(dir)).filter((f) => f.startsWith(`${name}-`) && f.endsWith('.pgm')).sort();
  return Promise.all(
    files.map(async (f) => {
      const bytes = await readFile(path.join(dir, f));
      // P5 header: magic, width, height, maxval, then one byte per pixel.
      const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(bytes.subarray(0, 40).toString('latin1'));
      if (!header) throw new Error(`${f} is not a binary PGM`);
      return { width: Number(header[1]), height: Number(header[2]), pixels: bytes.subarray(header[0].length) };
    }),
  );
}

/**
 * A page as the average darkness (0 white … 255 black) of 8 × 8-pixel blocks, about 4 mm at 50 dpi: the
 * layout of text and lines, without the anti-aliasing and sub-pixel offsets by which two rasterisations of
 * the same page differ (at single pixels they correlate less than the same page shifted by one pixel).
 */
function blockInk(page: Grey, k = 8): number[] {
  const out: number[] = [];
  for (let by = 0; by + k <= page.height; by += k) {
    for (let bx = 0; bx + k <= page.width; bx += k) {
      let sum = 0;
      for (let y = by; y < by + k; y++) for (let x = bx; x < bx + k; x++) sum += 255 - (page.pixels[y * page.width + x] ?? 255);
      out.push(sum / (k * k));
    }
  }
  return out;
}

const mean = (v: readonly number[]) => v.reduce((a, b) => a + b, 0) / v.length;

/** Pearson correlation of two block maps (compared over their common length). */
function correlation(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  const ma = mean(a.slice(0, n));
  const mb = mean(b.slice(0, n));
  let cov = 0;
  let va = 0;
  let vb = 0;
  for (let i = 0; i < n; i++) {
    const x = (a[i] ?? 0) - ma;
    const y = (b[i] ?? 0) - mb;
    cov += x * y;
    va += x * x;
    vb += y * y;
  }
  return cov / Math.sqrt(va * vb);
}

const a4 = { short: 595.28, long: 841.89 };

/** Presses (or clicks) a print button, waits for the app to call print, and returns Chromium's print-to-PDF of the page. */
async function printedPdf(page: Page, dir: string, name: string, press: () => Promise<void>): Promise<string> {
  const before = await printCalls(page);
  await press();
  // The app draws the pages, then calls the platform's print: the recorder counts it.
  await expect.poll(() => printCalls(page), { timeout: 60_000 }).toBe(before + 1);
  const printed = path.join(dir, `${name}-printed.pdf`);
  // Print media and the page's own @page size: what Chromium sends to a printer.
  await writeFile(printed, await page.pdf({ preferCSSPageSize: true }));
  // Its first page beside the screenshots, to be looked at.
  await mkdir(path.join('test-results', 'screens'), { recursive: true });
  await run('pdftoppm', ['-r', '60', '-png', '-f', '1', '-l', '1', '-singlefile', printed, path.join('test-results', 'screens', `${name}-printed-page-1`)]);
  return printed;
}

/** What was printed is the form: as many sheets as it has pages, each A4, each page laid out like the form's. */
async function expectSameAsForm(printed: string, formPdf: string, dir: string, name: string, orientation: 'portrait' | 'landscape' = 'portrait') {
  const formSizes = await pageSizes(formPdf);
  const printedSizes = await pageSizes(printed);
  expect(printedSizes.length, 'one printed sheet per page of the form').toBe(formSizes.length);
  const [w, h] = orientation === 'portrait' ? [a4.short, a4.long] : [a4.long, a4.short];
  for (const size of printedSizes) {
    // Chromium writes A4 as 594.96 × 841.92: within a point.
    expect(Math.abs(size.width - w)).toBeLessThan(1);
    expect(Math.abs(size.height - h)).toBeLessThan(1);
  }
  const form = await greyPages(formPdf, dir, `${name}-form`);
  const paper = await greyPages(printed, dir, `${name}-paper`);
  expect(paper).toHaveLength(form.length);
  for (const [i, formPage] of form.entries()) {
    const paperPage = paper[i];
    if (!paperPage) throw new Error(`printed page ${i + 1} missing`);
    const formBlocks = blockInk(formPage);
    const paperBlocks = blockInk(paperPage);
    const formInk = mean(formBlocks);
    // A form page has text on it; the printed page carries about as much ink (hairlines drawn at 200 dpi
    // then scaled come out a little darker), in the same places (a page shifted
    // by one block, 4 mm, correlates at about 0.4; a blank or another form far less).
    expect(formInk).toBeGreaterThan(2);
    expect(Math.abs(mean(paperBlocks) - formInk), `ink on page ${i + 1}`).toBeLessThan(formInk * 0.3);
    expect(correlation(paperBlocks, formBlocks), `likeness of page ${i + 1}`).toBeGreaterThan(0.9);
  }
}

test.describe('printing the forms', () => {
  let central: CentralProcess;
  let host: WebHostProcess;
  let dir: string;

  test.beforeEach(async () => {
    const pki = await getTestPki();
    central = await startCentralProcess();
    host = await startWebHostProcess({ centralUrl: central.url, enroll: { adminToken: central.adminToken }, signerP12Path: pki.counterSignerP12Path, trustDir: pki.dir });
    dir = await mkdtemp(path.join(os.tmpdir(), 'motcua-print-'));
  });

  test.afterEach(async () => {
    await host?.stop();
    await central?.stop();
  });

  test('the receipt prints in one keystroke after acceptance, reprints from the history; the register prints landscape', async ({ page }) => {
    test.setTimeout(240_000);
    const { problems } = await recordPrinting(page);
    await page.goto(host.url);
    await page.getByLabel('Công chức').fill('Trần Văn Bình');
    await page.getByLabel('Công chức').press('Tab');
    await fillDossier(page, {
      'KS-01': [{ name: 'to-khai.pdf', mimeType: 'application/pdf', buffer: await onePagePdf('To khai') }],
      'KS-02': [{ name: 'giay-chung-sinh.pdf', mimeType: 'application/pdf', buffer: await onePagePdf('Giay chung sinh') }],
    });
    const code = await unlockAndAccept(page);

    // The receipt screen: "In giấy tiếp nhận" has the focus, so Enter prints it.
    const printReceipt = page.getByRole('button', { name: 'In giấy tiếp nhận' });
    await expect(printReceipt).toBeFocused();
    await expect(page.locator('.pdf-preview canvas')).toBeVisible();
    await shot(page, 'print-01-giay-tiep-nhan');
    const printedReceipt = await printedPdf(page, dir, 'print-mau01', () => page.keyboard.press('Enter'));
    await expect(page.getByRole('status').filter({ hasText: `Đã mở hộp thoại in cho Mẫu 01 — ${code}` })).toBeVisible();
    await shot(page, 'print-02-giay-tiep-nhan-da-in');
    const receipt = await savedDownload(page, page.getByRole('link', { name: 'Tải giấy tiếp nhận (PDF)' }), dir);
    await expectSameAsForm(printedReceipt, receipt, dir, 'print-mau01');

    // Later, at the desk. Once the central holds the dossier the counter keeps no form bytes (issue 17): the
    // history rebuilds the receipt from the central's copy of the applicant, and it prints like any form.
    await syncNow(page);
    await page.getByRole('navigation').getByRole('button', { name: /Trả kết quả/ }).click();
    await page.getByRole('tab', { name: /Đang giải quyết/ }).click();
    await page.getByRole('button', { name: code }).click();
    const rebuild = page.getByRole('button', { name: `Lập lại Mẫu 01 — ${code} từ dữ liệu ở trung tâm` });
    await expect(rebuild).toBeVisible({ timeout: 60_000 });
    await rebuild.click();
    const output = page.locator('.form-output');
    await expect(output.locator('canvas').first()).toBeVisible();
    await shot(page, 'print-03-in-lai');
    const rebuilt = await savedDownload(page, output.getByRole('link', { name: `Tải về: Mẫu 01 — ${code}` }), dir);
    const { stdout: rebuiltText } = await run('pdftotext', ['-layout', rebuilt, '-']);
    expect(rebuiltText.normalize('NFC')).toContain('Nguyễn Thị Ánh Tuyết');
    expect(rebuiltText).toContain(code);
    await expectSameAsForm(await printedPdf(page, dir, 'print-mau01-reprint', () => output.getByRole('button', { name: 'In', exact: true }).click()), rebuilt, dir, 'print-mau01-reprint');

    // The register of the week (Mẫu 07) is A4 landscape: it prints on landscape sheets.
    await page.getByRole('navigation').getByRole('button', { name: /Bảng màu/ }).click();
    await page.getByRole('button', { name: 'Sổ theo dõi (Mẫu 07) — PDF' }).click();
    await expect(page.locator('.form-output canvas').first()).toBeVisible();
    const register = await savedDownload(page, page.getByRole('link', { name: /Tải về/ }), dir);
    await shot(page, 'print-04-mau06');
    const printedRegister = await printedPdf(page, dir, 'print-mau06', () => page.locator('.form-output').getByRole('button', { name: 'In', exact: true }).click());
    await expectSameAsForm(printedRegister, register, dir, 'print-mau06', 'landscape');

    expect(problems).toEqual([]);
    expect(await violations(page)).toEqual([]);
  });

  test('Mẫu 02 and Mẫu 03 print from the decision screens; a failed print says so', async ({ page }) => {
    test.setTimeout(180_000);
    const { problems } = await recordPrinting(page);
    await page.goto(host.url);
    await page.getByLabel('Công chức').fill('Trần Văn Bình');
    await page.getByLabel('Công chức').press('Tab');

    // Mẫu 02: the birth certificate is missing.
    await fillDossier(page, { 'KS-01': [{ name: 'to-khai.pdf', mimeType: 'application/pdf', buffer: await onePagePdf('To khai') }] });
    await expect(page.locator('[data-component="KS-01"] figure')).toHaveCount(1);
    await page.getByRole('button', { name: 'Yêu cầu bổ sung (Mẫu 02)' }).click();
    await page.locator('.completion-items [data-component="KS-02"]').getByLabel('Lý do').fill('Chưa có giấy chứng sinh của bệnh viện');
    await page.getByLabel(/Số điện thoại liên hệ/).fill('02213999888');
    await page.getByRole('button', { name: 'Lập phiếu yêu cầu bổ sung' }).click();
    await expect(page.getByRole('heading', { name: 'Đã lập phiếu yêu cầu bổ sung hồ sơ' })).toBeVisible();
    await expect(page.locator('.pdf-preview canvas')).toBeVisible();
    await shot(page, 'print-05-mau02');
    const mau02 = await savedDownload(page, page.getByRole('link', { name: /Tải về/ }), dir);
    await expectSameAsForm(await printedPdf(page, dir, 'print-mau02', () => page.getByRole('button', { name: 'In', exact: true }).click()), mau02, dir, 'print-mau02');
    await page.getByRole('button', { name: /Xong/ }).click();

    // Mẫu 03: refused. The first print fails in the browser: the clerk reads why, and the second one prints.
    await expect(page.getByRole('heading', { name: 'Chọn thủ tục hành chính' })).toBeVisible();
    await page.getByRole('searchbox').fill('dang ky khai sinh');
    await page.getByRole('searchbox').press('Enter');
    await page.getByLabel('Họ và tên', { exact: true }).fill('Phạm Văn Nam');
    await page.getByLabel('Số CCCD / Căn cước').fill('001190012349');
    await page.getByLabel('Số điện thoại').fill('0912345678');
    await page.getByLabel('Địa chỉ').fill('Thôn Đông, xã Demo, tỉnh Hưng Yên');
    await page.getByRole('button', { name: 'Tiếp tục' }).click();
    await page.getByRole('button', { name: 'Từ chối tiếp nhận (Mẫu 03)' }).click();
    await page.getByLabel('Lý do từ chối (cụ thể)').fill('Thủ tục không thuộc thẩm quyền giải quyết của UBND xã Demo');
    await page.getByRole('button', { name: 'Lập phiếu từ chối' }).click();
    await expect(page.getByRole('heading', { name: 'Đã lập phiếu từ chối tiếp nhận hồ sơ' })).toBeVisible();
    const mau03 = await savedDownload(page, page.getByRole('link', { name: /Tải về/ }), dir);

    await page.evaluate(() => {
      (window as unknown as { __print: PrintRecorder }).__print.failNext = true;
    });
    await page.getByRole('button', { name: 'In', exact: true }).click();
    await expect(page.getByRole('alert')).toContainText('Không in được Phiếu từ chối (Mẫu 03)');
    await expect(page.getByRole('alert')).toContainText('Máy in không nhận lệnh in (no printer service)');
    await expect(page.getByRole('button', { name: 'In', exact: true })).toBeEnabled();
    await shot(page, 'print-06-mau03-loi-in');
    await expectSameAsForm(await printedPdf(page, dir, 'print-mau03', () => page.getByRole('button', { name: 'In', exact: true }).click()), mau03, dir, 'print-mau03');
    await expect(page.getByRole('alert')).toHaveCount(0);
    await shot(page, 'print-07-mau03');

    expect(problems).toEqual([]);
    expect(await violations(page)).toEqual([]);
  });
});
