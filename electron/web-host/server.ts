/**
 * The web host: the same renderer, served to any Chromium, with the same IPC contract served over HTTP by
 * the same main-side services. End-to-end tests drive it; it also demos the app where Electron is absent.
 *
 * It listens on loopback only, but loopback is shared by every process and every user of the PC, and a
 * browser page of any site can reach it too. So every IPC call must carry (issue 17, finding 4):
 * - this launch's random token, which only the page opened with the address the host printed knows (it is
 *   in the URL fragment, which browsers never send or log; the renderer moves it into a header);
 * - this host's own `Host` (a DNS-rebinding page reaches 127.0.0.1 under its own name);
 * - this host's own `Origin` (what a browser sends from the app page and cannot forge from another site).
 * The checks run in `onRequest`, before any body byte is read: a stranger's 90 MB upload costs nothing.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply } from 'fastify';
import fastifyStatic from '@fastify/static';
import { dispatchIpc } from '../../shared/ipc/dispatch';
import { decodeWire, encodeWire } from '../../shared/ipc/wire';
import type { IpcHandlers } from '../../shared/ipc/contract';
import { contentSecurityPolicy } from '../services/security/csp';

export interface WebHostOptions {
  readonly rendererDir: string;
  readonly handlers: IpcHandlers;
  readonly centralUrl: string;
  readonly port?: number;
  readonly host?: string;
  /** Unexpected handler errors are appended here (one JSON line each, no payloads) as well as to stderr. */
  readonly errorLogFile?: string;
}

export interface WebHost {
  /** The address to open: the origin plus `#token=<launch token>` (the fragment never reaches a server or a log). */
  readonly url: string;
  readonly origin: string;
  /** This launch's token, for in-process callers (tests) that speak to the host without a browser. */
  readonly token: string;
  close(): Promise<void>;
}

export const webHostEntry = 'web-host.html';
/** Routes that serve the built renderer's files: the only ones open without the token. */
const publicRoutes = new Set(['/', '/*']);
/** The request header that carries the launch token (renderer/src/platform/http-bridge.ts sends it). */
export const webHostTokenHeader = 'x-motcua-host-token';
/** The fragment parameter of the address the host hands out. */
const webHostTokenFragment = 'token';

