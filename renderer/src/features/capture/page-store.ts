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
      for (const id of pageIds) await db.capturePages.update(id, { componentCode });
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

/** Deletes pages (metadata and bytes, one transaction) and returns them as they were, for an undo. */
export function deletePages(db: CounterDatabase, pageIds: readonly string[]): Promise<RemovedPages> {
  return withStorageErrors(() =>
    db.transaction('rw', db.capturePages, db.capturePageBytes, async () => {
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
 * value becomes the midpoint of its new neighbours, so one row changes.
 */
export function movePage(db: CounterDatabase, pageId: string, beforeId: string | null, componentCode?: string | null, workspace = draftWorkspace): Promise<void> {
  return withStorageErrors(() =>
    db.transaction('rw', db.capturePages, async () => {
      const pages = (await listPages(db, workspace)).filter((p) => p.id !== pageId);
      const at = beforeId ? pages.findIndex((p) => p.id === beforeId) : pages.length;
      const index = at < 0 ? pages.length : at;
      const prev = pages[index - 1]?.order;
      const next = pages[index]?.order;
      const order = prev === undefined ? (next === undefined ? 1 : next - 1) : next === undefined ? prev + 1 : (prev + next) / 2;
      await db.capturePages.update(pageId, { order, ...(componentCode !== undefined ? { componentCode } : {}) });
    }),
  );
}

/** Empties the workspace once the dossier is accepted or refused (or the clerk starts over). */
export function clearWorkspace(db: CounterDatabase, workspace = draftWorkspace): Promise<void> {
  return clearPages(db, workspace);
}
