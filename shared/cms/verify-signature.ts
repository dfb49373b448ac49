/**
 * The one synchronous signature verifier of the CMS core: RSA PKCS#1 v1.5, RSA-PSS and ECDSA on
 * P-256/P-384/P-521, for certificate, CRL, OCSP, CMS and time-stamp signatures alike. Synchronous because
 * the central and `motcua verify` check whole PDFs without an event-loop hop per signature, and pkijs's own
 * verification goes through async WebCrypto. Keys and parameters are read with pkijs/asn1js; the RSA
 * public operation is plain BigInt arithmetic; ECDSA is ecdsa.ts (@noble/curves). Never throws: anything
 * malformed is 'invalid', anything unknown 'unsupported', a hash outside the policy 'hash-not-allowed'.
 */
import * as asn1js from 'asn1js';
import { PublicKeyInfo, RSAPublicKey, RSASSAPSSParams } from 'pkijs';
import { readEcPublicKey, verifyEcdsaDigest } from './ecdsa';
import { digestOf, HASH_OIDS, hashLength, hashNameOf, sameBytes } from './hashes';
import type { HashName, SignaturePolicy } from './signature-policy';

export type SignatureVerdict = 'valid' | 'invalid' | 'unsupported' | 'hash-not-allowed';

const SIGNATURE_OID = {
  rsaEncryption: '1.2.840.113549.1.1.1',
  rsassaPss: '1.2.840.113549.1.1.10',
  mgf1: '1.2.840.113549.1.1.8',
  ecPublicKey: '1.2.840.10045.2.1',
} as const;

/** Signature algorithm OID → key family and the hash it names (null: the key type only, the hash comes from the CMS). */
const ALGORITHMS: Readonly<Record<string, { readonly family: 'rsa' | 'rsa-pss' | 'ec'; readonly hash: HashName | null }>> = {
  [SIGNATURE_OID.rsaEncryption]: { family: 'rsa', hash: null },
  '1.2.840.113549.1.1.5': { family: 'rsa', hash: 'sha1' },
  '1.2.840.113549.1.1.11': { family: 'rsa', hash: 'sha256' },
  '1.2.840.113549.1.1.12': { family: 'rsa', hash: 'sha384' },
  '1.2.840.113549.1.1.13': { family: 'rsa', hash: 'sha512' },
  [SIGNATURE_OID.rsassaPss]: { family: 'rsa-pss', hash: null },
  [SIGNATURE_OID.ecPublicKey]: { family: 'ec', hash: null },
  '1.2.840.10045.4.1': { family: 'ec', hash: 'sha1' },
  '1.2.840.10045.4.3.2': { family: 'ec', hash: 'sha256' },
  '1.2.840.10045.4.3.3': { family: 'ec', hash: 'sha384' },
  '1.2.840.10045.4.3.4': { family: 'ec', hash: 'sha512' },
};

export interface SignatureAlgorithm {
  readonly oid: string;
  /** The AlgorithmIdentifier's parameters as asn1js parsed them (RSASSA-PSS-params); absent otherwise. */
  readonly params?: unknown;
}

export interface SignedDigest {
  /** DER SubjectPublicKeyInfo of the signer. */
  readonly spkiDer: Uint8Array;
  readonly algorithm: SignatureAlgorithm;
  /** The CMS digestAlgorithm OID: the hash when the signature algorithm names only the key type. */
  readonly digestOid?: string | null;
  readonly signature: Uint8Array;
}

/**
 * The hash a signature uses, or why it cannot be used: 'unsupported' for an unknown algorithm,
 * 'hash-not-allowed' for a known hash outside the policy. The PSS MGF1 hash is checked too.
 */
export function signatureHash(algorithm: SignatureAlgorithm, digestOid: string | null | undefined, policy: SignaturePolicy): HashName | 'unsupported' | 'hash-not-allowed' {
  const known = ALGORITHMS[algorithm.oid];
  if (!known) return 'unsupported';
  let hash: HashName | null = known.hash;
  if (known.family === 'rsa-pss') {
    const pss = readPssParams(algorithm.params);
    if (!pss) return 'unsupported';
    if (!policy.allowedHashes.includes(pss.mgfHash)) return 'hash-not-allowed';
    hash = pss.hash;
  }
  hash ??= digestOid ? hashNameOf(digestOid) : null;
  if (!hash) return 'unsupported';
  return policy.allowedHashes.includes(hash) ? hash : 'hash-not-allowed';
}

