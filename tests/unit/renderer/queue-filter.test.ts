// The queue screen's filter: by code or applicant name (diacritics and case ignored) and by state.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { CounterDatabase } from '../../../renderer/src/db/database';
import type { StoredDossier } from '../../../renderer/src/db/database';
import { foldText, queueView } from '../../../renderer/src/db/queue';
import { saveTestDossier } from '../../support/counter-dossier';

const dbs: CounterDatabase[] = [];
afterEach(async () => {
  for (const db of dbs.splice(0)) await db.delete();
});

async function save(db: CounterDatabase, n: number, fullName: string): Promise<StoredDossier> {
  const bytes = new TextEncoder().encode(`%PDF-1.7 dossier ${n}`);
  const { dossier } = await saveTestDossier(db, n, [bytes], { fullName, createdAt: new Date(Date.UTC(2026, 10, 23, 2, 0, n)).toISOString() });
  return dossier;
}

describe('queue filter', () => {
  it('finds by code or name without diacritics, by state, newest first', async () => {
    const db = new CounterDatabase(`motcua-filter-${crypto.randomUUID()}`);
    dbs.push(db);
    const a = await save(db, 1, 'Nguyễn Văn Đức');
    const b = await save(db, 2, 'Trần Thị Bình');
    const c = await save(db, 3, 'Nguyễn Thị Hoa');
    await db.outbox.update(b.id, { state: 'failed' });
    expect(foldText('Nguyễn Văn Đức')).toBe('nguyen van duc');
    expect((await queueView(db, 200, { text: 'nguyen' })).map((i) => i.code)).toEqual([c.code, a.code]);
    expect((await queueView(db, 200, { text: 'duc' })).map((i) => i.code)).toEqual([a.code]);
    expect((await queueView(db, 200, { text: '-0002' })).map((i) => i.code)).toEqual([b.code]);
    expect((await queueView(db, 200, { state: 'failed' })).map((i) => i.code)).toEqual([b.code]);
    expect((await queueView(db, 200, { state: 'waiting', text: 'thi' })).map((i) => i.code)).toEqual([c.code]);
    expect((await queueView(db, 2)).map((i) => i.code)).toEqual([c.code, b.code]);
  });
});
