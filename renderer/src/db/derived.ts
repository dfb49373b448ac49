/**
 * A Dexie DBCore middleware that keeps the derived tables of schema version 5 in step with their sources,
 * inside the very transaction that writes the source — whoever writes it (the UI, the sync worker, a test,
 * `Table.update`, `Collection.modify`):
 *
 * - `dossiers` → `dossierSearch`: one search key per dossier, so the queue's search reads keys only;
 * - `outbox` → `queueTotals`: the running "bytes left", so the sync indicator never reads every outbox row.
 *
 * Every read-write transaction over a source is widened to include its derived table (as Dexie Cloud does
 * for its mutation log), so no caller has to remember it. Writes to one source table within a transaction
 * are serialized, so two parallel puts in one transaction never both read the same old total.
 * Raw IndexedDB writes (a benchmark's seeding) bypass it: `repairDerivedTables` runs at the worker's start.
 */
import type { DBCore, DBCoreMutateRequest, DBCoreMutateResponse, DBCoreTable, DBCoreTransaction, Middleware } from 'dexie';
import type { DossierSearchRow, OutboxRow, QueueTotalsRow, StoredDossier } from './database';
import { bytesLeftOf, searchKeyOf, searchRowOf } from './search';

const derivedTableOf: Readonly<Record<string, string>> = { dossiers: 'dossierSearch', outbox: 'queueTotals' };

/** The rows a mutation replaces or removes, read in its transaction before it runs. */
async function previousValues(table: DBCoreTable, req: DBCoreMutateRequest): Promise<unknown[]> {
  switch (req.type) {
    case 'add':
      return [];
    case 'put': {
      const keys: unknown[] = req.keys ?? req.values.map((value: unknown): unknown => table.schema.primaryKey.extractKey?.(value));
      return (await table.getMany({ trans: req.trans, keys })) as unknown[];
    }
    case 'delete':
      return table.getMany({ trans: req.trans, keys: req.keys });
    case 'deleteRange':
      return (await table.query({ trans: req.trans, values: true, query: { index: table.schema.primaryKey, range: req.range } })).result as unknown[];
  }
}

function written<T>(req: DBCoreMutateRequest, res: DBCoreMutateResponse): T[] {
  if (req.type !== 'add' && req.type !== 'put') return [];
  return (req.values as T[]).filter((_, i) => !res.failures[i]);
}

export const queueDerivedTables: Middleware<DBCore> = {
  stack: 'dbcore',
  name: 'QueueDerivedTables',
  create(down) {
    const present = new Set(down.schema.tables.map((t) => t.name));
    /** Per transaction and source table: the tail of its serialized writes. */
    const tails = new WeakMap<DBCoreTransaction, Map<string, Promise<unknown>>>();

    function serialized<T>(trans: DBCoreTransaction, table: string, work: () => Promise<T>): Promise<T> {
      let perTable = tails.get(trans);
      if (!perTable) tails.set(trans, (perTable = new Map<string, Promise<unknown>>()));
      const run = (perTable.get(table) ?? Promise.resolve()).then(work);
      perTable.set(table, run.catch(() => undefined));
      return run;
    }

    function mutateOutbox(table: DBCoreTable, req: DBCoreMutateRequest): Promise<DBCoreMutateResponse> {
      return serialized(req.trans, 'outbox', async () => {
        const before = (await previousValues(table, req)) as (OutboxRow | undefined)[];
        const res = await table.mutate(req);
        let delta = 0;
        if (req.type === 'add' || req.type === 'put') {
          req.values.forEach((value: OutboxRow, i) => {
            if (!res.failures[i]) delta += bytesLeftOf(value) - bytesLeftOf(before[i]);
          });
        } else {
          for (const row of before) delta -= bytesLeftOf(row);
        }
        if (delta !== 0) {
          const totals = down.table('queueTotals');
          const current = (await totals.get({ trans: req.trans, key: 'outbox' })) as QueueTotalsRow | undefined;
          const next: QueueTotalsRow = { key: 'outbox', bytesLeft: (current?.bytesLeft ?? 0) + delta };
          await totals.mutate({ type: 'put', trans: req.trans, values: [next] });
        }
        return res;
      });
    }

    function mutateDossiers(table: DBCoreTable, req: DBCoreMutateRequest): Promise<DBCoreMutateResponse> {
      return serialized(req.trans, 'dossiers', async () => {
        const before = ((await previousValues(table, req)) as (StoredDossier | undefined)[]).filter((d): d is StoredDossier => d !== undefined);
        const res = await table.mutate(req);
        const fresh = written<StoredDossier>(req, res).map(searchRowOf);
        const freshKeys = new Set(fresh.map((row) => JSON.stringify(searchKeyOf(row))));
        const stale = before.map((d) => searchKeyOf(searchRowOf(d))).filter((key) => !freshKeys.has(JSON.stringify(key)));
        const search = down.table('dossierSearch');
        if (stale.length > 0) await search.mutate({ type: 'delete', trans: req.trans, keys: stale });
        if (fresh.length > 0) await search.mutate({ type: 'put', trans: req.trans, values: fresh satisfies DossierSearchRow[] });
        return res;
      });
    }

    return {
      transaction(stores, mode, options) {
        if (mode !== 'readwrite') return down.transaction(stores, mode, options);
        const extra = stores.flatMap((name) => {
          const derived = derivedTableOf[name];
          return derived && present.has(derived) && !stores.includes(derived) ? [derived] : [];
        });
        return down.transaction(extra.length > 0 ? [...stores, ...extra] : stores, mode, options);
      },
      table(name) {
        const table = down.table(name);
        if (!present.has(derivedTableOf[name] ?? '')) return table;
        const mutate = name === 'outbox' ? mutateOutbox : mutateDossiers;
        return { ...table, mutate: (req) => mutate(table, req) };
      },
    };
  },
};
