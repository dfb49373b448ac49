// Unit tests of renderer code, run in Node (fake-indexeddb stands in for the browser's IndexedDB).
import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CounterDatabase } from '../../../renderer/src/db/database';
import { schemaV1 } from '../../../renderer/src/db/schema-versions';
import type { StoredDossier } from '../../../renderer/src/db/database';
import { readFileBytes, replaceFileContent, saveAcceptedDossier } from '../../../renderer/src/db/dossiers';
import type { NewFile } from '../../../renderer/src/db/dossiers';
import { readFileRange } from '../../../renderer/src/db/files';
import { queueCounts, queueView, requeueDossier } from '../../../renderer/src/db/queue';
import { toStorageError } from '../../../renderer/src/db/storage-errors';
import { AppError } from '../../../shared/errors';
import { sha256Hex } from '../../../shared/util/bytes';
import { testDossierWithFiles } from '../../support/counter-dossier';
import { dexieAtVersion } from '../../support/old-counter-schema';

const openDbs: CounterDatabase[] = [];

function openDb(): CounterDatabase {
  const db = new CounterDatabase(`motcua-test-${crypto.randomUUID()}`);
  openDbs.push(db);
  return db;
}

afterEach(async () => {
  for (const db of openDbs.splice(0)) await db.delete();
  vi.restoreAllMocks();
});

/** Deterministic, non-repeating bytes (a repeating pattern could hide a chunk put in the wrong place). */
function patternBytes(size: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    bytes[i] = x & 0xff;
  }
  return bytes;
}

function makeDossier(fileSizes: readonly number[], code = '000.00.01.H22-261123-0001'): { dossier: StoredDossier; files: NewFile[] } {
  const pdfs = fileSizes.map((size, i) => patternBytes(size, i + 7));
  return testDossierWithFiles(1, pdfs, { fullName: 'Nguyễn Văn An', createdAt: '2026-11-23T02:15:00.000Z', with: { code } });
}

async function tableSizes(db: CounterDatabase): Promise<Record<string, number>> {
  return {
    dossiers: await db.dossiers.count(),
    files: await db.files.count(),
    fileChunks: await db.fileChunks.count(),
    outbox: await db.outbox.count(),
  };
}

