/**
 * The completeness check at the counter (Decree 118/2025 Art. 17; forms of Circular 03/2025/TT-VPCP): each component of the procedure is present
 * (the applicant brought it — a file is attached) or missing. The clerk then accepts, requests completion
 * (Mẫu 02, listing what is missing and why) or refuses (Mẫu 03).
 */
import type { Procedure, ProcedureComponent } from './procedure';

export interface Completeness {
  readonly present: readonly ProcedureComponent[];
  /** Required components not brought: the dossier cannot be accepted until they are. */
  readonly missingRequired: readonly ProcedureComponent[];
  readonly missingOptional: readonly ProcedureComponent[];
  readonly complete: boolean;
}

export function checkCompleteness(procedure: Procedure, presentCodes: ReadonlySet<string>): Completeness {
  const present = procedure.components.filter((c) => presentCodes.has(c.code));
  const missingRequired = procedure.components.filter((c) => c.required && !presentCodes.has(c.code));
  const missingOptional = procedure.components.filter((c) => !c.required && !presentCodes.has(c.code));
  return { present, missingRequired, missingOptional, complete: missingRequired.length === 0 };
}

/** How Mẫu 02 names the form a paper must be brought in, from the catalog's copy type. */
export type CompletionCopyType = 'original' | 'certified-copy' | 'copy-with-original' | 'photocopy';

export function completionCopyType(component: ProcedureComponent): CompletionCopyType {
  switch (component.copyType) {
    case 'certified-copy':
    case 'copy':
      return 'certified-copy';
    case 'photocopy':
      return 'copy-with-original';
    default:
      return 'original';
  }
}

/** One line of the completion request: which component, in what form, what to do and why. */
export interface CompletionItem {
  readonly componentCode: string;
  readonly component: string;
  readonly copyType: CompletionCopyType;
  readonly request?: string;
  readonly reason: string;
}

/** The default line for a required component the applicant did not bring (the clerk may edit the reason). */
export function defaultCompletionItem(component: ProcedureComponent): CompletionItem {
  return { componentCode: component.code, component: component.name, copyType: completionCopyType(component), reason: 'Thành phần hồ sơ bắt buộc theo quy định nhưng chưa nộp' };
}
