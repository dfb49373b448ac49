/**
 * The renderer's half of page clean-up and OCR (helper "ocr"): main cleans and reads each page in the
 * background; this follows the workspace's pages whose processing is pending, asks main for results
 * (`imaging:results`, a long poll) and writes them into IndexedDB — the cleaned JPEG replaces the original in
 * one transaction, the OCR words are stored beside the bytes. A page main no longer knows (it restarted) is
 * submitted again from its stored original. The clerk works on meanwhile: nothing here blocks the workspace.
 */
import { useEffect } from 'react';
import type { ProcessingResult, ProcessingWant } from '../../../../shared/imaging/processing';
import type { MainClient } from '../../platform/main-client';
import type { CapturePageRow, CounterDatabase, PageProcessingState } from '../../db/database';
import { toStorageError } from '../../db/storage-errors';

export function isProcessing(page: CapturePageRow): boolean {
  return page.processing !== undefined && (page.processing.cleanup === 'pending' || page.processing.ocr === 'pending');
}

function wantOf(page: CapturePageRow): ProcessingWant | null {
  const p = page.processing;
  if (!p) return null;
  if (p.cleanup === 'pending') return { id: p.id, want: 'cleaned' };
  if (p.ocr === 'pending') return { id: p.id, want: 'ocr' };
  return null;
}

/** The clerk's turn, given that clean-up turned the page `quarterTurns` clockwise already. */
function rotationAfter(rotation: number, quarterTurns: number): CapturePageRow['rotation'] {
  return ((((rotation - quarterTurns * 90) % 360) + 360) % 360) as CapturePageRow['rotation'];
}

/** Writes one result into the page's rows; a result that does not fit the page's current state is ignored. */
export async function applyProcessingResult(db: CounterDatabase, pageId: string, result: ProcessingResult & { state: 'known' }): Promise<void> {
  try {
    await db.transaction('rw', db.capturePages, db.capturePageBytes, async () => {
      const page = await db.capturePages.get(pageId);
      const before = page?.processing;
      if (!page || !before || before.id !== result.id) return;
      let processing: PageProcessingState = before;
      const changes: Partial<CapturePageRow> = {};
      if (before.cleanup === 'pending' && result.cleanup !== 'pending') {
        if (result.cleanup === 'done' && result.cleaned) {
          const { jpeg, facts } = result.cleaned;
          await db.capturePageBytes.put({ pageId, bytes: jpeg });
          Object.assign(changes, {
            mediaType: 'image/jpeg',
            widthPx: facts.widthPx,
            heightPx: facts.heightPx,
            dpi: facts.dpi,
            size: jpeg.length,
            rotation: rotationAfter(page.rotation, facts.quarterTurns),
          } satisfies Partial<CapturePageRow>);
          processing = { ...processing, cleanup: 'done', blank: facts.blank, skewDegrees: facts.skewDegrees, quarterTurns: facts.quarterTurns, originalSize: page.size };
        } else if (result.cleanup !== 'done') {
          processing = { ...processing, cleanup: result.cleanup };
        }
      }
      // OCR words are only taken once the image they belong to is the stored one.
      if (processing.cleanup !== 'pending' && before.ocr === 'pending' && result.ocr !== 'pending') {
        if (result.ocr === 'done' && result.ocrPage) {
          const stored = await db.capturePageBytes.get(pageId);
          if (stored) await db.capturePageBytes.put({ ...stored, ocr: result.ocrPage });
          processing = { ...processing, ocr: 'done' };
        } else if (result.ocr !== 'done') {
          processing = { ...processing, ocr: result.ocr };
        }
      }
      if (processing !== before || Object.keys(changes).length) await db.capturePages.update(pageId, { ...changes, processing });
    });
  } catch (err) {
    throw toStorageError(err);
  }
}

/** Main lost the page (restart): submit the stored original again, or give up on what cannot be redone. */
async function resubmit(db: CounterDatabase, main: MainClient, page: CapturePageRow): Promise<void> {
  const before = page.processing;
  if (!before) return;
  if (before.cleanup !== 'pending') {
    // The stored bytes are already cleaned (or clean-up gave up): cleaning them twice would cost quality.
    await db.capturePages.update(page.id, { processing: { ...before, ocr: 'failed' } });
    return;
  }
  const bytes = (await db.capturePageBytes.get(page.id))?.bytes;
  const { processingId } = bytes ? await main.call('imaging:submit', { bytes, name: page.name }) : { processingId: null };
  await db.capturePages.update(page.id, { processing: processingId ? { ...before, id: processingId } : { ...before, cleanup: 'off', ocr: 'off' } });
}

/**
 * One round: ask main about the pending pages (waiting briefly for news), store what came. Answers main's
 * estimate of the time until all of them have their OCR words (undefined when main gives none).
 */
export async function followProcessingOnce(db: CounterDatabase, main: MainClient, pages: readonly CapturePageRow[], waitMs: number): Promise<number | undefined> {
  const wanted = pages.flatMap((page) => {
    const want = wantOf(page);
    return want ? [{ page, want }] : [];
  });
  if (wanted.length === 0) return 0;
  const { results, expectedMs } = await main.call('imaging:results', { pages: wanted.slice(0, 200).map((w) => w.want), waitMs });
  for (const result of results) {
    const page = wanted.find((w) => w.want.id === result.id)?.page;
    if (!page) continue;
    if (result.state === 'unknown') await resubmit(db, main, page);
    else await applyProcessingResult(db, page.id, result);
  }
  return expectedMs;
}

/**
 * Keeps following while pages are pending. Restarted whenever the set of pending pages changes (the live
 * query); a superseded round's answer is still applied safely, since every write checks the page's state.
 */
export function usePageProcessing(db: CounterDatabase, main: MainClient, pages: readonly CapturePageRow[], onError: (err: unknown) => void, onExpectedMs?: (ms: number | undefined) => void): void {
  const pending = pages.filter(isProcessing);
  const key = pending.map((p) => `${p.id}:${p.processing?.id}:${p.processing?.cleanup}:${p.processing?.ocr}`).join(',');
  useEffect(() => {
    if (!key) return;
    let stopped = false;
    void (async () => {
      let failures = 0;
      while (!stopped) {
        try {
          const current = (await db.capturePages.bulkGet(pending.map((p) => p.id))).filter((p): p is CapturePageRow => !!p && isProcessing(p));
          if (current.length === 0) return;
          const expectedMs = await followProcessingOnce(db, main, current, 2000);
          if (!stopped) onExpectedMs?.(expectedMs);
          failures = 0;
        } catch (err) {
          // Main unreachable for a moment: try again more slowly; tell the clerk once.
          if (failures++ === 0) onError(err);
          await new Promise((resolve) => setTimeout(resolve, Math.min(10_000, 1000 * failures)));
        }
      }
    })();
    return () => {
      stopped = true;
    };
    // key stands for the pending pages and their states.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, db, main]);
}

/** The clerk keeps a page flagged blank (it is not blank, or it belongs in the dossier anyway). */
export async function keepBlankPage(db: CounterDatabase, pageId: string): Promise<void> {
  try {
    await db.transaction('rw', db.capturePages, async () => {
      const page = await db.capturePages.get(pageId);
      if (page?.processing) await db.capturePages.update(pageId, { processing: { ...page.processing, blankKept: true } });
    });
  } catch (err) {
    throw toStorageError(err);
  }
}
