/**
 * Issue 17, finding 1, against the real central process: a counter cannot take a code it was not given (another
 * unit's, another counter's leased number, a number no one leased) — the central replaces it, so a code names
 * one dossier and a back-office lookup by code finds the dossier that really holds it; the counter number on
 * record is the enrolled device's; another unit's dossier is a plain 404; duplicate codes already in a database
 * are resolved by migration 5 (the first keeps its code, the others get new official codes).
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOwnerOnly } from '../../central/src/data-modes';
import { formatDossierCode, parseDossierCode } from '../../shared/domain/dossier-code';
import { toVietnamIso } from '../../shared/domain/time';
import {
  centralErrorSchema,
  codeLeaseResponseSchema,
  commitAckSchema,
  type CommitAck,
} from '../../shared/sync/protocol';
import {
  adminCall,
  centralFetch,
  enrollTestDevice,
  makeCommit,
  makeSignedPdf,
  ownDeviceCounter,
  putCommit,
  startCentralProcess,
  testUnit,
  tusUpload,
  type CentralProcess,
} from '../support/central-process';
import { pathFor } from '../../shared/sync/api-contract';

let central: CentralProcess;
let signedPdf: Uint8Array;
/** A device of another unit (B), counter 1. */
let unitB: { url: string; credential: string };
const otherUnit = { code: '000.00.02.H22', name: 'UBND phường Bên Cạnh' };
/** A second counter (2) of the test unit (A). */
let counter2: { url: string; credential: string };

beforeAll(async () => {
  [central, signedPdf] = await Promise.all([startCentralProcess(), makeSignedPdf({ paddingBytes: 2_000 })]);
  unitB = { url: central.url, credential: (await enrollTestDevice(central, { unit: otherUnit, counterNo: 1 })).credential };
  counter2 = { url: central.url, credential: (await enrollTestDevice(central, { counterNo: 2 })).credential };
}, 120_000);

afterAll(async () => {
  await central?.stop();
});

type Target = CentralProcess | { url: string; credential: string };

/** Uploads the PDF as `target` and commits a dossier of `unit` with `code`; resolves with the status and ack. */
async function commitAs(target: Target, unit: { code: string; name: string }, code: string, overrides: Record<string, unknown> = {}) {
  const id = randomUUID();
  const uploadUrl = await tusUpload(target, signedPdf, { dossierId: id });
  const answer = await putCommit(target, id, makeCommit(id, [{ bytes: signedPdf, uploadUrl }], { code, receivingUnit: unit, ...overrides }));
  return { id, status: answer.status, body: answer.body, ack: answer.status < 300 ? commitAckSchema.parse(answer.body) : undefined };
}

const codeOf = (ack: CommitAck | undefined): string | undefined => ack?.code;
const adminLookup = async (idOrCode: string) => adminCall(central, 'GET', pathFor('adminDossier', { id: idOrCode }));
const today = (): Date => new Date();
const todayIso = (): string => toVietnamIso(today()).slice(0, 10);

