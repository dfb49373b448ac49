/**
 * Checks every signature in a PDF: integrity (messageDigest and the signature over the signed
 * attributes), coverage, chain to given trust anchors, certificate validity at the claimed signing time,
 * and the PAdES baseline attributes. Pure and synchronous: the central runs it on every uploaded file,
 * `motcua verify` prints it.
 *
 * The file is scanned for signature dictionaries (/ByteRange + /Contents) rather than parsed with pdf-lib:
 * pdf-lib's loader is async and would hide the byte offsets that coverage is about.
 *
 * Signatures and certificate signatures are checked with RSA PKCS#1 v1.5 (node-forge's raw RSA) or ECDSA
 * P-256/P-384/P-521 (@noble/curves), by the same code. For every signature the report also says which
 * revision it signs and what later revisions changed (read through their cross-reference sections).
 *
 * Not checked (yet): revocation (CRL/OCSP), RSA-PSS, DocMDP/FieldMDP permissions; RFC 3161 timestamps only
 * through VerifyOptions.checkTimestamp.
 */
import { checkSignatureTimestamp } from './verify-timestamp';
import forge from 'node-forge';
import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import { sha1 } from '@noble/hashes/legacy.js';
import { AppError } from '../errors';
import { readCertificate, type CertificateInfo } from '../cms/certificate';
import { asn1, bytesToBinary, children, compareBytes, derValueLength, encodeDer, isTag, parseDer, primitive, readOid, OID, type Asn1, binaryToBytes, set } from '../cms/der';
import { readEcPublicKey, verifyEcdsaDigest } from '../cms/ecdsa';
import { PDFArray, PDFDict, PDFName, PDFRawStream, PDFRef, type PDFObject } from 'pdf-lib';
import { RawPdf, revisionEnds, type ObjectLocation, type XrefEntry } from './incremental';
import { fromHex } from '../util/bytes';

/** Accepted on certificates only (old national roots); never produced by us. */
const SHA1 = '1.3.14.3.2.26';
const SHA1_WITH_RSA = '1.2.840.113549.1.1.5';
const BASIC_CONSTRAINTS = '2.5.29.19';

export interface SignerCertificateReport {
  readonly subject: string;
  readonly issuer: string;
  readonly serialNumber: string;
  readonly notBefore: string;
  readonly notAfter: string;
}

/** What a later revision's object is, coarsely. */
export type ChangeKind =
  | 'signature' // a signature or document-timestamp dictionary, its appearance, or validation data (/DSS)
  | 'signature-field' // a signature field / widget
  | 'annotation' // any other annotation or form field widget, and its appearance
  | 'page' // a page or the page tree, a page's content stream, a page's /Annots array
  | 'catalog' // the document catalog, the AcroForm or its /Fields array
  | 'metadata' // the /Info dictionary or an XMP metadata stream
  | 'structure' // cross-reference streams and object streams (containers)
  | 'other';

/** How much a change matters to someone relying on the earlier signature, from least to most. */
export type ChangeLevel = 'signatures-only' | 'annotations' | 'content';

export interface ChangedObject {
  readonly objectNumber: number;
  readonly generation: number;
  readonly change: 'added' | 'modified' | 'deleted';
  readonly kind: ChangeKind;
  /**
   * signatures-only: signature machinery (also a page or catalog whose only change is the list of
   * annotations or fields); annotations: annotations or form fields; content: the pages, their content,
   * the page tree, or anything else.
   */
  readonly level: ChangeLevel;
}

export interface RevisionChanges {
  /** 1-based revision number (revision 1 is the original file). */
  readonly revision: number;
  /** Byte offsets of the revision in the file: [start, end). */
  readonly start: number;
  readonly end: number;
  /** false when its cross-reference section could not be read (then level is 'content': nothing is known). */
  readonly readable: boolean;
  readonly objects: readonly ChangedObject[];
  readonly level: ChangeLevel | 'none';
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
}

export type TimestampChecker = (input: TimestampCheckInput) => SignatureTimestampReport | undefined;

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
  readonly chain: { readonly trusted: boolean; readonly reason?: string };
  /** Every certificate of the path was within its validity at the claimed signing time (or now, if none). */
  readonly certificateValidAtSigningTime: boolean;
  readonly attributes: {
    readonly signingCertificateV2Matches: boolean;
    readonly hasSigningTime: boolean;
    readonly contentTypeIsData: boolean;
  };
  /** ETSI.CAdES.detached with signing-certificate-v2 matching, contentType data, and no signing-time. */
  readonly padesBaselineB: boolean;
  readonly problems: readonly string[];
}

export interface PdfVerificationReport {
  /** Every signature intact, trusted and in validity at signing time, and the last one covers the whole file. */
  readonly valid: boolean;
  readonly fileSize: number;
  readonly checkedAt: string;
  /** In file order of the revision each signs (the last signature last). */
  readonly signatures: readonly PdfSignatureReport[];
  readonly problems: readonly string[];
}

export interface VerifyOptions {
  readonly trustAnchorsDer: readonly Uint8Array[];
  readonly now?: Date;
  /** Checks a signature's RFC 3161 timestamp; default: shared/pdf/verify-timestamp.ts. */
  readonly checkTimestamp?: TimestampChecker;
}

export function verifyPdfSignatures(pdf: Uint8Array, opts: VerifyOptions): PdfVerificationReport {
  const now = opts.now ?? new Date();
  if (indexOf(pdf, ascii('%PDF-'), 0, 1024) < 0) throw new AppError('FILE_CORRUPT_PDF', { name: '', reason: 'no %PDF- header' });

  const problems: string[] = [];
  const anchors: CmsCertificate[] = [];
  for (const [i, der] of opts.trustAnchorsDer.entries()) {
    try {
      anchors.push(readCmsCertificate(der));
    } catch (err) {
      problems.push(`Trust anchor #${i + 1} is not usable (${messageOf(err)})`);
    }
  }

  const found = findSignatureDictionaries(pdf).sort((a, b) => end(a.byteRange) - end(b.byteRange));
  const revisions = found.length ? analyseRevisions(pdf) : { ends: [], later: [] };
  const signatures = found.map((sig): PdfSignatureReport => {
    const report = checkSignature(pdf, sig, anchors, now, opts);
    const signedEnd = end(sig.byteRange);
    const revision = revisions.ends.filter((e) => e < signedEnd).length + 1;
    const laterRevisions = revisions.later.filter((r) => r.start >= signedEnd);
    const changesAfter = maxLevel(laterRevisions.flatMap((r) => (r.level === 'none' ? [] : [r.level]))) ?? 'none';
    return { ...report, revision, laterRevisions, changesAfter };
  });
  if (signatures.length === 0) problems.push('The file has no signature');
  const last = signatures[signatures.length - 1];
  if (last && !last.coversWholeDocument) problems.push('The last signature does not cover the whole file: content was added after signing');
  const valid =
    signatures.length > 0 &&
    signatures.every((s) => s.integrity === 'valid' && s.chain.trusted && s.certificateValidAtSigningTime) &&
    last?.coversWholeDocument === true;
  return { valid, fileSize: pdf.length, checkedAt: now.toISOString(), signatures, problems };
}

