import type { TFunction } from 'i18next';
import { AppError, toWireError } from '../../../shared/errors';

/** The clerk-facing sentence for any failure: an AppError's code translated, anything else as INTERNAL. */
export function errorText(t: TFunction, err: unknown): string {
  const wire = err instanceof AppError ? { code: err.code, details: err.details } : toWireError(err);
  return t(`errors.${wire.code}`, { ...wire.details });
}
