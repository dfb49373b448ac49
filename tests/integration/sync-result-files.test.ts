// Result documents (status 9) fetched ahead of time by the sync engine (renderer code in Node over
// fake-indexeddb) from a REAL central process: download with the device credential, size + SHA-256 check,
// a served file that differs from what the central declared (refused, never stored, error in Vietnamese in
// the log), a 500 and a central that is down (waiting, retried with backoff), and the purge once the
// central acknowledged the return (status 10).
import 'fake-indexeddb/auto';
import { randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { CounterDatabase } from '../../renderer/src/db/database';
import type { ResultFileRow, StoredDossier } from '../../renderer/src/db/database';
import { queueCounterEvent } from '../../renderer/src/db/counter-events';
import { dueResultFiles, readResultFile } from '../../renderer/src/db/result-files';
import { createSyncEngine } from '../../renderer/src/sync/engine';
import type { SyncEngine } from '../../renderer/src/sync/engine';
import type { DossierId } from '../../shared/domain/dossier';
import type { ErrorCode } from '../../shared/errors';
import { describeError } from '../../shared/i18n/error-messages';
import { sha256Hex, toBase64 } from '../../shared/util/bytes';
import { backOfficeStatus, makePdf, makeSignedPdf, ownDeviceCounter, startCentralProcess } from '../support/central-process';
import { saveTestDossier } from '../support/counter-dossier';
import type { CentralProcess } from '../support/central-process';
import { pathFor } from '../../shared/sync/api-contract';

let central: CentralProcess;
let dossierPdf: Uint8Array;
let resultPdf: Uint8Array;
let secondResultPdf: Uint8Array;
let seq = 0;
const engines: SyncEngine[] = [];
const dbs: CounterDatabase[] = [];

beforeAll(async () => {
  [central, dossierPdf, resultPdf, secondResultPdf] = await Promise.all([
    startCentralProcess({ args: ['--fault-control'] }),
    makeSignedPdf({ paddingBytes: 10_000, text: 'To khai' }),
    makePdf({ paddingBytes: 150_000, text: 'Giay khai sinh (ban chinh)' }),
    makePdf({ paddingBytes: 20_000, text: 'Trich luc khai sinh' }),
  ]);
});

afterEach(async () => {
  for (const engine of engines.splice(0)) await engine.stop();
  for (const db of dbs.splice(0)) await db.delete();
});

afterAll(async () => {
  await central?.stop();
});

function openDb(): CounterDatabase {
  const db = new CounterDatabase(`motcua-results-${randomUUID()}`);
  dbs.push(db);
  return db;
}

function engineFor(db: CounterDatabase): SyncEngine {
  const engine = createSyncEngine({ db, centralUrl: central.url, credential: () => central.credential, backoff: { baseMs: 100, maxMs: 1_000 }, pollIntervalMs: 300, probeTimeoutMs: 2_000, requestTimeoutMs: 10_000 });
  engines.push(engine);
  return engine;
}

async function acceptedDossier(db: CounterDatabase): Promise<StoredDossier> {
  seq++;
  // A number of the test device's own old-scheme block (counter 9), so the central keeps the code.
  return (await saveTestDossier(db, (ownDeviceCounter - 1) * 1000 + seq, [dossierPdf], { fullName: 'Lê Văn Cường', createdAt: new Date().toISOString() })).dossier;
}

const setStatus = (id: string, body: Record<string, unknown>) => backOfficeStatus(central, id, body);
const setFaults = (plan: Record<string, number>) => fetch(new URL(pathFor('testSetFaults'), central.url), { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(plan) });

/** Sends the dossier and has the back office finish it (4 → 9) with the given result PDFs. */
async function resultReady(db: CounterDatabase, engine: SyncEngine, results: { name: string; bytes: Uint8Array }[]): Promise<StoredDossier> {
  const dossier = await acceptedDossier(db);
  await engine.syncNow();
  expect((await db.outbox.get(dossier.id))?.state).toBe('acknowledged');
  expect((await setStatus(dossier.id, { status: 4 })).status).toBe(201);
  const answer = await setStatus(dossier.id, { status: 9, note: 'Đã ký giấy khai sinh', resultFiles: results.map((r) => ({ name: r.name, contentBase64: toBase64(r.bytes) })) });
  expect(answer.status).toBe(201);
  return dossier;
}

async function rowsOf(db: CounterDatabase, id: DossierId): Promise<ResultFileRow[]> {
  return db.resultFiles.where('dossierId').equals(id).sortBy('name');
}

async function chunkCount(db: CounterDatabase, id: DossierId): Promise<number> {
  return db.resultFileChunks.filter((c) => c.dossierId === id).count();
}

describe('result documents from a real central', () => {
  it('downloads and verifies every result file of status 9, then purges them once the return is acknowledged', async () => {
    const db = openDb();
    const engine = engineFor(db);
    const dossier = await resultReady(db, engine, [
      { name: 'giay-khai-sinh.pdf', bytes: resultPdf },
      { name: 'trich-luc.pdf', bytes: secondResultPdf },
    ]);
    await engine.syncNow();

    expect((await db.dossierState.get(dossier.id))?.status).toBe(9);
    const rows = await rowsOf(db, dossier.id);
    expect(rows.map((r) => [r.name, r.state, r.size, r.sha256])).toEqual([
      ['giay-khai-sinh.pdf', 'downloaded', resultPdf.byteLength, sha256Hex(resultPdf)],
      ['trich-luc.pdf', 'downloaded', secondResultPdf.byteLength, sha256Hex(secondResultPdf)],
    ]);
    expect(await readResultFile(db, dossier.id, sha256Hex(resultPdf))).toEqual(resultPdf);
    expect(await readResultFile(db, dossier.id, sha256Hex(secondResultPdf))).toEqual(secondResultPdf);
    const log = await db.syncLog.where('dossierId').equals(dossier.id).toArray();
    expect(log.filter((e) => e.event === 'result:downloaded').map((e) => e.details.name).sort()).toEqual(['giay-khai-sinh.pdf', 'trich-luc.pdf']);

    // Returned at the desk: still on the counter until the central acknowledges the return.
    const at = new Date().toISOString();
    await queueCounterEvent(db, dossier.id, { kind: 'result-returned', eventId: randomUUID(), at, clerk: 'Trần Văn Bình', receivedBy: 'Lê Văn Cường', method: 'counter' }, (s) => ({ ...s, status: 10, returned: { at, receivedBy: 'Lê Văn Cường', method: 'counter' } }));
    expect(await rowsOf(db, dossier.id)).toHaveLength(2);
    await engine.syncNow();
    const event = (await db.counterEvents.where('dossierId').equals(dossier.id).toArray())[0];
    expect(event?.state).toBe('acknowledged');
    expect(await rowsOf(db, dossier.id)).toEqual([]);
    expect(await chunkCount(db, dossier.id)).toBe(0);
    expect(await db.syncLog.where('dossierId').equals(dossier.id).filter((e) => e.event === 'result:purged').count()).toBe(1);
  });

  it('refuses a served file that differs from the declared SHA-256: never stored, an error in Vietnamese; a later good copy is taken', async () => {
    const db = openDb();
    const engine = engineFor(db);
    const dossier = await resultReady(db, engine, [{ name: 'giay-khai-sinh.pdf', bytes: resultPdf }]);
    // The central's copy is damaged on its disk (same length, one byte changed).
    const stored = path.join(central.dataDir, 'results', `${sha256Hex(resultPdf)}.pdf`);
    const original = await readFile(stored);
    const damaged = Buffer.from(original);
    damaged[damaged.length - 20] = (damaged[damaged.length - 20] ?? 0) ^ 0xff;
    await writeFile(stored, damaged);
    try {
      await engine.syncNow();
      const [row] = await rowsOf(db, dossier.id);
      expect(row).toMatchObject({ state: 'failed', lastError: { code: 'RESULT_FILE_MISMATCH' } });
      expect(await chunkCount(db, dossier.id)).toBe(0);
      await expect(readResultFile(db, dossier.id, sha256Hex(resultPdf))).rejects.toMatchObject({ code: 'STORAGE_DAMAGED' });
      const failed = await db.syncLog.where('dossierId').equals(dossier.id).filter((e) => e.event === 'result:failed').first();
      expect(failed?.level).toBe('error');
      const text = describeError('vi', failed?.details.error as ErrorCode, failed?.details as Record<string, string>);
      expect(text).toContain(`Tệp kết quả "giay-khai-sinh.pdf" của hồ sơ ${dossier.code} tải về không khớp`);
      expect(text).not.toContain('{{');
      // Not retried by the engine's timer (a wrong copy would come again): no unforced pass picks it, even much later...
      expect(await dueResultFiles(db, Date.now() + 3_600_000, false)).toEqual([]);
    } finally {
      await writeFile(stored, original);
    }
    // ... but "Đồng bộ ngay" tries once more, and the repaired copy is stored.
    await engine.syncNow();
    expect((await rowsOf(db, dossier.id))[0]).toMatchObject({ state: 'downloaded' });
    expect(await readResultFile(db, dossier.id, sha256Hex(resultPdf))).toEqual(resultPdf);
  });

  it('keeps a result file waiting through a 500 and while the central is down, and fetches it with backoff afterwards', async () => {
    const db = openDb();
    const engine = engineFor(db);
    const dossier = await resultReady(db, engine, [{ name: 'giay-khai-sinh.pdf', bytes: resultPdf }]);
    expect((await setFaults({ 'result-500': 1 })).status).toBe(200);
    await engine.syncNow();
    const [waiting] = await rowsOf(db, dossier.id);
    expect(waiting).toMatchObject({ state: 'waiting', attempts: 1, lastError: { code: 'CENTRAL_SERVER_ERROR' } });
    expect(waiting?.nextAttemptAt).toBeGreaterThan(Date.now() - 1_000);
    // The engine's own timer retries after the backoff, without "Đồng bộ ngay".
    engine.start();
    await vi.waitFor(async () => expect((await rowsOf(db, dossier.id))[0]?.state).toBe('downloaded'), { timeout: 20_000, interval: 100 });
    expect(await readResultFile(db, dossier.id, sha256Hex(resultPdf))).toEqual(resultPdf);

    // Another result announced while the central cannot serve it; then the link goes down: it waits.
    const later = await resultReady(db, engine, [{ name: 'trich-luc.pdf', bytes: secondResultPdf }]);
    expect((await setFaults({ 'result-500': 1_000 })).status).toBe(200);
    await engine.syncNow();
    expect((await rowsOf(db, later.id))[0]).toMatchObject({ state: 'waiting', lastError: { code: 'CENTRAL_SERVER_ERROR' } });
    await central.kill();
    await engine.syncNow();
    expect(engine.snapshot().connectivity).toBe('offline');
    expect((await rowsOf(db, later.id))[0]).toMatchObject({ state: 'waiting' });
    expect(await chunkCount(db, later.id)).toBe(0);
    // The link is back (a fresh central process: no fault left): the file comes.
    await central.restart();
    await engine.syncNow();
    expect((await rowsOf(db, later.id))[0]).toMatchObject({ state: 'downloaded' });
    expect(await readResultFile(db, later.id, sha256Hex(secondResultPdf))).toEqual(secondResultPdf);
  }, 120_000);
});