/** Verifies a signature over `data` (hashed here with the signature's hash). */
export function verifySignedBytes(input: SignedDigest & { readonly data: Uint8Array }, policy: SignaturePolicy): SignatureVerdict {
  const hash = signatureHash(input.algorithm, input.digestOid, policy);
  if (hash === 'unsupported' || hash === 'hash-not-allowed') return hash;
  return verifySignedDigest({ ...input, digest: digestOf(hash, input.data) }, policy);
}

/** Verifies a signature over an already computed `digest` (made with the signature's hash). */
export function verifySignedDigest(input: SignedDigest & { readonly digest: Uint8Array }, policy: SignaturePolicy): SignatureVerdict {
  const hash = signatureHash(input.algorithm, input.digestOid, policy);
  if (hash === 'unsupported' || hash === 'hash-not-allowed') return hash;
  const family = ALGORITHMS[input.algorithm.oid]?.family;
  if (input.digest.length !== hashLength(hash)) return 'invalid';
  try {
    if (family === 'ec') {
      const key = readEcPublicKey(input.spkiDer);
      if (!key) return keyAlgorithm(input.spkiDer) === SIGNATURE_OID.ecPublicKey ? 'unsupported' : 'invalid';
      return verifyEcdsaDigest(key, input.digest, input.signature) ? 'valid' : 'invalid';
    }
    const key = readRsaPublicKey(input.spkiDer);
    if (!key) return 'invalid';
    const k = (key.bits + 7) >> 3;
    if (input.signature.length !== k) return 'invalid';
    const s = toBigInt(input.signature);
    if (s >= key.n) return 'invalid';
    const em = fromBigInt(modPow(s, key.e, key.n), k);
    if (family === 'rsa') return emsaPkcs1Matches(em, hash, input.digest) ? 'valid' : 'invalid';
    const pss = readPssParams(input.algorithm.params);
    const emLen = Math.ceil((key.bits - 1) / 8);
    // emLen is k − 1 when modBits − 1 is a multiple of 8: the dropped leading byte must be zero.
    if (!pss || em.subarray(0, em.length - emLen).some((b) => b !== 0)) return 'invalid';
    return emsaPssMatches(em.subarray(em.length - emLen), key.bits - 1, hash, pss, input.digest) ? 'valid' : 'invalid';
  } catch {
    return 'invalid';
  }
}

// ---------------------------------------------------------------------------------------------------
// RSA

interface RsaKey {
  readonly n: bigint;
  readonly e: bigint;
  readonly bits: number;
}

function keyAlgorithm(spkiDer: Uint8Array): string | null {
  try {
    return PublicKeyInfo.fromBER(new Uint8Array(spkiDer)).algorithm.algorithmId;
  } catch {
    return null;
  }
}

function readRsaPublicKey(spkiDer: Uint8Array): RsaKey | null {
  const spki = PublicKeyInfo.fromBER(new Uint8Array(spkiDer));
  // RFC 4055 §1.2: a PSS key may be published under id-RSASSA-PSS as well as rsaEncryption.
  if (spki.algorithm.algorithmId !== SIGNATURE_OID.rsaEncryption && spki.algorithm.algorithmId !== SIGNATURE_OID.rsassaPss) return null;
  const key = RSAPublicKey.fromBER(new Uint8Array(spki.subjectPublicKey.valueBlock.valueHexView));
  const n = toBigInt(key.modulus.valueBlock.valueHexView);
  const e = toBigInt(key.publicExponent.valueBlock.valueHexView);
  if (n <= 0n || e <= 1n) return null;
  return { n, e, bits: n.toString(2).length };
}

/**
 * EMSA-PKCS1-v1_5 by encode-and-compare (RFC 8017 §8.2.2 step 4): the block must equal one of the two
 * encodings of the DigestInfo — with NULL parameters or without (the shared policy, signature-policy.ts).
 */
