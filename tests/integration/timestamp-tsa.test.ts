/**
 * Signing offline, timestamping later: a PDF signed with a test-CA key gets an RFC 3161 signature
 * time-stamp from a local TSA run by the real `openssl ts -reply`, written into /Contents in place. Checked
 * by pdfsig, `openssl cms -verify`, `openssl ts -verify` and our own verifier; TSA faults leave the file as
 * it was; `motcua timestamp` end to end as a real process.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import forge from 'node-forge';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';
import { inspectCmsSignature, verifyTimeStampToken } from '../../shared/cms/timestamp';
import { appendSignature } from '../../shared/pdf/incremental';
import { signPdf } from '../../shared/pdf/sign-pdf';
import { verifyPdfSignatures } from '../../shared/pdf/verify-pdf';
import { listSignatureSlots, signatureNeedsTimestamp, timestampPdfSignature } from '../../shared/pdf/timestamp-pdf';
import { Pkcs12KeyStore } from '../../electron/services/signing/pkcs12-keystore';
import { createTsaClient } from '../../electron/services/signing/tsa-client';
import { createTestCa, type TestCa } from '../support/test-ca';
import { makeNssDb } from '../support/nss';
import { startTestTsa, type TestTsa } from '../support/tsa';

const run = promisify(execFile);
const repoRoot = path.resolve(import.meta.dirname, '..', '..');

let ca: TestCa;
let work: string;
let nssDir: string;
let rsaTsa: TestTsa;
let ecTsa: TestTsa;
let keystore: Pkcs12KeyStore;
let signed: Uint8Array;
let stamped: Uint8Array;

const parse = (der: Uint8Array): forge.asn1.Asn1 =>
  forge.asn1.fromDer(Buffer.from(der).toString('latin1'), { strict: true, parseAllBytes: true, decodeBitStrings: false } as unknown as boolean);
const kids = (node: forge.asn1.Asn1 | undefined): forge.asn1.Asn1[] => (node && Array.isArray(node.value) ? node.value : []);

async function makeSignedPdf(placeholderBytes?: number): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([595, 842]);
  page.drawText('Giay tiep nhan ho so', { font: await doc.embedFont(StandardFonts.Helvetica), x: 50, y: 780, size: 14 });
  return signPdf(doc, keystore, { reason: 'Tiếp nhận hồ sơ', location: 'UBND xã Thử', signerName: 'Bộ phận Một cửa', signingTime: new Date(), placeholderBytes });
}

/** [b, c): the /Contents hex string, '<' and '>' included. */
function contentsGap(pdf: Uint8Array): [number, number] {
  const slot = listSignatureSlots(pdf).at(-1);
  if (!slot) throw new Error('no signature');
  return [slot.byteRange[1], slot.byteRange[2]];
}

function cmsOf(pdf: Uint8Array): Uint8Array {
  const der = listSignatureSlots(pdf).at(-1)?.cmsDer;
  if (!der) throw new Error('no CMS');
  return der;
}

async function expectAppError(promise: Promise<unknown>, code: string): Promise<AppError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).code).toBe(code);
  return err as AppError;
}

beforeAll(async () => {
  ca = await createTestCa();
  work = await mkdtemp(path.join(os.tmpdir(), 'motcua-timestamp-'));
  const signer = await ca.issue({ commonName: 'Bộ phận Một cửa - Thử', organisation: 'UBND xã Thử', usage: 'signing' });
  [nssDir, rsaTsa, ecTsa] = await Promise.all([makeNssDb(ca.rootDer), startTestTsa(ca), startTestTsa(ca, { keyType: 'ec-p256' })]);
  keystore = new Pkcs12KeyStore({ path: await signer.p12('pw'), label: 'Quầy thử' });
  await keystore.unlock('pw');
  signed = await makeSignedPdf();
  stamped = await timestampPdfSignature(signed, createTsaClient({ url: rsaTsa.url }), { trustAnchorsDer: [ca.rootDer] });
});

