/**
 * Issue 15, the no-collision claim of docs/dossier-code.md, checked by fast-check over random histories:
 * several counters (each its own IndexedDB and its own main's ledger on disk) and the central's own online
 * dossiers number for two agencies (a Decision-20 identifier and an old QCVN one) over several days, with
 * counters going offline for days, restarting, having their database replaced (IT adopts it), and clocks
 * set back or forward. Counters lease through the real counter code (refillCodeLeases → allocateDossierCode)
 * and the real central grant logic (grantCodeLeases, issueCentralCode) over an in-memory lease table that
 * appends blocks as the SQL store does (tests/integration/central-code-leases.test.ts runs the SQL itself).
 * Provisional numbers are replaced by central codes at "sync". Property: no two dossiers share an official
 * code, no two share a provisional number, and every provisional one ends up with an official code.
 */
import 'fake-indexeddb/auto';
import fc from 'fast-check';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { grantCodeLeases, issueCentralCode } from '../../../central/src/code-leases';
import { openDatabaseLedger, type DatabaseLedger } from '../../../electron/services/database-ledger';
import { CounterDatabase } from '../../../renderer/src/db/database';
import { adoptReplacedDatabase, checkDatabaseLedger, ledgerCodeRecorder } from '../../../renderer/src/db/database-ledger';
import { allocateDossierCode } from '../../../renderer/src/db/sequences';
import type { MainClient } from '../../../renderer/src/platform/main-client';
import { createCentralClient } from '../../../renderer/src/sync/central-client';
import { refillCodeLeases } from '../../../renderer/src/sync/code-leases';
import { codeLeasePolicySchema, nextBlock, type CodeLease } from '../../../shared/domain/code-lease';
import { isProvisionalDossierCode, parseDossierCode } from '../../../shared/domain/dossier-code';
import type { IpcChannel, IpcRequest, IpcResponse } from '../../../shared/ipc/contract';

const agencies = ['G12.18.92', '000.00.01.H22'] as const;
const unitCode = '000.00.01.H22';
/** Small blocks and a short window, so histories run out of leases and fall back to provisional numbers. */
const policy = codeLeasePolicySchema.parse({ daysAhead: 2, floor: 2, ceiling: 6, headroom: 1.5, refillBelow: 0.5 });
const dayMs = 86_400_000;
const start = Date.parse('2026-11-23T02:00:00Z'); // 09:00 in Vietnam

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

/** The central's lease table in memory: blocks appended above the highest, as store.ts leaseCodeBlock does. */
function memoryCentral() {
  const blocks: Array<CodeLease & { holder: string }> = [];
  const committed: Array<{ deviceId: string; code: string }> = [];
  return {
    blocks,
    committed,
    leaseCodeBlock(opts: { agencyId: string; day: string; size: number; deviceId?: string; at: string }): Promise<CodeLease> {
      const highest = blocks.filter((b) => b.agencyId === opts.agencyId && b.day === opts.day).reduce<number | undefined>((m, b) => Math.max(m ?? 0, b.last), undefined);
      const block = nextBlock(opts.agencyId, highest, opts.size);
      const lease = { agencyId: opts.agencyId, day: opts.day, ...block };
      blocks.push({ ...lease, holder: opts.deviceId ?? 'central' });
      return Promise.resolve(lease);
    },
    findDossierIdByCode(code: string): Promise<string | undefined> {
      return Promise.resolve(committed.some((c) => c.code === code) ? 'someone' : undefined);
    },
    peakDailyCodes(deviceId: string, agencyId: string): Promise<number> {
      const perDay = new Map<string, number>();
      for (const c of committed) {
        if (c.deviceId !== deviceId || !c.code.startsWith(`${agencyId}-`)) continue;
        const day = c.code.split('-')[1] ?? '';
        perDay.set(day, (perDay.get(day) ?? 0) + 1);
      }
      return Promise.resolve(Math.max(0, ...perDay.values()));
    },
  };
}

