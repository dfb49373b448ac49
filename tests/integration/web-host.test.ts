/**
 * The web host serves the IPC contract over HTTP with the same services as Electron main: same
 * validation, same results, and it refuses calls that do not come from its own page.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCounterHost } from '../../electron/services/counter-host';
import { startWebHost, webHostEntry, type WebHost } from '../../electron/web-host/server';
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

async function call(channel: string, body: unknown, origin = new URL(host.url).origin) {
  const response = await fetch(new URL(`ipc/${channel}`, host.url), { method: 'POST', headers: { 'content-type': 'application/json', origin }, body: encodeWire(body) });
  return { status: response.status, result: decodeWire(await response.text()) };
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

  it('refuses calls from another origin', async () => {
    const { status, result } = await call('config:get', {}, 'http://evil.example');
    expect(status).toBe(403);
    expect(result).toMatchObject({ ok: false, error: { code: 'IPC_FORBIDDEN_SENDER' } });
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
    const pending = fetch(new URL('ipc/config:get', stuck.url), { method: 'POST', headers: { 'content-type': 'application/json', origin: new URL(stuck.url).origin }, body: encodeWire({}) });
    await handlerEntered;
    await stuck.close(); // before forceCloseConnections this waited for the handler, i.e. for ever
    await expect(pending).rejects.toThrow();
    await counter.close();
  });
});