// ---------------------------------------------------------------------------------------------------
// One signature

interface FoundSignature {
  readonly byteRange: readonly number[];
  /** Offsets of the /Contents hex string, '<' included, '>' excluded... +1 (i.e. [start, end)). */
  readonly contents: { readonly start: number; readonly end: number; readonly hex: string } | null;
  readonly subFilter: string | null;
  readonly signingTime: string | null;
}

const end = (range: readonly number[]): number => (range[2] ?? 0) + (range[3] ?? 0);

type SignatureCheck = Omit<PdfSignatureReport, 'revision' | 'laterRevisions' | 'changesAfter'>;

/**
 * Each signature's certificates as the CMS carries them, the signer's first (null where the CMS cannot be
 * read): what a revocation check needs, for the app to ask main about CRL/OCSP status.
 */
export function signatureCertificates(pdf: Uint8Array): Array<Uint8Array[] | null> {
  return findSignatureDictionaries(pdf).map((sig) => {
    if (!sig.contents) return null;
    try {
      const hex = sig.contents.hex.replace(/[^0-9a-fA-F]/g, '');
      const cms = parseCms(fromHex(hex.length % 2 ? hex + '0' : hex));
      const signer = cms.certificates.find(({ info }) =>
        cms.signerId.kind === 'issuerSerial'
          ? compareBytes(info.issuerNameDer, cms.signerId.issuerDer) === 0 && compareBytes(info.serialDer, cms.signerId.serialDer) === 0
          : info.subjectKeyIdentifier === cms.signerId.ski,
      );
      return signer ? [signer.der, ...cms.certificates.filter((c) => c !== signer).map((c) => c.der)] : null;
    } catch {
      return null;
    }
  });
}

function checkSignature(pdf: Uint8Array, sig: FoundSignature, anchors: readonly CmsCertificate[], now: Date, opts: VerifyOptions): SignatureCheck {
  const problems: string[] = [];
  const [a = -1, b = -1, c = -1, d = -1] = sig.byteRange;
  const rangesSane = sig.byteRange.length === 4 && a >= 0 && b >= 0 && c >= a + b && d >= 0 && c + d <= pdf.length;
  if (!rangesSane) problems.push(`Malformed /ByteRange [${sig.byteRange.join(' ')}]`);

  const coversWholeDocument =
    rangesSane && a === 0 && c + d === pdf.length && sig.contents !== null && sig.contents.start === b && sig.contents.end === c;
  if (rangesSane && !coversWholeDocument) {
    if (a !== 0 || c + d !== pdf.length) problems.push('The signed ranges do not span the whole file');
    else problems.push('The gap between the signed ranges is not exactly the /Contents value');
  }

  const claimedSigningTime = sig.signingTime;
  if (!claimedSigningTime) problems.push('No signing time (/M) in the signature dictionary; certificate validity checked at the current time');
  const validityTime = claimedSigningTime ? new Date(claimedSigningTime) : now;

  const base = {
    subFilter: sig.subFilter,
    byteRange: sig.byteRange,
    coveredBytes: rangesSane ? b + d : 0,
    claimedSigningTime,
    coversWholeDocument,
  };
  const failed = (reason: string): SignatureCheck => ({
    ...base,
    signer: null,
    integrity: 'invalid',
    chain: { trusted: false, reason },
    certificateValidAtSigningTime: false,
    attributes: { signingCertificateV2Matches: false, hasSigningTime: false, contentTypeIsData: false },
    padesBaselineB: false,
    problems: [...problems, reason],
  });

  if (sig.subFilter === 'ETSI.RFC3161') return { ...failed('Document timestamps (ETSI.RFC3161) are not checked yet'), integrity: 'unsupported-algorithm' };
  if (!sig.contents) return failed('No /Contents hex string in the signature dictionary');

  let cms: ParsedCms;
  try {
    const hex = sig.contents.hex.replace(/[^0-9a-fA-F]/g, '');
    cms = parseCms(fromHex(hex.length % 2 ? hex + '0' : hex)); // trailing zero padding is cut by the DER length
  } catch (err) {
    return failed(`The signature value is not a readable CMS SignedData (${messageOf(err)})`);
  }

  // Signer certificate: the one the SignerInfo names.
  const signerIndex = cms.certificates.findIndex(({ info }) =>
    cms.signerId.kind === 'issuerSerial'
      ? compareBytes(info.issuerNameDer, cms.signerId.issuerDer) === 0 && compareBytes(info.serialDer, cms.signerId.serialDer) === 0
      : info.subjectKeyIdentifier === cms.signerId.ski,
  );
  const signerCert = cms.certificates[signerIndex];
  if (!signerCert) return failed('The signer certificate is not included in the signature');
  const signer: SignerCertificateReport = {
    subject: signerCert.info.subject,
    issuer: signerCert.info.issuer,
    serialNumber: signerCert.info.serialNumber,
    notBefore: signerCert.info.notBefore.toISOString(),
    notAfter: signerCert.info.notAfter.toISOString(),
  };

  // Attributes
  const attrs = cms.signedAttributes;
  const contentTypeIsData = attrs !== null && readOid(attrs.get(OID.contentType)?.[0]) === OID.data;
  const hasSigningTime = attrs?.has(OID.signingTime) ?? false;
  const signingCertificateV2Matches = attrs !== null && certHashMatches(attrs.get(OID.signingCertificateV2)?.[0], signerCert.der);
  if (!attrs) problems.push('The CMS has no signed attributes');
  else {
    if (!contentTypeIsData) problems.push('contentType attribute missing or not id-data');
    if (hasSigningTime && sig.subFilter === 'ETSI.CAdES.detached') problems.push('signing-time attribute present: PAdES puts the time in /M, not in the CMS');
    if (!signingCertificateV2Matches) problems.push('No signing-certificate-v2 attribute matching the signer certificate');
  }

  const integrity = checkIntegrity(pdf, sig.byteRange, rangesSane, cms, signerCert, problems);
  const chain = checkChain(cms.certificates, signerIndex, anchors);
  if (!chain.result.trusted) problems.push(`Certificate chain not trusted: ${chain.result.reason ?? 'unknown reason'}`);

  const outOfValidity = chain.path.filter((info) => validityTime < info.notBefore || validityTime > info.notAfter);
  for (const info of outOfValidity) {
    problems.push(`Certificate "${info.subject}" was not valid at ${validityTime.toISOString()} (valid ${info.notBefore.toISOString()} – ${info.notAfter.toISOString()})`);
  }

  const timestamp = (opts.checkTimestamp ?? checkSignatureTimestamp)({
    signatureValue: cms.signature,
    timestampTokenDer: cms.timestampTokenDer,
    trustAnchorsDer: opts.trustAnchorsDer,
    now,
  });
  return {
    ...base,
    ...(timestamp ? { timestamp } : {}),
    signer,
    integrity,
    chain: chain.result,
    certificateValidAtSigningTime: outOfValidity.length === 0,
    attributes: { signingCertificateV2Matches, hasSigningTime, contentTypeIsData },
    padesBaselineB: sig.subFilter === 'ETSI.CAdES.detached' && signingCertificateV2Matches && contentTypeIsData && !hasSigningTime,
    problems,
  };
}

