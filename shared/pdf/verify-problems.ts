/**
 * What the PDF verifier found wrong, as codes with parameters: the verify screen translates them
 * (renderer/src/i18n, namespace `verifyProblems`, Vietnamese first); `describeVerifyIssue` gives the English
 * sentence for `motcua verify`, logs and the report's `problems` strings.
 */
import type { PathFailure } from '../cms/cert-path';

export type VerifyIssue =
  | { readonly code: 'TRUST_ANCHOR_UNUSABLE'; readonly params: { readonly n: number; readonly detail: string } }
  | { readonly code: 'NO_SIGNATURE'; readonly params?: undefined }
  | { readonly code: 'LAST_SIGNATURE_PARTIAL'; readonly params?: undefined }
  | { readonly code: 'BYTE_RANGE_MALFORMED'; readonly params: { readonly range: string } }
  | { readonly code: 'RANGES_NOT_WHOLE_FILE'; readonly params?: undefined }
  | { readonly code: 'GAP_NOT_CONTENTS'; readonly params?: undefined }
  | { readonly code: 'NO_SIGNING_TIME'; readonly params?: undefined }
  | { readonly code: 'DOCUMENT_TIMESTAMP_UNCHECKED'; readonly params?: undefined }
  | { readonly code: 'NO_CONTENTS'; readonly params?: undefined }
  | { readonly code: 'CMS_UNREADABLE'; readonly params: { readonly detail: string } }
  | { readonly code: 'SIGNER_CERTIFICATE_MISSING'; readonly params?: undefined }
  | { readonly code: 'NO_SIGNED_ATTRIBUTES'; readonly params?: undefined }
  | { readonly code: 'CONTENT_TYPE_NOT_DATA'; readonly params?: undefined }
  | { readonly code: 'SIGNING_TIME_IN_CMS'; readonly params?: undefined }
  | { readonly code: 'SIGNING_CERTIFICATE_V2_MISSING'; readonly params?: undefined }
  | { readonly code: 'DIGEST_ALGORITHM_NOT_ACCEPTED'; readonly params: { readonly algorithm: string } }
  | { readonly code: 'DOCUMENT_CHANGED'; readonly params?: undefined }
  | { readonly code: 'SIGNATURE_ALGORITHM_NOT_ACCEPTED'; readonly params: { readonly algorithm: string; readonly key: string } }
  | { readonly code: 'ALGORITHMS_DISAGREE'; readonly params?: undefined }
  | { readonly code: 'SIGNATURE_INVALID'; readonly params?: undefined }
  | { readonly code: 'PATH_NO_ISSUER'; readonly params: { readonly subject: string; readonly issuer: string } }
  | { readonly code: 'PATH_SIGNATURE_INVALID'; readonly params: { readonly subject: string } }
  | { readonly code: 'PATH_ALGORITHM_NOT_ACCEPTED'; readonly params: { readonly subject: string; readonly algorithm: string } }
  | { readonly code: 'PATH_ISSUER_NOT_CA'; readonly params: { readonly subject: string } }
  | { readonly code: 'PATH_TOO_LONG'; readonly params: { readonly max: number } }
  | { readonly code: 'CERTIFICATE_NOT_VALID_AT'; readonly params: { readonly subject: string; readonly at: string; readonly from: string; readonly to: string } };

/** The path builder's failure as an issue code. */
export function pathIssue(failure: PathFailure): VerifyIssue {
  switch (failure.kind) {
    case 'no-issuer':
      return { code: 'PATH_NO_ISSUER', params: { subject: failure.subject, issuer: failure.issuer } };
    case 'signature-invalid':
      return { code: 'PATH_SIGNATURE_INVALID', params: { subject: failure.subject } };
    case 'algorithm-refused':
      return { code: 'PATH_ALGORITHM_NOT_ACCEPTED', params: { subject: failure.subject, algorithm: failure.algorithm } };
    case 'issuer-not-ca':
      return { code: 'PATH_ISSUER_NOT_CA', params: { subject: failure.subject } };
    case 'too-long':
      return { code: 'PATH_TOO_LONG', params: { max: failure.maxPathLength } };
  }
}

