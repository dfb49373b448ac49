/**
 * Certificate checks before signing (Circular 15/2025/TT-BKHCN): validity of every certificate in the path
 * at the signing time, key usage of the signer, a path to a configured trust anchor with every signature
 * verified, CA constraints on issuers, and the revocation status of the signer (and intermediates) from
 * the newest usable CRL / OCSP evidence fetched while online. Platform-free: runs in main, the CLI and
 * the central alike. Pure: no clock, no network — the caller passes `at` and the evidence.
 *
 * Signatures and the path are checked by the CMS core (verify-signature.ts, cert-path.ts) under one
 * SignaturePolicy — the same code and policy as `motcua verify` and the central's commit check.
 */
import { sha1 } from '@noble/hashes/legacy.js';
import { AppError, type ErrorCode, type ErrorDetails } from '../errors';
import { fromBase64 } from '../util/bytes';
import * as asn1js from 'asn1js';
import { childrenOf, contentOf, parseDerValue, readOidValue, type CertificateInfo } from './certificate';
import { parseCrl, type RevocationReason, type SignedParts } from './crl';
import { buildCertificatePath, describePathFailure, issuedBy } from './cert-path';
import { sameBytes } from './hashes';
import { DEFAULT_SIGNATURE_POLICY, type SignaturePolicy } from './signature-policy';
import { verifySignedBytes } from './verify-signature';
import { KEY_USAGE, parseX509, type X509 } from './x509';
import { certIdMatches, OCSP_OID, parseOcspResponse, type CertIdInput } from './ocsp';
import type { RevocationEvidence } from './revocation-evidence';

export interface RevocationPolicy {
  /** Evidence whose thisUpdate is older than this at the signing time may not vouch for the certificate. */
  readonly maxRevocationAgeMs: number;
  /** Refuse to sign without usable, fresh evidence (otherwise its absence is reported but allowed). */
  readonly requireRevocation: boolean;
}

export interface CertificateCheckInput {
  /** The signer certificate first, then intermediates (a root may be included; it must also be an anchor). */
  readonly chainDer: readonly Uint8Array[];
  readonly trustAnchorsDer: readonly Uint8Array[];
  readonly at: Date;
  readonly evidence: readonly RevocationEvidence[];
  readonly policy: RevocationPolicy;
  /** Hashes and path depth; default DEFAULT_SIGNATURE_POLICY (the one every verifier uses). */
  readonly signaturePolicy?: SignaturePolicy;
}

interface CertificateProblem {
  readonly code: ErrorCode;
  readonly details: ErrorDetails;
}

interface RevocationSummary {
  readonly status: 'good' | 'revoked' | 'unknown';
  readonly source?: 'crl' | 'ocsp';
  readonly producedAt?: string;
  readonly thisUpdate?: string;
  readonly nextUpdate?: string;
  /** Age of the evidence (at − thisUpdate) in ms. */
  readonly ageMs?: number;
  /** The evidence record that decided the status (to keep with the signed file). */
  readonly evidence?: RevocationEvidence;
}

export interface CertificateCheck {
  readonly ok: boolean;
  readonly problems: readonly CertificateProblem[];
  /** Signer first, ending with the trust anchor when one was reached. */
  readonly chain: readonly { readonly subject: string; readonly issuer: string; readonly serial: string }[];
  /** The signer's revocation status. */
  readonly revocation: RevocationSummary;
}

/** Responders and CAs may run a little ahead of the counter's clock; evidence "from the future" within this is accepted. */
const CLOCK_SKEW_TOLERANCE_MS = 5 * 60_000;

/**
 * The whole check, as a report. The short form `(certificate, now)` is what a key store calls at unlock and
 * before each signature, when it has only the signer certificate: validity and key usage, throwing the
 * first problem as an AppError.
 */
