/**
 * The counter database's schema versions: the tables and indexes of each version and the upgrade that fills
 * them from the rows of the one before.
 *
 * APPEND-ONLY. A version here has shipped to counters: never edit one, never reuse a number. A browser that
 * already opened version n does not run version n's upgrade again, so an edited version leaves existing
 * counters with a different database than new ones, and a changed index list fails their upgrade. Every
 * change is a new `version(n + 1)` (only the tables it adds or changes) with an upgrade function if existing
 * rows need it, and a test that opens a database populated at version n (tests/support/old-counter-schema.ts,
 * docs/storage.md). Versions 9 and 11+ may belong to other branches: take the next free number.
 */
import type Dexie from 'dexie';
import type { DossierId } from '../../../shared/domain/dossier';
import type { CounterEventRow, DossierSearchRow, DossierStateRow, KnownApplicantRow, OutboxRow, PrintedFormRow, QueueTotalsRow, ResultFileRow, StatusChangeRow, StoredDossier, StoredFile } from './database';
import { applicantKey, resultRowsOf } from './derived-rows';
import { markAcknowledgedHistory, markClosedHistory } from './retention';
import { bytesLeftOf, searchRowOf } from './search';

/** Version 1 of the schema. Shipped versions are never edited (docs/storage.md). */
export const schemaV1 = {
  dossiers: 'id, createdAt, code',
  files: 'id, dossierId',
  fileChunks: '[fileId+index]',
  outbox: 'dossierId, state, nextAttemptAt, queuedAt',
  sequences: '[unitCode+day+counterNo]',
  syncLog: '++id, at, dossierId',
} as const;

/**
 * Version 2: the dossier's mutable state, the central's status feed, counter events, reference data and
 * sync bookkeeping. Only new tables are listed (Dexie keeps the v1 ones).
 */
export const schemaV2 = {
  dossierState: 'dossierId, status, appointmentAt, updatedAt',
  statusChanges: 'seq, dossierId',
  counterEvents: 'eventId, dossierId, state, nextAttemptAt',
  reference: 'kind',
  syncMeta: 'key',
} as const;

/** Version 3: the page workspace (helper "capture"). New tables only; nothing earlier changes. */
export const schemaV3 = {
  capturePages: 'id, [workspace+order], workspace',
  capturePageBytes: 'pageId',
} as const;

/**
 * Version 4 (issue 6; version 3 is reserved for another branch): dossiers not accepted yet, printed forms,
 * known applicants and the clerk's preferences.
 */
export const schemaV4 = {
  pendingDossiers: 'id, state, updatedAt',
  printedForms: 'id, dossierId, pendingId, createdAt',
  applicants: 'key, idNumber, phone, lastSeenAt',
  counterPrefs: 'key',
} as const;

/**
 * Version 5 (issue 5, queue speed): the queue's search keys and the outbox's running totals, both kept in
 * the same transaction as the rows they derive from. The upgrade fills them from the existing rows.
 */
export const schemaV5 = {
  dossierSearch: '[createdAt+text+dossierId], &dossierId',
  queueTotals: 'key',
} as const;

/**
 * Version 6: (a) result documents of status 9, metadata apart from bytes — the upgrade announces the result
 * files of dossiers already at status 9, so a counter updated with results pending fetches them too;
 * (b) issue 5, sync over a slow link: compound indexes that let the sync engine find the oldest due dossier
 * and the next wake-up among the pending rows only. With `queuedAt` / `nextAttemptAt` alone it walked every
 * acknowledged row first — all the counter's history, on every slot it filled. Dexie builds the indexes
 * from the existing rows.
 */
export const schemaV6 = {
  resultFiles: '[dossierId+sha256], dossierId, state',
  resultFileChunks: '[dossierId+sha256+index]',
  outbox: 'dossierId, state, nextAttemptAt, queuedAt, [state+queuedAt], [state+nextAttemptAt]',
  counterEvents: 'eventId, dossierId, state, nextAttemptAt, [state+nextAttemptAt]',
} as const;

/**
 * Version 7 (retention): a sparse index on the files the central has confirmed and whose bytes are still on
 * this PC. The upgrade marks the files of dossiers (and supplements) already acknowledged, so an updated
 * counter purges its history too (docs/storage.md).
 */
export const schemaV7 = {
  files: 'id, dossierId, awaitingPurgeSince',
} as const;

