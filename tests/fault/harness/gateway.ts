/**
 * The counter's only server: it serves the counter page and the fixture PDFs, and forwards `/api/` to the
 * central across the veth link — on the way it injects the faults that live on the wire: 500/503 answers,
 * stalls, lost answers, duplicated and late-replayed (re-ordered) requests. Serving page and API from one
 * origin keeps CORS out of the experiment.
 *
 * Faults are armed one at a time (`arm`); each fires on the next matching request and reports when it did,
 * so the campaign counts only faults that really happened.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import path from 'node:path';
import { centralApi, pathFor, uploadsPrefix } from '../../../shared/sync/api-contract';

/** What a request is, from the sync protocol's point of view. */
export type RequestKind = 'probe' | 'create' | 'head' | 'patch' | 'commit' | 'other';

// `/api/v1/dossiers/` — the commit's path up to its one parameter.
const commitPrefix = centralApi.commitDossier.path.slice(0, centralApi.commitDossier.path.indexOf(':'));

function requestKind(method: string, url: string): RequestKind {
  const p = url.split('?', 1)[0] ?? '';
  if (p === pathFor('health')) return 'probe';
  if (p.startsWith(uploadsPrefix)) {
    if (method === 'POST') return 'create';
    if (method === 'HEAD') return 'head';
    if (method === 'PATCH') return 'patch';
  }
  if (method === 'PUT' && p.startsWith(commitPrefix) && /^[^/]+$/.test(p.slice(commitPrefix.length))) return 'commit';
  return 'other';
}

export type WireFault =
  /** Answer this status without forwarding. */
  | { readonly type: 'status'; readonly status: 500 | 503 }
  /** Forward, let the central act, then answer 503: the counter never learns it worked. */
  | { readonly type: 'answer-lost' }
  /** Hold the request, then reset the connection. */
  | { readonly type: 'stall-reset'; readonly ms: number }
  /** Hold the request, then forward it (a slow central). */
  | { readonly type: 'stall-forward'; readonly ms: number }
  /** Neither read nor answer the request, never reset it: a link gone silent (packets dropped, no RST). */
  | { readonly type: 'blackhole' }
  /** Send the same request twice at once; the counter gets the first answer. */
  | { readonly type: 'duplicate' }
  /** Forward; send the same request again `ms` later, after newer requests (re-ordered). */
  | { readonly type: 'replay-late'; readonly ms: number }
  /** Run `action` (e.g. kill the counter or the central) when the request arrives or its answer is back. */
  | { readonly type: 'hook'; readonly phase: 'request' | 'response'; readonly action: () => Promise<void> };

interface Armed {
  readonly kinds: readonly RequestKind[];
  readonly fault: WireFault;
  /** Resolves the arm() promise: the kind it fired on, or undefined when disarmed. */
  fired: (kind: RequestKind | undefined) => void;
}

interface ReplayOutcome {
  readonly kind: RequestKind;
  readonly status: number | 'error';
}

export interface Gateway {
  readonly url: string;
  /** Where `/api/` goes (the central's URL across the link); changeable. */
  setUpstream(url: string): void;
  /** Arms one fault; resolves with the request kind it fired on, or undefined if disarmed first. */
  arm(kinds: readonly RequestKind[], fault: WireFault): Promise<RequestKind | undefined>;
  disarm(): void;
  /** Requests seen per kind. */
  counts(): Readonly<Record<RequestKind, number>>;
  /** Request-body bytes the counter sent, per kind (PATCH = upload bytes, re-sent ones included). */
  bodyBytes(): Readonly<Record<RequestKind, number>>;
  /** Answers of 500 and above the central itself gave (not the injected ones), per kind. */
  centralErrors(): Readonly<Record<RequestKind, number>>;
  /**
   * Upload requests (HEAD, PATCH) the central answered 404, in order: a gone upload is a finding. With the time,
   * the path and who answered (`x-served-by`, which the cluster's balancer adds).
   */
  uploadsNotFound(): readonly string[];
  /** Outcomes of the duplicate and late requests the gateway sent on its own. */
  replays(): readonly ReplayOutcome[];
  /** Breaks every open connection, counter side and central side (a NAT or modem losing its state). */
  resetConnections(): void;
  /** Waits for replays still in flight. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

export interface GatewayOptions {
  /** Static folders by URL prefix, e.g. `{ '/counter/': dist, '/fixtures/': dir }`. */
  readonly statics: Readonly<Record<string, string>>;
  readonly upstream: string;
  /** The counter's main process (counter-main.ts): /ipc/ is answered on the PC, never across the link. */
  readonly ipc?: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
}

