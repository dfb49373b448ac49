import { AppError } from '../errors';

/**
 * Vietnamese enterprise tax code (mã số thuế, MST): 10 digits — 2-digit province of first registration,
 * 7-digit sequence (never 0000000), and a check digit — or 13 digits for a dependent unit (branch,
 * representative office): the parent's 10 digits, a dash, and a 3-digit sequence 001–999.
 *
 * Check digit: weights 31, 29, 23, 19, 17, 13, 7, 5, 3 on digits 1–9; check = 10 − (sum mod 11). When
 * sum mod 11 is 0 the formula gives 10, which no digit can carry, so such a prefix is never issued.
 * (Rule and examples 0100233488, 0314409058-002 as documented by the python-stdnum `vn.mst` module.)
 */

const WEIGHTS = [31, 29, 23, 19, 17, 13, 7, 5, 3] as const;

export interface TaxCode {
  /** The 10-digit enterprise code. */
  readonly base: string;
  /** The 3-digit dependent-unit suffix, when present. */
  readonly branch?: string;
  /** Canonical display form: "0100233488" or "0314409058-002". */
  readonly formatted: string;
}

/** The check digit for the first nine digits, or undefined when the formula yields 10 (never issued). */
export function taxCodeCheckDigit(first9: string): number | undefined {
  let sum = 0;
  WEIGHTS.forEach((w, i) => (sum += w * Number(first9[i])));
  const check = 10 - (sum % 11);
  return check === 10 ? undefined : check;
}

/**
 * Validates and normalises what the clerk typed (spaces and dots allowed; the branch part may be written
 * with or without the dash). Throws TAX_CODE_INVALID with `reason` ("format", "sequence", "branch",
 * "checkDigit").
 */
export function parseTaxCode(input: string): TaxCode {
  const compact = input.replace(/[\s.]/g, '');
  const m = /^(\d{10})(?:-?(\d{3}))?$/.exec(compact);
  if (!m) throw new AppError('TAX_CODE_INVALID', { code: input.trim(), reason: 'format' });
  const base = m[1] as string;
  const branch = m[2];
  if (base.slice(2, 9) === '0000000') throw new AppError('TAX_CODE_INVALID', { code: input.trim(), reason: 'sequence' });
  if (branch === '000') throw new AppError('TAX_CODE_INVALID', { code: input.trim(), reason: 'branch' });
  if (taxCodeCheckDigit(base.slice(0, 9)) !== Number(base[9])) {
    throw new AppError('TAX_CODE_INVALID', { code: input.trim(), reason: 'checkDigit' });
  }
  return branch === undefined ? { base, formatted: base } : { base, branch, formatted: `${base}-${branch}` };
}

export function isValidTaxCode(input: string): boolean {
  try {
    parseTaxCode(input);
    return true;
  } catch (err) {
    if (err instanceof AppError) return false;
    throw err;
  }
}
