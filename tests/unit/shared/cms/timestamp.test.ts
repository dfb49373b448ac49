/**
 * The pure parts of the signature time-stamp code: the request's DER, how TSA answers are read (granted,
 * rejected, garbage), and the CMS surgery that adds the unsigned attribute. Real TSA tokens are covered
 * by tests/integration/timestamp-tsa.test.ts.
 */
import forge from 'node-forge';
import { beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../../shared/errors';
import { buildPadesCms, buildSignedAttributes } from '../../../../shared/cms/pades';
import {
  addSignatureTimeStamp,
  buildTimeStampRequest,
  inspectCmsSignature,
  parseTimeStampResponse,
  readTimeStampToken,
  verifyTimeStampToken,
} from '../../../../shared/cms/timestamp';
import { sha256 } from '../../../../shared/util/bytes';
import { Pkcs12KeyStore } from '../../../../electron/services/signing/pkcs12-keystore';
import { getTestPki } from '../../../support/pki';

type Node = forge.asn1.Asn1;
const { asn1 } = forge;
const bin = (u8: Uint8Array): string => forge.util.binary.raw.encode(u8);
const bytes = (binary: string): Uint8Array => forge.util.binary.raw.decode(binary);
const der = (node: Node): Uint8Array => bytes(asn1.toDer(node).getBytes());
const parse = (u8: Uint8Array): Node => asn1.fromDer(bin(u8), { strict: true, parseAllBytes: true, decodeBitStrings: false } as unknown as boolean);
const kids = (node: Node | undefined): Node[] => (node && Array.isArray(node.value) ? node.value : []);
const seq = (items: Node[]): Node => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, items);
const set = (items: Node[]): Node => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SET, true, items);
const oid = (dotted: string): Node => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(dotted).getBytes());
const int = (content: string): Node => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, content);
const octets = (u8: Uint8Array): Node => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, bin(u8));
const ctx = (tag: number, items: Node[]): Node => asn1.create(asn1.Class.CONTEXT_SPECIFIC, tag, true, items);

const OID = {
  sha256: '2.16.840.1.101.3.4.2.1',
  signedData: '1.2.840.113549.1.7.2',
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  tst: '1.2.840.113549.1.9.16.2.14',
  sha256WithRSA: '1.2.840.113549.1.1.11',
};

/**
 * A token with the right structure but no real signature: enough for the parsing and CMS surgery, and
 * something verifyTimeStampToken must reject.
 */
function structuralToken(imprint: Uint8Array, nonce: string): Uint8Array {
  const tstInfo = seq([
    int('\x01'),
    oid('1.3.6.1.4.1.55555.1.1'),
    seq([seq([oid(OID.sha256)]), octets(imprint)]),
    int('\x2a'),
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.GENERALIZEDTIME, false, '20250102030405.25Z'),
    seq([int('\x01')]), // accuracy: 1 s
    int(nonce),
  ]);
  const signerInfo = seq([int('\x01'), seq([seq([]), int('\x01')]), seq([oid(OID.sha256)]), seq([oid(OID.sha256WithRSA)]), octets(new Uint8Array(4))]);
  const signedData = seq([int('\x03'), set([seq([oid(OID.sha256)])]), seq([oid(OID.tstInfo), ctx(0, [octets(der(tstInfo))])]), set([signerInfo])]);
  return der(seq([oid(OID.signedData), ctx(0, [signedData])]));
}

function response(status: number, extra: Node[] = [], token?: Uint8Array): Uint8Array {
  return der(seq([seq([int(String.fromCharCode(status)), ...extra]), ...(token ? [parse(token)] : [])]));
}

function thrown(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected an AppError');
}

let cms: Uint8Array;
let signatureValue: Uint8Array;

beforeAll(async () => {
  const pki = await getTestPki();
  const keystore = new Pkcs12KeyStore({ path: pki.counterSignerP12Path, label: 'test' });
  await keystore.unlock(pki.password);
  const signedAttributesDer = buildSignedAttributes({ contentDigest: sha256(new TextEncoder().encode('ranges')), signerCertDer: keystore.chainDer[0] ?? new Uint8Array() });
  cms = buildPadesCms({ signedAttributesDer, signature: await keystore.signDigest(sha256(signedAttributesDer)), chainDer: keystore.chainDer });
  signatureValue = inspectCmsSignature(cms).signatureValue;
  keystore.lock();
});

describe('buildTimeStampRequest', () => {
  it('is a v1 TimeStampReq over SHA-256 of the signature value, with the nonce as a positive INTEGER and certReq TRUE', () => {
    const request = parse(buildTimeStampRequest({ signatureValue, nonce: Uint8Array.of(0x00, 0x9a, 0x01), certReq: true }));
    const [version, imprint, nonce, certReq, ...rest] = kids(request);
    expect(version?.value).toBe('\x01');
    const [algorithm, hashed] = kids(imprint);
    expect(kids(algorithm)).toHaveLength(1); // parameters absent (RFC 5754)
    expect(asn1.derToOid(kids(algorithm)[0]?.value as string)).toBe(OID.sha256);
    expect(bytes(hashed?.value as string)).toEqual(sha256(signatureValue));
    expect(nonce?.type).toBe(asn1.Type.INTEGER);
    expect(nonce?.value).toBe('\x00\x9a\x01'); // leading 00 kept only because 9a has the top bit set
    expect(certReq?.type).toBe(asn1.Type.BOOLEAN);
    expect(certReq?.value).toBe('\xff');
    expect(rest).toEqual([]);
  });

  it('omits certReq when false (DER leaves out DEFAULT values) and trims leading zero bytes of the nonce', () => {
    const request = parse(buildTimeStampRequest({ signatureValue, nonce: Uint8Array.of(0, 0, 0x12), certReq: false }));
    expect(kids(request)).toHaveLength(3);
    expect(kids(request)[2]?.value).toBe('\x12');
  });
});

