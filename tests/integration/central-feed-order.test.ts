/**
 * The status feed's cursor under several writers on PostgreSQL. `seq` is a bigserial: a value is taken when a
 * row is inserted, but rows become visible when their transaction commits, so without care a writer that took
 * seq 5 can commit after one that took seq 6 — and a reader that already moved its cursor to 6 never sees 5.
 * The store serialises feed writers with `LOCK TABLE status_changes IN EXCLUSIVE MODE` (store.ts), taken
 * before the seq. These tests show the hazard with bare SQL, the lock closing it, and the store's own writers
 * under load (a trigger holds each feed transaction open for a random moment) read by a polling reader that
 * never misses a row. PostgreSQL only (MOTCUA_TEST_POSTGRES_URL); the embedded PGlite has one connection,
 * so its writers are serial anyway.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres } from '../../central/src/db';
import { openStore, type CentralStore } from '../../central/src/store';
import { bareDossier, createTestSchema, postgresMissing, testPostgresUrl, type TestSchema } from '../support/postgres';
import { skipWithout } from '../support/requirements';

const unit = { code: '000.00.01.H22', name: 'UBND xã A' };
const newDossier = () => bareDossier(unit);


/** A feed writer in its own transaction, on its own connection, as a second central process would be. */
async function openWriter(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

const insertFeedRow = `INSERT INTO status_changes (dossier_id, unit_code, status, at, actor, source)
  VALUES ($1, $2, 4, now(), 'test', 'admin') RETURNING seq`;

describe.skipIf(skipWithout('PostgreSQL', postgresMissing))('the feed cursor with concurrent writers (PostgreSQL)', () => {
  let schema: TestSchema;
  let store: CentralStore;

  beforeAll(async () => {
    schema = await createTestSchema(testPostgresUrl ?? '');
    store = await openStore(await openPostgres(schema.url, { maxConnections: 12 }));
  });

  afterAll(async () => {
    await store?.close();
    await schema?.drop();
  });

  /** Reads the feed after `cursor` to its end, as a counter does; returns the seqs and the new cursor. */
  async function readAfter(cursor: number): Promise<{ seqs: number[]; cursor: number }> {
    const seqs: number[] = [];
    for (;;) {
      const page = await store.listChanges({ after: cursor, limit: 7, unitCode: unit.code });
      seqs.push(...page.changes.map((c) => c.seq));
      cursor = page.changes[page.changes.length - 1]?.seq ?? cursor;
      if (!page.hasMore) return { seqs, cursor };
    }
  }

  it('bare inserts committed out of seq order make a reader skip a row (the hazard)', async () => {
    const dossier = newDossier();
    await store.insertDossier(dossier);
    const start = (await readAfter(0)).cursor;
    const [slow, fast] = [await openWriter(schema.url), await openWriter(schema.url)];
    try {
      await slow.query('BEGIN');
      const early = Number((await slow.query<{ seq: string }>(insertFeedRow, [dossier.id, unit.code])).rows[0]?.seq);
      await fast.query('BEGIN');
      const late = Number((await fast.query<{ seq: string }>(insertFeedRow, [dossier.id, unit.code])).rows[0]?.seq);
      await fast.query('COMMIT');
      expect(late).toBeGreaterThan(early);
      const first = await readAfter(start);
      expect(first.seqs).toEqual([late]);
      await slow.query('COMMIT');
      // The row with the smaller seq is now committed, behind the reader's cursor: never delivered.
      expect((await readAfter(first.cursor)).seqs).toEqual([]);
    } finally {
      await Promise.all([slow.end(), fast.end()]);
    }
  });

  it("the store's table lock makes the second writer wait, so seq order is commit order", async () => {
    // Two dossiers: the writers then share no row lock, only the feed.
    const [dossier, other] = [newDossier(), newDossier()];
    await store.insertDossier(dossier);
    await store.insertDossier(other);
    const start = (await readAfter(0)).cursor;
    const [slow, fast] = [await openWriter(schema.url), await openWriter(schema.url)];
    try {
      await slow.query('BEGIN');
      await slow.query('LOCK TABLE status_changes IN EXCLUSIVE MODE');
      const early = Number((await slow.query<{ seq: string }>(insertFeedRow, [dossier.id, unit.code])).rows[0]?.seq);
      // The store's own writer (an admin status change) queues behind the open transaction…
      const storeWrite = store.writeStatusChange({
        dossierId: other.id,
        decide: () => ({ status: 4, at: new Date().toISOString(), actor: 'Cán bộ', department: '', note: 'Đang xử lý', supplementItems: [], resultFiles: [], source: 'admin' }),
      });
      await waitForLockWaiters(fast, 1);
      // …and a reader meanwhile sees neither row.
      expect((await readAfter(start)).seqs).toEqual([]);
      await slow.query('COMMIT');
      const written = await storeWrite;
      if (!written.written) throw new Error('expected a write');
      expect(written.change.seq).toBeGreaterThan(early);
      expect((await readAfter(start)).seqs).toEqual([early, written.change.seq]);
    } finally {
      await Promise.all([slow.end(), fast.end()]);
    }
  });

  it('a polling reader misses no row while many store writers commit at random moments', { timeout: 120_000 }, async () => {
    // Hold every feed transaction open for 0–40 ms after its seq is taken: the window in which an unlocked
    // writer would be overtaken.
    const admin = await openWriter(schema.url);
    try {
      await admin.query(`CREATE FUNCTION hold_feed_insert() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN PERFORM pg_sleep(random() * 0.04); RETURN NEW; END $$`);
      await admin.query(`CREATE TRIGGER hold_feed_insert AFTER INSERT ON status_changes FOR EACH ROW EXECUTE FUNCTION hold_feed_insert()`);
    } finally {
      await admin.end();
    }
    const start = (await readAfter(0)).cursor;
    const seen: number[] = [];
    let writing = true;
    const reader = (async () => {
      let cursor = start;
      while (writing) {
        const got = await readAfter(cursor);
        seen.push(...got.seqs);
        cursor = got.cursor;
      }
      seen.push(...(await readAfter(cursor)).seqs);
    })();

    const dossiers = Array.from({ length: 40 }, () => newDossier());
    // Commits (each with its "received" entry) and status changes, all at once, on up to 12 connections.
    await Promise.all(dossiers.map((d) => store.insertDossier(d)));
    await Promise.all(
      dossiers.map((d) =>
        store.writeStatusChange({
          dossierId: d.id,
          decide: () => ({ status: 4, at: new Date().toISOString(), actor: 'Cán bộ', department: '', note: 'Đang xử lý', supplementItems: [], resultFiles: [], source: 'admin' }),
        }),
      ),
    );
    writing = false;
    await reader;

    const all = (await store.listChanges({ after: start, limit: 1000, unitCode: unit.code })).changes.map((c) => c.seq);
    expect(all).toHaveLength(80);
    expect(seen).toEqual(all);
  });
});

/** Waits until `n` sessions wait for a lock on status_changes (seen from another connection). */
async function waitForLockWaiters(observer: pg.Client, n: number): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const rows = await observer.query<{ waiting: string }>(
      `SELECT count(*) AS waiting FROM pg_locks WHERE NOT granted AND relation = 'status_changes'::regclass`,
    );
    if (Number(rows.rows[0]?.waiting) >= n) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the store writer never waited for the feed lock');
}
