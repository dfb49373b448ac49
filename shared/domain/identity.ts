import { AppError } from '../errors';

/**
 * Checks on the 12-digit personal identification number (số định danh cá nhân, printed on the CCCD /
 * thẻ căn cước). Layout: PPP G YY NNNNNN —
 *   PPP     province where the birth was registered (pre-2025 codes 001–096; only the form is checked,
 *           never against the 34 provinces that exist since July 2025),
 *   G       century and gender: 0/1 = male/female born 1900–1999, 2/3 = 2000–2099, 4/5 = 2100–2199,
 *           6/7 = 2200–2299, 8/9 = 2300–2399,
 *   YY      last two digits of the birth year,
 *   NNNNNN  random.
 */

export type Gender = 'male' | 'female';

export interface PersonalNumberParts {
  readonly provinceCode: string;
  readonly gender: Gender;
  /** Four-digit birth year encoded by the century digit and YY. */
  readonly birthYear: number;
}

export interface IdentityClaims {
  /** ISO date YYYY-MM-DD (as typed or converted from the QR's ddMMyyyy). */
  readonly birthDate: string;
  readonly gender: Gender;
}

/** "Nam"/"Nữ" as printed on the card and in its QR text; undefined for anything else. */
export function genderFromVietnamese(text: string): Gender | undefined {
  const folded = text.normalize('NFC').trim().toLowerCase();
  if (folded === 'nam') return 'male';
  if (folded === 'nữ' || folded === 'nu') return 'female';
  return undefined;
}

/** Splits a well-formed number; throws PERSONAL_NUMBER_INVALID when it is not 12 digits with a 001–096 province. */
export function parsePersonalNumber(input: string): PersonalNumberParts {
  const id = input.trim();
  if (!/^\d{12}$/.test(id)) throw new AppError('PERSONAL_NUMBER_INVALID', { id, reason: 'length' });
  const provinceCode = id.slice(0, 3);
  const province = Number(provinceCode);
  if (province < 1 || province > 96) throw new AppError('PERSONAL_NUMBER_INVALID', { id, reason: 'province', provinceCode });
  const centuryGender = Number(id[3]);
  const century = 1900 + Math.floor(centuryGender / 2) * 100;
  return {
    provinceCode,
    gender: centuryGender % 2 === 0 ? 'male' : 'female',
    birthYear: century + Number(id.slice(4, 6)),
  };
}

function birthYearOf(birthDate: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthDate.trim());
  const year = m ? Number(m[1]) : NaN;
  const month = m ? Number(m[2]) : NaN;
  const day = m ? Number(m[3]) : NaN;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (!m || date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    throw new AppError('DOSSIER_INVALID', { issue: `ngày sinh "${birthDate}" không hợp lệ (YYYY-MM-DD)` });
  }
  return year;
}

/**
 * Checks that the number's century/gender digit and birth-year digits agree with the birth date and
 * gender the applicant gave (or the card's QR carries). Throws PERSONAL_NUMBER_INVALID for a malformed
 * number and PERSONAL_NUMBER_MISMATCH naming the part that disagrees (`part`: "gender", "century" or
 * "birthYear"); returns the parsed parts otherwise.
 */
export function checkPersonalNumber(id12: string, claims: IdentityClaims): PersonalNumberParts {
  const parts = parsePersonalNumber(id12);
  const id = id12.trim();
  const claimedYear = birthYearOf(claims.birthDate);
  if (parts.gender !== claims.gender) {
    throw new AppError('PERSONAL_NUMBER_MISMATCH', {
      id,
      part: 'gender',
      partVi: 'giới tính',
      digit: id[3] ?? '',
      fromNumber: parts.gender === 'male' ? 'Nam' : 'Nữ',
      declared: claims.gender === 'male' ? 'Nam' : 'Nữ',
    });
  }
  if (Math.floor(parts.birthYear / 100) !== Math.floor(claimedYear / 100)) {
    throw new AppError('PERSONAL_NUMBER_MISMATCH', {
      id,
      part: 'century',
      partVi: 'thế kỷ sinh',
      digit: id[3] ?? '',
      fromNumber: `${Math.floor(parts.birthYear / 100) * 100}–${Math.floor(parts.birthYear / 100) * 100 + 99}`,
      declared: String(claimedYear),
    });
  }
  if (parts.birthYear !== claimedYear) {
    throw new AppError('PERSONAL_NUMBER_MISMATCH', {
      id,
      part: 'birthYear',
      partVi: 'năm sinh',
      digit: id.slice(4, 6),
      fromNumber: String(parts.birthYear),
      declared: String(claimedYear),
    });
  }
  return parts;
}
