/**
 * Whose identifier begins a dossier code (Decree 118/2025 Art. 28): the agency that decides the dossier; for
 * an inter-connected group of procedures, the receiving One-Stop Division. Configured per procedure
 * (`decidingAgencyId`, `codePrefix`); a procedure without a deciding agency's identifier — catalogs from before
 * issue 15 — keeps the receiving unit's, which is what codes carried until then.
 */
import type { Procedure } from './procedure';

export function dossierCodePrefix(procedure: Pick<Procedure, 'decidingAgencyId' | 'codePrefix'>, receivingUnitCode: string): string {
  const prefix = procedure.codePrefix ?? 'deciding-agency';
  if (prefix === 'receiving-unit') return receivingUnitCode;
  return procedure.decidingAgencyId ?? receivingUnitCode;
}
