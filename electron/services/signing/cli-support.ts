/** The CLI's Vietnamese text for any failure: the same catalog the app shows (shared/i18n/error-messages.ts). */
import { AppError } from '../../../shared/errors';
import { describeError } from '../../../shared/i18n/error-messages';

export function vietnameseMessage(err: unknown): string {
  if (!(err instanceof AppError)) return `Lỗi không mong muốn: ${err instanceof Error ? err.message : String(err)}`;
  return describeError('vi', err.code, err.details);
}
