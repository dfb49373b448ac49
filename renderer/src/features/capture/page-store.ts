/**
 * The page workspace in IndexedDB: every captured page is written (metadata + bytes, one transaction) the
 * moment it arrives, so a crash or restart never loses a scanned page. The workspace's live query reads the
 * metadata table only.
 */
import type { CapturedPageInfo, PageOrigin } from '../../../../shared/capture/capture';
import type { QuarterTurn } from '../../../../shared/pdf/assemble';
import type { CapturePageBytesRow, CapturePageRow, CounterDatabase } from '../../db/database';
import { withStorageErrors } from '../../db/storage-errors';
import { clearPages, draftWorkspace } from '../../db/workspaces';
import { AppError } from '../../../../shared/errors';
import { nextPagePair, ordersBetween, withNotePartners } from '../../../../shared/domain/digitization';


export interface NewCapturedPage {
  readonly bytes: Uint8Array;
  readonly info: CapturedPageInfo;
  readonly origin: PageOrigin;
  /** Main is cleaning and reading this page (processing.ts follows it). */
  readonly processingId?: string;
}


export function listPages(db: CounterDatabase, workspace = draftWorkspace): Promise<CapturePageRow[]> {
  return db.capturePages.where('[workspace+order]').between([workspace, -Infinity], [workspace, Infinity]).toArray();
}

/** Appends pages at the end (or replaces one page in place, for a rescan), in one transaction. */
export async function addPages(db: CounterDatabase, pages: readonly NewCapturedPage[], options: { componentCode?: string | null; replacePageId?: string; workspace?: string } = {}): Promise<CapturePageRow[]> {
  const workspace = options.workspace ?? draftWorkspace;
  return withStorageErrors(() =>
    db.transaction('rw', db.capturePages, db.capturePageBytes, async () => {
      const existing = await listPages(db, workspace);
      const replaced = options.replacePageId ? existing.find((p) => p.id === options.replacePageId) : undefined;
      let order = (existing.at(-1)?.order ?? 0) + 1;
      const rows: CapturePageRow[] = [];
      for (const [i, page] of pages.entries()) {
        const inPlace = replaced && i === 0;
        const row: CapturePageRow = {
          id: crypto.randomUUID(),
          workspace,
          // A rescan takes the old page's place and component; its rotation starts fresh (a new sheet).
          order: inPlace ? replaced.order : order++,
          componentCode: inPlace ? replaced.componentCode : (options.componentCode ?? null),
          rotation: 0,
          name: page.origin.name,
          mediaType: page.info.mediaType,
          dpi: page.info.dpi,
          widthPx: page.info.widthPx,
          heightPx: page.info.heightPx,
          pageCount: page.info.pageCount,
          size: page.bytes.length,
          deviceId: page.origin.deviceId,
          capturedAt: new Date().toISOString(),
          ...(page.processingId ? { processing: { id: page.processingId, cleanup: 'pending', ocr: 'pending' } } : {}),
          // A rescanned shot of a sticky-note pair stays that shot of the pair.
          ...(inPlace && replaced.notePair ? { notePair: replaced.notePair } : {}),
        };
        await db.capturePages.add(row);
        await db.capturePageBytes.add({ pageId: row.id, bytes: page.bytes });
        rows.push(row);
      }
      if (replaced) {
        await db.capturePages.delete(replaced.id);
        await db.capturePageBytes.delete(replaced.id);
      }
      return rows;
    }),
  );
}

export async function readPageBytes(db: CounterDatabase, pageId: string): Promise<Uint8Array> {
  const row = await db.capturePageBytes.get(pageId);
  if (!row) throw new Error(`page ${pageId} has no bytes`);
  return row.bytes;
}

export function assignPages(db: CounterDatabase, pageIds: readonly string[], componentCode: string | null): Promise<void> {
  return withStorageErrors(() =>
    db.transaction('rw', db.capturePages, async () => {
      // The two shots of a page with a sticky note go together.
      const ids = withNotePartners(await db.capturePages.toArray(), pageIds);
      for (const id of ids) await db.capturePages.update(id, { componentCode });
    }),
  );
}

export function rotatePage(db: CounterDatabase, pageId: string, by: 90 | -90): Promise<void> {
  return withStorageErrors(() =>
    db.transaction('rw', db.capturePages, async () => {
      const page = await db.capturePages.get(pageId);
      if (!page) return;
      const rotation = (((page.rotation + by) % 360) + 360) % 360;
      await db.capturePages.update(pageId, { rotation: rotation as QuarterTurn });
    }),
  );
}

/** What a deletion took away, exactly, so that "Hoàn tác" can put it back. */
export interface RemovedPages {
  readonly rows: readonly CapturePageRow[];
  readonly bytes: readonly CapturePageBytesRow[];
}

/**
 * Deletes pages (metadata and bytes, one transaction) and returns them as they were, for an undo. Deleting
 * one shot of a sticky-note pair deletes the pair: the copy must not keep half of it.
 */
