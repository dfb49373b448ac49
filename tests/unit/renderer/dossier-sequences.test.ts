// Unit tests of renderer code, run in Node (fake-indexeddb stands in for the browser's IndexedDB).
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { CounterDatabase } from '../../../renderer/src/db/database';
import { allocateDossierCode, vietnamDayKey } from '../../../renderer/src/db/sequences';
import { AppError } from '../../../shared/errors';

const openDbs: CounterDatabase[] = [];

function openDb(): CounterDatabase {
  const db = new CounterDatabase(`motcua-test-${crypto.randomUUID()}`);
  openDbs.push(db);
  return db;
}

afterEach(async () => {
  for (const db of openDbs.splice(0)) await db.delete();
});

const unitCode = '000.00.01.H22';

describe('allocateDossierCode', () => {
  it('numbers a counter’s dossiers of one day from its own block', async () => {
    const db = openDb();
    const at = new Date('2026-11-23T02:00:00Z'); // 09:00 in Vietnam
    expect(await allocateDossierCode(db, { unitCode, counterNo: 1 }, at)).toBe('000.00.01.H22-261123-0001');
    expect(await allocateDossierCode(db, { unitCode, counterNo: 1 }, at)).toBe('000.00.01.H22-261123-0002');
    expect(await allocateDossierCode(db, { unitCode, counterNo: 2 }, at)).toBe('000.00.01.H22-261123-1001');
    expect(await allocateDossierCode(db, { unitCode, counterNo: 1 }, at)).toBe('000.00.01.H22-261123-0003');
    expect(await allocateDossierCode(db, { unitCode: '000.00.02.H22', counterNo: 1 }, at)).toBe('000.00.02.H22-261123-0001');
  });

  it('starts again at the Vietnam midnight, whatever the UTC date', async () => {
    const db = openDb();
    const beforeMidnight = new Date('2026-11-23T16:59:59Z'); // 23:59:59 on the 23rd in Vietnam
    const afterMidnight = new Date('2026-11-23T17:00:00Z'); // 00:00 on the 24th in Vietnam, still the 23rd in UTC
    expect(vietnamDayKey(beforeMidnight)).toBe('2026-11-23');
    expect(vietnamDayKey(afterMidnight)).toBe('2026-11-24');
    expect(await allocateDossierCode(db, { unitCode, counterNo: 3 }, beforeMidnight)).toBe('000.00.01.H22-261123-2001');
    expect(await allocateDossierCode(db, { unitCode, counterNo: 3 }, beforeMidnight)).toBe('000.00.01.H22-261123-2002');
    expect(await allocateDossierCode(db, { unitCode, counterNo: 3 }, afterMidnight)).toBe('000.00.01.H22-261124-2001');
    // Back to the earlier day (a clock corrected backwards): that day's numbering continues, no reuse.
    expect(await allocateDossierCode(db, { unitCode, counterNo: 3 }, beforeMidnight)).toBe('000.00.01.H22-261123-2003');
  });

  it('never hands out the same code to concurrent requests', async () => {
    const db = openDb();
    const at = new Date('2026-11-23T02:00:00Z');
    const codes = await Promise.all(Array.from({ length: 25 }, () => allocateDossierCode(db, { unitCode, counterNo: 4 }, at)));
    expect(new Set(codes).size).toBe(25);
    expect(codes.map((c) => c.slice(-4)).sort()).toEqual(Array.from({ length: 25 }, (_, i) => String(3001 + i)));
  });

  it('several counters of one unit, each offline with its own database, allocating at once: no duplicates', async () => {
    // Each counter is a separate machine: its own IndexedDB, no shared state, no network.
    const counters = [1, 2, 3, 4, 5, 6];
    const dbs = counters.map(() => openDb());
    const at = new Date('2026-11-23T02:00:00Z');
    const perCounter = 40;
    const codes = (
      await Promise.all(counters.flatMap((counterNo, i) => Array.from({ length: perCounter }, () => allocateDossierCode(dbs[i] as CounterDatabase, { unitCode, counterNo }, at))))
    ).sort();
    expect(codes).toHaveLength(counters.length * perCounter);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(code).toMatch(/^000\.00\.01\.H22-261123-\d{4}$/);
  });

  it('survives reopening the database (the last number is stored)', async () => {
    const name = `motcua-test-${crypto.randomUUID()}`;
    const at = new Date('2026-11-23T02:00:00Z');
    const first = new CounterDatabase(name);
    expect(await allocateDossierCode(first, { unitCode, counterNo: 1 }, at)).toBe('000.00.01.H22-261123-0001');
    first.close();
    const second = new CounterDatabase(name);
    openDbs.push(second);
    expect(await allocateDossierCode(second, { unitCode, counterNo: 1 }, at)).toBe('000.00.01.H22-261123-0002');
  });

  it('reports an exhausted block with a code', async () => {
    const db = openDb();
    const at = new Date('2026-11-23T02:00:00Z');
    await db.sequences.put({ unitCode, day: '2026-11-23', counterNo: 1, lastUsed: 999, updatedAt: at.toISOString() });
    const err: unknown = await allocateDossierCode(db, { unitCode, counterNo: 1 }, at).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('DOSSIER_SEQUENCE_EXHAUSTED');
  });
});
