/**
 * The web host serves the IPC contract over HTTP with the same services as Electron main: same
 * validation, same results, and it refuses calls that do not come from its own page — the page opened with
 * this launch's token, on this host's own Host and Origin (issue 17, finding 4).
 */
import http from 'node:http';
import net from 'node:net';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCounterHost } from '../../electron/services/counter-host';
import { startWebHost, webHostEntry, webHostTokenHeader, type WebHost } from '../../electron/web-host/server';
import { createHttpBridge, webHostTokenHeader as rendererTokenHeader } from '../../renderer/src/platform/http-bridge';
import { decodeWire, encodeWire } from '../../shared/ipc/wire';
import { getTestPki, DEMO_P12_PASSWORD } from '../support/pki';

let host: WebHost;
let dir: string;

beforeAll(async () => {
  const pki = await getTestPki();
  dir = await mkdtemp(path.join(os.tmpdir(), 'motcua-webhost-'));
  const rendererDir = path.join(dir, 'renderer');
  const dataDir = path.join(dir, 'data');
  await mkdir(rendererDir, { recursive: true });
  await writeFile(path.join(rendererDir, webHostEntry), '<!doctype html><title>stub</title>');
  await mkdir(dataDir, { recursive: true });
  await writeFile(
    path.join(dataDir, 'config.json'),
    JSON.stringify({
      unit: { code: '000.00.01.H99', name: 'UBND xã Demo' },
      organisationName: 'Ủy ban nhân dân xã Demo',
      counterNo: 2,
      centralUrl: 'http://127.0.0.1:9',
      allowHttpCentral: true, // lab: the test has no central at all
      locale: 'vi',
      // The pre-roles shape (one `signer`): still read, as the organisation's signer.
      signer: { kind: 'pkcs12', path: pki.counterSignerP12Path, label: 'test' },
      trust: { anchorsDir: pki.dir },
    }),
  );
  const counter = await openCounterHost({ dataDir });
  host = await startWebHost({ rendererDir, handlers: counter.handlers, centralUrl: counter.config.centralUrl });
});

afterAll(async () => {
  await host.close();
  await rm(dir, { recursive: true, force: true });
});

/** A call as the app page makes it; `token: null` leaves the token header out. */
async function call(channel: string, body: unknown, origin = new URL(host.url).origin, token: string | null = host.token) {
  const headers: Record<string, string> = { 'content-type': 'application/json', origin, ...(token === null ? {} : { [webHostTokenHeader]: token }) };
  const response = await fetch(new URL(`ipc/${channel}`, host.url), { method: 'POST', headers, body: encodeWire(body) });
  return { status: response.status, result: decodeWire(await response.text()) };
}

