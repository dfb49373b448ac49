import { describe, expect, it } from 'vitest';
import {
  counterOfSequence,
  counterSequenceRange,
  dossierCodeDay,
  formatDossierCode,
  nextSequence,
  parseDossierCode,
} from '../../../../shared/domain/dossier-code';
import { dossierCodeSchema } from '../../../../shared/domain/dossier';
import { AppError } from '../../../../shared/errors';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return err instanceof AppError ? err.code : 'not an AppError';
  }
  return undefined;
}

describe('formatDossierCode', () => {
  it('formats <unit>-YYMMDD-XXXX and matches the shared schema', () => {
    const code = formatDossierCode('000.17.22.H56', new Date('2021-05-31T03:00:00Z'), 1);
    expect(code).toBe('000.17.22.H56-210531-0001');
    expect(dossierCodeSchema.safeParse(code).success).toBe(true);
  });

  it('takes the date in Vietnam time: 17:00 UTC is already the next day in Vietnam', () => {
    expect(formatDossierCode('000.00.01.H22', new Date('2026-11-23T16:59:59.999Z'), 12)).toBe('000.00.01.H22-261123-0012');
    expect(formatDossierCode('000.00.01.H22', new Date('2026-11-23T17:00:00Z'), 12)).toBe('000.00.01.H22-261124-0012');
    // New Year's Eve: 31 Dec 2026 17:30 UTC = 1 Jan 2027 00:30 in Vietnam.
    expect(dossierCodeDay(new Date('2026-12-31T17:30:00Z'))).toBe('270101');
  });

  it('rejects a bad agency identifier and an out-of-range sequence with AppErrors', () => {
    const at = new Date('2026-11-23T03:00:00Z');
    expect(codeOf(() => formatDossierCode('H5.17.22.000', at, 1))).toBe('AGENCY_ID_INVALID');
    expect(codeOf(() => formatDossierCode('000.17.22.H56', at, 0))).toBe('DOSSIER_CODE_INVALID');
    // Issue 15: sequences may run past 9999 (at least 4 digits); the bound is now 7 digits.
    expect(formatDossierCode('000.17.22.H56', at, 10_000)).toBe('000.17.22.H56-261123-10000');
    expect(codeOf(() => formatDossierCode('000.17.22.H56', at, 10_000_000))).toBe('DOSSIER_CODE_INVALID');
    expect(codeOf(() => formatDossierCode('000.17.22.H56', at, 1.5))).toBe('DOSSIER_CODE_INVALID');
  });
});

describe('parseDossierCode', () => {
  it('round-trips a formatted code', () => {
    const code = formatDossierCode('000.17.22.H56', new Date('2026-02-28T10:00:00Z'), 2005);
    expect(parseDossierCode(code)).toEqual({
      agencyId: '000.17.22.H56',
      agencyIdForm: 'qcvn-102',
      series: undefined,
      year: 2026,
      month: 2,
      day: 28,
      sequence: 2005,
      counterNo: 3,
    });
  });

  it('rejects malformed codes and impossible dates', () => {
    expect(codeOf(() => parseDossierCode('000.17.22.H56-210531-001'))).toBe('DOSSIER_CODE_INVALID');
    expect(codeOf(() => parseDossierCode('000.17.22.H56-210230-0001'))).toBe('DOSSIER_CODE_INVALID');
    expect(codeOf(() => parseDossierCode('000.17.22.H56-211301-0001'))).toBe('DOSSIER_CODE_INVALID');
    expect(codeOf(() => parseDossierCode('000.17.22.H56-210531-0000'))).toBe('DOSSIER_CODE_INVALID');
    expect(parseDossierCode(' 000.17.22.H56-240229-0001 ').day).toBe(29);
  });
});

describe('per-counter sequence blocks', () => {
  it('gives counter k the block [(k−1)·1000+1, k·1000−1]', () => {
    expect(counterSequenceRange(1)).toEqual({ first: 1, last: 999 });
    expect(counterSequenceRange(2)).toEqual({ first: 1001, last: 1999 });
    expect(counterSequenceRange(9)).toEqual({ first: 8001, last: 8999 });
    expect(codeOf(() => counterSequenceRange(0))).toBe('INTERNAL');
    expect(codeOf(() => counterSequenceRange(10))).toBe('INTERNAL');
  });

  it('blocks of different counters never overlap, so offline counters cannot collide', () => {
    const seen = new Map<number, number>();
    for (let counter = 1; counter <= 9; counter++) {
      const { first, last } = counterSequenceRange(counter);
      for (let n = first; n <= last; n++) {
        if (seen.has(n) || counterOfSequence(n) !== counter) throw new Error(`sequence ${n} is not counter ${counter}'s alone`);
        seen.set(n, counter);
      }
    }
    expect(seen.size).toBe(9 * 999);
    expect(counterOfSequence(1000)).toBeUndefined();
    expect(counterOfSequence(9500)).toBeUndefined();
  });

  it('nextSequence starts at the block, counts up, and stops with DOSSIER_SEQUENCE_EXHAUSTED after 999', () => {
    expect(nextSequence(undefined, 3)).toBe(2001);
    expect(nextSequence(2001, 3)).toBe(2002);
    let last: number | undefined;
    const issued: number[] = [];
    for (let i = 0; i < 999; i++) issued.push((last = nextSequence(last, 4)));
    expect(issued[0]).toBe(3001);
    expect(issued.at(-1)).toBe(3999);
    let error: unknown;
    try {
      nextSequence(3999, 4);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('DOSSIER_SEQUENCE_EXHAUSTED');
    expect((error as AppError).details).toMatchObject({ counterNo: 4, first: 3001, last: 3999, capacity: 999 });
  });

  it('refuses a last-used number from another counter block', () => {
    expect(codeOf(() => nextSequence(1500, 1))).toBe('INTERNAL');
  });
});
