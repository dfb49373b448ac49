/// <reference lib="dom" />
/**
 * Issue 15 in Debian's Chromium: the counter (web host, enrolled) is leased dossier numbers by the central
 * while online; with the central unreachable it still receives a dossier with an official code drawn from
 * that lease. A second dossier received after its leases are gone gets a provisional TAM-… number. When the
 * central is back, both are synced: the first keeps its code, the second is given an official one, and the
 * queue asks the clerk to reprint its receipt.
 */
import { test, expect, type Page } from '@playwright/test';
import { getTestPki } from '../support/pki';
import { adminCall, startCentralProcess, type CentralProcess } from '../support/central-process';
import { onePagePdf, shot } from '../support/e2e';
import { fillDossier, signAndAccept, unlockAndAccept } from '../support/e2e-intake';
import { startWebHostProcess, webHostUnit, type WebHostProcess } from '../support/web-host-process';
import { pathFor } from '../../shared/sync/api-contract';

/** Runs `work` on one object store of the counter's IndexedDB, straight (no app code in the page). */
function counterStore<T>(page: Page, store: string, mode: 'count' | 'clear'): Promise<T> {
  return page.evaluate(
    async ({ store, mode }) => {
      // Not opened by the app yet (its start-up work comes after the first paint): opening it here would create
      // an empty database under the app's name, so say 0 and let the poll come back.
      if (!(await indexedDB.databases()).some((d) => d.name === 'motcua-counter')) return 0;
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open('motcua-counter');
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(new Error(request.error?.message ?? 'IndexedDB error'));
      });
      try {
        if (!db.objectStoreNames.contains(store)) return 0;
        return await new Promise<unknown>((resolve, reject) => {
          const objects = db.transaction(store, mode === 'clear' ? 'readwrite' : 'readonly').objectStore(store);
          const request = mode === 'clear' ? objects.clear() : objects.count();
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(new Error(request.error?.message ?? 'IndexedDB error'));
        });
      } finally {
        db.close();
      }
    },
    { store, mode },
  ) as Promise<T>;
}

test.describe('dossier codes from leases', () => {
  let central: CentralProcess;
  let host: WebHostProcess;

  test.afterEach(async () => {
    await host?.stop();
    await central?.stop();
  });

  test('a code is drawn from a lease while the central is unreachable, then synced; a provisional one is replaced', async ({ page }) => {
    const pki = await getTestPki();
    central = await startCentralProcess();
    host = await startWebHostProcess({ centralUrl: central.url, enroll: { adminToken: central.adminToken }, signerP12Path: pki.counterSignerP12Path, trustDir: pki.dir, retention: { filesDaysAfterAck: 7 } });
    await page.goto(host.url);
    // The first sync pass leases numbers for the unit (and the catalog's deciding agencies).
    await expect.poll(() => counterStore<number>(page, 'codeLeases', 'count'), { timeout: 30_000 }).toBeGreaterThan(0);

    await central.kill();
    const pdf = async (text: string) => [{ name: 'to-khai.pdf', mimeType: 'application/pdf', buffer: await onePagePdf(text) }];
    await fillDossier(page, { 'KS-01': await pdf('Ho so 1'), 'KS-02': await pdf('Giay chung sinh') });
    const leasedCode = await unlockAndAccept(page);
    // An old QCVN identifier: leases start above the old fixed blocks (docs/dossier-code.md).
    expect(leasedCode).toMatch(/^000\.00\.01\.H99-\d{6}-9001$/);
    await shot(page, 'code-lease-01-ma-tu-dai-so-khi-mat-ket-noi');

    // No lease left (cleared here; in life: used up while offline): a provisional number.
    await counterStore(page, 'codeLeases', 'clear');
    await page.getByRole('button', { name: 'Tiếp nhận hồ sơ mới' }).click();
    await fillDossier(page, { 'KS-01': await pdf('Ho so 2'), 'KS-02': await pdf('Giay chung sinh') });
    const provisional = await signAndAccept(page);
    expect(provisional).toMatch(/^TAM-000\.00\.01\.H99-Q1-\d{6}-0001$/);
    await shot(page, 'code-lease-02-so-tam');

    await page.keyboard.press('Alt+2');
    await expect(page.locator(`tr[data-code="${provisional}"] [data-testid="code-provisional"]`)).toBeVisible();
    await central.restart();
    const rows = page.locator('table.queue tbody tr');
    await expect(rows.locator('[data-testid="code-reprint"]')).toHaveText(new RegExp(`thay cho số ${provisional.replaceAll('.', '\\.')}. Hãy in lại Giấy tiếp nhận`), { timeout: 60_000 });
    await expect(page.locator('tr[data-state="acknowledged"]')).toHaveCount(2, { timeout: 60_000 });
    const official = (await page.locator('tr:has([data-testid="code-reprint"])').getAttribute('data-code')) ?? '';
    expect(official).toMatch(/^000\.00\.01\.H99-\d{6}-\d{4,}$/);
    expect(official).not.toBe(leasedCode);
    await shot(page, 'code-lease-03-hang-doi-in-lai');

    for (const code of [leasedCode, official]) {
      const stored = await adminCall(central, 'GET', pathFor('adminDossier', { id: code }));
      expect(stored.status).toBe(200);
      expect(stored.body).toMatchObject({ code, unitCode: webHostUnit.code });
    }
  });
});
