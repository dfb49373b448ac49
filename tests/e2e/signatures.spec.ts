/// <reference lib="dom" />
/**
 * Issue 4 in the app, with issue 15's rule: the counter has the centre's certificate (RSA, PKCS#12) and the
 * clerk's personal one (EC P-256 on a PKCS#11 token — SoftHSM); since Decree 118/2025 Art. 17.1.c the
 * clerk's personal signature alone signs a component with no rule of its own, without the "SAO Y" stamp, so
 * only the token is asked for. Main checks the certificate against the configured root and a CRL it fetched
 * (the evidence travels to the central); before upload a local TSA time-stamps the signature; the clerk
 * checks the central's copy in the app. (The organisation's stamp on a component configured for it:
 * tests/integration/copy-signature-pdfsig.test.ts; two signatures on one file: signing-two-signatures.test.ts.)
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { test, expect } from '@playwright/test';
import { createTestCa } from '../support/test-ca';
import { startRevocationServers } from '../support/revocation-servers';
import { startTestTsa } from '../support/tsa';
import { makeNssDb } from '../support/nss';
import { createSoftHsmToken } from '../support/softhsm';
import { centralFetch, startCentralProcess, type CentralProcess } from '../support/central-process';
import { onePagePdf, shot } from '../support/e2e';
import { startWebHostProcess, type WebHostProcess } from '../support/web-host-process';
import { PDFDocument } from 'pdf-lib';
import { signPdf } from '../../shared/pdf/sign-pdf';
import { Pkcs12KeyStore } from '../../electron/services/signing/pkcs12-keystore';
import { pathFor } from '../../shared/sync/api-contract';

const run = promisify(execFile);

test.describe('signatures the law and validators accept', () => {
  const stops: (() => Promise<void>)[] = [];
  let central: CentralProcess | undefined;
  let host: WebHostProcess | undefined;

  test.afterEach(async () => {
    await host?.stop();
    await central?.stop();
    for (const stop of stops.splice(0).reverse()) await stop();
  });

  test('the clerk’s token signs alone, revocation evidence and a later time-stamp reach the central', async ({ page }) => {
    const ca = await createTestCa();
    const revocation = await startRevocationServers(ca, { ocspSigner: 'ca' });
    stops.push(() => revocation.stop());
    revocation.publishCrl(await ca.crl({ nextUpdateHours: 24 }));
    const tsa = await startTestTsa(ca);
    stops.push(() => tsa.stop());
    const organisation = await ca.issue({ commonName: 'UBND xã Demo - Bộ phận Một cửa', organisation: 'UBND xã Demo', crlUrl: revocation.crlUrl });
    const clerk = await ca.issue({ commonName: 'Trần Thị Bích', organisation: 'UBND xã Demo', keyType: 'ec-p256', crlUrl: revocation.crlUrl });
    const token = await createSoftHsmToken({ label: 'Token-Tran-Thi-Bich', userPin: '246810', soPin: '13579113', keys: [{ label: 'ky-so', id: '01', keyPath: clerk.keyPath, certDer: clerk.certDer }] });
    stops.push(() => token.cleanup());
    const trustDir = await mkdtemp(path.join(os.tmpdir(), 'motcua-trust-'));
    await copyFile(ca.rootCertPath, path.join(trustDir, 'root.pem'));

    central = await startCentralProcess({ trust: ca.rootCertPath });
    host = await startWebHostProcess({
      centralUrl: central.url,
      enroll: { adminToken: central.adminToken },
      signerP12Path: await organisation.p12('org-secret'),
      personalToken: { library: token.library, tokenLabel: token.label, keyLabel: 'ky-so', env: token.env },
      trustDir,
      tsaUrl: tsa.url,
      requireRevocation: true,
      revocationLabPorts: [Number(new URL(revocation.crlUrl).port)],
    });
    await page.goto(host.url);

    await page.getByRole('searchbox').fill('2.000815');
    await page.keyboard.press('Enter');
    await page.getByLabel('Họ và tên').fill('Lê Văn Đức');
    await page.getByLabel('Số CCCD / Căn cước').fill('001085012345');
    await page.getByLabel('Số điện thoại').fill('0987654321');
    await page.getByLabel('Địa chỉ').fill('Xóm Mới, xã Demo');
    await page.getByLabel('Địa chỉ').press('Enter');
    await page.getByTestId('files-CT-01').setInputFiles({ name: 'ban-chinh.pdf', mimeType: 'application/pdf', buffer: await onePagePdf('Ban chinh giay to') });
    await expect(page.locator('[data-component="CT-01"] figure')).toHaveCount(1);
    await page.getByRole('button', { name: 'Tiếp tục' }).click();

    // Only the key this dossier needs: the clerk's token; the centre's key is configured but not asked for.
    const organisationCard = page.locator('[data-role="organisation"]');
    const personalCard = page.locator('[data-role="personal"]');
    await expect(personalCard.getByRole('heading', { name: 'Chữ ký số cá nhân của công chức tiếp nhận' })).toBeVisible();
    await expect(organisationCard).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Ký số và tiếp nhận' })).toBeDisabled();
    // The token asks for its PIN; a wrong one is refused with the token's own message.
    await personalCard.getByLabel('Mã PIN của USB ký số (token)').fill('000000');
    await personalCard.getByRole('button', { name: 'Mở khóa' }).click();
    await expect(personalCard.getByText('Mã PIN của thiết bị ký số (USB token) không đúng')).toBeVisible();
    await shot(page, '13a-sai-ma-pin');
    await personalCard.getByLabel('Mã PIN của USB ký số (token)').fill('246810');
    await personalCard.getByRole('button', { name: 'Mở khóa' }).click();
    await expect(personalCard.getByText(/Chứng thư ký: .*Trần Thị Bích/)).toBeVisible();
    expect(revocation.counts.crl).toBeGreaterThan(0);
    await shot(page, '13-chu-ky-ca-nhan');
    await page.getByRole('button', { name: 'Ký số và tiếp nhận' }).click();
    await expect(page.getByRole('heading', { name: 'Đã tiếp nhận hồ sơ' })).toBeVisible();
    const code = (await page.getByTestId('dossier-code').textContent()) ?? '';

    await page.keyboard.press('Alt+2');
    await expect(page.locator(`tr[data-code="${code}"]`)).toHaveAttribute('data-state', 'acknowledged', { timeout: 60_000 });
    expect(tsa.requests).toBeGreaterThan(0);

    // The central's copy: the clerk's signature, no stamp, the time-stamp, and the evidence in the record.
    const dossierId = await page.evaluate(async (dossierCode) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open('motcua-counter');
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(new Error(request.error?.message ?? 'IndexedDB error'));
      });
      const all = await new Promise<{ id: string; code: string }[]>((resolve, reject) => {
        const request = db.transaction('dossiers').objectStore('dossiers').getAll();
        request.onsuccess = () => resolve(request.result as { id: string; code: string }[]);
        request.onerror = () => reject(new Error(request.error?.message ?? 'IndexedDB error'));
      });
      return all.find((d) => d.code === dossierCode)?.id ?? '';
    }, code);
    const record = (await (await centralFetch({ url: central.url, credential: host.credential }, pathFor('dossier', { id: dossierId }))).json()) as {
      files: { sha256: string }[];
      record: { files: { revocationEvidence: { kind: string; certSerial: string }[] }[]; copySignatures?: { role: string; subjectCommonName: string | null; serialNumber: string }[] };
    };
    // The commit names the certificate that signed the copy (issue 15).
    expect(record.record.copySignatures).toEqual([expect.objectContaining({ role: 'personal', subjectCommonName: 'Trần Thị Bích' })]);
    expect(record.record.copySignatures?.[0]?.serialNumber.toLowerCase().replace(/^0+/, '')).toBe(clerk.serialHex.toLowerCase().replace(/^0+/, ''));
    const evidence = record.record.files[0]?.revocationEvidence ?? [];
    expect(evidence.map((e) => e.kind)).toEqual(['crl']);
    expect(evidence.map((e) => e.certSerial)).toEqual([clerk.serialHex.replace(/^0+/, '')]);

    const sha = record.files[0]?.sha256 ?? '';
    const stored = Buffer.from(await (await centralFetch({ url: central.url, credential: host.credential }, pathFor('dossierFile', { id: dossierId, sha256: sha }))).arrayBuffer());
    const work = await mkdtemp(path.join(os.tmpdir(), 'motcua-e2e-sig-'));
    const file = path.join(work, 'copy.pdf');
    await writeFile(file, stored);
    const { stdout: pageOne } = await run('pdftotext', ['-f', '1', '-l', '1', file, '-']);
    expect(pageOne).not.toMatch(/SAO\s*Y/);
    expect(pageOne).toContain('Người ký: Trần Thị Bích');
    expect(pageOne).toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00/);
    const nss = await makeNssDb(ca.rootDer);
    const { stdout: pdfsig } = await run('pdfsig', ['-nssdir', nss, file]);
    expect(pdfsig.match(/Signature is Valid/g)).toHaveLength(1);
    expect(pdfsig.match(/Certificate is Trusted/g)).toHaveLength(1);
    expect(pdfsig).toContain('Signer Certificate Common Name: Trần Thị Bích');
    expect(pdfsig).toContain('Total document signed');

    // The clerk checks the central's copy in the app.
    await page.keyboard.press('Alt+3');
    await page.getByTestId('verify-file').setInputFiles(file);
    await expect(page.getByRole('status').filter({ hasText: 'Hợp lệ — 1 chữ ký' })).toBeVisible();
    const only = page.locator('article.signature[data-index="0"]');
    await expect(only.getByText('Trần Thị Bích')).toBeVisible();
    await expect(only.getByText(/CN=Motcua Test TSA/)).toBeVisible();
    await expect(page.getByTestId('revocation-0')).toContainText('Chưa bị thu hồi (CRL');
    await shot(page, '14-kiem-tra-chu-ky-ca-nhan');

    // The clerk's certificate is revoked afterwards: checking the same file now says so.
    await ca.revoke(clerk);
    revocation.publishCrl(await ca.crl({ nextUpdateHours: 24 }));
    await page.getByTestId('verify-file').setInputFiles({ name: 'copy-again.pdf', mimeType: 'application/pdf', buffer: stored });
    await expect(page.getByTestId('revocation-0')).toContainText('ĐÃ BỊ THU HỒI');
    await expect(page.getByRole('status').filter({ hasText: 'có chứng thư ĐÃ BỊ THU HỒI' })).toBeVisible();
    await shot(page, '15-chung-thu-bi-thu-hoi');

    // Issue 17: a citizen's PDF signed by a chain that reaches no configured root, its CRL address pointing at
    // a server the counter can reach (the lab setting is even on): the counter asks nothing and says why.
    const rogue = await createTestCa();
    const forger = await rogue.issue({ commonName: 'Chứng thư tự lập', crlUrl: revocation.crlUrl });
    const forgerKey = new Pkcs12KeyStore({ path: await forger.p12('pw'), label: 'giả' });
    await forgerKey.unlock('pw');
    const citizenDoc = await PDFDocument.create();
    citizenDoc.addPage([595, 842]);
    const citizenPdf = await signPdf(citizenDoc, forgerKey, { reason: 'Đơn', location: 'Nhà', signerName: 'X', signingTime: new Date(Date.now() + 2000) });
    const crlAsked = revocation.counts.crl;
    await page.getByTestId('verify-file').setInputFiles({ name: 'giay-to-cong-dan.pdf', mimeType: 'application/pdf', buffer: Buffer.from(citizenPdf) });
    const refusal = page.getByTestId('revocation-problems-0').locator('li[data-code="REVOCATION_CHAIN_UNTRUSTED"]');
    await expect(refusal).toContainText('không hỏi CRL/OCSP');
    expect(revocation.counts.crl).toBe(crlAsked);
    await shot(page, '15b-khong-hoi-crl-chuoi-khong-tin-cay');
  });
});