const mime: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.pdf': 'application/pdf', '.wasm': 'application/wasm' };
const hopByHop = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection']);

function forwardHeaders(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined && !hopByHop.has(name)) out[name] = value;
  return out;
}

async function readWhole(req: IncomingMessage): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

interface UpstreamAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[]>;
  readonly body: Buffer;
}

export async function startGateway(opts: GatewayOptions): Promise<Gateway> {
  let upstream = opts.upstream;
  let armed: Armed | undefined;
  const seen: Record<RequestKind, number> = { probe: 0, create: 0, head: 0, patch: 0, commit: 0, other: 0 };
  const upstreamErrors: Record<RequestKind, number> = { probe: 0, create: 0, head: 0, patch: 0, commit: 0, other: 0 };
  const notFound: string[] = [];
  const bodyBytes: Record<RequestKind, number> = { probe: 0, create: 0, head: 0, patch: 0, commit: 0, other: 0 };
  const replayOutcomes: ReplayOutcome[] = [];
  const inFlight = new Set<Promise<void>>();
  const sockets = new Set<Socket>();

  /** Sends a buffered request to the central; resolves with its whole answer. */
  const send = (req: IncomingMessage, body: Buffer | undefined): Promise<UpstreamAnswer> =>
    new Promise((resolve, reject) => {
      const target = new URL(req.url ?? '/', upstream);
      const headers = forwardHeaders(req.headers);
      if (body) headers['content-length'] = String(body.byteLength);
      const up = http.request(target, { method: req.method, headers, agent: false }, (res) => {
        readWhole(res).then((b) => resolve({ status: res.statusCode ?? 502, headers: forwardHeaders(res.headers), body: b }), reject);
      });
      up.on('error', reject);
      up.end(body);
    });

  const background = (work: Promise<void>): void => {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
  };

  const replay = (req: IncomingMessage, kind: RequestKind, body: Buffer, delayMs: number): void => {
    background(
      (async () => {
        await new Promise((r) => setTimeout(r, delayMs));
        try {
          const answer = await send(req, body);
          replayOutcomes.push({ kind, status: answer.status });
        } catch {
          replayOutcomes.push({ kind, status: 'error' });
        }
      })(),
    );
  };

  /** A request body read whole (faults that need to send it again), counted like a streamed one. */
  const readBody = async (req: IncomingMessage): Promise<Buffer> => {
    const body = await readWhole(req);
    bodyBytes[requestKind(req.method ?? 'GET', req.url ?? '/')] += body.byteLength;
    return body;
  };

  const answer = (res: ServerResponse, a: UpstreamAnswer): void => {
    res.writeHead(a.status, a.headers);
    res.end(a.body);
  };

  const fail = (res: ServerResponse, status: number, reason: string): void => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.writeHead(status, { 'content-type': 'application/json', 'tus-resumable': '1.0.0', connection: 'close' });
    res.end(JSON.stringify({ error: 'CENTRAL_SERVER_ERROR', details: { gateway: reason } }));
  };

  /** Plain forwarding, streaming both ways (a broken link stalls both sides like a real one). */
  const stream = (req: IncomingMessage, res: ServerResponse, onResponse?: () => Promise<void>): void => {
    // The counter may be gone already (killed while a hook or a stall held its request): its 'close' has
    // fired and would never destroy the upstream request, which would then sit connected with nothing sent
    // — and the central's graceful stop (SIGTERM) waits for that connection for ever.
    if (res.destroyed || req.socket.destroyed) return;
    const target = new URL(req.url ?? '/', upstream);
    const up = http.request(target, { method: req.method, headers: forwardHeaders(req.headers), agent: false }, (upRes) => {
      if ((upRes.statusCode ?? 0) >= 500) upstreamErrors[requestKind(req.method ?? 'GET', req.url ?? '/')]++;
      const kind = requestKind(req.method ?? 'GET', req.url ?? '/');
      if (upRes.statusCode === 404 && (kind === 'patch' || kind === 'head')) {
        notFound.push(`${new Date().toISOString()} ${req.method} ${req.url} by ${String(upRes.headers['x-served-by'] ?? 'the central')}`);
      }
      const deliver = (): void => {
        res.writeHead(upRes.statusCode ?? 502, forwardHeaders(upRes.headers));
        upRes.pipe(res);
      };
      if (onResponse) void onResponse().then(deliver, deliver);
      else deliver();
    });
    up.on('error', () => fail(res, 502, 'upstream-error'));
    req.on('error', () => up.destroy());
    res.on('close', () => {
      if (!res.writableFinished) up.destroy();
    });
    // Attached in the same tick as pipe(): a 'data' listener alone would let bytes flow before the pipe.
    const kind = requestKind(req.method ?? 'GET', req.url ?? '/');
    req.on('data', (part: Buffer) => (bodyBytes[kind] += part.byteLength));
    req.pipe(up);
  };

  const handleApi = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const kind = requestKind(req.method ?? 'GET', req.url ?? '/');
    seen[kind]++;
    const hit = armed && armed.kinds.includes(kind) ? armed : undefined;
    if (!hit) return stream(req, res);
    armed = undefined;
    hit.fired(kind);
    const fault = hit.fault;
    switch (fault.type) {
      case 'status':
        req.resume();
        return fail(res, fault.status, `injected-${fault.status}`);
      case 'answer-lost': {
        const body = await readBody(req);
        try {
          await send(req, body);
        } catch {
          // the central's answer is dropped either way
        }
        return fail(res, 503, 'answer-lost');
      }
      case 'stall-reset':
        await new Promise((r) => setTimeout(r, fault.ms));
        req.socket.destroy();
        return;
      case 'stall-forward':
        await new Promise((r) => setTimeout(r, fault.ms));
        return stream(req, res);
      case 'blackhole':
        // Unread, the request body backs up into the counter's socket buffers and its upload stops moving.
        req.pause();
        return;
      case 'duplicate': {
        const body = await readBody(req);
        const [first, second] = await Promise.allSettled([send(req, body), send(req, body)]);
        replayOutcomes.push({ kind, status: second.status === 'fulfilled' ? second.value.status : 'error' });
        if (first.status === 'fulfilled') return answer(res, first.value);
        return fail(res, 502, 'upstream-error');
      }
      case 'replay-late': {
        const body = await readBody(req);
        try {
          answer(res, await send(req, body));
        } catch {
          fail(res, 502, 'upstream-error');
        }
        replay(req, kind, body, fault.ms);
        return;
      }
      case 'hook':
        if (fault.phase === 'request') {
          await fault.action().catch(() => undefined);
          return stream(req, res);
        }
        return stream(req, res, fault.action);
    }
  };

  const serveStatic = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const p = decodeURIComponent((req.url ?? '/').split('?', 1)[0] ?? '/');
    for (const [prefix, dir] of Object.entries(opts.statics)) {
      if (!p.startsWith(prefix)) continue;
      const file = path.join(dir, path.normalize(p.slice(prefix.length) || 'index.html'));
      if (!file.startsWith(dir)) break;
      const info = await stat(file).catch(() => undefined);
      if (!info?.isFile()) break;
      res.writeHead(200, { 'content-type': mime[path.extname(file)] ?? 'application/octet-stream', 'content-length': String(info.size), 'cache-control': 'no-store' });
      createReadStream(file).pipe(res);
      return;
    }
    res.writeHead(404).end();
  };

  const server = http.createServer((req, res) => {
    const url = req.url ?? '';
    const work = url.startsWith('/api/') ? handleApi(req, res) : url.startsWith('/ipc/') && opts.ipc ? opts.ipc(req, res) : serveStatic(req, res);
    work.catch(() => fail(res, 500, 'gateway-error'));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    setUpstream: (u) => {
      upstream = u;
    },
    arm(kinds, fault) {
      armed?.fired(undefined);
      return new Promise((resolve) => {
        armed = { kinds, fault, fired: resolve };
      });
    },
    disarm() {
      armed?.fired(undefined);
      armed = undefined;
    },
    counts: () => ({ ...seen }),
    centralErrors: () => ({ ...upstreamErrors }),
    uploadsNotFound: () => [...notFound],
    bodyBytes: () => ({ ...bodyBytes }),
    replays: () => [...replayOutcomes],
    resetConnections() {
      for (const socket of sockets) socket.destroy();
    },
    async settle() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
