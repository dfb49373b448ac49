/**
 * An X.509 certificate as the CMS core checks it, parsed with pkijs: the TBSCertificate exactly as in the
 * file (pkijs keeps the original bytes, so its hash is the one the issuer signed), the signature algorithm
 * with its parameters, the public key, and the extensions the path builder judges. Names, dates and the
 * summary shown to clerks come from certificate.ts (`info`), from the same parse.
 */
import * as asn1js from 'asn1js';
import { certificateInfo, parseCertificate, type CertificateInfo } from './certificate';
import type { SignatureAlgorithm } from './verify-signature';

export interface X509 {
  readonly der: Uint8Array;
  readonly info: CertificateInfo;
  /** The TBSCertificate as in the file: what the issuer signed. */
  readonly tbsDer: Uint8Array;
  readonly signatureAlgorithm: SignatureAlgorithm;
  readonly signatureValue: Uint8Array;
  /** DER SubjectPublicKeyInfo. */
  readonly spkiDer: Uint8Array;
  /** subjectPublicKey without the unused-bits byte (what OCSP's issuerKeyHash hashes). */
  readonly keyBits: Uint8Array;
  /** basicConstraints cA; null when the extension is absent. */
  readonly basicConstraintsCa: boolean | null;
  /** keyUsage bits of the first byte (digitalSignature = 0x80 …); null when the extension is absent. */
  readonly keyUsageBits: number | null;
  /** extnID → criticality and the extnValue OCTET STRING's content. */
  readonly extensions: ReadonlyMap<string, { readonly critical: boolean; readonly value: Uint8Array }>;
}

export const KEY_USAGE = { digitalSignature: 0x80, nonRepudiation: 0x40, keyCertSign: 0x04, cRLSign: 0x02 } as const;
const BASIC_CONSTRAINTS = '2.5.29.19';
const KEY_USAGE_OID = '2.5.29.15';

/** Throws Error when `der` is not one DER certificate. */
export function parseX509(der: Uint8Array): X509 {
  const cert = parseCertificate(der);
  const extensions = new Map<string, { critical: boolean; value: Uint8Array }>();
  let basicConstraintsCa: boolean | null = null;
  let keyUsageBits: number | null = null;
  for (const ext of cert.extensions ?? []) {
    const value = ext.extnValue.valueBlock.valueHexView.slice();
    extensions.set(ext.extnID, { critical: ext.critical, value });
    // Read from the extnValue bytes (not pkijs's parsedValue): a malformed value means "not a CA" / "no usage".
    if (ext.extnID === BASIC_CONSTRAINTS) basicConstraintsCa = readBasicConstraintsCa(value);
    if (ext.extnID === KEY_USAGE_OID) keyUsageBits = readKeyUsageBits(value);
  }
  const spki = cert.subjectPublicKeyInfo;
  return {
    der,
    info: certificateInfo(cert),
    tbsDer: cert.tbsView.slice(),
    signatureAlgorithm: { oid: cert.signatureAlgorithm.algorithmId, params: cert.signatureAlgorithm.algorithmParams },
    signatureValue: cert.signatureValue.valueBlock.valueHexView.slice(),
    spkiDer: new Uint8Array(spki.toSchema().toBER()),
    keyBits: spki.subjectPublicKey.valueBlock.valueHexView.slice(),
    basicConstraintsCa,
    keyUsageBits,
    extensions,
  };
}

/** BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER OPTIONAL } */
function readBasicConstraintsCa(value: Uint8Array): boolean {
  const parsed = asn1js.fromBER(new Uint8Array(value));
  const first: unknown = parsed.result instanceof asn1js.Sequence ? parsed.result.valueBlock.value[0] : undefined;
  return first instanceof asn1js.Boolean && first.getValue();
}

/** KeyUsage ::= BIT STRING; the first byte holds digitalSignature … keyCertSign, cRLSign. */
function readKeyUsageBits(value: Uint8Array): number {
  const parsed = asn1js.fromBER(new Uint8Array(value));
  return parsed.result instanceof asn1js.BitString ? (parsed.result.valueBlock.valueHexView[0] ?? 0) : 0;
}

/** parseX509, or null when unreadable. */
export function tryParseX509(der: Uint8Array): X509 | null {
  try {
    return parseX509(der);
  } catch {
    return null;
  }
}
