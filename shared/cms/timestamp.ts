/**
 * RFC 3161 signature time-stamps, to upgrade a PAdES B-B signature made offline to B-T later.
 *
 * A signature time-stamp covers the SignerInfo's signature value (RFC 3161 Appendix A, ETSI EN 319 122-1
 * §5.3): messageImprint = SHA-256(signature). The token (a ContentInfo SignedData whose eContent is a
 * TSTInfo) is stored as the unsigned attribute id-aa-signatureTimeStampToken of that SignerInfo.
 *
 * DER is read with asn1js, keeping each element's exact original bytes: verifying the token's signature and
 * rewriting the CMS (a small TLV writer splices the new attribute in) both need them, which a
 * parse-and-re-encode round trip does not promise. Signatures and the TSA's certificate path are checked by the CMS core
 * (verify-signature.ts, cert-path.ts) under the shared SignaturePolicy; node-forge gives OID text only.
 *
 * Already timestamped CMS: addSignatureTimeStamp refuses (SIGNATURE_ALREADY_TIMESTAMPED) rather than
 * replacing the token — an earlier token is older evidence and must not be thrown away, and a second one
 * adds nothing for B-T.
 */
import * as asn1js from 'asn1js';
import { sha256 } from '@noble/hashes/sha2.js';
import { AppError } from '../errors';
import { toHex } from '../util/bytes';
import { formatName, readOidValue, serialHex, type CertificateInfo } from './certificate';
import { asn1, binaryToBytes, compareBytes, OID } from './der';
import { buildCertificatePath, describePathFailure, type PathFailure } from './cert-path';
import { digestOf, hashNameOf } from './hashes';
import { DEFAULT_SIGNATURE_POLICY, type SignaturePolicy } from './signature-policy';
import { verifySignedBytes } from './verify-signature';
import { parseX509, tryParseX509, type X509 } from './x509';

const TIMESTAMP_OID = {
  signatureTimeStampToken: OID.rfc3161TimestampToken,
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  timeStamping: '1.3.6.1.5.5.7.3.8',
  extKeyUsage: '2.5.29.37',
  basicConstraints: '2.5.29.19',
  sha1: '1.3.14.3.2.26',
  prime256v1: '1.2.840.10045.3.1.7',
  secp384r1: '1.3.132.0.34',
} as const;

// ---------------------------------------------------------------------------------------------------
// Public API

export interface TimeStampRequestInput {
  /** The SignerInfo's signature value (the OCTET STRING content), not its hash. */
  readonly signatureValue: Uint8Array;
  /** Random bytes (8 are plenty); echoed by the TSA so an old or replayed answer is detected. */
  readonly nonce: Uint8Array;
  /** Ask the TSA to include its certificate in the token (needed to verify it offline). */
  readonly certReq: boolean;
}

/** DER TimeStampReq v1 with messageImprint = SHA-256(signature value), no reqPolicy. */
export function buildTimeStampRequest({ signatureValue, nonce, certReq }: TimeStampRequestInput): Uint8Array {
  if (nonce.length === 0 || nonce.length > 64) throw new Error('nonce must be 1–64 bytes');
  const parts = [
    tlv(TAG.INTEGER, Uint8Array.of(1)),
    messageImprint(OID.sha256, sha256(signatureValue)),
    tlv(TAG.INTEGER, positiveInteger(nonce)),
  ];
  if (certReq) parts.push(tlv(TAG.BOOLEAN, Uint8Array.of(0xff))); // DEFAULT FALSE: omitted when false (DER)
  return tlv(TAG.SEQUENCE, ...parts);
}

export interface TimeStampToken {
  /** The ContentInfo DER, exactly as the TSA sent it. */
  readonly der: Uint8Array;
  /** TSTInfo genTime as ISO 8601 (UTC). */
  readonly genTime: string;
  /** Lowercase hex, no leading zeros. */
  readonly serialNumber: string;
  readonly policy: string;
  /** The TSTInfo `tsa` name when it is a directoryName, else null. */
  readonly tsaName: string | null;
  readonly imprint: { readonly algorithm: string; readonly digest: Uint8Array };
  /** Lowercase hex of the nonce integer, no leading zeros; null when absent. */
  readonly nonce: string | null;
  /** The TSTInfo accuracy in milliseconds, null when absent. */
  readonly accuracyMs: number | null;
}

/**
 * Reads a TimeStampResp: the status must be granted / grantedWithMods (else TSA_REJECTED with the status
 * and failInfo), the token must be a readable TSTInfo SignedData whose imprint is `expectedImprint`
 * (SHA-256) and whose nonce is `nonce` (else TSA_BAD_RESPONSE). Does not check the token's signature:
 * that is verifyTimeStampToken.
 */
