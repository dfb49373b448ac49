/**
 * Reads the parts of an X.509 certificate the signing flow needs, straight from the DER. Unlike
 * forge.pki.certificateFromAsn1 this also works for EC keys, and it decodes UTF8String / BMPString names
 * (Vietnamese CNs) into proper text.
 */
import forge from 'node-forge';
import type { CertificateSummary } from '../ipc/contract';
import { asn1, children, compareBytes, encodeDer, isTag, parseDer, primitive, readOid, OID, type Asn1 } from './der';

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
  /** DER of the issuer Name and of the serial INTEGER: what a CMS IssuerAndSerialNumber copies. */
  readonly issuerNameDer: Uint8Array;
  readonly subjectNameDer: Uint8Array;
  readonly serialDer: Uint8Array;
}

export function readCertificate(der: Uint8Array): CertificateInfo {
  const cert = parseDer(der);
  const tbs = children(cert)[0];
  const fields = children(tbs);
  // version is an optional [0] EXPLICIT before the serial
  const offset = isTag(fields[0], asn1.Class.CONTEXT_SPECIFIC, 0) ? 1 : 0;
  const serial = fields[offset];
  const issuer = fields[offset + 2];
  const validity = children(fields[offset + 3]);
  const subject = fields[offset + 4];
  const spki = fields[offset + 5];
  if (!isTag(serial, asn1.Class.UNIVERSAL, asn1.Type.INTEGER) || !issuer || !subject || validity.length !== 2 || !spki) {
    throw new Error('Not an X.509 certificate');
  }
  const keyOid = readOid(children(children(spki)[0])[0]);
  const extensions = fields.slice(offset + 6).find((f) => isTag(f, asn1.Class.CONTEXT_SPECIFIC, 3));
  return {
    subject: formatName(subject),
    issuer: formatName(issuer),
    subjectCommonName: nameAttribute(subject, '2.5.4.3'),
    subjectOrganisation: nameAttribute(subject, '2.5.4.10'),
    issuerCommonName: nameAttribute(issuer, '2.5.4.3'),
    serialNumber: forge.util.bytesToHex(primitive(serial)).replace(/^(00)+(?=.)/, ''),
    notBefore: readTime(validity[0]),
    notAfter: readTime(validity[1]),
    keyAlgorithm: keyOid === OID.rsaEncryption ? 'rsa' : keyOid === OID.ecPublicKey ? 'ec' : 'other',
    keyUsage: readKeyUsage(extensions),
    subjectKeyIdentifier: readSubjectKeyIdentifier(extensions),
    issuerNameDer: encodeDer(issuer),
    subjectNameDer: encodeDer(subject),
    serialDer: encodeDer(serial),
  };
}

function readTime(node: Asn1 | undefined): Date {
  if (isTag(node, asn1.Class.UNIVERSAL, asn1.Type.UTCTIME)) return asn1.utcTimeToDate(primitive(node));
  if (isTag(node, asn1.Class.UNIVERSAL, asn1.Type.GENERALIZEDTIME)) return asn1.generalizedTimeToDate(primitive(node));
  throw new Error('Bad certificate validity time');
}

/** The inner DER value of one extension (extnValue is an OCTET STRING wrapping it), if present. */
function findExtension(extensions: Asn1 | undefined, extensionOid: string): Asn1 | null {
  for (const ext of children(children(extensions)[0])) {
    const parts = children(ext);
    if (readOid(parts[0]) === extensionOid) return parseDerBinary(primitive(parts[parts.length - 1]));
  }
  return null;
}

function readSubjectKeyIdentifier(extensions: Asn1 | undefined): string | null {
  const ski = findExtension(extensions, OID.subjectKeyIdentifier);
  return ski ? forge.util.bytesToHex(primitive(ski)) : null;
}

function readKeyUsage(extensions: Asn1 | undefined): CertificateInfo['keyUsage'] {
  const keyUsage = findExtension(extensions, OID.keyUsage);
  if (!keyUsage) return null;
  // BIT STRING content: unused-bits count, then the bits (bit 0 = 0x80 of the first byte).
  const bits = primitive(keyUsage).charCodeAt(1) || 0;
  return { digitalSignature: (bits & 0x80) !== 0, nonRepudiation: (bits & 0x40) !== 0, keyCertSign: (bits & 0x04) !== 0 };
}

function parseDerBinary(binary: string): Asn1 {
  return asn1.fromDer(binary, { strict: true, parseAllBytes: true, decodeBitStrings: false } as unknown as boolean);
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

/** A Name as text, most specific RDN first (RFC 4514 order), values decoded by their string type. */
export function formatName(name: Asn1): string {
  const parts: string[] = [];
  for (const rdn of children(name)) {
    const values = children(rdn).map((atv) => {
      const [type, value] = children(atv);
      const oidText = readOid(type) ?? '?';
      return `${attributeNames[oidText] ?? oidText}=${decodeDirectoryString(value)}`;
    });
    parts.unshift(values.join('+'));
  }
  return parts.join(', ');
}

/** The most specific value of one attribute type in a Name, or null. */
function nameAttribute(name: Asn1, typeOid: string): string | null {
  let found: string | null = null;
  for (const rdn of children(name)) {
    for (const atv of children(rdn)) {
      const [type, value] = children(atv);
      if (readOid(type) === typeOid) found = decodeDirectoryString(value);
    }
  }
  return found;
}

function decodeDirectoryString(value: Asn1 | undefined): string {
  const raw = primitive(value);
  if (isTag(value, asn1.Class.UNIVERSAL, asn1.Type.UTF8)) return new TextDecoder().decode(forge.util.binary.raw.decode(raw));
  if (isTag(value, asn1.Class.UNIVERSAL, asn1.Type.BMPSTRING)) {
    let text = '';
    for (let i = 0; i + 1 < raw.length; i += 2) text += String.fromCharCode((raw.charCodeAt(i) << 8) | raw.charCodeAt(i + 1));
    return text;
  }
  return raw; // PrintableString, IA5String, TeletexString: ASCII / Latin-1
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
  while (compareBytes(current.issuerNameDer, current.subjectNameDer) !== 0) {
    const parent = others.find((o) => !chain.includes(o.der) && compareBytes(o.info.subjectNameDer, current.issuerNameDer) === 0);
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
