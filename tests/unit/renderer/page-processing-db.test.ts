/// <reference types="vite/client" />
// (vite/client: to-attachments reaches renderer modules that import fonts and the pdf.js worker with ?url.)
// The renderer's half of page clean-up/OCR on fake-indexeddb: results swap the cleaned page in (once, and
// only for the processing they belong to), the clerk's rotation is kept relative to the page, OCR words go
// beside the bytes and into the attachments, the blank flag can be kept, and the 200 dpi `block` policy stops
// "Tiếp tục" with the component and pages named. main is replaced by an object answering the two channels.
import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { CounterDatabase } from '../../../renderer/src/db/database';
import { addPages, listPages, rotatePage } from '../../../renderer/src/features/capture/page-store';
import { applyProcessingResult, followProcessingOnce, isProcessing, keepBlankPage } from '../../../renderer/src/features/capture/processing';
import { withCapturedPages } from '../../../renderer/src/features/capture/to-attachments';
import type { MainClient } from '../../../renderer/src/platform/main-client';
import { findProcedure } from '../../../shared/domain/catalog-demo';
import { AppError } from '../../../shared/errors';
import type { CleanupFacts, ProcessingResult } from '../../../shared/imaging/processing';
import { makeJpeg } from '../../support/images';

const names: string[] = [];
const open: CounterDatabase[] = [];
afterEach(async () => {
  for (const db of open.splice(0)) db.close();
  for (const name of names.splice(0)) await Dexie.delete(name);
});

async function openDb(): Promise<CounterDatabase> {
  const name = `motcua-proc-${crypto.randomUUID()}`;
  names.push(name);
  const db = new CounterDatabase(name);
  await db.open();
  open.push(db);
  return db;
}

const facts: CleanupFacts = { widthPx: 1600, heightPx: 2300, dpi: 200, skewDegrees: 1.2, quarterTurns: 1, cropped: true, blank: false, belowMinimumDpi: false };
const original = { bytes: Uint8Array.from([0xff, 0xd8, 1, 2, 3]), info: { mediaType: 'image/jpeg' as const, dpi: 200, widthPx: 2339, heightPx: 1654, pageCount: 1 }, origin: { kind: 'escl' as const, deviceId: 'escl:x', name: 'page-1.jpg' } };
const ocrPage = { widthPx: 1600, heightPx: 2300, words: [{ text: 'khai', x0: 10, y0: 10, x1: 60, y1: 40 }] };