export function parseTimeStampResponse(der: Uint8Array, expected: { expectedImprint: Uint8Array; nonce: Uint8Array }): TimeStampToken {
  let statusInfo: DerNode | undefined;
  let tokenNode: DerNode | undefined;
  try {
    const response = expectTag(parseOne(der), TAG.SEQUENCE, 'TimeStampResp');
    [statusInfo, tokenNode] = childNodes(response);
  } catch (err) {
    throw new AppError('TSA_BAD_RESPONSE', { reason: `not a TimeStampResp (${messageOf(err)})` }, { cause: err });
  }
  const status = readStatus(statusInfo);
  if (status.code !== 0 && status.code !== 1) {
    throw new AppError('TSA_REJECTED', { status: status.name, failInfo: status.failInfo.join(', ') || 'unspecified', statusText: status.text });
  }
  if (!tokenNode) throw new AppError('TSA_BAD_RESPONSE', { reason: `status ${status.name} but no token` });
  const token = readTimeStampToken(tokenNode.der);
  if (token.imprint.algorithm !== OID.sha256 || compareBytes(token.imprint.digest, expected.expectedImprint) !== 0) {
    throw new AppError('TSA_BAD_RESPONSE', { reason: 'the token is for different data (message imprint mismatch)' });
  }
  if (token.nonce !== serialHex(expected.nonce)) {
    throw new AppError('TSA_BAD_RESPONSE', { reason: 'the token does not echo our nonce (stale or replayed answer)' });
  }
  return token;
}

/** Reads a token's TSTInfo without checking anything. TSA_BAD_RESPONSE when it is not a token. */
export function readTimeStampToken(tokenDer: Uint8Array): TimeStampToken {
  try {
    return parseToken(tokenDer).token;
  } catch (err) {
    throw new AppError('TSA_BAD_RESPONSE', { reason: `not a readable time-stamp token (${messageOf(err)})` }, { cause: err });
  }
}

/**
 * What is wrong with a time-stamp token, as codes with parameters: the verify screen translates them
 * (renderer/src/i18n, namespace `timestampProblems`); `describeTimestampIssue` gives the English sentence for
 * `motcua verify`, logs and `problems`. A chain failure carries the path builder's own failure.
 */
export type TimestampIssue =
  | { readonly code: 'TSP_UNREADABLE'; readonly params: { readonly detail: string } }
  | { readonly code: 'TSP_IMPRINT_MISMATCH'; readonly params?: undefined }
  | { readonly code: 'TSP_CERTIFICATE_UNREADABLE'; readonly params?: undefined }
  | { readonly code: 'TSP_TSA_CERTIFICATE_MISSING'; readonly params?: undefined }
  | { readonly code: 'TSP_TRUST_ANCHOR_UNREADABLE'; readonly params: { readonly n: number } }
  | { readonly code: 'TSP_CHAIN_UNTRUSTED'; readonly params?: undefined; readonly failure: PathFailure | null; readonly anchors: number }
  | { readonly code: 'TSP_CERTIFICATE_NOT_VALID_AT'; readonly params: { readonly subject: string; readonly at: string } }
  | { readonly code: 'TSP_DIGEST_UNSUPPORTED'; readonly params: { readonly algorithm: string } }
  | { readonly code: 'TSP_NO_SIGNED_ATTRIBUTES'; readonly params?: undefined }
  | { readonly code: 'TSP_CONTENT_TYPE_NOT_TSTINFO'; readonly params?: undefined }
  | { readonly code: 'TSP_TSTINFO_CHANGED'; readonly params?: undefined }
  | { readonly code: 'TSP_SIGNING_CERTIFICATE_MISMATCH'; readonly params?: undefined }
  | { readonly code: 'TSP_SIGNATURE_INVALID'; readonly params?: undefined }
  | { readonly code: 'TSP_SIGNATURE_ALGORITHM_UNSUPPORTED'; readonly params: { readonly algorithm: string } }
  | { readonly code: 'TSP_EKU_NOT_TIMESTAMPING'; readonly params?: undefined }
  | { readonly code: 'TSP_EKU_NOT_CRITICAL'; readonly params?: undefined }
  | { readonly code: 'TSP_KEY_USAGE_NO_SIGNING'; readonly params?: undefined };

/** English, for the CLI, logs and `problems`. */
export function describeTimestampIssue(issue: TimestampIssue): string {
  switch (issue.code) {
    case 'TSP_UNREADABLE':
      return `The time-stamp token is not readable (${issue.params.detail})`;
    case 'TSP_IMPRINT_MISMATCH':
      return 'The time-stamp is for other data: its message imprint is not the hash of this signature value';
    case 'TSP_CERTIFICATE_UNREADABLE':
      return 'A certificate in the time-stamp token is not readable';
    case 'TSP_TSA_CERTIFICATE_MISSING':
      return 'The TSA certificate is not included in the time-stamp token';
    case 'TSP_TRUST_ANCHOR_UNREADABLE':
      return `Trust anchor #${issue.params.n} is not readable`;
    case 'TSP_CHAIN_UNTRUSTED':
      return `TSA certificate chain not trusted: ${issue.failure ? describePathFailure(issue.failure) : issue.anchors ? 'no TSA certificate' : 'no trust anchors given'}`;
    case 'TSP_CERTIFICATE_NOT_VALID_AT':
      return `Certificate "${issue.params.subject}" was not valid at the time-stamp's time ${issue.params.at}`;
    case 'TSP_DIGEST_UNSUPPORTED':
      return `Unsupported digest algorithm ${issue.params.algorithm} in the time-stamp token`;
    case 'TSP_NO_SIGNED_ATTRIBUTES':
      return 'The time-stamp token has no signed attributes';
    case 'TSP_CONTENT_TYPE_NOT_TSTINFO':
      return "The token's contentType attribute is not id-ct-TSTInfo";
    case 'TSP_TSTINFO_CHANGED':
      return 'The TSTInfo was changed after the TSA signed it (messageDigest mismatch)';
    case 'TSP_SIGNING_CERTIFICATE_MISMATCH':
      return "The token's signing-certificate attribute is missing or names another certificate";
    case 'TSP_SIGNATURE_INVALID':
      return "The time-stamp token's signature does not verify with the TSA certificate";
    case 'TSP_SIGNATURE_ALGORITHM_UNSUPPORTED':
      return `Time-stamp signature algorithm ${issue.params.algorithm} is not supported`;
    case 'TSP_EKU_NOT_TIMESTAMPING':
      return "The TSA certificate's extendedKeyUsage is not exactly id-kp-timeStamping";
    case 'TSP_EKU_NOT_CRITICAL':
      return "The TSA certificate's extendedKeyUsage extension is not critical";
    case 'TSP_KEY_USAGE_NO_SIGNING':
      return "The TSA certificate's keyUsage does not allow signing";
  }
}

