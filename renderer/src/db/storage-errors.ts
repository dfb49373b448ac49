import { AppError } from '../../../shared/errors';

interface ErrorLike {
  readonly name?: unknown;
  readonly inner?: unknown;
  readonly cause?: unknown;
  readonly failures?: unknown;
}

function asErrorLike(value: unknown): ErrorLike | undefined {
  return typeof value === 'object' && value !== null ? value : undefined;
}

/**
 * True when the failure is a full disk. IndexedDB reports it as `QuotaExceededError`, but it often arrives
 * wrapped: as the `inner` error of Dexie's `AbortError` (the transaction aborted because a request failed),
 * as a `cause`, or inside a bulk operation's `failures`.
 */
function isQuotaError(err: unknown, depth = 0): boolean {
  const e = asErrorLike(err);
  if (!e || depth > 8) return false;
  if (e.name === 'QuotaExceededError') return true;
  if (isQuotaError(e.inner, depth + 1) || isQuotaError(e.cause, depth + 1)) return true;
  if (Array.isArray(e.failures)) return e.failures.some((f) => isQuotaError(f, depth + 1));
  return false;
}

/** Maps a failed local write to the code the clerk sees. AppErrors pass through unchanged. */
export function toStorageError(err: unknown, details: Readonly<Record<string, string | number>> = {}): AppError {
  if (err instanceof AppError) return err;
  const name = asErrorLike(err)?.name;
  const reason = typeof name === 'string' ? name : 'unknown';
  if (isQuotaError(err)) return new AppError('STORAGE_FULL', details, { cause: err });
  return new AppError('STORAGE_FAILED', { ...details, reason }, { cause: err });
}

/** Runs a storage write; whatever IndexedDB throws comes out as a STORAGE_* AppError (with `details`). */
export async function withStorageErrors<T>(work: () => Promise<T>, details: Readonly<Record<string, string | number>> = {}): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw toStorageError(err, details);
  }
}
