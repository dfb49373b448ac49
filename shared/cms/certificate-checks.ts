/**
 * The checks every key store makes on its signer certificate, at unlock and again before each signature
 * (the app may stay unlocked across the expiry date): validity at the signing time and a key usage that
 * allows signing. Shared by the PKCS#12 and PKCS#11 key stores so both refuse the same certificates with
 * the same codes. Chain and revocation checks live with the trust configuration, not here.
 */
import { AppError } from '../errors';
import type { CertificateInfo } from './certificate';

export function checkSigningCertificate(cert: CertificateInfo, now: Date): void {
  if (now.getTime() > cert.notAfter.getTime()) throw new AppError('CERT_EXPIRED', { notAfter: formatVietnamDate(cert.notAfter) });
  if (now.getTime() < cert.notBefore.getTime()) throw new AppError('CERT_NOT_YET_VALID', { notBefore: formatVietnamDate(cert.notBefore) });
  const usage = cert.keyUsage;
  if (usage && !usage.digitalSignature && !usage.nonRepudiation) throw new AppError('CERT_BAD_KEY_USAGE');
}

/** dd/MM/yyyy in Vietnam's time zone (UTC+7, no DST), as the clerk reads dates. */
export function formatVietnamDate(date: Date): string {
  const local = new Date(date.getTime() + 7 * 3_600_000);
  const dd = String(local.getUTCDate()).padStart(2, '0');
  const mm = String(local.getUTCMonth() + 1).padStart(2, '0');
  return `${dd}/${mm}/${local.getUTCFullYear()}`;
}