describe('page processing in the workspace', () => {
  it('swaps the cleaned page in once, keeps the clerk’s turn relative to the page, then stores the OCR words', async () => {
    const db = await openDb();
    const [row] = await addPages(db, [{ ...original, processingId: 'p-1' }]);
    if (!row) throw new Error('no row');
    expect(row.processing).toEqual({ id: 'p-1', cleanup: 'pending', ocr: 'pending' });
    // The clerk turned the sideways original upright (90° clockwise) before clean-up had turned it itself.
    await rotatePage(db, row.id, 90);
    const cleaned = Uint8Array.from([0xff, 0xd8, 9, 9]);
    const done: ProcessingResult & { state: 'known' } = { id: 'p-1', state: 'known', cleanup: 'done', cleaned: { jpeg: cleaned, facts }, ocr: 'pending' };
    await applyProcessingResult(db, row.id, done);
    await applyProcessingResult(db, row.id, { ...done, cleaned: { jpeg: Uint8Array.from([1]), facts } }); // a late duplicate changes nothing
    let [page] = await listPages(db);
    expect(page).toMatchObject({ widthPx: 1600, heightPx: 2300, size: 4, rotation: 0, processing: { cleanup: 'done', ocr: 'pending', quarterTurns: 1, originalSize: 5 } });
    expect((await db.capturePageBytes.get(row.id))?.bytes).toEqual(cleaned);
    // A result for another processing id (the page was resubmitted) is ignored.
    await applyProcessingResult(db, row.id, { id: 'p-old', state: 'known', cleanup: 'done', ocr: 'done', ocrPage });
    expect((await db.capturePageBytes.get(row.id))?.ocr).toBeUndefined();
    await applyProcessingResult(db, row.id, { id: 'p-1', state: 'known', cleanup: 'done', ocr: 'done', ocrPage });
    [page] = await listPages(db);
    expect(page && isProcessing(page)).toBe(false);
    expect((await db.capturePageBytes.get(row.id))?.ocr).toEqual(ocrPage);
  });

  it('asks main for what each page still needs, and resubmits a page main forgot', async () => {
    const db = await openDb();
    const [a, b] = await addPages(db, [
      { ...original, processingId: 'p-a' },
      { ...original, processingId: 'p-b' },
    ]);
    const asked: unknown[] = [];
    const main = {
      call: (channel: string, request: { pages?: unknown }) => {
        asked.push([channel, request.pages ?? 'bytes']);
        if (channel === 'imaging:submit') return Promise.resolve({ processingId: 'p-b2' });
        const results: ProcessingResult[] = [
          { id: 'p-a', state: 'known', cleanup: 'failed', ocr: 'pending', error: { code: 'IMAGING_CLEANUP_FAILED', details: { name: 'page-1.jpg', reason: 'x' } } },
          { id: 'p-b', state: 'unknown' },
        ];
        return Promise.resolve({ results });
      },
    } as unknown as MainClient;
    await followProcessingOnce(db, main, await listPages(db), 0);
    expect(asked[0]).toEqual(['imaging:results', [{ id: 'p-a', want: 'cleaned' }, { id: 'p-b', want: 'cleaned' }]]);
    expect(asked[1]).toEqual(['imaging:submit', 'bytes']);
    const pages = await listPages(db);
    expect(pages.find((p) => p.id === a?.id)?.processing).toMatchObject({ cleanup: 'failed', ocr: 'pending' });
    expect(pages.find((p) => p.id === b?.id)?.processing).toMatchObject({ id: 'p-b2', cleanup: 'pending' });
    // The original bytes stay when clean-up failed.
    expect((await db.capturePageBytes.get(a?.id ?? ''))?.bytes).toEqual(original.bytes);
  });

  it('the clerk keeps a page flagged blank', async () => {
    const db = await openDb();
    const [row] = await addPages(db, [{ ...original, processingId: 'p-1' }]);
    await applyProcessingResult(db, row?.id ?? '', { id: 'p-1', state: 'known', cleanup: 'done', cleaned: { jpeg: Uint8Array.from([0xff, 0xd8]), facts: { ...facts, blank: true } }, ocr: 'off' });
    expect((await listPages(db))[0]?.processing).toMatchObject({ blank: true, ocr: 'off' });
    await keepBlankPage(db, row?.id ?? '');
    expect((await listPages(db))[0]?.processing).toMatchObject({ blank: true, blankKept: true });
  });

  it('200 dpi policy: "block" stops with the component and pages named; "warn" passes the OCR words on', async () => {
    const db = await openDb();
    const procedure = findProcedure('1.001193');
    if (!procedure) throw new Error('no procedure');
    const code = procedure.components[0]?.code ?? '';
    const good = await makeJpeg({ widthPx: 400, heightPx: 560, dpi: 200, seed: 1 });
    const low = await makeJpeg({ widthPx: 300, heightPx: 420, dpi: 150, seed: 2 });
    const rows = await addPages(
      db,
      [
        { ...original, bytes: good, info: { ...original.info, widthPx: 400, heightPx: 560 } },
        { ...original, bytes: low, info: { ...original.info, dpi: 150, widthPx: 300, heightPx: 420 } },
      ],
      { componentCode: code },
    );
    const first = rows[0]?.id ?? '';
    const stored = await db.capturePageBytes.get(first);
    if (stored) await db.capturePageBytes.put({ ...stored, ocr: { widthPx: 400, heightPx: 560, words: [{ text: 'khai', x0: 1, y0: 1, x1: 50, y1: 20 }] } });
    const blocked = await withCapturedPages(db, procedure, {}, { minDpi: 'block' }).catch((err: unknown) => err);
    expect(blocked).toBeInstanceOf(AppError);
    expect(blocked).toMatchObject({ code: 'IMAGING_PAGE_BELOW_MIN_DPI', details: { component: procedure.components[0]?.name, count: 1, pages: '2' } });
    const merged = await withCapturedPages(db, procedure, {}, { minDpi: 'warn' });
    expect(merged[code]?.map((a) => a.textLayer?.words[0]?.text ?? null)).toEqual(['khai', null]);
  });
});