function checkIntegrity(
  pdf: Uint8Array,
  byteRange: readonly number[],
  rangesSane: boolean,
  cms: ParsedCms,
  signerCert: CmsCertificate,
  problems: string[],
): PdfSignatureReport['integrity'] {
  const hash = hashFor(cms.digestAlgorithm);
  if (!hash) {
    problems.push(`Unsupported digest algorithm ${cms.digestAlgorithm}`);
    return 'unsupported-algorithm';
  }
  if (!rangesSane) return 'invalid';
  const [a = 0, b = 0, c = 0, d = 0] = byteRange;
  const contentDigest = hash(pdf.subarray(a, a + b), pdf.subarray(c, c + d));

  // With signed attributes the signature is over their DER; without, over the content digest itself.
  let signedDigest = contentDigest;
  if (cms.signedAttributes && cms.signedAttributesDer) {
    const messageDigest = primitive(cms.signedAttributes.get(OID.messageDigest)?.[0]);
    if (messageDigest !== bytesToBinary(contentDigest)) {
      problems.push('The document was changed after signing (messageDigest does not match the signed ranges)');
      return 'invalid';
    }
    signedDigest = hash(cms.signedAttributesDer);
  }

  // CMS (RFC 5652 §5.4, RFC 5753): the digest is made with digestAlgorithm; the signatureAlgorithm may
  // be the bare key algorithm (rsaEncryption, id-ecPublicKey) or name a hash, which must then agree.
  const named = signatureHashOid(cms.signatureAlgorithm);
  if (named === undefined) {
    problems.push(`Signature algorithm ${cms.signatureAlgorithm} (${signerCert.info.keyAlgorithm} key) is not checked yet`);
    return 'unsupported-algorithm';
  }
  if (named !== null && named !== cms.digestAlgorithm) {
    problems.push('The signature algorithm and the digest algorithm disagree');
    return 'invalid';
  }
  const outcome = verifyWithKey(signerCert.parts.spkiDer, cms.signatureAlgorithm, cms.digestAlgorithm, signedDigest, cms.signature);
  if (outcome === 'unsupported') {
    problems.push(`Signature algorithm ${cms.signatureAlgorithm} (${signerCert.info.keyAlgorithm} key) is not checked yet`);
    return 'unsupported-algorithm';
  }
  if (!outcome) {
    problems.push('The signature value does not verify with the signer certificate');
    return 'invalid';
  }
  return 'valid';
}

const signatureAlgorithms: Record<string, { key: 'rsa' | 'ec'; hash: string | null }> = {
  [OID.rsaEncryption]: { key: 'rsa', hash: null },
  [OID.sha256WithRSAEncryption]: { key: 'rsa', hash: OID.sha256 },
  [OID.sha384WithRSAEncryption]: { key: 'rsa', hash: OID.sha384 },
  [OID.sha512WithRSAEncryption]: { key: 'rsa', hash: OID.sha512 },
  [SHA1_WITH_RSA]: { key: 'rsa', hash: SHA1 },
  [OID.ecPublicKey]: { key: 'ec', hash: null },
  [OID.ecdsaWithSha256]: { key: 'ec', hash: OID.sha256 },
  [OID.ecdsaWithSha384]: { key: 'ec', hash: OID.sha384 },
  [OID.ecdsaWithSha512]: { key: 'ec', hash: OID.sha512 },
};

/** The hash a signature algorithm names; null when it names only the key type; undefined when unknown. */
function signatureHashOid(signatureOid: string): string | null | undefined {
  return signatureAlgorithms[signatureOid]?.hash;
}

/**
 * Verifies `signature` over `digest` (made with `digestOid`) with the public key in `spkiDer`. One code
 * path for CMS signatures and certificate signatures, RSA PKCS#1 v1.5 and ECDSA alike.
 */
function verifyWithKey(spkiDer: Uint8Array, signatureOid: string, digestOid: string, digest: Uint8Array, signature: Uint8Array): boolean | 'unsupported' {
  const algorithm = signatureAlgorithms[signatureOid];
  if (!algorithm) return 'unsupported';
  if (algorithm.key === 'ec') {
    const key = readEcPublicKey(spkiDer);
    return key ? verifyEcdsaDigest(key, digest, signature) : 'unsupported';
  }
  const key = readRsaPublicKey(spkiDer);
  return key ? verifyRsaPkcs1(key, digestOid, digest, signature) : 'unsupported';
}

/** RSAPublicKey ::= SEQUENCE { modulus, publicExponent } inside the SPKI's BIT STRING (RFC 8017 A.1.1). */
function readRsaPublicKey(spkiDer: Uint8Array): forge.pki.rsa.PublicKey | null {
  try {
    const [algorithm, bitString] = children(parseDer(spkiDer));
    if (readOid(children(algorithm)[0]) !== OID.rsaEncryption) return null;
    const bits = binaryToBytes(primitive(bitString));
    const [n, e] = children(parseDer(bits.subarray(1)));
    const big = (node: Asn1 | undefined): forge.jsbn.BigInteger => new forge.jsbn.BigInteger(forge.util.bytesToHex(primitive(node)), 16);
    return forge.pki.setRsaPublicKey(big(n), big(e));
  } catch {
    return null;
  }
}

/** EMSA-PKCS1-v1_5 by encode-and-compare (RFC 8017 §8.2.2): no lenient DigestInfo parsing. */
function verifyRsaPkcs1(key: forge.pki.rsa.PublicKey, digestOid: string, digest: Uint8Array, signature: Uint8Array): boolean {
  const k = Math.ceil(key.n.bitLength() / 8);
  if (signature.length !== k) return false;
  let em: string;
  try {
    // forge.pki.rsa.decrypt(…, pub = true, ml = false): the raw RSA public operation, no unpadding.
    const rsa = forge.pki.rsa as unknown as { decrypt(ed: string, key: forge.pki.rsa.PublicKey, pub: boolean, ml: boolean): string };
    em = rsa.decrypt(bytesToBinary(signature), key, true, false);
  } catch {
    return false;
  }
  const digestInfo = encodeDer(
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
      asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
        asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(digestOid).getBytes()),
        asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, ''),
      ]),
      asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, bytesToBinary(digest)),
    ]),
  );
  const padLength = k - digestInfo.length - 3;
  if (padLength < 8) return false;
  const expected = '\x00\x01' + '\xff'.repeat(padLength) + '\x00' + bytesToBinary(digestInfo);
  return em === expected;
}

