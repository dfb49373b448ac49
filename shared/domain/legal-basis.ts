/**
 * Which legal texts a dossier was received under. The one-stop rules changed on 1 July 2025 (Decree
 * 118/2025/NĐ-CP with Circular 03/2025/TT-VPCP replaced Decree 61/2018 and Circular 01/2018/TT-VPCP): forms,
 * time-limit rules after a supplement and the dossier code differ. A dossier keeps the basis it was received
 * under for life, so a reprint or a recount years later follows the rules of its day.
 */
import { z } from 'zod';

export const LEGAL_BASIS_2018 = '01/2018/TT-VPCP';
export const LEGAL_BASIS_2025 = '03/2025/TT-VPCP';

const legalBases = [LEGAL_BASIS_2018, LEGAL_BASIS_2025] as const;
export const legalBasisSchema = z.enum(legalBases);
export type LegalBasis = z.infer<typeof legalBasisSchema>;

/**
 * The basis every new dossier is received under (a name of its own: it moves to the next circular, the 2025 one does not).
 * @alias
 */
export const CURRENT_LEGAL_BASIS: LegalBasis = LEGAL_BASIS_2025;

/**
 * A stored dossier's basis. Dossiers saved before the field existed were all received under the 2018 texts
 * (the app printed only that set), so a missing value means 2018 — never the current one.
 */
export function legalBasisOf(dossier: { readonly legalBasis?: LegalBasis | undefined }): LegalBasis {
  return dossier.legalBasis ?? LEGAL_BASIS_2018;
}
