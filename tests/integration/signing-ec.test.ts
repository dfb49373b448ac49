/**
 * ECDSA end to end: P-256 and P-384 keys sign through `openssl pkeyutl` (over the digest as given — node's
 * crypto.sign would hash the digest a second time), our verifier checks with @noble/curves, and poppler's
 * pdfsig and OpenSSL's CMS verifier agree. A fully EC chain (EC root → EC intermediate → EC leaf) checks the
 * certificate signatures that node-forge cannot read.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DigestSigner } from '../../shared/cms/pades';
import { signPdf } from '../../shared/pdf/sign-pdf';
import { verifyPdfSignatures } from '../../shared/pdf/verify-pdf';
import { makeNssDb } from '../support/nss';
import { createTestCa, type TestCa } from '../support/test-ca';
import { extractSignature } from '../support/signed-pdf';

const run = promisify(execFile);

function pkeyutlSigner(keyPath: string, chainDer: Uint8Array[]): DigestSigner {
  return {
    chainDer,
    signDigest: (digest) =>
      new Promise((resolve, reject) => {
        const child = spawn('openssl', ['pkeyutl', '-sign', '-inkey', keyPath]);
        const chunks: Buffer[] = [];
        child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
        child.on('error', reject);
        child.on('close', (code) => (code === 0 ? resolve({ signature: new Uint8Array(Buffer.concat(chunks)), algorithm: 'ecdsa-sha256' }) : reject(new Error(`openssl exited ${code}`))));
        child.stdin.end(Buffer.from(digest));
      }),
  };
}

async function pdfToSign(): Promise<PDFDocument> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([595, 842]);
  page.drawText('Ban sao ky bang khoa EC', { font: await doc.embedFont(StandardFonts.Helvetica), x: 50, y: 780, size: 14 });
  return doc;
}

/** Signing time taken at the moment of signing: the all-EC chain's certificates start "now". */
const signOpts = (): { reason: string; location: string; signerName: string; signingTime: Date } => ({ reason: 'Sao y', location: 'UBND xã Demo', signerName: 'Cán bộ một cửa', signingTime: new Date(Date.now() + 2000) });

let ca: TestCa;
let work: string;
let nssDir: string;

beforeAll(async () => {
  ca = await createTestCa();
  work = await mkdtemp(path.join(os.tmpdir(), 'motcua-ec-'));
  nssDir = await makeNssDb(ca.rootDer);
}, 30_000);

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
  await rm(nssDir, { recursive: true, force: true });
  await rm(ca.dir, { recursive: true, force: true });
});


describe.each(['ec-p256', 'ec-p384'] as const)('PAdES with an %s key', (keyType) => {
  let signed: Uint8Array;
  let signedPath: string;

  beforeAll(async () => {
    const cert = await ca.issue({ commonName: `Cán bộ ${keyType}`, organisation: 'UBND xã Demo', keyType });
    signed = await signPdf(await pdfToSign(), pkeyutlSigner(cert.keyPath, [cert.certDer, ca.rootDer]), signOpts());
    signedPath = path.join(work, `${keyType}.pdf`);
    await writeFile(signedPath, signed);
  });

  it('our verifier: valid, trusted, PAdES baseline', () => {
    const report = verifyPdfSignatures(signed, { trustAnchorsDer: [ca.rootDer] });
    expect(report.signatures[0]?.problems).toEqual([]);
    expect(report.problems).toEqual([]);
    expect(report.valid).toBe(true);
    expect(report.signatures[0]).toMatchObject({ integrity: 'valid', chain: { trusted: true }, padesBaselineB: true, revision: 1, changesAfter: 'none' });
  });

  it('pdfsig: valid, trusted, total document; openssl cms -verify agrees', async () => {
    const { stdout } = await run('pdfsig', ['-nssdir', nssDir, signedPath]);
    expect(stdout).toContain('Signature is Valid');
    expect(stdout).toContain('Certificate is Trusted');
    expect(stdout).toContain('Total document signed');
    const { cms, content } = extractSignature(signed);
    await writeFile(path.join(work, `${keyType}.p7s`), cms);
    await writeFile(path.join(work, `${keyType}.bin`), content);
    const verified = await run('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', path.join(work, `${keyType}.p7s`), '-content', path.join(work, `${keyType}.bin`), '-CAfile', ca.rootCertPath, '-purpose', 'any', '-out', '/dev/null']);
    expect(verified.stderr).toContain('Verification successful');
  });

  it('a flipped byte in the signed range makes both verifiers fail', async () => {
    const tampered = signed.slice();
    const at = Buffer.from(tampered).indexOf('/MediaBox');
    tampered[at + 1] = 'm'.charCodeAt(0);
    const tamperedPath = path.join(work, `${keyType}-tampered.pdf`);
    await writeFile(tamperedPath, tampered);
    const report = verifyPdfSignatures(tampered, { trustAnchorsDer: [ca.rootDer] });
    expect(report.valid).toBe(false);
    expect(report.signatures[0]?.integrity).toBe('invalid');
    const result = await run('pdfsig', ['-nssdir', nssDir, tamperedPath]).catch((err: { stdout: string }) => err);
    expect(result.stdout).not.toContain('Signature is Valid');
  });

  it('a flipped byte in the ECDSA signature value is caught', () => {
    const { cms } = extractSignature(signed);
    const text = Buffer.from(signed).toString('latin1');
    const contentsAt = text.indexOf('/Contents <') + '/Contents <'.length;
    // The ECDSA-Sig-Value ends the CMS: change its last byte (two hex digits before the zero padding).
    const lastHex = contentsAt + cms.length * 2 - 2;
    const tampered = signed.slice();
    tampered[lastHex] = tampered[lastHex] === 0x30 ? 0x31 : 0x30;
    const report = verifyPdfSignatures(tampered, { trustAnchorsDer: [ca.rootDer] });
    expect(report.signatures[0]?.integrity).toBe('invalid');
    expect(report.signatures[0]?.problems.join(' ')).toMatch(/does not verify/);
  });
});

