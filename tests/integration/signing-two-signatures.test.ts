/**
 * Two signatures on one PDF — the centre's organisational certificate (RSA) first, then the clerk's
 * personal certificate (EC P-256) as an incremental update — checked by poppler's pdfsig, qpdf and our
 * verifier. Keys sign through `openssl pkeyutl` (a real, independent signer over the given digest).
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DigestSigner } from '../../shared/cms/pades';
import { appendSignature } from '../../shared/pdf/incremental';
import { signPdf } from '../../shared/pdf/sign-pdf';
import { verifyPdfSignatures } from '../../shared/pdf/verify-pdf';
import { makeNssDb } from '../support/nss';
import { createTestCa, type IssuedCert, type TestCa } from '../support/test-ca';

const run = promisify(execFile);

/** A DigestSigner over a key file: `openssl pkeyutl` signs the 32-byte digest as given (no second hash). */
function opensslSigner(cert: IssuedCert, rootDer: Uint8Array, key: 'rsa' | 'ec'): DigestSigner {
  return {
    chainDer: [cert.certDer, rootDer],
    signDigest: (digest) =>
      new Promise((resolve, reject) => {
        const args = ['pkeyutl', '-sign', '-inkey', cert.keyPath, ...(key === 'rsa' ? ['-pkeyopt', 'digest:sha256'] : [])];
        const child = spawn('openssl', args);
        const chunks: Buffer[] = [];
        child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
        child.on('error', reject);
        child.on('close', (code) => {
          if (code !== 0) reject(new Error(`openssl pkeyutl exited with ${code}`));
          else resolve({ signature: new Uint8Array(Buffer.concat(chunks)), algorithm: key === 'rsa' ? 'rsa-pkcs1-v1_5-sha256' : 'ecdsa-sha256' });
        });
        child.stdin.end(Buffer.from(digest));
      }),
  };
}

let ca: TestCa;
let work: string;
let nssDir: string;
let once: Uint8Array;
let twice: Uint8Array;
let twicePath: string;

/** Taken when signing: the test root is made "now" (to the second), and /M must not precede it. */
const signOpts = (): { reason: string; location: string; signingTime: Date } => ({ reason: 'Sao y bản chính', location: 'UBND xã Demo', signingTime: new Date(Date.now() + 1000) });

beforeAll(async () => {
  ca = await createTestCa();
  work = await mkdtemp(path.join(os.tmpdir(), 'motcua-two-sigs-'));
  nssDir = await makeNssDb(ca.rootDer);
  const organisation = await ca.issue({ commonName: 'Trung tâm Phục vụ hành chính công', organisation: 'UBND tỉnh Demo', keyType: 'rsa' });
  const clerk = await ca.issue({ commonName: 'Nguyễn Thị Lan', organisation: 'UBND tỉnh Demo', keyType: 'ec-p256' });

  const doc = await PDFDocument.create();
  const page = doc.addPage([595, 842]);
  page.drawText('Ban sao dien tu', { font: await doc.embedFont(StandardFonts.Helvetica), x: 50, y: 780, size: 14 });
  once = await signPdf(doc, opensslSigner(organisation, ca.rootDer, 'rsa'), { ...signOpts(), signerName: 'Trung tâm Phục vụ hành chính công' });
  twice = await appendSignature(once, opensslSigner(clerk, ca.rootDer, 'ec'), { ...signOpts(), signerName: 'Nguyễn Thị Lan', reason: 'Người tiếp nhận' });
  twicePath = path.join(work, 'two-signatures.pdf');
  await writeFile(twicePath, twice);
}, 60_000);

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
  await rm(nssDir, { recursive: true, force: true });
  await rm(ca.dir, { recursive: true, force: true });
});