export function checkSigningCertificate(input: CertificateCheckInput): CertificateCheck;
export function checkSigningCertificate(certificate: CertificateInfo, now: Date): void;
export function checkSigningCertificate(input: CertificateCheckInput | CertificateInfo, now?: Date): CertificateCheck | void {
  if ('chainDer' in input) return checkPath(input);
  const at = now ?? new Date();
  if (at.getTime() > input.notAfter.getTime()) throw new AppError('CERT_EXPIRED', { subject: input.subject, notAfter: formatVietnamDate(input.notAfter) });
  if (at.getTime() < input.notBefore.getTime()) throw new AppError('CERT_NOT_YET_VALID', { subject: input.subject, notBefore: formatVietnamDate(input.notBefore) });
  const usage = input.keyUsage;
  if (usage && !usage.digitalSignature && !usage.nonRepudiation) throw new AppError('CERT_BAD_KEY_USAGE', { subject: input.subject });
}

function checkPath(input: CertificateCheckInput): CertificateCheck {
  const problems: CertificateProblem[] = [];
  const signerDer = input.chainDer[0];
  let signer: CertificateDetails;
  try {
    if (!signerDer) throw new Error('no signer certificate');
    signer = readCertificateDetails(signerDer);
  } catch (err) {
    return {
      ok: false,
      problems: [{ code: 'CERT_UNTRUSTED', details: { subject: '?', reason: `unreadable signer certificate: ${messageOf(err)}` } }],
      chain: [],
      revocation: { status: 'unknown' },
    };
  }
  const intermediates = input.chainDer.slice(1).flatMap((der) => tryRead(der));
  const anchors = input.trustAnchorsDer.flatMap((der) => tryRead(der));

  // 1–2. Path to an anchor, each link's signature verified, every issuer a CA allowed to sign certificates.
  const signaturePolicy = input.signaturePolicy ?? DEFAULT_SIGNATURE_POLICY;
  const { path, trusted, failure } = buildPath(signer, intermediates, anchors, signaturePolicy, input.at);
  if (!trusted) {
    const subject = failure?.kind === 'issuer-not-ca' ? failure.subject : signer.info.subject;
    problems.push({ code: 'CERT_UNTRUSTED', details: { subject, reason: failure ? describePathFailure(failure) : 'no path to a trust anchor' } });
  }

  // 3. Validity of every certificate in the path at the signing time.
  for (const cert of path) {
    if (input.at.getTime() > cert.info.notAfter.getTime()) {
      problems.push({ code: 'CERT_EXPIRED', details: { subject: cert.info.subject, notAfter: formatVietnamDate(cert.info.notAfter) } });
    } else if (input.at.getTime() < cert.info.notBefore.getTime()) {
      problems.push({ code: 'CERT_NOT_YET_VALID', details: { subject: cert.info.subject, notBefore: formatVietnamDate(cert.info.notBefore) } });
    }
  }

  // 4. The signer may sign documents.
  const usage = signer.keyUsageBits;
  if (usage !== null && (usage & (KEY_USAGE.digitalSignature | KEY_USAGE.nonRepudiation)) === 0) {
    problems.push({ code: 'CERT_BAD_KEY_USAGE', details: { subject: signer.info.subject } });
  }

  // 5. Revocation of every certificate whose issuer is known (the anchor itself is not checked).
  let signerRevocation: RevocationSummary = { status: 'unknown' };
  for (let k = 0; k + 1 < path.length; k++) {
    const cert = path[k] as CertificateDetails;
    const issuer = path[k + 1] as CertificateDetails;
    const outcome = revocationStatus(cert, issuer, input.evidence, input.at);
    if (k === 0) signerRevocation = outcome.summary;
    problems.push(...revocationProblems(cert, outcome, input.at, input.policy));
  }
  // A signer that is itself an anchor, or whose issuer is unknown (CERT_UNTRUSTED says why), stays 'unknown'.

  return {
    ok: problems.length === 0,
    problems,
    chain: path.map((c) => ({ subject: c.info.subject, issuer: c.info.issuer, serial: c.info.serialNumber })),
    revocation: signerRevocation,
  };
}

// ---------------------------------------------------------------------------------------------------
// Certificates



