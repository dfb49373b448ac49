/**
 * Issue 17 finding 8, the disk test: a dossier with a distinctive applicant name and ID number is accepted in
 * real Chromium (a persistent profile on disk) through the web host; then every file of the profile's
 * IndexedDB (LevelDB .ldb/.log, blob files) and of main's spool is read from disk and searched for the name
 * and the number — as UTF-8, as UTF-16LE (V8 writes strings with non-Latin-1 characters two bytes per
 * character), as Latin-1 and in the folded form the queue's search used. None may be there in clear.
 *
 * The search is proven able to find such text: it finds a control record (another name, folded name and
 * number) that the page writes in clear into another database of the same origin — the same LevelDB — so
 * neither snappy compression nor LevelDB framing hides a value from it. Run with the encryption middleware
 * switched off, the spec fails on the counter's own records (checked when it was written).
 */
import { readdir, readFile, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test, expect, chromium, type BrowserContext } from '@playwright/test';
import { getTestPki } from '../support/pki';
import { startCentralProcess, type CentralProcess } from '../support/central-process';
import { shot } from '../support/e2e';
import { attach, fillApplicant, signAndAccept } from '../support/e2e-intake';
import { startWebHostProcess, type WebHostProcess } from '../support/web-host-process';

const applicantName = 'Vương Thị Khánh Huyền';
const foldedName = 'vuong thi khanh huyen';
const idNumber = '087195006789';
// The control record: other text of the same kinds, written in clear by the page itself.
const controlName = 'Lâm Thị Ngọc Bích Đối Chứng';
const controlFolded = 'lam thi ngoc bich doi chung';
const controlId = '099199001122';

/** Every regular file under `dir` (recursively), with its bytes. */
async function filesUnder(dir: string): Promise<{ file: string; bytes: Buffer }[]> {
  const out: { file: string; bytes: Buffer }[] = [];
  for (const item of await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => [])) {
    if (!item.isFile()) continue;
    const file = path.join(item.parentPath, item.name);
    out.push({ file, bytes: await readFile(file).catch(() => Buffer.alloc(0)) });
  }
  return out;
}

/** The encodings a string can sit on disk in. */
function needles(text: string): Buffer[] {
  return [Buffer.from(text, 'utf8'), Buffer.from(text, 'utf16le'), Buffer.from(text, 'latin1')];
}

/** Files (relative to `root`) in which any form of any of `texts` is found. */
function whereFound(files: { file: string; bytes: Buffer }[], root: string, texts: string[]): string[] {
  const found: string[] = [];
  for (const { file, bytes } of files) {
    for (const text of texts) {
      if (needles(text).some((needle) => bytes.includes(needle))) found.push(`${path.relative(root, file)}: ${text}`);
    }
  }
  return found;
}

