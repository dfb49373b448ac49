/**
 * The central's store on both databases it supports, with the same code: the embedded PGlite (always) and
 * a PostgreSQL server (when MOTCUA_TEST_POSTGRES_URL is set — `.ci/run` installs, starts and exports one;
 * without it the PostgreSQL half is skipped, and says so). Concurrency is exercised where it matters:
 * one dossier per id, one device per code, one feed entry per event, a gap-free ordered feed.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite, openPostgres, type SqlDatabase } from '../../central/src/db';
import { migrations } from '../../central/src/migrations';
import { openStore, type CentralStore, type NewDossier, type NewStatusChange } from '../../central/src/store';
import { sha256Hex } from '../../shared/util/bytes';
import { centralErrorSchema, changesResponseSchema } from '../../shared/sync/protocol';
import { centralFetch, makeCommit, makeSignedPdf, putCommit, startCentralProcess, tusUpload } from '../support/central-process';
import { createTestSchema, postgresMissing, testPostgresUrl, type TestSchema } from '../support/postgres';
import { skipWithout } from '../support/requirements';
import { pathFor } from '../../shared/sync/api-contract';

interface Backend {
  readonly name: string;
  readonly available: boolean;
  open(): Promise<{ db: () => Promise<SqlDatabase>; cleanup(): Promise<void> }>;
}

const backends: Backend[] = [
  {
    name: 'PGlite (embedded)',
    available: true,
    async open() {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'motcua-store-'));
      return { db: () => openPglite(path.join(dir, 'db')), cleanup: () => rm(dir, { recursive: true, force: true }) };
    },
  },
  {
    name: 'PostgreSQL server',
    available: !skipWithout('PostgreSQL', postgresMissing),
    async open() {
      const schema: TestSchema = await createTestSchema(testPostgresUrl ?? '');
      return { db: () => openPostgres(schema.url), cleanup: () => schema.drop() };
    },
  },
];

const unitA = { code: '000.00.01.H22', name: 'UBND xã A' };
const unitB = { code: '000.00.02.H22', name: 'UBND xã B' };

function received(at: string): NewStatusChange {
  return { status: 2, at, actor: 'Quầy 1', department: 'UBND', note: 'Đã tiếp nhận hồ sơ', supplementItems: [], resultFiles: [], source: 'commit' };
}

/** Codes are unique since migration 5 (issue 17): distinct numbers, from a random start (a reused PostgreSQL schema). */
let nextSequence = Math.floor(Math.random() * 8_000_000) + 1_000_000;

function newDossier(unit = unitA, id = randomUUID()): NewDossier {
  const at = new Date().toISOString();
  nextSequence += 1;
  return {
    id,
    code: `${unit.code}-260101-${nextSequence}`,
    unitCode: unit.code,
    contentHash: sha256Hex(new TextEncoder().encode(id)),
    record: { id, receivingUnit: unit },
    counterReceivedAt: at,
    appointmentAt: at,
    centralReceivedAt: at,
    files: [{ sha256: 'a'.repeat(64), componentCode: 'TP1', name: 'a.pdf', size: 10, storagePath: `files/${'a'.repeat(64)}.pdf` }],
    received: received(at),
  };
}

