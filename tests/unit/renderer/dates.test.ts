import { describe, expect, it } from 'vitest';
import { formatIsoDateVietnamese, parseVietnameseDate } from '../../../renderer/src/ui/dates';

describe('dates typed as dd/mm/yyyy', () => {
  it('reads day first, with /, - or .; refuses dates that do not exist', () => {
    expect(parseVietnameseDate('01/12/2026')).toBe('2026-12-01');
    expect(parseVietnameseDate(' 1-2-2026 ')).toBe('2026-02-01');
    expect(parseVietnameseDate('29.02.2028')).toBe('2028-02-29');
    expect(parseVietnameseDate('29/02/2026')).toBeNull();
    expect(parseVietnameseDate('12/31/2026')).toBeNull();
    expect(parseVietnameseDate('2026-12-01')).toBeNull();
    expect(formatIsoDateVietnamese('2026-12-01')).toBe('01/12/2026');
  });

  it('reads eight digits typed without separators as ddmmyyyy', () => {
    expect(parseVietnameseDate('12031985')).toBe('1985-03-12');
    expect(parseVietnameseDate('31021985')).toBeNull();
    expect(parseVietnameseDate('1203198')).toBeNull();
    expect(parseVietnameseDate('120319851')).toBeNull();
  });
});
