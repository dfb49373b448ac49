/**
 * Mẫu 01 as data for the form registry: the schema of the receipt's JSON (dates as ISO 8601 strings) in
 * front of the existing builder in ../receipt.ts.
 */
import { z } from 'zod';
import type { FormFonts } from '../fonts';
import { buildReceiptPdf, RECEIPT_TITLE } from '../receipt';
import { instant, parseFormData, text } from './common';

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
  return buildReceiptPdf(data, fonts);
}
