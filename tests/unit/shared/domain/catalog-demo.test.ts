import { describe, expect, it } from 'vitest';
import { bundledCatalog, findProcedure, timeLimitNotes } from '../../../../shared/domain/catalog-demo';
import { procedureSchema } from '../../../../shared/domain/procedure';

describe('bundled catalog', () => {
  it('every procedure passes the procedure schema unchanged', () => {
    for (const procedure of bundledCatalog) expect(procedureSchema.parse(procedure)).toEqual(procedure);
  });

  it('has at least 30 procedures with unique national codes of the form d.dddddd', () => {
    expect(bundledCatalog.length).toBeGreaterThanOrEqual(30);
    expect(new Set(bundledCatalog.map((p) => p.code)).size).toBe(bundledCatalog.length);
    for (const p of bundledCatalog) expect(p.code).toMatch(/^\d\.\d{6}$/);
  });

  it('fills the national fields for every entry and keeps component codes unique within a procedure', () => {
    for (const p of bundledCatalog) {
      expect(new Set(p.components.map((c) => c.code)).size).toBe(p.components.length);
      expect(p.components.some((c) => c.required)).toBe(true);
      for (const c of p.components) expect(c.copyType).toBeDefined();
      expect(p.agency).toBeTruthy();
      expect(p.results?.length).toBeGreaterThan(0);
      expect(p.legalBasis?.length).toBeGreaterThan(0);
      expect(p.fees).toBeDefined();
      expect(p.source.length).toBeGreaterThan(20);
    }
  });

  it('covers commune and province level and the fields the counter handles', () => {
    const fields = new Set(bundledCatalog.map((p) => p.field));
    for (const f of ['Hộ tịch', 'Chứng thực', 'Bảo trợ xã hội', 'Đất đai', 'Hoạt động xây dựng', 'Thành lập và hoạt động của hộ kinh doanh']) {
      expect(fields).toContain(f);
    }
    expect(bundledCatalog.some((p) => p.level === 'province')).toBe(true);
    expect(bundledCatalog.filter((p) => p.level === 'commune').length).toBeGreaterThanOrEqual(20);
  });

  it('rejects a malformed entry: bad code, fee without amount or text', () => {
    const base = bundledCatalog[0];
    expect(procedureSchema.safeParse({ ...base, code: '1.0011' }).success).toBe(false);
    expect(procedureSchema.safeParse({ ...base, fees: [{ label: 'Lệ phí' }] }).success).toBe(false);
    expect(procedureSchema.safeParse({ ...base, components: [] }).success).toBe(false);
  });

  it('stores text as NFC (what the PDF fonts and search expect)', () => {
    const text = JSON.stringify(bundledCatalog);
    expect(text).toBe(text.normalize('NFC'));
  });

  it('models same-day procedures as 0 working days and keeps the notes beside them', () => {
    expect(findProcedure('1.001193')?.timeLimit).toMatchObject({ amount: 0, unit: 'working-days' });
    expect(findProcedure('2.000815')?.timeLimit).toMatchObject({ amount: 0, unit: 'working-days' });
    expect(findProcedure('1.004873')?.timeLimit).toMatchObject({ amount: 3, unit: 'working-days' });
    expect(findProcedure('1.009994')?.timeLimit).toMatchObject({ amount: 15, unit: 'days' });
    expect(timeLimitNotes['1.000894']).toContain('05 ngày làm việc');
    expect(timeLimitNotes['1.001022']).toContain('08 ngày làm việc');
  });

  it('finds by national code and says undefined for an unknown one', () => {
    expect(findProcedure('1.000894')?.name).toBe('Đăng ký kết hôn');
    expect(findProcedure(' 1.000656 ')?.name).toBe('Đăng ký khai tử');
    expect(findProcedure('9.999999')).toBeUndefined();
  });
});