export interface TimeStampVerification {
  /** Every check passed. */
  readonly valid: boolean;
  /** ISO 8601 genTime; null when the token cannot be read at all. */
  readonly genTime: string | null;
  /** The certificate that signed the token; null when it is not in the token. */
  readonly tsa: { readonly subject: string; readonly issuer: string } | null;
  readonly checks: {
    /** messageImprint equals the hash of the signature value. */
    readonly imprint: boolean;
    /** contentType + messageDigest attributes right, ESS certificate id matches, signature verifies. */
    readonly signature: boolean;
    /** extendedKeyUsage is exactly id-kp-timeStamping and critical; keyUsage (if any) allows signing. */
    readonly tsaCertificate: boolean;
    /** The TSA certificate chains to one of the trust anchors. */
    readonly chain: boolean;
    /** Every certificate of that chain was within its validity at genTime. */
    readonly validAtGenTime: boolean;
  };
  /** What failed, as codes (translated on screen). */
  readonly issues: readonly TimestampIssue[];
  /** The same in English (`describeTimestampIssue`). */
  readonly problems: readonly string[];
}

export interface VerifyTimeStampOptions {
  readonly signatureValue: Uint8Array;
  readonly trustAnchorsDer: readonly Uint8Array[];
  /** Hashes and path depth; default DEFAULT_SIGNATURE_POLICY (the one every verifier uses). */
  readonly signaturePolicy?: SignaturePolicy;
}

/** Checks a signature time-stamp token against the signature value it should cover. Never throws. */
export function verifyTimeStampToken(tokenDer: Uint8Array, { signatureValue, trustAnchorsDer, signaturePolicy = DEFAULT_SIGNATURE_POLICY }: VerifyTimeStampOptions): TimeStampVerification {
  const issues: TimestampIssue[] = [];
  let parsed: ParsedToken;
  try {
    parsed = parseToken(tokenDer);
  } catch (err) {
    return {
      valid: false,
      genTime: null,
      tsa: null,
      checks: { imprint: false, signature: false, tsaCertificate: false, chain: false, validAtGenTime: false },
      ...withProblems([{ code: 'TSP_UNREADABLE', params: { detail: messageOf(err) } }]),
    };
  }
  const { token, signedData, signer } = parsed;

  const imprintHash = hashFor(token.imprint.algorithm, signaturePolicy);
  const imprint = imprintHash !== null && compareBytes(imprintHash(signatureValue), token.imprint.digest) === 0;
  if (!imprint) issues.push({ code: 'TSP_IMPRINT_MISMATCH' });

  const certificates = signedData.certificates.flatMap((der) => {
    try {
      return [parseCertificate(der)];
    } catch {
      issues.push({ code: 'TSP_CERTIFICATE_UNREADABLE' });
      return [];
    }
  });
  const tsaCert = certificates.find((c) => signerIdMatches(signer.sid, c));
  if (!tsaCert) issues.push({ code: 'TSP_TSA_CERTIFICATE_MISSING' });

  const signature = tsaCert !== undefined && checkTokenSignature(signedData, signer, tsaCert, signaturePolicy, issues);
  const tsaCertificate = tsaCert !== undefined && checkTsaCertificate(tsaCert, issues);

  const anchors = trustAnchorsDer.flatMap((der, i) => {
    const anchor = tryParseX509(der);
    if (!anchor) issues.push({ code: 'TSP_TRUST_ANCHOR_UNREADABLE', params: { n: i + 1 } });
    return anchor ? [anchor] : [];
  });
  const at = new Date(token.genTime);
  const chainResult = tsaCert
    ? buildCertificatePath(tsaCert.x509, certificates.map((c) => c.x509), anchors, { policy: signaturePolicy, at })
    : { trusted: false, path: [] as X509[], failure: null, outOfValidity: [] as X509[] };
  if (!chainResult.trusted) issues.push({ code: 'TSP_CHAIN_UNTRUSTED', failure: chainResult.failure, anchors: anchors.length });
  for (const c of chainResult.outOfValidity) issues.push({ code: 'TSP_CERTIFICATE_NOT_VALID_AT', params: { subject: c.info.subject, at: token.genTime } });
  const validAtGenTime = tsaCert !== undefined && chainResult.outOfValidity.length === 0;

  const checks = { imprint, signature, tsaCertificate, chain: chainResult.trusted, validAtGenTime };
  return {
    valid: Object.values(checks).every(Boolean),
    genTime: token.genTime,
    tsa: tsaCert ? { subject: tsaCert.info.subject, issuer: tsaCert.info.issuer } : null,
    checks,
    ...withProblems(issues),
  };
}

