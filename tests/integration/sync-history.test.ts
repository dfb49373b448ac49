// The sync engine's IndexedDB work per dossier does not grow with the counter's history: acknowledged outbox
// rows stay forever (the clerk's record of what went), and finding the next dossier to send or the next
// wake-up must not walk them. Rows read are counted through a real Dexie (over fake-indexeddb) with a DBCore
// middleware; the central is a real process.
import 'fake-indexeddb/auto';
import { randomUUID } from 'node:crypto';
import type { DBCore, DBCoreTable, Middleware } from 'dexie';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CounterDatabase } from '../../renderer/src/db/database';
import type { OutboxRow } from '../../renderer/src/db/database';
import { createSyncEngine } from '../../renderer/src/sync/engine';
import { dossierIdSchema } from '../../shared/domain/dossier';
import type { DossierId } from '../../shared/domain/dossier';
import { makeSignedPdf, startCentralProcess } from '../support/central-process';
import type { CentralProcess } from '../support/central-process';
import { saveTestDossier } from '../support/counter-dossier';

let central: CentralProcess;
let pdf: Uint8Array;

beforeAll(async () => {
  [central, pdf] = await Promise.all([startCentralProcess(), makeSignedPdf({ paddingBytes: 20_000, text: 'Don de nghi' })]);
});

afterAll(async () => {
  await central?.stop();
});

/** Counts the outbox rows that reach the engine from IndexedDB: gets, queries and every cursor step. */
function countOutboxReads(db: CounterDatabase): { rows: number } {
  const seen = { rows: 0 };
  const middleware: Middleware<DBCore> = {
    stack: 'dbcore',
    name: 'count-outbox-reads',
    // Outermost (the app's derived-tables middleware sits at the default level 10): counts what the engine asks for.
    level: 20,
    create: (down) => ({
      ...down,
      table(name: string): DBCoreTable {
        const table = down.table(name);
        if (name !== 'outbox') return table;
        return {
          ...table,
          get: (req) =>
            table.get(req).then((row: unknown) => {
              if (row !== undefined) seen.rows++;
              return row;
            }),
          getMany: (req) =>
            table.getMany(req).then((rows: unknown[]) => {
              seen.rows += rows.filter((r) => r !== undefined).length;
              return rows;
            }),
          query: (req) =>
            table.query(req).then((result) => {
              seen.rows += result.result.length;
              return result;
            }),
          openCursor: (req) =>
            table.openCursor(req).then((cursor) => {
              if (!cursor) return cursor;
              // Each step of a cursor (a filtered walk reads every row it passes) counts as a row read.
              return Object.create(cursor, {
                start: { value: (onNext: () => void) => cursor.start(() => (seen.rows++, onNext())) },
              }) as typeof cursor;
            }),
        };
      },
    }),
  };
  db.use(middleware);
  return seen;
}

function acknowledgedRow(n: number): OutboxRow {
  const at = new Date(Date.UTC(2025, 0, 1, 0, 0, 0, n)).toISOString();
  return {
    dossierId: dossierIdSchema.parse(randomUUID()),
    state: 'acknowledged',
    attempts: 1,
    nextAttemptAt: 0,
    uploads: { ['ab'.repeat(32)]: { bytesSent: 1000, size: 1000 } },
    bytesTotal: 1000,
    queuedAt: at,
    updatedAt: at,
    acknowledgedAt: at,
  };
}

async function queueDossier(db: CounterDatabase): Promise<DossierId> {
  const { dossier } = await saveTestDossier(db, Math.floor(Math.random() * 9000) + 1000, [pdf], { fullName: 'Trần Thị Bình', createdAt: new Date().toISOString() });
  return dossier.id;
}

/** Outbox rows read from the engine's start until one new dossier is acknowledged, with `history` rows already sent. */
async function rowsReadToSendOne(history: number): Promise<number> {
  const name = `motcua-sync-history-${randomUUID()}`;
  const db = new CounterDatabase(name);
  const reads = countOutboxReads(db);
  // The test watches through its own connection, so only the engine's reads are counted.
  const watcher = new CounterDatabase(name);
  try {
    const id = await queueDossier(db);
    // In a transaction of its own like every outbox write of the app (the derived-tables middleware needs one).
    await db.transaction('rw', db.outbox, async () => {
      await db.outbox.bulkAdd(Array.from({ length: history }, (_, n) => acknowledgedRow(n)));
    });
    reads.rows = 0;
    // A long poll interval: the passes counted are the start-up pass and the ones the dossier causes.
    const engine = createSyncEngine({ db, centralUrl: central.url, credential: () => central.credential, pollIntervalMs: 60_000, pull: false });
    engine.start();
    try {
      await vi.waitFor(
        async () => {
          const row = await watcher.outbox.get(id);
          if (row?.state !== 'acknowledged') throw new Error(`outbox row is ${row?.state ?? 'missing'} (${row?.lastError?.code ?? 'no error'})`);
        },
        { timeout: 30_000, interval: 100 },
      );
    } finally {
      await engine.stop();
    }
    return reads.rows;
  } finally {
    watcher.close();
    await db.delete();
  }
}

describe('sync engine work per dossier', () => {
  it('reads no more outbox rows to send a dossier after 3,000 acknowledged ones than on a fresh counter', async () => {
    const fresh = await rowsReadToSendOne(0);
    const withHistory = await rowsReadToSendOne(3_000);
    // Passes may differ by one or two (a few rows each); a walk of the history would add thousands.
    expect(fresh).toBeGreaterThan(0);
    expect(withHistory).toBeLessThanOrEqual(fresh + 50);
  }, 90_000);
});
