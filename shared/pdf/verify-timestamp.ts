/**
 * Joins the two verifiers: reports a signature's RFC 3161 signature time-stamp (shared/cms/timestamp.ts) in
 * the PDF verification report (shared/pdf/verify-pdf.ts). It is verify-pdf's default timestamp checker.
 */
import { verifyTimeStampToken } from '../cms/timestamp';
import type { SignatureTimestampReport, TimestampCheckInput } from './verify-pdf';

export function checkSignatureTimestamp({ signatureValue, timestampTokenDer, trustAnchorsDer, signaturePolicy }: TimestampCheckInput): SignatureTimestampReport | undefined {
  if (!timestampTokenDer) return undefined;
  const result = verifyTimeStampToken(timestampTokenDer, { signatureValue, trustAnchorsDer, ...(signaturePolicy ? { signaturePolicy } : {}) });
  return {
    time: result.genTime ?? '',
    tsa: result.tsa?.subject ?? null,
    valid: result.checks.imprint && result.checks.signature && result.checks.tsaCertificate,
    chain: result.checks.chain ? { trusted: true } : { trusted: false, reason: result.problems.join('; ') || 'TSA certificate does not chain to a trust anchor' },
    issues: result.issues,
    problems: result.problems,
  };
}
