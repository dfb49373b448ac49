/** What one attempt to send something (a dossier, an event) can end with, shared by the engine's parts. */
import type { ErrorCode, WireError } from '../../../shared/errors';
import { centralErrorSchema } from '../../../shared/sync/protocol';

/** Why an attempt ended without an acknowledgement, and what to do next. */
export class AttemptFailure extends Error {
  constructor(
    readonly error: WireError,
    /** 'retry': back to waiting with backoff; 'terminal': failed, the clerk must see it. */
    readonly outcome: 'retry' | 'terminal',
    /** The central did not answer at all (the link is down, not the central). */
    readonly unreachable = false,
  ) {
    super(error.code);
  }
}

/** Thrown inside an attempt when stop() interrupts it. */
export class Stopped extends Error {}

export const wire = (code: ErrorCode, details: Record<string, string | number> = {}): WireError => ({ code, details });

export function isRetryableStatus(status: number): boolean {
  return status >= 500 || status === 408 || status === 423 || status === 429;
}

/** Turns a central error answer into a WireError, falling back to `fallback` when the body is not ours. */
export function centralError(status: number, bodyText: string, fallback: ErrorCode): WireError {
  try {
    const parsed = centralErrorSchema.safeParse(JSON.parse(bodyText));
    if (parsed.success) return { code: parsed.data.error, details: { ...parsed.data.details, status } };
  } catch {
    // not JSON
  }
  return wire(fallback, { status, issue: bodyText.slice(0, 200) || `HTTP ${status}` });
}

/** A non-2xx answer as an AttemptFailure: 5xx/408/429 retry; other 4xx are the central's refusal. */
export function failureFromStatus(status: number, bodyText: string): AttemptFailure {
  if (isRetryableStatus(status)) return new AttemptFailure(centralError(status, bodyText, 'CENTRAL_SERVER_ERROR'), 'retry');
  // Not this dossier's fault: the device is not (or no longer) enrolled. It waits until IT fixes that.
  if (status === 401) return new AttemptFailure(centralError(status, bodyText, 'CENTRAL_REJECTED'), 'retry');
  // Nor is an outdated counter's (426 COUNTER_UPDATE_REQUIRED): the dossier waits for the update.
  if (status === 426) return new AttemptFailure(centralError(status, bodyText, 'COUNTER_UPDATE_REQUIRED'), 'retry');
  const error = centralError(status, bodyText, status === 409 ? 'CENTRAL_CONFLICT' : 'CENTRAL_REJECTED');
  // The central lost or never completed an upload: send the bytes again (new uploads) on the next attempt.
  if (error.code === 'CENTRAL_UPLOAD_INCOMPLETE' || error.code === 'CENTRAL_FILE_HASH_MISMATCH') return new AttemptFailure(error, 'retry');
  return new AttemptFailure(error, 'terminal');
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
