/**
 * The printed forms, by legal basis. Each entry has its title, the zod schema of its data (JSON-friendly:
 * dates are ISO 8601 strings with an offset) and its builder. The 2018 set follows Circular
 * 01/2018/TT-VPCP and stays only to reprint dossiers received under it; the 2025 set (Circular
 * 03/2025/TT-VPCP Annex I) is the default. A dossier's forms come from `legalBasisOf(dossier)`; code that
 * knows what it prints (a receipt, a stop notice) asks by kind with `printedForm(basis, kind)`, because the
 * numbers moved (the control slip is 05 in 2018 and 06 in 2025).
 */
import type { z } from 'zod';
import { AppError } from '../../errors';
import { CURRENT_LEGAL_BASIS, LEGAL_BASIS_2018, LEGAL_BASIS_2025, type LegalBasis } from '../../domain/legal-basis';
import type { FormFonts } from '../fonts';
import { buildReceiptPdf, type ReceiptData } from '../receipt';
import { parseFormData } from './common';
import { edition2025, editionOf, formNumbers, type FormKind } from './edition';
import { buildMau01, buildMau01Edition2025, MAU01_TITLE, mau01Schema, mau01Schema2025 } from './mau01';
import { buildMau02, MAU02_TITLE, mau02Schema, type Mau02Data } from './mau02';
import { buildMau03, MAU03_TITLE, mau03Schema, type Mau03Data } from './mau03';
import { buildMau04, MAU04_2025_TITLE, MAU04_TITLE, mau04Schema, type Mau04Data } from './mau04';
import { buildMau05, MAU05_TITLE, mau05Schema, type Mau05Data } from './mau05';
import { buildMau06, MAU06_TITLE, mau06Schema, type Mau06Data } from './mau06';
import { buildStopNotice, STOP_NOTICE_TITLE, stopNoticeSchema, type StopNoticeData } from './stop-notice';

export {  buildMau02, buildMau03, buildMau04, buildMau05, buildMau06,  };
;
;
export type { LegalBasis };
export type { FormKind };
export type {  Mau01Data2025 } from './mau01';
export type { Mau02Data, Mau03Data, Mau04Data, Mau05Data, Mau06Data, StopNoticeData };

export interface FormDefinition<S extends z.ZodType = z.ZodType> {
  readonly title: string;
  readonly schema: S;
  readonly build: (data: z.input<S>, fonts: FormFonts) => Promise<Uint8Array>;
}

function define<S extends z.ZodType>(title: string, schema: S, build: (data: z.input<S>, fonts: FormFonts) => Promise<Uint8Array>): FormDefinition<S> {
  return { title, schema, build };
}

/** Form sets by legal basis, then by form id (the number printed on the form). */
export const formSets = {
  [LEGAL_BASIS_2018]: {
    mau01: define(MAU01_TITLE, mau01Schema, buildMau01),
    mau02: define(MAU02_TITLE, mau02Schema, buildMau02),
    mau03: define(MAU03_TITLE, mau03Schema, buildMau03),
    mau04: define(MAU04_TITLE, mau04Schema, buildMau04),
    mau05: define(MAU05_TITLE, mau05Schema, buildMau05),
    mau06: define(MAU06_TITLE, mau06Schema, buildMau06),
  },
  [LEGAL_BASIS_2025]: {
    mau01: define(MAU01_TITLE, mau01Schema2025, buildMau01Edition2025),
    mau02: define(MAU02_TITLE, mau02Schema, (data, fonts) => buildMau02(data, fonts, edition2025)),
    mau03: define(MAU03_TITLE, mau03Schema, (data, fonts) => buildMau03(data, fonts, edition2025)),
    mau04: define(MAU04_2025_TITLE, mau04Schema, (data, fonts) => buildMau04(data, fonts, edition2025)),
    mau05: define(STOP_NOTICE_TITLE, stopNoticeSchema, buildStopNotice),
    mau06: define(MAU05_TITLE, mau05Schema, (data, fonts) => buildMau05(data, fonts, edition2025)),
    mau07: define(MAU06_TITLE, mau06Schema, (data, fonts) => buildMau06(data, fonts, edition2025)),
  },
} as const satisfies Record<LegalBasis, Record<string, FormDefinition>>;

