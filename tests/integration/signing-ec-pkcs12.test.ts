/**
 * A PKCS#12 file with an EC P-256 key (OpenSSL 3's default format: PBES2/AES-256-CBC bags, HMAC-SHA-256
 * MAC), which node-forge refuses: the key store reads it through pkijs, `motcua sign` signs with ECDSA, and
 * poppler's pdfsig says the signature is valid and the certificate trusted; our own verifier agrees.
 * A wrong password is still SIGNER_WRONG_PASSWORD.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Pkcs12KeyStore } from '../../electron/services/signing/pkcs12-keystore';
import { verifyPdfSignatures } from '../../shared/pdf/verify-pdf';
import { makeNssDb } from '../support/nss';
import { createTestCa, type TestCa } from '../support/test-ca';

const run = promisify(execFile);
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const motcuaBin = path.join(repoRoot, 'electron', 'cli', 'bin.mjs');

let ca: TestCa;
let work: string;
let nssDir: string;
let p12Path: string;

beforeAll(async () => {
  ca = await createTestCa();
  work = await mkdtemp(path.join(os.tmpdir(), 'motcua-ec-p12-'));
  nssDir = await makeNssDb(ca.rootDer);
  const leaf = await ca.issue({ commonName: 'Cán bộ một cửa EC', organisation: 'UBND xã Demo', keyType: 'ec-p256' });
  p12Path = await leaf.p12('mat-khau-ec'); // openssl pkcs12 -export (test-ca.ts)
}, 60_000);

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
  await rm(nssDir, { recursive: true, force: true });
});

describe('EC PKCS#12 key store', () => {
  it('unlocks an EC P-256 PKCS#12 (refused by node-forge) and reports the EC certificate; a wrong password stays SIGNER_WRONG_PASSWORD', async () => {
    const store = new Pkcs12KeyStore({ path: p12Path, label: 'EC' });
    const status = await store.unlock('mat-khau-ec');
    expect(status).toMatchObject({ state: 'unlocked', certificate: { subjectCommonName: 'Cán bộ một cửa EC' } });
    expect(store.chainDer.length).toBeGreaterThanOrEqual(1);
    const signature = await store.signDigest(new Uint8Array(32).fill(7));
    expect(signature.algorithm).toBe('ecdsa-sha256');
    await expect(new Pkcs12KeyStore({ path: p12Path, label: 'EC' }).unlock('sai-mat-khau')).rejects.toMatchObject({ code: 'SIGNER_WRONG_PASSWORD' });
  });

  it('motcua sign with the EC PKCS#12: pdfsig says valid and trusted, and verifyPdfSignatures agrees', async () => {
    const doc = await PDFDocument.create();
    doc.addPage([595, 842]).drawText('Ban sao ky bang PKCS#12 EC', { x: 50, y: 780, size: 14, font: await doc.embedFont(StandardFonts.Helvetica) });
    const input = path.join(work, 'in.pdf');
    const output = path.join(work, 'out.pdf');
    await writeFile(input, await doc.save());
    const signed = await run(process.execPath, [motcuaBin, 'sign', input, '--out', output, '--p12', p12Path, '--pass-env', 'MOTCUA_TEST_EC_PASS'], {
      cwd: repoRoot,
      env: { ...process.env, MOTCUA_TEST_EC_PASS: 'mat-khau-ec' },
    });
    expect(signed.stderr).toBe('');

    const { stdout } = await run('pdfsig', ['-nssdir', nssDir, output]);
    expect(stdout).toContain('Signature is Valid');
    expect(stdout).toContain('Certificate is Trusted');
    expect(stdout).toContain('Total document signed');

    const report = verifyPdfSignatures(new Uint8Array(await readFile(output)), { trustAnchorsDer: [ca.rootDer] });
    expect(report.problems).toEqual([]);
    expect(report.valid).toBe(true);
  }, 60_000);
});
