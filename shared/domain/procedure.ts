import { z } from 'zod';

/** Unit in which a procedure's legal time limit is stated (domain.md §9). */
export const timeLimitUnitSchema = z.enum(['working-days', 'days', 'hours']);

export const componentSchema = z.object({
  /** Component code, unique within its procedure (MaThanhPhanHoSo). */
  code: z.string().min(1).max(64),
  name: z.string().min(1).max(500),
  required: z.boolean(),
});

export const procedureSchema = z.object({
  /** National procedure code (MaTTHC), e.g. "1.001193". */
  code: z.string().regex(/^\d\.\d{6}$/),
  name: z.string().min(1).max(500),
  /** Field (TenLinhVuc), e.g. "Hộ tịch". */
  field: z.string().min(1).max(200),
  level: z.enum(['commune', 'province']),
  timeLimit: z.object({ amount: z.number().int().min(0).max(365), unit: timeLimitUnitSchema }),
  components: z.array(componentSchema).min(1),
  /** Where the facts came from, so a reviewer can check them. */
  source: z.string().min(1),
});

export type TimeLimitUnit = z.infer<typeof timeLimitUnitSchema>;
export type ProcedureComponent = z.infer<typeof componentSchema>;
export type Procedure = z.infer<typeof procedureSchema>;
