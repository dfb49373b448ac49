// Stopping a dossier at the counter (Decree 118/2025 Art. 21) against fake-indexeddb and main's real spool on
// a temporary folder: the notice (Mẫu 05, 2025 set), the state (status 8), the queued event and the printed
// copy land together; a second stop — even from a screen still showing the old state — is refused inside the
// transaction; a returned dossier cannot be stopped; the board then counts the dossier neither late nor pending.
import 'fake-indexeddb/auto';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { spoolHandlers } from '../../../electron/services/counter-host';
import { openDossierSpool } from '../../../electron/services/dossier-spool';
import { loadTrackedDossiers } from '../../../renderer/src/features/board/board-data';
import { registerEntries } from '../../../renderer/src/features/board/reports';
import { stopDossier } from '../../../renderer/src/features/desk/stop-dossier';
import { CounterDatabase } from '../../../renderer/src/db/database';
import { saveAcceptedDossier } from '../../../renderer/src/db/dossiers';
import { createMainClient, type MainClient } from '../../../renderer/src/platform/main-client';
import { computeIndicators } from '../../../shared/domain/indicators';
import { LEGAL_BASIS_2025 } from '../../../shared/domain/legal-basis';
import { perChannel } from '../../../shared/ipc/channels';
import type { IpcHandlers, MotcuaBridge } from '../../../shared/ipc/contract';
import { dispatchIpc } from '../../../shared/ipc/dispatch';
import { FONT_ASSET_DIR, fontFiles, type FormFonts } from '../../../shared/pdf/fonts';
import { errorCodeOf } from '../../support/app-error';
import { testDossierWithFiles } from '../../support/counter-dossier';

const run = promisify(execFile);
const repoRoot = path.join(import.meta.dirname, '..', '..', '..');

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

function openDb(): CounterDatabase {
  const db = new CounterDatabase(`motcua-test-${crypto.randomUUID()}`);
  cleanups.push(() => db.delete());
  return db;
}

async function spoolMain(): Promise<MainClient> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'motcua-spool-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const handlers = spoolHandlers(openDossierSpool(dir)) as unknown as IpcHandlers;
  const bridge = perChannel((channel) => (request: unknown) => dispatchIpc(handlers, channel, request, () => undefined)) as MotcuaBridge;
  return createMainClient(bridge);
}

async function fonts(): Promise<FormFonts> {
  return {
    regular: new Uint8Array(await readFile(path.join(repoRoot, FONT_ASSET_DIR, fontFiles.regular))),
    bold: new Uint8Array(await readFile(path.join(repoRoot, FONT_ASSET_DIR, fontFiles.bold))),
  };
}

async function pdfText(pdf: Uint8Array): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'motcua-stop-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'notice.pdf');
  await writeFile(file, pdf);
  return (await run('pdftotext', ['-layout', file, '-'])).stdout.replace(/\s+/g, ' ');
}

const unit = { unitName: 'Trung tâm Phục vụ hành chính công xã Thử Nghiệm', place: 'Xã Thử Nghiệm' };
const pdf = Uint8Array.from({ length: 2000 }, (_, i) => (i * 7) % 251);

async function saved(db: CounterDatabase, n: number, legalBasis?: typeof LEGAL_BASIS_2025) {
  const { dossier, files } = testDossierWithFiles(n, [pdf]);
  const stored = legalBasis ? { ...dossier, legalBasis } : dossier;
  await saveAcceptedDossier(db, stored, files);
  const state = await db.dossierState.get(stored.id);
  if (!state) throw new Error('state');
  return { dossier: stored, state };
}

