// The renderer's half of the dossier spool against main's real spool on a temporary folder, every call
// through the IPC contract's validation (fake-indexeddb stands in for the browser's IndexedDB).
import 'fake-indexeddb/auto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { spoolHandlers } from '../../../electron/services/counter-host';
import { dossierSpoolDirName, openDossierSpool, type DossierSpool } from '../../../electron/services/dossier-spool';
import { CounterDatabase, type StoredDossier } from '../../../renderer/src/db/database';
import { keepSpoolReconciled, queueCounterEventSpooled, reconcileSpool, restoreFromSpool, saveAcceptedDossierSpooled, spoolEntryOf } from '../../../renderer/src/db/dossier-spool';
import { queueCounterEvent } from '../../../renderer/src/db/counter-events';
import type { CounterEvent } from '../../../shared/sync/protocol';
import { sha256Hex } from '../../../shared/util/bytes';
import { saveAcceptedDossier } from '../../../renderer/src/db/dossiers';
import { readFileBytes } from '../../../renderer/src/db/files';
import { importDataKeys } from '../../../renderer/src/db/encryption';
import { createMainClient, type MainClient } from '../../../renderer/src/platform/main-client';
import { perChannel } from '../../../shared/ipc/channels';
import type { IpcHandlers, MotcuaBridge } from '../../../shared/ipc/contract';
import { dispatchIpc } from '../../../shared/ipc/dispatch';
import { saveTestDossier, testDossierWithFiles } from '../../support/counter-dossier';
import { errorCodeOf } from '../../support/app-error';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

function openDb(): CounterDatabase {
  const db = new CounterDatabase(`motcua-test-${crypto.randomUUID()}`);
  cleanups.push(() => db.delete());
  return db;
}

async function spoolMain(dataDir?: string): Promise<{ main: MainClient; spool: DossierSpool; dir: string }> {
  const dir = dataDir ?? (await mkdtemp(path.join(os.tmpdir(), 'motcua-spool-')));
  if (!dataDir) cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const spool = openDossierSpool(dir);
  const handlers = spoolHandlers(spool) as unknown as IpcHandlers;
  const bridge = perChannel((channel) => (request: unknown) => dispatchIpc(handlers, channel, request, () => undefined)) as MotcuaBridge;
  return { main: createMainClient(bridge), spool, dir };
}

const pdf = (seed: number, size = 90_000): Uint8Array => Uint8Array.from({ length: size }, (_, i) => (i * 13 + seed * 11) % 253);