function mainOver(ledger: DatabaseLedger): MainClient {
  const handlers = {
    'storage:ledger-check': (r: IpcRequest<'storage:ledger-check'>) => ledger.check(r),
    'storage:ledger-adopt': (r: IpcRequest<'storage:ledger-adopt'>) => ledger.adopt(r.database, r.previousDatabaseId),
    'storage:ledger-code': async (r: IpcRequest<'storage:ledger-code'>) => {
      await ledger.recordCode(r.databaseId, r.code, r.dossiersHeld);
      return {};
    },
    'storage:ledger-leases': async (r: IpcRequest<'storage:ledger-leases'>) => {
      await ledger.recordLeases(r.leases);
      return {};
    },
  };
  return {
    call<C extends IpcChannel>(channel: C, request: IpcRequest<C>): Promise<IpcResponse<C>> {
      const handler = (handlers as Record<string, (r: unknown) => Promise<unknown>>)[channel];
      if (!handler) throw new Error(`not served here: ${channel}`);
      return handler(request) as Promise<IpcResponse<C>>;
    },
  };
}

type Action =
  | { kind: 'receive'; counter: number; agency: number }
  | { kind: 'refill'; counter: number }
  | { kind: 'central-online'; agency: number }
  | { kind: 'sync'; counter: number }
  | { kind: 'offline'; counter: number; offline: boolean }
  | { kind: 'next-day' }
  | { kind: 'skew'; counter: number; days: number }
  | { kind: 'restart'; counter: number }
  | { kind: 'replace-db'; counter: number };

const counterCount = 4;
const counterIdx = fc.integer({ min: 0, max: counterCount - 1 });
const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 12, arbitrary: fc.record({ kind: fc.constant('receive' as const), counter: counterIdx, agency: fc.integer({ min: 0, max: 1 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('refill' as const), counter: counterIdx }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('central-online' as const), agency: fc.integer({ min: 0, max: 1 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('sync' as const), counter: counterIdx }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('offline' as const), counter: counterIdx, offline: fc.boolean() }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'next-day' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('skew' as const), counter: counterIdx, days: fc.integer({ min: -2, max: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('restart' as const), counter: counterIdx }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('replace-db' as const), counter: counterIdx }) },
);

interface Counter {
  readonly counterNo: number;
  readonly deviceId: string;
  readonly main: MainClient;
  dbName: string;
  db: CounterDatabase;
  databaseId: string;
  offline: boolean;
  skewDays: number;
  /** Dossiers received and not yet "synced": code, prefix, when. */
  unsent: Array<{ code: string; agencyId: string; at: Date }>;
}

