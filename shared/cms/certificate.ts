/**
 * Reads the parts of an X.509 certificate the signing flow needs, with pkijs / asn1js (the CMS core's
 * library). Works for any key type, decodes UTF8String / BMPString names (Vietnamese CNs) into text, and
 * gives the issuer / subject Name and the serial INTEGER exactly as written in the file: asn1js keeps each
 * element's original bytes, and a CMS IssuerAndSerialNumber or an OCSP CertID must copy them unchanged.
 */
import * as asn1js from 'asn1js';
import { Certificate, type Extension } from 'pkijs';
import type { CertificateSummary } from '../ipc/contract';
import { toHex } from '../util/bytes';
import { OID } from './der';
import { sameBytes } from './hashes';

export interface CertificateInfo {
  /** RFC 4514 order (most specific first), e.g. "CN=Bộ phận Một cửa - Demo, O=UBND xã Demo, C=VN". */
  readonly subject: string;
  readonly issuer: string;
  /** The subject's CN and O, read from the ASN.1 (not from the string above): what a clerk is shown. */
  readonly subjectCommonName: string | null;
  readonly subjectOrganisation: string | null;
  readonly issuerCommonName: string | null;
  /** Lowercase hex of the serial number, without leading zero bytes. */
  readonly serialNumber: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly keyAlgorithm: 'rsa' | 'ec' | 'other';
  /** null when the certificate has no keyUsage extension (any use allowed). */
  readonly keyUsage: { readonly digitalSignature: boolean; readonly nonRepudiation: boolean; readonly keyCertSign: boolean } | null;
  /** Hex of the subjectKeyIdentifier extension, if any (a CMS sid may name the signer by it). */
  readonly subjectKeyIdentifier: string | null;
  /** DER of the issuer Name and of the serial INTEGER, as in the file: what a CMS IssuerAndSerialNumber copies. */
  readonly issuerNameDer: Uint8Array;
  readonly subjectNameDer: Uint8Array;
  readonly serialDer: Uint8Array;
}

const NOT_A_CERTIFICATE = 'Not an X.509 certificate';

/**
 * Exactly one certificate and nothing after it (pkijs alone would ignore trailing bytes). Throws
 * Error('Not an X.509 certificate') for anything else. x509.ts parses through here too: one parser.
 */
export function parseCertificate(der: Uint8Array): Certificate {
  // A copy: pkijs keeps views into the buffer it parsed, and the caller's bytes may be reused.
  const parsed = asn1js.fromBER(der.slice());
  if (parsed.offset === -1 || parsed.offset !== der.length) throw new Error(NOT_A_CERTIFICATE);
  try {
    return new Certificate({ schema: parsed.result });
  } catch (err) {
    throw new Error(NOT_A_CERTIFICATE, { cause: err });
  }
}

export function readCertificate(der: Uint8Array): CertificateInfo {
  return certificateInfo(parseCertificate(der));
}

/** The CertificateInfo of a certificate pkijs has parsed (from its original bytes). */
export function certificateInfo(cert: Certificate): CertificateInfo {
  const issuerNameDer = new Uint8Array(cert.issuer.valueBeforeDecode);
  const subjectNameDer = new Uint8Array(cert.subject.valueBeforeDecode);
  const keyOid = cert.subjectPublicKeyInfo.algorithm.algorithmId;
  const keyUsage = extensionValue(cert.extensions, OID.keyUsage);
  const ski = extensionValue(cert.extensions, OID.subjectKeyIdentifier);
  // BIT STRING content: unused-bits count, then the bits (bit 0 = 0x80 of the first byte).
  const usageBits = keyUsage ? (contentOf(keyUsage)[1] ?? 0) : 0;
  return {
    subject: formatName(subjectNameDer),
    issuer: formatName(issuerNameDer),
    subjectCommonName: nameAttribute(subjectNameDer, '2.5.4.3'),
    subjectOrganisation: nameAttribute(subjectNameDer, '2.5.4.10'),
    issuerCommonName: nameAttribute(issuerNameDer, '2.5.4.3'),
    serialNumber: serialHex(cert.serialNumber.valueBlock.valueHexView),
    notBefore: validTime(cert.notBefore.value),
    notAfter: validTime(cert.notAfter.value),
    keyAlgorithm: keyOid === OID.rsaEncryption ? 'rsa' : keyOid === OID.ecPublicKey ? 'ec' : 'other',
    keyUsage: keyUsage ? { digitalSignature: (usageBits & 0x80) !== 0, nonRepudiation: (usageBits & 0x40) !== 0, keyCertSign: (usageBits & 0x04) !== 0 } : null,
    subjectKeyIdentifier: ski ? toHex(contentOf(ski)) : null,
    issuerNameDer,
    subjectNameDer,
    serialDer: cert.serialNumber.valueBeforeDecodeView.slice(),
  };
}

/** Serial number INTEGER content → lowercase hex without leading zero bytes (CertificateInfo.serialNumber). */
export function serialHex(content: Uint8Array): string {
  return toHex(content).replace(/^(00)+(?=.)/, '');
}

function validTime(date: Date): Date {
  if (Number.isNaN(date.getTime())) throw new Error('Bad certificate validity time');
  return date;
}

/**
 * One DER value and nothing after it, or an Error. For the inside of extensions and Names, which pkijs
 * leaves as bytes: a malformed one makes the certificate unreadable, as it always has.
 */
