import { describe, expect, it } from 'vitest';
import { looksLikeCccdQr, parseCccdQr } from '../../../../shared/domain/cccd';
import { AppError } from '../../../../shared/errors';

function errorOf(text: string): { code: string; details: Record<string, string | number> } {
  try {
    parseCccdQr(text);
  } catch (err) {
    if (err instanceof AppError) return { code: err.code, details: { ...err.details } };
    throw err;
  }
  throw new Error('no error');
}

describe('CCCD QR text', () => {
  it('reads the seven-field form with an old ID', () => {
    expect(parseCccdQr('001190012345|012345678|Nguyễn Thị Ánh Tuyết|15031990|Nữ|Thôn Đông, xã Demo, Hưng Yên|01072021\r\n')).toEqual({
      personalNumber: '001190012345',
      oldIdNumber: '012345678',
      fullName: 'Nguyễn Thị Ánh Tuyết',
      birthDate: '1990-03-15',
      gender: 'female',
      address: 'Thôn Đông, xã Demo, Hưng Yên',
      issuedDate: '2021-07-01',
      extraFields: [],
    });
  });

  it('reads an empty old-ID field, the six-field form, and keeps fields newer cards add', () => {
    const empty = parseCccdQr('034205001122||Trần Văn Bình|02092005|Nam|Xóm Mới, xã Demo|10012022');
    expect(empty.oldIdNumber).toBeUndefined();
    expect(empty).toMatchObject({ fullName: 'Trần Văn Bình', birthDate: '2005-09-02', gender: 'male', issuedDate: '2022-01-10' });
    const six = parseCccdQr('034205001122|Trần Văn Bình|02092005|Nam|Xóm Mới, xã Demo|10012022');
    expect(six).toMatchObject({ personalNumber: '034205001122', fullName: 'Trần Văn Bình', address: 'Xóm Mới, xã Demo', issuedDate: '2022-01-10' });
    const newer = parseCccdQr('034205001122||Trần Văn Bình|02092005|Nam|Xóm Mới, xã Demo|10012022|X|Y');
    expect(newer.extraFields).toEqual(['X', 'Y']);
  });

  it('normalises decomposed Vietnamese to NFC', () => {
    const decomposed = '001190012345||Nguyễn Thị Ánh Tuyết'.normalize('NFD') + '|15031990|Nữ'.normalize('NFD') + '|Hưng Yên|01072021';
    expect(parseCccdQr(decomposed).fullName).toBe('Nguyễn Thị Ánh Tuyết');
  });

  it('refuses malformed text with a reason', () => {
    expect(errorOf('').code).toBe('CCCD_QR_INVALID');
    expect(errorOf('hello world').code).toBe('CCCD_QR_INVALID');
    expect(errorOf('00119001234||Tên|15031990|Nữ|Địa chỉ|01072021').details.field).toBe('personalNumber');
    expect(errorOf('001190012345|x|Tên|15031990|Nữ|Địa chỉ|01072021').details.field).toBe('birthDate');
    expect(errorOf('001190012345||Tên|31021990|Nữ|Địa chỉ|01072021').details.field).toBe('birthDate');
    expect(errorOf('001190012345||Tên|15031990|Khác|Địa chỉ|01072021').details.field).toBe('gender');
  });

  it('refuses a number whose digits contradict the birth date or gender', () => {
    expect(errorOf('001190012345||Nguyễn Văn A|15031990|Nam|Hưng Yên|01072021').code).toBe('PERSONAL_NUMBER_MISMATCH');
    expect(errorOf('001190012345||Nguyễn Thị A|15031991|Nữ|Hưng Yên|01072021').code).toBe('PERSONAL_NUMBER_MISMATCH');
  });

  it('tells a wedge scan from typing', () => {
    expect(looksLikeCccdQr('001190012345||Nguyễn Thị Ánh Tuyết|15031990|Nữ|Hưng Yên|01072021')).toBe(true);
    expect(looksLikeCccdQr('Nguyễn Thị Ánh Tuyết')).toBe(false);
    expect(looksLikeCccdQr('001190012345')).toBe(false);
  });
});

describe('CCCD QR text: characters no card carries (issue 17, finding 10)', () => {
  const card = (name: string): string => `001190012345|012345678|${name}|15031990|Nữ|Thôn Đông, xã Demo|01072021`;

  it.each([
    ['a right-to-left override that would print the name backwards', 'Nguyễn \u202eTuyết', 'U+202E'],
    ['a first-strong isolate', 'Nguyễn \u2068Tuyết', 'U+2068'],
    ['a control character', 'Nguyễn\u0007 Tuyết', 'U+0007'],
    ['a zero-width space making two names look alike', 'Nguyễn\u200bTuyết', 'U+200B'],
  ])('refuses %s, naming the character', (_what, name, codePoint) => {
    const error = errorOf(card(name));
    expect(error.code).toBe('CCCD_QR_INVALID');
    expect(String(error.details.reason)).toContain(codePoint);
  });

  it('still accepts what keyboard-wedge readers add around the text (BOM, CR/LF)', () => {
    expect(parseCccdQr(`\ufeff${card('Nguyễn Thị Ánh Tuyết')}\r\n`).fullName).toBe('Nguyễn Thị Ánh Tuyết');
  });

  it('refuses text far longer than any card holds', () => {
    const error = errorOf(card(`Nguyễn ${'A'.repeat(2000)}`));
    expect(error.code).toBe('CCCD_QR_INVALID');
  });
});
