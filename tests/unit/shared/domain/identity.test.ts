import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../shared/errors';
import { describeError } from '../../../../shared/i18n/error-messages';
import { checkPersonalNumber, genderFromVietnamese, parsePersonalNumber } from '../../../../shared/domain/identity';

function failure(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected an AppError');
}

describe('parsePersonalNumber', () => {
  it('reads province, century/gender digit and birth year', () => {
    expect(parsePersonalNumber('001090123456')).toEqual({ provinceCode: '001', gender: 'male', birthYear: 1990 });
    expect(parsePersonalNumber('079303001234')).toEqual({ provinceCode: '079', gender: 'female', birthYear: 2003 });
    expect(parsePersonalNumber('096199000001')).toEqual({ provinceCode: '096', gender: 'female', birthYear: 1999 });
    expect(parsePersonalNumber(' 031400000007 ')).toEqual({ provinceCode: '031', gender: 'male', birthYear: 2100 });
    expect(parsePersonalNumber('031500000007').birthYear).toBe(2100);
  });

  it('rejects wrong length, non-digits and province codes outside 001–096', () => {
    for (const bad of ['00109012345', '0010901234567', '00109012345a', '', '000090123456', '097090123456']) {
      expect(failure(() => parsePersonalNumber(bad)).code).toBe('PERSONAL_NUMBER_INVALID');
    }
    expect(failure(() => parsePersonalNumber('097090123456')).details.reason).toBe('province');
  });
});

describe('checkPersonalNumber', () => {
  it('accepts a number that agrees with the birth date and gender', () => {
    expect(checkPersonalNumber('001090123456', { birthDate: '1990-05-17', gender: 'male' }).birthYear).toBe(1990);
    expect(checkPersonalNumber('079303001234', { birthDate: '2003-12-31', gender: 'female' }).gender).toBe('female');
  });

  it('says the gender digit disagrees', () => {
    const err = failure(() => checkPersonalNumber('001090123456', { birthDate: '1990-05-17', gender: 'female' }));
    expect(err.code).toBe('PERSONAL_NUMBER_MISMATCH');
    expect(err.details).toMatchObject({ part: 'gender', fromNumber: 'Nam', declared: 'Nữ', digit: '0' });
  });

  it('says the century disagrees (digit 0 = 1900s, born 2003)', () => {
    const err = failure(() => checkPersonalNumber('001003123456', { birthDate: '2003-01-02', gender: 'male' }));
    expect(err.code).toBe('PERSONAL_NUMBER_MISMATCH');
    expect(err.details).toMatchObject({ part: 'century', declared: '2003' });
  });

  it('says the two-digit birth year disagrees', () => {
    const err = failure(() => checkPersonalNumber('001091123456', { birthDate: '1990-05-17', gender: 'male' }));
    expect(err.details).toMatchObject({ part: 'birthYear', fromNumber: '1991', declared: '1990', digit: '91' });
  });

  it('rejects an impossible birth date as invalid input, not as a mismatch', () => {
    expect(failure(() => checkPersonalNumber('001090123456', { birthDate: '1990-02-30', gender: 'male' })).code).toBe('DOSSIER_INVALID');
    expect(failure(() => checkPersonalNumber('001090123456', { birthDate: '17/05/1990', gender: 'male' })).code).toBe('DOSSIER_INVALID');
  });

  it('has a Vietnamese message that names the part', () => {
    const err = failure(() => checkPersonalNumber('001091123456', { birthDate: '1990-05-17', gender: 'male' }));
    const text = describeError('vi', err.code, err.details);
    expect(text).toContain('năm sinh: theo số là 1991, đã khai 1990');
    expect(text).not.toContain('{{');
    expect(describeError('vi', 'TAX_CODE_INVALID', { code: '0100233480' })).toContain('Mã số thuế "0100233480"');
  });
});

describe('genderFromVietnamese', () => {
  it('reads Nam/Nữ as printed on the card', () => {
    expect(genderFromVietnamese('Nam')).toBe('male');
    expect(genderFromVietnamese('Nữ')).toBe('female');
    expect(genderFromVietnamese('Nữ'.normalize('NFD'))).toBe('female');
    expect(genderFromVietnamese('X')).toBeUndefined();
  });
});