/** Version 8 (issue 15): the leased blocks, keyed so one (agency, day)'s blocks are one key range. */
export const schemaV8 = {
  codeLeases: '[agencyId+day+first]',
} as const;

/**
 * Version 10 (issue 17, minimisation; version 9 belongs to another branch): a sparse index on the dossiers
 * waiting to be minimised, and the pending-dossier record of an accepted dossier found by its id. The upgrade
 * marks the dossiers already closed and drops the form bytes of dossiers the central already holds.
 */
export const schemaV10 = {
  dossierState: 'dossierId, status, appointmentAt, updatedAt, minimiseDueSince',
  pendingDossiers: 'id, state, updatedAt, acceptedDossierId',
} as const;

/** Declares every version on `db`, oldest first (called once from the CounterDatabase constructor). */
export function declareSchemaVersions(db: Dexie): void {
  db.version(1).stores(schemaV1);
  db.version(2)
    .stores(schemaV2)
    .upgrade(async (tx) => {
      // Every dossier accepted under v1 starts its life as "accepted" (2) with its original appointment.
      const updatedAt = new Date().toISOString();
      await tx
        .table<StoredDossier, DossierId>('dossiers')
        .each(async (dossier) => {
          const state: DossierStateRow = { dossierId: dossier.id, status: 2, appointmentAt: dossier.appointmentAt, supplementRounds: 0, updatedAt };
          await tx.table<DossierStateRow, DossierId>('dossierState').put(state);
        });
    });
  // New, empty tables: no upgrade function needed.
  db.version(3).stores(schemaV3);
  db.version(4)
    .stores(schemaV4)
    .upgrade(async (tx) => {
      // Applicants of the dossiers already received become "known", so a returning one is found at once.
      const known = new Map<string, KnownApplicantRow>();
      await tx
        .table<StoredDossier, DossierId>('dossiers')
        .orderBy('createdAt')
        .each((dossier) => {
          const key = applicantKey(dossier.applicant);
          const previous = known.get(key);
          known.set(key, { key, idNumber: dossier.applicant.idNumber, phone: dossier.applicant.phone, applicant: dossier.applicant, visits: (previous?.visits ?? 0) + 1, lastSeenAt: dossier.createdAt });
        });
      await tx.table<KnownApplicantRow, string>('applicants').bulkPut([...known.values()]);
    });
  db.version(5)
    .stores(schemaV5)
    .upgrade(async (tx) => {
      const search: DossierSearchRow[] = [];
      await tx.table<StoredDossier, DossierId>('dossiers').each((dossier) => {
        search.push(searchRowOf(dossier));
      });
      await tx.table<DossierSearchRow>('dossierSearch').bulkPut(search);
      let bytesLeft = 0;
      await tx.table<OutboxRow, DossierId>('outbox').each((row) => {
        bytesLeft += bytesLeftOf(row);
      });
      await tx.table<QueueTotalsRow, 'outbox'>('queueTotals').put({ key: 'outbox', bytesLeft });
    });
  db.version(6)
    .stores(schemaV6)
    .upgrade(async (tx) => {
      // Results already announced (status 9, with files) of dossiers this counter tracks and has not returned.
      const at = new Date().toISOString();
      const ready: DossierId[] = [];
      await tx.table<DossierStateRow, DossierId>('dossierState').where('status').equals(9).each((state) => {
        ready.push(state.dossierId);
      });
      const announced: ResultFileRow[] = [];
      for (const dossierId of ready) {
        const changes = await tx.table<StatusChangeRow, number>('statusChanges').where('dossierId').equals(dossierId).sortBy('seq');
        const last9 = changes.filter((c) => c.status === 9).at(-1);
        if (last9) announced.push(...resultRowsOf(last9, at));
      }
      await tx.table<ResultFileRow>('resultFiles').bulkPut(announced);
    });
  db.version(7)
    .stores(schemaV7)
    .upgrade(async (tx) => {
      await markAcknowledgedHistory(tx.table<StoredFile, string>('files'), tx.table<OutboxRow, DossierId>('outbox'), tx.table<CounterEventRow, string>('counterEvents'));
    });
  // A new, empty table: no upgrade function needed.
  db.version(8).stores(schemaV8);
  db.version(10)
    .stores(schemaV10)
    .upgrade(async (tx) => {
      await markClosedHistory(tx.table<DossierStateRow, DossierId>('dossierState'), tx.table<OutboxRow, DossierId>('outbox'), tx.table<PrintedFormRow, string>('printedForms'), new Date().toISOString());
    });
}