function certHashMatches(value: Asn1 | undefined, certDer: Uint8Array): boolean {
  // SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2, policies OPTIONAL }
  const firstId = children(children(value)[0])[0];
  const parts = children(firstId);
  let hashOid: string = OID.sha256;
  let index = 0;
  if (isTag(parts[0], asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE)) {
    hashOid = readOid(children(parts[0])[0]) ?? '';
    index = 1;
  }
  const hash = hashFor(hashOid);
  const certHash = parts[index];
  if (!hash || !isTag(certHash, asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING)) return false;
  return primitive(certHash) === bytesToBinary(hash(certDer));
}

type Hash = (...parts: Uint8Array[]) => Uint8Array;

function hashFor(oid: string): Hash | null {
  const algorithm = oid === OID.sha256 ? sha256 : oid === OID.sha384 ? sha384 : oid === OID.sha512 ? sha512 : oid === SHA1 ? sha1 : null;
  if (!algorithm) return null;
  return (...parts) => {
    const h = algorithm.create();
    for (const part of parts) h.update(part);
    return h.digest();
  };
}


// ---------------------------------------------------------------------------------------------------
// Chain

/**
 * Builds the path signer → issuers (from the CMS certificates) → a trust anchor, matching names by their
 * DER bytes and checking every certificate's signature with its issuer's key (RSA or ECDSA, the same code
 * as the CMS signature). Issuers must be CAs (basicConstraints cA, keyCertSign if keyUsage is present);
 * trust anchors are taken as given. Self-signed certificates from the file are never anchors. Dates are
 * checked by the caller, at the claimed signing time. Not checked: name constraints, policies, path length.
 */
function checkChain(
  certificates: readonly CmsCertificate[],
  signerIndex: number,
  anchors: readonly CmsCertificate[],
): { result: PdfSignatureReport['chain']; path: CertificateInfo[] } {
  const leaf = certificates[signerIndex];
  if (!leaf) return { result: { trusted: false, reason: 'no signer certificate' }, path: [] };
  const path: CmsCertificate[] = [leaf];
  const infos = (): CertificateInfo[] => path.map((c) => c.info);
  const issuedBy = (child: CmsCertificate, issuer: CmsCertificate): boolean | 'unsupported' => {
    if (compareBytes(child.info.issuerNameDer, issuer.info.subjectNameDer) !== 0) return false;
    const hashOid = signatureHashOid(child.parts.signatureAlgorithmOid);
    const hash = hashOid ? hashFor(hashOid) : null;
    if (!hashOid || !hash) return 'unsupported';
    return verifyWithKey(issuer.parts.spkiDer, child.parts.signatureAlgorithmOid, hashOid, hash(child.parts.tbsDer), child.parts.signatureValue);
  };

  let current = leaf;
  for (let depth = 0; depth < 10; depth++) {
    let unsupported = false;
    for (const anchor of anchors) {
      const verdict = issuedBy(current, anchor);
      if (verdict === true) {
        path.push(anchor);
        return { result: { trusted: true }, path: infos() };
      }
      if (verdict === 'unsupported') unsupported = true;
    }
    const issuer = certificates.find((c) => {
      if (path.includes(c) || compareBytes(c.info.subjectNameDer, c.info.issuerNameDer) === 0) return false;
      if (c.parts.isCa !== true || c.info.keyUsage?.keyCertSign === false) return false;
      const verdict = issuedBy(current, c);
      if (verdict === 'unsupported') unsupported = true;
      return verdict === true;
    });
    if (!issuer) {
      const reason = unsupported
        ? `the signature algorithm of "${current.info.subject}" is not supported`
        : `no trusted issuer found for "${current.info.subject}" (issuer "${current.info.issuer}")`;
      return { result: { trusted: false, reason }, path: infos() };
    }
    path.push(issuer);
    current = issuer;
  }
  return { result: { trusted: false, reason: 'certificate path too long' }, path: infos() };
}

// ---------------------------------------------------------------------------------------------------
// Revisions: what changed after each signature

interface RevisionAnalysis {
  /** Offsets where revisions end (just past each %%EOF). */
  readonly ends: readonly number[];
  /** Revisions 2…n (and a trailing unterminated segment, if any), in file order. */
  readonly later: readonly RevisionChanges[];
}

const LEVEL_ORDER: readonly ChangeLevel[] = ['signatures-only', 'annotations', 'content'];
const maxLevel = (levels: Iterable<ChangeLevel>): ChangeLevel | null => {
  let best = -1;
  for (const level of levels) best = Math.max(best, LEVEL_ORDER.indexOf(level));
  return LEVEL_ORDER[best] ?? null;
};

const ANNOTATION_SUBTYPES = new Set([
  'Text', 'Link', 'FreeText', 'Line', 'Square', 'Circle', 'Polygon', 'PolyLine', 'Highlight', 'Underline', 'Squiggly',
  'StrikeOut', 'Stamp', 'Caret', 'Ink', 'Popup', 'FileAttachment', 'Sound', 'Movie', 'Widget', 'Screen', 'PrinterMark',
  'TrapNet', 'Watermark', '3D', 'Redact', 'RichMedia', 'Projection',
]);

function analyseRevisions(pdf: Uint8Array): RevisionAnalysis {
  const ends = revisionEnds(pdf);
  const later: RevisionChanges[] = [];
  const raw = new RawPdf(pdf);
  for (let k = 1; k < ends.length; k++) {
    const [start, stop] = [ends[k - 1] ?? 0, ends[k] ?? 0];
    try {
      later.push(revisionChanges(raw, k + 1, start, stop));
    } catch {
      // A broken /Prev chain or object: say nothing is known rather than fail the whole report.
      later.push({ revision: k + 1, start, end: stop, readable: false, objects: [], level: 'content' });
    }
  }
  const lastEnd = ends[ends.length - 1] ?? 0;
  if (ends.length > 0 && /\S/.test(latin1(pdf.subarray(lastEnd)))) {
    // Bytes after the last %%EOF that do not form a complete revision: nothing can be said about them.
    later.push({ revision: ends.length + 1, start: lastEnd, end: pdf.length, readable: false, objects: [], level: 'content' });
  }
  return { ends, later };
}