interface PublicKeyInfo {
  readonly algorithm: 'rsa' | 'ec' | 'other';
  /** subjectPublicKey BIT STRING content without the unused-bits byte (what OCSP's issuerKeyHash hashes). */
  readonly keyBits: Uint8Array;
  /** DER of the SubjectPublicKeyInfo. */
  readonly spkiDer: Uint8Array;
}

export interface CertificateDetails {
  readonly der: Uint8Array;
  readonly info: CertificateInfo;
  readonly signed: SignedParts;
  /** The certificate as the CMS core reads it (pkijs): what paths and signatures are checked on. */
  readonly x509: X509;
  readonly publicKey: PublicKeyInfo;
  /** null when the extension is absent. */
  readonly basicConstraintsCa: boolean | null;
  /** keyUsage bits of the first byte (digitalSignature = 0x80 …), null when absent. */
  readonly keyUsageBits: number | null;
  readonly extendedKeyUsage: readonly string[] | null;
  /** HTTP(S) URLs of the CRL distribution points and of the AIA OCSP responders. */
  readonly crlUrls: readonly string[];
  readonly ocspUrls: readonly string[];
}

const EXT = {
  extendedKeyUsage: '2.5.29.37',
  crlDistributionPoints: '2.5.29.31',
  authorityInfoAccess: '1.3.6.1.5.5.7.1.1',
  accessOcsp: '1.3.6.1.5.5.7.48.1',
} as const;

/** Everything the checks need from a certificate. Malformed → AppError('CERT_UNTRUSTED'). */
export function readCertificateDetails(der: Uint8Array): CertificateDetails {
  try {
    const x509 = parseX509(der);
    const info = x509.info;
    const signed: SignedParts = { tbsDer: x509.tbsDer, signatureAlgorithm: x509.signatureAlgorithm.oid, signature: x509.signatureValue, trailingDer: [] };
    // Every extension's value must be one DER value: a malformed one makes the certificate unreadable.
    const extensions = new Map<string, asn1js.AsnType>();
    for (const [extOid, { value }] of x509.extensions) extensions.set(extOid, parseDerValue(value));
    const authorityInfoAccess = childrenOf(extensions.get(EXT.authorityInfoAccess));
    return {
      der,
      info,
      signed,
      x509,
      publicKey: { algorithm: info.keyAlgorithm, keyBits: x509.keyBits, spkiDer: x509.spkiDer },
      basicConstraintsCa: x509.basicConstraintsCa,
      keyUsageBits: x509.keyUsageBits,
      extendedKeyUsage: extensions.has(EXT.extendedKeyUsage) ? childrenOf(extensions.get(EXT.extendedKeyUsage)).flatMap((n) => readOidValue(n) ?? []) : null,
      crlUrls: uris(extensions.get(EXT.crlDistributionPoints), 0),
      // AccessDescription ::= SEQUENCE { accessMethod OBJECT IDENTIFIER, accessLocation GeneralName }
      ocspUrls: authorityInfoAccess.filter((d) => readOidValue(childrenOf(d)[0]) === EXT.accessOcsp).flatMap((d) => uris(childrenOf(d)[1], 1)),
    };
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError('CERT_UNTRUSTED', { subject: '?', reason: `unreadable certificate: ${messageOf(err)}` }, { cause: err });
  }
}

/** Every uniformResourceIdentifier ([6] IA5String) under `node` that is an HTTP(S) URL. */
function uris(node: asn1js.AsnType | undefined, depth: number): string[] {
  if (!(node instanceof asn1js.BaseBlock) || depth > 8) return [];
  if (node.idBlock.tagClass === 3 && node.idBlock.tagNumber === 6 && !node.idBlock.isConstructed) {
    const text = Array.from(contentOf(node), (b) => String.fromCharCode(b)).join('');
    return /^https?:\/\//i.test(text) ? [text] : [];
  }
  return childrenOf(node).flatMap((c) => uris(c, depth + 1));
}

