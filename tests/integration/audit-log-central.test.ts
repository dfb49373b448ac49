/**
 * Issue 17, finding 9 — "editing or deleting one entry on the counter is detected at the central": the
 * counter's real audit log (main's file), sent through the real IPC channels and the sync engine's audit step
 * to the real central process, which verifies the chain on receipt and keeps every break it finds.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEntryHash, type AuditEntry, type RendererAuditRecord } from '../../shared/audit/chain';
import type { IpcHandlers } from '../../shared/ipc/contract';
import { dispatchIpc } from '../../shared/ipc/dispatch';
import { AuditLog } from '../../electron/services/audit/audit-log';
import { auditHandlers } from '../../electron/services/counter-host';
import { AttemptFailure } from '../../renderer/src/sync/attempt';
import { syncAuditLog, type AuditLogPort } from '../../renderer/src/sync/audit-sync';
import { createCentralClient } from '../../renderer/src/sync/central-client';
import { adminCall, enrollTestDevice, startCentralProcess, type CentralProcess } from '../support/central-process';
import { pathFor } from '../../shared/sync/api-contract';

const motcuaBin = path.resolve(import.meta.dirname, '..', '..', 'electron', 'cli', 'bin.mjs');

/** `motcua audit verify …` as a real process; the back-office token from the environment, never the command line. */
async function auditVerify(args: string[]): Promise<{ code: number; report: Record<string, unknown> }> {
  const env = { ...process.env, MOTCUA_CENTRAL_ADMIN_TOKEN: central.adminToken };
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [motcuaBin, 'audit', 'verify', ...args], { env });
    return { code: 0, report: JSON.parse(stdout) as Record<string, unknown> };
  } catch (err) {
    const e = err as { code?: number; stdout?: string };
    return { code: e.code ?? -1, report: JSON.parse(e.stdout || '{}') as Record<string, unknown> };
  }
}

let central: CentralProcess;
let dir: string;
beforeAll(async () => {
  central = await startCentralProcess({ enroll: false });
  dir = await mkdtemp(path.join(tmpdir(), 'motcua-audit-central-'));
}, 120_000);
afterAll(async () => {
  await central.stop();
  await rm(dir, { recursive: true, force: true });
});

const dossierId = '3f0c2b1e-8a4d-4c6b-9e2f-7a1d5c3b9e10';
const returned = (n: number): RendererAuditRecord => ({ action: 'result-returned', dossierId, dossierCode: `000.00.01.H22-261206-${String(n).padStart(4, '0')}`, details: { method: n % 2 ? 'counter' : 'post' } });

/** A counter: its own data dir and audit log, its device credential, and the renderer's path to main (real IPC validation). */
async function counter(name: string, counterNo: number) {
  const dataDir = path.join(dir, name);
  let log = new AuditLog({ dataDir });
  const enrolled = await enrollTestDevice(central, { counterNo, deviceName: name });
  const ipc = async (channel: string, payload: unknown): Promise<unknown> => {
    const result = await dispatchIpc(auditHandlers(log) as unknown as IpcHandlers, channel, payload, () => undefined);
    if (!result.ok) throw new Error(`${channel}: ${result.error.code}`);
    return result.value;
  };
  const port: AuditLogPort = {
    pending: async (limit, from) => (await ipc('audit:pending', { limit, ...(from === undefined ? {} : { from }) })) as { entries: unknown[]; next: number },
    acknowledged: async (seq) => {
      await ipc('audit:acknowledged', { seq });
    },
  };
  const client = createCentralClient({ centralUrl: central.url, credential: () => enrolled.credential });
  return {
    get log() {
      return log;
    },
    /** The app restarted: main reads the log from the file again. */
    reopen: () => {
      log = new AuditLog({ dataDir });
    },
    deviceId: enrolled.device.deviceId,
    credential: enrolled.credential,
    record: (record: RendererAuditRecord) => ipc('audit:record', record),
    sync: () => syncAuditLog({ client, port, timeoutMs: 10_000, batchSize: 4 }),
    lines: async () => (await readFile(log.file, 'utf8')).split('\n').filter((l) => l.length > 0),
    rewrite: (lines: readonly string[]) => writeFile(log.file, lines.map((l) => l + '\n').join('')),
  };
}

const stateOf = async (deviceId: string) => (await adminCall(central, 'GET', pathFor('adminAuditDevice', { deviceId }))).body as { entries: number; head: { seq: number } | null; breaks: { seq: number; reason: string }[] };

