/**
 * X.509 CRLs (RFC 5280 §5), parsed with pkijs (the CMS core's library). Parsing only: whether the CRL is
 * signed by the right issuer is decided in certificate-checks.ts. Every read is bounds-checked; anything
 * malformed becomes AppError('CERT_REVOCATION_DATA_INVALID'), never a crash.
 *
 * Also holds the small raw-DER reader the revocation code shares: signatures cover the exact bytes of a
 * "to be signed" part, so those bytes are sliced from the input rather than re-encoded by forge.
 */
import forge from 'node-forge';
import * as asn1js from 'asn1js';
import { CertificateRevocationList } from 'pkijs';
import { AppError } from '../errors';
import { asn1, children, isTag, parseDer, primitive, readOid, type Asn1 } from './der';

export type RevocationReason =
  | 'unspecified'
  | 'keyCompromise'
  | 'cACompromise'
  | 'affiliationChanged'
  | 'superseded'
  | 'cessationOfOperation'
  | 'certificateHold'
  | 'removeFromCRL'
  | 'privilegeWithdrawn'
  | 'aACompromise';

/** CRLReason ENUMERATED values (RFC 5280 §5.3.1); 7 is unused. */
const reasonNames: Readonly<Record<number, RevocationReason>> = {
  0: 'unspecified',
  1: 'keyCompromise',
  2: 'cACompromise',
  3: 'affiliationChanged',
  4: 'superseded',
  5: 'cessationOfOperation',
  6: 'certificateHold',
  8: 'removeFromCRL',
  9: 'privilegeWithdrawn',
  10: 'aACompromise',
};

export function reasonName(code: number): RevocationReason {
  return reasonNames[code] ?? 'unspecified';
}

export interface RevokedEntry {
  readonly revokedAt: Date;
  readonly reason: RevocationReason | null;
}

export interface ParsedCrl {
  readonly signed: SignedParts;
  /** DER of the issuer Name, as written in the CRL. */
  readonly issuerNameDer: Uint8Array;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date | null;
  /** Revoked serial numbers, lowercase hex without leading zero bytes (as CertificateInfo.serialNumber). */
  readonly revoked: ReadonlyMap<string, RevokedEntry>;
}

export function parseCrl(der: Uint8Array): ParsedCrl {
  return guard('crl', () => {
    // One DER value and nothing after it (a captive portal's page or trailing bytes are refused).
    const outer = asn1js.fromBER(new Uint8Array(der));
    if (outer.offset === -1 || outer.offset !== der.length) fail('not one DER value');
    const crl = CertificateRevocationList.fromBER(new Uint8Array(der));
    if (crl.signature.algorithmId !== crl.signatureAlgorithm.algorithmId) fail('signature algorithm inside and outside differ');
    if (crl.signatureValue.valueBlock.unusedBits !== 0) fail('signature BIT STRING has unused bits');
    const revoked = new Map<string, RevokedEntry>();
    for (const entry of crl.revokedCertificates ?? []) {
      const reasonExtension = entry.crlEntryExtensions?.extensions.find((e) => e.extnID === '2.5.29.21');
      revoked.set(hexOf(entry.userCertificate.valueBlock.valueHexView), { revokedAt: validDate(entry.revocationDate.value), reason: reasonExtension ? readReason(reasonExtension.extnValue.valueBlock.valueHexView) : null });
    }
    return {
      signed: {
        tbsDer: crl.tbsView.slice(),
        signatureAlgorithm: crl.signatureAlgorithm.algorithmId,
        signature: crl.signatureValue.valueBlock.valueHexView.slice(),
        trailingDer: [],
      },
      issuerNameDer: new Uint8Array(crl.issuer.toSchema().toBER()),
      thisUpdate: validDate(crl.thisUpdate.value),
      nextUpdate: crl.nextUpdate ? validDate(crl.nextUpdate.value) : null,
      revoked,
    };
  });
}

/** CRLReason ::= ENUMERATED (the reasonCode entry extension's value). */
function readReason(value: Uint8Array): RevocationReason {
  const parsed = asn1js.fromBER(value);
  if (!(parsed.result instanceof asn1js.Enumerated)) fail('bad reasonCode');
  return reasonName(parsed.result.valueBlock.valueDec);
}

function validDate(date: Date): Date {
  if (Number.isNaN(date.getTime())) fail('bad time value');
  return date;
}

/** Serial number bytes → lowercase hex without leading zero bytes (as CertificateInfo.serialNumber). */
const hexOf = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('').replace(/^(00)+(?=.)/, '');

// ---------------------------------------------------------------------------------------------------
// Shared helpers for certificates, CRLs and OCSP responses

