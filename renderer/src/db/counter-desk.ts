/**
 * What the counter keeps besides accepted dossiers (schema v4): dossiers not accepted yet (completion
 * requested, refused), the forms it printed, the applicants it has seen and the clerk's preferences.
 * Each write is one transaction; failures become STORAGE_* codes.
 */
import { fold } from '../../../shared/domain/search';
import type { Applicant } from '../../../shared/domain/dossier';
import { defaultDeadlineThresholds, deadlineThresholdsSchema, type DeadlineThresholds } from '../../../shared/domain/deadline';
import { AppError } from '../../../shared/errors';
import type { CounterDatabase, KnownApplicantRow, PendingAttachment, PendingCompletionItem, PendingDossierRow, PrintedFormRow } from './database';
import { withStorageErrors } from './storage-errors';
import { printedFormToStore } from './retention';
import { clearPages, parkDraft, pendingWorkspace } from './workspaces';


export interface CompletionRequest {
  readonly procedure: { readonly code: string; readonly name: string };
  readonly applicant: Applicant;
  readonly attachments: readonly PendingAttachment[];
  readonly items: readonly PendingCompletionItem[];
  readonly clerk: string;
  readonly at: Date;
  /** The dossier was already waiting for completion: a further round on the same record. */
  readonly pendingId?: string;
}

/**
 * Keeps an incomplete dossier with what the applicant brought and records a completion round (Mẫu 02),
 * together with the printed form. The pages in the draft workspace go with it, in the same transaction:
 * the next applicant starts with an empty workspace, and the pages are there when this one returns.
 * Returns the pending record.
 */
export async function requestCompletion(db: CounterDatabase, request: CompletionRequest, form: Omit<PrintedFormRow, 'id' | 'pendingId' | 'createdAt'>): Promise<PendingDossierRow> {
  if (request.items.length === 0) throw new AppError('DOSSIER_INVALID', { issue: 'a completion request lists at least one component' });
  const at = request.at.toISOString();
  return withStorageErrors(
    () =>
      db.transaction('rw', [db.pendingDossiers, db.printedForms, db.capturePages, db.counterPrefs], async () => {
        const existing = request.pendingId ? await db.pendingDossiers.get(request.pendingId) : undefined;
        if (request.pendingId && existing?.state !== 'awaiting-completion') throw new AppError('DOSSIER_INVALID', { issue: `pending dossier ${request.pendingId} is not awaiting completion` });
        const round = { at, clerk: request.clerk, items: request.items };
        const row: PendingDossierRow = existing
          ? { ...existing, applicant: request.applicant, attachments: request.attachments, rounds: [...existing.rounds, round], updatedAt: at }
          : { id: crypto.randomUUID(), state: 'awaiting-completion', procedure: request.procedure, applicant: request.applicant, attachments: request.attachments, rounds: [round], createdAt: at, updatedAt: at };
        await db.pendingDossiers.put(row);
        await db.printedForms.add({ ...form, id: crypto.randomUUID(), pendingId: row.id, createdAt: at });
        await parkDraft(db, row.id);
        return row;
      }),
    { procedure: request.procedure.code },
  );
}

export interface Refusal {
  readonly procedure: { readonly code: string; readonly name: string };
  readonly applicant: Applicant;
  readonly reason: string;
  readonly clerk: string;
  readonly at: Date;
  readonly pendingId?: string;
}

/**
 * Records a refusal (Mẫu 03) with its printed form; the files brought are not kept: the draft workspace's
 * pages (and those kept for a pending dossier being refused) are deleted in the same transaction.
 */
export async function recordRefusal(db: CounterDatabase, refusal: Refusal, form: Omit<PrintedFormRow, 'id' | 'pendingId' | 'createdAt'>): Promise<PendingDossierRow> {
  if (!refusal.reason.trim()) throw new AppError('DOSSIER_INVALID', { issue: 'a refusal states its reason' });
  const at = refusal.at.toISOString();
  return withStorageErrors(
    () =>
      db.transaction('rw', [db.pendingDossiers, db.printedForms, db.capturePages, db.capturePageBytes, db.counterPrefs], async () => {
        const existing = refusal.pendingId ? await db.pendingDossiers.get(refusal.pendingId) : undefined;
        const record = { at, clerk: refusal.clerk, reason: refusal.reason.trim() };
        const row: PendingDossierRow = existing
          ? { ...existing, state: 'refused', attachments: [], refusal: record, updatedAt: at }
          : { id: crypto.randomUUID(), state: 'refused', procedure: refusal.procedure, applicant: refusal.applicant, attachments: [], rounds: [], refusal: record, createdAt: at, updatedAt: at };
        await db.pendingDossiers.put(row);
        await db.printedForms.add({ ...form, id: crypto.randomUUID(), pendingId: row.id, createdAt: at });
        await clearPages(db);
        if (refusal.pendingId) await clearPages(db, pendingWorkspace(refusal.pendingId));
        return row;
      }),
    { procedure: refusal.procedure.code },
  );
}

