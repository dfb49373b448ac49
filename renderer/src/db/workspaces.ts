/**
 * Whose pages the page workspace holds. The counter's `draft` workspace belongs to the dossier being received
 * now; a dossier sent back for completion (Mẫu 02) keeps its pages in a workspace of its own until the
 * applicant returns, so they can neither show up in the next applicant's dossier nor be lost.
 *
 * Callers run these inside their own transaction when the move must go with another write (the pending row
 * of a completion request): Dexie joins a transaction that already covers the tables used here.
 */
import type { CounterDatabase } from './database';
import { withStorageErrors } from './storage-errors';

export const draftWorkspace = 'draft';
/** counterPrefs key: the pending dossier whose pages are in the draft workspace now (reopened). */
const DRAFT_OWNER = 'draftPendingId';

export function pendingWorkspace(pendingId: string): string {
  return `pending:${pendingId}`;
}


/** Moves every page of `from` after the pages of `to`, keeping order, component, rotation and OCR. */
async function movePages(db: CounterDatabase, from: string, to: string): Promise<number> {
  const moving = await db.capturePages.where('[workspace+order]').between([from, -Infinity], [from, Infinity]).toArray();
  const last = (await db.capturePages.where('[workspace+order]').between([to, -Infinity], [to, Infinity]).last())?.order ?? 0;
  for (const [i, page] of moving.entries()) await db.capturePages.update(page.id, { workspace: to, order: last + i + 1 });
  return moving.length;
}

/** The pending dossier the draft's pages belong to, when one was reopened; null for a new dossier. */
export async function draftOwner(db: CounterDatabase): Promise<string | null> {
  const value = (await db.counterPrefs.get(DRAFT_OWNER))?.value;
  return typeof value === 'string' && value ? value : null;
}

/** Pages in the draft workspace now. */
export function draftPageCount(db: CounterDatabase): Promise<number> {
  return db.capturePages.where('workspace').equals(draftWorkspace).count();
}

/** The draft's pages go with the pending dossier `pendingId` (a completion request was issued). */
export function parkDraft(db: CounterDatabase, pendingId: string): Promise<number> {
  return withStorageErrors(() =>
    db.transaction('rw', db.capturePages, db.counterPrefs, async () => {
      const moved = await movePages(db, draftWorkspace, pendingWorkspace(pendingId));
      await db.counterPrefs.delete(DRAFT_OWNER);
      return moved;
    }),
  );
}

/**
 * The applicant came back: their dossier's pages come into the draft workspace. Refused while the draft holds
 * pages of another dossier (they would be mixed); the caller asks the clerk to finish or discard those first.
 */
export function reopenIntoDraft(db: CounterDatabase, pendingId: string): Promise<{ readonly pages: number } | { readonly draftBusy: number }> {
  return withStorageErrors(() =>
    db.transaction('rw', db.capturePages, db.counterPrefs, async () => {
      const owner = await draftOwner(db);
      // Already reopened (the app restarted in between): the draft holds this dossier's pages.
      if (owner === pendingId) return { pages: await draftPageCount(db) };
      const busy = await draftPageCount(db);
      if (busy > 0) return { draftBusy: busy };
      const pages = await movePages(db, pendingWorkspace(pendingId), draftWorkspace);
      await db.counterPrefs.put({ key: DRAFT_OWNER, value: pendingId });
      return { pages };
    }),
  );
}

/** The clerk put a reopened dossier back without deciding: its pages return to it, untouched. */
export function releaseDraft(db: CounterDatabase): Promise<void> {
  return withStorageErrors(() =>
    db.transaction('rw', db.capturePages, db.counterPrefs, async () => {
      const owner = await draftOwner(db);
      if (owner) await movePages(db, draftWorkspace, pendingWorkspace(owner));
      await db.counterPrefs.delete(DRAFT_OWNER);
    }),
  );
}

/** Deletes the pages of a workspace (and forgets the draft's owner when it is the draft). */
export function clearPages(db: CounterDatabase, workspace = draftWorkspace): Promise<void> {
  return withStorageErrors(() =>
    db.transaction('rw', db.capturePages, db.capturePageBytes, db.counterPrefs, async () => {
      const ids = (await db.capturePages.where('workspace').equals(workspace).toArray()).map((p) => p.id);
      await db.capturePages.bulkDelete(ids);
      await db.capturePageBytes.bulkDelete(ids);
      if (workspace === draftWorkspace) await db.counterPrefs.delete(DRAFT_OWNER);
    }),
  );
}