test.describe('encryption at rest on the counter', () => {
  let central: CentralProcess | undefined;
  let host: WebHostProcess | undefined;
  let context: BrowserContext | undefined;
  let profile: string | undefined;

  test.afterEach(async () => {
    await context?.close();
    await host?.stop();
    await central?.stop();
    if (profile) await rm(profile, { recursive: true, force: true });
    [context, host, central, profile] = [undefined, undefined, undefined, undefined];
  });

  test('no applicant name or ID number is in clear in the IndexedDB files or the spool after an acceptance', async () => {
    const pki = await getTestPki();
    central = await startCentralProcess();
    // Not enrolled: the dossier stays queued, so its spool entry and its file bytes stay on this PC.
    host = await startWebHostProcess({ centralUrl: central.url, signerP12Path: pki.counterSignerP12Path, trustDir: pki.dir });
    profile = await mkdtemp(path.join(os.tmpdir(), 'motcua-profile-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-sync', '--disable-component-update', '--no-first-run', '--disable-quic'],
      locale: 'vi-VN',
      timezoneId: 'Asia/Ho_Chi_Minh',
      viewport: { width: 1366, height: 768 },
    });
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(host.url);

    // The control: a record of the same kinds (another name, folded name and number), written in clear by the
    // page into another database of this origin: the same LevelDB files.
    await page.evaluate(
      async ({ name, folded, id }) => {
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          const request = indexedDB.open('disk-search-control', 1);
          request.onupgradeneeded = () => request.result.createObjectStore('rows');
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(new Error('control database'));
        });
        await new Promise<void>((resolve, reject) => {
          const tx = db.transaction('rows', 'readwrite');
          tx.objectStore('rows').put({ fullName: name, folded, idNumber: id }, 'control');
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(new Error('control write'));
        });
        db.close();
      },
      { name: controlName, folded: controlFolded, id: controlId },
    );

    await page.keyboard.press('Alt+1');
    await page.getByRole('searchbox').fill('dang ky khai sinh');
    await page.keyboard.press('Enter');
    await fillApplicant(page, applicantName, idNumber);
    await attach(page, 'KS-01', `To khai cua ${foldedName} so ${idNumber}`);
    await attach(page, 'KS-02', 'Giay chung sinh');
    const code = await signAndAccept(page);
    expect(code).toMatch(/-0001$/);
    // The app itself still shows and finds the applicant (the queue searches the name).
    await page.keyboard.press('Alt+2');
    await page.getByRole('searchbox').fill('khanh huyen');
    await expect(page.locator(`tr[data-code="${code}"]`)).toContainText(applicantName);
    await shot(page, 'encryption-at-rest-queue');

    // Chromium writes IndexedDB lazily: close the browser so every write is flushed to the profile's files.
    await context.close();
    context = undefined;

    const indexedDbRoot = path.join(profile, 'Default', 'IndexedDB');
    const idbFiles = await filesUnder(indexedDbRoot);
    expect(idbFiles.length).toBeGreaterThan(0);
    // The search works on these very files: it finds the control record's clear text (all three forms).
    const control = whereFound(idbFiles, indexedDbRoot, [controlName, controlFolded, controlId]);
    for (const text of [controlName, controlFolded, controlId]) expect(control.some((hit) => hit.endsWith(`: ${text}`))).toBe(true);

    // The counter's database, in the same LevelDB: neither the name (as typed or folded) nor the number.
    expect(whereFound(idbFiles, indexedDbRoot, [applicantName, foldedName, idNumber])).toEqual([]);

    // Main's spool (the web host's data folder): the dossier is there, sealed.
    const spoolFiles = await filesUnder(path.join(host.dataDir, 'dossier-spool'));
    expect(spoolFiles.length).toBeGreaterThan(1);
    expect(whereFound(spoolFiles, host.dataDir, [applicantName, foldedName, idNumber, code])).toEqual([]);
  });

  test('a database sealed with another key, or altered, stops at start with a clear message', async ({ page }) => {
    const pki = await getTestPki();
    // Port 9 (discard): no central is needed to open the counter.
    host = await startWebHostProcess({ centralUrl: 'http://127.0.0.1:9', signerP12Path: pki.counterSignerP12Path, trustDir: pki.dir });
    await page.goto(host.url);
    await expect(page.getByRole('heading', { name: 'Chọn thủ tục hành chính' })).toBeVisible();
    // The key-check value the first start sealed, replaced by bytes another key sealed (random here).
    await page.evaluate(async () => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open('motcua-counter');
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(new Error('IndexedDB'));
      });
      await new Promise<void>((resolve, reject) => {
        const tx = db.transaction('syncMeta', 'readwrite');
        const sealed = crypto.getRandomValues(new Uint8Array(61));
        sealed[0] = 1;
        tx.objectStore('syncMeta').put({ key: 'encryption.keyCheck', value: { $sealed: sealed } });
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(new Error('write'));
      });
      db.close();
    });
    await page.reload();
    const failure = page.getByTestId('storage-failure');
    await expect(failure).toContainText('không giải mã được bằng khóa hiện tại');
    await expect(failure).toContainText('Không có gì được hiển thị sai hay bị xóa');
    await expect(page.getByRole('heading', { name: 'Chọn thủ tục hành chính' })).toHaveCount(0);
    await shot(page, 'encryption-key-mismatch');
  });
});
