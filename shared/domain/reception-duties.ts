/**
 * What the receiving clerk did for the applicant under Decree 118/2025 Art. 17.1.a–b (CONFIRMED,
 * the decree's text was read): check and authenticate the applicant's e-ID (VNeID) account — help create a level-1 account
 * when there is none, use the principal's account for an authorised person — and reuse documents already
 * held instead of asking for paper again. Recorded per dossier at intake, carried to the central and into the
 * national sync fields `TaiKhoanDuocXacThucVoiVNeID`, `DuocTaiSuDung` and `DuocLayTuKhoDMQG`.
 *
 * Optional everywhere: dossiers received before this was recorded have none, and the export then says "0"
 * (no data is not a check).
 */
import { z } from 'zod';

/** How the applicant's VNeID account was checked, the most common first (the order of the counter's keys). */
export const vneidChecks = ['level-2', 'level-1', 'created-with-help', 'principal-account', 'not-checked'] as const;
const vneidCheckSchema = z.enum(vneidChecks);
export type VneidCheck = z.infer<typeof vneidCheckSchema>;

/**
 * Where a component's document came from: paper brought in (scanned at the counter), the digitized copy of an
 * earlier dossier reused (Decision 766 indicator 4.3), or the national data store (indicator 4.4).
 */
export const documentSources = ['paper', 'reused-digitized', 'national-data-store'] as const;
const documentSourceSchema = z.enum(documentSources);
export type DocumentSource = z.infer<typeof documentSourceSchema>;

export const receptionDutiesSchema = z
  .object({
    vneid: vneidCheckSchema,
    /** One entry per component the clerk marked; a component not listed was paper. */
    documents: z
      .array(z.object({ componentCode: z.string().min(1).max(50), source: documentSourceSchema }).strict())
      .max(100)
      .refine((docs) => new Set(docs.map((d) => d.componentCode)).size === docs.length, 'each component appears once'),
  })
  .strict();
export type ReceptionDuties = z.infer<typeof receptionDutiesSchema>;

/**
 * Which checks count as "the account was authenticated with VNeID" for the national field. UNCONFIRMED (no
 * official definition of `TaiKhoanDuocXacThucVoiVNeID` was found): by default every account the clerk
 * actually checked — level 1 or 2, one created with the clerk's help, or the principal's for an authorised
 * person; only "not checked" (and no record at all) gives "0".
 */
const defaultAuthenticatedChecks: ReadonlySet<VneidCheck> = new Set(['level-2', 'level-1', 'created-with-help', 'principal-account']);

/** `TaiKhoanDuocXacThucVoiVNeID`: "1" only when the dossier records a check that counts. */
export function vneidAuthenticatedFlag(duties: ReceptionDuties | undefined, counted: ReadonlySet<VneidCheck> = defaultAuthenticatedChecks): '0' | '1' {
  return duties && counted.has(duties.vneid) ? '1' : '0';
}

/** A component's source as recorded; paper when the dossier has no record or does not list it. */
export function sourceOf(duties: ReceptionDuties | undefined, componentCode: string): DocumentSource {
  return duties?.documents.find((d) => d.componentCode === componentCode)?.source ?? 'paper';
}

/** `DuocTaiSuDung` / `DuocLayTuKhoDMQG` of one submitted paper. */
export function reuseFlags(source: DocumentSource): { DuocTaiSuDung: '0' | '1'; DuocLayTuKhoDMQG: '0' | '1' } {
  return { DuocTaiSuDung: source === 'reused-digitized' ? '1' : '0', DuocLayTuKhoDMQG: source === 'national-data-store' ? '1' : '0' };
}

/**
 * The record kept on the dossier: the VNeID check and the components that were not paper (paper is the
 * default, so listing it would only repeat it). Only `componentCodes` count — the components the dossier
 * actually carries a file for — so a source chosen for a component left empty is not recorded.
 */
export function recordReceptionDuties(vneid: VneidCheck, sources: Readonly<Record<string, DocumentSource>>, componentCodes: readonly string[]): ReceptionDuties {
  const documents = componentCodes.flatMap((componentCode) => {
    const source = sources[componentCode];
    return source && source !== 'paper' ? [{ componentCode, source }] : [];
  });
  return receptionDutiesSchema.parse({ vneid, documents });
}
