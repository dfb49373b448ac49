/**
 * RFC 3161 over HTTP (§3.4): POST the DER TimeStampReq as application/timestamp-query, get the DER
 * TimeStampResp back as application/timestamp-reply. Deliberately thin — it only moves bytes and maps
 * transport failures to codes; every check of the answer is in shared/cms/timestamp.ts. The renderer
 * could do the same with its own fetch.
 *
 * Codes: network failure, timeout and HTTP 5xx → TSA_UNREACHABLE (worth retrying later); HTTP 4xx →
 * TSA_REJECTED (the TSA refuses us: configuration); a 2xx that is not a timestamp reply → TSA_BAD_RESPONSE.
 */
import { AppError } from '../../../shared/errors';
import type { TimeStampRequester } from '../../../shared/pdf/timestamp-pdf';

export interface TsaClientOptions {
  readonly url: string;
  /** Whole request, connect to last byte (default 20 s). */
  readonly timeoutMs?: number;
  /** Larger answers are refused (default 64 KiB; a token with a chain is a few KB). */
  readonly maxResponseBytes?: number;
  /** Extra headers, e.g. Authorization for a TSA that needs an account. */
  readonly headers?: Readonly<Record<string, string>>;
}

const REPLY_TYPES = ['application/timestamp-reply', 'application/timestamp-response'];

async function requestTimeStamp(request: Uint8Array, opts: TsaClientOptions): Promise<Uint8Array> {
  const timeoutMs = opts.timeoutMs ?? 20_000;
  const maxBytes = opts.maxResponseBytes ?? 65_536;
  let url: URL;
  try {
    url = new URL(opts.url);
  } catch (err) {
    throw new AppError('TSA_UNREACHABLE', { reason: `bad TSA address "${opts.url}"` }, { cause: err });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new AppError('TSA_UNREACHABLE', { reason: `bad TSA address "${opts.url}"` });

  let response: Response;
  let body: Uint8Array;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { ...opts.headers, 'content-type': 'application/timestamp-query', accept: 'application/timestamp-reply' },
      body: new Uint8Array(request), // a plain ArrayBuffer-backed copy: what BodyInit accepts
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'follow',
    });
    body = new Uint8Array(await response.arrayBuffer());
  } catch (err) {
    const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
    throw new AppError('TSA_UNREACHABLE', { reason: timedOut ? `no answer within ${timeoutMs} ms` : describeNetworkError(err), url: url.origin }, { cause: err });
  }

  if (response.status >= 500) throw new AppError('TSA_UNREACHABLE', { reason: `HTTP ${response.status}`, url: url.origin });
  if (response.status >= 400) throw new AppError('TSA_REJECTED', { status: `HTTP ${response.status}`, failInfo: response.statusText || 'unspecified', statusText: '' });
  if (response.status !== 200) throw new AppError('TSA_BAD_RESPONSE', { reason: `HTTP ${response.status}` });
  const type = (response.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  // A captive portal answers 200 with a login page: the content type tells it apart.
  if (!REPLY_TYPES.includes(type)) throw new AppError('TSA_BAD_RESPONSE', { reason: `content type "${type || 'none'}", expected application/timestamp-reply` });
  if (body.length === 0) throw new AppError('TSA_BAD_RESPONSE', { reason: 'empty answer' });
  if (body.length > maxBytes) throw new AppError('TSA_BAD_RESPONSE', { reason: `answer of ${body.length} bytes is too large` });
  return body;
}

/** A requester bound to one TSA, for timestampPdfSignature. */
export function createTsaClient(opts: TsaClientOptions): TimeStampRequester {
  return (request) => requestTimeStamp(request, opts);
}

function describeNetworkError(err: unknown): string {
  // undici wraps the socket error: "fetch failed" with cause { code: 'ECONNREFUSED' | 'ENOTFOUND' | … }
  const cause = err instanceof Error ? (err.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  if (cause && typeof cause.code === 'string') return cause.code;
  if (cause && typeof cause.message === 'string') return cause.message;
  return err instanceof Error ? err.message : String(err);
}
