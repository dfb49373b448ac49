import { describe, expect, it } from 'vitest';
import { applicantSchema } from '../../../../shared/domain/dossier';
import { firstUnsafeCharacter } from '../../../../shared/util/plain-text';

const applicant = { fullName: 'Nguyễn Thị Ánh Tuyết', idNumber: '001190012345', phone: '0912345678', address: 'Thôn Đông, xã Demo, Hưng Yên' };

describe('names and addresses without control or bidi characters (issue 17, finding 10)', () => {
  it('accepts Vietnamese text with every diacritic, in NFC and NFD', () => {
    expect(applicantSchema.safeParse(applicant).success).toBe(true);
    expect(applicantSchema.safeParse({ ...applicant, fullName: 'Đặng Thị Ngọc Hưởng'.normalize('NFD') }).success).toBe(true);
  });

  it.each([
    ['fullName', 'Nguyễn \u202eTuyết'],
    ['address', 'Thôn Đông\u0000, xã Demo'],
    ['fullName', 'Nguyễn\u2066 Tuyết'],
  ])('refuses %s carrying %j, whoever typed or scanned it', (field, value) => {
    const result = applicantSchema.safeParse({ ...applicant, [field]: value });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual([field]);
  });

  it('refuses them in the represented person and the organisation too', () => {
    expect(applicantSchema.safeParse({ ...applicant, onBehalfOf: { fullName: 'Trần\u202d Bình' } }).success).toBe(false);
    expect(applicantSchema.safeParse({ ...applicant, organisation: { name: 'Công ty\u200f A', taxCode: '0100233488' } }).success).toBe(false);
  });

  it('names the first offending character as a code point', () => {
    expect(firstUnsafeCharacter('abc\u202edef\u0007')).toBe('U+202E');
    expect(firstUnsafeCharacter('Nguyễn Văn A')).toBeUndefined();
  });
});
