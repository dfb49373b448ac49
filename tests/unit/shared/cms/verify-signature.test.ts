/**
 * The CMS core's one synchronous verifier against signatures made by OpenSSL (through node:crypto): RSA
 * PKCS#1 v1.5 with both DigestInfo encodings, RSA-PSS with its parameters, ECDSA on P-256 and P-521, and
 * the shared policy's refusal of SHA-1 (unless a policy lists it).
 */
import { constants, createHash, generateKeyPairSync, privateEncrypt, sign } from 'node:crypto';
import { AlgorithmIdentifier, RSASSAPSSParams } from 'pkijs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SIGNATURE_POLICY } from '../../../../shared/cms/signature-policy';
import { verifySignedBytes } from '../../../../shared/cms/verify-signature';

const data = new TextEncoder().encode('Hồ sơ 000.00.01.H22-250101-0001');
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const rsaSpki = new Uint8Array(rsa.publicKey.export({ type: 'spki', format: 'der' }));
const OID = {
  sha1: '1.3.14.3.2.26',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha256WithRsa: '1.2.840.113549.1.1.11',
  sha1WithRsa: '1.2.840.113549.1.1.5',
  pss: '1.2.840.113549.1.1.10',
  mgf1: '1.2.840.113549.1.1.8',
  ecdsaSha256: '1.2.840.10045.4.3.2',
  ecdsaSha512: '1.2.840.10045.4.3.4',
};

const flipped = (bytes: Uint8Array): Uint8Array => bytes.map((b, i) => (i === 10 ? b ^ 1 : b));

describe('verifySignedBytes', () => {
  it('RSA PKCS#1 v1.5: DigestInfo with NULL (OpenSSL) and without NULL parameters both verify; a flipped bit does not', () => {
    const withNull = new Uint8Array(sign('sha256', data, rsa.privateKey));
    const digest = createHash('sha256').update(data).digest();
    // SEQUENCE { SEQUENCE { OID sha256 } , OCTET STRING digest }: no NULL
    const noNullInfo = Buffer.concat([Buffer.from('302f300b06096086480165030402010420', 'hex'), digest]);
    const withoutNull = new Uint8Array(privateEncrypt({ key: rsa.privateKey, padding: constants.RSA_PKCS1_PADDING }, noNullInfo));
    const check = (signature: Uint8Array) => verifySignedBytes({ spkiDer: rsaSpki, algorithm: { oid: OID.sha256WithRsa }, data, signature }, DEFAULT_SIGNATURE_POLICY);
    expect(check(withNull)).toBe('valid');
    expect(check(withoutNull)).toBe('valid');
    expect(check(flipped(withNull))).toBe('invalid');
  });

  it('SHA-1 is refused by the shared policy and accepted only by a policy that lists it', () => {
    const signature = new Uint8Array(sign('sha1', data, rsa.privateKey));
    const input = { spkiDer: rsaSpki, algorithm: { oid: OID.sha1WithRsa }, data, signature };
    expect(verifySignedBytes(input, DEFAULT_SIGNATURE_POLICY)).toBe('hash-not-allowed');
    expect(verifySignedBytes(input, { ...DEFAULT_SIGNATURE_POLICY, allowedHashes: ['sha1', 'sha256'] })).toBe('valid');
  });

  it('RSA-PSS with SHA-256, MGF1-SHA-256 and a 32-byte salt verifies; the default (SHA-1) parameters are refused', () => {
    const signature = new Uint8Array(sign('sha256', data, { key: rsa.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }));
    const params = new RSASSAPSSParams({
      hashAlgorithm: new AlgorithmIdentifier({ algorithmId: OID.sha256 }),
      maskGenAlgorithm: new AlgorithmIdentifier({ algorithmId: OID.mgf1, algorithmParams: new AlgorithmIdentifier({ algorithmId: OID.sha256 }).toSchema() }),
      saltLength: 32,
    }).toSchema();
    expect(verifySignedBytes({ spkiDer: rsaSpki, algorithm: { oid: OID.pss, params }, data, signature }, DEFAULT_SIGNATURE_POLICY)).toBe('valid');
    expect(verifySignedBytes({ spkiDer: rsaSpki, algorithm: { oid: OID.pss, params }, data, signature: flipped(signature) }, DEFAULT_SIGNATURE_POLICY)).toBe('invalid');
    expect(verifySignedBytes({ spkiDer: rsaSpki, algorithm: { oid: OID.pss }, data, signature }, DEFAULT_SIGNATURE_POLICY)).toBe('hash-not-allowed');
  });

  it('ECDSA on P-256 and P-521 verifies; a key of the wrong family does not', () => {
    for (const [curve, hash, oid] of [['P-256', 'sha256', OID.ecdsaSha256], ['P-521', 'sha512', OID.ecdsaSha512]] as const) {
      const ec = generateKeyPairSync('ec', { namedCurve: curve });
      const spkiDer = new Uint8Array(ec.publicKey.export({ type: 'spki', format: 'der' }));
      const signature = new Uint8Array(sign(hash, data, ec.privateKey));
      expect(verifySignedBytes({ spkiDer, algorithm: { oid }, data, signature }, DEFAULT_SIGNATURE_POLICY), curve).toBe('valid');
      expect(verifySignedBytes({ spkiDer, algorithm: { oid }, data: flipped(data), signature }, DEFAULT_SIGNATURE_POLICY), curve).toBe('invalid');
      expect(verifySignedBytes({ spkiDer: rsaSpki, algorithm: { oid }, data, signature }, DEFAULT_SIGNATURE_POLICY), curve).toBe('invalid');
    }
  });
});