export type FormId = keyof (typeof formSets)[typeof LEGAL_BASIS_2018] | keyof (typeof formSets)[typeof LEGAL_BASIS_2025];

/** The set for new dossiers (Circular 03/2025/TT-VPCP). */
export const DEFAULT_LEGAL_BASIS: LegalBasis = CURRENT_LEGAL_BASIS;

/** The default set, by form id: `forms.mau05.build(data, fonts)` is the 2025 stop notice. */
export const forms = formSets[LEGAL_BASIS_2025];

/** The form ids of the default set. */
export const formIds = Object.keys(forms) as FormId[];

export function isFormId(value: string): value is FormId {
  return Object.values(formSets).some((set) => value in set);
}

export function isLegalBasis(value: string): value is LegalBasis {
  return value in formSets;
}

/** The data each kind of form is built from (the same in both sets). */
interface FormDataByKind {
  readonly receipt: ReceiptData;
  readonly supplement: Mau02Data;
  readonly refusal: Mau03Data;
  readonly apology: Mau04Data;
  readonly stop: StopNoticeData;
  readonly control: Mau05Data;
  readonly register: Mau06Data;
}

const titles: Readonly<Record<FormKind, (basis: LegalBasis) => string>> = {
  receipt: () => MAU01_TITLE,
  supplement: () => MAU02_TITLE,
  refusal: () => MAU03_TITLE,
  apology: (basis) => (basis === LEGAL_BASIS_2025 ? MAU04_2025_TITLE : MAU04_TITLE),
  stop: () => STOP_NOTICE_TITLE,
  control: () => MAU05_TITLE,
  register: () => MAU06_TITLE,
};

export interface PrintedForm<K extends FormKind> {
  /** "mau06": the id stored with a printed copy (PrintedFormRow.formId). */
  readonly id: FormId;
  /** "Mẫu 06", for labels. */
  readonly label: string;
  readonly title: string;
  readonly legalBasis: LegalBasis;
  readonly build: (data: FormDataByKind[K], fonts: FormFonts) => Promise<Uint8Array>;
}

/**
 * The form of `kind` in the set of `basis` — pass `legalBasisOf(dossier)` so a 2018-era dossier reprints
 * its 2018 form. The stop notice exists only in the 2025 set (stopping is Decree 118 Art. 21): it is
 * printed from that set for a dossier of either basis.
 */
export function printedForm<K extends FormKind>(basis: LegalBasis, kind: K): PrintedForm<K> {
  const setBasis: LegalBasis = formNumbers[basis][kind] === undefined ? LEGAL_BASIS_2025 : basis;
  const number = String(formNumbers[setBasis][kind]).padStart(2, '0');
  const edition = editionOf(setBasis);
  const builders: { readonly [P in FormKind]: (data: FormDataByKind[P], fonts: FormFonts) => Promise<Uint8Array> } = {
    receipt: (data, fonts) => buildReceiptPdf(data, fonts, edition),
    supplement: (data, fonts) => buildMau02(data, fonts, edition),
    refusal: (data, fonts) => buildMau03(data, fonts, edition),
    apology: (data, fonts) => buildMau04(data, fonts, edition),
    stop: (data, fonts) => buildStopNotice(data, fonts),
    control: (data, fonts) => buildMau05(data, fonts, edition),
    register: (data, fonts) => buildMau06(data, fonts, edition),
  };
  return { id: `mau${number}` as FormId, label: `Mẫu ${number}`, title: titles[kind](setBasis), legalBasis: setBasis, build: builders[kind] };
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