for (const backend of backends) {
  // Without a PostgreSQL server (MOTCUA_TEST_POSTGRES_URL unset, e.g. a developer laptop) that half cannot run.
  describe.skipIf(!backend.available)(`central store on ${backend.name}`, () => {
    let store: CentralStore;
    let handle: Awaited<ReturnType<Backend['open']>>;

    beforeAll(async () => {
      handle = await backend.open();
      store = await openStore(await handle.db());
    });

    afterAll(async () => {
      await store?.close();
      await handle?.cleanup();
    });

    it('applies its migrations once: a later start on the same database finds them done and re-runs none', async () => {
      const fresh = await backend.open();
      const appliedRows = async () => {
        const db = await fresh.db();
        try {
          return (await db.query<{ version: number; applied_at: Date }>(`SELECT version, applied_at FROM schema_migrations ORDER BY version`)).rows;
        } finally {
          await db.close();
        }
      };
      try {
        await (await openStore(await fresh.db())).close();
        const afterFirst = await appliedRows();
        expect(afterFirst.map((r) => r.version)).toEqual(migrations.map((m) => m.version));
        await (await openStore(await fresh.db())).close();
        // On a server two centrals may also start at once (the advisory lock); a PGlite directory admits one process.
        if (backend.name.startsWith('PostgreSQL')) await Promise.all([0, 1].map(async () => (await openStore(await fresh.db())).close()));
        expect(await appliedRows()).toEqual(afterFirst);
      } finally {
        await fresh.cleanup();
      }
    });

    it('upgrades a version-1 database with dossiers in it: unit, status and the "received" feed entry are filled in', async () => {
      const old = await backend.open();
      try {
        const db = await old.db();
        // The schema as the first release shipped it, with one dossier committed then.
        await db.exec(`CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
        await db.exec(migrations[0]?.sql ?? '');
        await db.query(`INSERT INTO schema_migrations (version, name) VALUES (1, 'dossiers and their files')`);
        const id = randomUUID();
        const record = { id, code: `${unitA.code}-250101-0007`, receivingUnit: unitA, counterNo: 3, appointmentAt: '2025-01-03T09:00:00.000Z' };
        await db.query(
          `INSERT INTO dossiers (id, central_id, code, content_hash, record, counter_received_at, central_received_at)
           VALUES ($1, 'TW-2025-00000001', $2, 'h', $3::jsonb, now(), now())`,
          [id, record.code, JSON.stringify(record)],
        );
        const upgraded = await openStore(db);
        try {
          expect(await upgraded.findDossier(id)).toMatchObject({ unitCode: unitA.code, status: 2, appointmentAt: '2025-01-03T09:00:00.000Z' });
          const history = await upgraded.historyOf(id);
          expect(history).toEqual([expect.objectContaining({ status: 2, actor: 'Quầy 3', department: unitA.name, dossierCode: record.code })]);
        } finally {
          await upgraded.close();
        }
      } finally {
        await old.cleanup();
      }
    });

    it('keeps one dossier for one id under concurrent inserts, with its "received" feed entry', async () => {
      const dossier = newDossier();
      const outcomes = await Promise.all(Array.from({ length: 6 }, () => store.insertDossier(dossier)));
      expect(outcomes.filter((o) => o.inserted)).toHaveLength(1);
      expect(new Set(outcomes.map((o) => o.dossier.centralId)).size).toBe(1);
      const history = await store.historyOf(dossier.id);
      expect(history.map((c) => c.status)).toEqual([2]);
      const found = await store.findDossier(dossier.id);
      expect(found).toMatchObject({ unitCode: unitA.code, status: 2, files: [{ size: 10 }] });
      expect(found?.centralId).toMatch(/^TW-\d{4}-\d{8}$/);
    });

    it('gives the feed strictly increasing seqs, each change once, filtered by unit and paged', async () => {
      const dossiers = [newDossier(unitA), newDossier(unitB), newDossier(unitA)];
      for (const d of dossiers) await store.insertDossier(d);
      // Concurrent status writes on several dossiers.
      await Promise.all(
        dossiers.flatMap((d) =>
          [4, 4, 4].map((status) =>
            store.writeStatusChange({ dossierId: d.id, decide: () => ({ ...received(new Date().toISOString()), status: status as 4, source: 'admin' }) }),
          ),
        ),
      );
      const all = await store.listChanges({ after: 0, limit: 10_000 });
      const seqs = all.changes.map((c) => c.seq);
      expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
      expect(new Set(seqs).size).toBe(seqs.length);
      const onlyB = await store.listChanges({ after: 0, limit: 10_000, unitCode: unitB.code });
      expect(onlyB.changes.every((c) => c.dossierId === dossiers[1]?.id)).toBe(true);
      expect(onlyB.changes).toHaveLength(4);
      const page = await store.listChanges({ after: 0, limit: 2 });
      expect(page).toMatchObject({ hasMore: true });
      expect(page.changes.map((c) => c.seq)).toEqual(seqs.slice(0, 2));
    });

    it('records one feed entry per counter event even when the event arrives twice at once', async () => {
      const dossier = newDossier();
      await store.insertDossier(dossier);
      const eventId = randomUUID();
      const write = () =>
        store.writeStatusChange({
          dossierId: dossier.id,
          decide: () => ({ ...received(new Date().toISOString()), source: 'counter', note: 'Thư xin lỗi' }),
          event: { eventId, kind: 'apology-issued', contentHash: 'h', body: { eventId } },
        });
      const outcomes = await Promise.all([write(), write(), write()]);
      expect(outcomes.filter((o) => o.written)).toHaveLength(1);
      expect(await store.findCounterEvent(eventId)).toMatchObject({ dossierId: dossier.id, contentHash: 'h' });
      expect((await store.historyOf(dossier.id)).length).toBe(2);
    });

    it('refuses a decision inside the transaction and writes nothing', async () => {
      const dossier = newDossier();
      await store.insertDossier(dossier);
      await expect(
        store.writeStatusChange({
          dossierId: dossier.id,
          decide: () => {
            throw new Error('illegal');
          },
        }),
      ).rejects.toThrow('illegal');
      expect((await store.findDossier(dossier.id))?.status).toBe(2);
    });

    it('uses an enrollment code once, even when two installers send it at the same moment, and revokes', async () => {
      const codeHash = sha256Hex(new TextEncoder().encode(randomUUID()));
      const now = new Date();
      await store.insertEnrollmentCode({ codeHash, unit: unitA, counterNo: 2, issuedAt: now.toISOString(), expiresAt: new Date(now.getTime() + 60_000).toISOString() });
      const attempts = await Promise.all(
        [1, 2, 3].map(() =>
          store.enrollDevice({ codeHash, deviceId: randomUUID(), deviceName: 'PC', credentialHash: sha256Hex(new TextEncoder().encode(randomUUID())), at: now.toISOString() }),
        ),
      );
      const enrolled = attempts.filter((a) => a.enrolled);
      expect(enrolled).toHaveLength(1);
      expect(attempts.filter((a) => !a.enrolled).map((a) => (a.enrolled ? '' : a.reason))).toEqual(['used', 'used']);
      const device = enrolled[0]?.enrolled ? enrolled[0].device : undefined;
      const revoked = await store.revokeDevice(device?.deviceId ?? '', new Date().toISOString());
      expect(revoked?.revokedAt).not.toBeNull();
      expect(await store.revokeDevice(randomUUID(), new Date().toISOString())).toBeUndefined();
    });

    it('sizes leases from the device’s own busiest day for that agency (its codes’ prefix and day)', async () => {
      const deviceId = randomUUID();
      const codes = ['G12.18.98-260305-0001', 'G12.18.98-260305-0002', 'G12.18.98-260305-0003', 'G12.18.98-260306-0010', 'G12.18.97-260305-0001'];
      for (const code of codes) await store.insertDossier({ ...newDossier(), code, deviceId });
      await store.insertDossier({ ...newDossier(), code: 'G12.18.98-260305-0004', deviceId: randomUUID() }); // another device
      const since = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);
      expect(await store.peakDailyCodes(deviceId, 'G12.18.98', since)).toBe(3);
      expect(await store.peakDailyCodes(deviceId, 'G12.18.97', since)).toBe(1);
      expect(await store.peakDailyCodes(deviceId, 'G12.18.96', since)).toBe(0);
      expect(await store.peakDailyCodes(deviceId, 'G12.18.98', '2999-01-01')).toBe(0);
    });

    it('leases disjoint blocks of one (agency, day) to concurrent callers, devices and the central itself (issue 15)', async () => {
      // On PostgreSQL a second store is a second pool: the blocks are decided by the table lock, not by one connection.
      const other = backend.name.startsWith('PostgreSQL') ? await openStore(await handle.db()) : store;
      try {
        const at = new Date().toISOString();
        const calls = Array.from({ length: 24 }, (_, i) => {
          const target = i % 2 === 0 ? store : other;
          return i % 3 === 0
            ? target.leaseCodeBlock({ agencyId: 'G12.18.99', day: '2026-03-05', size: 1, at })
            : target.leaseCodeBlock({ agencyId: 'G12.18.99', day: '2026-03-05', size: 7, deviceId: randomUUID(), at });
        });
        const blocks = (await Promise.all(calls)).sort((a, b) => a.first - b.first);
        for (const [i, block] of blocks.entries()) if (i > 0) expect(block.first).toBe((blocks[i - 1]?.last ?? 0) + 1);
        expect(blocks[0]?.first).toBe(1);
        const recorded = await store.codeLeasesOf('G12.18.99', '2026-03-05');
        expect(recorded.map((r) => [r.first, r.last])).toEqual(blocks.map((b) => [b.first, b.last]));
        expect(recorded.filter((r) => r.holder === 'central')).toHaveLength(8);
        // Another day, another agency, an old QCVN identifier (above the old fixed blocks): sequences of their own.
        expect((await store.leaseCodeBlock({ agencyId: 'G12.18.99', day: '2026-03-06', size: 5, at })).first).toBe(1);
        expect((await store.leaseCodeBlock({ agencyId: '000.00.01.H22', day: '2026-03-05', size: 5, at })).first).toBe(9001);
      } finally {
        if (other !== store) await other.close();
      }
    });
  });
}

// The whole central on PostgreSQL (`--database`), through its HTTP API: the same routes, the same answers.
describe.skipIf(skipWithout('PostgreSQL', postgresMissing))('the central process on PostgreSQL', () => {
  it('commits, feeds and refuses like the embedded one', { timeout: 120_000 }, async () => {
    const schema = await createTestSchema(testPostgresUrl ?? '');
    const central = await startCentralProcess({ args: ['--database', schema.url] });
    try {
      expect(central.output()).toContain('database: postgres');
      const pdf = await makeSignedPdf();
      const id = randomUUID();
      const uploadUrl = await tusUpload(central, pdf, { dossierId: id });
      const commit = makeCommit(id, [{ bytes: pdf, uploadUrl }]);
      const answers = await Promise.all([putCommit(central, id, commit), putCommit(central, id, commit)]);
      expect(answers.map((a) => a.status).sort()).toEqual([200, 201]);
      const conflict = await putCommit(central, id, { ...commit, counterNo: 2 });
      expect(centralErrorSchema.parse(conflict.body).error).toBe('CENTRAL_CONFLICT');
      const feed = changesResponseSchema.parse(await (await centralFetch(central, pathFor('changes'))).json());
      expect(feed.changes.filter((c) => c.dossierId === id).map((c) => c.status)).toEqual([2]);
      // Restart: the data is in PostgreSQL, the device credential still works.
      await central.restart();
      expect((await centralFetch(central, pathFor('deviceSelf'))).status).toBe(200);
    } finally {
      await central.stop();
      await schema.drop();
    }
  });
});
