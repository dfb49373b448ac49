import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../shared/errors';
import { isValidTaxCode, parseTaxCode, taxCodeCheckDigit } from '../../../../shared/domain/tax-code';

function reason(input: string): string | number | undefined {
  try {
    parseTaxCode(input);
  } catch (err) {
    if (err instanceof AppError && err.code === 'TAX_CODE_INVALID') return err.details.reason;
    throw err;
  }
  throw new Error(`expected ${input} to be rejected`);
}

describe('tax code (MST)', () => {
  it('computes the check digit with weights 31,29,23,19,17,13,7,5,3 and 10 − (sum mod 11)', () => {
    // 0·31+1·29+0·23+0·19+2·17+3·13+3·7+4·5+8·3 = 167; 167 mod 11 = 2; 10 − 2 = 8
    expect(taxCodeCheckDigit('010023348')).toBe(8);
    expect(taxCodeCheckDigit('031440905')).toBe(8);
  });

  it('accepts published valid codes, 10-digit and branch form', () => {
    expect(parseTaxCode('0100233488')).toEqual({ base: '0100233488', formatted: '0100233488' });
    expect(parseTaxCode('0314409058-002')).toEqual({ base: '0314409058', branch: '002', formatted: '0314409058-002' });
    expect(parseTaxCode('01.00.112.437').formatted).toBe('0100112437');
    expect(parseTaxCode('0312 68 78 78 - 001').formatted).toBe('0312687878-001');
    expect(parseTaxCode('0314409058002').formatted).toBe('0314409058-002');
  });

  it('rejects a wrong check digit, a bad format, a zero sequence and branch 000', () => {
    expect(reason('0100233480')).toBe('checkDigit');
    expect(reason('0314409059-002')).toBe('checkDigit');
    expect(reason('12345')).toBe('format');
    expect(reason('0100233488-02')).toBe('format');
    expect(reason('01002334881')).toBe('format');
    expect(reason('010023348A')).toBe('format');
    expect(reason('0100000009')).toBe('sequence');
    expect(reason('0314409058-000')).toBe('branch');
  });

  it('rejects every prefix whose formula gives 10 (no digit can carry it)', () => {
    // find a 9-digit prefix with sum ≡ 0 (mod 11) and show that no 10th digit makes it valid
    let prefix = '';
    for (let n = 10000000; n < 10100000 && !prefix; n++) {
      const p = String(n).padStart(9, '0');
      if (taxCodeCheckDigit(p) === undefined) prefix = p;
    }
    expect(prefix).not.toBe('');
    for (let d = 0; d <= 9; d++) expect(isValidTaxCode(`${prefix}${d}`)).toBe(false);
  });

  it('isValidTaxCode answers yes/no', () => {
    expect(isValidTaxCode('0100233488')).toBe(true);
    expect(isValidTaxCode('0100233487')).toBe(false);
  });
});
