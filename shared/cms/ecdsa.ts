/**
 * ECDSA verification on the NIST curves a Vietnamese token or CA uses (P-256, P-384; P-521 for
 * completeness), with @noble/curves: node-forge has no EC support. Used both for CMS signatures (over the
 * digest of the signed attributes) and for certificate signatures (over the digest of the TBSCertificate).
 */
import { p256, p384, p521 } from '@noble/curves/nist.js';
import * as asn1js from 'asn1js';
import { PublicKeyInfo } from 'pkijs';

type NamedCurve = 'P-256' | 'P-384' | 'P-521';

const curveOids: Record<string, NamedCurve> = {
  '1.2.840.10045.3.1.7': 'P-256', // prime256v1 / secp256r1
  '1.3.132.0.34': 'P-384', // secp384r1
  '1.3.132.0.35': 'P-521', // secp521r1
};

const EC_PUBLIC_KEY_OID = '1.2.840.10045.2.1';

export interface EcPublicKey {
  readonly curve: NamedCurve;
  /** SEC1 point encoding (0x04 ‖ X ‖ Y, or compressed), as in the SPKI's BIT STRING. */
  readonly point: Uint8Array;
}

/**
 * Reads an EC SubjectPublicKeyInfo: algorithm id-ecPublicKey with a namedCurve parameter (RFC 5480;
 * explicit curve parameters are not accepted — RFC 5480 forbids them in PKIX) and the point.
 * Returns null for any other key.
 */
export function readEcPublicKey(spkiDer: Uint8Array): EcPublicKey | null {
  try {
    const spki = PublicKeyInfo.fromBER(new Uint8Array(spkiDer));
    if (spki.algorithm.algorithmId !== EC_PUBLIC_KEY_OID) return null;
    const parameters: unknown = spki.algorithm.algorithmParams;
    const curve = parameters instanceof asn1js.ObjectIdentifier ? curveOids[parameters.getValue()] : undefined;
    const bits = spki.subjectPublicKey.valueBlock;
    if (!curve || bits.unusedBits !== 0) return null; // a point is whole bytes
    return { curve, point: bits.valueHexView.slice() };
  } catch {
    return null;
  }
}

/**
 * Verifies a DER ECDSA-Sig-Value over an already computed digest (the hash chosen by the signature
 * algorithm: SHA-256 for ecdsa-with-SHA256, …). `prehash: false` because the digest is given; `lowS: false`
 * because tokens and OpenSSL do not normalise S (that rule is Bitcoin's, not X9.62's).
 */
export function verifyEcdsaDigest(key: EcPublicKey, digest: Uint8Array, derSignature: Uint8Array): boolean {
  const curve = key.curve === 'P-256' ? p256 : key.curve === 'P-384' ? p384 : p521;
  try {
    return curve.verify(derSignature, digest, key.point, { prehash: false, format: 'der', lowS: false });
  } catch {
    return false; // malformed signature or point
  }
}
