/**
 * tus calls aimed at ONE chosen central (not through the balancer), to put each step of an upload on the instance a
 * scenario wants: create on c1, PATCH on c2, HEAD on c3. And a PATCH that streams its body slowly or stalls with
 * the socket open — a counter on a bad link — so that another instance has to take the upload over.
 * Uploads through the balancer use tus-js-client (`tusUploadViaBalancer`), as a counter does.
 */
import { request } from 'node:http';
import { Upload } from 'tus-js-client';
import { sha256Hex } from '../../../shared/util/bytes';
import { tusEndpointPath } from '../../../shared/sync/api-contract';

export interface DeviceAuth {
  readonly credential: string;
}

const b64 = (text: string): string => Buffer.from(text).toString('base64');
const tusHeaders = (auth: DeviceAuth): Record<string, string> => ({ authorization: `Bearer ${auth.credential}`, 'tus-resumable': '1.0.0' });

/** The upload's URL on `instanceUrl` (the id is the last path segment of the Location any instance gave). */
function uploadUrlOn(instanceUrl: string, uploadUrl: string): string {
  const id = new URL(uploadUrl).pathname.split('/').filter(Boolean).pop();
  if (!id) throw new Error(`no upload id in ${uploadUrl}`);
  return new URL(`${tusEndpointPath}${id}`, instanceUrl).href;
}

/** POST (creation) on `instanceUrl`; resolves with the Location the central answered (its public URL). */
export async function tusCreate(instanceUrl: string, auth: DeviceAuth, bytes: Uint8Array, dossierId: string): Promise<string> {
  const res = await fetch(new URL(tusEndpointPath, instanceUrl), {
    method: 'POST',
    headers: {
      ...tusHeaders(auth),
      'upload-length': String(bytes.byteLength),
      'upload-metadata': `dossierId ${b64(dossierId)},sha256 ${b64(sha256Hex(bytes))},filename ${b64('tep.pdf')},filetype ${b64('application/pdf')}`,
    },
  });
  const location = res.headers.get('location');
  if (res.status !== 201 || !location) throw new Error(`tus creation on ${instanceUrl}: ${res.status} ${await res.text()}`);
  return new URL(location, instanceUrl).href;
}

export interface HeadAnswer {
  readonly status: number;
  readonly offset: number;
  /** How long the answer took (a HEAD waits for the upload's lock). */
  readonly ms: number;
  /** When it arrived (performance.now()). */
  readonly at: number;
}

export async function tusHead(instanceUrl: string, auth: DeviceAuth, uploadUrl: string): Promise<HeadAnswer> {
  const started = performance.now();
  const res = await fetch(uploadUrlOn(instanceUrl, uploadUrl), { method: 'HEAD', headers: tusHeaders(auth), signal: AbortSignal.timeout(60_000) });
  const at = performance.now();
  return { status: res.status, offset: Number(res.headers.get('upload-offset') ?? Number.NaN), ms: Math.round(at - started), at };
}

/** One PATCH of `body` at `offset`; resolves with the new offset (throws on anything but 204). */
export async function tusPatch(instanceUrl: string, auth: DeviceAuth, uploadUrl: string, offset: number, body: Uint8Array): Promise<number> {
  const res = await fetch(uploadUrlOn(instanceUrl, uploadUrl), {
    method: 'PATCH',
    headers: { ...tusHeaders(auth), 'upload-offset': String(offset), 'content-type': 'application/offset+octet-stream' },
    body: Buffer.from(body),
  });
  if (res.status !== 204) throw new Error(`tus PATCH on ${instanceUrl} at ${offset}: ${res.status} ${await res.text()}`);
  return Number(res.headers.get('upload-offset'));
}

export interface SlowPatchEnd {
  readonly status?: number;
  /** Upload-Offset of the answer, when there was one. */
  readonly offset?: number;
  readonly error?: string;
  /** When it ended (performance.now()). */
  readonly at: number;
}

export interface SlowPatch {
  /** Settles when the central answered or the connection broke. */
  readonly ended: Promise<SlowPatchEnd>;
  /** Whether it has ended yet. */
  readonly hasEnded: () => boolean;
  /** Bytes written to the socket so far. */
  readonly sent: () => number;
  /** Sends the rest of the body (after a stall). */
  readonly resume: () => void;
  /** Drops the connection. */
  readonly destroy: () => void;
}

