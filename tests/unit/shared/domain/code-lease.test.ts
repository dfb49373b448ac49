/** Issue 15: the pure rules of leased dossier numbers (shared/domain/code-lease.ts). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  codeLeasePolicySchema,
  defaultCodeLeasePolicy,
  firstLeasableSequence,
  leaseBlockSize,
  leaseDays,
  needsRefill,
  nextBlock,
  nextLeasedNumber,
  unusedInLeases,
} from '../../../../shared/domain/code-lease';
import { AppError } from '../../../../shared/errors';

describe('block sizing', () => {
  it('is the busiest day × headroom, at least the floor and at most the ceiling', () => {
    expect(leaseBlockSize(0)).toBe(defaultCodeLeasePolicy.floor);
    expect(leaseBlockSize(10)).toBe(20);
    expect(leaseBlockSize(30)).toBe(45);
    expect(leaseBlockSize(10_000)).toBe(defaultCodeLeasePolicy.ceiling);
    const small = codeLeasePolicySchema.parse({ floor: 3, ceiling: 10, headroom: 2 });
    expect([0, 1, 2, 4, 9].map((peak) => leaseBlockSize(peak, small))).toEqual([3, 3, 4, 8, 10]);
  });

  it('refills when less than half a block is left', () => {
    expect(needsRefill(0, 20)).toBe(true);
    expect(needsRefill(9, 20)).toBe(true);
    expect(needsRefill(10, 20)).toBe(false);
  });
});

describe('blocks of one (agency, day)', () => {
  it('start at 1 for a Decision-20 identifier and above the old fixed blocks (9001) for a QCVN one', () => {
    expect(firstLeasableSequence('G12.18.92')).toBe(1);
    expect(firstLeasableSequence('000.00.01.H22')).toBe(9001);
    expect(nextBlock('G12.18.92', undefined, 20)).toEqual({ first: 1, last: 20 });
    expect(nextBlock('G12.18.92', 20, 5)).toEqual({ first: 21, last: 25 });
    expect(nextBlock('000.00.01.H22', 120, 5)).toEqual({ first: 9001, last: 9005 });
  });

  it('refuse to pass 7 digits', () => {
    let err: unknown;
    try {
      nextBlock('G12.18.92', 9_999_990, 20);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('CODE_LEASE_REFUSED');
  });

  it('appended one after another are pairwise disjoint (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 500 }), { minLength: 1, maxLength: 50 }), (sizes) => {
        let top: number | undefined;
        const blocks = sizes.map((size) => {
          const block = nextBlock('G12.18.92', top, size);
          top = block.last;
          return block;
        });
        return blocks.every((b, i) => i === 0 || b.first > (blocks[i - 1]?.last ?? 0));
      }),
    );
  });
});

describe('the next number from a holder’s blocks', () => {
  it('is the smallest leased number above the last used, across blocks in any order', () => {
    const blocks = [
      { first: 101, last: 103 },
      { first: 1, last: 2 },
    ];
    expect(nextLeasedNumber(blocks, undefined)).toBe(1);
    expect(nextLeasedNumber(blocks, 2)).toBe(101);
    expect(nextLeasedNumber(blocks, 50)).toBe(101);
    expect(nextLeasedNumber(blocks, 103)).toBeUndefined();
    expect(unusedInLeases(blocks, 1)).toBe(4);
  });

  it('taken repeatedly, goes strictly up, uses every leased number once and nothing else (property)', () => {
    const blocks = fc.array(fc.tuple(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 0, max: 30 })), { maxLength: 8 }).map((pairs) => {
      // Disjoint blocks, as the central hands them out, in random order.
      let top = 0;
      const made = pairs.map(([gap, size]) => {
        const first = top + gap;
        top = first + size;
        return { first, last: first + size };
      });
      return made.reverse();
    });
    fc.assert(
      fc.property(blocks, (leases) => {
        const used: number[] = [];
        let last: number | undefined;
        for (let n = nextLeasedNumber(leases, last); n !== undefined; n = nextLeasedNumber(leases, last)) {
          used.push(n);
          last = n;
        }
        const expected = leases.flatMap((l) => Array.from({ length: l.last - l.first + 1 }, (_, i) => l.first + i)).sort((a, b) => a - b);
        return JSON.stringify(used) === JSON.stringify(expected) && unusedInLeases(leases, last) === 0;
      }),
    );
  });
});

it('lease days are today and the days after it, across a month end', () => {
  expect(leaseDays('2026-11-29', 3)).toEqual(['2026-11-29', '2026-11-30', '2026-12-01', '2026-12-02']);
});