describe('the dossier spool seen from the renderer', () => {
  it('gives a replaced database back the accepted dossiers the central had not confirmed, byte for byte', async () => {
    const { main } = await spoolMain();
    const lost = openDb();
    const saved = [];
    for (let n = 1; n <= 3; n++) {
      const { dossier, files } = testDossierWithFiles(n, [pdf(n), pdf(n + 50, 3000)]);
      await saveAcceptedDossierSpooled(lost, main, dossier, files, { chunkSize: 32 * 1024 });
      saved.push({ dossier, files });
    }
    const [first, second, third] = saved.map((s) => s.dossier);
    if (!first || !second || !third) throw new Error('three dossiers');
    // The central acknowledged the first: the next reconcile releases main's copy (personal data).
    await lost.outbox.update(first.id, { state: 'acknowledged' });
    expect(await reconcileSpool(lost, main)).toMatchObject({ released: 1, committed: 0, discarded: 0, copied: 0, copiesLeft: 0, problems: [] });
    expect((await main.call('spool:list', {})).entries.map((e) => e.dossierId).sort()).toEqual([second.id, third.id].sort());

    // The browser hands the app an empty database.
    const fresh = openDb();
    const restore = await restoreFromSpool(fresh, main);
    expect(restore).toEqual({ restored: expect.arrayContaining([second.code, third.code]) as unknown, restoredEvents: 0, damaged: [], unconfirmed: 0 });
    expect(restore.restored).toHaveLength(2);
    expect((await fresh.outbox.toArray()).map((r) => [r.dossierId, r.state]).sort()).toEqual([[second.id, 'waiting'], [third.id, 'waiting']].sort());
    for (const { dossier, files } of saved.slice(1)) {
      expect(await fresh.dossiers.get(dossier.id)).toEqual(dossier);
      for (const f of files) expect(Buffer.from(await readFileBytes(fresh, f.meta.id)).equals(Buffer.from(f.bytes))).toBe(true);
    }
    // Restoring twice adds nothing.
    expect((await restoreFromSpool(fresh, main)).restored).toEqual([]);
    expect(await fresh.dossiers.count()).toBe(2);
  });

  it('keeps no copy of a save that failed, and saves nothing when main cannot keep a copy', async () => {
    const { main } = await spoolMain();
    const db = openDb();
    const { dossier, files } = testDossierWithFiles(4, [pdf(4)]);
    // The completion record it names does not exist: the database transaction fails.
    expect(await errorCodeOf(saveAcceptedDossierSpooled(db, main, dossier, files, { pendingId: 'no-such-pending' }))).toBe('DOSSIER_INVALID');
    expect((await main.call('spool:list', {})).entries).toEqual([]);
    expect(await db.dossiers.count()).toBe(0);

    const blockedDir = await mkdtemp(path.join(os.tmpdir(), 'motcua-spool-blocked-'));
    cleanups.push(() => rm(blockedDir, { recursive: true, force: true }));
    await writeFile(path.join(blockedDir, 'data'), '');
    const blocked = await spoolMain(path.join(blockedDir, 'data'));
    const other = testDossierWithFiles(5, [pdf(5)]);
    expect(await errorCodeOf(saveAcceptedDossierSpooled(db, blocked.main, other.dossier, other.files))).toBe('SPOOL_FAILED');
    expect(await db.dossiers.count()).toBe(0);
  });

  it('reconciles: copies unsent dossiers saved without one, commits saved ones, discards only stale failed ones', async () => {
    const { main, spool, dir } = await spoolMain();
    const db = openDb();
    // Saved before the spool existed (an upgraded counter): reconcile makes its copy.
    const old = await saveTestDossier(db, 6, [pdf(6)]);
    // Saved, but the commit mark never reached main (the app died in between).
    const uncommitted = testDossierWithFiles(7, [pdf(7)]);
    await spool.prepare(spoolEntryOf(uncommitted.dossier, uncommitted.files));
    await saveAcceptedDossier(db, uncommitted.dossier, uncommitted.files);
    // Prepared and never saved: an acceptance that failed an hour ago, and one that may still be running.
    const stale = testDossierWithFiles(8, [pdf(8)], { createdAt: new Date(Date.now() - 3_600_000).toISOString() });
    const recent = testDossierWithFiles(9, [pdf(9)], { createdAt: new Date().toISOString() });
    await spool.prepare(spoolEntryOf(stale.dossier, stale.files));
    await spool.prepare(spoolEntryOf(recent.dossier, recent.files));

    const result = await reconcileSpool(db, main);
    expect(result).toEqual({ committed: 1, discarded: 1, released: 0, copied: 1, copiesLeft: 0, problems: [] });
    const states = Object.fromEntries((await spool.list()).map((e) => [e.dossierId, e.state]));
    expect(states).toEqual({ [old.dossier.id]: 'committed', [uncommitted.dossier.id]: 'committed', [recent.dossier.id]: 'prepared' });

    // A copy main cannot read is reported, never released or restored over.
    await writeFile(path.join(dir, dossierSpoolDirName, old.dossier.id, 'dossier.json'), 'not json');
    const again = await reconcileSpool(db, main);
    expect(again.problems).toHaveLength(1);
    const fresh = openDb();
    const restore = await restoreFromSpool(fresh, main);
    expect(restore).toEqual({ restored: [uncommitted.dossier.code], restoredEvents: 0, damaged: [old.dossier.id], unconfirmed: 1 });
  });

  it('copies a long backlog saved before the spool a few dossiers per pass', async () => {
    const { main } = await spoolMain();
    const db = openDb();
    for (let n = 1; n <= 3; n++) await saveTestDossier(db, 20 + n, [pdf(20 + n, 2000)]);
    expect(await reconcileSpool(db, main, { copyLimit: 2 })).toMatchObject({ copied: 2, copiesLeft: 1 });
    expect(await reconcileSpool(db, main, { copyLimit: 2 })).toMatchObject({ copied: 1, copiesLeft: 0 });
    const listed = (await main.call('spool:list', {})).entries;
    expect(listed.map((e) => e.state)).toEqual(['committed', 'committed', 'committed']);
    expect(new Set(listed.map((e) => e.dossierId))).toEqual(new Set(await db.dossiers.toCollection().primaryKeys()));
  });

  it('keeps desk events too: a return and a supplement with its file come back after a reset, once', async () => {
    const { main } = await spoolMain();
    const lost = openDb();
    const { dossier, files } = testDossierWithFiles(30, [pdf(30)]);
    await saveAcceptedDossierSpooled(lost, main, dossier, files);
    // The central acknowledged the dossier long ago: its copy is released; its record will be gone with the database.
    await lost.outbox.update(dossier.id, { state: 'acknowledged' });
    await lost.dossierState.update(dossier.id, { status: 5 });
    const extra = pdf(31, 4000);
    const supplementFile = { meta: { id: crypto.randomUUID(), dossierId: dossier.id, componentCode: 'BS1', name: 'bo-sung.pdf', mediaType: 'application/pdf' as const, size: extra.length, sha256: sha256Hex(extra), pageCount: 1 }, bytes: extra };
    const supplement: CounterEvent = {
      kind: 'supplement-received',
      eventId: crypto.randomUUID(),
      at: '2026-11-25T09:00:00+07:00',
      clerk: 'Trần Văn Bình',
      files: [{ componentCode: 'BS1', name: 'bo-sung.pdf', mediaType: 'application/pdf', size: extra.length, sha256: sha256Hex(extra), uploadUrl: 'pending', pageCount: 1, revocationEvidence: [] }],
      newAppointmentAt: '2026-11-27T09:00:00+07:00',
    };
    await queueCounterEventSpooled(lost, main, dossier.id, supplement, (st) => ({ ...st, status: 4 }), { files: [supplementFile] });
    const returned: CounterEvent = { kind: 'result-returned', eventId: crypto.randomUUID(), at: '2026-11-28T09:00:00+07:00', clerk: 'Trần Văn Bình', receivedBy: 'Lê Văn Cường', method: 'counter' };
    await queueCounterEventSpooled(lost, main, dossier.id, returned, (st) => ({ ...st, status: 10 }));
    expect(await reconcileSpool(lost, main)).toMatchObject({ released: 1, copied: 0, problems: [] });
    const listed = (await main.call('spool:list', {})).entries;
    expect(listed.map((e) => [e.kind, e.code, e.state]).sort()).toEqual([
      ['event', 'result-returned', 'committed'],
      ['event', 'supplement-received', 'committed'],
    ]);

    const fresh = openDb();
    const restore = await restoreFromSpool(fresh, main);
    expect(restore).toEqual({ restored: [], restoredEvents: 2, damaged: [], unconfirmed: 0 });
    const rows = (await fresh.counterEvents.toArray()).sort((a, b) => a.queuedAt.localeCompare(b.queuedAt));
    expect(rows.map((r) => [r.eventId, r.state, r.dossierId])).toEqual([
      [supplement.eventId, 'waiting', dossier.id],
      [returned.eventId, 'waiting', dossier.id],
    ]);
    const [file] = await fresh.files.where('dossierId').equals(dossier.id).toArray();
    expect(file?.sha256).toBe(sha256Hex(extra));
    expect(Buffer.from(await readFileBytes(fresh, file?.id ?? '')).equals(Buffer.from(extra))).toBe(true);
    expect((await restoreFromSpool(fresh, main)).restoredEvents).toBe(0);

    // Once the central acknowledged them, their copies go.
    for (const row of rows) await fresh.counterEvents.update(row.eventId, { state: 'acknowledged' });
    expect(await reconcileSpool(fresh, main)).toMatchObject({ released: 2, problems: [] });
    expect((await main.call('spool:list', {})).entries).toEqual([]);
  });

  it('copies an event queued without the spool, and refuses an event copy with files it does not declare', async () => {
    const { main } = await spoolMain();
    const db = openDb();
    const { dossier, files } = await saveTestDossier(db, 40, [pdf(40)]);
    const apology: CounterEvent = { kind: 'apology-issued', eventId: crypto.randomUUID(), at: '2026-11-26T09:00:00+07:00', clerk: 'Trần Văn Bình', reason: 'Chưa có kết quả thẩm định', newAppointmentAt: '2026-11-30T09:00:00+07:00' };
    await queueCounterEvent(db, dossier.id, apology, (st) => st);
    expect(await reconcileSpool(db, main)).toMatchObject({ copied: 2, copiesLeft: 0, problems: [] });
    const kinds = (await main.call('spool:list', {})).entries.map((e) => [e.kind, e.state]).sort();
    expect(kinds).toEqual([
      ['dossier', 'committed'],
      ['event', 'committed'],
    ]);
    expect(await errorCodeOf(main.call('spool:prepare-event', { dossierId: dossier.id, event: apology, files: spoolEntryOf(dossier, files).files }))).toBe('IPC_BAD_REQUEST');
  });

  it('puts back at start what a trusted database lacks (a restore cut short), and says so in the sync log', async () => {
    const { main } = await spoolMain();
    const before = openDb();
    const { dossier, files } = testDossierWithFiles(50, [pdf(50)]);
    await saveAcceptedDossierSpooled(before, main, dossier, files);
    // IT accepted the new database, and the restore never ran (the app was closed in between).
    const after = openDb();
    const stop = keepSpoolReconciled(after, main, 60_000);
    try {
      await expect.poll(async () => (await after.outbox.get(dossier.id))?.state, { timeout: 5_000 }).toBe('waiting');
      await expect.poll(async () => (await after.syncLog.toArray()).filter((e) => e.event === 'spool:restored').map((e) => e.details.dossiers), { timeout: 5_000 }).toEqual([dossier.code]);
    } finally {
      stop();
    }
  });
  it('a pass over more entries than one lookup round (of 5 here), on a sealed database, decides as entry by entry: releases the acknowledged, restores only what is missing', async () => {
    // Issue 20: the passes look the entries up in rounds, by key (no sealed row is opened to learn it is there).
    const { main, spool } = await spoolMain();
    const sealed = new CounterDatabase(`motcua-test-${crypto.randomUUID()}`, undefined, await importDataKeys(crypto.getRandomValues(new Uint8Array(32))), { seal: true });
    cleanups.push(() => sealed.delete());
    const saved: StoredDossier[] = [];
    for (let n = 1; n <= 12; n++) {
      const { dossier, files } = testDossierWithFiles(n, [pdf(n, 64)]);
      await saveAcceptedDossierSpooled(sealed, main, dossier, files);
      saved.push(dossier);
    }
    // Every fifth acknowledged by the central, spread over the rounds.
    const acknowledged = saved.filter((_, i) => i % 5 === 0);
    for (const d of acknowledged) await sealed.outbox.update(d.id, { state: 'acknowledged' });
    // The last one's commit mark never reached main (saved, copy still 'prepared').
    const uncommitted = testDossierWithFiles(600, [pdf(600, 64)]);
    await spool.prepare(spoolEntryOf(uncommitted.dossier, uncommitted.files));
    await saveAcceptedDossier(sealed, uncommitted.dossier, uncommitted.files);

    expect(await restoreFromSpool(sealed, main, { lookupBatch: 5 })).toEqual({ restored: [], restoredEvents: 0, damaged: [], unconfirmed: 1 });
    expect(await reconcileSpool(sealed, main, { lookupBatch: 5 })).toEqual({ committed: 1, discarded: 0, released: acknowledged.length, copied: 0, copiesLeft: 0, problems: [] });
    const listed = await spool.list();
    expect(listed).toHaveLength(13 - acknowledged.length);
    expect(listed.every((e) => e.state === 'committed')).toBe(true);
    expect(new Set(listed.map((e) => e.dossierId))).toEqual(new Set([...saved.filter((_, i) => i % 5 !== 0).map((d) => d.id), uncommitted.dossier.id]));

    // A database that lost two of them gets exactly those two back.
    const lostTwo = [saved[1]!, saved[11]!];
    for (const d of lostTwo) {
      await sealed.transaction('rw', sealed.tables, async () => {
        const fileIds = await sealed.files.where('dossierId').equals(d.id).primaryKeys();
        for (const fileId of fileIds) await sealed.fileChunks.where('[fileId+index]').between([fileId, 0], [fileId, Infinity]).delete();
        for (const table of sealed.tables) if (table.schema.primKey.name === 'dossierId' || table.schema.idxByName['dossierId']) await table.where('dossierId').equals(d.id).delete();
        await sealed.dossiers.delete(d.id);
      });
    }
    const restore = await restoreFromSpool(sealed, main, { lookupBatch: 5 });
    expect(restore.restored.slice().sort()).toEqual(lostTwo.map((d) => d.code).sort());
    expect((await sealed.dossiers.get(saved[11]!.id))?.applicant.fullName).toBe(saved[11]!.applicant.fullName);
  });

  it('holds its first pass until told to (the app: after the first screen), then restores what is missing', async () => {
    const { main } = await spoolMain();
    const before = openDb();
    const { dossier, files } = testDossierWithFiles(70, [pdf(70)]);
    await saveAcceptedDossierSpooled(before, main, dossier, files);
    const after = openDb();
    let go!: () => void;
    const firstScreenShown = new Promise<void>((resolve) => (go = resolve));
    const stop = keepSpoolReconciled(after, main, 60_000, () => firstScreenShown);
    try {
      // Whatever else runs meanwhile, the pass has not touched the database.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await after.outbox.get(dossier.id)).toBeUndefined();
      expect(await after.syncLog.count()).toBe(0);
      go();
      await expect.poll(async () => (await after.outbox.get(dossier.id))?.state, { timeout: 5_000 }).toBe('waiting');
    } finally {
      stop();
    }
  });
});