const empty = { dossiers: 0, files: 0, fileChunks: 0, outbox: 0 };

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const err: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe('saveAcceptedDossier / readFileBytes', () => {
  it('reads back byte-identical files across chunk boundaries', async () => {
    const db = openDb();
    const chunkSize = 1000;
    // Shorter than a chunk, exactly two chunks, one byte over, and many chunks.
    const { dossier, files } = makeDossier([1, 999, 2000, 2001, 10_537]);
    await saveAcceptedDossier(db, dossier, files, { chunkSize });

    for (const { meta, bytes } of files) {
      const back = await readFileBytes(db, meta.id);
      expect(back.byteLength).toBe(bytes.byteLength);
      expect(sha256Hex(back)).toBe(meta.sha256);
      expect(back).toEqual(bytes);
    }
    expect(await db.fileChunks.where('[fileId+index]').between([files[4]!.meta.id, 0], [files[4]!.meta.id, Infinity]).count()).toBe(11);

    // Metadata rows carry no bytes.
    const fileRows = await db.files.toArray();
    for (const row of fileRows) expect(Object.values(row).some((v) => v instanceof Uint8Array)).toBe(false);

    const outbox = await db.outbox.get(dossier.id);
    expect(outbox?.state).toBe('waiting');
    expect(outbox?.attempts).toBe(0);
    expect(outbox?.bytesTotal).toBe(1 + 999 + 2000 + 2001 + 10_537);
  });

  it('reads arbitrary ranges that straddle chunks', async () => {
    const db = openDb();
    const { dossier, files } = makeDossier([5000]);
    await saveAcceptedDossier(db, dossier, files, { chunkSize: 1024 });
    const file = await db.files.get(files[0]!.meta.id);
    const bytes = files[0]!.bytes;
    for (const [start, end] of [
      [0, 1],
      [1000, 1100],
      [1023, 1025],
      [0, 5000],
      [4095, 6000],
      [2048, 3072],
    ] as const) {
      expect(await readFileRange(db, file!, start, end)).toEqual(bytes.slice(start, end));
    }
  });

  it('reports a damaged or missing chunk instead of returning wrong bytes', async () => {
    const db = openDb();
    const { dossier, files } = makeDossier([3000]);
    await saveAcceptedDossier(db, dossier, files, { chunkSize: 1000 });
    const fileId = files[0]!.meta.id;

    const chunk = await db.fileChunks.get([fileId, 1]);
    const flipped = chunk!.data.slice();
    flipped[10] = flipped[10]! ^ 0xff;
    await db.fileChunks.put({ ...chunk!, data: flipped });
    const corrupted = await rejection(readFileBytes(db, fileId));
    expect(corrupted.code).toBe('STORAGE_DAMAGED');
    expect(corrupted.details.code).toBe(dossier.code);

    await db.fileChunks.delete([fileId, 2]);
    const missing = await rejection(readFileBytes(db, fileId));
    expect(missing.code).toBe('STORAGE_DAMAGED');
    expect(String(missing.details.issue)).toContain('chunk 2 missing');
  });

  it('maps a QuotaExceededError wrapped in an AbortError to STORAGE_FULL and writes nothing', async () => {
    const db = openDb();
    const { dossier, files } = makeDossier([2500, 4000]);
    let chunksSeen = 0;
    // The fourth chunk write fails the way a full disk fails: the request's QuotaExceededError arrives as
    // the inner error of the transaction's AbortError.
    db.fileChunks.hook('creating', () => {
      chunksSeen++;
      if (chunksSeen === 4) throw new Dexie.AbortError('Transaction aborted', new DOMException('The quota has been exceeded.', 'QuotaExceededError'));
    });
    const err = await rejection(saveAcceptedDossier(db, dossier, files, { chunkSize: 1000 }));
    expect(err.code).toBe('STORAGE_FULL');
    expect(await tableSizes(db)).toEqual(empty);
    expect(await db.syncLog.count()).toBe(0);
  });

  it('maps a table add rejecting with QuotaExceededError to STORAGE_FULL and writes nothing', async () => {
    const db = openDb();
    const { dossier, files } = makeDossier([1500]);
    const quota = new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    vi.spyOn(db.outbox, 'add').mockImplementation(() => Dexie.Promise.reject(new Dexie.AbortError('Transaction aborted', quota)));
    const err = await rejection(saveAcceptedDossier(db, dossier, files, { chunkSize: 1000 }));
    expect(err.code).toBe('STORAGE_FULL');
    expect(await tableSizes(db)).toEqual(empty);
  });

  it('maps other failures to STORAGE_FAILED and leaves the first save intact', async () => {
    const db = openDb();
    const { dossier, files } = makeDossier([1500]);
    await saveAcceptedDossier(db, dossier, files, { chunkSize: 1000 });
    const before = await tableSizes(db);
    // Same dossier id again, with different files: the dossier key collides (ConstraintError).
    const second = makeDossier([700]);
    const clash = {
      dossier: { ...second.dossier, id: dossier.id },
      files: second.files.map((f) => ({ ...f, meta: { ...f.meta, dossierId: dossier.id } })),
    };
    const err = await rejection(saveAcceptedDossier(db, clash.dossier, clash.files, { chunkSize: 1000 }));
    expect(err.code).toBe('STORAGE_FAILED');
    expect(await tableSizes(db)).toEqual(before);
    expect(await readFileBytes(db, files[0]!.meta.id)).toEqual(files[0]!.bytes);
  });

  it('refuses files whose recorded hash does not match their bytes', async () => {
    const db = openDb();
    const { dossier, files } = makeDossier([100]);
    const wrong = [{ ...files[0]!, meta: { ...files[0]!.meta, sha256: '0'.repeat(64) } }];
    const err = await rejection(saveAcceptedDossier(db, dossier, wrong));
    expect(err.code).toBe('DOSSIER_INVALID');
    expect(await tableSizes(db)).toEqual(empty);
  });
});

describe('queue view', () => {
  it('joins dossiers and outbox, newest first, and counts what is left', async () => {
    const db = openDb();
    const older = makeDossier([1200], '000.00.01.H22-261123-0001');
    const newer = makeDossier([800, 300], '000.00.01.H22-261123-0002');
    await saveAcceptedDossier(db, older.dossier, older.files);
    await saveAcceptedDossier(db, { ...newer.dossier, createdAt: '2026-11-23T02:20:00.000Z' }, newer.files);
    await db.outbox.update(older.dossier.id, { state: 'failed', lastError: { code: 'CENTRAL_REJECTED', details: { issue: 'x' } } });

    const items = await queueView(db);
    expect(items.map((i) => i.code)).toEqual(['000.00.01.H22-261123-0002', '000.00.01.H22-261123-0001']);
    expect(items[1]!.lastError?.code).toBe('CENTRAL_REJECTED');
    expect(items[0]!.applicantName).toBe('Nguyễn Văn An');
    expect(await queueCounts(db)).toEqual({ pending: 1, failed: 1, acknowledged: 0, bytesLeft: 1100 });

    expect(await requeueDossier(db, older.dossier.id, new Date('2026-11-23T03:00:00Z'))).toBe(true);
    expect((await db.outbox.get(older.dossier.id))?.state).toBe('waiting');
    expect(await requeueDossier(db, newer.dossier.id, new Date())).toBe(false);
  });
});