describe('a committed code must be one the device may use', () => {
  it('replaces a code carrying another unit’s prefix; the lookup by that code still finds the other unit’s dossier', { timeout: 60_000 }, async () => {
    // Unit B's counter 1 commits an old fixed-block code of its own (counter 1's block: 0001–0999).
    const code = formatDossierCode(otherUnit.code, today(), 17);
    const theirs = await commitAs(unitB, otherUnit, code);
    expect(theirs.status).toBe(201);
    expect(codeOf(theirs.ack)).toBe(code); // kept as sent

    // Unit A's device commits a dossier of its own unit carrying B's code.
    const ours = await commitAs(central, testUnit, code);
    expect(ours.status).toBe(201);
    const replaced = codeOf(ours.ack);
    expect(replaced).toBeDefined();
    expect(replaced).not.toBe(code);
    expect(parseDossierCode(replaced ?? '').agencyId).toBe(otherUnit.code);

    // The back office looking up B's code gets B's dossier, not the newer one.
    const found = await adminLookup(code);
    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({ dossierId: theirs.id, code });
    const foundOurs = await adminLookup(replaced ?? '');
    expect(foundOurs.status).toBe(200);
    expect(foundOurs.body).toMatchObject({ dossierId: ours.id, code: replaced });
  });

  it('keeps a code from the device’s own leased block, and replaces one from another counter’s block', { timeout: 60_000 }, async () => {
    const agencyId = 'G12.18.94';
    const leaseFor = async (target: Target) => {
      const res = await centralFetch(target, pathFor('codeLeases'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ wants: [{ agencyId, day: todayIso(), unused: 0 }] }),
      });
      const block = codeLeaseResponseSchema.parse(await res.json()).leases[0];
      if (!block) throw new Error('no block leased');
      return block;
    };
    const own = await leaseFor(central);
    const theirs = await leaseFor(counter2);

    const ownCode = formatDossierCode(agencyId, today(), own.first);
    const kept = await commitAs(central, testUnit, ownCode);
    expect(kept.status).toBe(201);
    expect(codeOf(kept.ack)).toBe(ownCode);
    expect((await adminLookup(ownCode)).body).toMatchObject({ dossierId: kept.id });

    // Counter 2 has not used its first number yet; this device takes it.
    const stolenCode = formatDossierCode(agencyId, today(), theirs.first);
    const stolen = await commitAs(central, testUnit, stolenCode);
    expect(stolen.status).toBe(201);
    expect(codeOf(stolen.ack)).toMatch(/^G12\.18\.94-/);
    expect(codeOf(stolen.ack)).not.toBe(stolenCode);
    // Counter 2 then commits its own number, which is still free.
    const rightful = await commitAs(counter2, testUnit, stolenCode);
    expect(rightful.status).toBe(201);
    expect(codeOf(rightful.ack)).toBe(stolenCode);
    expect((await adminLookup(stolenCode)).body).toMatchObject({ dossierId: rightful.id });

    // A number no one leased (far above every block) is replaced too.
    const unleasedCode = formatDossierCode(agencyId, today(), 990_000);
    const unleased = await commitAs(central, testUnit, unleasedCode);
    expect(codeOf(unleased.ack)).toMatch(/^G12\.18\.94-/);
    expect(codeOf(unleased.ack)).not.toBe(unleasedCode);
  });

  it('gives one of two concurrent commits of the same leased code a new code (a counter restored from an old image)', { timeout: 60_000 }, async () => {
    const agencyId = 'G12.18.96';
    const res = await centralFetch(central, pathFor('codeLeases'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ wants: [{ agencyId, day: todayIso(), unused: 0 }] }),
    });
    const block = codeLeaseResponseSchema.parse(await res.json()).leases[0];
    if (!block) throw new Error('no block leased');
    const code = formatDossierCode(agencyId, today(), block.first);
    const both = await Promise.all([commitAs(central, testUnit, code), commitAs(central, testUnit, code)]);
    expect(both.map((b) => b.status)).toEqual([201, 201]);
    const codes = both.map((b) => codeOf(b.ack));
    expect(new Set(codes).size).toBe(2);
    expect(codes).toContain(code);
  });

  it('replaces another counter’s old fixed-block code of the same unit', { timeout: 60_000 }, async () => {
    // Counter 2's old block is 1001–1999; the default device is counter `ownDeviceCounter`.
    const code = formatDossierCode(testUnit.code, today(), 1005);
    const answer = await commitAs(central, testUnit, code);
    expect(answer.status).toBe(201);
    expect(codeOf(answer.ack)).toMatch(/^000\.00\.01\.H22-/);
    expect(codeOf(answer.ack)).not.toBe(code);
    const ownOld = formatDossierCode(testUnit.code, today(), (ownDeviceCounter - 1) * 1000 + 5);
    const kept = await commitAs(central, testUnit, ownOld);
    expect(codeOf(kept.ack)).toBe(ownOld);
  });
});

describe('the counter number on record', () => {
  it('is the enrolled device’s, whatever the commit says', { timeout: 60_000 }, async () => {
    const answer = await commitAs(central, testUnit, formatDossierCode(testUnit.code, today(), (ownDeviceCounter - 1) * 1000 + 6), { counterNo: 3 });
    expect(answer.status).toBe(201);
    const stored = (await (await centralFetch(central, pathFor('dossier', { id: answer.id }))).json()) as { record: { counterNo: number } };
    expect(stored.record.counterNo).toBe(ownDeviceCounter);
    const admin = await adminLookup(answer.id);
    expect(JSON.stringify(admin.body)).toContain(`Quầy ${ownDeviceCounter}`);
    expect(JSON.stringify(admin.body)).not.toContain('Quầy 3');
  });
});