const withProblems = (issues: readonly TimestampIssue[]): Pick<TimeStampVerification, 'issues' | 'problems'> => ({ issues, problems: issues.map(describeTimestampIssue) });

export interface CmsSignatureInfo {
  /** The SignerInfo's signature value: what a signature time-stamp covers. */
  readonly signatureValue: Uint8Array;
  /** The eContentType is TSTInfo: the CMS is itself a time-stamp token (a PDF document time-stamp). */
  readonly isTimeStampToken: boolean;
  /** Signature time-stamp tokens already in the unsigned attributes. */
  readonly timeStampTokens: readonly Uint8Array[];
}

/** What the PDF side needs from a signature CMS (exactly one DER value). Throws Error when unreadable. */
export function inspectCmsSignature(cmsDer: Uint8Array): CmsSignatureInfo {
  const signedData = parseSignedData(cmsDer);
  const signer = parseSignerInfo(signedData.signerInfo);
  return {
    signatureValue: signer.signature,
    isTimeStampToken: signedData.eContentType === TIMESTAMP_OID.tstInfo,
    timeStampTokens: signer.unsignedAttrs ? (attributeValues(signer.unsignedAttrs).get(TIMESTAMP_OID.signatureTimeStampToken) ?? []).map((n) => n.der) : [],
  };
}

/**
 * The CMS with `tokenDer` added as the id-aa-signatureTimeStampToken unsigned attribute of its (single)
 * SignerInfo. Every element other than the SignerInfo's unsignedAttrs keeps its exact bytes; only the
 * lengths of the enclosing SignerInfo, SET, SignedData, [0] and ContentInfo change. Other unsigned
 * attributes are kept. The token must cover this CMS's signature value (TSA_BAD_RESPONSE otherwise).
 */
export function addSignatureTimeStamp(cmsDer: Uint8Array, tokenDer: Uint8Array): Uint8Array {
  const signedData = parseSignedData(cmsDer);
  const signer = parseSignerInfo(signedData.signerInfo);
  const existing = signer.unsignedAttrs ? childNodes(signer.unsignedAttrs) : [];
  if (signer.unsignedAttrs && attributeValues(signer.unsignedAttrs).has(TIMESTAMP_OID.signatureTimeStampToken)) {
    throw new AppError('SIGNATURE_ALREADY_TIMESTAMPED');
  }
  const token = readTimeStampToken(tokenDer);
  const hash = hashFor(token.imprint.algorithm, DEFAULT_SIGNATURE_POLICY);
  if (!hash || compareBytes(hash(signer.signature), token.imprint.digest) !== 0) {
    throw new AppError('TSA_BAD_RESPONSE', { reason: 'the token does not cover this signature (message imprint mismatch)' });
  }
  parseOne(tokenDer); // exactly one value: it is copied into the attribute verbatim

  const attribute = tlv(TAG.SEQUENCE, oidTlv(TIMESTAMP_OID.signatureTimeStampToken), tlv(TAG.SET, tokenDer));
  // unsignedAttrs is a SET OF: DER sorts the encodings.
  const unsignedAttrs = tlv(TAG.CONTEXT_1, ...[...existing.map((n) => n.der), attribute].sort(compareBytes));
  const signerInfo = tlv(TAG.SEQUENCE, ...childNodes(signedData.signerInfo).filter((n) => n.tag !== TAG.CONTEXT_1).map((n) => n.der), unsignedAttrs);
  const fields = signedData.fields.map((n) => n.der);
  fields[fields.length - 1] = tlv(TAG.SET, signerInfo);
  return tlv(TAG.SEQUENCE, signedData.contentTypeNode.der, tlv(TAG.CONTEXT_0, tlv(TAG.SEQUENCE, ...fields)));
}

// ---------------------------------------------------------------------------------------------------
// DER reading and writing

const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  OID: 0x06,
  UTF8: 0x0c,
  SEQUENCE: 0x30,
  SET: 0x31,
  GENERALIZED_TIME: 0x18,
  CONTEXT_0: 0xa0,
  CONTEXT_1: 0xa1,
  CONTEXT_3: 0xa3,
  CONTEXT_4: 0xa4,
  CONTEXT_0_PRIMITIVE: 0x80,
  CONTEXT_1_PRIMITIVE: 0x81,
} as const;

interface DerNode {
  readonly tag: number;
  /** The whole element: tag, length and content, exactly as in the input. */
  readonly der: Uint8Array;
  readonly content: Uint8Array;
  readonly block: asn1js.BaseBlock;
}

/**
 * An element as asn1js read it, with its exact bytes (valueBeforeDecodeView). DER only: indefinite
 * lengths (BER) and high tag numbers are refused, as before.
 */
function toNode(block: asn1js.BaseBlock): DerNode {
  const der = block.valueBeforeDecodeView;
  const tag = der[0];
  if (tag === undefined) throw new Error('truncated DER');
  if ((tag & 0x1f) === 0x1f) throw new Error('unexpected high tag number');
  if (block.lenBlock.isIndefiniteForm) throw new Error('indefinite length (BER) is not DER');
  return { tag, der, content: der.subarray(block.idBlock.blockLength + block.lenBlock.blockLength), block };
}

