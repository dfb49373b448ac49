/// <reference lib="dom" />
/** The intake flow's steps as end-to-end specs drive them (procedure, applicant, files, signing). */
import { expect, type Page } from '@playwright/test';
import { DEMO_P12_PASSWORD } from './pki';
import { onePagePdf, shot } from './e2e';
import { storedBytes } from './sealed-at-rest';

/** Procedure → applicant → components, with the given files per component code. */
export async function fillDossier(page: Page, files: Record<string, { name: string; mimeType: string; buffer: Buffer }[]>, screens = false) {
  await expect(page.getByRole('heading', { name: 'Chọn thủ tục hành chính' })).toBeVisible();
  await page.getByRole('searchbox').fill('dang ky khai sinh');
  if (screens) await shot(page, '01-chon-thu-tuc');
  await page.keyboard.press('Enter');

  await expect(page.getByRole('heading', { name: 'Thông tin người nộp hồ sơ' })).toBeVisible();
  await page.getByLabel('Họ và tên').fill('Nguyễn Thị Ánh Tuyết');
  await page.getByLabel('Số CCCD / Căn cước').fill('001190012345');
  await page.getByLabel('Số điện thoại').fill('0912345678');
  await page.getByLabel('Địa chỉ').fill('Thôn Đông, xã Demo, tỉnh Hưng Yên');
  if (screens) await shot(page, '02-nguoi-nop');
  await page.getByLabel('Địa chỉ').press('Enter');

  await expect(page.getByRole('heading', { name: 'Đính kèm thành phần hồ sơ' })).toBeVisible();
  for (const [component, list] of Object.entries(files)) await page.getByTestId(`files-${component}`).setInputFiles(list);
}

export async function unlockAndAccept(page: Page) {
  await page.getByRole('button', { name: 'Tiếp tục' }).click();
  await page.getByLabel('Mật khẩu tệp chữ ký số').fill(DEMO_P12_PASSWORD);
  await page.getByRole('button', { name: 'Mở khóa' }).click();
  await page.getByRole('button', { name: 'Ký số và tiếp nhận' }).click();
  await expect(page.getByRole('heading', { name: 'Đã tiếp nhận hồ sơ' })).toBeVisible();
  return (await page.getByTestId('dossier-code').textContent()) ?? '';
}


/** The applicant step with a typed person (no card), then on to the components. */
export async function fillApplicant(page: Page, name: string, idNumber: string) {
  await expect(page.getByRole('heading', { name: 'Thông tin người nộp hồ sơ' })).toBeVisible();
  await page.getByLabel('Họ và tên', { exact: true }).fill(name);
  await page.getByLabel('Số CCCD / Căn cước').fill(idNumber);
  await page.getByLabel('Số điện thoại').fill('0912345678');
  await page.getByLabel('Địa chỉ').fill('Thôn Đông, xã Demo, tỉnh Hưng Yên');
  await page.getByRole('button', { name: 'Tiếp tục' }).click();
  await expect(page.getByRole('heading', { name: 'Đính kèm thành phần hồ sơ' })).toBeVisible();
}

/** A one-page PDF with `text` into a component, waiting for its thumbnail. */
export async function attach(page: Page, component: string, text: string) {
  await page.getByTestId(`files-${component}`).setInputFiles([{ name: `${component}.pdf`, mimeType: 'application/pdf', buffer: await onePagePdf(text) }]);
  await expect(page.locator(`[data-component="${component}"] figure`)).toHaveCount(1);
}

/** Signs and accepts; unlocks the demo key first when it is still locked. Returns the dossier code. */
export async function signAndAccept(page: Page): Promise<string> {
  await page.getByRole('button', { name: 'Tiếp tục' }).click();
  await expect(page.getByRole('heading', { name: 'Ký số và tiếp nhận hồ sơ' })).toBeVisible();
  const password = page.getByLabel('Mật khẩu tệp chữ ký số');
  // The signer's state arrives from main after the heading: wait for it to say locked or unlocked.
  await expect(password.or(page.getByText(/Chứng thư ký: /)).first()).toBeVisible();
  if (await password.isVisible()) {
    await password.fill(DEMO_P12_PASSWORD);
    await page.getByRole('button', { name: 'Mở khóa' }).click();
  }
  await page.getByRole('button', { name: 'Ký số và tiếp nhận' }).click();
  await expect(page.getByRole('heading', { name: 'Đã tiếp nhận hồ sơ' })).toBeVisible();
  return (await page.getByTestId('dossier-code').textContent()) ?? '';
}


export interface CounterFile {
  readonly componentCode: string;
  readonly sha256: string;
  readonly size: number;
  readonly base64: string;
}

/** What the counter holds for a dossier, read straight from IndexedDB (no app code in the page). */
export async function readCounterFiles(page: Page, code: string): Promise<{ dossierId: string; files: CounterFile[] }> {
  const stored = await page.evaluate(async (dossierCode) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('motcua-counter');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(new Error(request.error?.message ?? 'IndexedDB error'));
    });
    const all = <T,>(store: string): Promise<T[]> =>
      new Promise((resolve, reject) => {
        const request = db.transaction(store).objectStore(store).getAll();
        request.onsuccess = () => resolve(request.result as T[]);
        request.onerror = () => reject(new Error(request.error?.message ?? 'IndexedDB error'));
      });
    const dossier = (await all<{ id: string; code: string }>('dossiers')).find((d) => d.code === dossierCode);
    if (!dossier) throw new Error('dossier not in IndexedDB');
    const files = (await all<{ id: string; dossierId: string; componentCode: string; sha256: string; size: number }>('files')).filter((f) => f.dossierId === dossier.id);
    const chunks = await all<{ fileId: string; index: number; data: Uint8Array | { $sealed: Uint8Array } }>('fileChunks');
    const base64 = (bytes: Uint8Array): string => {
      let binary = '';
      for (const byte of bytes) binary += String.fromCharCode(byte);
      return btoa(binary);
    };
    return {
      dossierId: dossier.id,
      files: files.map((f) => {
        const parts = chunks.filter((c) => c.fileId === f.id).sort((a, b) => a.index - b.index);
        // Sealed at rest (issue 17 finding 8): opened on the test's side with the host's data key.
        const raw = parts.map((part) => (part.data instanceof Uint8Array ? { clear: base64(part.data) } : { sealed: base64(part.data.$sealed) }));
        return { componentCode: f.componentCode, sha256: f.sha256, size: f.size, raw };
      }),
    };
  }, code);
  return {
    dossierId: stored.dossierId,
    files: await Promise.all(
      stored.files.map(async ({ raw, ...file }) => ({ ...file, base64: Buffer.concat(await Promise.all(raw.map((r) => storedBytes(page.url(), 'fileChunks.data', r)))).toString('base64') })),
    ),
  };
}