function revisionChanges(raw: RawPdf, revision: number, start: number, end: number): RevisionChanges {
  const unreadable: RevisionChanges = { revision, start, end, readable: false, objects: [], level: 'content' };
  const sectionAt = raw.startxrefBefore(end);
  const previousAt = raw.startxrefBefore(start);
  if (sectionAt === null || previousAt === null || sectionAt < start) return unreadable;
  let entries: XrefEntry[];
  let trailer: PDFDict;
  try {
    const section = raw.section(sectionAt);
    trailer = section.trailer;
    entries = [...section.entries, ...(section.xrefStream !== null ? raw.section(section.xrefStream).entries : [])];
  } catch {
    return unreadable;
  }

  // The document as of this revision: its catalog, AcroForm, pages and what they point to.
  const resolve = (value: PDFObject | undefined): PDFObject | undefined => raw.resolve(value, sectionAt);
  const asDict = (value: PDFObject | null | undefined): PDFDict | null =>
    value instanceof PDFDict ? value : value instanceof PDFRawStream ? value.dict : null;
  const refNumber = (value: PDFObject | undefined): number | null => (value instanceof PDFRef ? value.objectNumber : null);
  const rootRef = trailer.get(PDFName.of('Root'));
  const catalog = asDict(resolve(rootRef));
  const acroFormEntry = catalog?.get(PDFName.of('AcroForm'));
  const acroForm = asDict(resolve(acroFormEntry));
  const roles = {
    catalog: refNumber(rootRef),
    info: refNumber(trailer.get(PDFName.of('Info'))),
    acroForm: refNumber(acroFormEntry),
    fields: refNumber(acroForm?.get(PDFName.of('Fields'))),
    pageContents: new Set<number>(),
    annotArrays: new Set<number>(),
  };
  const stack: PDFObject[] = [catalog?.get(PDFName.of('Pages')) ?? PDFName.of('None')];
  const seenNodes = new Set<number>();
  while (stack.length && seenNodes.size < 100_000) {
    const ref = stack.pop();
    if (!(ref instanceof PDFRef) || seenNodes.has(ref.objectNumber)) continue;
    seenNodes.add(ref.objectNumber);
    const node = asDict(resolve(ref));
    if (!node) continue;
    const kids = resolve(node.get(PDFName.of('Kids')));
    if (kids instanceof PDFArray) stack.push(...kids.asArray());
    const contents = node.get(PDFName.of('Contents'));
    const contentRefs = contents instanceof PDFRef ? [contents, ...arrayItems(resolve(contents))] : arrayItems(contents);
    for (const item of contentRefs) if (item instanceof PDFRef) roles.pageContents.add(item.objectNumber);
    const annots = refNumber(node.get(PDFName.of('Annots')));
    if (annots !== null) roles.annotArrays.add(annots);
  }

  // The objects this revision lists, minus those whose location did not change (full-table rewrites).
  const changes: { objectNumber: number; generation: number; change: ChangedObject['change']; now: PDFObject | null; before: PDFObject | null }[] = [];
  for (const entry of entries) {
    if (entry.objectNumber === 0) continue;
    const before = raw.locate(entry.objectNumber, previousAt);
    if (before && sameLocation(before, entry.location)) continue;
    const existed = before !== null && before.kind !== 'free';
    if (entry.location.kind === 'free' && !existed) continue;
    changes.push({
      objectNumber: entry.objectNumber,
      generation: entry.location.kind === 'offset' ? entry.location.generation : 0,
      change: entry.location.kind === 'free' ? 'deleted' : existed ? 'modified' : 'added',
      now: raw.objectAt(entry.location),
      before: existed && before ? raw.objectAt(before) : null,
    });
  }
  const changedNumbers = new Set(changes.map((c) => c.objectNumber));
  const byNumber = new Map(changes.map((c) => [c.objectNumber, c]));

  // Objects reachable (through changed objects only) from a changed signature field's or annotation's
  // appearance, or from the catalog's /DSS: they belong to that signature or annotation.
  const belongsTo = new Map<number, ChangeKind>();
  const mark = (start: PDFObject | undefined, kind: ChangeKind): void => {
    const pending: PDFObject[] = start ? [start] : [];
    while (pending.length) {
      const value = pending.pop();
      if (value instanceof PDFRef) {
        if (!changedNumbers.has(value.objectNumber) || belongsTo.has(value.objectNumber)) continue;
        belongsTo.set(value.objectNumber, kind);
        pending.push(byNumber.get(value.objectNumber)?.now ?? PDFName.of('None'));
      } else if (value instanceof PDFRawStream) pending.push(value.dict);
      else if (value instanceof PDFDict) pending.push(...value.values());
      else if (value instanceof PDFArray) pending.push(...value.asArray());
    }
  };
  for (const c of changes) {
    const dict = asDict(c.now);
    if (!dict) continue;
    const kind = dictKind(dict);
    if (kind === 'signature-field') mark(dict.get(PDFName.of('AP')), 'signature');
    else if (kind === 'annotation') mark(dict.get(PDFName.of('AP')), 'annotation');
    else if (kind === 'catalog') mark(dict.get(PDFName.of('DSS')), 'signature');
  }

  const objects = changes.map((c): ChangedObject => {
    const { kind, level } = classify(c.objectNumber, c.now, c.before);
    return { objectNumber: c.objectNumber, generation: c.generation, change: c.change, kind, level: c.change === 'deleted' ? 'content' : level };
  });
  return { revision, start, end, readable: true, objects, level: maxLevel(objects.map((o) => o.level)) ?? 'none' };

  function classify(n: number, now: PDFObject | null, before: PDFObject | null): { kind: ChangeKind; level: ChangeLevel } {
    const dict = asDict(now ?? before);
    const oldDict = asDict(before);
    if (roles.pageContents.has(n)) return { kind: 'page', level: 'content' };
    if (roles.annotArrays.has(n)) return { kind: 'page', level: onlyAdded(before, now) ? 'signatures-only' : 'annotations' };
    if (n === roles.fields) return { kind: 'catalog', level: onlyAdded(before, now) ? 'signatures-only' : 'annotations' };
    if (n === roles.acroForm) return { kind: 'catalog', level: sameExcept(oldDict, dict, ['Fields', 'SigFlags', 'DR', 'DA']) ? 'signatures-only' : 'content' };
    if (n === roles.info) return { kind: 'metadata', level: 'signatures-only' };
    const inherited = belongsTo.get(n);
    if (!dict) return inherited ? { kind: inherited, level: levelOf(inherited) } : { kind: 'other', level: 'content' };
    const kind = dictKind(dict);
    switch (kind) {
      case 'page':
        // A page whose only change is its /Annots list: the annotations themselves are judged separately.
        return { kind, level: dict.get(PDFName.of('Type')) === PDFName.of('Page') && sameExcept(oldDict, dict, ['Annots']) ? 'signatures-only' : 'content' };
      case 'catalog':
        return { kind, level: sameExcept(oldDict, dict, ['AcroForm', 'DSS', 'Metadata']) ? 'signatures-only' : 'content' };
      case 'other':
        return inherited ? { kind: inherited, level: levelOf(inherited) } : { kind, level: 'content' };
      default:
        return { kind, level: levelOf(kind) };
    }
  }
}

function levelOf(kind: ChangeKind): ChangeLevel {
  return kind === 'annotation' ? 'annotations' : kind === 'page' || kind === 'other' ? 'content' : 'signatures-only';
}

