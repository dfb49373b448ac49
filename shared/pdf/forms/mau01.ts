/**
 * Mẫu 01 as data for the form registry: the schema of the receipt's JSON (dates as ISO 8601 strings) in
 * front of the existing builder in ../receipt.ts.
 */
import { z } from 'zod';
import type { FormFonts } from '../fonts';
import { buildReceiptPdf, RECEIPT_TITLE } from '../receipt';
import { isValidTaxCode } from '../../domain/tax-code';
import { instant, parseFormData, text } from './common';
import { edition2018, edition2025 } from './edition';

export const MAU01_TITLE = RECEIPT_TITLE;

export const mau01Schema = z.strictObject({
  unitName: text,
  organisationName: text.optional(),
  place: text,
  dossierCode: text,
  applicant: z.strictObject({
    fullName: text,
    idNumber: z.string().regex(/^(\d{9}|\d{12})$/, { message: 'phải gồm 12 chữ số (hoặc 9 chữ số CMND cũ)' }),
    address: text,
    phone: text,
    email: text.optional(),
  }),
  procedureName: text,
  components: z.array(text).min(1),
  sets: z.number().int().min(1),
  timeLimitText: text,
  receivedAt: instant,
  appointmentAt: instant,
  resultDelivery: z.enum(['counter', 'post']),
  clerkName: text.optional(),
  registerBook: z.strictObject({ volume: text, entry: z.number().int().positive() }).optional(),
});
export type Mau01Data = z.input<typeof mau01Schema>;

export async function buildMau01(input: Mau01Data, fonts: FormFonts): Promise<Uint8Array> {
  const data = parseFormData(mau01Schema, input);
  return buildReceiptPdf(data, fonts, edition2018);
}

/**
 * The 2025 receipt's data (Circular 03/2025/TT-VPCP Mẫu 01): the 2018 fields, components with their kind and
 * count, the deciding agency, fees and, for an organisation's dossier, its name and tax code.
 */
export const mau01Schema2025 = mau01Schema.extend({
  applicant: mau01Schema.shape.applicant.extend({
    organisation: z.strictObject({ name: text, taxCode: z.string().refine(isValidTaxCode, { message: 'mã số thuế không hợp lệ (10 chữ số có số kiểm tra đúng, hoặc thêm gạch ngang và 3 chữ số)' }) }).optional(),
  }),
  components: z.array(z.union([text, z.strictObject({ name: text, kind: text.optional(), quantity: z.number().int().min(1).optional() })])).min(1),
  decidingAgency: text,
  fees: z.array(z.strictObject({ label: text, amountVnd: z.number().int().min(0).optional(), text: text.optional() })).optional(),
});
export type Mau01Data2025 = z.input<typeof mau01Schema2025>;

export async function buildMau01Edition2025(input: Mau01Data2025, fonts: FormFonts): Promise<Uint8Array> {
  const data = parseFormData(mau01Schema2025, input);
  return buildReceiptPdf(data, fonts, edition2025);
}
