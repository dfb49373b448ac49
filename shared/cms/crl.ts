/**
 * X.509 CRLs (RFC 5280 §5), parsed with pkijs (the CMS core's library). Parsing only: whether the CRL is
 * signed by the right issuer is decided in certificate-checks.ts. Every read is bounds-checked; anything
 * malformed becomes AppError('CERT_REVOCATION_DATA_INVALID'), never a crash.
 *
 * Also holds the small helpers the revocation code shares (SignedParts, errors as CERT_REVOCATION_DATA_INVALID).
 * pkijs keeps the exact "to be signed" bytes, which is what the signatures cover.
 */
import * as asn1js from 'asn1js';
import { CertificateRevocationList } from 'pkijs';
import { AppError } from '../errors';
import { serialHex } from './certificate';

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

interface RevokedEntry {
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
    const crl = new CertificateRevocationList({ schema: outer.result });
    if (crl.signature.algorithmId !== crl.signatureAlgorithm.algorithmId) fail('signature algorithm inside and outside differ');
    if (crl.signatureValue.valueBlock.unusedBits !== 0) fail('signature BIT STRING has unused bits');
    const revoked = new Map<string, RevokedEntry>();
    for (const entry of crl.revokedCertificates ?? []) {
      const reasonExtension = entry.crlEntryExtensions?.extensions.find((e) => e.extnID === '2.5.29.21');
      revoked.set(serialHex(entry.userCertificate.valueBlock.valueHexView), { revokedAt: validDate(entry.revocationDate.value), reason: reasonExtension ? readReason(reasonExtension.extnValue.valueBlock.valueHexView) : null });
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

/** Thrown inside a parser; `guard` turns it (and anything a parser throws) into an AppError. */
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
