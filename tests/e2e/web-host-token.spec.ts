/// <reference lib="dom" />
/**
 * Issue 17, finding 4 in Chromium: the web host serves its IPC only to the page opened with the address it
 * printed (the launch token in the fragment). The renderer takes the token out of the address bar, keeps
 * working after a reload, and a page opened without it says what to do in Vietnamese and English.
 */
import { test, expect } from '@playwright/test';
import { shot } from '../support/e2e';
import { getTestPki } from '../support/pki';
import { startWebHostProcess, type WebHostProcess } from '../support/web-host-process';

test.describe('the web host’s launch token', () => {
  let host: WebHostProcess | undefined;

  test.afterEach(async () => {
    await host?.stop();
  });

  test('the printed address opens the app and leaves the address bar; without it the page refuses and says why', async ({ page, context }) => {
    const pki = await getTestPki();
    // No central: the page only has to start.
    host = await startWebHostProcess({ centralUrl: 'http://127.0.0.1:9', signerP12Path: pki.counterSignerP12Path, trustDir: pki.dir, imaging: { ocr: false } });
    const origin = new URL(host.url).origin;
    expect(new URL(host.url).hash).toMatch(/^#token=[\w-]{22,}$/);

    // The bare address (a bookmark, another user who guessed the port): nothing is served, the reason is shown.
    const bare = await context.newPage();
    await bare.goto(origin + '/');
    const failure = bare.getByTestId('start-failure');
    await expect(failure).toHaveAttribute('role', 'alert');
    await expect(failure.getByRole('heading', { level: 1 })).toHaveText('Không mở được ứng dụng Một cửa · The Một cửa app could not start');
    await expect(failure).toContainText('Trang này không được mở bằng đúng địa chỉ mà chương trình (motcua host) in ra');
    await expect(failure).toContainText('This page was not opened with the address the program (motcua host) printed');
    await shot(bare, '70-web-host-thieu-ma-phien');
    await bare.close();

    await page.goto(host.url);
    await expect(page.getByRole('searchbox')).toBeVisible();
    // The token left the address bar as soon as the page read it (replaced, so the history holds no copy either).
    expect(page.url()).toBe(origin + '/');
    // F5 keeps working in the same tab.
    await page.reload();
    await expect(page.getByRole('searchbox')).toBeVisible();
    await expect(page.getByTestId('start-failure')).toHaveCount(0);
  });
});