/** The three parts of an X.509 SIGNED{…}: SEQUENCE { toBeSigned, AlgorithmIdentifier, BIT STRING }. */
export interface SignedParts {
  /** The exact DER bytes the signature covers. */
  readonly tbsDer: Uint8Array;
  readonly signatureAlgorithm: string;
  /** The signature value (BIT STRING content without the unused-bits byte). */
  readonly signature: Uint8Array;
  /** Raw DER of fields after the signature (a BasicOCSPResponse's `[0] certs`); empty for certificates and CRLs. */
  readonly trailingDer: readonly Uint8Array[];
}

/** Splits a SIGNED{…}; `maxTrailing` fields may follow the signature (1 for a BasicOCSPResponse). */
export function splitSignedDer(der: Uint8Array, maxTrailing = 0): SignedParts {
  const outer = readTlv(der, 0, der.length);
  if (outer.tag !== 0x30 || outer.end !== der.length) fail('not one DER SEQUENCE');
  const parts = tlvChildren(der, outer);
  const [tbs, algorithm, signature] = parts;
  if (parts.length < 3 || parts.length > 3 + maxTrailing || !tbs || !algorithm || !signature) fail('not a signed structure');
  if (tbs.tag !== 0x30 || algorithm.tag !== 0x30 || signature.tag !== 0x03 || signature.contentStart >= signature.end) {
    fail('not a signed structure');
  }
  const algorithmOid = readOid(children(parseDer(der.subarray(algorithm.start, algorithm.end)))[0]);
  if (!algorithmOid) fail('no signature algorithm');
  if (der[signature.contentStart] !== 0) fail('signature BIT STRING has unused bits');
  return {
    tbsDer: der.slice(tbs.start, tbs.end),
    signatureAlgorithm: algorithmOid,
    signature: der.slice(signature.contentStart + 1, signature.end),
    trailingDer: parts.slice(3).map((p) => der.slice(p.start, p.end)),
  };
}

/** One DER tag-length-value inside `bytes[start, limit)`. Only low tag numbers (< 31) are needed here. */
export interface Tlv {
  readonly tag: number;
  readonly start: number;
  readonly contentStart: number;
  readonly end: number;
}

export function readTlv(bytes: Uint8Array, start: number, limit: number): Tlv {
  let pos = start;
  const tag = bytes[pos++];
  if (tag === undefined || pos > limit) fail('truncated DER');
  if ((tag & 0x1f) === 0x1f) fail('high tag numbers are not expected here');
  const first = bytes[pos++];
  if (first === undefined || pos > limit) fail('truncated DER length');
  let length = first;
  if (first & 0x80) {
    const count = first & 0x7f;
    if (count === 0 || count > 4) fail('indefinite or oversized DER length');
    length = 0;
    for (let k = 0; k < count; k++) {
      const b = bytes[pos++];
      if (b === undefined || pos > limit) fail('truncated DER length');
      length = length * 256 + b;
    }
  }
  const end = pos + length;
  if (end > limit) fail('DER value runs past its container');
  return { tag, start, contentStart: pos, end };
}

export function tlvChildren(bytes: Uint8Array, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let pos = parent.contentStart; pos < parent.end; ) {
    const child = readTlv(bytes, pos, parent.end);
    out.push(child);
    pos = child.end;
  }
  return out;
}

export function isTime(node: Asn1 | undefined): boolean {
  return isTag(node, asn1.Class.UNIVERSAL, asn1.Type.UTCTIME) || isTag(node, asn1.Class.UNIVERSAL, asn1.Type.GENERALIZEDTIME);
}

export function readTime(node: Asn1 | undefined): Date {
  let date: Date | undefined;
  if (isTag(node, asn1.Class.UNIVERSAL, asn1.Type.UTCTIME)) date = asn1.utcTimeToDate(primitive(node));
  else if (isTag(node, asn1.Class.UNIVERSAL, asn1.Type.GENERALIZEDTIME)) date = asn1.generalizedTimeToDate(primitive(node));
  if (!date || Number.isNaN(date.getTime())) fail('bad time value');
  return date;
}

/** Serial number content bytes → lowercase hex without leading zero bytes. */
export function serialHex(content: string): string {
  return forge.util.bytesToHex(content).replace(/^(00)+(?=.)/, '');
}

export const binary = (text: string): Uint8Array => forge.util.binary.raw.decode(text);

export function encodeNode(node: Asn1): Uint8Array {
  return binary(asn1.toDer(node).getBytes());
}

/** Thrown inside a parser; `guard` turns it (and anything forge throws) into an AppError. */
class MalformedInput extends Error {}

export function fail(reason: string): never {
  throw new MalformedInput(reason);
}

export function guard<T>(kind: 'crl' | 'ocsp', parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (err instanceof AppError) throw err;
    const reason = err instanceof Error ? err.message : String(err);
    throw new AppError('CERT_REVOCATION_DATA_INVALID', { kind, reason }, { cause: err });
  }
}
