import { z } from 'zod';
import { isValidTaxCode } from './tax-code';
import { isPlainText } from '../util/plain-text';

/** Counter-generated dossier id (UUID v4): the idempotency key for the central. */
export const dossierIdSchema = z.uuid().brand<'DossierId'>();
export type DossierId = z.infer<typeof dossierIdSchema>;

/**
 * Agency identifiers (mã định danh điện tử of a state body), in the two forms a dossier code may start with:
 * - Decision 20/2020/QĐ-TTg (amended by 09/2025/QĐ-TTg), in force for codes since Decree 118/2025 Art. 28:
 *   dot-separated groups, the first `MX1X2` (a letter A–Y and two digits), the others digits; at most 35
 *   characters, e.g. `G12.18.92`. Later groups are 1–4 digits: Decision 20 uses two-digit groups, Circular
 *   04/2025 Art. 23 shows a three-digit one (`MX1X2.Y1Y2Y3.Z1Z2`); the upper bound 4 is ours.
 * - QCVN 102:2016 (Circular 01/2018 era), e.g. `000.00.01.H22`: still accepted for old dossiers and units.
 */
export const AGENCY_ID_MAX_LENGTH = 35;
const decision20AgencyIdPattern = '[A-Y]\\d{2}(?:\\.\\d{1,4}){0,16}';
const qcvnUnitCodePattern = '\\d{3}\\.\\d{2}\\.\\d{2}\\.[A-Z]\\d{2}';
const agencyIdPattern = `(?:${decision20AgencyIdPattern}|${qcvnUnitCodePattern})`;
export const decision20AgencyIdRegex = new RegExp(`^${decision20AgencyIdPattern}$`);
export const qcvnUnitCodeRegex = new RegExp(`^${qcvnUnitCodePattern}$`);

/** An agency identifier in either form (the receiving unit's or the deciding agency's). */
export const unitCodeSchema = z
  .string()
  .max(AGENCY_ID_MAX_LENGTH)
  .regex(new RegExp(`^${agencyIdPattern}$`));

/** Digits of a day's sequence: at least 4 (zero-padded), more when a day needs them (Circular 04/2025 Art. 23). */
export const SEQUENCE_MAX_DIGITS = 7;

/**
 * An official dossier code: `<agency id>-YYMMDD-XXXX…` (Decree 118 Art. 28; Circular 01/2018 Art. 19 for old
 * ones), or Circular 04/2025's `<agency id>-YYMMDD-AAXXXX` (AA: two capital letters, see dossier-code.ts).
 */
export const officialDossierCodeRegex = new RegExp(`^${agencyIdPattern}-\\d{6}-(?:[A-Z]{2})?\\d{4,${SEQUENCE_MAX_DIGITS}}$`);

/**
 * A provisional number a counter gives when it holds no leased number for the agency and day while offline:
 * `TAM-<receiving unit>-Q<counter>-YYMMDD-XXXX`. "TAM" (tạm) cannot begin an official code, whose first
 * group is a letter and two digits or three digits. The central replaces it with an official code on sync.
 */
export const provisionalDossierCodeRegex = new RegExp(`^TAM-${agencyIdPattern}-Q\\d{1,2}-\\d{6}-\\d{4,${SEQUENCE_MAX_DIGITS}}$`);

/** The code a dossier carries: official, or provisional until the central gives the official one. */
export const dossierCodeSchema = z
  .string()
  .max(80)
  .refine((code) => officialDossierCodeRegex.test(code) || provisionalDossierCodeRegex.test(code), 'a dossier code (official or TAM-…)');
export const officialDossierCodeSchema = z.string().max(80).regex(officialDossierCodeRegex);

const personalIdSchema = z.string().regex(/^(\d{9}|\d{12})$/);
const isoDateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** Trimmed, non-empty, at most `max` characters, without control or bidi characters (util/plain-text.ts). */
function plainText(max: number) {
  return z.string().trim().min(1).max(max).refine(isPlainText, { message: 'control or bidirectional-override character' });
}

/**
 * The person at the counter and whom they act for. `fullName`/`idNumber` are always the person who hands
 * the papers over (an individual applicant, or whoever submits for someone). Two optional parts, added in
 * issue 6 without changing what an individual applicant looks like:
 * - `organisation`: the dossier belongs to an enterprise or body (LoaiDoiTuong 2), identified by its tax
 *   code, whose check digit is verified;
 * - `onBehalfOf`: an individual the submitter represents (a relative, an authorised person).
 * The dossier holder (ChuHoSo) is the organisation, else the represented person, else the submitter.
 */
export const applicantSchema = z
  .object({
    fullName: plainText(200),
    /** 12-digit personal number (CCCD) or 9-digit old ID. */
    idNumber: personalIdSchema,
    phone: z.string().regex(/^\+?\d{9,12}$/),
    address: plainText(500),
    email: z.email().max(200).optional(),
    /** YYYY-MM-DD; read from the card's QR or typed (issue 3): the number's century/gender/year digits are checked against it. */
    birthDate: isoDateSchema.optional(),
    gender: z.enum(['male', 'female']).optional(),
    /** YYYY-MM-DD the card was issued, from its QR. */
    idIssuedDate: isoDateSchema.optional(),
    organisation: z
      .object({
        name: plainText(300),
        /** Canonical form, "0100233488" or "0314409058-002". */
        taxCode: z.string().refine(isValidTaxCode, 'tax code with a valid check digit'),
      })
      .optional(),
    onBehalfOf: z
      .object({
        fullName: plainText(200),
        idNumber: personalIdSchema.optional(),
        /** e.g. "Cha", "Mẹ", "Người được ủy quyền". */
        relation: z.string().trim().min(1).max(100).optional(),
      })
      .optional(),
  })
  .refine((a) => !(a.organisation && a.onBehalfOf), { message: 'an organisation applicant has no onBehalfOf', path: ['onBehalfOf'] });
export type Applicant = z.infer<typeof applicantSchema>;

/** The dossier holder's name (ChuHoSo): the organisation, the represented person, or the submitter. */
export function holderName(applicant: Applicant): string {
  return applicant.organisation?.name ?? applicant.onBehalfOf?.fullName ?? applicant.fullName;
}

/** The holder's identifier (SoGiayToChuHoSo): the tax code of an organisation, else a personal number. */
export function holderId(applicant: Applicant): string {
  return applicant.organisation?.taxCode ?? (applicant.onBehalfOf ? (applicant.onBehalfOf.idNumber ?? '') : applicant.idNumber);
}

export const sha256HexSchema = z.string().regex(/^[0-9a-f]{64}$/);
