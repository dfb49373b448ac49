/**
 * Reading a CMS SignedData with exactly one SignerInfo (a PAdES signature, RFC 5652), with pkijs/asn1js:
 * the signer's identifier, the digest and signature algorithms (with their parameters), the signed
 * attributes as they were signed (original bytes, SET OF tag), the certificates as carried (original DER)
 * and the signature time-stamp token. Parsing only: what it means is judged by the callers on the core
 * (verify-signature.ts, cert-path.ts).
 */
import * as asn1js from 'asn1js';
import { ContentInfo, IssuerAndSerialNumber, SignedData } from 'pkijs';
import { toHex } from '../util/bytes';
import { derValueLength, OID } from './der';
import { sameBytes } from './hashes';
import type { SignatureAlgorithm } from './verify-signature';
import type { X509 } from './x509';

export type SignerIdentifier =
  | { readonly kind: 'issuerSerial'; readonly issuerDer: Uint8Array; readonly serialDer: Uint8Array }
  | { readonly kind: 'ski'; readonly ski: Uint8Array };

export interface CmsSignature {
  /** eContentType (id-data for a detached PAdES signature, id-ct-TSTInfo for a time-stamp token). */
  readonly contentType: string;
  /** DER of each certificate as carried, in order. */
  readonly certificatesDer: readonly Uint8Array[];
  readonly signerId: SignerIdentifier;
  readonly digestAlgorithmOid: string;
  /** attribute OID → DER of each value; null when the SignerInfo has no signed attributes. */
  readonly signedAttributes: ReadonlyMap<string, readonly Uint8Array[]> | null;
  /** The signed attributes with the SET OF tag: the bytes the signature covers. */
  readonly signedAttributesDer: Uint8Array | null;
  readonly signatureAlgorithm: SignatureAlgorithm;
  readonly signature: Uint8Array;
  /** DER of the id-aa-signatureTimeStampToken unsigned attribute value (a ContentInfo), if present. */
  readonly timestampTokenDer: Uint8Array | null;
}

/** Reads one DER SignedData (trailing bytes, e.g. /Contents zero padding, are cut by its length). Throws Error. */
export function readCmsSignature(bytes: Uint8Array): CmsSignature {
  const length = derValueLength(bytes);
  if (length === null) throw new Error('not DER');
  const contentInfo = ContentInfo.fromBER(bytes.slice(0, length));
  if (contentInfo.contentType !== OID.signedData) throw new Error('not SignedData');
  const signedDataSchema: unknown = contentInfo.content;
  if (!(signedDataSchema instanceof asn1js.Sequence)) throw new Error('not SignedData');
  const signedData = new SignedData({ schema: signedDataSchema });
  if (signedData.signerInfos.length !== 1) throw new Error(`expected one SignerInfo, found ${signedData.signerInfos.length}`);
  const signerInfo = signedData.signerInfos[0];
  if (!signerInfo) throw new Error('no SignerInfo');

  // The certificates' original bytes, from the parsed tree (pkijs objects would re-encode them).
  const certificateSet = signedDataSchema.valueBlock.value.find((n) => n.idBlock.tagClass === 3 && n.idBlock.tagNumber === 0);
  const certificatesDer =
    certificateSet instanceof asn1js.Constructed
      ? certificateSet.valueBlock.value.filter((n) => n instanceof asn1js.Sequence).map((n) => n.valueBeforeDecodeView.slice())
      : [];

  const sid: unknown = signerInfo.sid;
  let signerId: SignerIdentifier;
  if (sid instanceof IssuerAndSerialNumber) {
    signerId = { kind: 'issuerSerial', issuerDer: new Uint8Array(sid.issuer.toSchema().toBER()), serialDer: new Uint8Array(sid.serialNumber.toBER()) };
  } else if (sid instanceof asn1js.Primitive) {
    signerId = { kind: 'ski', ski: sid.valueBlock.valueHexView.slice() }; // [0] IMPLICIT SubjectKeyIdentifier
  } else {
    throw new Error('bad SignerIdentifier');
  }

  const attributes = (list: { type: string; values: unknown[] }[]): Map<string, Uint8Array[]> => {
    const map = new Map<string, Uint8Array[]>();
    for (const attribute of list) {
      const values = attribute.values.flatMap((v) => (v instanceof asn1js.BaseBlock ? [v.valueBeforeDecodeView.slice()] : []));
      map.set(attribute.type, [...(map.get(attribute.type) ?? []), ...values]);
    }
    return map;
  };
  let signedAttributesDer: Uint8Array | null = null;
  if (signerInfo.signedAttrs) {
    // The signature covers the attributes with the SET OF tag instead of [0] IMPLICIT (RFC 5652 §5.4).
    signedAttributesDer = new Uint8Array(signerInfo.signedAttrs.encodedValue.slice(0));
    signedAttributesDer[0] = 0x31;
  }
  const timestampTokenDer = signerInfo.unsignedAttrs ? (attributes(signerInfo.unsignedAttrs.attributes).get(OID.rfc3161TimestampToken)?.[0] ?? null) : null;
  return {
    contentType: signedData.encapContentInfo.eContentType,
    certificatesDer,
    signerId,
    digestAlgorithmOid: signerInfo.digestAlgorithm.algorithmId,
    signedAttributes: signerInfo.signedAttrs ? attributes(signerInfo.signedAttrs.attributes) : null,
    signedAttributesDer,
    signatureAlgorithm: { oid: signerInfo.signatureAlgorithm.algorithmId, params: signerInfo.signatureAlgorithm.algorithmParams },
    signature: signerInfo.signature.valueBlock.valueHexView.slice(),
    timestampTokenDer,
  };
}

/** Is `cert` the certificate the SignerInfo names? */
export function namesSigner(signerId: SignerIdentifier, cert: X509): boolean {
  if (signerId.kind === 'issuerSerial') return sameBytes(signerId.issuerDer, cert.info.issuerNameDer) && sameBytes(signerId.serialDer, cert.info.serialDer);
  return cert.info.subjectKeyIdentifier !== null && cert.info.subjectKeyIdentifier === toHex(signerId.ski);
}


/** Reads one attribute value's DER as asn1js (throws Error when it is not one DER value). */
export function readAsn1(der: Uint8Array): unknown {
  const parsed = asn1js.fromBER(new Uint8Array(der));
  if (parsed.offset === -1) throw new Error(parsed.result.error || 'not DER');
  return parsed.result;
}
