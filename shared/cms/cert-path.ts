/**
 * The one certificate path builder: signer → issuers from the pool (the CMS's, the key store's, the
 * token's) → a trust anchor, every link's signature verified by verify-signature.ts under the caller's
 * SignaturePolicy (hashes, depth), every issuer a CA allowed to sign certificates, and every certificate
 * of the path judged at one validation time. Used identically by the counter's unlock and revocation
 * checks (certificate-checks.ts), the PDF verifier (`motcua verify`, the verify screen, the central's
 * commit check) and the time-stamp checks. Self-signed certificates from the pool are never anchors.
 * Not checked: name constraints, policies, path length constraints.
 */
import { sameBytes } from './hashes';
import type { SignaturePolicy } from './signature-policy';
import { verifySignedBytes, type SignatureVerdict } from './verify-signature';
import { KEY_USAGE, type X509 } from './x509';

export interface PathOptions {
  readonly policy: SignaturePolicy;
  /** Every certificate of the path must be within its validity at this time. */
  readonly at: Date;
}

export type PathFailure =
  | { readonly kind: 'no-issuer'; readonly subject: string; readonly issuer: string }
  | { readonly kind: 'signature-invalid'; readonly subject: string }
  | { readonly kind: 'algorithm-refused'; readonly subject: string; readonly algorithm: string; readonly verdict: 'unsupported' | 'hash-not-allowed' }
  | { readonly kind: 'issuer-not-ca'; readonly subject: string; readonly missing: 'basicConstraints' | 'keyCertSign' }
  | { readonly kind: 'too-long'; readonly maxPathLength: number };

export interface CertificatePath {
  /** Signer first; ends with the trust anchor when one was reached. */
  readonly path: readonly X509[];
  readonly trusted: boolean;
  readonly failure: PathFailure | null;
  /** Certificates of the path not within their validity at `at`. */
  readonly outOfValidity: readonly X509[];
}

/** Does `issuer` name and sign `child`? */
export function issuedBy(child: X509, issuer: X509, policy: SignaturePolicy): SignatureVerdict {
  if (!sameBytes(child.info.issuerNameDer, issuer.info.subjectNameDer)) return 'invalid';
  return verifySignedBytes({ spkiDer: issuer.spkiDer, algorithm: child.signatureAlgorithm, data: child.tbsDer, signature: child.signatureValue }, policy);
}

const sameCertificate = (a: X509, b: X509): boolean =>
  sameBytes(a.der, b.der) || (sameBytes(a.info.subjectNameDer, b.info.subjectNameDer) && sameBytes(a.spkiDer, b.spkiDer));
const selfIssued = (c: X509): boolean => sameBytes(c.info.subjectNameDer, c.info.issuerNameDer);

export function buildCertificatePath(signer: X509, pool: readonly X509[], anchors: readonly X509[], opts: PathOptions): CertificatePath {
  const path: X509[] = [signer];
  const finish = (trusted: boolean, failure: PathFailure | null): CertificatePath => {
    const caFailure = trusted ? issuerConstraintFailure(path) : null;
    const outOfValidity = path.filter((c) => opts.at < c.info.notBefore || opts.at > c.info.notAfter);
    return { path, trusted: trusted && caFailure === null, failure: caFailure ?? failure, outOfValidity };
  };
  let current = signer;
  while (path.length <= opts.policy.maxPathLength) {
    if (anchors.some((a) => sameCertificate(a, current))) return finish(true, null);
    const seen: { refused: 'unsupported' | 'hash-not-allowed' | null } = { refused: null };
    const issues = (candidate: X509): boolean => {
      const verdict = issuedBy(current, candidate, opts.policy);
      if (verdict === 'unsupported' || verdict === 'hash-not-allowed') seen.refused = verdict;
      return verdict === 'valid';
    };
    const anchor = anchors.find(issues);
    if (anchor) {
      path.push(anchor);
      return finish(true, null);
    }
    const next = pool.find((c) => !path.includes(c) && !selfIssued(c) && issues(c));
    if (!next) {
      // A self-signed certificate from the pool is no candidate: naming the issuer does not make it one.
      const named = [...anchors, ...pool.filter((c) => !selfIssued(c))].some((c) => sameBytes(current.info.issuerNameDer, c.info.subjectNameDer));
      if (seen.refused) return finish(false, { kind: 'algorithm-refused', subject: current.info.subject, algorithm: current.signatureAlgorithm.oid, verdict: seen.refused });
      if (named) return finish(false, { kind: 'signature-invalid', subject: current.info.subject });
      return finish(false, { kind: 'no-issuer', subject: current.info.subject, issuer: current.info.issuer });
    }
    path.push(next);
    current = next;
  }
  return finish(false, { kind: 'too-long', maxPathLength: opts.policy.maxPathLength });
}

/**
 * Issuers must be CAs (basicConstraints cA; an anchor may lack the extension, never say cA false) with
 * keyCertSign when keyUsage is present.
 */
function issuerConstraintFailure(path: readonly X509[]): PathFailure | null {
  for (const [k, issuer] of path.slice(1).entries()) {
    const isAnchor = k === path.length - 2;
    if (issuer.basicConstraintsCa === false || (issuer.basicConstraintsCa === null && !isAnchor)) {
      return { kind: 'issuer-not-ca', subject: issuer.info.subject, missing: 'basicConstraints' };
    }
    if (issuer.keyUsageBits !== null && (issuer.keyUsageBits & KEY_USAGE.keyCertSign) === 0) {
      return { kind: 'issuer-not-ca', subject: issuer.info.subject, missing: 'keyCertSign' };
    }
  }
  return null;
}

/** The failure in English, for logs and the older report fields (the UI shows codes). */
export function describePathFailure(failure: PathFailure): string {
  switch (failure.kind) {
    case 'no-issuer':
      return `no trust anchor issued "${failure.subject}" (issuer "${failure.issuer}")`;
    case 'signature-invalid':
      return `the signature on "${failure.subject}" does not verify with its issuer's key`;
    case 'algorithm-refused':
      return failure.verdict === 'hash-not-allowed'
        ? `the signature algorithm of "${failure.subject}" (${failure.algorithm}) uses a hash the policy does not allow`
        : `the signature algorithm of "${failure.subject}" (${failure.algorithm}) is not supported`;
    case 'issuer-not-ca':
      return failure.missing === 'basicConstraints' ? `issuer "${failure.subject}" is not a CA (basicConstraints)` : `issuer "${failure.subject}" key usage lacks keyCertSign`;
    case 'too-long':
      return `certificate path too long (more than ${failure.maxPathLength})`;
  }
}