/** Exactly one DER element filling `bytes`. */
function parseOne(bytes: Uint8Array): DerNode {
  const parsed = asn1js.fromBER(new Uint8Array(bytes));
  if (parsed.offset === -1) throw new Error(parsed.result.error || 'not DER');
  if (parsed.offset !== bytes.length) throw new Error('trailing bytes after the DER value');
  return toNode(parsed.result);
}

function childNodes(node: DerNode | undefined): DerNode[] {
  if (!node) return [];
  if ((node.tag & 0x20) === 0) throw new Error('expected a constructed value');
  const value: unknown = (node.block.valueBlock as { value?: unknown }).value;
  return Array.isArray(value) ? value.filter((v): v is asn1js.BaseBlock => v instanceof asn1js.BaseBlock).map(toNode) : [];
}

function expectTag(node: DerNode | undefined, tag: number, what: string): DerNode {
  if (!node || node.tag !== tag) throw new Error(`expected ${what}`);
  return node;
}

function readOidNode(node: DerNode | undefined, what: string): string {
  const oid = readOidValue(expectTag(node, TAG.OID, what).block);
  if (oid === null) throw new Error(`expected ${what}`);
  return oid;
}

function encodeLength(length: number): Uint8Array {
  if (length < 0x80) return Uint8Array.of(length);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n % 256);
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function tlv(tag: number, ...content: Uint8Array[]): Uint8Array {
  const body = concat(content);
  return concat([Uint8Array.of(tag), encodeLength(body.length), body]);
}

const oidTlv = (dotted: string): Uint8Array => tlv(TAG.OID, binaryToBytes(asn1.oidToDer(dotted).getBytes()));

/** MessageImprint ::= SEQUENCE { hashAlgorithm AlgorithmIdentifier (parameters absent, RFC 5754), hashedMessage } */
const messageImprint = (hashOid: string, digest: Uint8Array): Uint8Array => tlv(TAG.SEQUENCE, tlv(TAG.SEQUENCE, oidTlv(hashOid)), tlv(TAG.OCTET_STRING, digest));

/** DER INTEGER content for an unsigned big-endian number: minimal, with a 00 byte if the top bit is set. */
function positiveInteger(bytes: Uint8Array): Uint8Array {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const trimmed = bytes.subarray(start);
  return (trimmed[0] ?? 0) & 0x80 ? concat([Uint8Array.of(0), trimmed]) : trimmed.slice();
}


// ---------------------------------------------------------------------------------------------------
// TimeStampResp status

const statusNames = ['granted', 'grantedWithMods', 'rejection', 'waiting', 'revocationWarning', 'revocationNotification'];
const failInfoNames: Record<number, string> = {
  0: 'badAlg',
  2: 'badRequest',
  5: 'badDataFormat',
  14: 'timeNotAvailable',
  15: 'unacceptedPolicy',
  16: 'unacceptedExtension',
  17: 'addInfoNotAvailable',
  25: 'systemFailure',
};

/** PKIStatusInfo ::= SEQUENCE { status PKIStatus, statusString PKIFreeText OPTIONAL, failInfo PKIFailureInfo OPTIONAL } */
function readStatus(node: DerNode | undefined): { code: number; name: string; failInfo: string[]; text: string } {
  let parts: DerNode[];
  try {
    parts = childNodes(expectTag(node, TAG.SEQUENCE, 'PKIStatusInfo'));
  } catch (err) {
    throw new AppError('TSA_BAD_RESPONSE', { reason: `no PKIStatusInfo (${messageOf(err)})` }, { cause: err });
  }
  const statusNode = parts[0];
  if (!statusNode || statusNode.tag !== TAG.INTEGER || statusNode.content.length !== 1) throw new AppError('TSA_BAD_RESPONSE', { reason: 'bad PKIStatus' });
  const code = statusNode.content[0] ?? -1;
  const texts: string[] = [];
  const failInfo: string[] = [];
  for (const part of parts.slice(1)) {
    if (part.tag === TAG.SEQUENCE) {
      for (const s of childNodes(part)) if (s.tag === TAG.UTF8) texts.push(new TextDecoder().decode(s.content));
    } else if (part.tag === TAG.BIT_STRING) {
      // content[0] is the count of unused bits; bit n is the n-th bit from the top of content[1…].
      for (let bit = 0; bit < (part.content.length - 1) * 8; bit++) {
        if (((part.content[1 + (bit >> 3)] ?? 0) >> (7 - (bit & 7))) & 1) failInfo.push(failInfoNames[bit] ?? `bit${bit}`);
      }
    }
  }
  return { code, name: statusNames[code] ?? `status${code}`, failInfo, text: texts.join('; ') };
}

// ---------------------------------------------------------------------------------------------------
// SignedData (RFC 5652) and the TSTInfo inside a token

interface SignedDataParts {
  readonly contentTypeNode: DerNode;
  /** The SignedData SEQUENCE's children, in order; the last is the SignerInfos SET. */
  readonly fields: readonly DerNode[];
  readonly eContentType: string;
  /** The eContent OCTET STRING's content (the signed data for an attached SignedData). */
  readonly eContent: Uint8Array | null;
  readonly certificates: readonly Uint8Array[];
  readonly signerInfo: DerNode;
}

