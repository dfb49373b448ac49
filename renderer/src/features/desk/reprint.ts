/**
 * Issue 17: reprinting a form whose bytes the counter no longer keeps (the central acknowledged the dossier,
 * renderer/src/db/retention.ts). The receipt (Mẫu 01) is rebuilt: the dossier's code, procedure, dates and
 * components from this counter, the applicant from the central's copy — the counter's own record may be
 * minimised to a masked name. Other forms are issued anew with their own buttons on the dossier.
 */
import { formatTimeLimit } from '../../../../shared/domain/appointment';
import type { Procedure } from '../../../../shared/domain/procedure';
import { CURRENT_LEGAL_BASIS } from '../../../../shared/domain/legal-basis';
import { AppError } from '../../../../shared/errors';
import type { CounterConfig } from '../../../../shared/ipc/contract';
import { buildReceiptPdf } from '../../../../shared/pdf/receipt';
import { editionOf } from '../../../../shared/pdf/forms/edition';
import type { DossierCommit } from '../../../../shared/sync/protocol';
import { formUnit, placeOf } from '../../app/clerk';
import type { ReceiptFonts } from '../../app/fonts';
import type { PrintedFormRow, StoredDossier } from '../../db/database';

export interface ReprintDeps {
  readonly config: CounterConfig;
  readonly fonts: () => Promise<ReceiptFonts>;
  /** The central's record of the dossier (services.centralDossier); absent: no central configured. */
  readonly centralDossier?: (dossier: { readonly id: string; readonly code: string }) => Promise<DossierCommit>;
  readonly procedure?: Procedure;
}

/** The PDF to print for a history entry: its kept bytes, or the receipt rebuilt from the central's copy. */
export async function reprintBytes(deps: ReprintDeps, dossier: StoredDossier, form: PrintedFormRow): Promise<Uint8Array> {
  if (form.pdf) return form.pdf;
  if (form.formId !== 'mau01') throw new AppError('REPRINT_NOT_KEPT', { label: form.label });
  if (!deps.centralDossier) throw new AppError('REPRINT_NEEDS_CENTRAL', { code: dossier.code });
  const record = await deps.centralDossier(dossier);
  // Components as this counter recorded them, in the procedure's order: those the central holds files for.
  const received = new Set(record.files.map((f) => f.componentCode));
  const components = dossier.components.filter((c) => received.has(c.code) || c.fileIds.length > 0).map((c) => c.name);
  return buildReceiptPdf(
    {
      unitName: formUnit(deps.config).unitName,
      place: placeOf(deps.config.unit.name),
      dossierCode: dossier.code,
      applicant: record.applicant,
      procedureName: dossier.procedure.name,
      components,
      decidingAgency: deps.procedure?.agency ?? deps.config.organisationName,
      fees: deps.procedure?.fees ?? [],
      sets: 1,
      timeLimitText: deps.procedure ? formatTimeLimit(deps.procedure.timeLimit) : '',
      receivedAt: new Date(dossier.receivedAt),
      appointmentAt: new Date(dossier.appointmentAt),
      resultDelivery: 'counter',
      clerkName: form.clerk,
    },
    await deps.fonts(),
    editionOf(dossier.legalBasis ?? CURRENT_LEGAL_BASIS),
  );
}
