// Whose pages the page workspace holds (issue 14): a dossier sent back for completion takes its pages with it,
// gets them back when reopened, and a reopened dossier put back is left as it was. On fake-indexeddb.
import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { CounterDatabase } from '../../../renderer/src/db/database';
import { recordRefusal, requestCompletion } from '../../../renderer/src/db/counter-desk';
import { addPages, listPages } from '../../../renderer/src/features/capture/page-store';
import { draftOwner, pendingWorkspace, releaseDraft, reopenIntoDraft } from '../../../renderer/src/db/workspaces';

const names: string[] = [];
afterEach(async () => {
  for (const name of names.splice(0)) await Dexie.delete(name);
});

async function openDb(): Promise<CounterDatabase> {
  const name = `motcua-workspaces-${crypto.randomUUID()}`;
  names.push(name);
  const db = new CounterDatabase(name);
  await db.open();
  return db;
}

const page = (n: number) => ({
  bytes: Uint8Array.from([0xff, 0xd8, 0xff, n]),
  info: { mediaType: 'image/jpeg' as const, dpi: 200, widthPx: 1654, heightPx: 2339, pageCount: 1 },
  origin: { kind: 'sane' as const, deviceId: 'sane:test:0', name: `page-${n}.jpg` },
});

const an = { fullName: 'Nguyễn Thị An', idNumber: '001190012345', phone: '0912345678', address: 'Thôn Đông' };
const form = { formId: 'mau02' as const, label: 'Mẫu 02', pdf: new Uint8Array([1]), clerk: 'Bình' };

async function sendBack(db: CounterDatabase, pendingId?: string) {
  return requestCompletion(
    db,
    {
      procedure: { code: '1.000656', name: 'Đăng ký khai tử' },
      applicant: an,
      attachments: [],
      items: [{ componentCode: 'KT-02', component: 'Giấy báo tử', copyType: 'original', reason: 'Chưa có' }],
      clerk: 'Bình',
      at: new Date('2026-12-06T02:00:00Z'),
      ...(pendingId ? { pendingId } : {}),
    },
    form,
  );
}

describe('page workspaces of pending dossiers', () => {
  it('a completion request takes the draft’s pages; the next dossier starts empty; reopening brings them back in order', async () => {
    const db = await openDb();
    await addPages(db, [page(1), page(2)], { componentCode: 'KT-01' });
    const pending = await sendBack(db);

    expect(await listPages(db)).toEqual([]);
    const kept = await listPages(db, pendingWorkspace(pending.id));
    expect(kept.map((p) => [p.name, p.componentCode])).toEqual([
      ['page-1.jpg', 'KT-01'],
      ['page-2.jpg', 'KT-01'],
    ]);
    // The bytes stay where they were: only the metadata row changes workspace.
    expect(await db.capturePageBytes.count()).toBe(2);

    expect(await reopenIntoDraft(db, pending.id)).toEqual({ pages: 2 });
    expect((await listPages(db)).map((p) => p.name)).toEqual(['page-1.jpg', 'page-2.jpg']);
    expect(await draftOwner(db)).toBe(pending.id);
    // Reopened again after a restart: the draft is already its own.
    expect(await reopenIntoDraft(db, pending.id)).toEqual({ pages: 2 });
  });

  it('does not reopen into a draft that holds another dossier’s pages', async () => {
    const db = await openDb();
    await addPages(db, [page(1)], { componentCode: 'KT-01' });
    const pending = await sendBack(db);
    await addPages(db, [page(7)], { componentCode: 'KS-01' });

    expect(await reopenIntoDraft(db, pending.id)).toEqual({ draftBusy: 1 });
    expect((await listPages(db)).map((p) => p.name)).toEqual(['page-7.jpg']);
    expect((await listPages(db, pendingWorkspace(pending.id))).map((p) => p.name)).toEqual(['page-1.jpg']);
  });

  it('put back, a reopened dossier gets its pages (and those added meanwhile) and the draft is free', async () => {
    const db = await openDb();
    await addPages(db, [page(1)], { componentCode: 'KT-01' });
    const pending = await sendBack(db);
    await reopenIntoDraft(db, pending.id);
    await addPages(db, [page(2)], { componentCode: 'KT-02' });
    await releaseDraft(db);

    expect(await listPages(db)).toEqual([]);
    expect(await draftOwner(db)).toBeNull();
    expect((await listPages(db, pendingWorkspace(pending.id))).map((p) => p.name)).toEqual(['page-1.jpg', 'page-2.jpg']);
    expect((await db.pendingDossiers.get(pending.id))?.state).toBe('awaiting-completion');
  });

  it('a second completion round keeps the pages with the same dossier; a refusal deletes them', async () => {
    const db = await openDb();
    await addPages(db, [page(1)], { componentCode: 'KT-01' });
    const pending = await sendBack(db);
    await reopenIntoDraft(db, pending.id);
    await sendBack(db, pending.id);
    expect(await draftOwner(db)).toBeNull();
    expect(await listPages(db, pendingWorkspace(pending.id))).toHaveLength(1);

    await reopenIntoDraft(db, pending.id);
    await recordRefusal(db, { procedure: pending.procedure, applicant: an, reason: 'Không thuộc thẩm quyền', clerk: 'Bình', at: new Date(), pendingId: pending.id }, { ...form, formId: 'mau03' });
    expect(await db.capturePages.count()).toBe(0);
    expect(await db.capturePageBytes.count()).toBe(0);
    expect(await draftOwner(db)).toBeNull();
  });
});
