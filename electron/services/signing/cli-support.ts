/**
 * Small pieces shared by the signing CLI commands: Vietnamese error text for AppErrors. Loading trust
 * anchors lives in trust-store.ts.
 */
import { AppError, type ErrorCode } from '../../../shared/errors';
import { describeError, errorMessages } from '../../../shared/i18n/error-messages';
import { messagesSigning } from '../../../shared/i18n/messages-signing';

/** Moved to trust-store.ts; re-exported until every caller imports it from there. */
export { loadCertificates } from './trust-store';

/** The clerk-facing Vietnamese message for an error (codes added by this helper are looked up too). */
export function vietnameseMessage(err: unknown): string {
  if (!(err instanceof AppError)) return `Lỗi không mong muốn: ${err instanceof Error ? err.message : String(err)}`;
  const own = (messagesSigning.vi as Partial<Record<ErrorCode, string>>)[err.code];
  if (own) return fill(own, err.details);
  if ((errorMessages.vi as Partial<Record<ErrorCode, string>>)[err.code] !== undefined) return describeError('vi', err.code, err.details);
  return err.code;
}

function fill(template: string, details: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (whole, key: string) => (key in details ? String(details[key]) : whole));
}