export function parseDerValue(bytes: Uint8Array): asn1js.AsnType {
  const parsed = asn1js.fromBER(bytes);
  if (parsed.offset === -1 || parsed.offset !== bytes.length) throw new Error(`Malformed DER value: ${parsed.result.error || 'trailing bytes'}`);
  return parsed.result;
}

/** The parsed inner value of the first extension with this OID (extnValue is an OCTET STRING wrapping it). */
function extensionValue(extensions: readonly Extension[] | undefined, extensionOid: string): asn1js.AsnType | null {
  const ext = extensions?.find((e) => e.extnID === extensionOid);
  return ext ? parseDerValue(ext.extnValue.valueBlock.valueHexView) : null;
}

/** The children of a constructed value (empty for a primitive one). */
export function childrenOf(node: asn1js.AsnType | undefined): asn1js.AsnType[] {
  if (!(node instanceof asn1js.BaseBlock) || !node.idBlock.isConstructed) return [];
  const value: unknown = (node.valueBlock as { value?: unknown }).value;
  return Array.isArray(value) ? value.filter((v): v is asn1js.BaseBlock => v instanceof asn1js.BaseBlock) : [];
}

/** The content bytes of a primitive value, from its original encoding (empty for a constructed one). */
export function contentOf(node: asn1js.AsnType | undefined): Uint8Array {
  if (!(node instanceof asn1js.BaseBlock) || node.idBlock.isConstructed) return new Uint8Array();
  return node.valueBeforeDecodeView.subarray(node.idBlock.blockLength + node.lenBlock.blockLength);
}

/** Universal tag number of `node`, or null for another class. */
function universalTag(node: asn1js.AsnType | undefined): number | null {
  return node instanceof asn1js.BaseBlock && node.idBlock.tagClass === 1 ? node.idBlock.tagNumber : null;
}

export function readOidValue(node: asn1js.AsnType | undefined): string | null {
  return node instanceof asn1js.ObjectIdentifier ? node.valueBlock.toString() : null;
}

const attributeNames: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.4': 'SN',
  '2.5.4.42': 'GN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'street',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.12': 'title',
  '1.2.840.113549.1.9.1': 'E',
  '0.9.2342.19200300.100.1.1': 'UID',
};

/** The RDNs of a DER Name, as lists of [attribute type OID, value], in file order (least specific first). */
function nameAttributes(nameDer: Uint8Array): [string | null, asn1js.AsnType | undefined][][] {
  return childrenOf(parseDerValue(nameDer)).map((rdn) =>
    childrenOf(rdn).map((atv): [string | null, asn1js.AsnType | undefined] => {
      const [type, value] = childrenOf(atv);
      return [readOidValue(type), value];
    }),
  );
}

/** A DER Name as text, most specific RDN first (RFC 4514 order), values decoded by their string type. */
export function formatName(nameDer: Uint8Array): string {
  return nameAttributes(nameDer)
    .map((rdn) => rdn.map(([type, value]) => `${attributeNames[type ?? '?'] ?? type ?? '?'}=${decodeDirectoryString(value)}`).join('+'))
    .reverse()
    .join(', ');
}

/** The most specific value of one attribute type in a DER Name, or null. */
function nameAttribute(nameDer: Uint8Array, typeOid: string): string | null {
  let found: string | null = null;
  for (const rdn of nameAttributes(nameDer)) {
    for (const [type, value] of rdn) if (type === typeOid) found = decodeDirectoryString(value);
  }
  return found;
}

const UTF8_STRING = 12;
const BMP_STRING = 30;

function decodeDirectoryString(value: asn1js.AsnType | undefined): string {
  const raw = contentOf(value);
  const tag = universalTag(value);
  if (tag === UTF8_STRING) return new TextDecoder().decode(raw);
  if (tag === BMP_STRING) {
    let text = '';
    for (let i = 0; i + 1 < raw.length; i += 2) text += String.fromCharCode(((raw[i] ?? 0) << 8) | (raw[i + 1] ?? 0));
    return text;
  }
  return Array.from(raw, (b) => String.fromCharCode(b)).join(''); // PrintableString, IA5String, TeletexString: ASCII / Latin-1
}

/** Leaf first, then each issuer found among `othersDer`, stopping at a self-signed certificate. */
export function orderCertificateChain(leafDer: Uint8Array, othersDer: readonly Uint8Array[]): Uint8Array[] {
  const others = othersDer.flatMap((der) => {
    try {
      return [{ der, info: readCertificate(der) }];
    } catch {
      return [];
    }
  });
  const chain = [leafDer];
  let current = readCertificate(leafDer);
  while (!sameBytes(current.issuerNameDer, current.subjectNameDer)) {
    const parent = others.find((o) => !chain.includes(o.der) && sameBytes(o.info.subjectNameDer, current.issuerNameDer));
    if (!parent) break;
    chain.push(parent.der);
    current = parent.info;
  }
  return chain;
}

/** What a key store tells the renderer about its certificate (never the key). */
export function certificateSummary(signer: CertificateInfo, chainDer: readonly Uint8Array[], keyAlgorithm: 'rsa' | 'ec'): CertificateSummary {
  return {
    subject: signer.subject,
    issuer: signer.issuer,
    subjectCommonName: signer.subjectCommonName,
    subjectOrganisation: signer.subjectOrganisation,
    issuerCommonName: signer.issuerCommonName,
    serialNumber: signer.serialNumber,
    notBefore: signer.notBefore.toISOString(),
    notAfter: signer.notAfter.toISOString(),
    chainDer: [...chainDer],
    keyAlgorithm,
  };
}
