import { describe, expect, it } from 'vitest';
import { bundledCatalog } from '../../../../shared/domain/catalog-demo';
import type { Procedure } from '../../../../shared/domain/procedure';
import { fold, searchProcedures } from '../../../../shared/domain/search';

const codes = (list: readonly Procedure[]) => list.map((p) => p.code);

describe('fold', () => {
  it('drops diacritics, folds đ/Đ to d and lower-cases', () => {
    expect(fold('Đăng ký KHAI SINH')).toBe('dang ky khai sinh');
    expect(fold('Chứng thực  bản sao')).toBe('chung thuc ban sao');
    // decomposed input (NFD from some keyboards) folds the same way
    expect(fold('Đăng ký'.normalize('NFD'))).toBe('dang ky');
  });
});

describe('searchProcedures', () => {
  it('finds "Đăng ký khai sinh" from "dang ky khai sinh", exact name first', () => {
    const found = searchProcedures(bundledCatalog, 'dang ky khai sinh');
    expect(found[0]?.name).toBe('Đăng ký khai sinh');
    expect(codes(found)).toContain('1.000689'); // khai sinh kết hợp nhận cha, mẹ, con
    expect(codes(searchProcedures(bundledCatalog, 'ĐĂNG KÝ KHAI SINH'))[0]).toBe('1.001193');
  });

  it('finds by code prefix and puts the exact code first', () => {
    const byPrefix = searchProcedures(bundledCatalog, '1.0011');
    expect(codes(byPrefix)).toEqual(['1.001193']);
    const prefix1 = searchProcedures(bundledCatalog, '2.000');
    expect(prefix1.length).toBeGreaterThan(3);
    for (const p of prefix1) expect(p.code.startsWith('2.000')).toBe(true);
    expect(searchProcedures(bundledCatalog, '1.004873')[0]?.code).toBe('1.004873');
  });

  it('ranks exact code above name prefix above word matches', () => {
    const catalog: Procedure[] = [
      { ...bundledCatalog[0]!, code: '1.000001', name: 'Thủ tục khác có chữ ket hon ở giữa', field: 'X' },
      { ...bundledCatalog[0]!, code: '1.000002', name: 'Kết hôn lưu động', field: 'X' },
      { ...bundledCatalog[0]!, code: '1.000003', name: 'Đăng ký kết hôn', field: 'X' },
    ];
    expect(codes(searchProcedures(catalog, 'ket hon'))).toEqual(['1.000002', '1.000001', '1.000003']);
    expect(codes(searchProcedures(catalog, '1.000003'))).toEqual(['1.000003']);
  });

  it('matches all words in any order, and word prefixes', () => {
    const found = codes(searchProcedures(bundledCatalog, 'ho kinh doanh thanh lap'));
    expect(found[0]).toBe('2.000720');
    expect(codes(searchProcedures(bundledCatalog, 'chung thuc chu k'))).toContain('2.000884');
    expect(searchProcedures(bundledCatalog, 'khong co thu tuc nay xyz')).toEqual([]);
  });

  it('puts favourites first among equals, and lists everything for an empty query', () => {
    const plain = codes(searchProcedures(bundledCatalog, 'chung thuc'));
    const starred = codes(searchProcedures(bundledCatalog, 'chung thuc', { favourites: ['2.001035'] }));
    expect(starred[0]).toBe('2.001035');
    expect(new Set(starred)).toEqual(new Set(plain));
    // a favourite does not jump above a better-ranked match
    const ks = codes(searchProcedures(bundledCatalog, 'dang ky khai sinh', { favourites: ['1.000689'] }));
    expect(ks[0]).toBe('1.001193');
    expect(ks[1]).toBe('1.000689');
    const all = searchProcedures(bundledCatalog, '   ', { favourites: ['1.009994'] });
    expect(all.length).toBe(bundledCatalog.length);
    expect(all[0]?.code).toBe('1.009994');
  });
});
