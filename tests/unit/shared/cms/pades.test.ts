import { createPublicKey, verify as cryptoVerify, X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildPadesCms, buildSignedAttributes } from '../../../../shared/cms/pades';
import { sha256 } from '../../../../shared/util/bytes';
import { Pkcs12KeyStore } from '../../../../electron/services/signing/pkcs12-keystore';
import { getTestPki } from '../../../support/pki';

const OID = {
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha256WithRSAEncryption: '1.2.840.113549.1.1.11',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
};

type Node = forge.asn1.Asn1;
const bin = (u8: Uint8Array): string => forge.util.binary.raw.encode(u8);
const der = (node: Node): Uint8Array => forge.util.binary.raw.decode(forge.asn1.toDer(node).getBytes());
const parse = (u8: Uint8Array): Node => forge.asn1.fromDer(bin(u8), { strict: true, parseAllBytes: true, decodeBitStrings: false } as unknown as boolean);
const kids = (node: Node | undefined): Node[] => (node && Array.isArray(node.value) ? node.value : []);
const oidOf = (node: Node | undefined): string => forge.asn1.derToOid(node?.value as string);

let keystore: Pkcs12KeyStore;
let chainDer: readonly Uint8Array[];

beforeAll(async () => {
  const pki = await getTestPki();
  keystore = new Pkcs12KeyStore({ path: pki.counterSignerP12Path, label: 'test' });
  await keystore.unlock(pki.password);
  chainDer = keystore.chainDer;
});

describe('buildSignedAttributes', () => {
  const contentDigest = sha256(new TextEncoder().encode('the two byte ranges'));

  it('holds exactly contentType, messageDigest and signing-certificate-v2 — no signing-time', () => {
    const set = parse(buildSignedAttributes({ contentDigest, signerCertDer: chainDer[0]! }));
    expect(set.tagClass).toBe(forge.asn1.Class.UNIVERSAL);
    expect(set.type).toBe(forge.asn1.Type.SET);
    const byOid = new Map(kids(set).map((attr) => [oidOf(kids(attr)[0]), kids(kids(attr)[1])]));
    expect([...byOid.keys()].sort()).toEqual([OID.contentType, OID.messageDigest, OID.signingCertificateV2].sort());
    expect(byOid.has(OID.signingTime)).toBe(false);
    // each attribute has exactly one value
    for (const values of byOid.values()) expect(values).toHaveLength(1);

    expect(oidOf(byOid.get(OID.contentType)![0])).toBe(OID.data);
    expect(byOid.get(OID.messageDigest)![0]!.value).toBe(bin(contentDigest));

    // SigningCertificateV2 { certs: [ ESSCertIDv2 { certHash } ] } — sha256 is the DEFAULT, no issuerSerial
    const certs = kids(byOid.get(OID.signingCertificateV2)![0]);
    expect(certs).toHaveLength(1);
    const essCertIds = kids(certs[0]);
    expect(essCertIds).toHaveLength(1);
    const fields = kids(essCertIds[0]);
    expect(fields).toHaveLength(1);
    expect(fields[0]!.type).toBe(forge.asn1.Type.OCTETSTRING);
    expect(fields[0]!.value).toBe(bin(sha256(chainDer[0]!)));
  });

  it('sorts the SET OF by encoding, as DER requires', () => {
    const encoded = kids(parse(buildSignedAttributes({ contentDigest, signerCertDer: chainDer[0]! }))).map((n) => Buffer.from(der(n)));
    const sorted = [...encoded].sort((x, y) => Buffer.compare(x, y));
    expect(encoded.map((b) => b.toString('hex'))).toEqual(sorted.map((b) => b.toString('hex')));
  });

  it('is deterministic and rejects a digest that is not SHA-256', () => {
    const a = buildSignedAttributes({ contentDigest, signerCertDer: chainDer[0]! });
    const b = buildSignedAttributes({ contentDigest, signerCertDer: chainDer[0]! });
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    expect(() => buildSignedAttributes({ contentDigest: new Uint8Array(20), signerCertDer: chainDer[0]! })).toThrow();
  });
});