describe('parseTimeStampResponse', () => {
  const nonce = Uint8Array.of(0x11, 0x22);
  const expected = (): { expectedImprint: Uint8Array; nonce: Uint8Array } => ({ expectedImprint: sha256(signatureValue), nonce });

  it('reads a granted token: genTime with fraction, serial, policy, nonce, accuracy', () => {
    const token = parseTimeStampResponse(response(0, [], structuralToken(sha256(signatureValue), '\x11\x22')), expected());
    expect(token).toMatchObject({ genTime: '2025-01-02T03:04:05.250Z', serialNumber: '2a', policy: '1.3.6.1.4.1.55555.1.1', nonce: '1122', accuracyMs: 1000, tsaName: null });
  });

  it('rejection → TSA_REJECTED with the status, failInfo and text', () => {
    const failInfo = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BITSTRING, false, '\x07\x80'); // bit 0: badAlg
    const text = seq([asn1.create(asn1.Class.UNIVERSAL, asn1.Type.UTF8, false, forge.util.encodeUtf8('thuật toán không hỗ trợ'))]);
    const err = thrown(() => parseTimeStampResponse(response(2, [text, failInfo]), expected()));
    expect(err.code).toBe('TSA_REJECTED');
    expect(err.details).toEqual({ status: 'rejection', failInfo: 'badAlg', statusText: 'thuật toán không hỗ trợ' });
    expect(thrown(() => parseTimeStampResponse(response(3), expected())).details).toMatchObject({ status: 'waiting', failInfo: 'unspecified' });
  });

  it('garbage, a granted answer without a token, another imprint or another nonce → TSA_BAD_RESPONSE', () => {
    expect(thrown(() => parseTimeStampResponse(new TextEncoder().encode('<html>login</html>'), expected())).code).toBe('TSA_BAD_RESPONSE');
    expect(thrown(() => parseTimeStampResponse(response(0), expected())).code).toBe('TSA_BAD_RESPONSE');
    const otherImprint = sha256(new TextEncoder().encode('other'));
    expect(thrown(() => parseTimeStampResponse(response(0, [], structuralToken(otherImprint, '\x11\x22')), expected())).details.reason).toContain('imprint');
    expect(thrown(() => parseTimeStampResponse(response(1, [], structuralToken(sha256(signatureValue), '\x11\x23')), expected())).details.reason).toContain('nonce');
  });
});

describe('addSignatureTimeStamp', () => {
  it('adds the unsigned attribute and keeps every other element of the CMS byte for byte', () => {
    const token = structuralToken(sha256(signatureValue), '\x01');
    const stamped = addSignatureTimeStamp(cms, token);
    const tree = parse(stamped);
    const signerInfo = kids(kids(kids(kids(tree)[1])[0]).at(-1))[0];
    const unsigned = kids(signerInfo).pop();
    expect(unsigned?.tagClass).toBe(asn1.Class.CONTEXT_SPECIFIC);
    expect(unsigned?.type).toBe(1);
    const [attribute] = kids(unsigned);
    expect(asn1.derToOid(kids(attribute)[0]?.value as string)).toBe(OID.tst);
    expect(der(kids(kids(attribute)[1])[0] as Node)).toEqual(token);
    expect(der(tree)).toEqual(cms); // with the attribute taken out, the original CMS exactly

    const info = inspectCmsSignature(stamped);
    expect(info.signatureValue).toEqual(signatureValue);
    expect(info.timeStampTokens).toEqual([token]);
    expect(readTimeStampToken(info.timeStampTokens[0] ?? new Uint8Array()).serialNumber).toBe('2a');
  });

  it('refuses a second timestamp, a token for other data, and input that is not a CMS', () => {
    const stamped = addSignatureTimeStamp(cms, structuralToken(sha256(signatureValue), '\x01'));
    expect(thrown(() => addSignatureTimeStamp(stamped, structuralToken(sha256(signatureValue), '\x02'))).code).toBe('SIGNATURE_ALREADY_TIMESTAMPED');
    expect(thrown(() => addSignatureTimeStamp(cms, structuralToken(new Uint8Array(32), '\x01'))).code).toBe('TSA_BAD_RESPONSE');
    expect(() => addSignatureTimeStamp(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01]), structuralToken(sha256(signatureValue), '\x01'))).toThrow();
  });
});

describe('verifyTimeStampToken', () => {
  it('rejects a token that is well-formed but not signed by anyone, and never throws on garbage', () => {
    const result = verifyTimeStampToken(structuralToken(sha256(signatureValue), '\x01'), { signatureValue, trustAnchorsDer: [] });
    expect(result.valid).toBe(false);
    expect(result.checks.imprint).toBe(true);
    expect(result.checks.signature).toBe(false);
    expect(result.genTime).toBe('2025-01-02T03:04:05.250Z');
    expect(result.problems.join('\n')).toContain('TSA certificate is not included');
    expect(result.issues.map((i) => i.code)).toEqual(['TSP_TSA_CERTIFICATE_MISSING', 'TSP_CHAIN_UNTRUSTED']);

    const garbage = verifyTimeStampToken(Uint8Array.of(1, 2, 3), { signatureValue, trustAnchorsDer: [] });
    expect(garbage).toMatchObject({ valid: false, genTime: null, tsa: null });
    expect(garbage.issues.map((i) => i.code)).toEqual(['TSP_UNREADABLE']);
  });
});