describe('stopping a dossier at the counter', () => {
  it('prints Mẫu 05, sets status 8 and queues one dossier-stopped event with the printed copy, all at once', async () => {
    const db = openDb();
    const main = await spoolMain();
    const { dossier, state } = await saved(db, 1, LEGAL_BASIS_2025);
    const now = new Date('2026-11-25T09:40:00+07:00');
    const result = await stopDossier(
      { db, main, fonts },
      { dossier, state, requestedAt: new Date('2026-11-25T00:00:00+07:00'), reason: '  Gia đình chuyển về nơi khác ', clerk: 'Lê Văn Đức', unit, decidingAgency: 'UBND xã Thử Nghiệm', now },
    );
    expect(result).toMatchObject({ formId: 'mau05', label: `Mẫu 05 (dừng giải quyết) — ${dossier.code}` });
    const text = await pdfText(result.pdf);
    expect(text).toContain('Mẫu số 05');
    expect(text).toContain('THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ');
    expect(text).toContain('Ngày 25/11/2026, ông (bà) có yêu cầu dừng giải quyết hồ sơ nêu trên với lý do: Gia đình chuyển về nơi khác.');

    expect(await db.dossierState.get(dossier.id)).toMatchObject({ status: 8, stopped: { at: '2026-11-25T09:40:00+07:00', requestedAt: '2026-11-25T00:00:00+07:00', reason: 'Gia đình chuyển về nơi khác' } });
    const events = await db.counterEvents.where('dossierId').equals(dossier.id).toArray();
    expect(events.map((e) => e.event)).toEqual([
      { kind: 'dossier-stopped', eventId: expect.any(String) as string, at: '2026-11-25T09:40:00+07:00', clerk: 'Lê Văn Đức', requestedAt: '2026-11-25T00:00:00+07:00', reason: 'Gia đình chuyển về nơi khác' },
    ]);
    const printed = await db.printedForms.where('dossierId').equals(dossier.id).toArray();
    expect(printed.map((p) => [p.formId, p.label, Buffer.from(p.pdf ?? new Uint8Array()).equals(Buffer.from(result.pdf))])).toEqual([['mau05', result.label, true]]);
  });

  it('refuses a second stop from a screen still showing the old state, and stores nothing more', async () => {
    const db = openDb();
    const main = await spoolMain();
    const { dossier, state } = await saved(db, 2);
    const request = { dossier, state, requestedAt: new Date('2026-11-24T10:00:00+07:00'), reason: 'Không cần nữa', clerk: 'Quầy 1', unit, now: new Date('2026-11-24T10:05:00+07:00') };
    await stopDossier({ db, main, fonts }, request);
    // `state` is the one read before the first stop: only the check inside the transaction can catch it.
    expect(await errorCodeOf(stopDossier({ db, main, fonts }, request))).toBe('DOSSIER_ALREADY_STOPPED');
    const current = await db.dossierState.get(dossier.id);
    if (!current) throw new Error('state');
    expect(await errorCodeOf(stopDossier({ db, main, fonts }, { ...request, state: current }))).toBe('DOSSIER_ALREADY_STOPPED');
    expect(await db.counterEvents.where('dossierId').equals(dossier.id).count()).toBe(1);
    expect(await db.printedForms.where('dossierId').equals(dossier.id).count()).toBe(1);
  });

  it('refuses to stop a returned dossier or one without a reason', async () => {
    const db = openDb();
    const main = await spoolMain();
    const { dossier, state } = await saved(db, 3);
    const returned = { ...state, status: 10 as const, returned: { at: '2026-11-25T10:00:00+07:00', receivedBy: 'Lê Văn Cường 3', method: 'counter' as const } };
    await db.dossierState.put(returned);
    const base = { dossier, requestedAt: new Date('2026-11-25T11:00:00+07:00'), reason: 'Không cần nữa', clerk: 'Quầy 1', unit, now: new Date('2026-11-25T11:00:00+07:00') };
    expect(await errorCodeOf(stopDossier({ db, main, fonts }, { ...base, state: returned }))).toBe('DOSSIER_STOP_NOT_ALLOWED');
    // A stale screen (still "received") does not get past the check in the transaction either.
    expect(await errorCodeOf(stopDossier({ db, main, fonts }, { ...base, state }))).toBe('DOSSIER_STOP_NOT_ALLOWED');
    const { dossier: other, state: open } = await saved(db, 4);
    expect(await errorCodeOf(stopDossier({ db, main, fonts }, { ...base, dossier: other, state: open, reason: '   ' }))).toBe('DOSSIER_INVALID');
    expect(await db.counterEvents.count()).toBe(0);
  });

  it('counts a stopped dossier as received, not late or pending, even past its appointment; the register notes it', async () => {
    const db = openDb();
    const main = await spoolMain();
    const { dossier, state } = await saved(db, 5);
    await saved(db, 6);
    await stopDossier({ db, main, fonts }, { dossier, state, requestedAt: new Date('2026-11-24T08:00:00+07:00'), reason: 'Không cần nữa', clerk: 'Quầy 1', unit, now: new Date('2026-11-24T08:30:00+07:00') });
    const tracked = await loadTrackedDossiers(db);
    // A week after both appointments (26/11): the open one is late, the stopped one is not counted.
    const [total] = computeIndicators(
      tracked.map((d) => d.indicator),
      'day',
      new Date('2026-12-03T09:00:00+07:00'),
    ).slice(-1);
    expect(total).toMatchObject({ received: 2, onTime: 0, late: 1, pending: 0 });
    const entry = registerEntries(tracked, 'UBND xã Thử Nghiệm').find((e) => e.dossierCode === dossier.code);
    expect(entry?.note).toBe('Dừng giải quyết theo yêu cầu (24/11/2026)');
  });
});