describe('schema and migrations', () => {
  it('keeps shipped version 1 exactly as released', async () => {
    // Editing a shipped version is forbidden (docs/storage.md): changes go into a new version(n).
    expect(schemaV1).toEqual({
      dossiers: 'id, createdAt, code',
      files: 'id, dossierId',
      fileChunks: '[fileId+index]',
      outbox: 'dossierId, state, nextAttemptAt, queuedAt',
      sequences: '[unitCode+day+counterNo]',
      syncLog: '++id, at, dossierId',
    });
    const db = openDb();
    await db.open();
    expect(db.verno).toBe(10);
    expect(db.tables.map((t) => t.name).sort()).toEqual([
      'applicants', 'capturePageBytes', 'capturePages', 'codeLeases', 'counterEvents', 'counterPrefs', 'dossierSearch', 'dossierState', 'dossiers', 'fileChunks', 'files', 'outbox', 'pendingDossiers', 'printedForms', 'queueTotals', 'reference', 'resultFileChunks', 'resultFiles', 'sequences', 'statusChanges', 'syncLog', 'syncMeta',
    ]);
  });

  it('upgrades a version 1 database with dossiers in it: each gets an "accepted" state with its appointment', async () => {
    const name = `motcua-test-${crypto.randomUUID()}`;
    const { dossier } = makeDossier([100]);
    const v1 = dexieAtVersion(name, 1);
    await v1.open();
    await v1.table('dossiers').add(dossier);
    v1.close();

    const upgraded = new CounterDatabase(name);
    openDbs.push(upgraded);
    await upgraded.open();
    expect(upgraded.verno).toBe(10);
    expect(await upgraded.dossiers.get(dossier.id)).toEqual(dossier);
    expect(await upgraded.dossierState.get(dossier.id)).toMatchObject({ dossierId: dossier.id, status: 2, appointmentAt: dossier.appointmentAt, supplementRounds: 0 });
  });

  it('leaves the previous version and its data intact when an upgrade fails', async () => {
    const name = `motcua-test-${crypto.randomUUID()}`;
    const current = new CounterDatabase(name);
    const { dossier, files } = makeDossier([2500]);
    await saveAcceptedDossier(current, dossier, files, { chunkSize: 1000 });
    current.close();

    // A future version whose upgrade throws half-way through.
    const broken = dexieAtVersion(name, 10);
    broken
      .version(11)
      .stores({ outbox: 'dossierId, state, nextAttemptAt, queuedAt, [state+queuedAt], [state+nextAttemptAt], updatedAt' })
      .upgrade(async (tx) => {
        await tx.table('outbox').toCollection().modify({ state: 'corrupted' });
        throw new Error('upgrade bug');
      });
    const err = await rejection(broken.open().then(() => undefined, (e: unknown) => Promise.reject(toStorageError(e))));
    expect(err.code).toBe('STORAGE_FAILED');
    broken.close();

    const reopened = new CounterDatabase(name);
    openDbs.push(reopened);
    await reopened.open();
    expect(reopened.verno).toBe(10);
    expect((await reopened.outbox.get(dossier.id))?.state).toBe('waiting');
    expect(await readFileBytes(reopened, files[0]!.meta.id)).toEqual(files[0]!.bytes);
  });
});

describe('replaceFileContent (signature time-stamp added before the first upload)', () => {
  it('swaps the bytes, the hash and the outbox entry together', async () => {
    const db = openDb();
    const { dossier, files } = makeDossier([1000, 2000]);
    await saveAcceptedDossier(db, dossier, files, { chunkSize: 256 });
    const [first] = files;
    if (!first) throw new Error('no file');
    const upgraded = patternBytes(1500, 99);
    expect(await replaceFileContent(db, first.meta.id, upgraded, 'timestamp', { chunkSize: 256 })).toBe(true);
    expect(Array.from(await readFileBytes(db, first.meta.id))).toEqual(Array.from(upgraded));
    const row = await db.outbox.get(dossier.id);
    expect(row?.uploads[first.meta.sha256]).toBeUndefined();
    expect(row?.uploads[sha256Hex(upgraded)]).toEqual({ bytesSent: 0, size: 1500 });
    expect(row?.bytesTotal).toBe(1500 + 2000);
    expect((await db.syncLog.where('dossierId').equals(dossier.id).toArray()).map((e) => e.event)).toContain('file:replaced');
  });

  it('refuses once an upload of the old bytes has started, leaving everything as it was', async () => {
    const db = openDb();
    const { dossier, files } = makeDossier([1000]);
    await saveAcceptedDossier(db, dossier, files);
    const [only] = files;
    if (!only) throw new Error('no file');
    await db.outbox.update(dossier.id, { uploads: { [only.meta.sha256]: { uploadUrl: 'http://central/u/1', bytesSent: 10, size: 1000 } } });
    expect(await replaceFileContent(db, only.meta.id, patternBytes(10, 1), 'timestamp')).toBe(false);
    expect(Array.from(await readFileBytes(db, only.meta.id))).toEqual(Array.from(only.bytes));
  });
});
