/**
 * The web host: the same renderer, served to any Chromium, with the same IPC contract served over HTTP by
 * the same main-side services. End-to-end tests drive it; it also demos the app where Electron is absent.
 *
 * It listens on loopback only. Because any local page could POST to it, every IPC call must carry this
 * host's own Origin (what a browser sends from the app page and cannot forge from another site) — the
 * counterpart of Electron main checking the sender frame.
 */
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
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
}

export interface WebHost {
  readonly url: string;
  close(): Promise<void>;
}

export const webHostEntry = 'web-host.html';

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  // On close, drop every connection, busy ones too: a request still waiting on a long job (a page in OCR)
  // must not hold the host open after SIGTERM — the counter's services are closed next and end the job.
  const app: FastifyInstance = Fastify({ logger: false, bodyLimit: 1024 * 1024, forceCloseConnections: true });
  const csp = contentSecurityPolicy(options.centralUrl);
  let ownOrigin = '';

  app.addHook('onSend', async (_request, reply) => {
    reply.header('Content-Security-Policy', csp);
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Cross-Origin-Opener-Policy', 'same-origin');
  });

  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, decodeWire(body as string));
    } catch (err) {
      done(err as Error, undefined);
    }
  });

  // A scanned page sent back for processing (`imaging:submit`, up to 64 MiB, base64 on the wire) is the
  // largest request; every other channel's schema is far smaller and is checked after parsing anyway.
  app.post<{ Params: { channel: string } }>('/ipc/:channel', { bodyLimit: 96 * 1024 * 1024 }, async (request, reply) => {
    if (request.headers.origin !== ownOrigin) {
      return reply.code(403).type('application/json').send(encodeWire({ ok: false, error: { code: 'IPC_FORBIDDEN_SENDER', details: {} } }));
    }
    const result = await dispatchIpc(options.handlers, request.params.channel, request.body, (channel, err) =>
      request.log.error({ err, channel }, 'ipc handler failed'),
    );
    return reply.type('application/json').send(encodeWire(result));
  });

  await app.register(fastifyStatic, { root: path.resolve(options.rendererDir), index: false, wildcard: true });
  app.get('/', (_request, reply) => reply.sendFile(webHostEntry));

  const address = await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
  ownOrigin = new URL(address).origin;
  return { url: ownOrigin + '/', close: () => app.close() };
}
