import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSigningCertificate, type CertificateCheckInput } from '../../../../shared/cms/certificate-checks';
import { readCertificate } from '../../../../shared/cms/certificate';
import { buildRevocationEvidence, type RevocationEvidence } from '../../../../shared/cms/revocation-evidence';
import { fromBase64, toBase64 } from '../../../../shared/util/bytes';
import { createTestCa, type IssuedCert, type TestCa } from '../../../support/test-ca';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const policy = { maxRevocationAgeMs: 24 * HOUR, requireRevocation: true };

let ca: TestCa;
let otherCa: TestCa;
let good: IssuedCert;
let ecSigner: IssuedCert;
let expired: IssuedCert;
let notYetValid: IssuedCert;
let encryptionOnly: IssuedCert;
let revoked: IssuedCert;
let foreign: IssuedCert;
let crlDer: Uint8Array;
let otherCrlDer: Uint8Array;

beforeAll(async () => {
  [ca, otherCa] = await Promise.all([createTestCa(), createTestCa()]);
  const now = Date.now();
  // One at a time per CA: `openssl ca` updates the CA's index and serial files.
  foreign = await otherCa.issue({ commonName: 'From another CA' });
  good = await ca.issue({ commonName: 'Bộ phận Một cửa', organisation: 'UBND xã Demo' });
  ecSigner = await ca.issue({ commonName: 'Cán bộ EC', keyType: 'ec-p256' });
  expired = await ca.issue({ commonName: 'Expired', notBefore: new Date(now - 400 * DAY), notAfter: new Date(now - DAY) });
  notYetValid = await ca.issue({ commonName: 'Not yet', notBefore: new Date(now + 10 * DAY), notAfter: new Date(now + 400 * DAY) });
  encryptionOnly = await ca.issue({ commonName: 'Encryption only', usage: 'encryption-only' });
  revoked = await ca.issue({ commonName: 'Revoked' });
  await ca.revoke(revoked, 'keyCompromise');
  [crlDer, otherCrlDer] = await Promise.all([ca.crl({ nextUpdateHours: 24 }), otherCa.crl()]);
});

afterAll(async () => {
  await Promise.all([rm(ca.dir, { recursive: true, force: true }), rm(otherCa.dir, { recursive: true, force: true })]);
});

function crlEvidence(cert: IssuedCert, der = crlDer): RevocationEvidence {
  const rootSerial = readCertificate(ca.rootDer).serialNumber;
  return buildRevocationEvidence({ kind: 'crl', der, url: 'http://127.0.0.1/crl', fetchedAt: new Date(), certSerial: cert.serialHex, issuerSerial: rootSerial });
}

function check(cert: IssuedCert, overrides: Partial<CertificateCheckInput> = {}) {
  return checkSigningCertificate({
    chainDer: [cert.certDer],
    trustAnchorsDer: [ca.rootDer],
    at: new Date(),
    evidence: [crlEvidence(cert)],
    policy,
    ...overrides,
  });
}

const codes = (result: ReturnType<typeof check>): string[] => result.problems.map((p) => p.code);