describe('another unit’s dossier', () => {
  it('is a 404 to read and to commit over, telling nothing of it', { timeout: 60_000 }, async () => {
    const ours = await commitAs(central, testUnit, formatDossierCode(testUnit.code, today(), (ownDeviceCounter - 1) * 1000 + 7));
    expect(ours.status).toBe(201);
    const read = await centralFetch(unitB, pathFor('dossier', { id: ours.id }));
    expect(read.status).toBe(404);
    expect(centralErrorSchema.parse(await read.json()).error).toBe('CENTRAL_NOT_FOUND');

    // Unit B commits over A's dossier id (its own unit in the body): before, a 409 carrying A's centralId.
    const uploadUrl = await tusUpload(unitB, signedPdf, { dossierId: ours.id });
    const over = await putCommit(unitB, ours.id, makeCommit(ours.id, [{ bytes: signedPdf, uploadUrl }], { receivingUnit: otherUnit, code: formatDossierCode(otherUnit.code, today(), 18) }));
    expect(over.status).toBe(404);
    expect(centralErrorSchema.parse(over.body).error).toBe('CENTRAL_NOT_FOUND');
    expect(JSON.stringify(over.body)).not.toContain(ours.ack?.centralId ?? 'TW-');
  });
});

describe('migration 5 on a database that already holds duplicate codes', () => {
  it('leaves the first dossier its code, gives the others new official codes, and makes codes unique', { timeout: 180_000 }, async () => {
    const first = await commitAs(central, testUnit, formatDossierCode(testUnit.code, today(), (ownDeviceCounter - 1) * 1000 + 8));
    const second = await commitAs(central, testUnit, formatDossierCode(testUnit.code, today(), (ownDeviceCounter - 1) * 1000 + 9));
    const duplicated = formatDossierCode(testUnit.code, today(), (ownDeviceCounter - 1) * 1000 + 8);

    // Back to the state before migration 5, with the second dossier holding the first one's code.
    await central.kill('SIGTERM');
    const db = await PGlite.create({ dataDir: path.join(central.dataDir, 'db') });
    try {
      await db.exec(`DROP INDEX dossiers_code_key; DROP INDEX dossiers_provisional_code_idx; CREATE INDEX dossiers_code_idx ON dossiers (code);
                     DELETE FROM schema_migrations WHERE version = 5;`);
      await db.query(`UPDATE dossiers SET code = $1, central_received_at = central_received_at + interval '1 second' WHERE id = $2`, [duplicated, second.id]);
    } finally {
      await db.close();
    }
    // This test process wrote the database with its own umask; the central refuses group/other-readable data.
    await makeOwnerOnly(central.dataDir);
    await central.restart();

    const firstNow = await adminLookup(first.id);
    const secondNow = await adminLookup(second.id);
    expect(firstNow.body).toMatchObject({ code: duplicated });
    const newCode = (secondNow.body as { code: string | null }).code;
    expect(newCode).not.toBeNull();
    expect(newCode).not.toBe(duplicated);
    expect(parseDossierCode(newCode ?? '').agencyId).toBe(testUnit.code);
    expect((await adminLookup(duplicated)).body).toMatchObject({ dossierId: first.id });

    await central.kill('SIGTERM');
    const check = await PGlite.create({ dataDir: path.join(central.dataDir, 'db') });
    try {
      const dup = await check.query<{ n: number }>(`SELECT count(*)::int AS n FROM (SELECT code FROM dossiers WHERE code IS NOT NULL GROUP BY code HAVING count(*) > 1) d`);
      expect(dup.rows[0]?.n).toBe(0);
      await expect(check.query(`UPDATE dossiers SET code = $1 WHERE id = $2`, [duplicated, second.id])).rejects.toThrow(/dossiers_code_key|duplicate/);
    } finally {
      await check.close();
    }
    await makeOwnerOnly(central.dataDir);
    await central.restart();
  });
});