afterAll(async () => {
  keystore.lock();
  await Promise.all([rsaTsa.stop(), ecTsa.stop()]);
  await rm(work, { recursive: true, force: true });
  await rm(nssDir, { recursive: true, force: true });
  await rm(ca.dir, { recursive: true, force: true });
});

describe('timestampPdfSignature with a real OpenSSL TSA', () => {
  it('changes only the /Contents hex: same length, every byte outside it identical', () => {
    expect(stamped.length).toBe(signed.length);
    const [b, c] = contentsGap(signed);
    expect(contentsGap(stamped)).toEqual([b, c]);
    expect(Buffer.from(stamped.subarray(0, b + 1)).equals(Buffer.from(signed.subarray(0, b + 1)))).toBe(true);
    expect(Buffer.from(stamped.subarray(c - 1)).equals(Buffer.from(signed.subarray(c - 1)))).toBe(true);
    expect(Buffer.from(stamped).equals(Buffer.from(signed))).toBe(false);
    expect(signatureNeedsTimestamp(signed)).toEqual([true]);
    expect(signatureNeedsTimestamp(stamped)).toEqual([false]);
  });

  it('pdfsig: still valid, trusted, total document signed', async () => {
    const file = path.join(work, 'stamped.pdf');
    await writeFile(file, stamped);
    const { stdout } = await run('pdfsig', ['-nssdir', nssDir, file]);
    expect(stdout).toContain('Signature Type: ETSI.CAdES.detached');
    expect(stdout).toContain('Signature is Valid');
    expect(stdout).toContain('Certificate is Trusted');
    expect(stdout).toContain('Total document signed');
    // poppler 22.12 prints nothing about the RFC 3161 token; "Signing Time" is still /M.
    // Our own verifier too, and it reports the time-stamp (absent before, valid and trusted after).
    const report = verifyPdfSignatures(stamped, { trustAnchorsDer: [ca.rootDer] });
    expect(report.valid).toBe(true);
    expect(report.signatures[0]?.timestamp).toMatchObject({ valid: true, chain: { trusted: true } });
    expect(Math.abs(Date.parse(report.signatures[0]?.timestamp?.time ?? '') - Date.now())).toBeLessThan(120_000);
    expect(verifyPdfSignatures(signed, { trustAnchorsDer: [ca.rootDer] }).signatures[0]?.timestamp).toBeUndefined();
  });

  it('openssl cms -verify still accepts the CMS; signed attributes and signature are byte-identical', async () => {
    const before = cmsOf(signed);
    const after = cmsOf(stamped);
    const [, b, c, d] = listSignatureSlots(stamped)[0]?.byteRange ?? [0, 0, 0, 0];
    const cmsPath = path.join(work, 'stamped.p7s');
    const contentPath = path.join(work, 'content.bin');
    await writeFile(cmsPath, after);
    await writeFile(contentPath, Buffer.concat([stamped.subarray(0, b), stamped.subarray(c, c + d)]));
    const verified = await run('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', cmsPath, '-content', contentPath, '-CAfile', ca.rootCertPath, '-purpose', 'any', '-out', '/dev/null']);
    expect(verified.stderr).toContain('Verification successful');

    const printed = await run('openssl', ['cms', '-cmsout', '-print', '-inform', 'DER', '-in', cmsPath]);
    expect(printed.stdout).toContain('id-smime-aa-timeStampToken');
    // Without the new unsigned attribute, the new CMS is the old one, byte for byte.
    const withoutUnsigned = parse(after);
    const signerInfo = kids(kids(kids(kids(withoutUnsigned)[1])[0]).at(-1))[0];
    const last = kids(signerInfo).at(-1);
    expect(last?.tagClass).toBe(forge.asn1.Class.CONTEXT_SPECIFIC);
    expect(last?.type).toBe(1);
    kids(signerInfo).pop();
    expect(Buffer.from(forge.asn1.toDer(withoutUnsigned).getBytes(), 'latin1').equals(Buffer.from(before))).toBe(true);
  });

  it('openssl ts -verify accepts the token from the unsigned attribute against SHA-256(signature value)', async () => {
    const { signatureValue, timeStampTokens } = inspectCmsSignature(cmsOf(stamped));
    expect(timeStampTokens).toHaveLength(1);
    const tokenPath = path.join(work, 'token.der');
    await writeFile(tokenPath, timeStampTokens[0] ?? new Uint8Array());
    const digest = createHash('sha256').update(signatureValue).digest('hex');
    const { stdout } = await run('openssl', ['ts', '-verify', '-in', tokenPath, '-token_in', '-digest', digest, '-CAfile', ca.rootCertPath]);
    expect(stdout).toContain('Verification: OK');
  });

  it('verifyTimeStampToken: valid, genTime close to now, TSA named; invalid for other data or other roots', async () => {
    const { signatureValue, timeStampTokens } = inspectCmsSignature(cmsOf(stamped));
    const token = timeStampTokens[0] ?? new Uint8Array();
    const result = verifyTimeStampToken(token, { signatureValue, trustAnchorsDer: [ca.rootDer] });
    expect(result.problems).toEqual([]);
    expect(result.valid).toBe(true);
    expect(Math.abs(Date.parse(result.genTime ?? '') - Date.now())).toBeLessThan(120_000);
    expect(result.tsa?.subject).toContain('CN=Motcua Test TSA');

    const otherSignature = signatureValue.slice();
    otherSignature[0] = (otherSignature[0] ?? 0) ^ 1;
    const wrongData = verifyTimeStampToken(token, { signatureValue: otherSignature, trustAnchorsDer: [ca.rootDer] });
    expect(wrongData.valid).toBe(false);
    expect(wrongData.checks.imprint).toBe(false);
    expect(wrongData.checks.signature).toBe(true);
    expect(wrongData.issues.map((i) => i.code)).toEqual(['TSP_IMPRINT_MISMATCH']);

    const otherCa = await createTestCa(work);
    const untrusted = verifyTimeStampToken(token, { signatureValue, trustAnchorsDer: [otherCa.rootDer] });
    expect(untrusted.valid).toBe(false);
    expect(untrusted.checks).toMatchObject({ imprint: true, signature: true, tsaCertificate: true, chain: false });
    // The chain failure travels as the path builder's own failure, so the screen translates it like a signer's.
    // Both test CAs bear the same name: the other root is taken as the issuer and its signature does not match.
    expect(untrusted.issues).toEqual([{ code: 'TSP_CHAIN_UNTRUSTED', failure: { kind: 'signature-invalid', subject: 'O=Motcua Test, CN=Motcua Test TSA' }, anchors: 1 }]);
    expect(untrusted.problems).toEqual([expect.stringMatching(/^TSA certificate chain not trusted: /)]);

    const tampered = token.slice();
    const genTimeAt = Buffer.from(tampered).indexOf(Buffer.from(result.genTime?.slice(0, 4) ?? '2', 'latin1'));
    tampered[genTimeAt + 3] = (tampered[genTimeAt + 3] ?? 0x30) ^ 1; // the TSTInfo year changes
    const changed = verifyTimeStampToken(tampered, { signatureValue, trustAnchorsDer: [ca.rootDer] });
    expect(changed.valid).toBe(false);
    expect(changed.checks.signature).toBe(false);
    expect(changed.issues.map((i) => i.code)).toContain('TSP_TSTINFO_CHANGED');
  });

  it('an ECDSA P-256 TSA: token verified by our verifier and by openssl, pdfsig still valid', async () => {
    const fromEc = await timestampPdfSignature(signed, createTsaClient({ url: ecTsa.url }), { trustAnchorsDer: [ca.rootDer] });
    const { signatureValue, timeStampTokens } = inspectCmsSignature(cmsOf(fromEc));
    const token = timeStampTokens[0] ?? new Uint8Array();
    expect(verifyTimeStampToken(token, { signatureValue, trustAnchorsDer: [ca.rootDer] })).toMatchObject({ valid: true, problems: [] });
    const tokenPath = path.join(work, 'token-ec.der');
    await writeFile(tokenPath, token);
    const digest = createHash('sha256').update(signatureValue).digest('hex');
    const { stdout } = await run('openssl', ['ts', '-verify', '-in', tokenPath, '-token_in', '-digest', digest, '-CAfile', ca.rootCertPath]);
    expect(stdout).toContain('Verification: OK');
    const file = path.join(work, 'stamped-ec.pdf');
    await writeFile(file, fromEc);
    const pdfsig = await run('pdfsig', ['-nssdir', nssDir, file]);
    expect(pdfsig.stdout).toContain('Signature is Valid');
    expect(pdfsig.stdout).toContain('Total document signed');
  });

  it('refuses a signature that already has a timestamp, before asking the TSA', async () => {
    const before = rsaTsa.requests;
    await expectAppError(timestampPdfSignature(stamped, createTsaClient({ url: rsaTsa.url })), 'SIGNATURE_ALREADY_TIMESTAMPED');
    expect(rsaTsa.requests).toBe(before);
  });

  it('a placeholder too small for the token: SIGNATURE_PLACEHOLDER_TOO_SMALL', async () => {
    const measured = cmsOf(signed).length;
    const tight = await makeSignedPdf(Math.max(1024, measured + 16));
    await expectAppError(timestampPdfSignature(tight, createTsaClient({ url: rsaTsa.url })), 'SIGNATURE_PLACEHOLDER_TOO_SMALL');
  });

  it('TSA faults give their own codes', async () => {
    const faulty = await startTestTsa(ca);
    const original = Buffer.from(signed);
    try {
      const client = createTsaClient({ url: faulty.url });
      faulty.mode = 'http-500';
      await expectAppError(timestampPdfSignature(signed, client), 'TSA_UNREACHABLE');
      faulty.mode = 'garbage';
      await expectAppError(timestampPdfSignature(signed, client), 'TSA_BAD_RESPONSE');
      faulty.mode = 'wrong-imprint';
      const wrong = await expectAppError(timestampPdfSignature(signed, client), 'TSA_BAD_RESPONSE');
      expect(String(wrong.details.reason)).toContain('imprint');
      faulty.mode = 'rejection';
      const rejected = await expectAppError(timestampPdfSignature(signed, client), 'TSA_REJECTED');
      expect(rejected.details).toMatchObject({ status: 'rejection', failInfo: 'badAlg' });
    } finally {
      await faulty.stop();
    }
    // Nobody listening on the port any more.
    await expectAppError(timestampPdfSignature(signed, createTsaClient({ url: faulty.url, timeoutMs: 5000 })), 'TSA_UNREACHABLE');
    expect(Buffer.from(signed).equals(original)).toBe(true);
  });

  it('refuses a TSA outside the trust anchors when anchors are given', async () => {
    const otherCa = await createTestCa(work);
    const foreignTsa = await startTestTsa(otherCa);
    try {
      const err = await expectAppError(timestampPdfSignature(signed, createTsaClient({ url: foreignTsa.url }), { trustAnchorsDer: [ca.rootDer] }), 'TSA_BAD_RESPONSE');
      expect(String(err.details.reason)).toContain('chain');
    } finally {
      await foreignTsa.stop();
    }
  });
});

