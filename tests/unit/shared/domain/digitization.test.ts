// Circular 01/2023/TT-VPCP Art. 8.2: one image per input page; a page with a sticky note is captured twice.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assertPageCountsConfirmed,
  countPages,
  nextPagePair,
  ordersBetween,
  pageCountConfirmation,
  withNotePartners,
  type CountedImage,
} from '../../../../shared/domain/digitization';
import { AppError } from '../../../../shared/errors';

const img = (id: string, notePair?: CountedImage['notePair'], pageCount = 1): CountedImage => ({ id, pageCount, ...(notePair ? { notePair } : {}) });

describe('counting input pages', () => {
  it('one image per page; a picked PDF counts its pages', () => {
    expect(countPages([img('a'), img('b'), img('pdf', undefined, 5)])).toEqual({ images: 7, notePairs: 0, inputPages: 7 });
    expect(countPages([])).toEqual({ images: 0, notePairs: 0, inputPages: 0 });
  });

  it('a sticky-note pair is two images and one input page', () => {
    const pages = [img('p1'), img('p2a', { id: 'x', shot: 'with-note' }), img('p2b', { id: 'x', shot: 'without-note' }), img('p3')];
    expect(countPages(pages)).toEqual({ images: 4, notePairs: 1, inputPages: 3 });
  });

  it('a shot whose partner is not there counts as a page of its own', () => {
    expect(countPages([img('p2b', { id: 'x', shot: 'without-note' })])).toEqual({ images: 1, notePairs: 0, inputPages: 1 });
    expect(countPages([img('p2a', { id: 'x', shot: 'with-note' })])).toEqual({ images: 1, notePairs: 0, inputPages: 1 });
  });

  it('property: input pages = images − complete pairs, never more than images and never below half', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.boolean(), fc.boolean()), { maxLength: 40 }), (spec) => {
        // Each entry: a sheet, noted or not; for a noted sheet, whether each shot is present.
        const pages: CountedImage[] = [];
        let complete = 0;
        spec.forEach(([noted, first, second], i) => {
          if (!noted) pages.push(img(`s${i}`));
          else {
            if (first) pages.push(img(`s${i}a`, { id: `n${i}`, shot: 'with-note' }));
            if (second) pages.push(img(`s${i}b`, { id: `n${i}`, shot: 'without-note' }));
            if (first && second) complete += 1;
          }
        });
        const counted = countPages(pages);
        expect(counted.images).toBe(pages.length);
        expect(counted.notePairs).toBe(complete);
        expect(counted.inputPages).toBe(pages.length - complete);
        expect(counted.inputPages * 2).toBeGreaterThanOrEqual(counted.images);
      }),
    );
  });
});

describe('the clerk confirms the paper page count', () => {
  const counted = { images: 4, notePairs: 1, inputPages: 3 };

  it('defaults to the captured count: no mismatch until the clerk types another number', () => {
    expect(pageCountConfirmation('TK', counted)).toEqual({ code: 'TK', ...counted, paperPages: 3, mismatchAcknowledged: false });
    expect(() => assertPageCountsConfirmed([{ ...pageCountConfirmation('TK', counted), name: 'Tờ khai' }])).not.toThrow();
  });

  it('a different paper count is refused until acknowledged', () => {
    const typed = pageCountConfirmation('TK', counted, { paperPages: 4 });
    expect(typed.mismatchAcknowledged).toBe(false);
    let thrown: unknown;
    try {
      assertPageCountsConfirmed([{ ...typed, name: 'Tờ khai' }]);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(AppError);
    expect(thrown).toMatchObject({ code: 'DIGITIZATION_PAGE_COUNT_MISMATCH', details: { component: 'Tờ khai', inputPages: 3, paperPages: 4 } });

    const acknowledged = pageCountConfirmation('TK', counted, { paperPages: 4, acknowledged: { inputPages: 3, paperPages: 4 } });
    expect(acknowledged.mismatchAcknowledged).toBe(true);
    expect(() => assertPageCountsConfirmed([{ ...acknowledged, name: 'Tờ khai' }])).not.toThrow();
  });

  it('an acknowledgement lapses when a page is scanned or deleted, or the paper count changes', () => {
    const entry = { paperPages: 4, acknowledged: { inputPages: 3, paperPages: 4 } };
    expect(pageCountConfirmation('TK', { images: 5, notePairs: 1, inputPages: 4 }, entry)).toMatchObject({ paperPages: 4, mismatchAcknowledged: false }); // now they match
    expect(pageCountConfirmation('TK', { images: 3, notePairs: 1, inputPages: 2 }, entry).mismatchAcknowledged).toBe(false);
    expect(pageCountConfirmation('TK', counted, { ...entry, paperPages: 5 }).mismatchAcknowledged).toBe(false);
  });
});

describe('pairs stay together', () => {
  const strip = [
    { id: 'a', pageCount: 1 },
    { id: 'b', pageCount: 1 },
    { id: 'c', pageCount: 1, notePair: { id: 'x', shot: 'with-note' as const } },
    { id: 'd', pageCount: 1, notePair: { id: 'x', shot: 'without-note' as const } },
    { id: 'pdf', pageCount: 3 },
    { id: 'e', pageCount: 1 },
  ];

  it('pairs a page with the next single image of the strip, not with a paired page, a PDF or nothing', () => {
    expect(nextPagePair(strip, 'a')).toMatchObject({ withNote: { id: 'a' }, withoutNote: { id: 'b' } });
    expect(nextPagePair(strip, 'b')).toBeNull(); // next is already in a pair
    expect(nextPagePair(strip, 'c')).toBeNull();
    expect(nextPagePair(strip, 'pdf')).toBeNull();
    expect(nextPagePair(strip, 'e')).toBeNull(); // last page
    expect(nextPagePair(strip, 'nope')).toBeNull();
  });

  it('deleting or moving one shot takes its partner along', () => {
    expect(withNotePartners(strip, ['d']).sort()).toEqual(['c', 'd']);
    expect(withNotePartners(strip, ['a', 'c']).sort()).toEqual(['a', 'c', 'd']);
    expect(withNotePartners(strip, ['e'])).toEqual(['e']);
  });

  it('property: order values for a moved group lie strictly between the neighbours, increasing', () => {
    fc.assert(
      fc.property(fc.option(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { nil: undefined }), fc.double({ min: 1e-3, max: 1e3, noNaN: true }), fc.integer({ min: 1, max: 3 }), fc.boolean(), (previous, gap, count, hasNext) => {
        const next = hasNext ? (previous ?? 0) + gap : undefined;
        const orders = ordersBetween(previous, next, count);
        expect(orders).toHaveLength(count);
        for (let i = 1; i < orders.length; i++) expect(orders[i]).toBeGreaterThan(orders[i - 1] ?? Infinity);
        if (previous !== undefined) expect(orders[0]).toBeGreaterThan(previous);
        if (next !== undefined) expect(orders.at(-1)).toBeLessThan(next);
      }),
    );
  });
});
