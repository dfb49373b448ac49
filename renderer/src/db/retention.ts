/**
 * Retention of the citizen's papers on the counter (docs/storage.md, "Retention"): once the central has
 * confirmed it holds a file — the dossier's commit or the supplement event that carried it was acknowledged —
 * and the configured grace period has passed, the file's BYTES are deleted. Its metadata (name, size,
 * SHA-256, page count) and the dossier record stay: the register (Mẫu 06), the desk and receipt reprints
 * need them, and the central holds the authoritative copy.
 *
 * How the work stays small: a file is marked `awaitingPurgeSince` in the very transaction that records the
 * acknowledgement, and the mark is removed by the purge. The index on it is sparse (absent fields are not
 * indexed), so a pass reads only files still waiting, never the counter's whole history.
 *
 * Issue 17 (below, same style): a closed dossier the central holds is minimised after its own grace (sparse
 * index `dossierState.minimiseDueSince`), the applicants cache ages out, and printed forms keep no bytes once
 * the central has the dossier.
 */
import type { Table } from 'dexie';
import type { DossierId } from '../../../shared/domain/dossier';
import { closedStatuses, isClosedStatus, maskPersonName, minimisedApplicant } from '../../../shared/domain/minimisation';
import type { CounterEvent } from '../../../shared/sync/protocol';
import type { CounterDatabase, CounterEventRow, CounterEventState, DossierStateRow, OutboxRow, PrintedFormRow, StoredFile } from './database';
import { toStorageError } from './storage-errors';

/** Dossiers purged per pass at most: a counter back after weeks catches up over a few passes, never freezing one. */
export const defaultPurgeBatch = 50;

const dayMs = 24 * 60 * 60 * 1000;

/** The SHA-256 values a supplement event declares (other events carry no files). */
function supplementShas(row: CounterEventRow): Set<string> {
  return new Set(row.event.kind === 'supplement-received' ? row.event.files.map((f) => f.sha256) : []);
}

function marked(file: StoredFile, at: string): StoredFile {
  return { ...file, confirmedAt: at, awaitingPurgeSince: at };
}

/**
 * Marks the given files confirmed by the central. Call it INSIDE the transaction that writes the
 * acknowledgement (its scope must include `files`), so a crash never leaves an acknowledged file unmarked.
 * Files already marked or purged are left as they are.
 */
export async function markFilesConfirmed(files: Table<StoredFile, string>, fileIds: readonly string[], at: string): Promise<void> {
  const rows = await files.bulkGet([...fileIds]);
  const fresh = rows.filter((f): f is StoredFile => f !== undefined && f.awaitingPurgeSince === undefined && f.purgedAt === undefined);
  if (fresh.length > 0) await files.bulkPut(fresh.map((f) => marked(f, at)));
}

/** The stored files of a dossier whose bytes a supplement event carried (matched by SHA-256, like the uploader). */
export async function supplementFileIds(files: Table<StoredFile, string>, row: CounterEventRow): Promise<string[]> {
  const shas = supplementShas(row);
  if (shas.size === 0) return [];
  return (await files.where('dossierId').equals(row.dossierId).toArray()).filter((f) => shas.has(f.sha256)).map((f) => f.id);
}

/**
 * For the version 7 upgrade: marks the files of every dossier and supplement the central had already
 * acknowledged before retention existed, with the time of that acknowledgement.
 */
export async function markAcknowledgedHistory(files: Table<StoredFile, string>, outbox: Table<OutboxRow, DossierId>, events: Table<CounterEventRow, string>): Promise<void> {
  const acknowledged = await outbox.where('state').equals('acknowledged').toArray();
  for (const row of acknowledged) {
    const committed = new Set(Object.keys(row.uploads));
    const ids = (await files.where('dossierId').equals(row.dossierId).toArray()).filter((f) => committed.has(f.sha256)).map((f) => f.id);
    await markFilesConfirmed(files, ids, row.acknowledgedAt ?? row.updatedAt);
  }
  const supplements = await events.where('state').equals('acknowledged').filter((e) => e.event.kind === 'supplement-received').toArray();
  for (const row of supplements) await markFilesConfirmed(files, await supplementFileIds(files, row), row.acknowledgedAt ?? row.updatedAt ?? row.queuedAt);
}

export interface RetentionPolicy {
  /** Days after the central's acknowledgement before the bytes go; 0 = at the first pass after it. */
  readonly filesDaysAfterAck: number;
  /** Dossiers per pass at most. Default `defaultPurgeBatch`. */
  readonly maxDossiers?: number;
}

export interface PurgeResult {
  readonly dossiers: readonly DossierId[];
  readonly files: number;
  readonly bytes: number;
  /** Marked files found not confirmed after all (kept, mark dropped, logged): should never happen. */
  readonly refused: number;
}