describe('two signatures (incremental update by the "pdf" helper)', () => {
  it('the last signature is timestamped and both stay valid; the first is refused untouched', async () => {
    // A second certificate, as in the real flow (centre, then clerk): pdfsig 22.12 reports "Unknown issue
    // with Certificate" when one certificate signs twice, timestamp or not.
    const clerk = new Pkcs12KeyStore({ path: await (await ca.issue({ commonName: 'Nguyễn Thị Lan', usage: 'signing' })).p12('pw'), label: 'Cán bộ' });
    await clerk.unlock('pw');
    const twice = await appendSignature(signed, clerk, { reason: 'Người tiếp nhận', location: 'UBND xã Thử', signerName: 'Nguyễn Thị Lan', signingTime: new Date() });
    clerk.lock();
    expect(signatureNeedsTimestamp(twice)).toEqual([false, true]);
    await expectAppError(timestampPdfSignature(twice, createTsaClient({ url: rsaTsa.url }), { signatureIndex: 0 }), 'SIGNATURE_TIMESTAMP_BREAKS_LATER_SIGNATURE');
    const stampedTwice = await timestampPdfSignature(twice, createTsaClient({ url: rsaTsa.url }), { trustAnchorsDer: [ca.rootDer] });
    expect(signatureNeedsTimestamp(stampedTwice)).toEqual([false, false]);
    const file = path.join(work, 'twice.pdf');
    await writeFile(file, stampedTwice);
    const { stdout } = await run('pdfsig', ['-nssdir', nssDir, file]);
    expect(stdout.match(/Signature is Valid/g)).toHaveLength(2);
    expect(stdout.match(/Certificate is Trusted/g)).toHaveLength(2);
    expect(stdout).toContain('Total document signed');
  });
});

