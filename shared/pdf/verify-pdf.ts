/**
 * Checks every signature in a PDF: integrity (messageDigest and the signature over the signed
 * attributes), coverage, chain to given trust anchors, certificate validity at the claimed signing time,
 * and the PAdES baseline attributes. Pure and synchronous: the central runs it on every uploaded file,
 * `motcua verify` prints it, the verify screen shows it.
 *
 * Three parts: the raw scan for signature dictionaries (signature-scan.ts), what later revisions changed
 * (revision-diff.ts), and the CMS checks here — on the CMS core (shared/cms: signed-data.ts reads the
 * SignedData with pkijs, verify-signature.ts verifies RSA PKCS#1 v1.5 / PSS and ECDSA, cert-path.ts builds
 * the path) under one SignaturePolicy, the same the counter's unlock applies. Problems are codes
 * (verify-problems.ts) the UI translates, with English sentences alongside.
 *
 * Not checked (yet): revocation (CRL/OCSP — the app asks main separately), DocMDP/FieldMDP permissions;
 * RFC 3161 timestamps only through VerifyOptions.checkTimestamp.
 */
import type { TimestampIssue } from '../cms/timestamp';
import { checkSignatureTimestamp } from './verify-timestamp';
import * as asn1js from 'asn1js';
import { AppError } from '../errors';
import { buildCertificatePath, describePathFailure } from '../cms/cert-path';
import { OID } from '../cms/der';
import { digestOf, hashNameOf, sameBytes } from '../cms/hashes';
import { namesSigner, readAsn1, readCmsSignature, type CmsSignature } from '../cms/signed-data';
import { DEFAULT_SIGNATURE_POLICY, type SignaturePolicy } from '../cms/signature-policy';
import { signatureHash, verifySignedDigest } from '../cms/verify-signature';
import { parseX509, type X509 } from '../cms/x509';
import { analyseRevisions, maxLevel, type ChangeLevel, type RevisionChanges } from './revision-diff';
import { ascii, contentsBytes, findSignatureDictionaries, indexOf, type FoundSignature } from './signature-scan';
import { describeVerifyIssue, pathIssue, type VerifyIssue } from './verify-problems';

;
export { parsePdfDate } from './signature-scan';
export type { VerifyIssue,  } from './verify-problems';

interface SignerCertificateReport {
  readonly subject: string;
  readonly issuer: string;
  readonly serialNumber: string;
  readonly notBefore: string;
  readonly notAfter: string;
}

/** An RFC 3161 timestamp on the signature (filled by VerifyOptions.checkTimestamp, when given). */
export interface SignatureTimestampReport {
  /** genTime of the token, ISO 8601. */
  readonly time: string;
  /** Subject of the TSA certificate, if found. */
  readonly tsa: string | null;
  /** The token's messageImprint is the hash of this signature's value and its own signature verifies. */
  readonly valid: boolean;
  readonly chain: { readonly trusted: boolean; readonly reason?: string };
  /** What failed, as codes the verify screen translates. */
  readonly issues: readonly TimestampIssue[];
  /** The same in English. */
  readonly problems: readonly string[];
}

/** What a timestamp checker receives for one signature. */
export interface TimestampCheckInput {
  /** The SignerInfo's signature value (what a signature timestamp's messageImprint hashes). */
  readonly signatureValue: Uint8Array;
  /** DER of the signature-time-stamp unsigned attribute's value (a ContentInfo), or null if absent. */
  readonly timestampTokenDer: Uint8Array | null;
  readonly trustAnchorsDer: readonly Uint8Array[];
  readonly now: Date;
  readonly signaturePolicy?: SignaturePolicy;
}

type TimestampChecker = (input: TimestampCheckInput) => SignatureTimestampReport | undefined;

