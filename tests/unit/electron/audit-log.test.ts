/**
 * The counter's audit log (issue 17, finding 9): main writes a hash chain; an edit, a deletion or a reorder
 * of a line is found at the right seq; the renderer can only name an action of the enum with its own fields.
 */
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditEntryHash, parseAuditLines, verifyAuditChain, type AuditEntry, type RendererAuditRecord } from '../../../shared/audit/chain';
import type { IpcHandlers } from '../../../shared/ipc/contract';
import { dispatchIpc } from '../../../shared/ipc/dispatch';
import { AuditLog } from '../../../electron/services/audit/audit-log';
import { auditHandlers } from '../../../electron/services/counter-host';

const dossierId = '0b7c4a52-6f3e-4d7f-9b8a-2f4f0f7d2c11';
const accepted = (n: number): RendererAuditRecord => ({ action: 'dossier-accepted', dossierId, dossierCode: `000.00.01.H99-261206-${String(n).padStart(4, '0')}`, details: { procedureCode: '1.001234', files: n } });

let dir: string;
let log: AuditLog;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'motcua-audit-'));
  log = new AuditLog({ dataDir: dir, now: () => new Date('2026-12-06T08:00:00.000Z') });
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function fileLines(): Promise<string[]> {
  return (await readFile(log.file, 'utf8')).split('\n').filter((l) => l.length > 0);
}
async function writeLines(lines: readonly string[]): Promise<void> {
  await writeFile(log.file, lines.map((l) => l + '\n').join(''));
}
async function checkFile() {
  return verifyAuditChain(parseAuditLines(await readFile(log.file, 'utf8')));
}

describe('audit log chain', () => {
  it('appends owner-only, numbered entries whose chain verifies, even when appends race', async () => {
    await Promise.all([1, 2, 3, 4, 5].map((n) => log.record(accepted(n))));
    const entries = (await fileLines()).map((l) => JSON.parse(l) as AuditEntry);
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(entries[1]?.prevHash).toBe(entries[0]?.hash);
    expect(entries[0]?.clerk).toEqual({ kind: 'unidentified' });
    expect(await checkFile()).toMatchObject({ ok: true, count: 5, last: { seq: 5 } });
    expect((await stat(log.file)).mode & 0o777).toBe(0o600);
  });

  it('continues the chain after a restart and cuts an append a power cut tore', async () => {
    await log.record(accepted(1));
    await log.record(accepted(2));
    await writeFile(log.file, (await readFile(log.file, 'utf8')) + '{"seq":3,"at":"2026-12');
    const reopened = new AuditLog({ dataDir: dir });
    expect((await reopened.record(accepted(3))).seq).toBe(3);
    expect(await checkFile()).toMatchObject({ ok: true, count: 3 });
  });

  it('finds an edited entry at its seq (hash mismatch), or at the next seq when the editor recomputed the hash', async () => {
    for (let n = 1; n <= 5; n++) await log.record(accepted(n));
    const lines = await fileLines();
    const edited = JSON.parse(lines[2] ?? '') as AuditEntry & { details: { files: number } };
    edited.details.files = 99;
    await writeLines([...lines.slice(0, 2), JSON.stringify(edited), ...lines.slice(3)]);
    expect(await checkFile()).toEqual({ ok: false, count: 2, break: { seq: 3, reason: 'hash-mismatch' } });

    const rehashed = { ...edited, hash: auditEntryHash(edited) };
    await writeLines([...lines.slice(0, 2), JSON.stringify(rehashed), ...lines.slice(3)]);
    expect(await checkFile()).toEqual({ ok: false, count: 3, break: { seq: 4, reason: 'prev-hash-mismatch' } });
  });

  it('finds a deleted entry (the first missing seq) and a reorder (the misplaced seq)', async () => {
    for (let n = 1; n <= 5; n++) await log.record(accepted(n));
    const lines = await fileLines();
    await writeLines([...lines.slice(0, 3), ...lines.slice(4)]);
    expect(await checkFile()).toMatchObject({ ok: false, break: { seq: 4, reason: 'missing' } });

    await writeLines([lines[0], lines[2], lines[1], lines[3], lines[4]].map(String));
    expect(await checkFile()).toMatchObject({ ok: false, break: { seq: 2, reason: 'missing' } });
    await writeLines([lines[0], lines[1], lines[1], lines[2]].map(String));
    expect(await checkFile()).toMatchObject({ ok: false, break: { seq: 2, reason: 'out-of-order' } });
    await writeLines([lines[0], '{not json', lines[2]].map(String));
    expect(await checkFile()).toMatchObject({ ok: false, break: { seq: 2, reason: 'malformed' } });
  });

  it('offers unsent entries; after a local break, from just before the break (so the central compares them)', async () => {
    for (let n = 1; n <= 6; n++) await log.record(accepted(n));
    await log.acknowledge(4);
    expect((await log.pending(100)).entries.map((e) => (e as AuditEntry).seq)).toEqual([5, 6]);
    // Acknowledgements never move back.
    await log.acknowledge(2);
    expect(await log.sentThrough()).toBe(4);

    const lines = await fileLines();
    const edited = { ...(JSON.parse(lines[2] ?? '') as AuditEntry), at: '2026-12-01T00:00:00.000Z' };
    await writeLines([...lines.slice(0, 2), JSON.stringify(edited), ...lines.slice(3)]);
    const pending = await log.pending(100);
    expect(pending.localCheck).toMatchObject({ ok: false, break: { seq: 3, reason: 'hash-mismatch' } });
    expect(pending.entries.map((e) => (e as AuditEntry).seq)).toEqual([2, 3, 4, 5, 6]);
  });
});