/**
 * Deletes the bytes of files the central confirmed more than `filesDaysAfterAck` days ago, one transaction
 * per dossier, at most `maxDossiers` dossiers. Inside the transaction each file is checked again against the
 * acknowledgement itself — the dossier's outbox row `acknowledged` with this SHA-256 in its commit, or an
 * acknowledged supplement event declaring it — so a pending, failed or never-sent file is never touched.
 * Idempotent: a purged file has no mark, so the next pass does not see it.
 */
export async function purgeConfirmedFiles(db: CounterDatabase, now: Date, policy: RetentionPolicy): Promise<PurgeResult> {
  const cutoff = new Date(now.getTime() - policy.filesDaysAfterAck * dayMs).toISOString();
  const max = Math.max(1, policy.maxDossiers ?? defaultPurgeBatch);
  const at = now.toISOString();
  const candidates = new Set<DossierId>();
  try {
    // Oldest confirmation first; stops at the first file of a dossier beyond the batch.
    await db.files
      .where('awaitingPurgeSince')
      .belowOrEqual(cutoff)
      .until((f) => candidates.size >= max && !candidates.has(f.dossierId))
      .each((f) => {
        candidates.add(f.dossierId);
      });
  } catch (err) {
    throw toStorageError(err, {});
  }
  const purged: DossierId[] = [];
  let fileCount = 0;
  let byteCount = 0;
  let refused = 0;
  for (const dossierId of candidates) {
    try {
      await db.transaction('rw', [db.files, db.fileChunks, db.outbox, db.counterEvents, db.syncLog], async () => {
        const due = (await db.files.where('dossierId').equals(dossierId).toArray()).filter((f) => f.awaitingPurgeSince !== undefined && f.awaitingPurgeSince <= cutoff);
        if (due.length === 0) return;
        const outbox = await db.outbox.get(dossierId);
        const committed = new Set(outbox?.state === 'acknowledged' ? Object.keys(outbox.uploads) : []);
        const supplements = new Set((await db.counterEvents.where('dossierId').equals(dossierId).toArray()).filter((e) => e.state === 'acknowledged').flatMap((e) => [...supplementShas(e)]));
        const confirmed = due.filter((f) => committed.has(f.sha256) || supplements.has(f.sha256));
        const unconfirmed = due.filter((f) => !confirmed.includes(f));
        for (const file of confirmed) await db.fileChunks.where('[fileId+index]').between([file.id, 0], [file.id, Infinity]).delete();
        await db.files.bulkPut([
          ...confirmed.map(({ awaitingPurgeSince: _mark, ...file }) => ({ ...file, purgedAt: at })),
          // Bookkeeping only: the mark goes so the batch is not blocked; the bytes stay.
          ...unconfirmed.map(({ awaitingPurgeSince: _mark, ...file }) => file),
        ]);
        if (confirmed.length > 0) {
          const bytes = confirmed.reduce((sum, f) => sum + f.size, 0);
          await db.syncLog.add({ at, level: 'info', dossierId, event: 'files:purged', details: { files: confirmed.length, bytes, graceDays: policy.filesDaysAfterAck } });
          fileCount += confirmed.length;
          byteCount += bytes;
          purged.push(dossierId);
        }
        if (unconfirmed.length > 0) {
          await db.syncLog.add({ at, level: 'warn', dossierId, event: 'files:purge-refused', details: { files: unconfirmed.length, outbox: outbox?.state ?? 'none', reason: 'not acknowledged by the central: bytes kept' } });
          refused += unconfirmed.length;
        }
      });
    } catch (err) {
      throw toStorageError(err, { dossierId });
    }
  }
  return { dossiers: purged, files: fileCount, bytes: byteCount, refused };
}

// ---- Issue 17, finding 8: minimisation of closed dossiers, the applicants cache, printed forms -------------

/**
 * Drops the stored bytes of a dossier's printed forms: the central holds the dossier, and a reprint is
 * regenerated from its copy. Call it inside the transaction that records the commit's acknowledgement (scope:
 * `printedForms`), and again when minimising.
 */
export async function dropPrintedFormBytes(printedForms: Table<PrintedFormRow, string>, dossierId: DossierId, at: string): Promise<number> {
  const kept = (await printedForms.where('dossierId').equals(dossierId).toArray()).filter((f) => f.pdf !== undefined);
  if (kept.length > 0) await printedForms.bulkPut(kept.map(({ pdf: _bytes, ...form }) => ({ ...form, pdfDroppedAt: at })));
  return kept.length;
}

/**
 * The printed-form row to store: without its bytes when the central already acknowledged the dossier (a form
 * issued afterwards — an apology, a stop notice — is rebuilt or issued anew, not kept). Call it inside the
 * transaction that adds the row, with `outbox` in its scope.
 */
