import { z } from 'zod';
import { isValidTaxCode } from './tax-code';

/** Counter-generated dossier id (UUID v4): the idempotency key for the central. */
export const dossierIdSchema = z.uuid().brand<'DossierId'>();
export type DossierId = z.infer<typeof dossierIdSchema>;

/** `<unit code>-YYMMDD-XXXX` (domain.md §4). */
export const dossierCodeSchema = z.string().regex(/^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}-\d{6}-\d{4}$/);

/** QCVN 102:2016 unit code, e.g. "000.00.01.H22". */
export const unitCodeSchema = z.string().regex(/^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$/);

const personalIdSchema = z.string().regex(/^(\d{9}|\d{12})$/);
const isoDateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

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
    fullName: z.string().trim().min(1).max(200),
    /** 12-digit personal number (CCCD) or 9-digit old ID. */
    idNumber: personalIdSchema,
    phone: z.string().regex(/^\+?\d{9,12}$/),
    address: z.string().trim().min(1).max(500),
    email: z.email().max(200).optional(),
    /** YYYY-MM-DD; read from the card's QR or typed (issue 3): the number's century/gender/year digits are checked against it. */
    birthDate: isoDateSchema.optional(),
    gender: z.enum(['male', 'female']).optional(),
    /** YYYY-MM-DD the card was issued, from its QR. */
    idIssuedDate: isoDateSchema.optional(),
    organisation: z
      .object({
        name: z.string().trim().min(1).max(300),
        /** Canonical form, "0100233488" or "0314409058-002". */
        taxCode: z.string().refine(isValidTaxCode, 'tax code with a valid check digit'),
      })
      .optional(),
    onBehalfOf: z
      .object({
        fullName: z.string().trim().min(1).max(200),
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
