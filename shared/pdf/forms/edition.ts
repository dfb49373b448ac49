/**
 * What differs between the 2018 and the 2025 form sets, so one builder per form prints both.
 *
 * - Circular 01/2018/TT-VPCP: six forms, the header names the unit and under it "BỘ PHẬN TIẾP NHẬN VÀ TRẢ
 *   KẾT QUẢ"; the forms print no "Mẫu số" line (kept as the app printed them, so a reprint is the same text).
 * - Circular 03/2025/TT-VPCP Annex I: seven forms (05 "Thông báo dừng giải quyết hồ sơ" is new, the control
 *   slip becomes 06 and the register 07). Since Decree 118 Art. 3.3 the public-service centre IS the One-Stop
 *   Division, so the header ends with the centre's own name and the body names the centre, not a division.
 *   Annex I's exact layout is UNCONFIRMED (docs/forms.md says what is inferred).
 */
import { LEGAL_BASIS_2018, LEGAL_BASIS_2025, type LegalBasis } from '../../domain/legal-basis';
import { clean } from './layout';

/** The forms by what they are for; their numbers differ between the sets. */
export type FormKind = 'receipt' | 'supplement' | 'refusal' | 'apology' | 'stop' | 'control' | 'register';

export interface FormEdition {
  readonly legalBasis: LegalBasis;
  /** The bold last line of the header's left block; '' when the unit's own name ends the block. */
  readonly divisionLine: string;
  /** The receiving side as the body text names it. */
  receiver(unitName: string): string;
  /** The receiving side named again later in the same text. */
  receiverShort(unitName: string): string;
  /** "Mẫu số 06" printed above the header, or undefined when the set prints none. */
  numberLine(kind: FormKind): string | undefined;
}

/** Form numbers in each set; a kind missing from a set has no form there. */
export const formNumbers: Readonly<Record<LegalBasis, Partial<Record<FormKind, number>>>> = {
  [LEGAL_BASIS_2018]: { receipt: 1, supplement: 2, refusal: 3, apology: 4, control: 5, register: 6 },
  [LEGAL_BASIS_2025]: { receipt: 1, supplement: 2, refusal: 3, apology: 4, stop: 5, control: 6, register: 7 },
};

export const edition2018: FormEdition = {
  legalBasis: LEGAL_BASIS_2018,
  divisionLine: 'BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ',
  receiver: (unitName) => `Bộ phận Tiếp nhận và Trả kết quả, ${clean(unitName)}`,
  receiverShort: () => 'Bộ phận Tiếp nhận và Trả kết quả',
  numberLine: () => undefined,
};

export const edition2025: FormEdition = {
  legalBasis: LEGAL_BASIS_2025,
  divisionLine: '',
  receiver: (unitName) => clean(unitName),
  receiverShort: (unitName) => clean(unitName),
  numberLine: (kind) => {
    const n = formNumbers[LEGAL_BASIS_2025][kind];
    return n === undefined ? undefined : `Mẫu số ${String(n).padStart(2, '0')}`;
  },
};

export function editionOf(legalBasis: LegalBasis): FormEdition {
  return legalBasis === LEGAL_BASIS_2025 ? edition2025 : edition2018;
}