export async function printedFormToStore(outbox: Table<OutboxRow, DossierId>, form: PrintedFormRow): Promise<PrintedFormRow> {
  if (!form.dossierId || !form.pdf || (await outbox.get(form.dossierId))?.state !== 'acknowledged') return form;
  const { pdf: _bytes, ...kept } = form;
  return { ...kept, pdfDroppedAt: form.createdAt };
}

/**
 * Marks the dossier due for minimisation if its state is closed and not marked yet. Call it INSIDE the
 * transaction that records what tells the counter the central holds the closed status — the acknowledgement
 * of a counter event, or a feed entry — with `dossierState` in its scope.
 */
export async function markMinimiseDue(dossierState: Table<DossierStateRow, DossierId>, dossierId: DossierId, at: string): Promise<void> {
  const state = await dossierState.get(dossierId);
  if (state && isClosedStatus(state.status) && state.minimiseDueSince === undefined) await dossierState.put({ ...state, minimiseDueSince: at });
}

/**
 * For the version 10 upgrade: marks the dossiers already closed (the minimisation checks the central's
 * acknowledgement again before it touches one), and drops the form bytes of dossiers the central holds.
 */
export async function markClosedHistory(dossierState: Table<DossierStateRow, DossierId>, outbox: Table<OutboxRow, DossierId>, printedForms: Table<PrintedFormRow, string>, at: string): Promise<void> {
  const closed = await dossierState.where('status').anyOf([...closedStatuses]).toArray();
  await dossierState.bulkPut(closed.filter((s) => s.minimiseDueSince === undefined).map((s) => ({ ...s, minimiseDueSince: s.updatedAt })));
  const acknowledged = await outbox.where('state').equals('acknowledged').primaryKeys();
  for (const dossierId of acknowledged) await dropPrintedFormBytes(printedForms, dossierId, at);
}

/** Counter events that still have to reach the central: their content is needed until then. */
const unsentEventStates: ReadonlySet<CounterEventState> = new Set(['waiting', 'sending']);

/** Counter events whose acknowledgement tells the counter the central holds a closed status. */
const closingEventKinds: ReadonlySet<CounterEvent['kind']> = new Set(['result-returned', 'dossier-stopped']);

/** The event as kept after minimisation: identifiers, times and the clerk; no citizen's name, no free text. */
function minimisedEvent(event: CounterEvent): CounterEvent {
  switch (event.kind) {
    case 'result-returned':
      return { ...event, receivedBy: maskPersonName(event.receivedBy) };
    case 'apology-issued':
    case 'dossier-stopped':
      return { ...event, reason: '' };
    case 'supplement-received':
      return event;
  }
}

export interface MinimisePolicy {
  /** Days after the central was known to hold the closed status before the record is minimised; 0 = next pass. */
  readonly dossiersDaysAfterClose: number;
  /** Dossiers per pass at most. Default `defaultPurgeBatch`. */
  readonly maxDossiers?: number;
}

export interface MinimiseResult {
  readonly dossiers: readonly DossierId[];
  /** Marked dossiers found not ready (the central's acknowledgement missing, an event still unsent): mark dropped. */
  readonly deferred: number;
}

/**
 * Minimises the records of dossiers closed more than `dossiersDaysAfterClose` days ago (docs/storage.md
 * "Retention"): the dossier keeps its code, procedure, dates, status, components and clerk, and its applicant
 * becomes a masked name; its state, processing history, counter events, pending-dossier record, printed forms
 * and any result documents lose every personal field. One transaction per dossier, at most `maxDossiers` per
 * pass, oldest mark first. Inside the transaction the central's acknowledgement is checked again — the commit
 * acknowledged, a closed status in the central's feed or an acknowledged closing event, no event still to
 * send — so nothing the central may not hold is ever dropped. Idempotent: a minimised dossier has no mark.
 */
