/** Every error the central answers is `{ error: <shared error code>, details }` (centralErrorSchema). */
import type { z } from 'zod';
import type { ErrorCode } from '../../shared/errors';
import type { CentralError } from '../../shared/sync/protocol';

export type Details = Record<string, string | number>;

export class CentralHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    readonly details: Details = {},
  ) {
    super(`${status} ${code}${Object.keys(details).length ? ' ' + JSON.stringify(details) : ''}`);
    this.name = 'CentralHttpError';
  }

  toBody(): CentralError {
    return { error: this.code, details: this.details };
  }
}

/** Zod issues as flat details: `{ 'files.0.sha256': 'Invalid string: …' }`, at most 20 of them. */
export function zodDetails(error: z.ZodError): Details {
  const details: Details = {};
  for (const issue of error.issues.slice(0, 20)) {
    const key = issue.path.length ? issue.path.map(String).join('.') : '(root)';
    details[key] = issue.message;
  }
  if (error.issues.length > 20) details['(more)'] = error.issues.length - 20;
  return details;
}
