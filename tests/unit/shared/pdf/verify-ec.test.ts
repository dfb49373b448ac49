import crypto from 'node:crypto';
import { p256 } from '@noble/curves/nist.js';
import * as asn1js from 'asn1js';
import { describe, expect, it } from 'vitest';
import { readEcPublicKey, verifyEcdsaDigest } from '../../../../shared/cms/ecdsa';
import { buildPadesCms, buildSignedAttributes } from '../../../../shared/cms/pades';
import { OID } from '../../../../shared/cms/der';
import { getTestPki } from '../../../support/pki';

function ecKey(namedCurve: 'P-256' | 'P-384'): { spki: Uint8Array; privateKey: crypto.KeyObject } {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('ec', { namedCurve });
  return { spki: new Uint8Array(publicKey.export({ format: 'der', type: 'spki' })), privateKey };
}

const message = new TextEncoder().encode('signed attributes stand-in');
const digestOf = (hash: 'sha256' | 'sha384', data: Uint8Array): Uint8Array => new Uint8Array(crypto.createHash(hash).update(data).digest());

describe('readEcPublicKey', () => {
  it('reads the named curve and the point of P-256 and P-384 keys', () => {
    const p256Key = readEcPublicKey(ecKey('P-256').spki);
    expect(p256Key?.curve).toBe('P-256');
    expect(p256Key?.point).toHaveLength(65);
    expect(p256Key?.point[0]).toBe(0x04);
    expect(readEcPublicKey(ecKey('P-384').spki)?.curve).toBe('P-384');
  });

  it('returns null for an RSA key', () => {
    const { publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 1024 });
    expect(readEcPublicKey(new Uint8Array(publicKey.export({ format: 'der', type: 'spki' })))).toBeNull();
  });
});

describe('verifyEcdsaDigest', () => {
  it('accepts a DER signature made by node:crypto over the same digest, on P-256 and P-384', () => {
    for (const [curve, hash] of [['P-256', 'sha256'], ['P-384', 'sha256'], ['P-384', 'sha384']] as const) {
      const { spki, privateKey } = ecKey(curve);
      const signature = new Uint8Array(crypto.sign(hash, message, { key: privateKey, dsaEncoding: 'der' }));
      const key = readEcPublicKey(spki);
      if (!key) throw new Error('no key');
      expect(verifyEcdsaDigest(key, digestOf(hash, message), signature)).toBe(true);
    }
  });

  it('rejects another digest, a flipped signature byte and garbage', () => {
    const { spki, privateKey } = ecKey('P-256');
    const key = readEcPublicKey(spki);
    if (!key) throw new Error('no key');
    const signature = new Uint8Array(crypto.sign('sha256', message, { key: privateKey, dsaEncoding: 'der' }));
    expect(verifyEcdsaDigest(key, digestOf('sha256', new TextEncoder().encode('other')), signature)).toBe(false);
    const flipped = signature.slice();
    flipped[flipped.length - 1] = (flipped[flipped.length - 1] ?? 0) ^ 0x01;
    expect(verifyEcdsaDigest(key, digestOf('sha256', message), flipped)).toBe(false);
    expect(verifyEcdsaDigest(key, digestOf('sha256', message), new Uint8Array([0x30, 0x02, 0x01]))).toBe(false);
  });

  it('accepts a signature with a high S (tokens and OpenSSL do not normalise S)', () => {
    const { spki, privateKey } = ecKey('P-256');
    const key = readEcPublicKey(spki);
    if (!key) throw new Error('no key');
    let found = false;
    for (let i = 0; i < 64 && !found; i++) {
      const der = new Uint8Array(crypto.sign('sha256', message, { key: privateKey, dsaEncoding: 'der' }));
      if (!p256.Signature.fromBytes(der, 'der').hasHighS()) continue;
      found = true;
      expect(verifyEcdsaDigest(key, digestOf('sha256', message), der)).toBe(true);
    }
    expect(found).toBe(true);
  });
});

describe('buildPadesCms with an ECDSA signature', () => {
  it('writes ecdsa-with-SHA256 without parameters and the DER signature unchanged', async () => {
    const pki = await getTestPki();
    const signedAttributesDer = buildSignedAttributes({ contentDigest: new Uint8Array(32).fill(7), signerCertDer: pki.rootDer });
    const signature = new Uint8Array([0x30, 0x06, 0x02, 0x01, 0x05, 0x02, 0x01, 0x07]);
    const cms = buildPadesCms({ signedAttributesDer, signature: { signature, algorithm: 'ecdsa-sha256' }, chainDer: [pki.rootDer] });
    const parsed = asn1js.fromBER(cms);
    expect(parsed.offset).toBe(cms.length);
    const signedData = children(children(children(parsed.result)[1])[0]);
    const signerInfo = children(children(signedData[signedData.length - 1])[0]);
    const [algorithm, value] = signerInfo.slice(-2);
    const algorithmOid = children(algorithm)[0];
    expect(algorithmOid).toBeInstanceOf(asn1js.ObjectIdentifier);
    expect((algorithmOid as asn1js.ObjectIdentifier).valueBlock.toString()).toBe(OID.ecdsaWithSha256);
    expect(children(algorithm)).toHaveLength(1);
    expect(value).toBeInstanceOf(asn1js.OctetString);
    expect(Buffer.from((value as asn1js.OctetString).valueBlock.valueHexView).equals(Buffer.from(signature))).toBe(true);
  });
});

/** The children of a constructed asn1js value (empty for a primitive one or nothing). */
function children(node: asn1js.AsnType | undefined): asn1js.AsnType[] {
  return node instanceof asn1js.Constructed ? node.valueBlock.value : [];
}
