/**
 * The QR code on a CCCD / thẻ căn cước (Law on Identification 26/2023/QH15): `ID12|oldID|FULL NAME|ddMMyyyy|Nam/Nữ|address|ddMMyyyy`.
 * Cards differ: the old-ID field may be empty, some print six fields (no old ID), newer cards may append more.
 * Parsed by position, tolerantly, then checked: the 12-digit number's century/gender/year digits must agree
 * with the birth date and gender on the same card.
 */
import { AppError } from '../errors';
import { firstUnsafeCharacter } from '../util/plain-text';
import { checkPersonalNumber, genderFromVietnamese, type Gender } from './identity';

export interface CccdData {
  readonly personalNumber: string;
  /** The 9- or 12-digit number of the previous card, when the QR carries one. */
  readonly oldIdNumber?: string;
  readonly fullName: string;
  /** YYYY-MM-DD */
  readonly birthDate: string;
  readonly gender: Gender;
  readonly address: string;
  /** YYYY-MM-DD */
  readonly issuedDate?: string;
  /** Fields after the seventh, kept as read (newer cards). */
  readonly extraFields: readonly string[];
}

const invalid = (reason: string, field?: string): AppError => new AppError('CCCD_QR_INVALID', { reason, ...(field ? { field } : {}) });

/** ddMMyyyy → YYYY-MM-DD, refusing impossible dates (31/02). */
function isoDate(text: string, field: string): string {
  const m = /^(\d{2})(\d{2})(\d{4})$/.exec(text.trim());
  if (!m) throw invalid(`"${text}" không phải ngày dạng ddMMyyyy`, field);
  const [, dd = '', mm = '', yyyy = ''] = m;
  const date = new Date(Date.UTC(Number(yyyy), Number(mm) - 1, Number(dd)));
  if (date.getUTCFullYear() !== Number(yyyy) || date.getUTCMonth() !== Number(mm) - 1 || date.getUTCDate() !== Number(dd)) {
    throw invalid(`ngày ${dd}/${mm}/${yyyy} không tồn tại`, field);
  }
  return `${yyyy}-${mm}-${dd}`;
}

/** A card's QR holds about 150 characters; a reader that never stops typing is not a card. */
const maxCccdQrChars = 1000;

export function parseCccdQr(raw: string): CccdData {
  if (raw.length > maxCccdQrChars) throw invalid(`mã QR dài ${raw.length} ký tự, quá ${maxCccdQrChars}`);
  // Keyboard-wedge readers may add a BOM, CR/LF or surrounding spaces; some scanners type "¦" for "|".
  const text = raw.replace(/^\uFEFF/, '').replace(/[\r\n]+$/g, '').replace(/¦/g, '|').trim().normalize('NFC');
  if (!text) throw invalid('mã QR rỗng');
  // After the reader's own trimmings above, a card never carries control or bidi characters (plain-text.ts).
  const unsafe = firstUnsafeCharacter(text);
  if (unsafe) throw invalid(`mã QR chứa ký tự điều khiển hoặc đảo chiều văn bản (${unsafe}), không phải của thẻ căn cước`);
  const fields = text.split('|').map((f) => f.trim());
  if (fields.length < 6) throw invalid(`chỉ có ${fields.length} trường, cần ít nhất 6`);

  // With an old-ID field (possibly empty) the birth date is the 4th field; without it (six-field cards), the 3rd.
  const hasOldId = /^\d{8}$/.test(fields[3] ?? '') && (fields[1] === '' || /^\d{9}(\d{3})?$/.test(fields[1] ?? ''));
  const withoutOldId = !hasOldId && /^\d{8}$/.test(fields[2] ?? '');
  if (!hasOldId && !withoutOldId) throw invalid('không tìm thấy ngày sinh ở vị trí mong đợi', 'birthDate');
  const at = hasOldId ? 1 : 0;
  const [personalNumber = '', ...rest] = fields;
  const oldIdNumber = hasOldId ? rest[0] : undefined;
  const fullName = fields[1 + at] ?? '';
  const birthField = fields[2 + at] ?? '';
  const genderField = fields[3 + at] ?? '';
  const address = fields[4 + at] ?? '';
  const issuedField = fields[5 + at];

  if (!/^\d{12}$/.test(personalNumber)) throw invalid(`số định danh "${personalNumber}" không gồm 12 chữ số`, 'personalNumber');
  if (!fullName) throw invalid('thiếu họ tên', 'fullName');
  const birthDate = isoDate(birthField, 'birthDate');
  const gender = genderFromVietnamese(genderField);
  if (!gender) throw invalid(`giới tính "${genderField}" không phải Nam/Nữ`, 'gender');
  if (!address) throw invalid('thiếu nơi thường trú', 'address');
  const issuedDate = issuedField ? isoDate(issuedField, 'issuedDate') : undefined;
  checkPersonalNumber(personalNumber, { birthDate, gender });

  return {
    personalNumber,
    ...(oldIdNumber ? { oldIdNumber } : {}),
    fullName,
    birthDate,
    gender,
    address,
    ...(issuedDate ? { issuedDate } : {}),
    extraFields: fields.slice(6 + at),
  };
}

/** A keyboard-wedge reader's text looks like this: digits, then at least five '|' separators. */
export function looksLikeCccdQr(text: string): boolean {
  return /^\uFEFF?\s*\d{12}\s*\|/.test(text) && (text.match(/[|¦]/g)?.length ?? 0) >= 5;
}
