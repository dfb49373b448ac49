/**
 * OCSP (RFC 6960): building a request for one certificate (node-forge's ASN.1 writer) and parsing the
 * responder's answer (pkijs, the CMS core's library; original bytes kept for the signature check). Parsing only — whether the BasicOCSPResponse is signed by the issuer or by a
 * delegated responder the issuer certified is decided in certificate-checks.ts. Malformed input becomes
 * AppError('CERT_REVOCATION_DATA_INVALID'), never a crash.
 */
import { sha1 } from '@noble/hashes/legacy.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { AppError } from '../errors';
import * as asn1js from 'asn1js';
import { BasicOCSPResponse, OCSPResponse, RelativeDistinguishedNames, type SingleResponse as PkijsSingleResponse } from 'pkijs';
import { encodeDer, nullValue, octetString, oid, parseDer, seq } from './der';
import { contentOf, parseDerValue, serialHex } from './certificate';
import { fail, guard, reasonName, type RevocationReason, type SignedParts } from './crl';
import { sameBytes } from './hashes';

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
  return sameBytes(nameHash, id.issuerNameHash) && sameBytes(keyHash, id.issuerKeyHash) && serialOf(input.serialDer) === id.serialNumber;
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

interface SingleResponse {
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
    const outer = asn1js.fromBER(new Uint8Array(der));
    if (outer.offset === -1 || outer.offset !== der.length) fail('not one DER value');
    const response = new OCSPResponse({ schema: outer.result });
    const statusCode = response.responseStatus.valueBlock.valueDec;
    if (statusCode !== 0) {
      throw new AppError('CERT_REVOCATION_DATA_INVALID', { kind: 'ocsp', reason: `responder answered ${responseStatusNames[statusCode] ?? String(statusCode)}` });
    }
    if (!response.responseBytes) fail('no responseBytes');
    if (response.responseBytes.responseType !== OCSP_OID.basicResponse) fail('not a basic OCSP response');
    return parseBasicResponse(response.responseBytes.response.valueBlock.valueHexView.slice());
  });
}

function parseBasicResponse(der: Uint8Array): ParsedOcspResponse {
  const tree = asn1js.fromBER(der);
  if (tree.offset === -1 || tree.offset !== der.length || !(tree.result instanceof asn1js.Sequence)) fail('not one DER SEQUENCE');
  const basic = new BasicOCSPResponse({ schema: tree.result });
  if (basic.signature.valueBlock.unusedBits !== 0) fail('signature BIT STRING has unused bits');
  const data = basic.tbsResponseData;
  const responder: unknown = data.responderID;
  let responderId: ParsedOcspResponse['responderId'];
  if (responder instanceof RelativeDistinguishedNames) responderId = { byName: new Uint8Array(responder.toSchema().toBER()) };
  else if (responder instanceof asn1js.OctetString) responderId = { byKeyHash: responder.valueBlock.valueHexView.slice() };
  else fail('no responderID');
  // `[0] EXPLICIT SEQUENCE OF Certificate` after the signature: each certificate's bytes as they are.
  const certsField = tree.result.valueBlock.value[3];
  const certsList: unknown = certsField instanceof asn1js.Constructed ? certsField.valueBlock.value[0] : undefined;
  const certsDer = certsList instanceof asn1js.Sequence ? certsList.valueBlock.value.map((c) => c.valueBeforeDecodeView.slice()) : [];
  return {
    signed: {
      tbsDer: data.tbsView.slice(),
      signatureAlgorithm: basic.signatureAlgorithm.algorithmId,
      signature: basic.signature.valueBlock.valueHexView.slice(),
      trailingDer: certsField ? [certsField.valueBeforeDecodeView.slice()] : [],
    },
    responderId,
    producedAt: validDate(data.producedAt),
    certsDer,
    responses: data.responses.map(readSingleResponse),
  };
}

function readSingleResponse(single: PkijsSingleResponse): SingleResponse {
  const certStatus: unknown = single.certStatus;
  if (!(certStatus instanceof asn1js.BaseBlock) || certStatus.idBlock.tagClass !== 3) fail('bad certStatus');
  let status: SingleResponse['status'];
  let revokedAt: Date | null = null;
  let reason: RevocationReason | null = null;
  const tag = certStatus.idBlock.tagNumber;
  if (tag === 0) status = 'good';
  else if (tag === 2) status = 'unknown';
  else if (tag === 1 && certStatus instanceof asn1js.Constructed) {
    // RevokedInfo ::= SEQUENCE { revocationTime GeneralizedTime, revocationReason [0] EXPLICIT CRLReason OPTIONAL }
    status = 'revoked';
    const [time, reasonField] = certStatus.valueBlock.value;
    if (!(time instanceof asn1js.GeneralizedTime)) fail('bad revocationTime');
    revokedAt = validDate(time.toDate());
    const reasonValue: unknown = reasonField instanceof asn1js.Constructed ? reasonField.valueBlock.value[0] : undefined;
    if (reasonValue instanceof asn1js.Enumerated) reason = reasonName(reasonValue.valueBlock.valueDec);
  } else {
    fail('bad certStatus');
  }
  const id = single.certID;
  return {
    certId: {
      hashAlgorithm: id.hashAlgorithm.algorithmId,
      issuerNameHash: id.issuerNameHash.valueBlock.valueHexView.slice(),
      issuerKeyHash: id.issuerKeyHash.valueBlock.valueHexView.slice(),
      serialNumber: serialHex(id.serialNumber.valueBlock.valueHexView),
    },
    status,
    revokedAt,
    reason,
    thisUpdate: validDate(single.thisUpdate),
    nextUpdate: single.nextUpdate ? validDate(single.nextUpdate) : null,
  };
}

function validDate(date: Date): Date {
  if (Number.isNaN(date.getTime())) fail('bad time value');
  return date;
}

/** The serial of a DER INTEGER as CertId.serialNumber has it; throws when `serialDer` is not one DER value. */
function serialOf(serialDer: Uint8Array): string {
  return serialHex(contentOf(parseDerValue(serialDer)));
}