describe('checkSigningCertificate', () => {
  it('good certificate with a fresh CRL: ok, chain to the anchor, revocation good from the CRL', () => {
    const result = check(good);
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.chain.map((c) => c.subject)).toEqual(['O=UBND xã Demo, CN=Bộ phận Một cửa', 'O=Motcua Test, CN=Motcua Test Root CA']);
    expect(result.chain[0]?.serial).toBe(good.serialHex);
    expect(result.revocation).toMatchObject({ status: 'good', source: 'crl' });
    expect(result.revocation.ageMs).toBeLessThan(10 * 60_000);
    expect(result.revocation.evidence?.der).toBe(toBase64(crlDer));
  });

  it('the root may travel in the chain too; it is only used because it is also an anchor', () => {
    expect(check(good, { chainDer: [good.certDer, ca.rootDer] }).ok).toBe(true);
    const untrusted = check(good, { chainDer: [good.certDer, ca.rootDer], trustAnchorsDer: [otherCa.rootDer] });
    expect(codes(untrusted)).toContain('CERT_UNTRUSTED');
  });

  it('revoked certificate: CERT_REVOKED with the date and the reason', () => {
    const result = check(revoked);
    expect(result.ok).toBe(false);
    expect(result.revocation.status).toBe('revoked');
    const problem = result.problems.find((p) => p.code === 'CERT_REVOKED');
    expect(problem?.details).toMatchObject({ reason: 'keyCompromise', serial: revoked.serialHex });
    expect(problem?.details.revokedAt).toMatch(/^\d{2}\/\d{2}\/\d{4}$/);
  });

  it('evidence issued after the signing time is not used; within the clock-skew margin a later revocation leaves it good', () => {
    // (The test root itself was made seconds ago, so these times also fall before its validity: CERT_NOT_YET_VALID.)
    const before = check(revoked, { at: new Date(Date.now() - HOUR) });
    expect(before.problems.find((p) => p.code === 'CERT_REVOCATION_UNKNOWN')?.details.reason).toMatch(/after the signing time/);
    // Two minutes before "now": the CRL (minutes old at most) is within the 5-minute margin, the revocation is later.
    const skewed = check(revoked, { at: new Date(Date.now() - 2 * 60_000) });
    expect(skewed.revocation.status).toBe('good');
    expect(codes(skewed)).not.toContain('CERT_REVOKED');
    expect(codes(skewed)).not.toContain('CERT_REVOCATION_UNKNOWN');
  });

  it('CRL older than the allowed age: CERT_REVOCATION_STALE with the age and the limit in hours', () => {
    const result = check(good, { at: new Date(Date.now() + 30 * HOUR) });
    expect(codes(result)).toEqual(['CERT_REVOCATION_STALE']);
    const details = result.problems[0]!.details;
    expect(details.maxAgeHours).toBe(24);
    expect(Number(details.ageHours)).toBeGreaterThanOrEqual(30);
    expect(result.revocation.status).toBe('good');
  });

  it('no evidence: CERT_REVOCATION_UNKNOWN when required, allowed (status unknown) when not', () => {
    expect(codes(check(good, { evidence: [] }))).toEqual(['CERT_REVOCATION_UNKNOWN']);
    const lenient = check(good, { evidence: [], policy: { ...policy, requireRevocation: false } });
    expect(lenient.ok).toBe(true);
    expect(lenient.revocation.status).toBe('unknown');
  });

  it('expired and not-yet-valid certificates', () => {
    const old = check(expired);
    expect(codes(old)).toContain('CERT_EXPIRED');
    expect(old.problems.find((p) => p.code === 'CERT_EXPIRED')?.details.notAfter).toMatch(/^\d{2}\/\d{2}\/\d{4}$/);
    expect(codes(check(notYetValid))).toContain('CERT_NOT_YET_VALID');
  });

  it('a certificate for encryption only: CERT_BAD_KEY_USAGE', () => {
    expect(codes(check(encryptionOnly))).toEqual(['CERT_BAD_KEY_USAGE']);
  });

  it('a certificate from an untrusted root: CERT_UNTRUSTED, its CRL does not help', () => {
    const result = check(foreign, { evidence: [crlEvidence(foreign, otherCrlDer)] });
    expect(codes(result)).toContain('CERT_UNTRUSTED');
    expect(result.ok).toBe(false);
  });

  it('an EC signer under the RSA root: ok', () => {
    const result = check(ecSigner);
    expect(result.problems).toEqual([]);
    expect(result.chain).toHaveLength(2);
  });

  it('a tampered CRL (one byte flipped) is rejected, not trusted', () => {
    // Flip a byte inside the signed part (a date digit), then one in the signature value.
    const inTbs = crlDer.slice();
    const dateAt = Buffer.from(inTbs).indexOf(Buffer.from('Z', 'latin1')) - 1;
    inTbs[dateAt] = (inTbs[dateAt] ?? 0x30) === 0x30 ? 0x31 : 0x30;
    const inSignature = crlDer.slice();
    inSignature[inSignature.length - 5] = (inSignature[inSignature.length - 5] ?? 0) ^ 0x01;
    for (const tampered of [inTbs, inSignature]) {
      const result = check(revoked, { evidence: [crlEvidence(revoked, tampered)] });
      expect(codes(result)).toEqual(['CERT_REVOCATION_UNKNOWN']);
      expect(result.problems[0]?.details.reason).toMatch(/signature/);
      expect(result.revocation.status).toBe('unknown');
    }
  });

  it('evidence of another CA or in a corrupt record is not used', () => {
    const wrongIssuer = check(good, { evidence: [crlEvidence(good, otherCrlDer)] });
    expect(codes(wrongIssuer)).toEqual(['CERT_REVOCATION_UNKNOWN']);
    const garbage = { ...crlEvidence(good), der: toBase64(fromBase64(crlEvidence(good).der).subarray(0, 40)) };
    expect(codes(check(good, { evidence: [garbage] }))).toEqual(['CERT_REVOCATION_UNKNOWN']);
  });

  it('an unreadable signer certificate is reported, not thrown', () => {
    const result = check(good, { chainDer: [new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01])] });
    expect(codes(result)).toEqual(['CERT_UNTRUSTED']);
  });

  it('short form for key stores: throws the first problem of the certificate alone', () => {
    expect(() => checkSigningCertificate(readCertificate(good.certDer), new Date())).not.toThrow();
    expect(() => checkSigningCertificate(readCertificate(expired.certDer), new Date())).toThrowError(expect.objectContaining({ code: 'CERT_EXPIRED' }) as Error);
    expect(() => checkSigningCertificate(readCertificate(encryptionOnly.certDer), new Date())).toThrowError(expect.objectContaining({ code: 'CERT_BAD_KEY_USAGE' }) as Error);
  });
});