export interface PdfSignatureReport {
  /** /SubFilter of the signature dictionary, e.g. "ETSI.CAdES.detached". */
  readonly subFilter: string | null;
  readonly byteRange: readonly number[];
  /** 1-based revision this signature signs (the file up to the end of its second range). */
  readonly revision: number;
  /** Bytes covered by the signature: the two ranges, without the /Contents gap. */
  readonly coveredBytes: number;
  /** The worst change made in later revisions ('none' when this signature signs the last revision). */
  readonly changesAfter: ChangeLevel | 'none';
  /** Each later revision with the objects it added, modified or deleted. */
  readonly laterRevisions: readonly RevisionChanges[];
  /** Present only when a timestamp checker was given and the signature carries a timestamp. */
  readonly timestamp?: SignatureTimestampReport;
  readonly signer: SignerCertificateReport | null;
  /** /M of the signature dictionary as ISO 8601: claimed by the signer, not proven (no timestamp). */
  readonly claimedSigningTime: string | null;
  /** messageDigest equals the hash of the byte ranges AND the signature over the signed attributes verifies. */
  readonly integrity: 'valid' | 'invalid' | 'unsupported-algorithm';
  /** Ranges start at 0, end at the end of the file, and the gap is exactly the /Contents hex string. */
  readonly coversWholeDocument: boolean;
  /** reason: English (logs, CLI); issue: the same as a code the UI translates. */
  readonly chain: { readonly trusted: boolean; readonly reason?: string; readonly issue?: VerifyIssue };
  /** Every certificate of the path was within its validity at the claimed signing time (or now, if none). */
  readonly certificateValidAtSigningTime: boolean;
  readonly attributes: {
    readonly signingCertificateV2Matches: boolean;
    readonly hasSigningTime: boolean;
    readonly contentTypeIsData: boolean;
  };
  /** ETSI.CAdES.detached with signing-certificate-v2 matching, contentType data, and no signing-time. */
  readonly padesBaselineB: boolean;
  /** What is wrong, as codes (translated by the UI) … */
  readonly issues: readonly VerifyIssue[];
  /** … and the same in English (describeVerifyIssue). */
  readonly problems: readonly string[];
}

export interface PdfVerificationReport {
  /** Every signature intact, trusted and in validity at signing time, and the last one covers the whole file. */
  readonly valid: boolean;
  readonly fileSize: number;
  readonly checkedAt: string;
  /** In file order of the revision each signs (the last signature last). */
  readonly signatures: readonly PdfSignatureReport[];
  readonly issues: readonly VerifyIssue[];
  readonly problems: readonly string[];
}

export interface VerifyOptions {
  readonly trustAnchorsDer: readonly Uint8Array[];
  readonly now?: Date;
  /** Checks a signature's RFC 3161 timestamp; default: shared/pdf/verify-timestamp.ts. */
  readonly checkTimestamp?: TimestampChecker;
  /** Hashes and path depth; default DEFAULT_SIGNATURE_POLICY — the counter's unlock and the central use the same. */
  readonly signaturePolicy?: SignaturePolicy;
}

export function verifyPdfSignatures(pdf: Uint8Array, opts: VerifyOptions): PdfVerificationReport {
  const now = opts.now ?? new Date();
  const policy = opts.signaturePolicy ?? DEFAULT_SIGNATURE_POLICY;
  if (indexOf(pdf, ascii('%PDF-'), 0, 1024) < 0) throw new AppError('FILE_CORRUPT_PDF', { name: '', reason: 'no %PDF- header' });

  const issues: VerifyIssue[] = [];
  const anchors: X509[] = [];
  for (const [i, der] of opts.trustAnchorsDer.entries()) {
    try {
      anchors.push(parseX509(der));
    } catch (err) {
      issues.push({ code: 'TRUST_ANCHOR_UNUSABLE', params: { n: i + 1, detail: messageOf(err) } });
    }
  }

  const found = findSignatureDictionaries(pdf).sort((a, b) => end(a.byteRange) - end(b.byteRange));
  const revisions = found.length ? analyseRevisions(pdf) : { ends: [], later: [] };
  const signatures = found.map((sig): PdfSignatureReport => {
    const report = checkSignature(pdf, sig, anchors, now, policy, opts);
    const signedEnd = end(sig.byteRange);
    const revision = revisions.ends.filter((e) => e < signedEnd).length + 1;
    const laterRevisions = revisions.later.filter((r) => r.start >= signedEnd);
    const changesAfter = maxLevel(laterRevisions.flatMap((r) => (r.level === 'none' ? [] : [r.level]))) ?? 'none';
    return { ...report, revision, laterRevisions, changesAfter };
  });
  if (signatures.length === 0) issues.push({ code: 'NO_SIGNATURE' });
  const last = signatures[signatures.length - 1];
  if (last && !last.coversWholeDocument) issues.push({ code: 'LAST_SIGNATURE_PARTIAL' });
  const valid =
    signatures.length > 0 &&
    signatures.every((s) => s.integrity === 'valid' && s.chain.trusted && s.certificateValidAtSigningTime) &&
    last?.coversWholeDocument === true;
  return { valid, fileSize: pdf.length, checkedAt: now.toISOString(), signatures, issues, problems: issues.map(describeVerifyIssue) };
}