function emsaPkcs1Matches(em: Uint8Array, hash: HashName, digest: Uint8Array): boolean {
  return [true, false].some((withNull) => {
    const t = digestInfo(hash, digest, withNull);
    const padding = em.length - t.length - 3;
    if (padding < 8) return false;
    const expected = new Uint8Array(em.length);
    expected[1] = 0x01;
    expected.fill(0xff, 2, 2 + padding);
    expected.set(t, 3 + padding);
    return sameBytes(em, expected);
  });
}

function digestInfo(hash: HashName, digest: Uint8Array, withNull: boolean): Uint8Array {
  const algorithm = new asn1js.Sequence({
    value: [new asn1js.ObjectIdentifier({ value: HASH_OIDS[hash] }), ...(withNull ? [new asn1js.Null()] : [])],
  });
  return new Uint8Array(new asn1js.Sequence({ value: [algorithm, new asn1js.OctetString({ valueHex: digest })] }).toBER());
}

interface PssParams {
  readonly hash: HashName;
  readonly mgfHash: HashName;
  readonly saltLength: number;
}

/** RSASSA-PSS-params (RFC 4055 §3.1): defaults SHA-1 / MGF1-SHA-1 / 20 bytes, which the policy then refuses. */
function readPssParams(params: unknown): PssParams | null {
  try {
    const parsed = params instanceof asn1js.Sequence ? new RSASSAPSSParams({ schema: params }) : new RSASSAPSSParams();
    if (parsed.trailerField !== 1) return null;
    const hash = hashNameOf(parsed.hashAlgorithm.algorithmId);
    if (parsed.maskGenAlgorithm.algorithmId !== SIGNATURE_OID.mgf1) return null;
    const mgfParams: unknown = parsed.maskGenAlgorithm.algorithmParams;
    const mgfHashOid = mgfParams instanceof asn1js.Sequence ? (mgfParams.valueBlock.value[0] as asn1js.ObjectIdentifier | undefined)?.getValue() : HASH_OIDS.sha1;
    const mgfHash = mgfHashOid ? hashNameOf(mgfHashOid) : null;
    return hash && mgfHash ? { hash, mgfHash, saltLength: parsed.saltLength } : null;
  } catch {
    return null;
  }
}

/** EMSA-PSS-VERIFY (RFC 8017 §9.1.2) over the encoded message `em` of emLen = ⌈emBits/8⌉ bytes. */
function emsaPssMatches(em: Uint8Array, emBits: number, hash: HashName, pss: PssParams, mHash: Uint8Array): boolean {
  const hLen = hashLength(hash);
  const sLen = pss.saltLength;
  const emLen = em.length;
  if (emLen < hLen + sLen + 2 || em[emLen - 1] !== 0xbc) return false;
  const maskedDb = em.subarray(0, emLen - hLen - 1);
  const h = em.subarray(emLen - hLen - 1, emLen - 1);
  const zeroBits = 8 * emLen - emBits;
  const topMask = (0xff >> zeroBits) & 0xff;
  if (((maskedDb[0] ?? 0) & ~topMask & 0xff) !== 0) return false;
  const dbMask = mgf1(pss.mgfHash, h, maskedDb.length);
  const db = maskedDb.map((b, i) => b ^ (dbMask[i] ?? 0));
  db[0] = (db[0] ?? 0) & topMask;
  const psEnd = emLen - hLen - sLen - 2;
  for (let i = 0; i < psEnd; i++) if (db[i] !== 0) return false;
  if (db[psEnd] !== 0x01) return false;
  const salt = db.subarray(db.length - sLen);
  return sameBytes(h, digestOf(hash, new Uint8Array(8), mHash, salt));
}

function mgf1(hash: HashName, seed: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let counter = 0, at = 0; at < length; counter++) {
    const block = digestOf(hash, seed, Uint8Array.of(counter >>> 24, (counter >>> 16) & 0xff, (counter >>> 8) & 0xff, counter & 0xff));
    out.set(block.subarray(0, Math.min(block.length, length - at)), at);
    at += block.length;
  }
  return out;
}

function toBigInt(bytes: Uint8Array): bigint {
  let hex = '';
  for (const b of bytes) hex += b.toString(16).padStart(2, '0');
  return hex ? BigInt(`0x${hex}`) : 0n;
}

function fromBigInt(value: bigint, length: number): Uint8Array {
  const hex = value.toString(16).padStart(length * 2, '0');
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
  }
  return result;
}