/** Dossiers waiting for the applicant to come back with the missing papers, oldest first. */
export async function awaitingCompletion(db: CounterDatabase): Promise<PendingDossierRow[]> {
  const rows = await db.pendingDossiers.where('state').equals('awaiting-completion').toArray();
  return rows.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

export async function recordPrintedForm(db: CounterDatabase, form: Omit<PrintedFormRow, 'id' | 'createdAt'>, at: Date = new Date()): Promise<PrintedFormRow> {
  const row: PrintedFormRow = { ...form, id: crypto.randomUUID(), createdAt: at.toISOString() };
  // Issue 17: once the central holds the dossier, the bytes are not kept (retention.ts); the caller still has them to print.
  return withStorageErrors(
    () =>
      db.transaction('rw', [db.printedForms, db.outbox], async () => {
        const stored = await printedFormToStore(db.outbox, row);
        await db.printedForms.add(stored);
        return stored;
      }),
    { form: form.formId },
  );
}

/** The forms printed for a dossier (accepted or pending), newest first. */
export async function printedFormsOf(db: CounterDatabase, ref: { readonly dossierId?: string; readonly pendingId?: string }): Promise<PrintedFormRow[]> {
  const rows = ref.dossierId ? await db.printedForms.where('dossierId').equals(ref.dossierId).toArray() : ref.pendingId ? await db.printedForms.where('pendingId').equals(ref.pendingId).toArray() : [];
  return rows.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/**
 * Finds returning applicants: digits match a personal number, tax code or phone from the start; other text
 * matches the name (or organisation name) ignoring diacritics and case. Most recent first, at most `limit`.
 */
export async function findApplicants(db: CounterDatabase, query: string, limit = 8): Promise<KnownApplicantRow[]> {
  const q = query.trim();
  if (q.length < 3) return [];
  const digits = q.replace(/[\s.-]/g, '');
  const all = await db.applicants.orderBy('lastSeenAt').reverse().toArray();
  const folded = fold(q);
  const matches = /^\d+$/.test(digits)
    ? all.filter((a) => a.idNumber.startsWith(digits) || a.key.replace('-', '').startsWith(digits) || a.phone.replace(/^\+84/, '0').startsWith(digits))
    : all.filter((a) => fold(a.applicant.fullName).includes(folded) || (a.applicant.organisation && fold(a.applicant.organisation.name).includes(folded)));
  return matches.slice(0, limit);
}

// Preferences of the clerk at this counter.
const CLERK_NAME = 'clerkName';
const FAVOURITES = 'favouriteProcedures';
const THRESHOLDS = 'boardThresholds';

export async function setClerkName(db: CounterDatabase, name: string): Promise<void> {
  await withStorageErrors(() => db.counterPrefs.put({ key: CLERK_NAME, value: name.trim() }), {});
}

export async function favouriteProcedures(db: CounterDatabase): Promise<string[]> {
  const value = (await db.counterPrefs.get(FAVOURITES))?.value;
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** Adds or removes a procedure code from the favourites; returns the new list. */
export async function toggleFavourite(db: CounterDatabase, procedureCode: string): Promise<string[]> {
  return withStorageErrors(
    () =>
      db.transaction('rw', db.counterPrefs, async () => {
        const current = await favouriteProcedures(db);
        const next = current.includes(procedureCode) ? current.filter((c) => c !== procedureCode) : [...current, procedureCode];
        await db.counterPrefs.put({ key: FAVOURITES, value: next });
        return next;
      }),
    { procedure: procedureCode },
  );
}

/** The board's thresholds: the clerk's own, else the counter configuration's. */
export async function boardThresholds(db: CounterDatabase, configured: DeadlineThresholds = defaultDeadlineThresholds): Promise<DeadlineThresholds> {
  const parsed = deadlineThresholdsSchema.safeParse((await db.counterPrefs.get(THRESHOLDS))?.value);
  return parsed.success ? parsed.data : configured;
}

export async function setBoardThresholds(db: CounterDatabase, thresholds: DeadlineThresholds): Promise<void> {
  const parsed = deadlineThresholdsSchema.safeParse(thresholds);
  if (!parsed.success) throw new AppError('DOSSIER_INVALID', { issue: 'ngưỡng vàng phải nhỏ hơn hoặc bằng ngưỡng cam, trong khoảng 0–100 %' });
  await withStorageErrors(() => db.counterPrefs.put({ key: THRESHOLDS, value: parsed.data }), {});
}
