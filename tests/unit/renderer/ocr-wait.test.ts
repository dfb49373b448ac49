/// <reference types="vite/client" />
// What the signing step counts as "still being read" (issue 20) on fake-indexeddb pages, and how the expected
// wait reads to the clerk. The prompt itself is driven in Chromium (tests/e2e/ocr-wait.spec.ts).
import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { CounterDatabase } from '../../../renderer/src/db/database';
import { addPages, assignPages, listPages } from '../../../renderer/src/features/capture/page-store';
import { applyProcessingResult } from '../../../renderer/src/features/capture/processing';
import { pagesStillReading, waitParts } from '../../../renderer/src/features/intake/ocr-wait';

const names: string[] = [];
afterEach(async () => {
  for (const name of names.splice(0)) await Dexie.delete(name);
});

const page = (processingId?: string) => ({
  bytes: Uint8Array.from([0xff, 0xd8, 1]),
  info: { mediaType: 'image/jpeg' as const, dpi: 200, widthPx: 1654, heightPx: 2339, pageCount: 1 },
  origin: { kind: 'escl' as const, deviceId: 'escl:x', name: 'p.jpg' },
  ...(processingId ? { processingId } : {}),
});
const ocrPage = { widthPx: 1654, heightPx: 2339, words: [{ text: 'khai', x0: 1, y0: 1, x1: 9, y1: 9 }] };

describe('pages still being read before signing', () => {
  it("counts this dossier's pages whose clean-up or OCR is pending — not finished, failed, unprocessed or unsorted ones", async () => {
    const name = `motcua-ocr-wait-${crypto.randomUUID()}`;
    names.push(name);
    const db = new CounterDatabase(name);
    await db.open();
    const [cleaning, reading, read, failed, plain] = await addPages(db, [page('p1'), page('p2'), page('p3'), page('p4'), page()], { componentCode: 'KS-01' });
    await addPages(db, [page('p6')], { componentCode: 'KS-02' });
    await addPages(db, [page('p7')]); // not sorted into a component: not in the dossier
    if (!cleaning || !reading || !read || !failed || !plain) throw new Error('pages missing');
    await applyProcessingResult(db, reading.id, { id: 'p2', state: 'known', cleanup: 'off', ocr: 'pending' });
    await applyProcessingResult(db, read.id, { id: 'p3', state: 'known', cleanup: 'off', ocr: 'done', ocrPage });
    await applyProcessingResult(db, failed.id, { id: 'p4', state: 'known', cleanup: 'off', ocr: 'failed' });
    const pages = await listPages(db);
    expect(pagesStillReading(pages, ['KS-01']).map((p) => p.id)).toEqual([cleaning.id, reading.id]);
    expect(pagesStillReading(pages, ['KS-01', 'KS-02'])).toHaveLength(3);
    expect(pagesStillReading(pages, [])).toEqual([]);
    await assignPages(db, [reading.id], 'KS-03');
    expect(pagesStillReading(await listPages(db), ['KS-01']).map((p) => p.id)).toEqual([cleaning.id]);
    db.close();
  });

  it('says the wait in whole seconds under a minute and a half, else in whole minutes, rounded up', () => {
    expect(waitParts(0)).toEqual({ unit: 'seconds', count: 1 });
    expect(waitParts(4000)).toEqual({ unit: 'seconds', count: 4 });
    expect(waitParts(4001)).toEqual({ unit: 'seconds', count: 5 });
    expect(waitParts(89_000)).toEqual({ unit: 'seconds', count: 89 });
    expect(waitParts(90_000)).toEqual({ unit: 'minutes', count: 2 });
    expect(waitParts(125_000)).toEqual({ unit: 'minutes', count: 3 });
  });
});