export function deletePages(db: CounterDatabase, requestedIds: readonly string[]): Promise<RemovedPages> {
  return withStorageErrors(() =>
    db.transaction('rw', db.capturePages, db.capturePageBytes, async () => {
      const pageIds = withNotePartners(await db.capturePages.toArray(), requestedIds);
      const rows = (await db.capturePages.bulkGet([...pageIds])).filter((r): r is CapturePageRow => r !== undefined);
      const bytes = (await db.capturePageBytes.bulkGet([...pageIds])).filter((r): r is CapturePageBytesRow => r !== undefined);
      await db.capturePages.bulkDelete([...pageIds]);
      await db.capturePageBytes.bulkDelete([...pageIds]);
      return { rows, bytes };
    }),
  );
}

/** Undo of a deletion: the same pages, ids, places, turns and OCR words come back. */
export function restorePages(db: CounterDatabase, removed: RemovedPages): Promise<void> {
  return withStorageErrors(() =>
    db.transaction('rw', db.capturePages, db.capturePageBytes, async () => {
      await db.capturePageBytes.bulkPut([...removed.bytes]);
      await db.capturePages.bulkPut([...removed.rows]);
    }),
  );
}

/**
 * Puts `pageId` right before `beforeId` (or last when null), optionally into another component: the order
 * value becomes the midpoint of its new neighbours, so one row changes — two when the page is a shot of a
 * sticky-note pair, which moves with its partner (the shot with the note first).
 */
export function movePage(db: CounterDatabase, pageId: string, beforeId: string | null, componentCode?: string | null, workspace = draftWorkspace): Promise<void> {
  return withStorageErrors(() =>
    db.transaction('rw', db.capturePages, async () => {
      const all = await listPages(db, workspace);
      const moving = all.find((p) => p.id === pageId);
      const group = moving?.notePair
        ? all.filter((p) => p.notePair?.id === moving.notePair?.id).sort((a, b) => (a.notePair?.shot === 'with-note' ? -1 : b.notePair?.shot === 'with-note' ? 1 : 0))
        : all.filter((p) => p.id === pageId);
      const groupIds = new Set(group.map((p) => p.id));
      // Dropped onto its own partner: the pair stays where it is. Dropped between the two shots of another
      // pair: it goes before that pair, which is never split.
      const target = all.find((p) => p.id === beforeId);
      const before = !target
        ? beforeId
        : groupIds.has(target.id)
          ? (all.find((p, i) => i > all.indexOf(target) && !groupIds.has(p.id))?.id ?? null)
          : target.notePair?.shot === 'without-note'
            ? (all.find((p) => p.notePair?.id === target.notePair?.id && p.notePair?.shot === 'with-note')?.id ?? target.id)
            : target.id;
      const pages = all.filter((p) => !groupIds.has(p.id));
      const at = before ? pages.findIndex((p) => p.id === before) : pages.length;
      const index = at < 0 ? pages.length : at;
      const orders = ordersBetween(pages[index - 1]?.order, pages[index]?.order, group.length);
      for (const [i, page] of group.entries()) {
        await db.capturePages.update(page.id, { order: orders[i] ?? page.order, ...(componentCode !== undefined ? { componentCode } : {}) });
      }
    }),
  );
}

/**
 * Makes `pageId` and the page after it in the same strip the two shots of a page with a sticky note (Circular
 * 01/2023 Art. 8.2): the first with the note, the second without. They then count as one paper page.
 */
export function pairWithNextPage(db: CounterDatabase, pageId: string, workspace = draftWorkspace): Promise<void> {
  return withStorageErrors(() =>
    db.transaction('rw', db.capturePages, async () => {
      const all = await listPages(db, workspace);
      const page = all.find((p) => p.id === pageId);
      const strip = all.filter((p) => p.componentCode === (page?.componentCode ?? null));
      const pair = nextPagePair(strip, pageId);
      if (!pair) throw new AppError('DIGITIZATION_NOTE_PAIR_INVALID', { n: strip.findIndex((p) => p.id === pageId) + 1 });
      const id = crypto.randomUUID();
      await db.capturePages.update(pair.withNote.id, { notePair: { id, shot: 'with-note' } });
      await db.capturePages.update(pair.withoutNote.id, { notePair: { id, shot: 'without-note' } });
    }),
  );
}

/** Undoes a pair: both shots become pages of their own again (each counts as a paper page). */
export function unpairPage(db: CounterDatabase, pageId: string, workspace = draftWorkspace): Promise<void> {
  return withStorageErrors(() =>
    db.transaction('rw', db.capturePages, async () => {
      const all = await listPages(db, workspace);
      const pairId = all.find((p) => p.id === pageId)?.notePair?.id;
      if (!pairId) return;
      for (const p of all) if (p.notePair?.id === pairId) await db.capturePages.update(p.id, { notePair: undefined });
    }),
  );
}

/** Empties the workspace once the dossier is accepted or refused (or the clerk starts over). */
export function clearWorkspace(db: CounterDatabase, workspace = draftWorkspace): Promise<void> {
  return clearPages(db, workspace);
}