function dictKind(dict: PDFDict): ChangeKind {
  const name = (key: string): string | null => {
    const value = dict.get(PDFName.of(key));
    return value instanceof PDFName ? value.decodeText() : null;
  };
  const type = name('Type');
  if (type === 'Sig' || type === 'DocTimeStamp' || dict.has(PDFName.of('ByteRange'))) return 'signature';
  if (name('FT') === 'Sig') return 'signature-field';
  if (type === 'Annot' || (ANNOTATION_SUBTYPES.has(name('Subtype') ?? '') && dict.has(PDFName.of('Rect')))) return 'annotation';
  if (type === 'Page' || type === 'Pages') return 'page';
  if (type === 'Catalog') return 'catalog';
  if (type === 'Metadata') return 'metadata';
  if (type === 'XRef' || type === 'ObjStm') return 'structure';
  return 'other';
}

function arrayItems(value: PDFObject | undefined): PDFObject[] {
  return value instanceof PDFArray ? value.asArray() : [];
}

/** The new array holds every item of the old one (items were only added). */
function onlyAdded(before: PDFObject | null, now: PDFObject | null): boolean {
  if (!(now instanceof PDFArray)) return false;
  const present = new Set(now.asArray().map((item) => item.toString()));
  return arrayItems(before ?? undefined).every((item) => present.has(item.toString()));
}

/** Both dictionaries have the same entries, ignoring `keys`. A missing old version counts as different. */
function sameExcept(before: PDFDict | null, now: PDFDict | null, keys: readonly string[]): boolean {
  if (!before || !now) return false;
  const ignored = new Set(keys);
  const entries = (dict: PDFDict): string =>
    dict
      .entries()
      .filter(([key]) => !ignored.has(key.decodeText()))
      .map(([key, value]) => `${key.toString()} ${value.toString()}`)
      .sort()
      .join('\n');
  return entries(before) === entries(now);
}

function sameLocation(a: ObjectLocation, b: ObjectLocation): boolean {
  if (a.kind === 'offset' && b.kind === 'offset') return a.offset === b.offset;
  if (a.kind === 'compressed' && b.kind === 'compressed') return a.stream === b.stream && a.index === b.index;
  return a.kind === 'free' && b.kind === 'free';
}

// ---------------------------------------------------------------------------------------------------
// Certificates

interface CertificateParts {
  /** The TBSCertificate exactly as in the file: what the issuer signed. */
  readonly tbsDer: Uint8Array;
  readonly signatureAlgorithmOid: string;
  readonly signatureValue: Uint8Array;
  readonly spkiDer: Uint8Array;
  /** basicConstraints cA; null when the extension is absent. */
  readonly isCa: boolean | null;
}

interface CmsCertificate {
  readonly der: Uint8Array;
  readonly info: CertificateInfo;
  readonly parts: CertificateParts;
}

function readCmsCertificate(der: Uint8Array): CmsCertificate {
  return { der, info: readCertificate(der), parts: readCertificateParts(der) };
}

function readCertificateParts(der: Uint8Array): CertificateParts {
  // TBSCertificate is sliced from the original bytes (not re-encoded) so that its hash is the signed one.
  const outerHeader = derHeaderLength(der, 0);
  const tbsLength = outerHeader === null ? null : derValueLength(der, outerHeader);
  if (outerHeader === null || tbsLength === null) throw new Error('Not an X.509 certificate');
  const tbsDer = der.subarray(outerHeader, outerHeader + tbsLength);
  const [tbs, algorithm, signatureBits] = children(parseDer(der));
  const fields = children(tbs);
  const offset = isTag(fields[0], asn1.Class.CONTEXT_SPECIFIC, 0) ? 1 : 0;
  const spki = fields[offset + 5];
  if (!spki || !isTag(signatureBits, asn1.Class.UNIVERSAL, asn1.Type.BITSTRING)) throw new Error('Not an X.509 certificate');
  let isCa: boolean | null = null;
  const extensions = fields.slice(offset + 6).find((f) => isTag(f, asn1.Class.CONTEXT_SPECIFIC, 3));
  for (const extension of children(children(extensions)[0])) {
    const parts = children(extension);
    if (readOid(parts[0]) !== BASIC_CONSTRAINTS) continue;
    const value = parseDer(binaryToBytes(primitive(parts[parts.length - 1])));
    const first = children(value)[0];
    isCa = isTag(first, asn1.Class.UNIVERSAL, asn1.Type.BOOLEAN) && primitive(first) !== '\x00';
  }
  return {
    tbsDer,
    signatureAlgorithmOid: readOid(children(algorithm)[0]) ?? '',
    signatureValue: binaryToBytes(primitive(signatureBits)).subarray(1), // drop the unused-bits byte
    spkiDer: encodeDer(spki),
    isCa,
  };
}

/** Bytes of the tag and length of the DER value at `offset`. */
function derHeaderLength(bytes: Uint8Array, offset: number): number | null {
  const total = derValueLength(bytes, offset);
  if (total === null) return null;
  const lengthByte = bytes[offset + 1] ?? 0;
  return 2 + (lengthByte & 0x80 ? lengthByte & 0x7f : 0);
}

// ---------------------------------------------------------------------------------------------------
// CMS

interface ParsedCms {
  readonly certificates: readonly CmsCertificate[];
  readonly signerId: { kind: 'issuerSerial'; issuerDer: Uint8Array; serialDer: Uint8Array } | { kind: 'ski'; ski: string };
  readonly digestAlgorithm: string;
  /** attribute OID → values; null when the SignerInfo has no signed attributes. */
  readonly signedAttributes: ReadonlyMap<string, Asn1[]> | null;
  /** DER of the signed attributes with the SET tag: the bytes that were signed. */
  readonly signedAttributesDer: Uint8Array | null;
  readonly signatureAlgorithm: string;
  readonly signature: Uint8Array;
  /** DER of the signature-time-stamp-token unsigned attribute value, if present. */
  readonly timestampTokenDer: Uint8Array | null;
}