function pdfsigBlocks(stdout: string): string[] {
  return stdout.split(/^Signature #\d+:$/m).slice(1);
}

describe('a second signature as an incremental update', () => {
  it('keeps every byte of the first revision', () => {
    expect(twice.length).toBeGreaterThan(once.length);
    expect(Buffer.from(twice.subarray(0, once.length)).equals(Buffer.from(once))).toBe(true);
  });

  it('pdfsig: two signatures, both valid and trusted; the first partial, the second total', async () => {
    const { stdout } = await run('pdfsig', ['-nssdir', nssDir, twicePath]);
    const blocks = pdfsigBlocks(stdout);
    expect(blocks).toHaveLength(2);
    for (const block of blocks) {
      expect(block).toContain('Signature is Valid');
      expect(block).toContain('Certificate is Trusted');
    }
    expect(blocks[0]).toContain('Trung tâm Phục vụ hành chính công');
    expect(blocks[0]).not.toContain('Total document signed');
    expect(blocks[1]).toContain('Nguyễn Thị Lan');
    expect(blocks[1]).toContain('Total document signed');
  });

  it('qpdf --check finds no problem in the structure', async () => {
    const { stdout } = await run('qpdf', ['--check', twicePath]);
    expect(stdout).toContain('No syntax or stream encoding errors found');
  });

  it('our verifier: valid, revisions 1 and 2, and only signature objects changed after the first', () => {
    const report = verifyPdfSignatures(twice, { trustAnchorsDer: [ca.rootDer] });
    expect(report.problems).toEqual([]);
    expect(report.valid).toBe(true);
    const [first, second] = report.signatures;
    expect(first).toMatchObject({ revision: 1, integrity: 'valid', chain: { trusted: true }, coversWholeDocument: false, changesAfter: 'signatures-only' });
    expect(second).toMatchObject({ revision: 2, integrity: 'valid', chain: { trusted: true }, coversWholeDocument: true, changesAfter: 'none' });
    expect(first?.coveredBytes).toBe(once.length - ((first?.byteRange[2] ?? 0) - (first?.byteRange[1] ?? 0)));
    const kinds = new Set(first?.laterRevisions.flatMap((r) => r.objects.map((o) => o.kind)));
    expect([...kinds].sort()).toEqual(['catalog', 'page', 'signature', 'signature-field']);
    expect(second?.laterRevisions).toEqual([]);
  });

  it('a changed byte inside the appended revision breaks only the second signature', async () => {
    const tampered = twice.slice();
    const text = Buffer.from(tampered).toString('latin1');
    const at = text.indexOf('/Reason', once.length);
    expect(at).toBeGreaterThan(once.length);
    tampered[at + 1] = 'S'.charCodeAt(0); // "/Reason" → "/Season"
    const tamperedPath = path.join(work, 'tampered.pdf');
    await writeFile(tamperedPath, tampered);

    const report = verifyPdfSignatures(tampered, { trustAnchorsDer: [ca.rootDer] });
    expect(report.valid).toBe(false);
    expect(report.signatures[0]?.integrity).toBe('valid');
    expect(report.signatures[1]?.integrity).toBe('invalid');

    const result = await run('pdfsig', ['-nssdir', nssDir, tamperedPath]).catch((err: { stdout: string }) => err);
    const blocks = pdfsigBlocks(result.stdout);
    expect(blocks[0]).toContain('Signature is Valid');
    expect(blocks[1]).not.toContain('Signature is Valid');
  });

  it('refuses a file whose last cross-reference section is a stream, without changing it', async () => {
    const doc = await PDFDocument.create();
    doc.addPage([200, 200]);
    const withXrefStream = await doc.save({ useObjectStreams: true });
    const copy = withXrefStream.slice();
    const clerk = opensslSigner(await ca.issue({ commonName: 'Clerk', keyType: 'ec-p256' }), ca.rootDer, 'ec');
    await expect(appendSignature(withXrefStream, clerk, { ...signOpts(), signerName: 'Clerk' })).rejects.toMatchObject({ code: 'PDF_INCREMENTAL_UNSUPPORTED' });
    expect(Buffer.from(withXrefStream).equals(Buffer.from(copy))).toBe(true);
  });

  it('the reverse order (personal first, organisation second) is valid too, and keeps the file readable by pdf-lib', async () => {
    const organisation = opensslSigner(await ca.issue({ commonName: 'Trung tâm', keyType: 'rsa' }), ca.rootDer, 'rsa');
    const clerk = opensslSigner(await ca.issue({ commonName: 'Cán bộ', keyType: 'ec-p256' }), ca.rootDer, 'ec');
    const doc = await PDFDocument.create();
    doc.addPage([300, 300]);
    const first = await signPdf(doc, clerk, { ...signOpts(), signerName: 'Cán bộ' });
    const second = await appendSignature(first, organisation, { ...signOpts(), signerName: 'Trung tâm' });
    expect(verifyPdfSignatures(second, { trustAnchorsDer: [ca.rootDer] }).valid).toBe(true);
    const reloaded = await PDFDocument.load(second);
    expect(reloaded.getForm().getFields().map((f) => f.getName())).toEqual(['Signature1', 'Signature2']);
    const p = path.join(work, 'reverse.pdf');
    await writeFile(p, second);
    expect(Buffer.from(await readFile(p)).length).toBe(second.length);
  });
});
