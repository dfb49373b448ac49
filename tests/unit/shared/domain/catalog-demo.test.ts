import { describe, expect, it } from 'vitest';
import { demoCatalog, findProcedure, timeLimitNotes } from '../../../../shared/domain/catalog-demo';
import { procedureSchema } from '../../../../shared/domain/procedure';

describe('demo catalog', () => {
  it('every procedure passes the procedure schema', () => {
    for (const procedure of demoCatalog) expect(procedureSchema.parse(procedure)).toEqual(procedure);
  });

  it('has 5–6 commune procedures with unique codes and unique component codes', () => {
    expect(demoCatalog.length).toBeGreaterThanOrEqual(5);
    expect(demoCatalog.length).toBeLessThanOrEqual(6);
    expect(new Set(demoCatalog.map((p) => p.code)).size).toBe(demoCatalog.length);
    for (const p of demoCatalog) {
      expect(p.level).toBe('commune');
      expect(new Set(p.components.map((c) => c.code)).size).toBe(p.components.length);
      expect(p.components.some((c) => c.required)).toBe(true);
      expect(timeLimitNotes[p.code]).toBeTruthy();
    }
  });

  it('stores text as NFC (what the PDF fonts and search expect)', () => {
    const text = JSON.stringify(demoCatalog);
    expect(text).toBe(text.normalize('NFC'));
  });

  it('models same-day procedures as 0 working days and the marital-status certificate as 3', () => {
    expect(findProcedure('1.001193')?.timeLimit).toEqual({ amount: 0, unit: 'working-days' });
    expect(findProcedure('2.000815')?.timeLimit).toEqual({ amount: 0, unit: 'working-days' });
    expect(findProcedure('1.004873')?.timeLimit).toEqual({ amount: 3, unit: 'working-days' });
  });

  it('finds by national code and says undefined for an unknown one', () => {
    expect(findProcedure('1.000894')?.name).toBe('Đăng ký kết hôn');
    expect(findProcedure(' 1.000656 ')?.name).toBe('Đăng ký khai tử');
    expect(findProcedure('9.999999')).toBeUndefined();
  });
});
