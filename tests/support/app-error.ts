/** The code of the AppError a piece of work fails with: 'no error' when it succeeds, a marked text for another error. */
import { AppError } from '../../shared/errors';

export async function errorCodeOf(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (err) {
    return err instanceof AppError ? err.code : `not an AppError: ${String(err)}`;
  }
  return 'no error';
}
