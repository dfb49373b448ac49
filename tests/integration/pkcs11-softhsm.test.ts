/**
 * The PKCS#11 key store against a real token: SoftHSM2 holding an RSA and an EC P-256 key with
 * certificates from the OpenSSL test CA. Signed PDFs are judged by pdfsig (NSS trusting the test root) and
 * `openssl cms -verify`; failures (wrong PIN, token removed, driver missing) by their codes and by the CLI
 * leaving no output file. SoftHSM2 does not count PIN tries down to a lock: after a wrong PIN it sets
 * CKF_USER_PIN_COUNT_LOW only, so 'final-try' and 'locked' are covered by the unit tests of the flag mapping.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { access, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signPdf } from '../../shared/pdf/sign-pdf';
import { listTokens, Pkcs11KeyStore } from '../../electron/services/signing/pkcs11-keystore';
import { createTestCa, type IssuedCert, type TestCa } from '../support/test-ca';
import { makeNssDb } from '../support/nss';
import { createSoftHsmToken, SOFTHSM_LIBRARY, type SoftHsmToken } from '../support/softhsm';
import { extractSignature } from '../support/signed-pdf';

const run = promisify(execFile);
const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const motcuaBin = path.join(repoRoot, 'electron', 'cli', 'bin.mjs');
const TOKEN = 'Quầy 1 - Token';
const PIN = '246810';

let ca: TestCa;
let rsaCert: IssuedCert;
let ecCert: IssuedCert;
let token: SoftHsmToken;
let nssDir: string;
let work: string;
let inputPdf: Uint8Array;

beforeAll(async () => {
  ca = await createTestCa();
  [rsaCert, ecCert] = await Promise.all([
    ca.issue({ commonName: 'Nguyễn Thị Tiếp Nhận', organisation: 'UBND xã Thử Nghiệm', keyType: 'rsa' }),
    ca.issue({ commonName: 'Bộ phận Một cửa EC', organisation: 'UBND xã Thử Nghiệm', keyType: 'ec-p256' }),
  ]);
  token = await createSoftHsmToken({
    label: TOKEN,
    userPin: PIN,
    soPin: '13579135',
    keys: [
      { label: 'ky-rsa', id: '01', keyPath: rsaCert.keyPath, certDer: rsaCert.certDer },
      { label: 'ky-ec', id: '02', keyPath: ecCert.keyPath, certDer: ecCert.certDer },
    ],
    caCertificates: [{ label: 'Root CA', id: 'ca01', certDer: ca.rootDer }],
  });
  // The library reads SOFTHSM2_CONF at C_Initialize from this process's environment (the worker shares it).
  process.env.SOFTHSM2_CONF = token.env.SOFTHSM2_CONF;
  nssDir = await makeNssDb(ca.rootDer);
  work = await mkdtemp(path.join(os.tmpdir(), 'motcua-pkcs11-'));
  const doc = await PDFDocument.create();
  doc.addPage([595, 842]).drawText('Giấy tiếp nhận hồ sơ'.normalize('NFD').replace(/[^\x20-\x7e]/g, ''), { x: 50, y: 780, size: 12 });
  inputPdf = await doc.save();
  await writeFile(path.join(work, 'in.pdf'), inputPdf);
});

afterAll(async () => {
  await token?.cleanup();
  await rm(work, { recursive: true, force: true });
  await rm(nssDir, { recursive: true, force: true });
  await rm(ca.dir, { recursive: true, force: true });
});

const exists = (file: string): Promise<boolean> => access(file).then(() => true, () => false);


async function expectValidEverywhere(signed: Uint8Array, name: string, signerCn: string): Promise<void> {
  const file = path.join(work, `${name}.pdf`);
  await writeFile(file, signed);
  const { stdout } = await run('pdfsig', ['-nssdir', nssDir, file]);
  expect(stdout).toContain('Signature is Valid');
  expect(stdout).toContain('Certificate is Trusted');
  expect(stdout).toContain('Total document signed');
  expect(stdout).toContain(signerCn);

  const { cms, content } = extractSignature(signed);
  await writeFile(path.join(work, `${name}.p7s`), cms);
  await writeFile(path.join(work, `${name}.content`), content);
  const verified = await run('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', path.join(work, `${name}.p7s`), '-content', path.join(work, `${name}.content`), '-CAfile', ca.rootCertPath, '-purpose', 'any', '-out', '/dev/null']);
  expect(verified.stderr).toContain('Verification successful');
}

const nodeDigest = (parts: readonly Uint8Array[]): Promise<Uint8Array> => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return Promise.resolve(new Uint8Array(hash.digest()));
};

describe('listTokens', () => {
  it('finds the token by label with its certificates, without a PIN', async () => {
    const tokens = await listTokens(SOFTHSM_LIBRARY);
    const ours = tokens.find((t) => t.label === TOKEN);
    expect(ours).toMatchObject({ manufacturer: 'SoftHSM project', model: 'SoftHSM v2', pinState: 'ok' });
    expect(ours?.serial).toMatch(/^[0-9a-f]{16}$/);
    expect(ours?.certificates.map((c) => [c.label, c.id, c.subject]).sort()).toEqual([
      ['Root CA', 'ca01', 'O=Motcua Test, CN=Motcua Test Root CA'],
      ['ky-ec', '02', 'O=UBND xã Thử Nghiệm, CN=Bộ phận Một cửa EC'],
      ['ky-rsa', '01', 'O=UBND xã Thử Nghiệm, CN=Nguyễn Thị Tiếp Nhận'],
    ]);
  });
});

describe('Pkcs11KeyStore with SoftHSM2', () => {
  it('signs a PDF with the RSA key: pdfsig and openssl cms accept it', async () => {
    const store = new Pkcs11KeyStore({ library: SOFTHSM_LIBRARY, tokenLabel: TOKEN, keyLabel: 'ky-rsa', label: 'USB token quầy 1' });
    expect(store.status()).toEqual({ state: 'locked', keystoreLabel: 'USB token quầy 1', keystoreKind: 'pkcs11' });
    try {
      const status = await store.unlock(PIN);
      expect(status).toMatchObject({ state: 'unlocked', keystoreKind: 'pkcs11', pinState: 'ok', certificate: { keyAlgorithm: 'rsa' } });
      // The root stored on the token completes the chain.
      expect(store.chainDer).toHaveLength(2);
      expect(Buffer.from(store.chainDer[1]!).equals(Buffer.from(ca.rootDer))).toBe(true);
      const signed = await signPdf(inputPdf, store, { reason: 'Tiếp nhận hồ sơ', location: 'Xã Thử Nghiệm', signerName: 'Nguyễn Thị Tiếp Nhận', signingTime: new Date(), digest: nodeDigest });
      await expectValidEverywhere(signed, 'rsa', 'Nguyễn Thị Tiếp Nhận');
    } finally {
      expect((await store.lock()).state).toBe('locked');
    }
    await expect(store.signDigest(new Uint8Array(32))).rejects.toMatchObject({ code: 'SIGNER_LOCKED' });
  });

  it('signs a PDF with the EC P-256 key (CKM_ECDSA, r‖s → DER): pdfsig and openssl cms accept it', async () => {
    const store = new Pkcs11KeyStore({ library: SOFTHSM_LIBRARY, tokenLabel: TOKEN, keyId: '02', label: 'USB token quầy 1' });
    try {
      const status = await store.unlock(PIN);
      expect(status).toMatchObject({ state: 'unlocked', certificate: { keyAlgorithm: 'ec' } });
      const signature = await store.signDigest(new Uint8Array(32).fill(7));
      expect(signature.algorithm).toBe('ecdsa-sha256');
      expect(signature.signature[0]).toBe(0x30);
      const signed = await signPdf(inputPdf, store, { reason: 'Tiếp nhận hồ sơ', location: '', signerName: 'Bộ phận Một cửa EC', signingTime: new Date(), digest: nodeDigest });
      await expectValidEverywhere(signed, 'ec', 'Bộ phận Một cửa EC');
    } finally {
      await store.lock();
    }
  });

  it('refuses a wrong PIN with SIGNER_WRONG_PIN and the PIN state the token reports, then opens with the right one', async () => {
    const store = new Pkcs11KeyStore({ library: SOFTHSM_LIBRARY, tokenLabel: TOKEN, keyLabel: 'ky-rsa', label: 'Quầy 1' });
    try {
      const failure = await store.unlock('000000').catch((err: unknown) => err);
      expect(failure).toMatchObject({ code: 'SIGNER_WRONG_PIN' });
      // SoftHSM2 raises CKF_USER_PIN_COUNT_LOW after a failed login (it never locks).
      expect((failure as { details: { pinState: string } }).details.pinState).toBe('count-low');
      expect(store.status()).toMatchObject({ state: 'locked', pinState: 'count-low' });
      expect(store.chainDer).toEqual([]);
      expect((await store.unlock(PIN)).pinState).toBe('ok');
    } finally {
      await store.lock();
    }
  });

  it('reports a missing token, a missing key and a missing or broken driver by their codes', async () => {
    const noToken = new Pkcs11KeyStore({ library: SOFTHSM_LIBRARY, tokenLabel: 'Không có token này', label: 'x' });
    await expect(noToken.unlock(PIN)).rejects.toMatchObject({ code: 'SIGNER_TOKEN_ABSENT' });
    await noToken.lock();

    const noKey = new Pkcs11KeyStore({ library: SOFTHSM_LIBRARY, tokenLabel: TOKEN, keyLabel: 'không-có', label: 'x' });
    await expect(noKey.unlock(PIN)).rejects.toMatchObject({ code: 'SIGNER_NO_KEY' });
    await noKey.lock();

    const missing = new Pkcs11KeyStore({ library: path.join(work, 'vnpt-ca_csp11.so'), tokenLabel: TOKEN, label: 'x' });
    await expect(missing.unlock(PIN)).rejects.toMatchObject({ code: 'SIGNER_LIBRARY_MISSING' });
    await expect(listTokens('/usr/lib/khong-co/libkhongco.so')).rejects.toMatchObject({ code: 'SIGNER_LIBRARY_MISSING' });

    const notALibrary = path.join(work, 'not-a-library.so');
    await writeFile(notALibrary, 'this is not an ELF file');
    const broken = new Pkcs11KeyStore({ library: notALibrary, tokenLabel: TOKEN, label: 'x' });
    await expect(broken.unlock(PIN)).rejects.toMatchObject({ code: 'SIGNER_LIBRARY_MISSING' });
    await broken.lock();
  });
});

describe('motcua sign --pkcs11', () => {
  const cli = async (args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> => {
    try {
      const { stdout, stderr } = await run(process.execPath, [motcuaBin, 'sign', ...args], { cwd: repoRoot, env: { ...process.env, ...token.env, ...env } });
      return { code: 0, stdout, stderr };
    } catch (err) {
      const e = err as { code?: number; stdout?: string; stderr?: string };
      return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
    }
  };

  it('signs with the token key named by --key; a wrong PIN leaves no output file', async () => {
    const out = path.join(work, 'cli-signed.pdf');
    const ok = await cli([path.join(work, 'in.pdf'), '--out', out, '--pkcs11', SOFTHSM_LIBRARY, '--token', TOKEN, '--key', 'ky-ec', '--pin-env', 'MOTCUA_PIN'], { MOTCUA_PIN: PIN });
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('Bộ phận Một cửa EC');
    await expectValidEverywhere(new Uint8Array(await readFile(out)), 'cli', 'Bộ phận Một cửa EC');

    const badOut = path.join(work, 'cli-wrong-pin.pdf');
    const bad = await cli([path.join(work, 'in.pdf'), '--out', badOut, '--pkcs11', SOFTHSM_LIBRARY, '--token', TOKEN, '--pin-env', 'MOTCUA_PIN'], { MOTCUA_PIN: '999999' });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('Mã PIN');
    expect(await exists(badOut)).toBe(false);

    const usage = await cli([path.join(work, 'in.pdf'), '--out', badOut, '--pkcs11', SOFTHSM_LIBRARY, '--pin-env', 'MOTCUA_PIN'], { MOTCUA_PIN: PIN });
    expect(usage.code).toBe(2);
    const badAppearance = await cli([path.join(work, 'in.pdf'), '--out', badOut, '--pkcs11', SOFTHSM_LIBRARY, '--token', TOKEN, '--pin-env', 'MOTCUA_PIN', '--appearance', 'stamp'], { MOTCUA_PIN: PIN });
    expect(badAppearance.code).toBe(2);
    expect(await exists(badOut)).toBe(false);
  });

  it('--appearance copy draws the Decree 30 copy stamp on page 1 and the signature stays valid', async () => {
    const out = path.join(work, 'cli-copy.pdf');
    const result = await cli([path.join(work, 'in.pdf'), '--out', out, '--pkcs11', SOFTHSM_LIBRARY, '--token', TOKEN, '--key', 'ky-rsa', '--pin-env', 'MOTCUA_PIN', '--appearance', 'copy'], { MOTCUA_PIN: PIN });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const { stdout: text } = await run('pdftotext', ['-f', '1', '-l', '1', out, '-']);
    expect(text).toContain('SAO Y');
    expect(text).toContain('UBND xã Thử Nghiệm'); // the organisation from the certificate's O=
    expect(text).toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00/);
    await expectValidEverywhere(new Uint8Array(await readFile(out)), 'cli-copy', 'Nguyễn Thị Tiếp Nhận');
  });
});

// Last: it deletes the token.
describe('token removed between unlock and signing', () => {
  it('refuses with SIGNER_TOKEN_ABSENT and locks itself', async () => {
    const store = new Pkcs11KeyStore({ library: SOFTHSM_LIBRARY, tokenLabel: TOKEN, keyLabel: 'ky-rsa', label: 'Quầy 1' });
    try {
      await store.unlock(PIN);
      await token.deleteToken();
      await expect(store.signDigest(new Uint8Array(32).fill(1))).rejects.toMatchObject({ code: 'SIGNER_TOKEN_ABSENT' });
      expect(store.status().state).toBe('locked');
      await expect(signPdf(inputPdf, store, { reason: '', location: '', signerName: '', signingTime: new Date() })).rejects.toMatchObject({ code: 'SIGNER_NO_KEY' });
    } finally {
      await store.lock();
    }
  });
});
