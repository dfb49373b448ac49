/**
 * Revocation evidence: the CRL or OCSP answer a counter fetched while online and used when it signed.
 * Circular 15/2025/TT-BKHCN asks signing software to keep the revocation status at signing time, so the
 * counter stores these records with each signed file and sends them to the central. The DER is kept
 * whole: anyone can re-verify it later against the issuer certificate.
 */
import { z } from 'zod';
import { AppError } from '../errors';
import { toBase64 } from '../util/bytes';
import { parseCrl } from './crl';
import { parseOcspResponse } from './ocsp';

const serialHex = z.string().regex(/^[0-9a-f]{1,64}$/, 'lowercase hex serial number');
const isoTime = z.iso.datetime({ offset: true });

export const revocationEvidenceSchema = z.object({
  kind: z.enum(['crl', 'ocsp']),
  /** The CRL (CertificateList) or the OCSPResponse, DER, base64. */
  der: z.base64().max(8 * 1024 * 1024),
  /** Where it was fetched from (the CRL distribution point or the OCSP responder). */
  url: z.string().min(1).max(2048),
  fetchedAt: isoTime,
  thisUpdate: isoTime,
  nextUpdate: isoTime.optional(),
  /** OCSP only: when the responder signed the answer. */
  producedAt: isoTime.optional(),
  /** The certificate whose status was asked (lowercase hex, no leading zero bytes). */
  certSerial: serialHex,
  /** The serial of that certificate's issuer (CA) certificate: which CA's CRL / responder this is. */
  issuerSerial: serialHex,
});

export type RevocationEvidence = z.infer<typeof revocationEvidenceSchema>;

export interface EvidenceSource {
  readonly kind: 'crl' | 'ocsp';
  readonly der: Uint8Array;
  readonly url: string;
  readonly fetchedAt: Date;
  readonly certSerial: string;
  readonly issuerSerial: string;
}

/**
 * A record from raw DER. The dates are read from the data (for OCSP: the single response about
 * `certSerial`); malformed DER → AppError('CERT_REVOCATION_DATA_INVALID'). This does not judge the
 * signature: checkSigningCertificate does, against the issuer it finds in the path.
 */
export function buildRevocationEvidence(source: EvidenceSource): RevocationEvidence {
  const base = {
    kind: source.kind,
    der: toBase64(source.der),
    url: source.url,
    fetchedAt: source.fetchedAt.toISOString(),
    certSerial: source.certSerial,
    issuerSerial: source.issuerSerial,
  };
  if (source.kind === 'crl') {
    const crl = parseCrl(source.der);
    return revocationEvidenceSchema.parse({
      ...base,
      thisUpdate: crl.thisUpdate.toISOString(),
      ...(crl.nextUpdate ? { nextUpdate: crl.nextUpdate.toISOString() } : {}),
    });
  }
  const ocsp = parseOcspResponse(source.der);
  const single = ocsp.responses.find((r) => r.certId.serialNumber === source.certSerial);
  if (!single) throw new AppError('CERT_REVOCATION_DATA_INVALID', { kind: 'ocsp', reason: 'the answer is not about this certificate' });
  return revocationEvidenceSchema.parse({
    ...base,
    thisUpdate: single.thisUpdate.toISOString(),
    ...(single.nextUpdate ? { nextUpdate: single.nextUpdate.toISOString() } : {}),
    producedAt: ocsp.producedAt.toISOString(),
  });
}