/** 128 bits is the brief's floor; 256 costs nothing. base64url: safe in a fragment and a header. */
function newLaunchToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Constant-time comparison; hashing first makes both sides the same length, so a length mismatch leaks nothing either. */
function sameToken(given: string | string[] | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** Loopback names this host answers to; any other `Host` is a rebinding page or a misdirected request. */
function ownHosts(listenHost: string, port: number): Set<string> {
  const hosts = new Set([`${listenHost.includes(':') ? `[${listenHost}]` : listenHost}:${port}`]);
  if (listenHost === '127.0.0.1' || listenHost === 'localhost' || listenHost === '::1') {
    for (const name of ['127.0.0.1', 'localhost', '[::1]']) hosts.add(`${name}:${port}`);
  }
  return hosts;
}

/**
 * One JSON line per unexpected failure: which channel, which error, where in the code. Never the request
 * payload or the error's details object — they may hold a citizen's name or ID number. The message is cut short.
 */
export function webHostErrorLogger(logFile: string | undefined): (entry: { channel: string; err: unknown; status?: number }) => void {
  return ({ channel, err, status }) => {
    const error = err instanceof Error ? err : new Error(String(err));
    const code: unknown = (error as Error & { code?: unknown }).code;
    const line = JSON.stringify({
      time: new Date().toISOString(),
      event: 'web-host-error',
      channel,
      ...(status ? { status } : {}),
      name: error.name,
      code: typeof code === 'string' ? code : undefined,
      message: error.message.slice(0, 300),
      at: error.stack?.split('\n').slice(1, 6).map((frame) => frame.trim()),
    });
    console.error(line);
    if (logFile) {
      try {
        appendFileSync(logFile, line + '\n', { mode: 0o600 });
      } catch {
        // The log is best effort: a full disk must not turn a handled error into a crash.
      }
    }
  };
}

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  // On close, drop every connection, busy ones too: a request still waiting on a long job (a page in OCR)
  // must not hold the host open after SIGTERM — the counter's services are closed next and end the job.
  const app: FastifyInstance = Fastify({ logger: false, bodyLimit: 1024 * 1024, forceCloseConnections: true });
  const csp = contentSecurityPolicy(options.centralUrl);
  const token = newLaunchToken();
  const logUnexpected = webHostErrorLogger(options.errorLogFile);
  // Filled once listening (the port is chosen by the OS); until then nothing is accepted.
  let allowedHosts = new Set<string>();
  let allowedOrigins = new Set<string>();

  const refuse = (reply: FastifyReply, code: 'IPC_FORBIDDEN_SENDER' | 'WEB_HOST_TOKEN_INVALID', reason: string) =>
    reply
      .code(403)
      // Close rather than drain: Node would otherwise read (and discard) the rest of a refused body.
      .header('connection', 'close')
      .type('application/json')
      .send(encodeWire({ ok: false, error: { code, details: { reason } } }));

  app.addHook('onRequest', async (request, reply) => {
    if (!allowedHosts.has(request.headers.host ?? '')) return refuse(reply, 'IPC_FORBIDDEN_SENDER', 'host');
    // Decided on the route the router matched, not on the raw path: `/%69pc/…` reaches the IPC route too.
    // Only the app's own HTML and JS (no secret) and the not-found answer are served without the token.
    const route = request.routeOptions.url;
    if (route === undefined || publicRoutes.has(route)) return;
    if (!allowedOrigins.has(request.headers.origin ?? '')) return refuse(reply, 'IPC_FORBIDDEN_SENDER', 'origin');
    if (!sameToken(request.headers[webHostTokenHeader], token)) return refuse(reply, 'WEB_HOST_TOKEN_INVALID', 'token');
  });

  app.addHook('onSend', async (_request, reply) => {
    reply.header('Content-Security-Policy', csp);
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Cross-Origin-Opener-Policy', 'same-origin');
    // The token must not leak through a Referer either (the fragment is never sent, but be explicit).
    reply.header('Referrer-Policy', 'no-referrer');
  });

  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, decodeWire(body as string));
    } catch (err) {
      done(err as Error, undefined);
    }
  });

  // What Fastify itself refuses (too large, unreadable JSON) and what escapes a handler, as a coded answer the
  // renderer's bridge understands; only the unexpected (5xx) are logged.
  app.setErrorHandler((err: FastifyError, request, reply) => {
    const channel = (request.params as { channel?: string } | undefined)?.channel ?? request.url.slice(0, 80);
    const status = err.statusCode ?? 500;
    if (status === 413) return reply.code(413).type('application/json').send(encodeWire({ ok: false, error: { code: 'WEB_HOST_REQUEST_TOO_LARGE', details: { channel } } }));
    if (status >= 400 && status < 500) return reply.code(status).type('application/json').send(encodeWire({ ok: false, error: { code: 'IPC_BAD_REQUEST', details: { channel } } }));
    logUnexpected({ channel, err, status });
    return reply.code(500).type('application/json').send(encodeWire({ ok: false, error: { code: 'WEB_HOST_SERVER_ERROR', details: { channel, status: 500 } } }));
  });

  // A scanned page sent back for processing (`imaging:submit`, up to 64 MiB, base64 on the wire) is the
  // largest request; every other channel's schema is far smaller and is checked after parsing anyway.
  app.post<{ Params: { channel: string } }>('/ipc/:channel', { bodyLimit: 96 * 1024 * 1024 }, async (request, reply) => {
    const result = await dispatchIpc(options.handlers, request.params.channel, request.body, (channel, err) => logUnexpected({ channel, err }));
    return reply.type('application/json').send(encodeWire(result));
  });

  await app.register(fastifyStatic, { root: path.resolve(options.rendererDir), index: false, wildcard: true });
  app.get('/', (_request, reply) => reply.sendFile(webHostEntry));

  const listenHost = options.host ?? '127.0.0.1';
  const address = await app.listen({ port: options.port ?? 0, host: listenHost });
  const origin = new URL(address).origin;
  allowedHosts = ownHosts(listenHost, Number(new URL(address).port));
  allowedOrigins = new Set([...allowedHosts].map((host) => `http://${host}`));
  return { url: `${origin}/#${webHostTokenFragment}=${token}`, origin, token, close: () => app.close() };
}