describe('an all-EC chain: EC root (P-384, ecdsa-with-SHA384) → EC intermediate → EC leaf', () => {
  it('is trusted by our verifier and by pdfsig; another EC root is not trusted', async () => {
    const dir = await mkdtemp(path.join(work, 'ecpki-'));
    const file = (name: string): string => path.join(dir, name);
    await writeFile(file('ca.ext'), 'basicConstraints=critical,CA:true\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n');
    await writeFile(file('leaf.ext'), 'basicConstraints=critical,CA:false\nkeyUsage=critical,digitalSignature,nonRepudiation\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n');
    const newRoot = async (name: string): Promise<void> => {
      await run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-384', '-nodes', '-keyout', file(`${name}.key`), '-out', file(`${name}.pem`), '-subj', `/CN=${name}`, '-days', '30', '-sha384', '-addext', 'basicConstraints=critical,CA:true', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
      await run('openssl', ['x509', '-in', file(`${name}.pem`), '-outform', 'DER', '-out', file(`${name}.der`)]);
    };
    const issue = async (name: string, issuer: string, ext: string, digest: string): Promise<void> => {
      await run('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', file(`${name}.key`), '-out', file(`${name}.csr`), '-subj', `/CN=${name}`]);
      await run('openssl', ['x509', '-req', '-in', file(`${name}.csr`), '-CA', file(`${issuer}.pem`), '-CAkey', file(`${issuer}.key`), '-CAcreateserial', '-days', '10', `-${digest}`, '-extfile', file(ext), '-out', file(`${name}.pem`)]);
      await run('openssl', ['x509', '-in', file(`${name}.pem`), '-outform', 'DER', '-out', file(`${name}.der`)]);
    };
    await newRoot('EC Root');
    await newRoot('Other EC Root');
    await issue('EC Intermediate', 'EC Root', 'ca.ext', 'sha384');
    await issue('EC Leaf', 'EC Intermediate', 'leaf.ext', 'sha256');
    const der = async (name: string): Promise<Uint8Array> => new Uint8Array(await readFile(file(`${name}.der`)));

    const signer = pkeyutlSigner(file('EC Leaf.key'), [await der('EC Leaf'), await der('EC Intermediate')]);
    const signed = await signPdf(await pdfToSign(), signer, signOpts());
    const report = verifyPdfSignatures(signed, { trustAnchorsDer: [await der('EC Root')] });
    expect(report.signatures[0]?.problems).toEqual([]);
    expect(report.problems).toEqual([]);
    expect(report.valid).toBe(true);
    const other = verifyPdfSignatures(signed, { trustAnchorsDer: [await der('Other EC Root')] });
    expect(other.valid).toBe(false);
    expect(other.signatures[0]?.chain.trusted).toBe(false);

    const ecNss = await makeNssDb(await der('EC Root'));
    try {
      const signedPath = path.join(dir, 'signed.pdf');
      await writeFile(signedPath, signed);
      const { stdout } = await run('pdfsig', ['-nssdir', ecNss, signedPath]);
      expect(stdout).toContain('Signature is Valid');
      expect(stdout).toContain('Certificate is Trusted');
    } finally {
      await rm(ecNss, { recursive: true, force: true });
    }
  });
});