describe('audit log resend after a rewrite', () => {
  it('sends everything again when the last confirmed entry is gone or rewritten, though the file verifies', async () => {
    for (let n = 1; n <= 6; n++) await log.record(accepted(n));
    await log.acknowledge(6);
    const lines = await fileLines();
    // The synced tail cut off, and the chain continued by a restarted main: the file alone is consistent.
    await writeLines(lines.slice(0, 4));
    const restarted = new AuditLog({ dataDir: dir });
    await restarted.record(accepted(7));
    const pending = await restarted.pending(100);
    expect(pending.localCheck).toMatchObject({ ok: true, count: 5 });
    expect(pending.entries.map((e) => (e as AuditEntry).seq)).toEqual([1, 2, 3, 4, 5]);
  });
});

describe('audit IPC channels', () => {
  const call = (channel: string, payload: unknown) => dispatchIpc(auditHandlers(log) as unknown as IpcHandlers, channel, payload, () => undefined);

  it('records a known action with its own fields; main sets seq, time, clerk and hash', async () => {
    expect(await call('audit:record', accepted(1))).toEqual({ ok: true, value: { seq: 1 } });
    expect(await call('audit:record', { action: 'result-returned', dossierId, dossierCode: 'X-1', details: { method: 'post' } })).toEqual({ ok: true, value: { seq: 2 } });
    const [first] = (await fileLines()).map((l) => JSON.parse(l) as AuditEntry);
    expect(first).toMatchObject({ seq: 1, at: '2026-12-06T08:00:00.000Z', action: 'dossier-accepted', clerk: { kind: 'unidentified' } });
  });

  it('refuses unknown actions, main-only actions, extra fields and renderer-chosen seq/hash/clerk/time', async () => {
    const refused = [
      { action: 'dossier-deleted', dossierId, details: {} },
      { action: 'key-unlocked', details: { role: 'personal' } },
      { action: 'config-changed', details: { sha256: '0'.repeat(64) } },
      { ...accepted(1), seq: 1 },
      { ...accepted(1), hash: 'f'.repeat(64) },
      { ...accepted(1), prevHash: '0'.repeat(64) },
      { ...accepted(1), at: '2020-01-01T00:00:00.000Z' },
      { ...accepted(1), clerk: { kind: 'certificate', commonName: 'Someone Else', serial: '01' } },
      { ...accepted(1), details: { procedureCode: '1.001234', files: 1, applicantName: 'Nguyễn Văn A' } },
      { action: 'dossier-refused', details: { procedureCode: '1.1', reason: 'free text could carry personal data' } },
    ];
    for (const payload of refused) expect(await call('audit:record', payload)).toMatchObject({ ok: false, error: { code: 'IPC_BAD_REQUEST' } });
    await expect(readFile(log.file, 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
