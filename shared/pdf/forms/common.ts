/**
 * Data pieces the forms share (issuing unit, applicant, dates) as zod schemas, and the check that turns a
 * schema failure into AppError('DOSSIER_INVALID') naming the field in Vietnamese.
 */
import { z } from 'zod';
import { AppError } from '../../errors';
import { formatVietnamDate, formatVietnamLongDate, toVietnamDateTime } from '../../domain/time';
import type { FormEdition, FormKind } from './edition';
import { clean, pad2 } from './layout';

/**
 * The longest a form field may be. A field fills at most a page of an A4 form (about 3,500 characters at the
 * forms' size); an unbounded reason once took 103 s and 1.3 GB to lay out (issue 17, finding 10).
 */
const maxFormFieldChars = 3000;

/** Non-blank text of at most `maxFormFieldChars`; stored as written (the layout normalises to NFC). */
export const text = z
  .string()
  .max(maxFormFieldChars)
  .refine((value) => clean(value) !== '', { message: 'blank' });

/** An instant in ISO 8601 with an offset ("2026-11-23T14:05:00+07:00"), or a Date when called from code. */
export const instant = z.union([z.date(), z.iso.datetime({ offset: true }).transform((value) => new Date(value))]).refine((d) => !Number.isNaN(d.getTime()), {
  message: 'invalid date',
});

/** The body issuing the form, printed at the top left. */
export const unitSchema = z.strictObject({
  /** e.g. "Trung tâm Phục vụ hành chính công xã Demo". */
  unitName: text,
  /** Governing body above the unit name, e.g. "UBND xã Demo". */
  organisationName: text.optional(),
  /** Place in the place-and-date line, e.g. "Xã Demo". */
  place: text,
});
export type UnitData = z.output<typeof unitSchema>;

export const applicantSchema = z.strictObject({
  fullName: text,
  address: text.optional(),
  phone: text.optional(),
  email: text.optional(),
});
export type ApplicantData = z.output<typeof applicantSchema>;

/** The header's left block: governing body, unit, then the one-stop division (bold). */
export function unitHeaderLines(unit: UnitData, division = 'BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ'): string[] {
  const lines = unit.organisationName ? [clean(unit.organisationName).toUpperCase()] : [];
  lines.push(clean(unit.unitName).toUpperCase());
  if (division) lines.push(division);
  return lines;
}

/** The header's `formNumber` for `kind` in `edition`, spread into drawNationalHeader's options. */
export function numberOf(edition: FormEdition, kind: FormKind): { formNumber?: string } {
  const line = edition.numberLine(kind);
  return line === undefined ? {} : { formNumber: line };
}

export function placeAndDate(unit: UnitData, date: Date): string {
  return `${clean(unit.place)}, ${formatVietnamLongDate(date)}`;
}

/** "14 giờ 05 phút, ngày 23/11/2026" without the time when it is midnight (a date only was given). */
export function dateTimeText(date: Date): string {
  const t = toVietnamDateTime(date);
  if (t.hour === 0 && t.minute === 0) return `ngày ${formatVietnamDate(date)}`;
  return `${pad2(t.hour)} giờ ${pad2(t.minute)} phút, ngày ${formatVietnamDate(date)}`;
}

/** "23/11/2026 14:05" for table cells (date only at midnight). */
export function shortDateTime(date: Date): string {
  const t = toVietnamDateTime(date);
  return t.hour === 0 && t.minute === 0 ? formatVietnamDate(date) : `${formatVietnamDate(date)} ${pad2(t.hour)}:${pad2(t.minute)}`;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return /received undefined/.test(issue.message) ? 'chưa có (bắt buộc)' : `sai kiểu dữ liệu (cần ${issue.expected})`;
    case 'too_small':
      return issue.origin === 'array' ? `cần ít nhất ${String(issue.minimum)} mục` : `phải từ ${String(issue.minimum)} trở lên`;
    case 'too_big':
      if (issue.origin === 'string') return `dài quá ${String(issue.maximum)} ký tự — hãy viết ngắn lại`;
      return issue.origin === 'array' ? `nhiều nhất ${String(issue.maximum)} mục` : `phải không quá ${String(issue.maximum)}`;
    case 'invalid_format':
      return issue.format === 'datetime' ? 'không phải thời điểm ISO 8601 có múi giờ (ví dụ 2026-11-23T14:05:00+07:00)' : `sai định dạng (${issue.format})`;
    case 'invalid_value':
      return `phải là một trong: ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'unrecognized_keys':
      return `có trường không được hỗ trợ: ${issue.keys.join(', ')}`;
    case 'invalid_union':
      return 'không phải thời điểm ISO 8601 có múi giờ (ví dụ 2026-11-23T14:05:00+07:00)';
    case 'custom':
      return issue.message === 'blank' ? 'không được để trống' : issue.message === 'invalid date' ? 'ngày giờ không hợp lệ' : issue.message;
    default:
      return issue.message;
  }
}

/** "applicant.fullName", "items[2].reason"; "(dữ liệu)" for the whole object. */
function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : `${out ? '.' : ''}${String(key)}`;
  return out || '(dữ liệu)';
}

/**
 * Validates form data against its schema. Throws AppError('DOSSIER_INVALID', { field, issue }) for the
 * first problem; `issue` is the Vietnamese sentence the message template shows.
 */
export function parseFormData<S extends z.ZodType>(schema: S, data: unknown): z.output<S> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const first = result.error.issues[0];
  const field = first ? fieldPath(first.path) : '(dữ liệu)';
  const problem = first ? describeIssue(first) : 'không hợp lệ';
  throw new AppError('DOSSIER_INVALID', { field, issue: `trường "${field}" ${problem}` });
}