/** English, for the CLI, logs and `problems`. */
export function describeVerifyIssue(issue: VerifyIssue): string {
  switch (issue.code) {
    case 'TRUST_ANCHOR_UNUSABLE':
      return `Trust anchor #${issue.params.n} is not usable (${issue.params.detail})`;
    case 'NO_SIGNATURE':
      return 'The file has no signature';
    case 'LAST_SIGNATURE_PARTIAL':
      return 'The last signature does not cover the whole file: content was added after signing';
    case 'BYTE_RANGE_MALFORMED':
      return `Malformed /ByteRange [${issue.params.range}]`;
    case 'RANGES_NOT_WHOLE_FILE':
      return 'The signed ranges do not span the whole file';
    case 'GAP_NOT_CONTENTS':
      return 'The gap between the signed ranges is not exactly the /Contents value';
    case 'NO_SIGNING_TIME':
      return 'No signing time (/M) in the signature dictionary; certificate validity checked at the current time';
    case 'DOCUMENT_TIMESTAMP_UNCHECKED':
      return 'Document timestamps (ETSI.RFC3161) are not checked yet';
    case 'NO_CONTENTS':
      return 'No /Contents hex string in the signature dictionary';
    case 'CMS_UNREADABLE':
      return `The signature value is not a readable CMS SignedData (${issue.params.detail})`;
    case 'SIGNER_CERTIFICATE_MISSING':
      return 'The signer certificate is not included in the signature';
    case 'NO_SIGNED_ATTRIBUTES':
      return 'The CMS has no signed attributes';
    case 'CONTENT_TYPE_NOT_DATA':
      return 'contentType attribute missing or not id-data';
    case 'SIGNING_TIME_IN_CMS':
      return 'signing-time attribute present: PAdES puts the time in /M, not in the CMS';
    case 'SIGNING_CERTIFICATE_V2_MISSING':
      return 'No signing-certificate-v2 attribute matching the signer certificate';
    case 'DIGEST_ALGORITHM_NOT_ACCEPTED':
      return `Unsupported digest algorithm ${issue.params.algorithm}`;
    case 'DOCUMENT_CHANGED':
      return 'The document was changed after signing (messageDigest does not match the signed ranges)';
    case 'SIGNATURE_ALGORITHM_NOT_ACCEPTED':
      return `Signature algorithm ${issue.params.algorithm} (${issue.params.key} key) is not checked yet`;
    case 'ALGORITHMS_DISAGREE':
      return 'The signature algorithm and the digest algorithm disagree';
    case 'SIGNATURE_INVALID':
      return 'The signature value does not verify with the signer certificate';
    case 'PATH_NO_ISSUER':
      return `Certificate chain not trusted: no trusted issuer found for "${issue.params.subject}" (issuer "${issue.params.issuer}")`;
    case 'PATH_SIGNATURE_INVALID':
      return `Certificate chain not trusted: the signature on "${issue.params.subject}" does not verify with its issuer's key`;
    case 'PATH_ALGORITHM_NOT_ACCEPTED':
      return `Certificate chain not trusted: the signature algorithm of "${issue.params.subject}" (${issue.params.algorithm}) is not supported or not allowed`;
    case 'PATH_ISSUER_NOT_CA':
      return `Certificate chain not trusted: "${issue.params.subject}" is not a CA allowed to sign certificates`;
    case 'PATH_TOO_LONG':
      return `Certificate chain not trusted: certificate path too long (more than ${issue.params.max})`;
    case 'CERTIFICATE_NOT_VALID_AT':
      return `Certificate "${issue.params.subject}" was not valid at ${issue.params.at} (valid ${issue.params.from} – ${issue.params.to})`;
  }
}