/** A request with exactly these headers (fetch may not set Host); answers status and decoded body. */
function rawRequest(target: WebHost, requestPath: string, headers: Record<string, string>, body = ''): Promise<{ status: number; result: unknown }> {
  const { port } = new URL(target.origin);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: requestPath, method: body ? 'POST' : 'GET', headers: { ...headers, ...(body ? { 'content-length': String(Buffer.byteLength(body)) } : {}) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, result: text.startsWith('{') ? decodeWire(text) : text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('web host', () => {
  it('serves the renderer entry with the CSP', async () => {
    const response = await fetch(host.url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(response.headers.get('content-security-policy')).toContain('connect-src \'self\' http://127.0.0.1:9');
  });

  it('answers the contract with the configured services, never exposing the key store path', async () => {
    const { result } = await call('config:get', {});
    expect(result).toMatchObject({ ok: true, value: { counterNo: 2, unit: { code: '000.00.01.H99' }, signatureAppearance: { kind: 'copy-stamp' } } });
    expect((await call('signer:list', {})).result).toMatchObject({ ok: true, value: [{ role: 'organisation', status: { state: 'locked' } }] });
    expect(JSON.stringify(result)).not.toContain('.p12');
  });

  it('refuses calls from another origin, even with the token', async () => {
    const { status, result } = await call('config:get', {}, 'http://evil.example');
    expect(status).toBe(403);
    expect(result).toMatchObject({ ok: false, error: { code: 'IPC_FORBIDDEN_SENDER' } });
  });

  it('hands out an address whose fragment carries a fresh token of at least 128 bits, which the renderer sends in the header the host reads', () => {
    const fragment = new URLSearchParams(new URL(host.url).hash.slice(1)).get('token');
    expect(fragment).toBe(host.token);
    expect(Buffer.from(host.token, 'base64url').length).toBeGreaterThanOrEqual(16);
    expect(rendererTokenHeader).toBe(webHostTokenHeader);
  });

  it('refuses a call with the right Origin but no token, or a wrong one (a local process, another user of the PC)', async () => {
    const missing = await call('config:get', {}, host.origin, null);
    expect(missing.status).toBe(403);
    expect(missing.result).toMatchObject({ ok: false, error: { code: 'WEB_HOST_TOKEN_INVALID' } });
    // Same length, one character off; and a prefix of the right one.
    const flipped = host.token.slice(0, -1) + (host.token.endsWith('A') ? 'B' : 'A');
    for (const wrong of [flipped, host.token.slice(0, 10), '']) {
      const refused = await call('signer:unlock', { role: 'organisation', secret: DEMO_P12_PASSWORD }, host.origin, wrong);
      expect(refused.status).toBe(403);
      expect(refused.result).toMatchObject({ ok: false, error: { code: 'WEB_HOST_TOKEN_INVALID' } });
    }
    // Nothing was unlocked by the refused calls.
    expect((await call('signer:list', {})).result).toMatchObject({ ok: true, value: [{ role: 'organisation', status: { state: 'locked' } }] });
  });

  it('refuses a foreign Host (a DNS-rebinding page reaching 127.0.0.1 under its own name), on IPC and static files alike', async () => {
    const { port } = new URL(host.origin);
    const headers = { 'content-type': 'application/json', origin: host.origin, [webHostTokenHeader]: host.token };
    const rebound = await rawRequest(host, '/ipc/config:get', { ...headers, host: `attacker.example:${port}` }, encodeWire({}));
    expect(rebound.status).toBe(403);
    expect(rebound.result).toMatchObject({ ok: false, error: { code: 'IPC_FORBIDDEN_SENDER' } });
    expect((await rawRequest(host, '/', { host: `attacker.example:${port}` })).status).toBe(403);
    // The same request on the host's own names is served: by its address, and as localhost.
    for (const own of [`127.0.0.1:${port}`, `localhost:${port}`]) {
      const served = await rawRequest(host, '/ipc/config:get', { ...headers, host: own, origin: `http://${own}` }, encodeWire({}));
      expect(served).toMatchObject({ status: 200, result: { ok: true } });
    }
  });

  it('checks the token on the IPC route itself, whatever spelling of its path reached it', async () => {
    const { host: ownHost } = new URL(host.origin);
    for (const spelled of ['/%69pc/config:get', '/ipc/config%3Aget', '/ipc//config:get', '/ipc/config:get?x=1']) {
      const answer = await rawRequest(host, spelled, { host: ownHost, origin: host.origin, 'content-type': 'application/json' }, encodeWire({}));
      expect({ spelled, status: answer.status }).not.toMatchObject({ status: 200 });
    }
  });

  it('serves the app page without a token (the HTML and JS are no secret)', async () => {
    const page = await rawRequest(host, '/', { host: new URL(host.origin).host });
    expect(page.status).toBe(200);
    expect(page.result).toContain('<title>stub</title>');
  });

  it('refuses a 90 MB body without the token before reading it: the answer comes while the body is still being sent', async () => {
    const { port, origin } = new URL(host.url);
    const total = 90 * 1024 * 1024;
    const chunk = Buffer.alloc(256 * 1024, 0x41);
    const socket = net.connect(Number(port), '127.0.0.1');
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    let answer = '';
    socket.on('data', (data: Buffer) => (answer += data.toString('latin1')));
    socket.on('error', () => undefined); // the host closes on us mid-body: that is the point
    socket.write(`POST /ipc/imaging:submit HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: ${origin}\r\nContent-Type: application/json\r\nContent-Length: ${total}\r\n\r\n`);
    let sent = 0;
    // Send chunk by chunk, each after the previous one was taken; stop as soon as an answer or a close arrives.
    while (sent < total && !answer.includes('\r\n\r\n') && !socket.destroyed && socket.writable) {
      const flushed = await new Promise<boolean>((resolve) => {
        socket.write(chunk, (err) => resolve(!err));
      });
      if (!flushed) break;
      sent += chunk.length;
    }
    // The host answers `Connection: close` and hangs up; wait for that (bounded, should it not).
    if (!socket.destroyed) {
      await new Promise<void>((resolve) => {
        socket.once('close', () => resolve());
        socket.setTimeout(5000, () => socket.destroy());
      });
    }
    expect(answer).toMatch(/^HTTP\/1\.1 403 /);
    expect(answer).toContain('WEB_HOST_TOKEN_INVALID');
    expect(sent).toBeLessThan(total / 2);
  });

  it('validates payloads and reports the key store errors by code', async () => {
    const plan = { dossierId: 'dossier-1', signatures: [{ component: 'A', role: 'organisation' }] };
    // A locked key cannot even start a signing session (issue 17).
    expect((await call('signer:session-open', plan)).result).toMatchObject({ ok: false, error: { code: 'SIGNER_LOCKED' } });
    const org = { role: 'organisation', algorithm: 'sha256', sessionId: crypto.randomUUID(), component: 'A' };
    expect((await call('signer:sign-digest', { ...org, digest: new Uint8Array(3) })).result).toMatchObject({ ok: false, error: { code: 'IPC_BAD_REQUEST' } });
    expect((await call('signer:sign-digest', { ...org, role: 'personal', digest: new Uint8Array(32) })).result).toMatchObject({ ok: false, error: { code: 'SIGNER_NOT_CONFIGURED' } });
    expect((await call('signer:unlock', { role: 'organisation', secret: 'wrong' })).result).toMatchObject({ ok: false, error: { code: 'SIGNER_WRONG_PASSWORD' } });
    const unlocked = (await call('signer:unlock', { role: 'organisation', secret: DEMO_P12_PASSWORD })).result as { ok: boolean; value: { state: string; certificate: { chainDer: unknown[] } } };
    expect(unlocked.ok).toBe(true);
    expect(unlocked.value.state).toBe('unlocked');
    expect(unlocked.value.certificate.chainDer[0]).toBeInstanceOf(Uint8Array);
    const opened = (await call('signer:session-open', plan)).result as { ok: boolean; value: { sessionId: string } };
    expect(opened.ok).toBe(true);
    const signed = (await call('signer:sign-digest', { ...org, sessionId: opened.value.sessionId, digest: new Uint8Array(32).fill(7) })).result as { ok: boolean; value: { signature: Uint8Array } };
    expect(signed.ok).toBe(true);
    expect(signed.value.signature.length).toBe(256);
  });
});

describe('web host shutdown', () => {
  it('closes while a call is still waiting on its service (a long OCR job must not hold SIGTERM)', async () => {
    const rendererDir = path.join(dir, 'renderer');
    const counter = await openCounterHost({ dataDir: path.join(dir, 'data') });
    let entered!: () => void;
    const handlerEntered = new Promise<void>((resolve) => (entered = resolve));
    const stuck = await startWebHost({
      rendererDir,
      handlers: { ...counter.handlers, 'config:get': () => { entered(); return new Promise(() => undefined); } },
      centralUrl: counter.config.centralUrl,
    });
    const pending = fetch(new URL('ipc/config:get', stuck.url), { method: 'POST', headers: { 'content-type': 'application/json', origin: stuck.origin, [webHostTokenHeader]: stuck.token }, body: encodeWire({}) });
    await handlerEntered;
    expect(stuck.token).not.toBe(host.token); // each launch its own token
    await stuck.close(); // before forceCloseConnections this waited for the handler, i.e. for ever
    await expect(pending).rejects.toThrow();
    await counter.close();
  });
});

describe('web host errors, and the renderer bridge over real HTTP', () => {
  it('logs an unexpected handler error (channel, message, code location) to its log file, never the payload', async () => {
    const counter = await openCounterHost({ dataDir: path.join(dir, 'data') });
    const errorLogFile = path.join(dir, 'web-host-errors.log');
    const failing = await startWebHost({
      rendererDir: path.join(dir, 'renderer'),
      handlers: { ...counter.handlers, 'signer:unlock': () => Promise.reject(new Error('key store driver crashed')) },
      centralUrl: counter.config.centralUrl,
      errorLogFile,
    });
    try {
      const response = await fetch(new URL('ipc/signer:unlock', failing.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: failing.origin, [webHostTokenHeader]: failing.token },
        body: encodeWire({ role: 'organisation', secret: 'Nguyễn Văn An 001190012345' }),
      });
      expect(decodeWire(await response.text())).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
      const lines = (await readFile(errorLogFile, 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ event: 'web-host-error', channel: 'signer:unlock', message: 'key store driver crashed' });
      expect(JSON.stringify(lines)).not.toContain('001190012345');
      expect(JSON.stringify(lines)).not.toContain('Nguyễn');
    } finally {
      await failing.close();
      await counter.close();
    }
  });

  it('the bridge sends the token it was given, and turns a refusal into a coded error instead of a raw exception', async () => {
    // What Chromium adds by itself on the app page; Node's fetch sends no Origin.
    const asPage: typeof fetch = (input, init) => fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), origin: host.origin } });
    const withToken = createHttpBridge(host.origin + '/', { token: host.token, fetch: asPage });
    expect(await withToken['config:get']({})).toMatchObject({ ok: true, value: { counterNo: 2 } });
    const withoutToken = createHttpBridge(host.origin + '/', { fetch: asPage });
    expect(await withoutToken['config:get']({})).toMatchObject({ ok: false, error: { code: 'WEB_HOST_TOKEN_INVALID' } });
  });

  it('the bridge maps 413, 5xx, a page that is not the host and nobody listening to their codes', async () => {
    const statusByChannel: Record<string, number> = { 'config:get': 413, 'signer:list': 502, 'storage:disk-free': 403 };
    const stand = http.createServer((req, res) => {
      const channel = decodeURIComponent(req.url?.replace('/ipc/', '') ?? '');
      res.writeHead(statusByChannel[channel] ?? 500, { 'content-type': 'text/html' }).end('<html>proxy error</html>');
    });
    await new Promise<void>((resolve) => stand.listen(0, '127.0.0.1', resolve));
    const { port } = stand.address() as net.AddressInfo;
    try {
      const bridge = createHttpBridge(`http://127.0.0.1:${port}/`, { token: 't' });
      expect(await bridge['config:get']({})).toMatchObject({ ok: false, error: { code: 'WEB_HOST_REQUEST_TOO_LARGE', details: { channel: 'config:get', status: 413 } } });
      expect(await bridge['signer:list']({})).toMatchObject({ ok: false, error: { code: 'WEB_HOST_SERVER_ERROR', details: { status: 502 } } });
      expect(await bridge['storage:disk-free']({})).toMatchObject({ ok: false, error: { code: 'IPC_FORBIDDEN_SENDER' } });
    } finally {
      await new Promise<void>((resolve) => stand.close(() => resolve()));
    }
    // The same port, now closed: the host stopped.
    const gone = createHttpBridge(`http://127.0.0.1:${port}/`, { token: 't' });
    expect(await gone['config:get']({})).toMatchObject({ ok: false, error: { code: 'WEB_HOST_UNREACHABLE', details: { channel: 'config:get' } } });
  });
});