describe('audit log: counter → central', () => {
  it('syncs a counter’s entries in batches; the central verifies and holds them; a repeat is accepted', async () => {
    const c = await counter('intact', 1);
    for (let n = 1; n <= 9; n++) await c.record(returned(n));
    expect(await c.sync()).toEqual({ acceptedThrough: 9 });
    expect(await c.log.sentThrough()).toBe(9);
    expect(await stateOf(c.deviceId)).toMatchObject({ entries: 9, head: { seq: 9 }, breaks: [] });
    expect(await auditVerify(['--file', c.log.file, '--central', central.url, '--device', c.deviceId])).toMatchObject({
      code: 0,
      report: { file: { ok: true, entries: 9 }, central: { ok: true, lastSeq: 9 }, comparison: { ok: true } },
    });

    // Re-sending entries the central holds, identical, is no break.
    const again = await fetch(new URL(pathFor('auditEntries'), central.url), {
      method: 'POST',
      headers: { authorization: `Bearer ${c.credential}`, 'content-type': 'application/json' },
      body: JSON.stringify({ entries: (await c.lines()).slice(0, 3).map((l) => JSON.parse(l) as unknown) }),
    });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ acceptedThrough: 9, breaks: [] });
    expect((await stateOf(c.deviceId)).breaks).toEqual([]);
  });

  it('detects an edit of an entry already synced, an edit of one not yet synced and a deletion — each at its seq, kept for the back office', async () => {
    const c = await counter('tampered', 2);
    for (let n = 1; n <= 6; n++) await c.record(returned(n));
    expect(await c.sync()).toEqual({ acceptedThrough: 6 });
    for (let n = 7; n <= 11; n++) await c.record(returned(n));

    const lines = await c.lines();
    const edit = (line: string, change: (e: AuditEntry) => AuditEntry) => JSON.stringify(change(JSON.parse(line) as AuditEntry));
    // seq 3 (synced): the method changed, hash left as it was; seq 8 (unsynced): the same; seq 9 deleted.
    const tampered = lines
      .map((line, i) => (i === 2 || i === 7 ? edit(line, (e) => ({ ...e, details: { method: 'post' === (e.details as { method: string }).method ? 'counter' : 'post' } }) as AuditEntry) : line))
      .filter((_, i) => i !== 8);
    await c.rewrite(tampered);

    const failure = await c.sync().then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(AttemptFailure);
    expect((failure as AttemptFailure).error).toMatchObject({ code: 'AUDIT_CHAIN_BROKEN', details: { seq: 3, reason: 'edited-after-sync' } });

    const state = await stateOf(c.deviceId);
    expect(state.breaks.map(({ seq, reason }) => ({ seq, reason }))).toEqual([
      { seq: 3, reason: 'edited-after-sync' },
      { seq: 8, reason: 'hash-mismatch' },
      { seq: 9, reason: 'missing' },
    ]);
    // The intact entry 7 after the synced part is kept; nothing after the first new break is.
    expect(state.head?.seq).toBe(7);
    const all = (await adminCall(central, 'GET', pathFor('adminAuditBreaks'))).body as { breaks: { deviceId: string }[] };
    expect(all.breaks.filter((b) => b.deviceId === c.deviceId)).toHaveLength(3);

    // The counter sends the same lines again at its next pass: the breaks are not recorded twice.
    await expect(c.sync()).rejects.toBeInstanceOf(AttemptFailure);
    expect((await stateOf(c.deviceId)).breaks).toHaveLength(3);

    // IT's check: the file alone, and the file against the central's copy.
    const verified = await auditVerify(['--file', c.log.file, '--central', central.url, '--device', c.deviceId]);
    expect(verified.code).toBe(1);
    expect(verified.report).toMatchObject({
      file: { ok: false, break: { seq: 3, reason: 'hash-mismatch' } },
      central: { ok: false, lastSeq: 7 },
      comparison: { ok: false, firstDifference: { seq: 3, reason: 'edited-after-sync' } },
    });
  });

  it('detects synced entries rewritten with every hash recomputed (the file alone verifies), from the first one rewritten', async () => {
    const c = await counter('rehashed', 3);
    for (let n = 1; n <= 4; n++) await c.record(returned(n));
    await c.sync();
    const lines = await c.lines();
    // The whole file rewritten consistently from seq 2 on: the file alone verifies…
    const rewritten: string[] = [lines[0] ?? ''];
    let prev = (JSON.parse(lines[0] ?? '') as AuditEntry).hash;
    for (const line of lines.slice(1)) {
      const e = JSON.parse(line) as AuditEntry;
      const changed = { ...e, at: '2026-01-01T00:00:00.000Z', prevHash: prev } as AuditEntry;
      const hashed = { ...changed, hash: auditEntryHash(changed) } as AuditEntry;
      prev = hashed.hash;
      rewritten.push(JSON.stringify(hashed));
    }
    await c.rewrite(rewritten);
    // Done while the app was closed: main continues the chain from the rewritten file.
    c.reopen();
    await c.record(returned(5));
    // …but main sees the entry the central confirmed is no longer as it was, and sends the whole log again: the
    // central, which holds the originals, finds the first rewritten entry — and the new one's broken link.
    await expect(c.sync()).rejects.toMatchObject({ error: { code: 'AUDIT_CHAIN_BROKEN', details: { seq: 2, reason: 'edited-after-sync' } } });
    expect((await stateOf(c.deviceId)).breaks.map(({ seq, reason }) => ({ seq, reason }))).toEqual([
      { seq: 2, reason: 'edited-after-sync' },
      { seq: 3, reason: 'edited-after-sync' },
      { seq: 4, reason: 'edited-after-sync' },
      { seq: 5, reason: 'prev-hash-mismatch' },
    ]);
  });

  it('refuses an unauthenticated sender and a batch over the cap', async () => {
    const anonymous = await fetch(new URL(pathFor('auditEntries'), central.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ entries: [{}] }) });
    expect(anonymous.status).toBe(401);
    const { credential } = await enrollTestDevice(central, { counterNo: 4 });
    const tooMany = await fetch(new URL(pathFor('auditEntries'), central.url), {
      method: 'POST',
      headers: { authorization: `Bearer ${credential}`, 'content-type': 'application/json' },
      body: JSON.stringify({ entries: Array.from({ length: 501 }, () => ({})) }),
    });
    expect(tooMany.status).toBe(400);
  });
});
