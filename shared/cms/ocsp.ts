/**
 * OCSP (RFC 6960): building a request for one certificate and parsing the responder's answer, with
 * node-forge's ASN.1 toolkit. Parsing only — whether the BasicOCSPResponse is signed by the issuer or by a
 * delegated responder the issuer certified is decided in certificate-checks.ts. Malformed input becomes
 * AppError('CERT_REVOCATION_DATA_INVALID'), never a crash.
 */
import { sha1 } from '@noble/hashes/legacy.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { AppError } from '../errors';
import { asn1, children, encodeDer, isTag, nullValue, octetString, oid, parseDer, primitive, readOid, seq, type Asn1 } from './der';
import {
  binary,
  encodeNode,
  fail,
  guard,
  isTime,
  readTime,
  readTlv,
  reasonName,
  serialHex,
  splitSignedDer,
  tlvChildren,
  type RevocationReason,
  type SignedParts,
} from './crl';

export const OCSP_OID = {
  basicResponse: '1.3.6.1.5.5.7.48.1.1',
  nonce: '1.3.6.1.5.5.7.48.1.2',
  ocspSigning: '1.3.6.1.5.5.7.3.9',
  sha1: '1.3.14.3.2.26',
  sha256: '2.16.840.1.101.3.4.2.1',
} as const;

export type CertIdHash = 'sha1' | 'sha256';

/** The fields of a CertID (RFC 6960 §4.1.1), hashes as bytes, serial as lowercase hex without leading zeros. */
export interface CertId {
  readonly hashAlgorithm: string;
  readonly issuerNameHash: Uint8Array;
  readonly issuerKeyHash: Uint8Array;
  readonly serialNumber: string;
}

export interface CertIdInput {
  /** DER of the certificate's issuer Name (= the issuer certificate's subject). */
  readonly issuerNameDer: Uint8Array;
  /** The issuer's subjectPublicKey BIT STRING content, without the unused-bits byte. */
  readonly issuerKeyBits: Uint8Array;
  /** DER of the certificate's serial INTEGER. */
  readonly serialDer: Uint8Array;
}

function hashWith(algorithm: string, bytes: Uint8Array): Uint8Array | null {
  if (algorithm === OCSP_OID.sha1) return sha1(bytes);
  if (algorithm === OCSP_OID.sha256) return sha256(bytes);
  return null;
}

/** Does `id` (from a response) name the certificate described by `input`? Unknown hash algorithms never match. */
export function certIdMatches(id: CertId, input: CertIdInput): boolean {
  const nameHash = hashWith(id.hashAlgorithm, input.issuerNameDer);
  const keyHash = hashWith(id.hashAlgorithm, input.issuerKeyBits);
  if (!nameHash || !keyHash) return false;
  return equalBytes(nameHash, id.issuerNameHash) && equalBytes(keyHash, id.issuerKeyHash) && serialOf(input.serialDer) === id.serialNumber;
}

/**
 * DER of an OCSPRequest for one certificate, unsigned, without a nonce (many CA responders ignore or
 * refuse nonces; freshness is judged from thisUpdate instead). SHA-1 CertID is what every responder accepts.
 */
export function buildOcspRequest(input: CertIdInput, hash: CertIdHash = 'sha1'): Uint8Array {
  const algorithm = hash === 'sha1' ? OCSP_OID.sha1 : OCSP_OID.sha256;
  const certId = seq([
    seq([oid(algorithm), nullValue()]),
    octetString(hashWith(algorithm, input.issuerNameDer) ?? new Uint8Array()),
    octetString(hashWith(algorithm, input.issuerKeyBits) ?? new Uint8Array()),
    parseDer(input.serialDer),
  ]);
  // OCSPRequest { tbsRequest TBSRequest { requestList SEQUENCE OF Request { reqCert CertID } } }
  return encodeDer(seq([seq([seq([seq([certId])])])]));
}

export interface SingleResponse {
  readonly certId: CertId;
  readonly status: 'good' | 'revoked' | 'unknown';
  readonly revokedAt: Date | null;
  readonly reason: RevocationReason | null;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date | null;
}

export interface ParsedOcspResponse {
  /** The BasicOCSPResponse's signed parts: tbsResponseData bytes, algorithm, signature. */
  readonly signed: SignedParts;
  readonly responderId: { readonly byName: Uint8Array } | { readonly byKeyHash: Uint8Array };
  readonly producedAt: Date;
  /** Certificates the responder included (a delegated responder sends its own), exact DER. */
  readonly certsDer: readonly Uint8Array[];
  readonly responses: readonly SingleResponse[];
}

const responseStatusNames: Readonly<Record<number, string>> = {
  0: 'successful',
  1: 'malformedRequest',
  2: 'internalError',
  3: 'tryLater',
  5: 'sigRequired',
  6: 'unauthorized',
};