// ---------------------------------------------------------------------------------------------------
// One signature

const end = (range: readonly number[]): number => (range[2] ?? 0) + (range[3] ?? 0);

type SignatureCheck = Omit<PdfSignatureReport, 'revision' | 'laterRevisions' | 'changesAfter'>;

interface ReadSignature {
  readonly cms: CmsSignature;
  readonly certificates: readonly X509[];
  readonly signer: X509 | undefined;
}

/** The CMS of a signature with its certificates read; throws Error when the CMS is unreadable. */
function readSignature(contents: NonNullable<FoundSignature['contents']>): ReadSignature {
  const cms = readCmsSignature(contentsBytes(contents));
  const certificates = cms.certificatesDer.map((der) => parseX509(der));
  return { cms, certificates, signer: certificates.find((c) => namesSigner(cms.signerId, c)) };
}

/**
 * Each signature's certificates as the CMS carries them, the signer's first (null where the CMS cannot be
 * read): what a revocation check needs, for the app to ask main about CRL/OCSP status.
 */
export function signatureCertificates(pdf: Uint8Array): Array<Uint8Array[] | null> {
  return findSignatureDictionaries(pdf).map((sig) => {
    if (!sig.contents) return null;
    try {
      const { certificates, signer } = readSignature(sig.contents);
      return signer ? [signer.der, ...certificates.filter((c) => c !== signer).map((c) => c.der)] : null;
    } catch {
      return null;
    }
  });
}

