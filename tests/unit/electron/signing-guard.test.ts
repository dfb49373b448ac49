/**
 * Issue 17, finding 3: an unlocked key locks itself when idle, and main signs only inside a signing session
 * opened for one dossier's components, counting and logging each signature. Through the real counter host
 * (the handlers Electron main and the web host serve), the demo PKCS#12 key stores, and the log file on disk;
 * the clock is injected so the idle time passes without waiting.
 */
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCounterHost, type CounterHost } from '../../../electron/services/counter-host';
import type { SigningLogLine } from '../../../electron/services/signing/signing-guard';
import { dispatchIpc } from '../../../shared/ipc/dispatch';
import type { IpcResult } from '../../../shared/ipc/contract';
import { getTestPki, DEMO_P12_PASSWORD } from '../../support/pki';

let dir: string;
let dataDir: string;
let host: CounterHost;
let clock: number;

async function openHost(signing?: { idleLockMinutes: number }): Promise<CounterHost> {
  const pki = await getTestPki();
  await writeFile(
    path.join(dataDir, 'config.json'),
    JSON.stringify({
      unit: { code: '000.00.01.H99', name: 'UBND xã Demo' },
      organisationName: 'Ủy ban nhân dân xã Demo',
      counterNo: 1,
      centralUrl: 'https://127.0.0.1:9',
      locale: 'vi',
      signers: [
        { role: 'organisation', keystore: { kind: 'pkcs12', path: pki.counterSignerP12Path, label: 'org' } },
        { role: 'personal', keystore: { kind: 'pkcs12', path: pki.clerkSignerP12Path, label: 'clerk' } },
      ],
      trust: { anchorsDir: pki.dir },
      ...(signing ? { signing } : {}),
    }),
  );
  return openCounterHost({ dataDir, now: () => new Date(clock) });
}

/** As the renderer calls it: validated by the contract, errors as codes. */
function call(channel: string, request: unknown): Promise<IpcResult<unknown>> {
  return dispatchIpc(host.handlers, channel, request, () => undefined);
}

async function value<T>(channel: string, request: unknown): Promise<T> {
  const result = await call(channel, request);
  if (!result.ok) throw new Error(`${channel}: ${result.error.code}`);
  return result.value as T;
}

const digest = (fill: number) => new Uint8Array(32).fill(fill);
const minutes = (n: number) => n * 60_000;

async function logLines(): Promise<SigningLogLine[]> {
  const text = await readFile(path.join(dataDir, 'signing-log.jsonl'), 'utf8');
  return text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as SigningLogLine);
}

/** A log line without its time (checked on its own), for comparing whole lines. */
function untimed(line: SigningLogLine): Omit<SigningLogLine, 'at'> {
  const { at: _at, ...rest } = line;
  return rest;
}

async function roleStates(): Promise<Record<string, string>> {
  const list = await value<{ role: string; status: { state: string } }[]>('signer:list', {});
  return Object.fromEntries(list.map((s) => [s.role, s.status.state]));
}

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'motcua-signing-guard-'));
  dataDir = path.join(dir, 'data');
  await mkdir(dataDir, { recursive: true });
  clock = Date.now();
});

afterEach(async () => {
  await host.close();
  await rm(dir, { recursive: true, force: true });
});

