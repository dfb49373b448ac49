/**
 * The ONE way the counter talks to the central: every JSON request goes through `request`, every tus
 * upload takes its options from `tusOptions`. Authentication (the device credential) and anything else
 * every call needs is therefore decided here, once.
 */
import type { UploadOptions } from 'tus-js-client';
import { counterVersionHeader } from '../../../shared/sync/fleet';

/** Supplies the device credential (`Authorization: Bearer …`); undefined before enrollment. */
export type CredentialSupplier = () => string | undefined | Promise<string | undefined>;

export interface CentralClientOptions {
  /** Base URL of the central, e.g. "https://motcua.example.gov.vn". */
  readonly centralUrl: string;
  readonly fetch?: typeof fetch;
  readonly credential?: CredentialSupplier;
  /** Issue 16: this app's version, sent on every request (`X-Motcua-Counter-Version`, shared/sync/fleet.ts). */
  readonly counterVersion?: string;
}

interface CentralRequest {
  readonly method?: 'GET' | 'PUT' | 'POST';
  /** Sent as JSON. */
  readonly json?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  /** Aborts the request (e.g. the engine stops). */
  readonly signal?: AbortSignal;
}

export interface CentralClient {
  readonly baseUrl: string;
  url(path: string): string;
  /** One HTTP request to the central, with the headers every request carries. Rejects on no answer. */
  request(path: string, init: CentralRequest): Promise<Response>;
  /** The options every tus upload starts from (endpoint, headers); the caller adds the file's own. */
  tusOptions(endpointPath: string): Promise<Pick<UploadOptions, 'endpoint' | 'headers'>>;
}

function trimUrl(url: string): string {
  return url.replace(/\/+$/, '');
}

export function createCentralClient(options: CentralClientOptions): CentralClient {
  const baseUrl = trimUrl(options.centralUrl);
  const doFetch: typeof fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));

  async function commonHeaders(): Promise<Record<string, string>> {
    const credential = await options.credential?.();
    return {
      ...(credential ? { authorization: `Bearer ${credential}` } : {}),
      ...(options.counterVersion ? { [counterVersionHeader]: options.counterVersion } : {}),
    };
  }

  return {
    baseUrl,
    url: (path) => baseUrl + path,

    async request(path, init) {
      const controller = new AbortController();
      const timeout = setTimeout(() => controller.abort(), init.timeoutMs);
      const onAbort = (): void => controller.abort();
      init.signal?.addEventListener('abort', onAbort);
      if (init.signal?.aborted) controller.abort();
      try {
        const headers: Record<string, string> = { accept: 'application/json', ...(await commonHeaders()), ...init.headers };
        if (init.json !== undefined) headers['content-type'] = 'application/json';
        return await doFetch(baseUrl + path, {
          method: init.method ?? 'GET',
          headers,
          ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}),
          signal: controller.signal,
          // Conditional requests (If-None-Match) are ours; the HTTP cache must not answer them.
          cache: 'no-store',
        });
      } finally {
        clearTimeout(timeout);
        init.signal?.removeEventListener('abort', onAbort);
      }
    },

    async tusOptions(endpointPath) {
      return { endpoint: baseUrl + endpointPath, headers: await commonHeaders() };
    },
  };
}