describe('motcua timestamp (real process)', () => {
  interface Result {
    code: number;
    stdout: string;
    stderr: string;
  }
  // The lead adds the command to the dispatcher; until then the module is run directly through tsx.
  const script = `import('tsx/esm/api').then(({ register }) => { register(); return import('./electron/cli/commands/timestamp.ts'); }).then((m) => m.run(process.argv.slice(1))).then((code) => { process.exitCode = code; });`;
  async function motcuaTimestamp(args: string[]): Promise<Result> {
    try {
      const { stdout, stderr } = await run(process.execPath, ['-e', script, ...args], { cwd: repoRoot });
      return { code: 0, stdout, stderr };
    } catch (err) {
      const e = err as { code?: number; stdout?: string; stderr?: string };
      return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
    }
  }

  it('timestamps in place; a TSA failure leaves the file unchanged with a Vietnamese message; usage errors exit 2', async () => {
    const file = path.join(work, 'cli.pdf');
    await writeFile(file, signed);

    const faulty = await startTestTsa(ca);
    const expectedText = { 'http-500': 'Chưa lấy được dấu thời gian', garbage: 'trả lời không hợp lệ', 'wrong-imprint': 'message imprint mismatch' } as const;
    try {
      for (const [mode, text] of Object.entries(expectedText)) {
        faulty.mode = mode as keyof typeof expectedText;
        const failed = await motcuaTimestamp([file, '--tsa', faulty.url]);
        expect(failed.code).toBe(1);
        expect(failed.stderr).toContain(text);
        expect(Buffer.from(await readFile(file)).equals(Buffer.from(signed))).toBe(true);
      }
    } finally {
      await faulty.stop();
    }

    const rootPem = ca.rootCertPath;
    const ok = await motcuaTimestamp([file, '--tsa', rsaTsa.url, '--trust', rootPem]);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('Đã gắn dấu thời gian vào chữ ký thứ 1');
    const after = new Uint8Array(await readFile(file));
    expect(after.length).toBe(signed.length);
    expect(signatureNeedsTimestamp(after)).toEqual([false]);
    const { stdout } = await run('pdfsig', ['-nssdir', nssDir, file]);
    expect(stdout).toContain('Signature is Valid');
    expect(stdout).toContain('Total document signed');

    const again = await motcuaTimestamp([file, '--tsa', rsaTsa.url, '--out', path.join(work, 'again.pdf')]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('đã có dấu thời gian');

    expect((await motcuaTimestamp([file])).code).toBe(2);
  });
});