describe('buildPadesCms', () => {
  it('wraps a detached SignedData v1 whose SignerInfo signs the exact attribute bytes', async () => {
    const signedAttributesDer = buildSignedAttributes({ contentDigest: sha256(new Uint8Array([1, 2, 3])), signerCertDer: chainDer[0]! });
    const signature = await keystore.signDigest(sha256(signedAttributesDer));
    const cms = parse(buildPadesCms({ signedAttributesDer, signature, chainDer }));

    const [contentType, explicit] = kids(cms);
    expect(oidOf(contentType)).toBe(OID.signedData);
    const [version, digestAlgorithms, encap, certificates, signerInfos, ...rest] = kids(kids(explicit)[0]);
    expect(rest).toHaveLength(0); // no crls
    expect(version!.value).toBe('\x01');
    expect(kids(digestAlgorithms).map((alg) => oidOf(kids(alg)[0]))).toEqual([OID.sha256]);
    expect(kids(encap)).toHaveLength(1); // detached: eContentType only
    expect(oidOf(kids(encap)[0])).toBe(OID.data);
    expect(certificates!.tagClass).toBe(forge.asn1.Class.CONTEXT_SPECIFIC);
    expect(kids(certificates).map((c) => Buffer.from(der(c)).toString('hex'))).toEqual(chainDer.map((c) => Buffer.from(c).toString('hex')));

    const infos = kids(signerInfos);
    expect(infos).toHaveLength(1);
    const [siVersion, sid, digestAlg, signedAttrs, sigAlg, sigValue, ...unsigned] = kids(infos[0]);
    expect(unsigned).toHaveLength(0);
    expect(siVersion!.value).toBe('\x01');
    const signer = new X509Certificate(chainDer[0]!);
    expect(BigInt('0x' + Buffer.from(kids(sid)[1]!.value as string, 'binary').toString('hex'))).toBe(BigInt('0x' + signer.serialNumber));
    expect(oidOf(kids(digestAlg)[0])).toBe(OID.sha256);

    // [0] IMPLICIT with the same content octets as the signed SET
    expect(signedAttrs!.tagClass).toBe(forge.asn1.Class.CONTEXT_SPECIFIC);
    expect(signedAttrs!.type).toBe(0);
    const implicitDer = der(signedAttrs!);
    expect(implicitDer[0]).toBe(0xa0);
    expect(signedAttributesDer[0]).toBe(0x31);
    expect(Buffer.from(implicitDer.subarray(1)).equals(Buffer.from(signedAttributesDer.subarray(1)))).toBe(true);

    expect(oidOf(kids(sigAlg)[0])).toBe(OID.sha256WithRSAEncryption);
    expect(kids(sigAlg)[1]!.type).toBe(forge.asn1.Type.NULL);
    const signatureBytes = Buffer.from(sigValue!.value as string, 'binary');
    expect(signatureBytes.equals(Buffer.from(signature.signature))).toBe(true);

    // The keystore's PKCS#1 v1.5 signature over the digest is a standard sha256WithRSA signature of the SET.
    expect(cryptoVerify('sha256', signedAttributesDer, createPublicKey(signer.publicKey.export({ type: 'spki', format: 'pem' })), signatureBytes)).toBe(true);
  });

  it('names ecdsa-with-SHA256 without parameters for an ECDSA signature', () => {
    const signedAttributesDer = buildSignedAttributes({ contentDigest: sha256(new Uint8Array([9])), signerCertDer: chainDer[0]! });
    const cms = parse(buildPadesCms({ signedAttributesDer, signature: { algorithm: 'ecdsa-sha256', signature: new Uint8Array(70) }, chainDer }));
    const signerInfo = kids(kids(kids(kids(cms)[1])[0])[4])[0];
    const sigAlg = kids(signerInfo)[4];
    expect(oidOf(kids(sigAlg)[0])).toBe(OID.ecdsaWithSha256);
    expect(kids(sigAlg)).toHaveLength(1);
  });
});