function tryRead(der: Uint8Array): CertificateDetails[] {
  try {
    return [readCertificateDetails(der)];
  } catch {
    return [];
  }
}

/** Does `issuer` name and sign `cert`? */
function isIssuedBy(cert: CertificateDetails, issuer: CertificateDetails, policy: SignaturePolicy = DEFAULT_SIGNATURE_POLICY): boolean {
  return issuedBy(cert.x509, issuer.x509, policy) === 'valid';
}

/**
 * The verified path from the signer (chainDer[0]) to a configured anchor, signer first and anchor last,
 * with every issuer a CA; null when there is none. Validity dates are not judged here.
 */
export function pathToAnchor(
  chainDer: readonly Uint8Array[],
  trustAnchorsDer: readonly Uint8Array[],
  policy: SignaturePolicy = DEFAULT_SIGNATURE_POLICY,
): CertificateDetails[] | null {
  const [signerDer, ...rest] = chainDer;
  const signer = signerDer ? tryRead(signerDer)[0] : undefined;
  if (!signer) return null;
  const anchors = trustAnchorsDer.flatMap((der) => tryRead(der));
  const { path, trusted } = buildPath(signer, rest.flatMap((der) => tryRead(der)), anchors, policy, new Date());
  return trusted ? path : null;
}

/** cert-path.ts's builder over CertificateDetails (the path maps back to the details it was built from). */
function buildPath(signer: CertificateDetails, intermediates: readonly CertificateDetails[], anchors: readonly CertificateDetails[], policy: SignaturePolicy, at: Date) {
  const byX509 = new Map<X509, CertificateDetails>([signer, ...intermediates, ...anchors].map((d) => [d.x509, d]));
  const result = buildCertificatePath(signer.x509, intermediates.map((d) => d.x509), anchors.map((d) => d.x509), { policy, at });
  const path = result.path.flatMap((x) => byX509.get(x) ?? []);
  return { path, trusted: result.trusted, failure: result.failure };
}

// ---------------------------------------------------------------------------------------------------
// Signatures

/**
 * Verifies a SIGNED{…} (certificate, CRL, BasicOCSPResponse) with a public key, through the core verifier
 * and the shared policy. Never throws: anything unsupported or malformed is simply "does not verify".
 */
function verifySignature(signed: SignedParts, key: PublicKeyInfo, policy: SignaturePolicy = DEFAULT_SIGNATURE_POLICY): boolean {
  return verifySignedBytes({ spkiDer: key.spkiDer, algorithm: { oid: signed.signatureAlgorithm }, data: signed.tbsDer, signature: signed.signature }, policy) === 'valid';
}

// ---------------------------------------------------------------------------------------------------
// Revocation

interface UsableEvidence {
  readonly record: RevocationEvidence;
  readonly status: 'good' | 'revoked' | 'unknown';
  readonly revokedAt: Date | null;
  readonly reason: RevocationReason | null;
  readonly thisUpdate: Date;
}

interface RevocationOutcome {
  readonly summary: RevocationSummary;
  readonly decisive: UsableEvidence | null;
  /** Why the evidence on hand could not be used (tampered, other CA, issued after `at`, …). */
  readonly rejected: readonly string[];
}

export type EvidenceVerdict = ({ readonly usable: true } & Omit<UsableEvidence, 'record'>) | { readonly usable: false; readonly reason: string };

/**
 * Judges one evidence record for `cert` issued by `issuer`: signature by the issuer (CRL) or by the issuer
 * or a delegated responder it certified (OCSP), the right CA / certificate, and thisUpdate not after `at`.
 */
export function evaluateEvidence(record: RevocationEvidence, cert: CertificateDetails, issuer: CertificateDetails, at: Date): EvidenceVerdict {
  let der: Uint8Array;
  try {
    der = fromBase64(record.der);
  } catch {
    return { usable: false, reason: `${record.kind}: not base64` };
  }
  try {
    const verdict = record.kind === 'crl' ? evaluateCrl(der, cert, issuer) : evaluateOcsp(der, cert, issuer);
    if (!verdict.usable) return verdict;
    if (verdict.thisUpdate.getTime() > at.getTime() + CLOCK_SKEW_TOLERANCE_MS) {
      return { usable: false, reason: `${record.kind}: issued after the signing time` };
    }
    return verdict;
  } catch (err) {
    return { usable: false, reason: `${record.kind}: ${err instanceof AppError ? String(err.details.reason ?? err.code) : messageOf(err)}` };
  }
}