export async function minimiseClosedDossiers(db: CounterDatabase, now: Date, policy: MinimisePolicy): Promise<MinimiseResult> {
  const cutoff = new Date(now.getTime() - policy.dossiersDaysAfterClose * dayMs).toISOString();
  const max = Math.max(1, policy.maxDossiers ?? defaultPurgeBatch);
  const at = now.toISOString();
  let due: DossierId[];
  try {
    due = (await db.dossierState.where('minimiseDueSince').belowOrEqual(cutoff).limit(max).toArray()).map((s) => s.dossierId);
  } catch (err) {
    throw toStorageError(err, {});
  }
  const minimised: DossierId[] = [];
  let deferred = 0;
  for (const dossierId of due) {
    try {
      await db.transaction('rw', [db.dossiers, db.dossierState, db.statusChanges, db.counterEvents, db.outbox, db.pendingDossiers, db.printedForms, db.resultFiles, db.resultFileChunks, db.syncLog], async () => {
        const state = await db.dossierState.get(dossierId);
        if (!state?.minimiseDueSince || state.minimiseDueSince > cutoff) return;
        const outbox = await db.outbox.get(dossierId);
        const events = await db.counterEvents.where('dossierId').equals(dossierId).toArray();
        const history = await db.statusChanges.where('dossierId').equals(dossierId).toArray();
        const centralHoldsClosed = history.some((c) => isClosedStatus(c.status)) || events.some((e) => e.state === 'acknowledged' && closingEventKinds.has(e.event.kind));
        const unsent = events.filter((e) => unsentEventStates.has(e.state)).length;
        const { minimiseDueSince: _mark, ...unmarked } = state;
        if (outbox?.state !== 'acknowledged' || !centralHoldsClosed || unsent > 0 || !isClosedStatus(state.status)) {
          // Not ready after all: the mark goes (the batch is not blocked); the next acknowledgement or feed entry sets it again.
          await db.dossierState.put(unmarked);
          await db.syncLog.add({ at, level: 'warn', dossierId, event: 'dossier:minimise-deferred', details: { outbox: outbox?.state ?? 'none', centralHoldsClosed, unsentEvents: unsent, status: state.status } });
          deferred++;
          return;
        }
        const dossier = await db.dossiers.get(dossierId);
        if (dossier) await db.dossiers.put({ ...dossier, applicant: minimisedApplicant(dossier.applicant), minimisedAt: at });
        await db.dossierState.put({
          ...unmarked,
          ...(unmarked.returned ? { returned: { ...unmarked.returned, receivedBy: maskPersonName(unmarked.returned.receivedBy) } } : {}),
          ...(unmarked.stopped ? { stopped: { ...unmarked.stopped, reason: '' } } : {}),
        });
        // The back office's notes and supplement requests are free text that may name the citizen; actor and times stay.
        if (history.length > 0) await db.statusChanges.bulkPut(history.map((c) => ({ ...c, note: '', supplementItems: [] })));
        if (events.length > 0) await db.counterEvents.bulkPut(events.map((e) => ({ ...e, event: minimisedEvent(e.event) })));
        const pending = await db.pendingDossiers.where('acceptedDossierId').equals(dossierId).toArray();
        if (pending.length > 0) await db.pendingDossiers.bulkPut(pending.map((p) => ({ ...p, applicant: minimisedApplicant(p.applicant), attachments: [], ...(p.refusal ? { refusal: { ...p.refusal, reason: '' } } : {}) })));
        const forms = await dropPrintedFormBytes(db.printedForms, dossierId, at);
        // Result documents (decisions naming the citizen) are normally gone with the return's acknowledgement.
        const results = await db.resultFiles.where('dossierId').equals(dossierId).count();
        if (results > 0) {
          await db.resultFileChunks.where('[dossierId+sha256+index]').between([dossierId, '', 0], [dossierId, '\uffff', Infinity]).delete();
          await db.resultFiles.where('dossierId').equals(dossierId).delete();
        }
        // No personal data in the log: the code is the dossier's public reference, the rest is counts.
        await db.syncLog.add({ at, level: 'info', dossierId, event: 'dossier:minimised', details: { status: state.status, graceDays: policy.dossiersDaysAfterClose, statusChanges: history.length, events: events.length, pendingRecords: pending.length, formsDropped: forms, resultFiles: results } });
        minimised.push(dossierId);
      });
    } catch (err) {
      throw toStorageError(err, { dossierId });
    }
  }
  return { dossiers: minimised, deferred };
}

/**
 * Deletes the returning-applicant cache entries (`applicants`) not seen for `daysUnseen` days, at most
 * `maxRows` per call, oldest first. The cache only saves typing; the dossiers do not depend on it.
 */
export async function purgeStaleApplicants(db: CounterDatabase, now: Date, daysUnseen: number, maxRows = 500): Promise<number> {
  const cutoff = new Date(now.getTime() - daysUnseen * dayMs).toISOString();
  const at = now.toISOString();
  try {
    // Every pass asks: a read-only look first, so a pass with nothing to delete opens no write transaction.
    if ((await db.applicants.where('lastSeenAt').below(cutoff).limit(1).primaryKeys()).length === 0) return 0;
    return await db.transaction('rw', [db.applicants, db.syncLog], async () => {
      const keys = await db.applicants.where('lastSeenAt').below(cutoff).limit(Math.max(1, maxRows)).primaryKeys();
      if (keys.length === 0) return 0;
      await db.applicants.bulkDelete(keys);
      await db.syncLog.add({ at, level: 'info', event: 'applicants:purged', details: { entries: keys.length, daysUnseen } });
      return keys.length;
    });
  } catch (err) {
    throw toStorageError(err, {});
  }
}
