// Issue 17, finding 8: the masked name a minimised dossier keeps, and what is left of its applicant.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { closedStatuses, isClosedStatus, isMaskedName, maskPersonName, minimisedApplicant } from '../../../../shared/domain/minimisation';

describe('maskPersonName', () => {
  it('keeps the family name and cuts every other word to its initial', () => {
    expect(maskPersonName('Nguyễn Văn Dũng')).toBe('Nguyễn V. D.');
    expect(maskPersonName('Trần Thị Bình')).toBe('Trần T. B.');
    expect(maskPersonName('  Đặng   đình   ước ')).toBe('Đặng Đ. Ư.');
    expect(maskPersonName('Lê Dũng')).toBe('Lê D.');
  });

  it('keeps only the initial of a one-word name, and gives nothing for a blank one', () => {
    expect(maskPersonName('Dũng')).toBe('D.');
    expect(maskPersonName('   ')).toBe('');
  });

  it('reads decomposed input (NFD) as the same letters, and drops controls and bidi overrides', () => {
    expect(maskPersonName('Nguyễn Văn Dũng'.normalize('NFD'))).toBe('Nguyễn V. D.');
    expect(maskPersonName('Nguyễn \u202EVăn\u202C D\u0000ũng')).toBe('Nguyễn V. D.');
  });

  it('masks an organisation name the same way', () => {
    expect(maskPersonName('Công ty TNHH An Phát')).toBe('Công T. T. A. P.');
  });

  it('is idempotent and never keeps a word after the first whole (property)', () => {
    // Vietnamese letters only: a range like À-ỹ also holds spaces (U+1680) and combining marks alone.
    const vowels = Array.from('aăâeêioôơuưy').flatMap((v) => ['', '\u0300', '\u0301', '\u0309', '\u0303', '\u0323'].map((tone) => (v + tone).normalize('NFC')));
    const letters = [...vowels, ...Array.from('bcdđghklmnpqrstvx')].flatMap((l) => [l, l.toLocaleUpperCase('vi')]);
    const word = fc.array(fc.constantFrom(...letters), { minLength: 1, maxLength: 12 }).map((chars) => chars.join(''));
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 6 }), (words) => {
        const masked = maskPersonName(words.join(' '));
        expect(maskPersonName(masked)).toBe(masked);
        expect(isMaskedName(masked)).toBe(true);
        const parts = masked.split(' ');
        expect(parts).toHaveLength(words.length);
        // Only the first word may be longer than "X.".
        for (const part of words.length > 1 ? parts.slice(1) : parts) expect(Array.from(part)).toHaveLength(2);
      }),
    );
  });
});

describe('minimisedApplicant', () => {
  it('keeps only the holder name, masked; every other personal field is empty or gone', () => {
    expect(
      minimisedApplicant({ fullName: 'Nguyễn Văn Dũng', idNumber: '001203004567', phone: '0912345678', address: 'Hà Nội', email: 'a@b.vn', birthDate: '2003-01-15', gender: 'male', idIssuedDate: '2021-04-01' }),
    ).toEqual({ fullName: 'Nguyễn V. D.', idNumber: '', phone: '', address: '' });
    expect(minimisedApplicant({ fullName: 'Lê Văn Cường', idNumber: '001203004567', phone: '0912345678', address: 'Hà Nội', organisation: { name: 'Công ty TNHH An Phát', taxCode: '0100233488' } })).toEqual({
      fullName: 'Công T. T. A. P.',
      idNumber: '',
      phone: '',
      address: '',
    });
    expect(minimisedApplicant({ fullName: 'Lê Văn Cường', idNumber: '001203004567', phone: '0912345678', address: 'Hà Nội', onBehalfOf: { fullName: 'Lê Thị Hoa', relation: 'Mẹ' } }).fullName).toBe('Lê T. H.');
  });

  it('changes nothing on an already minimised applicant', () => {
    const once = minimisedApplicant({ fullName: 'Nguyễn Văn Dũng', idNumber: '001203004567', phone: '0912345678', address: 'Hà Nội' });
    expect(minimisedApplicant(once)).toEqual(once);
  });
});

describe('closedStatuses', () => {
  it('are not accepted, withdrawn, stopped and returned; nothing still in processing', () => {
    expect([...closedStatuses].sort((a, b) => a - b)).toEqual([3, 7, 8, 10]);
    for (const status of [1, 2, 4, 5, 6, 9] as const) expect(isClosedStatus(status)).toBe(false);
  });
});