function parseSignedData(der: Uint8Array): SignedDataParts {
  const contentInfo = expectTag(parseOne(der), TAG.SEQUENCE, 'ContentInfo');
  const [contentTypeNode, explicit] = childNodes(contentInfo);
  if (readOidNode(contentTypeNode, 'ContentInfo contentType') !== OID.signedData || !contentTypeNode) throw new Error('not a SignedData');
  const signedData = expectTag(childNodes(expectTag(explicit, TAG.CONTEXT_0, 'ContentInfo content'))[0], TAG.SEQUENCE, 'SignedData');
  const fields = childNodes(signedData);
  const [encapContentType, eContentExplicit] = childNodes(expectTag(fields[2], TAG.SEQUENCE, 'EncapsulatedContentInfo'));
  const eContentType = readOidNode(encapContentType, 'eContentType');
  let eContent: Uint8Array | null = null;
  if (eContentExplicit) {
    const octets = childNodes(expectTag(eContentExplicit, TAG.CONTEXT_0, 'eContent'))[0];
    eContent = expectTag(octets, TAG.OCTET_STRING, 'eContent OCTET STRING (primitive, DER)').content;
  }
  const certificatesNode = fields.slice(3).find((n) => n.tag === TAG.CONTEXT_0);
  const certificates = childNodes(certificatesNode)
    .filter((n) => n.tag === TAG.SEQUENCE) // other CertificateChoices (attribute certificates) are not used here
    .map((n) => n.der);
  const signerInfos = childNodes(expectTag(fields[fields.length - 1], TAG.SET, 'SignerInfos'));
  if (signerInfos.length !== 1 || !signerInfos[0]) throw new Error(`expected one SignerInfo, found ${signerInfos.length}`);
  return { contentTypeNode, fields, eContentType, eContent, certificates, signerInfo: signerInfos[0] };
}

interface SignerInfoParts {
  readonly sid: DerNode;
  readonly digestAlgorithm: string;
  readonly signedAttrs: DerNode | null;
  readonly signatureAlgorithm: string;
  readonly signature: Uint8Array;
  readonly unsignedAttrs: DerNode | null;
}

function parseSignerInfo(node: DerNode): SignerInfoParts {
  const fields = childNodes(expectTag(node, TAG.SEQUENCE, 'SignerInfo'));
  let i = 1; // after version
  const sid = fields[i++];
  if (!sid) throw new Error('SignerInfo without sid');
  const digestAlgorithm = readOidNode(childNodes(expectTag(fields[i++], TAG.SEQUENCE, 'digestAlgorithm'))[0], 'digestAlgorithm');
  let signedAttrs: DerNode | null = null;
  if (fields[i]?.tag === TAG.CONTEXT_0) signedAttrs = fields[i++] ?? null;
  const signatureAlgorithm = readOidNode(childNodes(expectTag(fields[i++], TAG.SEQUENCE, 'signatureAlgorithm'))[0], 'signatureAlgorithm');
  const signature = expectTag(fields[i++], TAG.OCTET_STRING, 'signature').content;
  const unsignedAttrs = fields[i]?.tag === TAG.CONTEXT_1 ? (fields[i] ?? null) : null;
  return { sid, digestAlgorithm, signedAttrs, signatureAlgorithm, signature, unsignedAttrs };
}

/** Attribute ::= SEQUENCE { attrType, attrValues SET OF } → OID → values. */
function attributeValues(attributes: DerNode): Map<string, DerNode[]> {
  const map = new Map<string, DerNode[]>();
  for (const attribute of childNodes(attributes)) {
    const [type, values] = childNodes(expectTag(attribute, TAG.SEQUENCE, 'Attribute'));
    const key = readOidNode(type, 'attribute type');
    map.set(key, [...(map.get(key) ?? []), ...childNodes(expectTag(values, TAG.SET, 'attribute values'))]);
  }
  return map;
}

interface ParsedToken {
  readonly token: TimeStampToken;
  readonly signedData: SignedDataParts;
  readonly signer: SignerInfoParts;
}

/**
 * TSTInfo ::= SEQUENCE { version, policy, messageImprint, serialNumber, genTime, accuracy OPTIONAL,
 *   ordering BOOLEAN DEFAULT FALSE, nonce INTEGER OPTIONAL, tsa [0] GeneralName OPTIONAL, extensions [1] OPTIONAL }
 */
