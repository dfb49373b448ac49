/**
 * DER writing on node-forge's ASN.1 toolkit (which works on "binary strings", one char per byte): the OCSP
 * request (ocsp.ts) and the CMS SignedData pades.ts builds by hand. Reading certificates, CRLs, OCSP and
 * TSP answers and SignedData is done with asn1js / pkijs, which keep the original bytes. Writing stays here
 * because the writer is small, forge's DER output is canonical, and pades.ts is hand-written by design;
 * `parseDer` only turns DER the writer must embed unchanged (a certificate, a serial) into a node.
 * Also the OIDs the CMS code names, a DER length probe and SET OF ordering. Platform-free: no Buffer.
 */
import forge from 'node-forge';

export type Asn1 = forge.asn1.Asn1;
export const asn1 = forge.asn1;

const bytesToBinary = (bytes: Uint8Array): string => forge.util.binary.raw.encode(bytes);
export const binaryToBytes = (binary: string): Uint8Array => forge.util.binary.raw.decode(binary);

/** Exactly one DER value as a forge node, to embed it in DER being written. BIT STRING contents are left as bytes. */
export function parseDer(bytes: Uint8Array): Asn1 {
  const options = { strict: true, parseAllBytes: true, decodeBitStrings: false };
  return asn1.fromDer(bytesToBinary(bytes), options as unknown as boolean);
}

export function encodeDer(node: Asn1): Uint8Array {
  return binaryToBytes(asn1.toDer(node).getBytes());
}

/**
 * Total length (header + content) of the DER value starting at `offset`, or null if the header is not a
 * definite-length DER header that fits in `bytes`. Used to cut a CMS out of a zero-padded /Contents.
 */
export function derValueLength(bytes: Uint8Array, offset = 0): number | null {
  let pos = offset;
  const first = bytes[pos++];
  if (first === undefined) return null;
  if ((first & 0x1f) === 0x1f) {
    // High tag number: base-128 continuation bytes.
    for (;;) {
      const b = bytes[pos++];
      if (b === undefined) return null;
      if ((b & 0x80) === 0) break;
    }
  }
  const lengthByte = bytes[pos++];
  if (lengthByte === undefined) return null;
  let length = lengthByte;
  if (lengthByte & 0x80) {
    const count = lengthByte & 0x7f;
    if (count === 0 || count > 4) return null; // indefinite length, or absurd
    length = 0;
    for (let i = 0; i < count; i++) {
      const b = bytes[pos++];
      if (b === undefined) return null;
      length = length * 256 + b;
    }
  }
  const total = pos - offset + length;
  return offset + total <= bytes.length ? total : null;
}

export const seq = (items: Asn1[]): Asn1 => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, items);
export const set = (items: Asn1[]): Asn1 => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SET, true, items);
export const oid = (dotted: string): Asn1 => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(dotted).getBytes());
export const octetString = (bytes: Uint8Array): Asn1 => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, bytesToBinary(bytes));
export const integer = (value: number): Asn1 => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, asn1.integerToDer(value).getBytes());
export const nullValue = (): Asn1 => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, '');
export const contextTag = (tag: number, items: Asn1[]): Asn1 => asn1.create(asn1.Class.CONTEXT_SPECIFIC, tag, true, items);

/** The children of a constructed value (empty for a primitive one). */
export function children(node: Asn1 | undefined): Asn1[] {
  return node && Array.isArray(node.value) ? node.value : [];
}

/** Lexicographic byte order, as DER requires for the elements of a SET OF (X.690 §11.6). */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

export const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificate: '1.2.840.113549.1.9.16.2.12',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
  rsaEncryption: '1.2.840.113549.1.1.1',
  sha256WithRSAEncryption: '1.2.840.113549.1.1.11',
  sha384WithRSAEncryption: '1.2.840.113549.1.1.12',
  sha512WithRSAEncryption: '1.2.840.113549.1.1.13',
  rsassaPss: '1.2.840.113549.1.1.10',
  ecPublicKey: '1.2.840.10045.2.1',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  ecdsaWithSha384: '1.2.840.10045.4.3.3',
  ecdsaWithSha512: '1.2.840.10045.4.3.4',
  keyUsage: '2.5.29.15',
  subjectKeyIdentifier: '2.5.29.14',
  rfc3161TimestampToken: '1.2.840.113549.1.9.16.2.14',
} as const;
