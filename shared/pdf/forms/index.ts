/**
 * The printed forms, by legal basis. Each entry has its title, the zod schema of its data (JSON-friendly:
 * dates are ISO 8601 strings with an offset) and its builder. The 2018 set follows Circular
 * 01/2018/TT-VPCP; a 2025 set (Circular 03/2025/TT-VPCP) goes beside it under its own key.
 */
import type { z } from 'zod';
import { AppError } from '../../errors';
import type { FormFonts } from '../fonts';
import { parseFormData } from './common';
import { buildMau01, MAU01_TITLE, mau01Schema } from './mau01';
import { buildMau02, MAU02_TITLE, mau02Schema } from './mau02';
import { buildMau03, MAU03_TITLE, mau03Schema } from './mau03';
import { buildMau04, MAU04_TITLE, mau04Schema } from './mau04';
import { buildMau05, MAU05_TITLE, mau05Schema } from './mau05';
import { buildMau06, MAU06_TITLE, mau06Schema } from './mau06';

export { buildMau01, buildMau02, buildMau03, buildMau04, buildMau05, buildMau06 };
export { MAU01_TITLE, MAU02_TITLE, MAU03_TITLE, MAU04_TITLE, MAU05_TITLE, MAU06_TITLE };
export type { Mau01Data } from './mau01';
export type { Mau02Data } from './mau02';
export type { Mau03Data } from './mau03';
export type { Mau04Data } from './mau04';
export type { Mau05Data } from './mau05';
export type { Mau06Data } from './mau06';

export interface FormDefinition<S extends z.ZodType = z.ZodType> {
  readonly title: string;
  readonly schema: S;
  readonly build: (data: z.input<S>, fonts: FormFonts) => Promise<Uint8Array>;
}

function define<S extends z.ZodType>(title: string, schema: S, build: (data: z.input<S>, fonts: FormFonts) => Promise<Uint8Array>): FormDefinition<S> {
  return { title, schema, build };
}

export const LEGAL_BASIS_2018 = '01/2018/TT-VPCP';

/** Form sets by legal basis, then by form id. */
export const formSets = {
  [LEGAL_BASIS_2018]: {
    mau01: define(MAU01_TITLE, mau01Schema, buildMau01),
    mau02: define(MAU02_TITLE, mau02Schema, buildMau02),
    mau03: define(MAU03_TITLE, mau03Schema, buildMau03),
    mau04: define(MAU04_TITLE, mau04Schema, buildMau04),
    mau05: define(MAU05_TITLE, mau05Schema, buildMau05),
    mau06: define(MAU06_TITLE, mau06Schema, buildMau06),
  },
} as const;

export type LegalBasis = keyof typeof formSets;
export type FormId = keyof (typeof formSets)[typeof LEGAL_BASIS_2018];

/** The set in force for the counter today (until the 2025 set is added). */
export const DEFAULT_LEGAL_BASIS: LegalBasis = LEGAL_BASIS_2018;

/** The default set, by form id: `forms.mau04.build(data, fonts)`. */
export const forms = formSets[DEFAULT_LEGAL_BASIS];

export const formIds = Object.keys(forms) as FormId[];

export function isFormId(value: string): value is FormId {
  return (formIds as string[]).includes(value);
}

/**
 * Renders form `id` from untrusted data (e.g. a JSON file): validates against the form's schema first, so
 * bad data fails with AppError('DOSSIER_INVALID', { field, issue }).
 */
export async function renderForm(id: string, data: unknown, fonts: FormFonts, legalBasis: string = DEFAULT_LEGAL_BASIS): Promise<Uint8Array> {
  const set = (formSets as Record<string, Record<string, FormDefinition> | undefined>)[legalBasis];
  const form = set?.[id];
  if (!form) throw new AppError('DOSSIER_INVALID', { field: 'form', issue: `không có mẫu "${id}" theo ${legalBasis}` });
  parseFormData(form.schema, data);
  return form.build(data, fonts);
}