function parseToken(tokenDer: Uint8Array): ParsedToken {
  const signedData = parseSignedData(tokenDer);
  if (signedData.eContentType !== TIMESTAMP_OID.tstInfo) throw new Error('the SignedData does not hold a TSTInfo');
  if (!signedData.eContent) throw new Error('the token has no TSTInfo content');
  const signer = parseSignerInfo(signedData.signerInfo);
  const fields = childNodes(expectTag(parseOne(signedData.eContent), TAG.SEQUENCE, 'TSTInfo'));
  const policy = readOidNode(fields[1], 'TSTInfo policy');
  const [imprintAlgorithm, imprintDigest] = childNodes(expectTag(fields[2], TAG.SEQUENCE, 'messageImprint'));
  const algorithm = readOidNode(childNodes(expectTag(imprintAlgorithm, TAG.SEQUENCE, 'hashAlgorithm'))[0], 'hashAlgorithm');
  const digest = expectTag(imprintDigest, TAG.OCTET_STRING, 'hashedMessage').content;
  const serialNumber = serialHex(expectTag(fields[3], TAG.INTEGER, 'serialNumber').content);
  const genTime = parseGeneralizedTime(new TextDecoder().decode(expectTag(fields[4], TAG.GENERALIZED_TIME, 'genTime').content));

  let accuracyMs: number | null = null;
  let nonce: string | null = null;
  let tsaName: string | null = null;
  for (const field of fields.slice(5)) {
    if (field.tag === TAG.SEQUENCE) {
      // Accuracy ::= SEQUENCE { seconds INTEGER OPTIONAL, millis [0] INTEGER OPTIONAL, micros [1] INTEGER OPTIONAL }
      accuracyMs = 0;
      for (const part of childNodes(field)) {
        const value = Number.parseInt(toHex(part.content) || '0', 16);
        if (part.tag === TAG.INTEGER) accuracyMs += value * 1000;
        else if (part.tag === TAG.CONTEXT_0_PRIMITIVE) accuracyMs += value;
        else if (part.tag === TAG.CONTEXT_1_PRIMITIVE) accuracyMs += value / 1000;
      }
    } else if (field.tag === TAG.INTEGER) {
      nonce = serialHex(field.content);
    } else if (field.tag === TAG.CONTEXT_0) {
      // tsa [0] EXPLICIT GeneralName; directoryName is [4] EXPLICIT Name
      const generalName = childNodes(field)[0];
      const name = generalName?.tag === TAG.CONTEXT_4 ? childNodes(generalName)[0] : undefined;
      tsaName = name ? formatName(name.der) : null;
    }
  }
  return { token: { der: tokenDer, genTime, serialNumber, policy, tsaName, imprint: { algorithm, digest }, nonce, accuracyMs }, signedData, signer };
}

/** "YYYYMMDDHHMMSS[.fff]Z" (RFC 3161 requires UTC, "Z") → ISO 8601. */
function parseGeneralizedTime(text: string): string {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.(\d{1,9}))?Z$/.exec(text);
  if (!m) throw new Error(`bad genTime "${text}"`);
  const [, y, mo, d, h, mi, s, fraction = ''] = m;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number((fraction + '000').slice(0, 3)));
  if (Number.isNaN(ms)) throw new Error(`bad genTime "${text}"`);
  return new Date(ms).toISOString();
}

// ---------------------------------------------------------------------------------------------------
// Token signature and TSA certificate

interface ParsedCertificate {
  readonly der: Uint8Array;
  readonly info: CertificateInfo;
  readonly tbs: Uint8Array;
  readonly signatureAlgorithm: string;
  readonly signature: Uint8Array;
  /** SubjectPublicKeyInfo DER. */
  readonly spki: Uint8Array;
  readonly extensions: ReadonlyMap<string, { readonly critical: boolean; readonly value: Uint8Array }>;
  /** The same certificate as the CMS core reads it: what its path is built on. */
  readonly x509: X509;
}

function parseCertificate(der: Uint8Array): ParsedCertificate {
  const [tbsNode, algorithmNode, signatureNode] = childNodes(expectTag(parseOne(der), TAG.SEQUENCE, 'Certificate'));
  const tbs = expectTag(tbsNode, TAG.SEQUENCE, 'TBSCertificate');
  const fields = childNodes(tbs);
  const offset = fields[0]?.tag === TAG.CONTEXT_0 ? 1 : 0; // [0] EXPLICIT version
  const spki = expectTag(fields[offset + 5], TAG.SEQUENCE, 'SubjectPublicKeyInfo');
  const extensions = new Map<string, { critical: boolean; value: Uint8Array }>();
  const extensionsNode = fields.slice(offset + 6).find((n) => n.tag === TAG.CONTEXT_3);
  for (const ext of childNodes(childNodes(extensionsNode)[0])) {
    const parts = childNodes(ext);
    const critical = parts[1]?.tag === TAG.BOOLEAN && (parts[1].content[0] ?? 0) !== 0;
    extensions.set(readOidNode(parts[0], 'extnID'), { critical, value: expectTag(parts[parts.length - 1], TAG.OCTET_STRING, 'extnValue').content });
  }
  const signatureBits = expectTag(signatureNode, TAG.BIT_STRING, 'signatureValue').content;
  const x509 = parseX509(der); // throws Error('Not an X.509 certificate'), as readCertificate does
  return {
    der,
    info: x509.info,
    tbs: tbs.der,
    signatureAlgorithm: readOidNode(childNodes(expectTag(algorithmNode, TAG.SEQUENCE, 'signatureAlgorithm'))[0], 'signatureAlgorithm'),
    signature: signatureBits.subarray(1), // first byte: unused bits (0)
    spki: spki.der,
    extensions,
    x509,
  };
}

function signerIdMatches(sid: DerNode, cert: ParsedCertificate): boolean {
  if (sid.tag === TAG.SEQUENCE) {
    // IssuerAndSerialNumber: compare the exact encodings
    const [issuer, serial] = childNodes(sid);
    return !!issuer && !!serial && compareBytes(issuer.der, cert.info.issuerNameDer) === 0 && compareBytes(serial.der, cert.info.serialDer) === 0;
  }
  if (sid.tag === TAG.CONTEXT_0_PRIMITIVE) return cert.info.subjectKeyIdentifier === toHex(sid.content); // [0] SubjectKeyIdentifier
  return false;
}