function parseCms(bytes: Uint8Array): ParsedCms {
  const length = derValueLength(bytes);
  if (length === null) throw new Error('not DER');
  const contentInfo = parseDer(bytes.subarray(0, length));
  const [typeNode, explicit] = children(contentInfo);
  if (readOid(typeNode) !== OID.signedData) throw new Error('not SignedData');
  const signedData = children(children(explicit)[0]);
  const certificatesNode = signedData.find((n) => isTag(n, asn1.Class.CONTEXT_SPECIFIC, 0));
  const signerInfos = signedData[signedData.length - 1];
  if (!isTag(signerInfos, asn1.Class.UNIVERSAL, asn1.Type.SET)) throw new Error('no SignerInfos');
  const signerInfoList = children(signerInfos);
  if (signerInfoList.length !== 1) throw new Error(`expected one SignerInfo, found ${signerInfoList.length}`);

  const certificates = children(certificatesNode)
    .filter((n) => isTag(n, asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE))
    .map((node) => readCmsCertificate(encodeDer(node)));

  const fields = children(signerInfoList[0]);
  let i = 1; // after version
  const sid = fields[i++];
  let signerId: ParsedCms['signerId'];
  if (isTag(sid, asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE)) {
    const [issuer, serial] = children(sid);
    if (!issuer || !serial) throw new Error('bad IssuerAndSerialNumber');
    signerId = { kind: 'issuerSerial', issuerDer: encodeDer(issuer), serialDer: encodeDer(serial) };
  } else if (isTag(sid, asn1.Class.CONTEXT_SPECIFIC, 0)) {
    signerId = { kind: 'ski', ski: forge.util.bytesToHex(primitive(sid)) };
  } else {
    throw new Error('bad SignerIdentifier');
  }
  const digestAlgorithm = readOid(children(fields[i++])[0]) ?? '';
  let signedAttributes: Map<string, Asn1[]> | null = null;
  let signedAttributesDer: Uint8Array | null = null;
  const maybeAttrs = fields[i];
  if (isTag(maybeAttrs, asn1.Class.CONTEXT_SPECIFIC, 0)) {
    i++;
    signedAttributes = new Map();
    for (const attribute of children(maybeAttrs)) {
      const [attrType, values] = children(attribute);
      const attrOid = readOid(attrType);
      if (attrOid) signedAttributes.set(attrOid, children(values));
    }
    // The signature is over the DER of the attributes with the SET OF tag instead of [0] IMPLICIT.
    signedAttributesDer = encodeDer(set(children(maybeAttrs)));
  }
  const signatureAlgorithm = readOid(children(fields[i++])[0]) ?? '';
  const signatureNode = fields[i];
  if (!isTag(signatureNode, asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING)) throw new Error('no signature value');
  let timestampTokenDer: Uint8Array | null = null;
  const unsignedAttributes = fields[i + 1];
  if (isTag(unsignedAttributes, asn1.Class.CONTEXT_SPECIFIC, 1)) {
    for (const attribute of children(unsignedAttributes)) {
      const [attrType, values] = children(attribute);
      const token = children(values)[0];
      if (readOid(attrType) === OID.rfc3161TimestampToken && token) timestampTokenDer = encodeDer(token);
    }
  }
  return {
    timestampTokenDer,
    certificates,
    signerId,
    digestAlgorithm,
    signedAttributes,
    signedAttributesDer,
    signatureAlgorithm,
    signature: binaryToBytes(primitive(signatureNode)),
  };
}

// ---------------------------------------------------------------------------------------------------
// Finding signature dictionaries in the raw file

function findSignatureDictionaries(pdf: Uint8Array): FoundSignature[] {
  const results: FoundSignature[] = [];
  const seen = new Set<string>();
  const key = ascii('/ByteRange');
  for (let at = indexOf(pdf, key, 0); at >= 0; at = indexOf(pdf, key, at + key.length)) {
    const dict = enclosingDictionary(pdf, at);
    const byteRangeValue = dict?.entries.get('ByteRange') ?? parseValueAt(pdf, at + key.length)?.value;
    if (!byteRangeValue || byteRangeValue.kind !== 'array') continue;
    const byteRange = byteRangeValue.items.map((item) => (item.kind === 'number' ? item.value : Number.NaN));
    if (byteRange.some((n) => !Number.isInteger(n))) continue;
    const id = byteRange.join(' ');
    if (seen.has(id)) continue;
    seen.add(id);

    const contentsValue = dict?.entries.get('Contents');
    const contents =
      contentsValue?.kind === 'hexString'
        ? { start: contentsValue.start, end: contentsValue.end, hex: contentsValue.hex }
        : contentsFromGap(pdf, byteRange);
    const subFilter = dict?.entries.get('SubFilter');
    const signingTime = dict?.entries.get('M');
    results.push({
      byteRange,
      contents,
      subFilter: subFilter?.kind === 'name' ? subFilter.value : null,
      signingTime: signingTime?.kind === 'string' || signingTime?.kind === 'hexString' ? parsePdfDate(signingTime.text) : null,
    });
  }
  return results;
}

/** Fallback when the dictionary cannot be parsed: take the gap between the ranges if it is a hex string. */
function contentsFromGap(pdf: Uint8Array, [, b, c]: readonly number[]): FoundSignature['contents'] {
  if (b === undefined || c === undefined || c <= b || c > pdf.length) return null;
  if (pdf[b] !== 0x3c || pdf[c - 1] !== 0x3e) return null;
  const hex = latin1(pdf.subarray(b + 1, c - 1));
  return /^[0-9a-fA-F\s]*$/.test(hex) ? { start: b, end: c, hex } : null;
}

/** Parses the indirect object around `at` and returns the (possibly nested) dictionary holding that key. */
function enclosingDictionary(pdf: Uint8Array, at: number): Extract<PdfValue, { kind: 'dict' }> | null {
  const objStart = lastObjHeader(pdf, at);
  if (objStart < 0) return null;
  const parsed = parseValueAt(pdf, objStart);
  if (!parsed || parsed.end <= at) return null;
  return findDictWithKeyAt(parsed.value, at);
}

function findDictWithKeyAt(value: PdfValue, at: number): Extract<PdfValue, { kind: 'dict' }> | null {
  if (value.kind === 'dict') {
    if (value.keyOffsets.get('ByteRange') === at) return value;
    for (const v of value.entries.values()) {
      const found = findDictWithKeyAt(v, at);
      if (found) return found;
    }
  } else if (value.kind === 'array') {
    for (const v of value.items) {
      const found = findDictWithKeyAt(v, at);
      if (found) return found;
    }
  }
  return null;
}

/** Offset just after the nearest "N G obj" before `at`, or -1. */
function lastObjHeader(pdf: Uint8Array, at: number): number {
  const obj = ascii('obj');
  for (let i = at - obj.length; i >= 0 && at - i < 1_000_000; i--) {
    if (pdf[i] !== 0x6f || pdf[i + 1] !== 0x62 || pdf[i + 2] !== 0x6a) continue;
    if (isRegular(pdf[i - 1] ?? 0x20) && !isDigit(pdf[i - 1] ?? 0)) continue; // e.g. "endobj" ends here too
    let j = i - 1;
    while (j >= 0 && isWhite(pdf[j] ?? 0)) j--;
    const genEnd = j;
    while (j >= 0 && isDigit(pdf[j] ?? 0)) j--;
    if (j === genEnd) continue;
    const spaceEnd = j;
    while (j >= 0 && isWhite(pdf[j] ?? 0)) j--;
    if (j === spaceEnd) continue;
    const numEnd = j;
    while (j >= 0 && isDigit(pdf[j] ?? 0)) j--;
    if (j === numEnd) continue;
    return i + obj.length;
  }
  return -1;
}

type PdfValue =
  | { kind: 'dict'; entries: Map<string, PdfValue>; keyOffsets: Map<string, number> }
  | { kind: 'array'; items: PdfValue[] }
  | { kind: 'name'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'string'; text: string }
  | { kind: 'hexString'; text: string; hex: string; start: number; end: number }
  | { kind: 'other' };