function evaluateCrl(der: Uint8Array, cert: CertificateDetails, issuer: CertificateDetails): EvidenceVerdict {
  const crl = parseCrl(der);
  if (!sameBytes(crl.issuerNameDer, cert.info.issuerNameDer)) return { usable: false, reason: 'crl: issued by another CA' };
  if (issuer.keyUsageBits !== null && (issuer.keyUsageBits & KEY_USAGE.cRLSign) === 0) return { usable: false, reason: 'crl: issuer may not sign CRLs' };
  if (!verifySignature(crl.signed, issuer.publicKey)) return { usable: false, reason: 'crl: signature does not verify with the issuer key' };
  const entry = crl.revoked.get(cert.info.serialNumber);
  return {
    usable: true,
    status: entry ? 'revoked' : 'good',
    revokedAt: entry?.revokedAt ?? null,
    reason: entry?.reason ?? null,
    thisUpdate: crl.thisUpdate,
  };
}

function evaluateOcsp(der: Uint8Array, cert: CertificateDetails, issuer: CertificateDetails): EvidenceVerdict {
  const response = parseOcspResponse(der);
  const id: CertIdInput = { issuerNameDer: cert.info.issuerNameDer, issuerKeyBits: issuer.publicKey.keyBits, serialDer: cert.info.serialDer };
  const single = response.responses.find((r) => certIdMatches(r.certId, id));
  if (!single) return { usable: false, reason: 'ocsp: the answer is not about this certificate' };
  const signer = ocspSigner(response.responderId, response.certsDer, issuer, response.producedAt);
  if (!signer) return { usable: false, reason: 'ocsp: responder is neither the issuer nor a responder it authorised' };
  if (!verifySignature(response.signed, signer.publicKey)) return { usable: false, reason: 'ocsp: signature does not verify' };
  return { usable: true, status: single.status, revokedAt: single.revokedAt, reason: single.reason, thisUpdate: single.thisUpdate };
}

/** The issuer itself, or a delegated responder certificate issued by it with id-kp-OCSPSigning (RFC 6960 §4.2.2.2). */
function ocspSigner(
  responderId: { readonly byName: Uint8Array } | { readonly byKeyHash: Uint8Array },
  certsDer: readonly Uint8Array[],
  issuer: CertificateDetails,
  producedAt: Date,
): CertificateDetails | null {
  const names = (c: CertificateDetails): boolean =>
    'byName' in responderId ? sameBytes(responderId.byName, c.info.subjectNameDer) : sameBytes(responderId.byKeyHash, sha1(c.publicKey.keyBits));
  if (names(issuer)) return issuer;
  for (const candidate of certsDer.flatMap((der) => tryRead(der))) {
    if (!names(candidate)) continue;
    const delegated =
      isIssuedBy(candidate, issuer) &&
      (candidate.extendedKeyUsage ?? []).includes(OCSP_OID.ocspSigning) &&
      producedAt.getTime() >= candidate.info.notBefore.getTime() &&
      producedAt.getTime() <= candidate.info.notAfter.getTime();
    if (delegated) return candidate;
  }
  return null;
}