describe('idle auto-lock', () => {
  it('locks every key after the configured idle minutes, counted from the last signature', async () => {
    host = await openHost({ idleLockMinutes: 5 });
    await value('signer:unlock', { role: 'organisation', secret: DEMO_P12_PASSWORD });
    await value('signer:unlock', { role: 'personal', secret: DEMO_P12_PASSWORD });
    const { sessionId } = await value<{ sessionId: string }>('signer:session-open', { dossierId: 'd-1', signatures: [{ component: 'A', role: 'personal' }] });
    clock += minutes(4);
    await value('signer:sign-digest', { role: 'personal', algorithm: 'sha256', digest: digest(1), sessionId, component: 'A' });
    // 4 + 4 minutes since the unlock, but only 4 since the signature: still open.
    clock += minutes(4);
    expect(await roleStates()).toEqual({ organisation: 'unlocked', personal: 'unlocked' });
    clock += minutes(1);
    expect(await roleStates()).toEqual({ organisation: 'locked', personal: 'locked' });
    // The lock ended the open session: unlocking again does not revive it.
    await value('signer:unlock', { role: 'personal', secret: DEMO_P12_PASSWORD });
    const late = await call('signer:sign-digest', { role: 'personal', algorithm: 'sha256', digest: digest(2), sessionId, component: 'A' });
    expect(late).toMatchObject({ ok: false, error: { code: 'SIGNING_SESSION_REQUIRED' } });
    const lines = await logLines();
    expect(lines.filter((l) => l.event === 'lock').map(untimed)).toEqual([{ event: 'lock', reason: 'idle' }]);
    expect(lines.find((l) => l.event === 'session-close')).toMatchObject({ sessionId, outcome: 'locked', signed: 1 });
  });

  it('defaults to 15 minutes when the configuration names none', async () => {
    host = await openHost();
    await value('signer:unlock', { role: 'organisation', secret: DEMO_P12_PASSWORD });
    clock += minutes(14);
    expect((await roleStates()).organisation).toBe('unlocked');
    clock += minutes(1);
    expect((await roleStates()).organisation).toBe('locked');
    // The next dossier cannot start signing with the key that locked itself.
    const next = await call('signer:session-open', { dossierId: 'd-2', signatures: [{ component: 'A', role: 'organisation' }] });
    expect(next).toMatchObject({ ok: false, error: { code: 'SIGNER_LOCKED' } });
  });

  it('a sign request after the idle time finds the key locked and signs nothing', async () => {
    host = await openHost({ idleLockMinutes: 1 });
    await value('signer:unlock', { role: 'organisation', secret: DEMO_P12_PASSWORD });
    const { sessionId } = await value<{ sessionId: string }>('signer:session-open', { dossierId: 'd-1', signatures: [{ component: 'A', role: 'organisation' }] });
    clock += minutes(2);
    const result = await call('signer:sign-digest', { role: 'organisation', algorithm: 'sha256', digest: digest(1), sessionId, component: 'A' });
    expect(result).toMatchObject({ ok: false, error: { code: 'SIGNING_SESSION_REQUIRED' } });
    expect((await logLines()).some((l) => l.event === 'sign')).toBe(false);
  });

  it('screen lock and suspend (the Electron shell) lock every key', async () => {
    host = await openHost();
    await value('signer:unlock', { role: 'organisation', secret: DEMO_P12_PASSWORD });
    await host.lockSigners('screen-lock');
    expect((await roleStates()).organisation).toBe('locked');
    await value('signer:unlock', { role: 'organisation', secret: DEMO_P12_PASSWORD });
    await host.lockSigners('suspend');
    expect((await roleStates()).organisation).toBe('locked');
    expect((await logLines()).filter((l) => l.event === 'lock').map((l) => l.event === 'lock' && l.reason)).toEqual(['screen-lock', 'suspend']);
  });

  it('the lock button (signer:lock) locks one key and is logged', async () => {
    host = await openHost();
    await value('signer:unlock', { role: 'organisation', secret: DEMO_P12_PASSWORD });
    await value('signer:unlock', { role: 'personal', secret: DEMO_P12_PASSWORD });
    expect(await value('signer:lock', { role: 'personal' })).toMatchObject({ state: 'locked' });
    expect(await roleStates()).toEqual({ organisation: 'unlocked', personal: 'locked' });
    expect((await logLines()).at(-1)).toMatchObject({ event: 'lock', reason: 'clerk', role: 'personal' });
  });
});

