import { z } from 'zod';
import { unitCodeSchema } from './dossier';

/** Unit in which a procedure's legal time limit is stated (working days, calendar days or hours). */
const timeLimitUnitSchema = z.enum(['working-days', 'days', 'hours']);

/**
 * What form of a paper the applicant must bring (national catalog wording): bản chính (original),
 * bản sao chứng thực (certified copy), bản sao (plain copy, e.g. issued from the master register) or
 * bản chụp (photocopy/scan shown with the original for comparison).
 */
const copyTypeSchema = z.enum(['original', 'certified-copy', 'copy', 'photocopy']);

/**
 * Whose certificate signs the digitized copy of a component (Decree 118/2025 Art. 17.1.c and 19.2): the
 * receiving clerk's personal signature (the default), or the organisation's copy signature with its
 * "SAO Y" stamp where a special law requires it.
 */
export const copySignerSchema = z.enum(['personal', 'organisation']);

export const componentSchema = z.object({
  /** Component code, unique within its procedure (MaThanhPhanHoSo). */
  code: z.string().min(1).max(64),
  name: z.string().min(1).max(500),
  required: z.boolean(),
  /** Form in which the paper is accepted; absent when the catalog does not say. */
  copyType: copyTypeSchema.optional(),
  /** Number of copies of this paper (SoLuong); absent means one. */
  quantity: z.number().int().min(1).max(20).optional(),
  /** Who signs its digitized copy; absent means the counter's default (the clerk's personal signature). */
  signature: copySignerSchema.optional(),
});

const timeLimitSchema = z.object({
  amount: z.number().int().min(0).max(365),
  unit: timeLimitUnitSchema,
  /** What the bare amount cannot say (15:00 cut-off, extensions for verification…), shown beside the appointment. */
  note: z.string().min(1).max(1000).optional(),
});

/** A fee or charge (phí, lệ phí): a fixed amount in VND, or text when it depends on the case or the province. */
const feeSchema = z
  .object({
    label: z.string().min(1).max(300),
    amountVnd: z.number().int().min(0).optional(),
    text: z.string().min(1).max(1000).optional(),
  })
  .refine((fee) => fee.amountVnd !== undefined || fee.text !== undefined, { message: 'a fee needs amountVnd or text' });

export const procedureSchema = z.object({
  /** National procedure code (MaTTHC), e.g. "1.001193". */
  code: z.string().regex(/^\d\.\d{6}$/),
  name: z.string().min(1).max(500),
  /** Field (TenLinhVuc), e.g. "Hộ tịch". */
  field: z.string().min(1).max(200),
  level: z.enum(['commune', 'province']),
  /** The body that decides (CoQuanThucHien); it may differ from the unit that receives the dossier. */
  agency: z.string().min(1).max(300).optional(),
  /**
   * Issue 15: the deciding agency's electronic identifier (Decision 20/2020/QĐ-TTg, e.g. "G12.18.92"), the
   * prefix of the dossier code (Decree 118 Art. 28). Absent: the receiving unit's identifier is used.
   */
  decidingAgencyId: unitCodeSchema.optional(),
  /**
   * Whose identifier begins the code: the deciding agency's (the rule, the default) or the receiving unit's
   * (an inter-connected group of procedures, "liên thông"). See shared/domain/code-prefix.ts.
   */
  codePrefix: z.enum(['deciding-agency', 'receiving-unit']).optional(),
  timeLimit: timeLimitSchema,
  /**
   * The result is handed over at the moment of receipt ("trả ngay"): the receipt (Mẫu 01) is given only if
   * the applicant asks (Decree 118/2025 Art. 17.4). Not the same as a same-day time limit (amount 0), whose
   * result comes later that day or the next working day. Absent means false.
   */
  resultAtOnce: z.boolean().optional(),
  components: z.array(componentSchema).min(1),
  /** Fees and charges; an empty list means none. */
  fees: z.array(feeSchema).optional(),
  /** Result documents (KetQuaThucHien), e.g. "Giấy khai sinh (bản chính)". */
  results: z.array(z.string().min(1).max(500)).optional(),
  /** Legal basis (CanCuPhapLy): the laws, decrees and circulars the procedure rests on. */
  legalBasis: z.array(z.string().min(1).max(500)).optional(),
  /** Where the facts came from, so a reviewer can check them; "UNCONFIRMED: …" marks what no page confirmed. */
  source: z.string().min(1),
});

export type TimeLimitUnit = z.infer<typeof timeLimitUnitSchema>;
export type CopyType = z.infer<typeof copyTypeSchema>;
export type CopySigner = z.infer<typeof copySignerSchema>;
export type ProcedureComponent = z.infer<typeof componentSchema>;
export type Procedure = z.infer<typeof procedureSchema>;