function revocationStatus(cert: CertificateDetails, issuer: CertificateDetails, evidence: readonly RevocationEvidence[], at: Date): RevocationOutcome {
  const usable: UsableEvidence[] = [];
  const rejected: string[] = [];
  for (const record of evidence) {
    if (record.certSerial !== cert.info.serialNumber && record.kind === 'ocsp') continue; // another certificate's answer
    const verdict = evaluateEvidence(record, cert, issuer, at);
    if (verdict.usable) usable.push({ record, status: verdict.status, revokedAt: verdict.revokedAt, reason: verdict.reason, thisUpdate: verdict.thisUpdate });
    else if (record.certSerial === cert.info.serialNumber) rejected.push(verdict.reason);
  }
  // Revocation is final: any usable evidence of a revocation before `at` decides, whatever its age.
  const revoked = usable.filter((u) => u.status === 'revoked' && u.revokedAt !== null && u.revokedAt.getTime() <= at.getTime());
  const definitive = usable.filter((u) => u.status !== 'unknown');
  const newest = (list: UsableEvidence[]): UsableEvidence | null =>
    list.reduce<UsableEvidence | null>((best, u) => (!best || u.thisUpdate.getTime() > best.thisUpdate.getTime() ? u : best), null);
  const decisive = newest(revoked) ?? newest(definitive);
  if (!decisive) {
    const unknownAnswer = newest(usable);
    if (unknownAnswer) rejected.push('ocsp: the responder does not know this certificate');
    return { summary: { status: 'unknown' }, decisive: null, rejected };
  }
  // A revocation dated after the signing time means the certificate was still good at `at`.
  const status = decisive.status === 'revoked' && decisive.revokedAt !== null && decisive.revokedAt.getTime() > at.getTime() ? 'good' : decisive.status;
  const record = decisive.record;
  return {
    summary: {
      status,
      source: record.kind,
      thisUpdate: record.thisUpdate,
      ...(record.nextUpdate ? { nextUpdate: record.nextUpdate } : {}),
      ...(record.producedAt ? { producedAt: record.producedAt } : {}),
      ageMs: Math.max(0, at.getTime() - decisive.thisUpdate.getTime()),
      evidence: record,
    },
    decisive,
    rejected,
  };
}

function revocationProblems(cert: CertificateDetails, outcome: RevocationOutcome, at: Date, policy: RevocationPolicy): CertificateProblem[] {
  const { summary, decisive } = outcome;
  if (summary.status === 'revoked' && decisive) {
    return [
      {
        code: 'CERT_REVOKED',
        details: {
          subject: cert.info.subject,
          serial: cert.info.serialNumber,
          revokedAt: decisive.revokedAt ? formatVietnamDate(decisive.revokedAt) : '?',
          revokedAtIso: decisive.revokedAt ? decisive.revokedAt.toISOString() : '',
          reason: decisive.reason ?? 'unspecified',
          source: summary.source ?? '',
        },
      },
    ];
  }
  if (!policy.requireRevocation) return [];
  if (summary.status === 'unknown') {
    return [
      {
        code: 'CERT_REVOCATION_UNKNOWN',
        details: { subject: cert.info.subject, reason: outcome.rejected.length ? outcome.rejected.join('; ') : 'no revocation evidence' },
      },
    ];
  }
  const ageMs = summary.ageMs ?? at.getTime();
  if (ageMs > policy.maxRevocationAgeMs) {
    return [
      {
        code: 'CERT_REVOCATION_STALE',
        details: {
          subject: cert.info.subject,
          ageHours: hours(ageMs),
          maxAgeHours: hours(policy.maxRevocationAgeMs),
          source: summary.source ?? '',
          thisUpdate: summary.thisUpdate ?? '',
        },
      },
    ];
  }
  return [];
}

const hours = (ms: number): number => Math.round((ms / 3_600_000) * 10) / 10;

/** dd/MM/yyyy in Vietnam's time zone (UTC+7, no DST), as the clerk reads dates. */
function formatVietnamDate(date: Date): string {
  const local = new Date(date.getTime() + 7 * 3_600_000);
  const dd = String(local.getUTCDate()).padStart(2, '0');
  const mm = String(local.getUTCMonth() + 1).padStart(2, '0');
  return `${dd}/${mm}/${local.getUTCFullYear()}`;
}

function messageOf(err: unknown): string {
  if (err instanceof AppError) return String(err.details.reason ?? err.code);
  return err instanceof Error ? err.message : String(err);
}