/** Parses an OCSPResponse. A non-successful responseStatus is an AppError too: it carries no status. */
export function parseOcspResponse(der: Uint8Array): ParsedOcspResponse {
  return guard('ocsp', () => {
    const response = parseDer(der);
    const [status, bytes] = children(response);
    if (!isTag(status, asn1.Class.UNIVERSAL, asn1.Type.ENUMERATED)) fail('no responseStatus');
    const statusCode = primitive(status).charCodeAt(0);
    if (statusCode !== 0) {
      throw new AppError('CERT_REVOCATION_DATA_INVALID', { kind: 'ocsp', reason: `responder answered ${responseStatusNames[statusCode] ?? String(statusCode)}` });
    }
    if (!isTag(bytes, asn1.Class.CONTEXT_SPECIFIC, 0)) fail('no responseBytes');
    const [type, body] = children(children(bytes)[0]);
    if (readOid(type) !== OCSP_OID.basicResponse) fail('not a basic OCSP response');
    if (!isTag(body, asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING)) fail('no response body');
    return parseBasicResponse(binary(primitive(body)));
  });
}

function parseBasicResponse(der: Uint8Array): ParsedOcspResponse {
  const signed = splitSignedDer(der, 1);
  const fields = children(parseDer(signed.tbsDer));
  let i = isTag(fields[0], asn1.Class.CONTEXT_SPECIFIC, 0) ? 1 : 0; // version [0] EXPLICIT DEFAULT v1
  const responder = fields[i++];
  let responderId: ParsedOcspResponse['responderId'];
  if (isTag(responder, asn1.Class.CONTEXT_SPECIFIC, 1)) {
    const name = children(responder)[0];
    if (!name) fail('empty responder name');
    responderId = { byName: encodeNode(name) };
  } else if (isTag(responder, asn1.Class.CONTEXT_SPECIFIC, 2)) {
    const keyHash = children(responder)[0];
    if (!isTag(keyHash, asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING)) fail('bad responder key hash');
    responderId = { byKeyHash: binary(primitive(keyHash)) };
  } else {
    fail('no responderID');
  }
  const producedAt = readTime(fields[i++]);
  const list = fields[i];
  if (!isTag(list, asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE)) fail('no responses');
  const responses = children(list).map(readSingleResponse);
  return { signed, responderId, producedAt, certsDer: readCerts(signed.trailingDer[0]), responses };
}

function readSingleResponse(node: Asn1): SingleResponse {
  const [certIdNode, statusNode, thisUpdateNode, ...rest] = children(node);
  const [algorithm, nameHash, keyHash, serial] = children(certIdNode);
  const hashAlgorithm = readOid(children(algorithm)[0]);
  if (!hashAlgorithm || !isTag(nameHash, asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING) || !isTag(keyHash, asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING)) {
    fail('bad CertID');
  }
  if (!isTag(serial, asn1.Class.UNIVERSAL, asn1.Type.INTEGER)) fail('bad CertID serial');
  let status: SingleResponse['status'];
  let revokedAt: Date | null = null;
  let reason: RevocationReason | null = null;
  if (isTag(statusNode, asn1.Class.CONTEXT_SPECIFIC, 0)) status = 'good';
  else if (isTag(statusNode, asn1.Class.CONTEXT_SPECIFIC, 2)) status = 'unknown';
  else if (isTag(statusNode, asn1.Class.CONTEXT_SPECIFIC, 1)) {
    // RevokedInfo ::= SEQUENCE { revocationTime GeneralizedTime, revocationReason [0] EXPLICIT CRLReason OPTIONAL }
    status = 'revoked';
    const [time, reasonNode] = children(statusNode);
    revokedAt = readTime(time);
    const reasonValue = children(reasonNode)[0];
    if (isTag(reasonValue, asn1.Class.UNIVERSAL, asn1.Type.ENUMERATED)) reason = reasonName(primitive(reasonValue).charCodeAt(0));
  } else {
    fail('bad certStatus');
  }
  if (!isTime(thisUpdateNode)) fail('no thisUpdate');
  const nextUpdateNode = rest.find((n) => isTag(n, asn1.Class.CONTEXT_SPECIFIC, 0));
  return {
    certId: {
      hashAlgorithm,
      issuerNameHash: binary(primitive(nameHash)),
      issuerKeyHash: binary(primitive(keyHash)),
      serialNumber: serialHex(primitive(serial)),
    },
    status,
    revokedAt,
    reason,
    thisUpdate: readTime(thisUpdateNode),
    nextUpdate: nextUpdateNode ? readTime(children(nextUpdateNode)[0]) : null,
  };
}

/** `[0] EXPLICIT SEQUENCE OF Certificate`, each certificate's bytes sliced as they are. */
function readCerts(field: Uint8Array | undefined): Uint8Array[] {
  if (!field) return [];
  const outer = readTlv(field, 0, field.length);
  if (outer.tag !== 0xa0) fail('unexpected field after the OCSP signature');
  const [list] = tlvChildren(field, outer);
  if (!list || list.tag !== 0x30) fail('bad certs field');
  return tlvChildren(field, list).map((c) => field.slice(c.start, c.end));
}

function serialOf(serialDer: Uint8Array): string {
  const node = parseDer(serialDer);
  return serialHex(primitive(node));
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, k) => v === b[k]);
}
