import { z } from 'zod';

/** Counter-generated dossier id (UUID v4): the idempotency key for the central. */
export const dossierIdSchema = z.uuid().brand<'DossierId'>();
export type DossierId = z.infer<typeof dossierIdSchema>;

/** `<unit code>-YYMMDD-XXXX` (domain.md §4). */
export const dossierCodeSchema = z.string().regex(/^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}-\d{6}-\d{4}$/);

/** QCVN 102:2016 unit code, e.g. "000.00.01.H22". */
export const unitCodeSchema = z.string().regex(/^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$/);

export const applicantSchema = z.object({
  fullName: z.string().trim().min(1).max(200),
  /** 12-digit personal number (CCCD) or 9-digit old ID. */
  idNumber: z.string().regex(/^(\d{9}|\d{12})$/),
  phone: z.string().regex(/^\+?\d{9,12}$/),
  address: z.string().trim().min(1).max(500),
});
export type Applicant = z.infer<typeof applicantSchema>;

export const sha256HexSchema = z.string().regex(/^[0-9a-f]{64}$/);
