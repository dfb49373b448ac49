/**
 * Stopping a dossier at the applicant's request (Decree 118/2025 Art. 21): the clerk records the request's
 * date and reason, the counter prints the stop notice (Mẫu 05 of the 2025 set) and queues a
 * `dossier-stopped` event; the dossier shows status 8 at once and the central confirms it on sync. The
 * notice, the new state and the event are stored in one transaction, and the state is checked inside it,
 * so a second click or a second counter cannot stop the dossier twice.
 */
import { holderName } from '../../../../shared/domain/dossier';
import { STOPPED_STATUS, stopRefusal } from '../../../../shared/domain/dossier-stop';
import { legalBasisOf } from '../../../../shared/domain/legal-basis';
import { toVietnamIso } from '../../../../shared/domain/time';
import { AppError } from '../../../../shared/errors';
import type { FormFonts } from '../../../../shared/pdf/fonts';
import { type FormId, printedForm } from '../../../../shared/pdf/forms';
import type { UnitData } from '../../../../shared/pdf/forms/common';
import type { CounterEvent } from '../../../../shared/sync/protocol';
import type { MainClient } from '../../platform/main-client';
import type { CounterDatabase, DossierStateRow, StoredDossier } from '../../db/database';
import { queueCounterEventSpooled } from '../../db/dossier-spool';

export interface StopRequest {
  readonly dossier: StoredDossier;
  readonly state: DossierStateRow;
  /** When the applicant asked (today at the counter, or the date of their letter). */
  readonly requestedAt: Date;
  readonly reason: string;
  readonly clerk: string;
  readonly unit: UnitData;
  /** The deciding agency, named in the notice. */
  readonly decidingAgency?: string;
  readonly now?: Date;
}

export interface StopResult {
  readonly pdf: Uint8Array;
  readonly label: string;
  readonly formId: FormId;
}

export async function stopDossier(deps: { db: CounterDatabase; main: MainClient; fonts: () => Promise<FormFonts> }, request: StopRequest): Promise<StopResult> {
  const { dossier, state } = request;
  const refused = stopRefusal(dossier.code, state.status, state.stopped?.at);
  if (refused) throw refused;
  const reason = request.reason.trim();
  if (!reason) throw new AppError('DOSSIER_INVALID', { issue: 'chưa ghi lý do công dân yêu cầu dừng giải quyết' });
  const at = request.now ?? new Date();
  if (request.requestedAt.getTime() > at.getTime()) throw new AppError('DOSSIER_INVALID', { issue: 'ngày công dân yêu cầu dừng không được sau hôm nay' });

  // A request dated before the receipt (the day typed without a time) counts from the receipt.
  const requestedAt = new Date(Math.max(request.requestedAt.getTime(), new Date(dossier.receivedAt).getTime()));
  const form = printedForm(legalBasisOf(dossier), 'stop');
  const pdf = await form.build(
    {
      unit: request.unit,
      date: at,
      addressee: dossier.applicant.organisation ? holderName(dossier.applicant) : `Ông (bà) ${holderName(dossier.applicant)}`,
      dossierCode: dossier.code,
      procedureName: dossier.procedure.name,
      ...(request.decidingAgency ? { decidingAgency: request.decidingAgency } : {}),
      receivedAt: new Date(dossier.receivedAt),
      requestedAt,
      reason,
      signerName: request.clerk,
    },
    await deps.fonts(),
  );
  const label = `${form.label} (dừng giải quyết) — ${dossier.code}`;
  const stopped = { at: toVietnamIso(at), requestedAt: toVietnamIso(requestedAt), reason };
  const event: CounterEvent = { kind: 'dossier-stopped', eventId: crypto.randomUUID(), at: stopped.at, clerk: request.clerk, requestedAt: stopped.requestedAt, reason };
  await queueCounterEventSpooled(deps.db, deps.main, dossier.id, event, (current) => ({ ...current, status: STOPPED_STATUS, stopped }), {
    requireState: (current) => stopRefusal(dossier.code, current.status, current.stopped?.at),
    printedForm: { formId: form.id, label, dossierId: dossier.id, pdf, clerk: request.clerk },
  });
  return { pdf, label, formId: form.id };
}
