// Sticky-note pairs in the page workspace (Circular 01/2023 Art. 8.2) on fake-indexeddb: the two shots of a
// noted page stay side by side, go to a component together, are deleted (and undone) together.
import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { CounterDatabase } from '../../../renderer/src/db/database';
import { addPages, assignPages, deletePages, listPages, movePage, pairWithNextPage, restorePages, unpairPage } from '../../../renderer/src/features/capture/page-store';
import { countPages } from '../../../shared/domain/digitization';

const names: string[] = [];
afterEach(async () => {
  for (const name of names.splice(0)) await Dexie.delete(name);
});

const page = (n: number) => ({
  bytes: Uint8Array.from([0xff, 0xd8, 0xff, n]),
  info: { mediaType: 'image/jpeg' as const, dpi: 200, widthPx: 1654, heightPx: 2339, pageCount: 1 },
  origin: { kind: 'sane' as const, deviceId: 'sane:test:0', name: `p${n}.jpg` },
});

async function workspaceOf(count: number): Promise<{ db: CounterDatabase; ids: string[] }> {
  const name = `motcua-pairs-${crypto.randomUUID()}`;
  names.push(name);
  const db = new CounterDatabase(name);
  const rows = await addPages(db, Array.from({ length: count }, (_, i) => page(i + 1)), { componentCode: 'KS-01' });
  return { db, ids: rows.map((r) => r.id) };
}

const namesOf = async (db: CounterDatabase) => (await listPages(db)).map((p) => `${p.name}${p.notePair ? `:${p.notePair.shot}` : ''}@${p.componentCode ?? '-'}`);

describe('sticky-note pairs in the workspace', () => {
  it('pairs a page with the next one; the pair counts as one paper page; unpairing counts both again', async () => {
    const { db, ids } = await workspaceOf(4);
    await pairWithNextPage(db, ids[1] ?? '');
    expect(await namesOf(db)).toEqual(['p1.jpg@KS-01', 'p2.jpg:with-note@KS-01', 'p3.jpg:without-note@KS-01', 'p4.jpg@KS-01']);
    expect(countPages(await listPages(db))).toEqual({ images: 4, notePairs: 1, inputPages: 3 });
    await unpairPage(db, ids[2] ?? '');
    expect(countPages(await listPages(db))).toEqual({ images: 4, notePairs: 0, inputPages: 4 });
    db.close();
  });

  it('refuses to pair the last page, or a page already in a pair, with a coded error', async () => {
    const { db, ids } = await workspaceOf(3);
    await expect(pairWithNextPage(db, ids[2] ?? '')).rejects.toMatchObject({ code: 'DIGITIZATION_NOTE_PAIR_INVALID', details: { n: 3 } });
    await pairWithNextPage(db, ids[0] ?? '');
    await expect(pairWithNextPage(db, ids[1] ?? '')).rejects.toMatchObject({ code: 'DIGITIZATION_NOTE_PAIR_INVALID' });
    db.close();
  });

  it('moving either shot moves the pair, the shot with the note first', async () => {
    const { db, ids } = await workspaceOf(5);
    const [p1, p2, p3, p4, p5] = ids;
    await pairWithNextPage(db, p2 ?? '');
    await movePage(db, p3 ?? '', null); // the shot without the note to the end
    expect(await namesOf(db)).toEqual(['p1.jpg@KS-01', 'p4.jpg@KS-01', 'p5.jpg@KS-01', 'p2.jpg:with-note@KS-01', 'p3.jpg:without-note@KS-01']);
    await movePage(db, p2 ?? '', p1 ?? '', 'KS-02'); // to the front, into another component
    expect(await namesOf(db)).toEqual(['p2.jpg:with-note@KS-02', 'p3.jpg:without-note@KS-02', 'p1.jpg@KS-01', 'p4.jpg@KS-01', 'p5.jpg@KS-01']);
    await movePage(db, p4 ?? '', p3 ?? ''); // a page dropped between the two shots goes before the pair
    expect(await namesOf(db)).toEqual(['p4.jpg@KS-01', 'p2.jpg:with-note@KS-02', 'p3.jpg:without-note@KS-02', 'p1.jpg@KS-01', 'p5.jpg@KS-01']);
    await movePage(db, p2 ?? '', p3 ?? ''); // onto its own partner: stays
    await movePage(db, p5 ?? '', p4 ?? '');
    expect(await namesOf(db)).toEqual(['p5.jpg@KS-01', 'p4.jpg@KS-01', 'p2.jpg:with-note@KS-02', 'p3.jpg:without-note@KS-02', 'p1.jpg@KS-01']);
    db.close();
  });

  it('assigning or deleting one shot takes the other; undo brings both back paired', async () => {
    const { db, ids } = await workspaceOf(3);
    await pairWithNextPage(db, ids[0] ?? '');
    await assignPages(db, [ids[1] ?? ''], null);
    expect(await namesOf(db)).toEqual(['p1.jpg:with-note@-', 'p2.jpg:without-note@-', 'p3.jpg@KS-01']);
    const removed = await deletePages(db, [ids[0] ?? '']);
    expect(removed.rows.map((r) => r.name).sort()).toEqual(['p1.jpg', 'p2.jpg']);
    expect(await namesOf(db)).toEqual(['p3.jpg@KS-01']);
    await restorePages(db, removed);
    expect(await namesOf(db)).toEqual(['p1.jpg:with-note@-', 'p2.jpg:without-note@-', 'p3.jpg@KS-01']);
    db.close();
  });

  it('a rescan in place of one shot keeps it in the pair', async () => {
    const { db, ids } = await workspaceOf(2);
    await pairWithNextPage(db, ids[0] ?? '');
    await addPages(db, [page(9)], { replacePageId: ids[1] ?? '' });
    expect(await namesOf(db)).toEqual(['p1.jpg:with-note@KS-01', 'p9.jpg:without-note@KS-01']);
    expect(countPages(await listPages(db)).inputPages).toBe(1);
    db.close();
  });
});