describe('signing sessions', () => {
  it('refuses a stray digest with no session, or with a session id main never handed out', async () => {
    host = await openHost();
    await value('signer:unlock', { role: 'organisation', secret: DEMO_P12_PASSWORD });
    // Today's request shape: no session at all.
    expect(await call('signer:sign-digest', { role: 'organisation', algorithm: 'sha256', digest: digest(9) })).toMatchObject({ ok: false, error: { code: 'IPC_BAD_REQUEST' } });
    const madeUp = await call('signer:sign-digest', { role: 'organisation', algorithm: 'sha256', digest: digest(9), sessionId: crypto.randomUUID(), component: 'A' });
    expect(madeUp).toMatchObject({ ok: false, error: { code: 'SIGNING_SESSION_REQUIRED' } });
  });

  it('signs each announced component once, by its role; one more digest is refused', async () => {
    host = await openHost();
    await value('signer:unlock', { role: 'organisation', secret: DEMO_P12_PASSWORD });
    await value('signer:unlock', { role: 'personal', secret: DEMO_P12_PASSWORD });
    const plan = [
      { component: 'DON', role: 'personal' },
      { component: 'GT', role: 'organisation' },
    ];
    const { sessionId } = await value<{ sessionId: string }>('signer:session-open', { dossierId: 'dossier-7', signatures: plan });
    const sign = (role: string, component: string, fill: number) => call('signer:sign-digest', { role, algorithm: 'sha256', digest: digest(fill), sessionId, component });
    // A component the session did not announce, or announced for the other role.
    expect(await sign('personal', 'OTHER', 1)).toMatchObject({ ok: false, error: { code: 'SIGNING_SESSION_EXHAUSTED' } });
    expect(await sign('organisation', 'DON', 1)).toMatchObject({ ok: false, error: { code: 'SIGNING_SESSION_EXHAUSTED' } });
    expect(await sign('personal', 'DON', 1)).toMatchObject({ ok: true, value: { algorithm: 'rsa-pkcs1-v1_5-sha256' } });
    expect(await sign('organisation', 'GT', 2)).toMatchObject({ ok: true });
    // The expected count (2) is reached: a third digest, even for an announced component, is refused.
    expect(await sign('personal', 'DON', 3)).toMatchObject({ ok: false, error: { code: 'SIGNING_SESSION_EXHAUSTED', details: { component: 'DON', expected: 2 } } });
    expect(await value('signer:session-close', { sessionId, outcome: 'done' })).toEqual({});

    const lines = await logLines();
    expect(lines.map(untimed)).toEqual([
      { event: 'session-open', sessionId, dossierId: 'dossier-7', expected: 2 },
      { event: 'sign', sessionId, dossierId: 'dossier-7', component: 'DON', role: 'personal', digest: '01'.repeat(32) },
      { event: 'sign', sessionId, dossierId: 'dossier-7', component: 'GT', role: 'organisation', digest: '02'.repeat(32) },
      { event: 'session-close', sessionId, dossierId: 'dossier-7', outcome: 'done', signed: 2 },
    ]);
    expect(new Date(lines[1]!.at).getTime()).toBe(clock);
    // The log is for the machine's administrator only.
    expect((await stat(path.join(dataDir, 'signing-log.jsonl'))).mode & 0o077).toBe(0);
  });

  it('refuses every digest once the session is closed (acceptance done or failed)', async () => {
    host = await openHost();
    await value('signer:unlock', { role: 'organisation', secret: DEMO_P12_PASSWORD });
    for (const outcome of ['done', 'failed'] as const) {
      const { sessionId } = await value<{ sessionId: string }>('signer:session-open', { dossierId: `d-${outcome}`, signatures: [{ component: 'A', role: 'organisation' }] });
      await value('signer:session-close', { sessionId, outcome });
      const after = await call('signer:sign-digest', { role: 'organisation', algorithm: 'sha256', digest: digest(4), sessionId, component: 'A' });
      expect(after).toMatchObject({ ok: false, error: { code: 'SIGNING_SESSION_REQUIRED' } });
    }
    expect((await logLines()).filter((l) => l.event === 'sign')).toEqual([]);
  });

  it('refuses to open a session for a role with no configured key', async () => {
    host = await openHost();
    const onlyOrg = await openCounterHost({ dataDir: await configWithOrganisationOnly(), now: () => new Date(clock) });
    try {
      const result = await dispatchIpc(onlyOrg.handlers, 'signer:session-open', { dossierId: 'd-1', signatures: [{ component: 'A', role: 'personal' }] }, () => undefined);
      expect(result).toMatchObject({ ok: false, error: { code: 'SIGNER_NOT_CONFIGURED' } });
    } finally {
      await onlyOrg.close();
    }
  });
});

async function configWithOrganisationOnly(): Promise<string> {
  const pki = await getTestPki();
  const other = path.join(dir, 'org-only');
  await mkdir(other, { recursive: true });
  await writeFile(
    path.join(other, 'config.json'),
    JSON.stringify({
      unit: { code: '000.00.01.H99', name: 'UBND xã Demo' },
      organisationName: 'Ủy ban nhân dân xã Demo',
      counterNo: 1,
      centralUrl: 'https://127.0.0.1:9',
      locale: 'vi',
      signers: [{ role: 'organisation', keystore: { kind: 'pkcs12', path: pki.counterSignerP12Path, label: 'org' } }],
      trust: { anchorsDir: pki.dir },
    }),
  );
  return other;
}
