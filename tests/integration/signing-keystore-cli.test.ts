/**
 * The PKCS#12 key store and the `motcua sign` / `verify` / `demo-pki` commands, as real processes, with
 * failure cases made by OpenSSL (a p12 without a key, a certificate without signing key usage).
 */
import { execFile } from 'node:child_process';
import { access, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { X509Certificate } from 'node:crypto';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../../shared/util/bytes';
import { Pkcs12KeyStore } from '../../electron/services/signing/pkcs12-keystore';
import { getTestPki, type DemoPki } from '../support/pki';

const execFileAsync = promisify(execFile);
const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const motcuaBin = path.join(repoRoot, 'electron', 'cli', 'bin.mjs');

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

async function motcua(args: string[], env: Record<string, string> = {}): Promise<Result> {
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, [motcuaBin, ...args], { cwd: repoRoot, env: { ...process.env, ...env } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

const exists = (file: string): Promise<boolean> => access(file).then(() => true, () => false);

let pki: DemoPki;
let work: string;
let inputPdf: string;

beforeAll(async () => {
  pki = await getTestPki();
  work = await mkdtemp(path.join(os.tmpdir(), 'motcua-keystore-'));
  const doc = await PDFDocument.create();
  doc.addPage([300, 300]);
  inputPdf = path.join(work, 'in.pdf');
  await writeFile(inputPdf, await doc.save());
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('Pkcs12KeyStore', () => {
  it('unlocks, signs a digest OpenSSL verifies as RSA PKCS#1 v1.5 SHA-256, and locks again', async () => {
    const store = new Pkcs12KeyStore({ path: pki.counterSignerP12Path, label: 'Quầy 1' });
    expect(store.status()).toEqual({ state: 'locked', keystoreLabel: 'Quầy 1' });
    const status = await store.unlock(pki.password);
    expect(status.state).toBe('unlocked');
    if (status.state !== 'unlocked') throw new Error('unreachable');
    expect(status.certificate.subject).toBe('CN=Bộ phận Một cửa - Demo, O=UBND xã Demo, C=VN');
    expect(status.certificate).toMatchObject({ subjectCommonName: 'Bộ phận Một cửa - Demo', subjectOrganisation: 'UBND xã Demo' });
    expect(status.certificate.keyAlgorithm).toBe('rsa');
    expect(status.certificate.chainDer).toHaveLength(2); // signer, then the demo root from the p12

    const message = new TextEncoder().encode('signed attributes stand-in');
    const { signature, algorithm } = await store.signDigest(sha256(message));
    expect(algorithm).toBe('rsa-pkcs1-v1_5-sha256');

    const certPem = new X509Certificate(store.chainDer[0]!).publicKey.export({ type: 'spki', format: 'pem' });
    await writeFile(path.join(work, 'pub.pem'), certPem);
    await writeFile(path.join(work, 'msg.bin'), message);
    await writeFile(path.join(work, 'sig.bin'), signature);
    const { stdout } = await execFileAsync('openssl', ['dgst', '-sha256', '-verify', path.join(work, 'pub.pem'), '-signature', path.join(work, 'sig.bin'), path.join(work, 'msg.bin')]);
    expect(stdout).toContain('Verified OK');

    expect(store.lock().state).toBe('locked');
    await expect(store.signDigest(sha256(message))).rejects.toMatchObject({ code: 'SIGNER_LOCKED' });
  });

  it('maps failures to error codes', async () => {
    await expect(new Pkcs12KeyStore({ path: path.join(work, 'nope.p12'), label: 'x' }).unlock('a')).rejects.toMatchObject({ code: 'SIGNER_KEYSTORE_MISSING' });
    await expect(new Pkcs12KeyStore({ path: pki.counterSignerP12Path, label: 'x' }).unlock('wrong')).rejects.toMatchObject({ code: 'SIGNER_WRONG_PASSWORD' });
    await expect(new Pkcs12KeyStore({ path: inputPdf, label: 'x' }).unlock('a')).rejects.toMatchObject({ code: 'SIGNER_KEYSTORE_CORRUPT' });
    const expired = new Pkcs12KeyStore({ path: pki.expiredSignerP12Path, label: 'x' }).unlock(pki.password);
    await expect(expired).rejects.toMatchObject({ code: 'CERT_EXPIRED' });
    await expect(expired).rejects.toMatchObject({ details: { notAfter: expect.stringMatching(/^\d{2}\/\d{2}\/\d{4}$/) as unknown } });
  });

  it('re-checks validity at every signature (and refuses a not-yet-valid certificate)', async () => {
    let now = new Date();
    const store = new Pkcs12KeyStore({ path: pki.counterSignerP12Path, label: 'x', now: () => now });
    await store.unlock(pki.password);
    now = new Date(Date.now() + 5 * 365 * 86_400_000);
    await expect(store.signDigest(new Uint8Array(32))).rejects.toMatchObject({ code: 'CERT_EXPIRED' });
    const early = new Pkcs12KeyStore({ path: pki.counterSignerP12Path, label: 'x', now: () => new Date('2000-01-01T00:00:00Z') });
    await expect(early.unlock(pki.password)).rejects.toMatchObject({ code: 'CERT_NOT_YET_VALID' });
  });

  it('rejects a p12 without a key, and a certificate not allowed to sign documents', async () => {
    const key = path.join(work, 'ku.key');
    const cert = path.join(work, 'ku.pem');
    await execFileAsync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '30', '-subj', '/CN=Key encipherment only', '-addext', 'keyUsage=critical,keyEncipherment']);
    const badUsage = path.join(work, 'bad-usage.p12');
    await execFileAsync('openssl', ['pkcs12', '-export', '-inkey', key, '-in', cert, '-out', badUsage, '-passout', 'pass:pw']);
    await expect(new Pkcs12KeyStore({ path: badUsage, label: 'x' }).unlock('pw')).rejects.toMatchObject({ code: 'CERT_BAD_KEY_USAGE' });

    const noKey = path.join(work, 'no-key.p12');
    await execFileAsync('openssl', ['pkcs12', '-export', '-nokeys', '-in', cert, '-out', noKey, '-passout', 'pass:pw']);
    await expect(new Pkcs12KeyStore({ path: noKey, label: 'x' }).unlock('pw')).rejects.toMatchObject({ code: 'SIGNER_NO_KEY' });
  });
});

describe('motcua sign / verify / demo-pki', () => {
  it('signs, then verifies with --trust (exit 0) and without it (exit 1)', async () => {
    const out = path.join(work, 'out.pdf');
    const signed = await motcua(['sign', inputPdf, '--out', out, '--p12', pki.counterSignerP12Path, '--pass-env', 'MOTCUA_TEST_P12_PASS'], { MOTCUA_TEST_P12_PASS: pki.password });
    expect(signed.stderr).toBe('');
    expect(signed.code).toBe(0);
    expect(await exists(out)).toBe(true);

    const verified = await motcua(['verify', out, '--trust', pki.rootCaPemPath]);
    expect(verified.code).toBe(0);
    const report = JSON.parse(verified.stdout) as { valid: boolean; signatures: { padesBaselineB: boolean }[] };
    expect(report.valid).toBe(true);
    expect(report.signatures[0]?.padesBaselineB).toBe(true);

    const untrusted = await motcua(['verify', out]);
    expect(untrusted.code).toBe(1);
    expect((JSON.parse(untrusted.stdout) as { valid: boolean }).valid).toBe(false);

    const unsigned = await motcua(['verify', inputPdf, '--trust', pki.dir]);
    expect(unsigned.code).toBe(1);
  });

  it('wrong password: Vietnamese message, exit 1, and no output file', async () => {
    const out = path.join(work, 'wrong-pass.pdf');
    const result = await motcua(['sign', inputPdf, '--out', out, '--p12', pki.counterSignerP12Path, '--pass-env', 'MOTCUA_TEST_P12_PASS'], { MOTCUA_TEST_P12_PASS: 'not-the-password' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Mật khẩu tệp chữ ký số không đúng');
    expect(await exists(out)).toBe(false);
  });

  it('expired certificate: CERT_EXPIRED message with the date, exit 1', async () => {
    const out = path.join(work, 'expired.pdf');
    const result = await motcua(['sign', inputPdf, '--out', out, '--p12', pki.expiredSignerP12Path, '--pass-env', 'MOTCUA_TEST_P12_PASS'], { MOTCUA_TEST_P12_PASS: pki.password });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Chứng thư số đã hết hạn ngày \d{2}\/\d{2}\/\d{4}/);
    expect(await exists(out)).toBe(false);
  });

  it('bad usage exits 2; demo-pki prints the paths of an existing set', async () => {
    expect((await motcua(['sign', inputPdf])).code).toBe(2);
    expect((await motcua(['sign', inputPdf, '--out', 'x.pdf', '--p12', 'y.p12', '--pass-env', 'MOTCUA_UNSET_VAR_FOR_TEST'])).code).toBe(2);
    const result = await motcua(['demo-pki', '--out', pki.dir]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(pki.counterSignerP12Path);
    expect(Buffer.from(await readFile(pki.rootCaDerPath)).equals(Buffer.from(pki.rootDer))).toBe(true); // reused, not regenerated
  });
});