function checkSignature(pdf: Uint8Array, sig: FoundSignature, anchors: readonly X509[], now: Date, policy: SignaturePolicy, opts: VerifyOptions): SignatureCheck {
  const issues: VerifyIssue[] = [];
  const [a = -1, b = -1, c = -1, d = -1] = sig.byteRange;
  const rangesSane = sig.byteRange.length === 4 && a >= 0 && b >= 0 && c >= a + b && d >= 0 && c + d <= pdf.length;
  if (!rangesSane) issues.push({ code: 'BYTE_RANGE_MALFORMED', params: { range: sig.byteRange.join(' ') } });

  const coversWholeDocument =
    rangesSane && a === 0 && c + d === pdf.length && sig.contents !== null && sig.contents.start === b && sig.contents.end === c;
  if (rangesSane && !coversWholeDocument) issues.push(a !== 0 || c + d !== pdf.length ? { code: 'RANGES_NOT_WHOLE_FILE' } : { code: 'GAP_NOT_CONTENTS' });

  const claimedSigningTime = sig.signingTime;
  if (!claimedSigningTime) issues.push({ code: 'NO_SIGNING_TIME' });
  const validityTime = claimedSigningTime ? new Date(claimedSigningTime) : now;

  const base = {
    subFilter: sig.subFilter,
    byteRange: sig.byteRange,
    coveredBytes: rangesSane ? b + d : 0,
    claimedSigningTime,
    coversWholeDocument,
  };
  const failed = (issue: VerifyIssue): SignatureCheck => {
    const all = [...issues, issue];
    return {
      ...base,
      signer: null,
      integrity: 'invalid',
      chain: { trusted: false, reason: describeVerifyIssue(issue), issue },
      certificateValidAtSigningTime: false,
      attributes: { signingCertificateV2Matches: false, hasSigningTime: false, contentTypeIsData: false },
      padesBaselineB: false,
      issues: all,
      problems: all.map(describeVerifyIssue),
    };
  };

  if (sig.subFilter === 'ETSI.RFC3161') return { ...failed({ code: 'DOCUMENT_TIMESTAMP_UNCHECKED' }), integrity: 'unsupported-algorithm' };
  if (!sig.contents) return failed({ code: 'NO_CONTENTS' });

  let read: ReadSignature;
  try {
    read = readSignature(sig.contents);
  } catch (err) {
    return failed({ code: 'CMS_UNREADABLE', params: { detail: messageOf(err) } });
  }
  const { cms, certificates, signer: signerCert } = read;
  if (!signerCert) return failed({ code: 'SIGNER_CERTIFICATE_MISSING' });
  const signer: SignerCertificateReport = {
    subject: signerCert.info.subject,
    issuer: signerCert.info.issuer,
    serialNumber: signerCert.info.serialNumber,
    notBefore: signerCert.info.notBefore.toISOString(),
    notAfter: signerCert.info.notAfter.toISOString(),
  };

  // Attributes
  const attrs = cms.signedAttributes;
  const contentTypeIsData = attrs !== null && oidValue(attrs.get(OID.contentType)?.[0]) === OID.data;
  const hasSigningTime = attrs?.has(OID.signingTime) ?? false;
  const signingCertificateV2Matches = attrs !== null && certHashMatches(attrs.get(OID.signingCertificateV2)?.[0], signerCert.der);
  if (!attrs) issues.push({ code: 'NO_SIGNED_ATTRIBUTES' });
  else {
    if (!contentTypeIsData) issues.push({ code: 'CONTENT_TYPE_NOT_DATA' });
    if (hasSigningTime && sig.subFilter === 'ETSI.CAdES.detached') issues.push({ code: 'SIGNING_TIME_IN_CMS' });
    if (!signingCertificateV2Matches) issues.push({ code: 'SIGNING_CERTIFICATE_V2_MISSING' });
  }

  const integrity = checkIntegrity(pdf, sig.byteRange, rangesSane, cms, signerCert, policy, issues);
  const others = certificates.filter((cert) => cert !== signerCert);
  const path = buildCertificatePath(signerCert, others, anchors, { policy, at: validityTime });
  const chainIssue = path.failure ? pathIssue(path.failure) : undefined;
  if (!path.trusted && chainIssue) issues.push(chainIssue);
  for (const cert of path.outOfValidity) {
    issues.push({
      code: 'CERTIFICATE_NOT_VALID_AT',
      params: { subject: cert.info.subject, at: validityTime.toISOString(), from: cert.info.notBefore.toISOString(), to: cert.info.notAfter.toISOString() },
    });
  }

  const timestamp = (opts.checkTimestamp ?? checkSignatureTimestamp)({
    signatureValue: cms.signature,
    timestampTokenDer: cms.timestampTokenDer,
    trustAnchorsDer: opts.trustAnchorsDer,
    now,
    signaturePolicy: policy,
  });
  const chain: PdfSignatureReport['chain'] = path.trusted
    ? { trusted: true }
    : { trusted: false, reason: path.failure ? describePathFailure(path.failure) : 'unknown reason', ...(chainIssue ? { issue: chainIssue } : {}) };
  return {
    ...base,
    ...(timestamp ? { timestamp } : {}),
    signer,
    integrity,
    chain,
    certificateValidAtSigningTime: path.outOfValidity.length === 0,
    attributes: { signingCertificateV2Matches, hasSigningTime, contentTypeIsData },
    padesBaselineB: sig.subFilter === 'ETSI.CAdES.detached' && signingCertificateV2Matches && contentTypeIsData && !hasSigningTime,
    issues,
    problems: issues.map(describeVerifyIssue),
  };
}