/**
 * A PATCH whose body goes out `stepBytes` at a time every `stepMs`. With `stallAfter`, it stops sending after that
 * many bytes and keeps the socket open (until `resume()` or `destroy()`). `onSent` sees the running count.
 */
export function slowPatch(
  instanceUrl: string,
  auth: DeviceAuth,
  uploadUrl: string,
  offset: number,
  body: Uint8Array,
  opts: { stallAfter?: number; stepBytes?: number; stepMs?: number; onSent?: (sent: number) => void } = {},
): SlowPatch {
  const url = new URL(uploadUrlOn(instanceUrl, uploadUrl));
  const req = request({
    host: url.hostname,
    port: url.port,
    path: url.pathname,
    method: 'PATCH',
    headers: { ...tusHeaders(auth), 'upload-offset': String(offset), 'content-type': 'application/offset+octet-stream', 'content-length': String(body.byteLength) },
  });
  let sent = 0;
  let ended = false;
  let stallAfter = opts.stallAfter;
  let wake: (() => void) | undefined;
  const endedPromise = new Promise<SlowPatchEnd>((resolve) => {
    const finish = (end: Omit<SlowPatchEnd, 'at'>): void => {
      if (ended) return;
      ended = true;
      wake?.();
      resolve({ ...end, at: performance.now() });
    };
    req.on('response', (res) => {
      res.resume();
      const answered = res.headers['upload-offset'];
      res.on('end', () => finish({ status: res.statusCode, ...(answered === undefined ? {} : { offset: Number(answered) }) }));
      res.on('error', (err) => finish({ status: res.statusCode, error: err.message }));
    });
    req.on('error', (err) => finish({ error: err.message }));
  });
  const step = opts.stepBytes ?? 256 * 1024;
  const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
  const pump = async (): Promise<void> => {
    while (sent < body.byteLength && !ended) {
      if (stallAfter !== undefined && sent >= stallAfter) {
        // Stalled: the socket stays open, nothing is sent, until resume() or the end.
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
        continue;
      }
      const chunk = body.subarray(sent, Math.min(body.byteLength, sent + step));
      if (!req.write(chunk)) await new Promise((resolve) => req.once('drain', resolve));
      sent += chunk.byteLength;
      opts.onSent?.(sent);
      await pause(opts.stepMs ?? 30);
    }
    if (!ended) req.end();
  };
  void pump().catch(() => undefined);
  return {
    ended: endedPromise,
    hasEnded: () => ended,
    sent: () => sent,
    resume: () => {
      stallAfter = undefined;
      wake?.();
    },
    destroy: () => {
      req.destroy();
    },
  };
}

export interface BalancedUploadOptions {
  readonly dossierId: string;
  readonly chunkSize: number;
  /** tus-js-client's retry delays: long enough to ride out an instance restart or a gateway restart. */
  readonly retryDelays?: number[];
  /** Bytes of this upload the central has acknowledged so far. */
  readonly onProgress?: (acknowledged: number) => void;
  /** Counts each retry tus-js-client makes. */
  readonly onRetry?: () => void;
}

/** Uploads `bytes` through the balancer with tus-js-client and retries, as a counter does; resolves with the upload URL. */
export function tusUploadViaBalancer(balancerUrl: string, auth: DeviceAuth, bytes: Uint8Array, opts: BalancedUploadOptions): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const upload = new Upload(Buffer.from(bytes), {
      endpoint: new URL(tusEndpointPath, balancerUrl).href,
      headers: { authorization: `Bearer ${auth.credential}` },
      chunkSize: opts.chunkSize,
      retryDelays: opts.retryDelays ?? [200, 500, 1000, 2000, 3000, 5000, 5000, 5000, 10_000, 10_000],
      storeFingerprintForResuming: false,
      metadata: { dossierId: opts.dossierId, sha256: sha256Hex(bytes), filename: 'tep.pdf', filetype: 'application/pdf' },
      onShouldRetry: () => {
        opts.onRetry?.();
        return true;
      },
      onChunkComplete: (_chunk, acknowledged) => opts.onProgress?.(acknowledged),
      onSuccess: () => (upload.url ? resolve(upload.url) : reject(new Error('tus upload finished without a URL'))),
      onError: reject,
    });
    upload.start();
  });
}
