/**
 * Issue 15: agency identifiers per Decision 20/2020/QĐ-TTg (`G12.18.92`) beside the old QCVN 102 form, dossier
 * codes with more than 4 digits, Circular 04/2025 `…-YYMMDD-AAXXXX` codes, provisional `TAM-…` numbers, and
 * the per-procedure choice of the code's prefix.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dossierCodePrefix } from '../../../../shared/domain/code-prefix';
import { officialDossierCodeSchema, dossierCodeSchema, unitCodeSchema } from '../../../../shared/domain/dossier';
import {
  agencyIdFormOf,
  formatDossierCode,
  formatProvisionalCode,
  isProvisionalDossierCode,
  parseDossierCode,
} from '../../../../shared/domain/dossier-code';
import { procedureSchema } from '../../../../shared/domain/procedure';
import { AppError } from '../../../../shared/errors';
import { describeError } from '../../../../shared/i18n/error-messages';

function errorOf(fn: () => unknown): AppError | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  return undefined;
}

const at = new Date('2026-03-05T02:00:00Z'); // 5/3/2026 09:00 in Vietnam

describe('agency identifiers', () => {
  it('accepts Decision 20/2020 identifiers and the old QCVN 102 unit codes', () => {
    for (const id of ['G12.18.92', 'G12', 'A01.1', 'Y99.999.99', 'H22.18.92.01.05']) {
      expect(unitCodeSchema.safeParse(id).success, id).toBe(true);
      expect(agencyIdFormOf(id)).toBe('decision-20');
    }
    expect(agencyIdFormOf('000.00.01.H22')).toBe('qcvn-102');
    expect(unitCodeSchema.safeParse('000.00.01.H22').success).toBe(true);
  });

  it('refuses malformed identifiers with AGENCY_ID_INVALID and a Vietnamese message saying what is wrong', () => {
    const cases: Array<[string, RegExp]> = [
      ['Z12.18.92', /nhóm đầu "Z12"/], // Z is outside A–Y
      ['g12.18.92', /nhóm đầu "g12"/],
      ['G1.18.92', /nhóm đầu "G1"/],
      ['G12..92', /các nhóm sau nhóm đầu/],
      ['G12.18.9A', /các nhóm sau nhóm đầu/],
      [`G12${'.1234'.repeat(8)}`, /quá 35/],
      ['', /trống/],
    ];
    for (const [id, reason] of cases) {
      const err = errorOf(() => agencyIdFormOf(id));
      expect(err?.code, id).toBe('AGENCY_ID_INVALID');
      const message = describeError('vi', 'AGENCY_ID_INVALID', err?.details);
      expect(message).toContain(`"${id}"`);
      expect(message).toMatch(reason);
      expect(message).toContain('G12.18.92');
      expect(unitCodeSchema.safeParse(id).success, id).toBe(false);
    }
  });

  it('any generated Decision 20 identifier of at most 35 characters is accepted and round-trips in a code', () => {
    const letter = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXY'.split(''));
    const digits = (min: number, max: number) => fc.stringMatching(new RegExp(`^\\d{${min},${max}}$`));
    const id = fc
      .tuple(letter, digits(2, 2), fc.array(digits(1, 4), { maxLength: 7 }))
      .map(([m, x, groups]) => [`${m}${x}`, ...groups].join('.'))
      .filter((s) => s.length <= 35);
    fc.assert(
      fc.property(id, fc.integer({ min: 1, max: 9_999_999 }), (agencyId, sequence) => {
        const code = formatDossierCode(agencyId, at, sequence);
        const parsed = parseDossierCode(code);
        return parsed.agencyId === agencyId && parsed.sequence === sequence && parsed.series === undefined && officialDossierCodeSchema.safeParse(code).success;
      }),
    );
  });
});

describe('dossier codes since Decree 118/2025', () => {
  it('formats and parses a G12.18.92-style code, zero-padded to 4 digits and longer when needed', () => {
    expect(formatDossierCode('G12.18.92', at, 42)).toBe('G12.18.92-260305-0042');
    expect(formatDossierCode('G12.18.92', at, 123_456)).toBe('G12.18.92-260305-123456');
    expect(parseDossierCode('G12.18.92-260305-0042')).toEqual({
      agencyId: 'G12.18.92',
      agencyIdForm: 'decision-20',
      series: undefined,
      year: 2026,
      month: 3,
      day: 5,
      sequence: 42,
      counterNo: undefined,
    });
  });

  it('parses Circular 04/2025 MX1X2.Y1Y2Y3.Z1Z2-YYMMDD-AAXXXX codes (AA read as two letters)', () => {
    expect(parseDossierCode('G12.345.67-260126-AB0001')).toMatchObject({ agencyId: 'G12.345.67', series: 'AB', year: 2026, month: 1, day: 26, sequence: 1 });
    expect(parseDossierCode('G12.345.67-260126-QG123456')).toMatchObject({ series: 'QG', sequence: 123_456 });
    // Digits only: the sequence, no series (two digits of AA could not be told apart from the sequence).
    expect(parseDossierCode('G12.345.67-260126-120001')).toMatchObject({ series: undefined, sequence: 120_001 });
  });

  it('still reads old codes, with the counter of the old fixed blocks', () => {
    expect(parseDossierCode('000.17.22.H56-210531-2005')).toMatchObject({ agencyIdForm: 'qcvn-102', counterNo: 3 });
  });

  it('rejects malformed codes', () => {
    // The schema checks the shape; parseDossierCode also the date.
    expect(errorOf(() => parseDossierCode('G12.18.92-260230-0001'))?.code).toBe('DOSSIER_CODE_INVALID');
    for (const code of ['G12.18.92-260305-042', 'Z12.18.92-260305-0001', 'G12.18.92-260305-A0001', 'G12.18.92-260305-12345678', 'G12.18.92260305-0001']) {
      expect(errorOf(() => parseDossierCode(code))?.code, code).toBe('DOSSIER_CODE_INVALID');
      expect(dossierCodeSchema.safeParse(code).success, code).toBe(false);
    }
  });
});

describe('provisional numbers', () => {
  it('are marked TAM-, carry the receiving unit and counter, and are never read as official codes', () => {
    const code = formatProvisionalCode('G12.18.92', 3, at, 7);
    expect(code).toBe('TAM-G12.18.92-Q3-260305-0007');
    expect(isProvisionalDossierCode(code)).toBe(true);
    expect(dossierCodeSchema.safeParse(code).success).toBe(true);
    expect(officialDossierCodeSchema.safeParse(code).success).toBe(false);
    expect(errorOf(() => parseDossierCode(code))?.code).toBe('DOSSIER_CODE_INVALID');
    expect(isProvisionalDossierCode('G12.18.92-260305-0007')).toBe(false);
  });
});

describe('whose identifier begins the code', () => {
  const base = { code: '1.001193', name: 'Đăng ký khai sinh', field: 'Hộ tịch', level: 'commune', timeLimit: { amount: 1, unit: 'working-days' }, components: [{ code: 'TK', name: 'Tờ khai', required: true }], source: 'test' } as const;

  it('is the deciding agency by default, the receiving unit for inter-connected groups, and the receiving unit when no identifier is configured', () => {
    const deciding = procedureSchema.parse({ ...base, decidingAgencyId: 'G12.18.92' });
    expect(dossierCodePrefix(deciding, 'G12.18.90')).toBe('G12.18.92');
    expect(dossierCodePrefix({ ...deciding, codePrefix: 'receiving-unit' }, 'G12.18.90')).toBe('G12.18.90');
    expect(dossierCodePrefix(procedureSchema.parse(base), '000.00.01.H22')).toBe('000.00.01.H22');
  });

  it('refuses a malformed deciding-agency identifier in the catalog', () => {
    expect(procedureSchema.safeParse({ ...base, decidingAgencyId: 'G12-18-92' }).success).toBe(false);
  });
});
