/**
 * Issue 17, finding 9: what main itself puts in the audit log, through the real counter host and the demo
 * PKCS#12 key stores — a configuration change, a key unlocked, a signing session and its signature, a lock —
 * each entry naming the clerk by the open personal key's certificate, or saying nobody was identified.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCounterHost, type CounterHost } from '../../../electron/services/counter-host';
import { parseAuditLines, verifyAuditChain, type AuditEntry } from '../../../shared/audit/chain';
import { dispatchIpc } from '../../../shared/ipc/dispatch';
import { sha256Hex } from '../../../shared/util/bytes';
import { getTestPki, DEMO_P12_PASSWORD } from '../../support/pki';

let dataDir: string;
const hosts: CounterHost[] = [];
beforeEach(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'motcua-audit-main-'));
});
afterEach(async () => {
  for (const h of hosts.splice(0)) await h.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function openHost(organisationName: string, configFile = path.join(dataDir, 'config.json')): Promise<CounterHost> {
  const pki = await getTestPki();
  await mkdir(path.dirname(configFile), { recursive: true });
  await writeFile(
    configFile,
    JSON.stringify({
      unit: { code: '000.00.01.H99', name: 'UBND xã Demo' },
      organisationName,
      counterNo: 1,
      centralUrl: 'https://127.0.0.1:9',
      locale: 'vi',
      signers: [
        { role: 'organisation', keystore: { kind: 'pkcs12', path: pki.counterSignerP12Path, label: 'org' } },
        { role: 'personal', keystore: { kind: 'pkcs12', path: pki.clerkSignerP12Path, label: 'clerk' } },
      ],
      trust: { anchorsDir: pki.dir },
    }),
  );
  const host = await openCounterHost({ dataDir, configFile });
  hosts.push(host);
  return host;
}

async function value(host: CounterHost, channel: string, request: unknown): Promise<unknown> {
  const result = await dispatchIpc(host.handlers, channel, request, () => undefined);
  if (!result.ok) throw new Error(`${channel}: ${result.error.code}`);
  return result.value;
}

async function entries(): Promise<AuditEntry[]> {
  const lines = parseAuditLines(await readFile(path.join(dataDir, 'audit-log.jsonl'), 'utf8'));
  expect(verifyAuditChain(lines)).toMatchObject({ ok: true });
  return lines as AuditEntry[];
}

describe('main’s own audit entries', () => {
  it('records the configuration at first start and again only when it changed', async () => {
    await openHost('Ủy ban nhân dân xã Demo');
    await openHost('Ủy ban nhân dân xã Demo');
    await openHost('Ủy ban nhân dân xã Demo Mới');
    const changes = (await entries()).filter((e) => e.action === 'config-changed');
    expect(changes).toHaveLength(2);
    expect(changes[1]).toMatchObject({ details: { previousSha256: (changes[0] as { details: { sha256: string } }).details.sha256 }, clerk: { kind: 'unidentified' } });
  });

  it('hashes the configuration file actually loaded, also when --config names one outside the data folder', async () => {
    const elsewhere = path.join(dataDir, 'etc', 'quay-1.json');
    await openHost('Ủy ban nhân dân xã Demo', elsewhere);
    const [change] = (await entries()).filter((e) => e.action === 'config-changed');
    expect(change).toMatchObject({ details: { sha256: sha256Hex(await readFile(elsewhere)) } });
  });

  it('records unlock, session, signature and lock, naming the clerk by the personal certificate once it is open', async () => {
    const host = await openHost('Ủy ban nhân dân xã Demo');
    await value(host, 'signer:unlock', { role: 'organisation', secret: DEMO_P12_PASSWORD });
    await value(host, 'signer:unlock', { role: 'personal', secret: DEMO_P12_PASSWORD });
    const { sessionId } = (await value(host, 'signer:session-open', { dossierId: 'd-1', signatures: [{ component: 'DON', role: 'personal' }] })) as { sessionId: string };
    await value(host, 'signer:sign-digest', { role: 'personal', algorithm: 'sha256', digest: new Uint8Array(32).fill(7), sessionId, component: 'DON' });
    await value(host, 'signer:session-close', { sessionId, outcome: 'done' });
    await value(host, 'signer:lock', { role: 'personal' });

    const logged = (await entries()).filter((e) => e.action !== 'config-changed');
    expect(logged.map((e) => e.action)).toEqual(['key-unlocked', 'key-unlocked', 'signing-session-opened', 'digest-signed', 'signing-session-closed', 'key-locked']);
    // Only the organisation's key open: no person is named.
    expect(logged[0]?.clerk).toEqual({ kind: 'unidentified' });
    expect(logged[1]?.clerk).toMatchObject({ kind: 'certificate', commonName: expect.any(String) as string, serial: expect.any(String) as string });
    expect(logged[3]).toMatchObject({ dossierId: 'd-1', details: { component: 'DON', role: 'personal', digest: '07'.repeat(32) } });
    // The lock entry is written after the key closed: nobody is identified any more.
    expect(logged[5]).toMatchObject({ details: { reason: 'clerk', role: 'personal' }, clerk: { kind: 'unidentified' } });
  });
});
