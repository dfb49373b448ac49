/**
 * X.509 CRLs (RFC 5280 §5), parsed with node-forge's ASN.1 toolkit. Parsing only: whether the CRL is
 * signed by the right issuer is decided in certificate-checks.ts. Every read is bounds-checked; anything
 * malformed becomes AppError('CERT_REVOCATION_DATA_INVALID'), never a crash.
 *
 * Also holds the small raw-DER reader the revocation code shares: signatures cover the exact bytes of a
 * "to be signed" part, so those bytes are sliced from the input rather than re-encoded by forge.
 */
import forge from 'node-forge';
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
    const signed = splitSignedDer(der);
    const tbs = parseDer(signed.tbsDer);
    const fields = children(tbs);
    // version INTEGER OPTIONAL (v2 = 1) comes first when present
    let i = isTag(fields[0], asn1.Class.UNIVERSAL, asn1.Type.INTEGER) ? 1 : 0;
    const innerAlgorithm = readOid(children(fields[i++])[0]);
    if (innerAlgorithm !== signed.signatureAlgorithm) fail('signature algorithm inside and outside differ');
    const issuer = fields[i++];
    if (!isTag(issuer, asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE)) fail('no issuer');
    const thisUpdate = readTime(fields[i++]);
    let nextUpdate: Date | null = null;
    if (isTime(fields[i])) nextUpdate = readTime(fields[i++]);
    const revoked = new Map<string, RevokedEntry>();
    const list = fields[i];
    if (isTag(list, asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE)) {
      i++;
      for (const entry of children(list)) {
        const [serial, date, extensions] = children(entry);
        if (!isTag(serial, asn1.Class.UNIVERSAL, asn1.Type.INTEGER)) fail('revoked entry without serial');
        revoked.set(serialHex(primitive(serial)), { revokedAt: readTime(date), reason: readEntryReason(extensions) });
      }
    }
    const rest = fields.slice(i);
    if (rest.some((f) => !isTag(f, asn1.Class.CONTEXT_SPECIFIC, 0))) fail('unexpected field after the revoked list');
    return { signed, issuerNameDer: encodeNode(issuer), thisUpdate, nextUpdate, revoked };
  });
}

function readEntryReason(extensions: Asn1 | undefined): RevocationReason | null {
  for (const ext of children(extensions)) {
    const parts = children(ext);
    if (readOid(parts[0]) !== '2.5.29.21') continue;
    const value = parseDer(binary(primitive(parts[parts.length - 1])));
    if (!isTag(value, asn1.Class.UNIVERSAL, asn1.Type.ENUMERATED)) fail('bad reasonCode');
    return reasonName(primitive(value).charCodeAt(primitive(value).length - 1));
  }
  return null;
}

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