/** A tiny PDF object parser: enough for signature dictionaries (no streams, refs read as 'other'). */
function parseValueAt(pdf: Uint8Array, start: number): { value: PdfValue; end: number } | null {
  let pos = start;
  const skip = (): void => {
    for (;;) {
      const ch = pdf[pos];
      if (ch === undefined) return;
      if (isWhite(ch)) pos++;
      else if (ch === 0x25) while (pos < pdf.length && pdf[pos] !== 0x0a && pdf[pos] !== 0x0d) pos++;
      else return;
    }
  };
  const value = (depth: number): PdfValue => {
    if (depth > 32) throw new Error('too deep');
    skip();
    const ch = pdf[pos];
    if (ch === undefined) throw new Error('eof');
    if (ch === 0x3c && pdf[pos + 1] === 0x3c) {
      pos += 2;
      const entries = new Map<string, PdfValue>();
      const keyOffsets = new Map<string, number>();
      for (;;) {
        skip();
        if (pdf[pos] === 0x3e && pdf[pos + 1] === 0x3e) {
          pos += 2;
          return { kind: 'dict', entries, keyOffsets };
        }
        const keyAt = pos;
        const k = value(depth + 1);
        if (k.kind !== 'name') throw new Error('dict key is not a name');
        const v = value(depth + 1);
        entries.set(k.value, v);
        keyOffsets.set(k.value, keyAt);
      }
    }
    if (ch === 0x3c) {
      const s = pos;
      const close = pdf.indexOf(0x3e, pos);
      if (close < 0) throw new Error('unterminated hex string');
      pos = close + 1;
      const hex = latin1(pdf.subarray(s + 1, close));
      const clean = hex.replace(/[^0-9a-fA-F]/g, '');
      const bytes = fromHex(clean.length % 2 ? clean + '0' : clean);
      return { kind: 'hexString', hex, start: s, end: pos, text: bytes.length <= 4096 ? decodeTextString(bytes) : '' };
    }
    if (ch === 0x5b) {
      pos++;
      const items: PdfValue[] = [];
      for (;;) {
        skip();
        if (pdf[pos] === 0x5d) {
          pos++;
          return { kind: 'array', items };
        }
        items.push(value(depth + 1));
      }
    }
    if (ch === 0x2f) {
      pos++;
      const s = pos;
      while (pos < pdf.length && isRegular(pdf[pos] ?? 0x20)) pos++;
      return { kind: 'name', value: latin1(pdf.subarray(s, pos)).replace(/#([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))) };
    }
    if (ch === 0x28) return { kind: 'string', text: decodeTextString(readLiteralString()) };
    // number, keyword, or an "N G R" reference
    const s = pos;
    while (pos < pdf.length && isRegular(pdf[pos] ?? 0x20)) pos++;
    if (pos === s) throw new Error(`unexpected byte ${ch}`);
    const token = latin1(pdf.subarray(s, pos));
    if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(token)) {
      const save = pos;
      // "N G R": a reference is not a number
      const ref = /^\s+\d+\s+R(?=[\s/<>[\]()%]|$)/.exec(latin1(pdf.subarray(pos, Math.min(pdf.length, pos + 24))));
      if (ref) {
        pos = save + ref[0].length;
        return { kind: 'other' };
      }
      return { kind: 'number', value: Number(token) };
    }
    return { kind: 'other' };
  };
  const readLiteralString = (): Uint8Array => {
    pos++; // (
    const out: number[] = [];
    let nesting = 1;
    while (pos < pdf.length) {
      const ch = pdf[pos++] ?? 0;
      if (ch === 0x5c) {
        const next = pdf[pos++] ?? 0;
        const escapes: Record<number, number> = { 0x6e: 0x0a, 0x72: 0x0d, 0x74: 0x09, 0x62: 0x08, 0x66: 0x0c, 0x28: 0x28, 0x29: 0x29, 0x5c: 0x5c };
        if (next in escapes) out.push(escapes[next] ?? next);
        else if (next >= 0x30 && next <= 0x37) {
          let code = next - 0x30;
          for (let n = 0; n < 2 && (pdf[pos] ?? 0) >= 0x30 && (pdf[pos] ?? 0) <= 0x37; n++) code = code * 8 + ((pdf[pos++] ?? 0x30) - 0x30);
          out.push(code & 0xff);
        } else if (next === 0x0d) {
          if (pdf[pos] === 0x0a) pos++;
        } else if (next !== 0x0a) out.push(next);
      } else if (ch === 0x28) {
        nesting++;
        out.push(ch);
      } else if (ch === 0x29) {
        if (--nesting === 0) return Uint8Array.from(out);
        out.push(ch);
      } else out.push(ch);
    }
    throw new Error('unterminated string');
  };
  try {
    const v = value(0);
    return { value: v, end: pos };
  } catch {
    return null;
  }
}

/** PDF text string: UTF-16BE with a BOM, else PDFDocEncoding (treated as Latin-1). */
function decodeTextString(bytes: Uint8Array): string {
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    let text = '';
    for (let i = 2; i + 1 < bytes.length; i += 2) text += String.fromCharCode(((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0));
    return text;
  }
  return latin1(bytes);
}

/** "D:YYYYMMDDHHmmSSOHH'mm'" → ISO 8601 (UTC), or null. */
export function parsePdfDate(text: string): string | null {
  const m = /^(?:D:)?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?([Zz+-])?(\d{2})?'?(\d{2})?'?/.exec(text.trim());
  if (!m) return null;
  const [, y, mo = '01', d = '01', h = '00', mi = '00', s = '00', sign, oh = '00', om = '00'] = m;
  let ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  if (sign === '+' || sign === '-') ms -= (sign === '+' ? 1 : -1) * (Number(oh) * 60 + Number(om)) * 60_000;
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

// ---------------------------------------------------------------------------------------------------
// Bytes

function ascii(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

function latin1(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 8192) text += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return text;
}

function indexOf(haystack: Uint8Array, needle: Uint8Array, from: number, limit = haystack.length): number {
  const first = needle[0];
  const last = Math.min(limit, haystack.length) - needle.length;
  for (let i = haystack.indexOf(first ?? 0, from); i >= 0 && i <= last; i = haystack.indexOf(first ?? 0, i + 1)) {
    let j = 1;
    while (j < needle.length && haystack[i + j] === needle[j]) j++;
    if (j === needle.length) return i;
  }
  return -1;
}

const isWhite = (ch: number): boolean => ch === 0x20 || ch === 0x0a || ch === 0x0d || ch === 0x09 || ch === 0x0c || ch === 0x00;
const isDigit = (ch: number): boolean => ch >= 0x30 && ch <= 0x39;
const isDelimiter = (ch: number): boolean => '()<>[]{}/%'.includes(String.fromCharCode(ch));
const isRegular = (ch: number): boolean => !isWhite(ch) && !isDelimiter(ch);

function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'object' && err !== null && 'message' in err) return String((err).message);
  return String(err);
}
