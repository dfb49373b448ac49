// The page workspace's tables (Dexie version 3) and their store functions, on fake-indexeddb.
import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { CounterDatabase } from '../../../renderer/src/db/database';
import { addPages, assignPages, clearWorkspace, deletePages, listPages, movePage, readPageBytes, restorePages, rotatePage } from '../../../renderer/src/features/capture/page-store';
import { rotateOrientation } from '../../../shared/pdf/assemble';
import { dexieAtVersion } from '../../support/old-counter-schema';

const names: string[] = [];
afterEach(async () => {
  for (const name of names.splice(0)) await Dexie.delete(name);
});

const page = (n: number) => ({
  bytes: Uint8Array.from([0xff, 0xd8, 0xff, n]),
  info: { mediaType: 'image/jpeg' as const, dpi: 200, widthPx: 1654, heightPx: 2339, pageCount: 1 },
  origin: { kind: 'sane' as const, deviceId: 'sane:test:0', name: `page-${n}.jpg` },
});

describe('page workspace storage (schema v3)', () => {
  it('upgrades a version 2 database with data in it, keeping it, and adds the empty workspace tables', async () => {
    const name = `motcua-v2-${crypto.randomUUID()}`;
    names.push(name);
    const v2 = dexieAtVersion(name, 2);
    await v2.open();
    await v2.table('syncMeta').put({ key: 'feedCursor', value: 41 });
    v2.close();

    const db = new CounterDatabase(name);
    await db.open();
    expect(db.verno).toBe(10); // the current version: v4 (issue 6), v5 (queue search), v6 (result files, sync indexes), v7 (retention), v8 (leased dossier numbers) and v10 (minimisation) came after the workspace tables
    expect(await db.syncMeta.get('feedCursor')).toEqual({ key: 'feedCursor', value: 41 });
    expect(await db.capturePages.count()).toBe(0);
    db.close();
  });

  it('keeps pages across a reopen, in order; edits change metadata only; a rescan takes the old place', async () => {
    const name = `motcua-ws-${crypto.randomUUID()}`;
    names.push(name);
    let db = new CounterDatabase(name);
    const rows = await addPages(db, [page(1), page(2), page(3), page(4)]);
    db.close();
    db = new CounterDatabase(name); // the "restart"
    expect((await listPages(db)).map((p) => p.name)).toEqual(['page-1.jpg', 'page-2.jpg', 'page-3.jpg', 'page-4.jpg']);
    const [a, b, c, d] = rows.map((r) => r.id);
    if (!a || !b || !c || !d) throw new Error('rows');
    await assignPages(db, [a, b], 'KS-01');
    await rotatePage(db, b, 90);
    await rotatePage(db, b, 90);
    await rotatePage(db, a, -90);
    await movePage(db, d, b);
    const removed = await deletePages(db, [c]);
    expect(removed.rows.map((r) => r.id)).toEqual([c]);
    expect(removed.bytes).toHaveLength(1);
    const now = await listPages(db);
    expect(now.map((p) => [p.name, p.componentCode, p.rotation])).toEqual([
      ['page-1.jpg', 'KS-01', 270],
      ['page-4.jpg', null, 0],
      ['page-2.jpg', 'KS-01', 180],
    ]);
    expect(await db.capturePageBytes.get(c)).toBeUndefined();
    // Undo puts it back in its place with its bytes; deleting it again leaves the same three.
    await restorePages(db, removed);
    expect((await listPages(db)).map((p) => p.name)).toEqual(['page-1.jpg', 'page-4.jpg', 'page-2.jpg', 'page-3.jpg']);
    expect(Array.from(await readPageBytes(db, c))).toEqual([0xff, 0xd8, 0xff, 3]);
    await deletePages(db, [c]);
    const [rescanned] = await addPages(db, [page(9)], { replacePageId: b });
    expect((await listPages(db)).map((p) => [p.name, p.componentCode])).toEqual([
      ['page-1.jpg', 'KS-01'],
      ['page-4.jpg', null],
      ['page-9.jpg', 'KS-01'],
    ]);
    expect(Array.from(await readPageBytes(db, rescanned?.id ?? ''))).toEqual([0xff, 0xd8, 0xff, 9]);
    await clearWorkspace(db);
    expect(await db.capturePages.count()).toBe(0);
    expect(await db.capturePageBytes.count()).toBe(0);
    db.close();
  });
});

describe('rotation composed with EXIF orientation', () => {
  it('turns upright and mirrored orientations a quarter at a time', () => {
    expect([0, 90, 180, 270].map((t) => rotateOrientation(1, t as 0 | 90 | 180 | 270))).toEqual([1, 6, 3, 8]);
    expect(rotateOrientation(6, 90)).toBe(3);
    expect(rotateOrientation(8, 90)).toBe(1);
    expect([0, 90, 180, 270].map((t) => rotateOrientation(2, t as 0 | 90 | 180 | 270))).toEqual([2, 7, 4, 5]);
  });
});