function checkTokenSignature(signedData: SignedDataParts, signer: SignerInfoParts, tsaCert: ParsedCertificate, policy: SignaturePolicy, issues: TimestampIssue[]): boolean {
  const hash = hashFor(signer.digestAlgorithm, policy);
  if (!hash) {
    issues.push({ code: 'TSP_DIGEST_UNSUPPORTED', params: { algorithm: signer.digestAlgorithm } });
    return false;
  }
  if (!signer.signedAttrs) {
    issues.push({ code: 'TSP_NO_SIGNED_ATTRIBUTES' });
    return false;
  }
  let ok = true;
  const attrs = attributeValues(signer.signedAttrs);
  const contentType = attrs.get(OID.contentType)?.[0];
  if (!contentType || readOidNode(contentType, 'contentType') !== TIMESTAMP_OID.tstInfo) {
    issues.push({ code: 'TSP_CONTENT_TYPE_NOT_TSTINFO' });
    ok = false;
  }
  const messageDigest = attrs.get(OID.messageDigest)?.[0];
  if (!messageDigest || !signedData.eContent || compareBytes(messageDigest.content, hash(signedData.eContent)) !== 0) {
    issues.push({ code: 'TSP_TSTINFO_CHANGED' });
    ok = false;
  }
  // RFC 3161 §2.4.1 / RFC 5816: the TSA certificate is named by signingCertificate (SHA-1) or -V2.
  const essV2 = attrs.get(OID.signingCertificateV2)?.[0];
  const essV1 = attrs.get(OID.signingCertificate)?.[0];
  if (!(essV2 ? essCertIdMatches(essV2, tsaCert.der, true) : essV1 ? essCertIdMatches(essV1, tsaCert.der, false) : false)) {
    issues.push({ code: 'TSP_SIGNING_CERTIFICATE_MISMATCH' });
    ok = false;
  }
  // The signature is over the DER of the attributes with the SET OF tag in place of [0] IMPLICIT.
  const signedBytes = signer.signedAttrs.der.slice();
  signedBytes[0] = TAG.SET;
  const result = verifySignedBytes(
    { spkiDer: tsaCert.spki, algorithm: { oid: signer.signatureAlgorithm }, digestOid: signer.digestAlgorithm, data: signedBytes, signature: signer.signature },
    policy,
  );
  if (result !== 'valid') {
    issues.push(result === 'invalid' ? { code: 'TSP_SIGNATURE_INVALID' } : { code: 'TSP_SIGNATURE_ALGORITHM_UNSUPPORTED', params: { algorithm: signer.signatureAlgorithm } });
    ok = false;
  }
  return ok;
}

/** SigningCertificate(V2) ::= SEQUENCE { certs SEQUENCE OF ESSCertID(v2), … }; the first names the signer. */
function essCertIdMatches(value: DerNode, certDer: Uint8Array, v2: boolean): boolean {
  try {
    const parts = childNodes(childNodes(childNodes(value)[0])[0]);
    let hashOid: string = v2 ? OID.sha256 : TIMESTAMP_OID.sha1;
    let index = 0;
    if (v2 && parts[0]?.tag === TAG.SEQUENCE) {
      hashOid = readOidNode(childNodes(parts[0])[0], 'ESSCertIDv2 hashAlgorithm');
      index = 1;
    }
    // ESSCertID (v1) names the certificate by its SHA-1 hash: an identifier, not a signature, so not subject to the policy.
    const name = hashNameOf(hashOid);
    const hash = name ? (data: Uint8Array): Uint8Array => digestOf(name, data) : null;
    const certHash = parts[index];
    return !!hash && certHash?.tag === TAG.OCTET_STRING && compareBytes(certHash.content, hash(certDer)) === 0;
  } catch {
    return false;
  }
}

/** RFC 3161 §2.3: extendedKeyUsage present, critical, with id-kp-timeStamping as its only purpose. */
function checkTsaCertificate(cert: ParsedCertificate, issues: TimestampIssue[]): boolean {
  const eku = cert.extensions.get(TIMESTAMP_OID.extKeyUsage);
  let purposes: string[];
  try {
    purposes = eku ? childNodes(parseOne(eku.value)).map((n) => readOidNode(n, 'KeyPurposeId')) : [];
  } catch {
    purposes = [];
  }
  let ok = true;
  if (!eku || purposes.length !== 1 || purposes[0] !== TIMESTAMP_OID.timeStamping) {
    issues.push({ code: 'TSP_EKU_NOT_TIMESTAMPING' });
    ok = false;
  } else if (!eku.critical) {
    issues.push({ code: 'TSP_EKU_NOT_CRITICAL' });
    ok = false;
  }
  const keyUsage = cert.info.keyUsage;
  if (keyUsage && !keyUsage.digitalSignature && !keyUsage.nonRepudiation) {
    issues.push({ code: 'TSP_KEY_USAGE_NO_SIGNING' });
    ok = false;
  }
  return ok;
}

type Hash = (data: Uint8Array) => Uint8Array;

/** The hash `oid` names if the policy allows it (SHA-1 is refused unless listed). */
function hashFor(oid: string, policy: SignaturePolicy): Hash | null {
  const name = hashNameOf(oid);
  return name && policy.allowedHashes.includes(name) ? (data) => digestOf(name, data) : null;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
