/**
 * The one policy every signature check follows — the counter's unlock, `motcua verify`, the verify screen,
 * the central's commit check and the time-stamp checks — so that they cannot disagree about a signature.
 *
 * Decisions (issue 18):
 * - RSA PKCS#1 v1.5: the DigestInfo may carry NULL parameters or none. Both encodings appear in the wild
 *   and RFC 8017 §9.2 note 2 / RFC 4055 §5 require verifiers to accept both. Checked by encode-and-compare
 *   against the two exact encodings (never by parsing the decrypted block).
 * - SHA-1 is refused everywhere (certificate, CRL, OCSP, CMS and time-stamp signatures) unless a caller's
 *   policy lists it. Identifiers that merely use SHA-1 as a name (OCSP responder key hash, ESSCertID v1)
 *   are not signatures and are not affected.
 */
export type HashName = 'sha1' | 'sha256' | 'sha384' | 'sha512';

export interface SignaturePolicy {
  /** Hash functions a signature may use (its own hash and, for RSA-PSS, the MGF1 hash). */
  readonly allowedHashes: readonly HashName[];
  /** Most certificates in a path before the trust anchor (the signer included). */
  readonly maxPathLength: number;
}

export const DEFAULT_SIGNATURE_POLICY: SignaturePolicy = {
  allowedHashes: ['sha256', 'sha384', 'sha512'],
  maxPathLength: 8,
};
