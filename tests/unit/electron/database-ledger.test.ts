// main's ledger of the counter database, on a real temporary folder.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { databaseLedgerFileName, openDatabaseLedger } from '../../../electron/services/database-ledger';
import { errorCodeOf } from '../../support/app-error';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'motcua-ledger-'));
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

const unitCode = '000.00.01.H22';
const first = { databaseId: 'db-first', createdAt: '2026-11-01T01:00:00.000Z', dossiersHeld: 0 };
const second = { databaseId: 'db-second', createdAt: '2026-11-23T03:00:00.000Z', dossiersHeld: 0 };


describe('the database ledger (main, outside IndexedDB)', () => {
  it('records the first database, keeps the most dossiers it held, and notices another one', async () => {
    const dir = await tempDir();
    const ledger = openDatabaseLedger(dir, () => new Date('2026-11-01T01:00:05Z'));
    expect((await ledger.check(first)).verdict).toBe('first');
    expect((await ledger.check({ ...first, dossiersHeld: 40 })).ledger.dossiersHeldMost).toBe(40);
    expect((await ledger.check({ ...first, dossiersHeld: 40 })).verdict).toBe('same');
    const replaced = await ledger.check(second);
    expect(replaced.verdict).toBe('replaced');
    expect(replaced.ledger).toMatchObject({ databaseId: 'db-first', dossiersHeldMost: 40, firstSeenAt: '2026-11-01T01:00:05.000Z' });
    // A fresh process reads the same file: the verdict does not depend on memory.
    expect((await openDatabaseLedger(dir).check(second)).verdict).toBe('replaced');
  });

  it('notices the same database holding fewer dossiers than it once did (the app never deletes one)', async () => {
    const dir = await tempDir();
    const ledger = openDatabaseLedger(dir, () => new Date('2026-11-23T09:00:00Z'));
    await ledger.check({ ...first, dossiersHeld: 40 });
    const shrank = await ledger.check({ ...first, dossiersHeld: 12 });
    expect(shrank.verdict).toBe('shrank');
    expect(shrank.ledger.dossiersHeldMost).toBe(40);
    expect((await ledger.check({ ...first, dossiersHeld: 40 })).verdict).toBe('same');
    // Between starts the high mark follows the dossier numbers recorded.
    await ledger.recordCode('db-first', { unitCode, day: '2026-11-23', counterNo: 1, lastUsed: 1 }, 45);
    expect((await ledger.check({ ...first, dossiersHeld: 44 })).verdict).toBe('shrank');
    // IT accepts what is left: written down as a reset of the same database, and the high mark starts again.
    await ledger.adopt({ ...first, dossiersHeld: 12 }, 'db-first');
    const after = await ledger.check({ ...first, dossiersHeld: 12 });
    expect(after.verdict).toBe('same');
    expect(after.ledger).toMatchObject({ dossiersHeldMost: 12, resets: [{ previousDatabaseId: 'db-first', previousDossiersHeldMost: 45 }] });
  });

  it('refuses dossier numbers from a replaced database until IT adopts it; then hands back the numbers used', async () => {
    const dir = await tempDir();
    const ledger = openDatabaseLedger(dir, () => new Date('2026-11-23T09:00:00Z'));
    await ledger.check(first);
    await ledger.recordCode('db-first', { unitCode, day: '2026-11-23', counterNo: 1, lastUsed: 7 });
    await ledger.recordCode('db-first', { unitCode, day: '2026-11-23', counterNo: 1, lastUsed: 5 }); // lower: kept at 7
    await ledger.recordCode('db-first', { unitCode, day: '2026-11-22', counterNo: 1, lastUsed: 31 });
    expect(await errorCodeOf(ledger.recordCode('db-second', { unitCode, day: '2026-11-23', counterNo: 1, lastUsed: 1 }))).toBe('STORAGE_DATABASE_REPLACED');

    // Adopting on the word of a stale screen (it showed another previous database) is refused.
    expect(await errorCodeOf(ledger.adopt(second, 'db-somebody-else'))).toBe('STORAGE_DATABASE_REPLACED');
    const { codes } = await ledger.adopt(second, 'db-first');
    expect(codes).toEqual(
      expect.arrayContaining([
        { unitCode, day: '2026-11-23', counterNo: 1, lastUsed: 7 },
        { unitCode, day: '2026-11-22', counterNo: 1, lastUsed: 31 },
      ]),
    );
    expect(codes).toHaveLength(2);
    const after = await ledger.check(second);
    expect(after.verdict).toBe('same');
    expect(after.ledger.resets).toEqual([{ acceptedAt: '2026-11-23T09:00:00.000Z', previousDatabaseId: 'db-first', previousDossiersHeldMost: 0 }]);
    // The new database records its numbers; the old one is now the stranger.
    await ledger.recordCode('db-second', { unitCode, day: '2026-11-23', counterNo: 1, lastUsed: 8 });
    expect(await errorCodeOf(ledger.recordCode('db-first', { unitCode, day: '2026-11-23', counterNo: 1, lastUsed: 9 }))).toBe('STORAGE_DATABASE_REPLACED');
  });

  it('keeps leased blocks and provisional counts beside the numbers used, and hands them back on adoption (issue 15)', async () => {
    const dir = await tempDir();
    const ledger = openDatabaseLedger(dir, () => new Date('2026-11-23T09:00:00Z'));
    // Before the first check there is no ledger yet: leases stay in IndexedDB only, nothing is written.
    await ledger.recordLeases([{ agencyId: 'G12.18.92', day: '2026-11-23', first: 1, last: 20 }]);
    await ledger.check(first);
    const leases = [
      { agencyId: 'G12.18.92', day: '2026-11-23', first: 1, last: 20 },
      { agencyId: 'G12.18.92', day: '2026-11-24', first: 41, last: 60 },
      { agencyId: 'G12.18.92', day: '2026-10-01', first: 1, last: 20 }, // weeks old: dropped
    ];
    await ledger.recordLeases(leases);
    await ledger.recordLeases([leases[0]!]); // a repeat is kept once
    await ledger.recordCode('db-first', { unitCode: 'G12.18.92', day: '2026-11-23', counterNo: 1, lastUsed: 12_345 });
    await ledger.recordCode('db-first', { unitCode: `TAM-${unitCode}`, day: '2026-11-23', counterNo: 1, lastUsed: 3 });
    const adopted = await ledger.adopt(second, 'db-first');
    expect(adopted.leases).toEqual(leases.slice(0, 2));
    expect(adopted.codes).toEqual(
      expect.arrayContaining([
        { unitCode: 'G12.18.92', day: '2026-11-23', counterNo: 1, lastUsed: 12_345 },
        { unitCode: `TAM-${unitCode}`, day: '2026-11-23', counterNo: 1, lastUsed: 3 },
      ]),
    );
  });

  it('forgets numbers of days more than a week old (their codes carry the day and cannot collide)', async () => {
    const dir = await tempDir();
    const ledger = openDatabaseLedger(dir);
    await ledger.check(first);
    await ledger.recordCode('db-first', { unitCode, day: '2026-11-10', counterNo: 2, lastUsed: 1004 });
    await ledger.recordCode('db-first', { unitCode, day: '2026-11-16', counterNo: 2, lastUsed: 1002 });
    await ledger.recordCode('db-first', { unitCode, day: '2026-11-23', counterNo: 2, lastUsed: 1001 });
    const { codes } = await ledger.adopt(second, 'db-first');
    expect(codes.map((c) => c.day).sort()).toEqual(['2026-11-16', '2026-11-23']);
  });

  it('says whether the database on record was given a dossier number; an adoption starts that again', async () => {
    const dir = await tempDir();
    const ledger = openDatabaseLedger(dir, () => new Date('2026-11-23T09:00:00Z'));
    expect((await ledger.check(first)).ledger.issuedCodes).toBe(false);
    await ledger.recordCode('db-first', { unitCode, day: '2026-11-23', counterNo: 1, lastUsed: 1 });
    expect((await ledger.check(second)).ledger.issuedCodes).toBe(true);
    await ledger.adopt(second, 'db-first');
    // The numbers are carried over (never issued twice), but the new database has not used any yet.
    const adopted = await ledger.check(second);
    expect(adopted.ledger).toMatchObject({ databaseId: 'db-second', issuedCodes: false });
    await ledger.recordCode('db-second', { unitCode, day: '2026-11-23', counterNo: 1, lastUsed: 2 });
    expect((await ledger.check(second)).ledger.issuedCodes).toBe(true);
  });

  it('reads a ledger written before it said so: any number on record counts as given', async () => {
    const dir = await tempDir();
    const file = path.join(dir, databaseLedgerFileName);
    const old = { version: 1, databaseId: 'db-first', databaseCreatedAt: first.createdAt, firstSeenAt: first.createdAt, dossiersHeldMost: 0, updatedAt: first.createdAt, codes: {}, resets: [] };
    await writeFile(file, JSON.stringify(old));
    expect((await openDatabaseLedger(dir).check(second)).ledger.issuedCodes).toBe(false);
    await writeFile(file, JSON.stringify({ ...old, codes: { [`${unitCode}|2026-11-23|1`]: 3 } }));
    expect((await openDatabaseLedger(dir).check(second)).ledger.issuedCodes).toBe(true);
  });

  it('reports a damaged ledger file and leaves it as it was', async () => {
    const dir = await tempDir();
    const file = path.join(dir, databaseLedgerFileName);
    await writeFile(file, '{"version":1,"databaseId":');
    const ledger = openDatabaseLedger(dir);
    expect(await errorCodeOf(ledger.check(first))).toBe('STORAGE_LEDGER_DAMAGED');
    expect(await readFile(file, 'utf8')).toBe('{"version":1,"databaseId":');
    await writeFile(file, JSON.stringify({ version: 2, databaseId: 'x' }));
    expect(await errorCodeOf(ledger.check(first))).toBe('STORAGE_LEDGER_DAMAGED');
  });

  it('two windows starting at once record one database, not two', async () => {
    const dir = await tempDir();
    const ledger = openDatabaseLedger(dir);
    const [a, b] = await Promise.all([ledger.check(first), ledger.check(second)]);
    expect([a.verdict, b.verdict]).toEqual(['first', 'replaced']);
    expect(JSON.parse(await readFile(path.join(dir, databaseLedgerFileName), 'utf8'))).toMatchObject({ databaseId: 'db-first' });
  });
});