async function runHistory(actions: readonly Action[]): Promise<{ official: string[]; provisional: string[] }> {
  const central = memoryCentral();
  let centralNow = start;
  const official: string[] = [];
  const provisional: string[] = [];
  const counters: Counter[] = [];
  for (let i = 0; i < counterCount; i++) {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'motcua-lease-prop-'));
    dirs.push(dir);
    const main = mainOver(openDatabaseLedger(dir));
    const dbName = `motcua-prop-${crypto.randomUUID()}`;
    const db = new CounterDatabase(dbName);
    const check = await checkDatabaseLedger(db, main);
    counters.push({ counterNo: i + 1, deviceId: crypto.randomUUID(), main, dbName, db, databaseId: check.database.databaseId, offline: false, skewDays: 0, unsent: [] });
  }
  const clockOf = (c: Counter): Date => new Date(centralNow + c.skewDays * dayMs);

  const sync = async (c: Counter): Promise<void> => {
    for (const d of c.unsent.splice(0)) {
      // The commit: a provisional number gets the central's own code for the day it was received.
      const code = isProvisionalDossierCode(d.code) ? await issueCentralCode(central, d.agencyId, d.at, new Date(centralNow)) : d.code;
      official.push(code);
      central.committed.push({ deviceId: c.deviceId, code });
    }
  };

  for (const step of actions) {
    const c = 'counter' in step ? counters[step.counter] : undefined;
    switch (step.kind) {
      case 'receive': {
        if (!c) break;
        const agencyId = agencies[step.agency] ?? unitCode;
        const at = clockOf(c);
        const code = await allocateDossierCode(c.db, { unitCode, counterNo: c.counterNo, agencyId }, at, ledgerCodeRecorder(c.main, c.db, { id: c.databaseId }));
        if (isProvisionalDossierCode(code)) provisional.push(code);
        c.unsent.push({ code, agencyId, at });
        break;
      }
      case 'refill': {
        if (!c || c.offline) break;
        const client = createCentralClient({
          centralUrl: 'http://central.test',
          fetch: async (_input, init) => {
            const body: unknown = JSON.parse(typeof init?.body === 'string' ? init.body : '{}');
            return new Response(JSON.stringify(await grantCodeLeases(central, { deviceId: c.deviceId }, body, new Date(centralNow), policy)), { status: 200 });
          },
        });
        await refillCodeLeases(
          { db: c.db, client, now: () => clockOf(c), timeoutMs: 5_000 },
          { unitCode, counterNo: c.counterNo, daysAhead: policy.daysAhead, agencyIds: () => Promise.resolve([...agencies]), record: async (leases) => c.main.call('storage:ledger-leases', { leases: [...leases] }).then(() => undefined) },
        );
        break;
      }
      case 'central-online':
        official.push(await issueCentralCode(central, agencies[step.agency] ?? unitCode, new Date(centralNow), new Date(centralNow)));
        break;
      case 'sync':
        if (c && !c.offline) await sync(c);
        break;
      case 'offline':
        if (c) c.offline = step.offline;
        break;
      case 'next-day':
        centralNow += dayMs;
        break;
      case 'skew':
        if (c) c.skewDays = step.days;
        break;
      case 'restart':
        if (!c) break;
        c.db.close();
        c.db = new CounterDatabase(c.dbName);
        break;
      case 'replace-db': {
        if (!c) break;
        // The browser hands the app an empty database; IT accepts it (the ledger brings numbers and leases back).
        c.dbName = `motcua-prop-${crypto.randomUUID()}`;
        c.db = new CounterDatabase(c.dbName);
        const check = await checkDatabaseLedger(c.db, c.main);
        if (check.verdict === 'replaced') await adoptReplacedDatabase(c.db, c.main, check);
        c.databaseId = check.database.databaseId;
        break;
      }
    }
  }
  for (const c of counters) await sync(c);
  for (const c of counters) c.db.close();
  return { official, provisional };
}

describe('dossier codes from leases: random histories', () => {
  it('never give two dossiers the same code, whatever the counters, days offline, restarts, replaced databases and clocks', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 20, maxLength: 90 }), async (actions) => {
        const { official, provisional } = await runHistory(actions);
        expect(new Set(official).size).toBe(official.length);
        expect(new Set(provisional).size).toBe(provisional.length);
        for (const code of official) expect(() => parseDossierCode(code)).not.toThrow();
      }),
      { numRuns: 40 },
    );
  }, 120_000);

  it('a long offline stretch with leases in hand issues official codes, then provisional ones, all replaced on sync', async () => {
    const actions: Action[] = [
      { kind: 'refill', counter: 0 },
      { kind: 'offline', counter: 0, offline: true },
      ...Array.from({ length: 12 }, (): Action => ({ kind: 'receive', counter: 0, agency: 0 })),
      { kind: 'next-day' },
      ...Array.from({ length: 4 }, (): Action => ({ kind: 'receive', counter: 0, agency: 0 })),
      { kind: 'central-online', agency: 0 },
      { kind: 'offline', counter: 0, offline: false },
      { kind: 'sync', counter: 0 },
    ];
    const { official, provisional } = await runHistory(actions);
    expect(official).toHaveLength(17);
    expect(new Set(official).size).toBe(17);
    // Floor 2 per (agency, day): 2 leased numbers on the first day, 2 on the second; the rest provisional.
    expect(provisional).toHaveLength(12);
  });
});
