// Unit tests of renderer code, run in Node (fake-indexeddb stands in for the browser's IndexedDB).
// Issue 15: codes come from blocks the central leased (here written straight into the table), else TAM-….
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { CounterDatabase } from '../../../renderer/src/db/database';
import { allocateDossierCode, storeCodeLeases, unusedLeasedNumbers, vietnamDayKey } from '../../../renderer/src/db/sequences';
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
const agencyId = 'G12.18.92';
const at = new Date('2026-11-23T02:00:00Z'); // 09:00 in Vietnam
const lease = (day: string, first: number, last: number, id = agencyId) => ({ agencyId: id, day, first, last });

describe('allocateDossierCode', () => {
  it('numbers from the leased blocks of the (agency, day), in order, across blocks', async () => {
    const db = openDb();
    await storeCodeLeases(db, [lease('2026-11-23', 41, 42), lease('2026-11-23', 101, 102)], at);
    const counter = { unitCode, counterNo: 1, agencyId };
    expect(await allocateDossierCode(db, counter, at)).toBe('G12.18.92-261123-0041');
    expect(await allocateDossierCode(db, counter, at)).toBe('G12.18.92-261123-0042');
    expect(await unusedLeasedNumbers(db, 1, agencyId, '2026-11-23')).toBe(2);
    expect(await allocateDossierCode(db, counter, at)).toBe('G12.18.92-261123-0101');
    expect(await allocateDossierCode(db, counter, at)).toBe('G12.18.92-261123-0102');
    // Nothing left: a provisional number, clearly marked, counted on its own.
    expect(await allocateDossierCode(db, counter, at)).toBe('TAM-000.00.01.H22-Q1-261123-0001');
    expect(await allocateDossierCode(db, counter, at)).toBe('TAM-000.00.01.H22-Q1-261123-0002');
    // A block that arrives later is used (above the last number used).
    await storeCodeLeases(db, [lease('2026-11-23', 301, 400)], at);
    expect(await allocateDossierCode(db, counter, at)).toBe('G12.18.92-261123-0301');
  });

  it('uses the receiving unit’s identifier when no other prefix is given', async () => {
    const db = openDb();
    await storeCodeLeases(db, [lease('2026-11-23', 9001, 9050, unitCode)], at);
    expect(await allocateDossierCode(db, { unitCode, counterNo: 2 }, at)).toBe('000.00.01.H22-261123-9001');
  });

  it('keeps each Vietnam day apart, and a clock set back continues that day’s numbering without reuse', async () => {
    const db = openDb();
    const beforeMidnight = new Date('2026-11-23T16:59:59Z'); // 23:59:59 on the 23rd in Vietnam
    const afterMidnight = new Date('2026-11-23T17:00:00Z'); // 00:00 on the 24th in Vietnam, still the 23rd in UTC
    expect(vietnamDayKey(beforeMidnight)).toBe('2026-11-23');
    expect(vietnamDayKey(afterMidnight)).toBe('2026-11-24');
    await storeCodeLeases(db, [lease('2026-11-23', 1, 20), lease('2026-11-24', 21, 40)], at);
    const counter = { unitCode, counterNo: 3, agencyId };
    expect(await allocateDossierCode(db, counter, beforeMidnight)).toBe('G12.18.92-261123-0001');
    expect(await allocateDossierCode(db, counter, afterMidnight)).toBe('G12.18.92-261124-0021');
    expect(await allocateDossierCode(db, counter, beforeMidnight)).toBe('G12.18.92-261123-0002');
    // A clock set forward to a day with no lease: provisional.
    expect(await allocateDossierCode(db, counter, new Date('2027-01-05T02:00:00Z'))).toBe('TAM-000.00.01.H22-Q3-270105-0001');
  });

  it('never hands out the same code to concurrent requests', async () => {
    const db = openDb();
    await storeCodeLeases(db, [lease('2026-11-23', 3001, 3020)], at);
    const codes = await Promise.all(Array.from({ length: 25 }, () => allocateDossierCode(db, { unitCode, counterNo: 4, agencyId }, at)));
    expect(new Set(codes).size).toBe(25);
    expect(codes.filter((c) => c.startsWith('G12.18.92-261123-')).map((c) => c.slice(-4)).sort()).toEqual(Array.from({ length: 20 }, (_, i) => String(3001 + i)));
    expect(codes.filter((c) => c.startsWith('TAM-'))).toHaveLength(5);
  });

  it('survives reopening the database (the last number and the leases are stored)', async () => {
    const name = `motcua-test-${crypto.randomUUID()}`;
    const first = new CounterDatabase(name);
    await storeCodeLeases(first, [lease('2026-11-23', 1, 10)], at);
    expect(await allocateDossierCode(first, { unitCode, counterNo: 1, agencyId }, at)).toBe('G12.18.92-261123-0001');
    first.close();
    const second = new CounterDatabase(name);
    openDbs.push(second);
    expect(await allocateDossierCode(second, { unitCode, counterNo: 1, agencyId }, at)).toBe('G12.18.92-261123-0002');
  });

  it('refuses a malformed agency identifier with AGENCY_ID_INVALID before touching the database', async () => {
    const err: unknown = await allocateDossierCode(openDb(), { unitCode, counterNo: 1, agencyId: 'Z12.18.92' }, at).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('AGENCY_ID_INVALID');
  });
});
