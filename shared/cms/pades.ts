/**
 * PAdES baseline B-B signature container (CMS SignedData, RFC 5652 / ETSI EN 319 122-1), built by hand
 * with node-forge's ASN.1 toolkit. forge.pkcs7 is not used: it writes signing-time (forbidden by PAdES in
 * the CMS — the time is the /M of the signature dictionary), lacks signing-certificate-v2, and silently
 * writes empty values for attributes it does not know.
 *
 * The flow is split so the key can live elsewhere (Electron main, a token): the caller builds the signed
 * attributes, hashes their DER, hands only that digest to a DigestSigner, and wraps the signature it gets
 * back with buildPadesCms.
 *
 * Still hand-written after the pkijs core (issue 18), on purpose: this only WRITES DER from our own values
 * (no foreign bytes are parsed), synchronously, with the key behind the DigestSigner port — pkijs's
 * SignedData.sign wants a WebCrypto key in hand and is async. What it writes is read back by the core.
 */
import type { DigestSignature } from '../ipc/contract';
import { sha256 } from '../util/bytes';
import { readCertificate } from './certificate';
import {
  asn1,
  compareBytes,
  contextTag,
  encodeDer,
  integer,
  nullValue,
  octetString,
  oid,
  OID,
  parseDer,
  children,
  seq,
  set,
  type Asn1,
} from './der';

/** Signs a SHA-256 digest (of the DER signed attributes) without exposing the key. */
export interface DigestSigner {
  /** DER of the signer certificate first, then its issuers. */
  readonly chainDer: readonly Uint8Array[];
  signDigest(digest: Uint8Array): Promise<DigestSignature>;
}

export interface SignedAttributesInput {
  /** SHA-256 of the signed content (for a PDF: the two /ByteRange ranges). */
  readonly contentDigest: Uint8Array;
  readonly signerCertDer: Uint8Array;
}

/**
 * DER of the signed attributes as a SET (tag 0x31) — the exact bytes whose SHA-256 is signed:
 * contentType = id-data, messageDigest, signing-certificate-v2. No signing-time.
 */
export function buildSignedAttributes({ contentDigest, signerCertDer }: SignedAttributesInput): Uint8Array {
  if (contentDigest.length !== 32) throw new Error('contentDigest must be a SHA-256 digest (32 bytes)');
  const attributes = [
    attribute(OID.contentType, oid(OID.data)),
    attribute(OID.messageDigest, octetString(contentDigest)),
    // SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2 }
    // ESSCertIDv2 ::= SEQUENCE { hashAlgorithm DEFAULT sha256 (omitted), certHash OCTET STRING }
    // issuerSerial is left out, as EN 319 122-1 baseline allows.
    attribute(OID.signingCertificateV2, seq([seq([seq([octetString(sha256(signerCertDer))])])])),
  ];
  // DER: the elements of a SET OF are sorted by their encodings (forge does not sort).
  const encoded = attributes.map(encodeDer).sort(compareBytes);
  return encodeDer(set(encoded.map(parseDer)));
}

/** Attribute ::= SEQUENCE { attrType OBJECT IDENTIFIER, attrValues SET OF AttributeValue } */
function attribute(type: string, value: Asn1): Asn1 {
  return seq([oid(type), set([value])]);
}

export interface PadesCmsInput {
  /** The SET returned by buildSignedAttributes (what was hashed and signed). */
  readonly signedAttributesDer: Uint8Array;
  readonly signature: DigestSignature;
  /** Signer certificate first; included as the SignedData certificates. */
  readonly chainDer: readonly Uint8Array[];
}

/** DER ContentInfo wrapping a detached SignedData v1 with one SignerInfo. */
export function buildPadesCms({ signedAttributesDer, signature, chainDer }: PadesCmsInput): Uint8Array {
  const signerCertDer = chainDer[0];
  if (!signerCertDer) throw new Error('chainDer must hold the signer certificate');
  const signer = readCertificate(signerCertDer);

  const attributeSet = parseDer(signedAttributesDer);
  if (attributeSet.tagClass !== asn1.Class.UNIVERSAL || attributeSet.type !== asn1.Type.SET) {
    throw new Error('signedAttributesDer must be a DER SET');
  }
  // [0] IMPLICIT: same content octets as the SET that was signed, only the tag changes.
  const implicitAttributes = contextTag(0, children(attributeSet));
  const reencoded = encodeDer(implicitAttributes);
  if (reencoded.length !== signedAttributesDer.length || compareBytes(reencoded.subarray(1), signedAttributesDer.subarray(1)) !== 0) {
    throw new Error('signedAttributesDer is not in DER form');
  }

  const signatureAlgorithm =
    signature.algorithm === 'rsa-pkcs1-v1_5-sha256'
      ? seq([oid(OID.sha256WithRSAEncryption), nullValue()]) // RFC 4055: NULL parameters for RSA
      : seq([oid(OID.ecdsaWithSha256)]); // RFC 5758: parameters absent for ECDSA
  const sha256Algorithm = seq([oid(OID.sha256)]); // RFC 5754: parameters absent

  const signerInfo = seq([
    integer(1), // v1: sid is IssuerAndSerialNumber
    seq([parseDer(signer.issuerNameDer), parseDer(signer.serialDer)]),
    sha256Algorithm,
    implicitAttributes,
    signatureAlgorithm,
    octetString(signature.signature),
  ]);

  const signedData = seq([
    integer(1),
    set([seq([oid(OID.sha256)])]),
    seq([oid(OID.data)]), // detached: no eContent
    contextTag(0, chainDer.map(parseCertificateExactly)), // certificates [0] IMPLICIT
    set([signerInfo]),
  ]);

  return encodeDer(seq([oid(OID.signedData), contextTag(0, [signedData])]));
}

/** forge re-encodes what it parsed: make sure that gives back the very same certificate bytes. */
function parseCertificateExactly(der: Uint8Array): Asn1 {
  const node = parseDer(der);
  const again = encodeDer(node);
  if (compareBytes(again, der) !== 0) throw new Error('Certificate is not DER-encoded; cannot embed it unchanged');
  return node;
}