function checkIntegrity(
  pdf: Uint8Array,
  byteRange: readonly number[],
  rangesSane: boolean,
  cms: CmsSignature,
  signerCert: X509,
  policy: SignaturePolicy,
  issues: VerifyIssue[],
): PdfSignatureReport['integrity'] {
  const digestHash = hashNameOf(cms.digestAlgorithmOid);
  if (!digestHash || !policy.allowedHashes.includes(digestHash)) {
    issues.push({ code: 'DIGEST_ALGORITHM_NOT_ACCEPTED', params: { algorithm: cms.digestAlgorithmOid } });
    return 'unsupported-algorithm';
  }
  if (!rangesSane) return 'invalid';
  const [a = 0, b = 0, c = 0, d = 0] = byteRange;
  const contentDigest = digestOf(digestHash, pdf.subarray(a, a + b), pdf.subarray(c, c + d));

  // With signed attributes the signature is over their DER; without, over the content digest itself.
  let signedDigest = contentDigest;
  if (cms.signedAttributes && cms.signedAttributesDer) {
    const messageDigest = octetsValue(cms.signedAttributes.get(OID.messageDigest)?.[0]);
    if (!messageDigest || !sameBytes(messageDigest, contentDigest)) {
      issues.push({ code: 'DOCUMENT_CHANGED' });
      return 'invalid';
    }
    signedDigest = digestOf(digestHash, cms.signedAttributesDer);
  }

  // CMS (RFC 5652 §5.4, RFC 5753): the digest is made with digestAlgorithm; the signatureAlgorithm may
  // be the bare key algorithm (rsaEncryption, id-ecPublicKey) or name a hash, which must then agree.
  const notAccepted: VerifyIssue = { code: 'SIGNATURE_ALGORITHM_NOT_ACCEPTED', params: { algorithm: cms.signatureAlgorithm.oid, key: signerCert.info.keyAlgorithm } };
  const hash = signatureHash(cms.signatureAlgorithm, cms.digestAlgorithmOid, policy);
  if (hash === 'unsupported' || hash === 'hash-not-allowed') {
    issues.push(notAccepted);
    return 'unsupported-algorithm';
  }
  if (hash !== digestHash) {
    issues.push({ code: 'ALGORITHMS_DISAGREE' });
    return 'invalid';
  }
  const verdict = verifySignedDigest(
    { spkiDer: signerCert.spkiDer, algorithm: cms.signatureAlgorithm, digestOid: cms.digestAlgorithmOid, digest: signedDigest, signature: cms.signature },
    policy,
  );
  if (verdict === 'unsupported' || verdict === 'hash-not-allowed') {
    issues.push(notAccepted);
    return 'unsupported-algorithm';
  }
  if (verdict === 'invalid') {
    issues.push({ code: 'SIGNATURE_INVALID' });
    return 'invalid';
  }
  return 'valid';
}

/** SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2, policies OPTIONAL }; the first names the signer. */
function certHashMatches(valueDer: Uint8Array | undefined, certDer: Uint8Array): boolean {
  try {
    if (!valueDer) return false;
    const certs = sequenceItems(readAsn1(valueDer))[0];
    const parts = sequenceItems(sequenceItems(certs)[0]);
    // ESSCertIDv2 ::= SEQUENCE { hashAlgorithm DEFAULT sha256, certHash OCTET STRING, issuerSerial OPTIONAL }
    let hashOid: string = OID.sha256;
    let index = 0;
    const first = parts[0];
    if (first instanceof asn1js.Sequence) {
      hashOid = oidOf(sequenceItems(first)[0]) ?? '';
      index = 1;
    }
    // An identifier, not a signature: any hash we know names the certificate (the policy is for signatures).
    const hash = hashNameOf(hashOid);
    const certHash = parts[index];
    return hash !== null && certHash instanceof asn1js.OctetString && sameBytes(certHash.valueBlock.valueHexView, digestOf(hash, certDer));
  } catch {
    return false;
  }
}

const sequenceItems = (node: unknown): unknown[] => (node instanceof asn1js.Sequence ? node.valueBlock.value : []);
const oidOf = (node: unknown): string | null => (node instanceof asn1js.ObjectIdentifier ? node.getValue() : null);

function oidValue(der: Uint8Array | undefined): string | null {
  try {
    return der ? oidOf(readAsn1(der)) : null;
  } catch {
    return null;
  }
}

function octetsValue(der: Uint8Array | undefined): Uint8Array | null {
  try {
    const node = der ? readAsn1(der) : null;
    return node instanceof asn1js.OctetString ? node.valueBlock.valueHexView : null;
  } catch {
    return null;
  }
}

function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'object' && err !== null && 'message' in err) return String((err).message);
  return String(err);
}
