/**
 * A PDF signed by our code, checked by real peers: poppler's pdfsig (integrity, coverage, chain via NSS),
 * OpenSSL's CMS verifier (on the byte ranges), and our own verifier.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signPdf } from '../../shared/pdf/sign-pdf';
import { verifyPdfSignatures } from '../../shared/pdf/verify-pdf';
import { ensureDemoPki } from '../../electron/services/signing/demo-pki';
import { Pkcs12KeyStore } from '../../electron/services/signing/pkcs12-keystore';
import { getTestPki, type DemoPki } from '../support/pki';
import { makeNssDb } from '../support/nss';
import { extractSignature } from '../support/signed-pdf';

const run = promisify(execFile);

let pki: DemoPki;
let work: string;
let nssDir: string;
let signed: Uint8Array;
let signedPath: string;

beforeAll(async () => {
  pki = await getTestPki();
  work = await mkdtemp(path.join(os.tmpdir(), 'motcua-signing-'));
  nssDir = await makeNssDb(pki.rootDer);

  const doc = await PDFDocument.create();
  const page = doc.addPage([595, 842]);
  page.drawText('Giay tiep nhan ho so va hen tra ket qua', { font: await doc.embedFont(StandardFonts.Helvetica), x: 50, y: 780, size: 14 });
  const keystore = new Pkcs12KeyStore({ path: pki.counterSignerP12Path, label: 'Quầy 1' });
  await keystore.unlock(pki.password);
  signed = await signPdf(doc, keystore, { reason: 'Tiếp nhận hồ sơ', location: 'UBND xã Demo', signerName: 'Bộ phận Một cửa', signingTime: new Date() });
  signedPath = path.join(work, 'signed.pdf');
  await writeFile(signedPath, signed);
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
  await rm(nssDir, { recursive: true, force: true });
});


describe('PAdES signature checked by real tools', () => {
  it('pdfsig: signature valid, certificate trusted, total document signed', async () => {
    // No -no-ocsp: Debian's poppler then reports "Unknown issue with Certificate" even for a good chain.
    const { stdout } = await run('pdfsig', ['-nssdir', nssDir, signedPath]);
    expect(stdout).toContain('Signature Type: ETSI.CAdES.detached');
    expect(stdout).toContain('Signature is Valid');
    expect(stdout).toContain('Certificate is Trusted');
    expect(stdout).toContain('Total document signed');
    expect(stdout).toContain('Bộ phận Một cửa - Demo');
  });

  it('openssl cms -verify accepts the CMS over the byte ranges, and the attributes are exactly the PAdES set', async () => {
    const { cms, content } = extractSignature(signed);
    const cmsPath = path.join(work, 'sig.der');
    const contentPath = path.join(work, 'content.bin');
    await writeFile(cmsPath, cms);
    await writeFile(contentPath, content);
    const verified = await run('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', cmsPath, '-content', contentPath, '-CAfile', pki.rootCaPemPath, '-purpose', 'any', '-out', '/dev/null']);
    expect(verified.stderr).toContain('Verification successful');

    const { stdout } = await run('openssl', ['cms', '-cmsout', '-print', '-inform', 'DER', '-in', cmsPath]);
    const attributeOids = [...stdout.matchAll(/object: (\S+) \(([\d.]+)\)/g)].map((m) => m[2]);
    expect(attributeOids.sort()).toEqual(['1.2.840.113549.1.9.16.2.47', '1.2.840.113549.1.9.3', '1.2.840.113549.1.9.4'].sort());
    expect(stdout).not.toContain('signingTime');
    expect(stdout).not.toContain('1.2.840.113549.1.9.5');
  });

  it('fails after one byte of a signed range changes (pdfsig, and our verifier)', async () => {
    const tampered = signed.slice();
    const at = Buffer.from(tampered).indexOf('Giay tiep nhan');
    const offset = at > 0 ? at : 200;
    tampered[offset] = (tampered[offset] ?? 0) ^ 0x01;
    const tamperedPath = path.join(work, 'tampered.pdf');
    await writeFile(tamperedPath, tampered);

    const report = verifyPdfSignatures(tampered, { trustAnchorsDer: [pki.rootDer] });
    expect(report.valid).toBe(false);
    expect(report.signatures[0]?.integrity).toBe('invalid');

    const result = await run('pdfsig', ['-nssdir', nssDir, tamperedPath]).catch((err: { stdout: string }) => err);
    expect(result.stdout).not.toContain('Signature is Valid');
  });

  it('our verifier: valid with the right root, untrusted with another root', async () => {
    expect(verifyPdfSignatures(signed, { trustAnchorsDer: [pki.rootDer] }).valid).toBe(true);
    const other = await ensureDemoPki(path.join(work, 'other-pki'));
    const report = verifyPdfSignatures(signed, { trustAnchorsDer: [other.rootDer] });
    expect(report.valid).toBe(false);
    expect(report.signatures[0]?.integrity).toBe('valid');
    expect(report.signatures[0]?.chain.trusted).toBe(false);
  });
});
