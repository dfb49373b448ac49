/**
 * The applicant brings what the deciding agency asked for (status 5): the papers become one signed PDF
 * (assembled and signed exactly as at intake, since the central checks every file's signature), the
 * appointment is recounted, a receipt with the new date is printed, and the file, the event, the new state
 * and the receipt are saved in ONE transaction. Nothing is saved unless all of it was built.
 *
 * How the appointment is recounted follows the rules the dossier was received under (legal-basis.ts):
 * - 2025 (Decree 118/2025 Art. 19.5): the time limit restarts FROM THE BEGINNING at this receipt — the
 *   procedure's full time limit from the catalog. When the procedure is no longer in the catalog, the same
 *   working time the first receipt allowed (its receipt → its first appointment) is counted again from now,
 *   and the clerk is told so (`rule: 'restart-first-allowance'`). A 2025 dossier whose supplement window
 *   (15 days, configurable) has passed is closed: refused with SUPPLEMENT_WINDOW_CLOSED.
 * - 2018: the clock was paused; the appointment moves by the working time waited.
 */
import { addWorkingDuration, defaultWorkingRules, extendAppointmentForPause, formatTimeLimit, formatVietnamDateTime, toVietnamIso, workingTimeBetween, type WorkingRules } from '../../../../shared/domain/appointment';
import { LEGAL_BASIS_2025, legalBasisOf } from '../../../../shared/domain/legal-basis';
import { defaultSupplementWindow, isClosedForMissingSupplement, restartAppointment, supplementWindowEnd, type SupplementWindow } from '../../../../shared/domain/time-limit-rules';
import type { Procedure } from '../../../../shared/domain/procedure';
import { AppError } from '../../../../shared/errors';
import type { CounterConfig } from '../../../../shared/ipc/contract';
import { assembleComponentPdf } from '../../../../shared/pdf/assemble';
import { buildReceiptPdf } from '../../../../shared/pdf/receipt';
import { editionOf } from '../../../../shared/pdf/forms/edition';
import { dossierStatusNames, type CounterEvent } from '../../../../shared/sync/protocol';
import type { ReceiptFonts } from '../../app/fonts';
import { formUnit, placeOf } from '../../app/clerk';
import { queueCounterEventSpooled } from '../../db/dossier-spool';
import type { CounterDatabase, DossierStateRow, StoredDossier } from '../../db/database';
import type { NewFile } from '../../db/dossiers';
import { assertRoomForDossier, type StorageSpace } from '../../db/storage-space';
import type { MainClient } from '../../platform/main-client';
import { webCryptoSha256Hex } from '../../platform/hash';
import type { Attachment } from '../intake/attachments';
import { copySignatureOptions, copySignersFor, type UnlockedSigner } from '../intake/accept-dossier';
import type { CopySigningPolicy } from '../../../../shared/domain/copy-signature';
import { signPdf } from '../../../../shared/pdf/sign-pdf';

export type SupplementProgress = { readonly step: 'assemble' | 'sign' | 'save' | 'receipt' };

export interface SupplementInput {
  readonly dossier: StoredDossier;
  readonly state: DossierStateRow;
  /** What the deciding agency asked for (the status-5 entry's items), printed on the receipt. */
  readonly requestedItems: readonly string[];
  readonly attachments: readonly Attachment[];
  readonly config: CounterConfig;
  readonly signers: readonly UnlockedSigner[];
  /** The supplement is a digitized copy like any component: signed by the counter's default signer (issue 15). */
  readonly copySigning: CopySigningPolicy;
  readonly clerk: string;
  /** The dossier's procedure in the catalog in force, for its time limit on the receipt. */
  readonly procedure?: Procedure;
}

export interface SupplementDeps {
  readonly db: CounterDatabase;
  readonly main: MainClient;
  readonly fonts: () => Promise<ReceiptFonts>;
  readonly now?: () => Date;
  readonly rules?: WorkingRules;
  readonly storageSpace?: () => Promise<StorageSpace | undefined>;
}

/** Which rule set the new appointment: see the header. */
type SupplementRecountRule = 'restart' | 'restart-first-allowance' | 'pause';

export interface ReceivedSupplement {
  readonly newAppointmentAt: Date;
  readonly rule: SupplementRecountRule;
  readonly receiptPdf: Uint8Array;
  readonly receiptLabel: string;
}

/** The component code of a supplement round's file, e.g. "BS1" for the first round (bổ sung). */
const supplementComponentCode = (round: number) => `BS${Math.max(1, round)}`;

/** The procedure's legal time limit, as on the first receipt, and how it counts after this supplement. */
function timeLimitText(procedure: Procedure | undefined, rule: SupplementRecountRule): string {
  if (rule === 'pause') {
    return procedure ? `${formatTimeLimit(procedure.timeLimit)} (không tính thời gian chờ bổ sung)` : 'theo quy định của thủ tục (không tính thời gian chờ bổ sung)';
  }
  const restart = 'tính lại từ đầu kể từ khi nhận đủ hồ sơ bổ sung';
  return procedure ? `${formatTimeLimit(procedure.timeLimit)} (${restart})` : `bằng thời gian đã hẹn ở lần tiếp nhận đầu (${restart}; thủ tục không còn trong danh mục)`;
}

interface Recount {
  readonly appointmentAt: Date;
  readonly rule: SupplementRecountRule;
}

/** The new appointment at `receivedAt` (see the header). */
export function recountAfterSupplement(dossier: StoredDossier, state: DossierStateRow, procedure: Procedure | undefined, receivedAt: Date, rules: WorkingRules): Recount {
  if (legalBasisOf(dossier) === LEGAL_BASIS_2025) {
    if (procedure) return { appointmentAt: restartAppointment(receivedAt, procedure.timeLimit, rules), rule: 'restart' };
    const firstAllowance = workingTimeBetween(new Date(dossier.receivedAt), new Date(dossier.appointmentAt), rules);
    return { appointmentAt: addWorkingDuration(receivedAt, firstAllowance, rules), rule: 'restart-first-allowance' };
  }
  // The clock stopped when the central asked for the supplement and runs again now: the appointment moves
  // by the working time in between (weekends, Tết and days off cost nothing).
  const pausedSince = state.pausedSince ? new Date(state.pausedSince) : receivedAt;
  return { appointmentAt: extendAppointmentForPause(new Date(state.appointmentAt), pausedSince, receivedAt, rules), rule: 'pause' };
}

/** A 2025 dossier past its supplement window is closed (Art. 19.5): nothing can be received for it. */
export function assertSupplementWindowOpen(dossier: StoredDossier, state: DossierStateRow, now: Date, window: SupplementWindow, rules: WorkingRules): void {
  const requestedAt = state.pausedSince ? new Date(state.pausedSince) : undefined;
  if (!requestedAt || !isClosedForMissingSupplement(legalBasisOf(dossier), requestedAt, now, window, rules)) return;
  throw new AppError('SUPPLEMENT_WINDOW_CLOSED', {
    code: dossier.code,
    days: `${window.amount} ${window.unit === 'days' ? 'ngày' : 'ngày làm việc'}`,
    closedAt: formatVietnamDateTime(supplementWindowEnd(requestedAt, window, rules)),
  });
}

function notRequested(dossier: StoredDossier, state: DossierStateRow): AppError {
  return new AppError('SUPPLEMENT_NOT_REQUESTED', { code: dossier.code, status: `${state.status} — ${dossierStatusNames[state.status]}` });
}

export async function receiveSupplement(input: SupplementInput, deps: SupplementDeps, onProgress: (p: SupplementProgress) => void): Promise<ReceivedSupplement> {
  const { dossier, state, config } = input;
  const now = deps.now ?? (() => new Date());
  if (state.status !== 5) throw notRequested(dossier, state);
  if (input.attachments.length === 0) throw new AppError('SUPPLEMENT_NO_FILES');
  const rules = deps.rules ?? defaultWorkingRules;
  assertSupplementWindowOpen(dossier, state, now(), config.timeLimits?.supplementWindow ?? defaultSupplementWindow, rules);
  assertRoomForDossier(await deps.storageSpace?.());

  const receivedAt = now();
  const round = state.supplementRounds;
  const componentCode = supplementComponentCode(round);
  onProgress({ step: 'assemble' });
  const assembled = await assembleComponentPdf(
    input.attachments.map((a) => ({ name: a.name, bytes: a.bytes, ...(a.rotation ? { rotation: a.rotation } : {}) })),
    { title: `Hồ sơ bổ sung lần ${round} — ${dossier.code}`, subject: dossier.procedure.name, creationDate: receivedAt },
  );
  onProgress({ step: 'sign' });
  const { signerFor, takeEvidence, openSession, closeSession } = copySignersFor(input.signers, deps.main);
  const role = input.copySigning.defaultSigner;
  const signer = signerFor(role, componentCode);
  takeEvidence();
  // One signature, in a session bound to this dossier and this round's component (issue 17).
  await openSession(dossier.id, [{ component: componentCode, role }]);
  let signed: Uint8Array;
  try {
    signed = await signPdf(assembled.pdf, signer.digest, await copySignatureOptions(role, signer.certificate, config, deps.fonts, receivedAt));
  } catch (err) {
    await closeSession('failed');
    throw err;
  }
  await closeSession('done');
  const file: NewFile = {
    meta: {
      id: crypto.randomUUID(),
      dossierId: dossier.id,
      componentCode,
      name: `${dossier.code}_${componentCode}.pdf`,
      mediaType: 'application/pdf',
      size: signed.byteLength,
      sha256: await webCryptoSha256Hex(signed),
      pageCount: assembled.pageCount,
      revocationEvidence: takeEvidence(),
    },
    bytes: signed,
  };

  const { appointmentAt: newAppointmentAt, rule } = recountAfterSupplement(dossier, state, input.procedure, receivedAt, rules);

  onProgress({ step: 'receipt' });
  const receiptLabel = `Mẫu 01 (bổ sung lần ${round}) — ${dossier.code}`;
  const receiptPdf = await buildReceiptPdf(
    {
      // The same heading as Mẫu 02–06 (the organisation's full name, not the unit's short name).
      unitName: formUnit(config).unitName,
      place: placeOf(config.unit.name),
      dossierCode: dossier.code,
      applicant: dossier.applicant,
      procedureName: dossier.procedure.name,
      components: input.requestedItems.length > 0 ? input.requestedItems.map((item) => `Bổ sung: ${item}`) : [`Hồ sơ bổ sung lần ${round}`],
      sets: 1,
      timeLimitText: timeLimitText(input.procedure, rule),
      receivedAt,
      appointmentAt: newAppointmentAt,
      resultDelivery: 'counter',
      clerkName: input.clerk,
      ...(input.procedure?.fees ? { fees: input.procedure.fees } : {}),
      ...(input.procedure?.agency ? { decidingAgency: input.procedure.agency } : {}),
    },
    await deps.fonts(),
    // The set the dossier was received under: a 2018-era dossier gets a 2018 receipt.
    editionOf(legalBasisOf(dossier)),
  );

  onProgress({ step: 'save' });
  const at = toVietnamIso(receivedAt);
  const appointmentAt = toVietnamIso(newAppointmentAt);
  const event: CounterEvent = {
    kind: 'supplement-received',
    eventId: crypto.randomUUID(),
    at,
    clerk: input.clerk,
    files: [
      {
        componentCode,
        name: file.meta.name,
        mediaType: 'application/pdf',
        size: file.meta.size,
        sha256: file.meta.sha256,
        // Filled by the sync engine once the bytes are up (tus); the event is sent only after.
        uploadUrl: 'pending',
        pageCount: file.meta.pageCount,
        revocationEvidence: [...(file.meta.revocationEvidence ?? [])],
      },
    ],
    newAppointmentAt: appointmentAt,
  };
  // Main keeps its own copy (with the file) until the central confirms it, as for an acceptance.
  await queueCounterEventSpooled(
    deps.db,
    deps.main,
    dossier.id,
    event,
    (current) => {
      // The clock runs again: status 4 (in processing) as the central will record it, the pause ended.
      const { pausedSince: _ended, ...rest } = current;
      return { ...rest, status: 4, appointmentAt };
    },
    {
      files: [file],
      printedForm: { formId: 'mau01', label: receiptLabel, dossierId: dossier.id, pdf: receiptPdf, clerk: input.clerk },
      // The feed may have moved the dossier on since the screen was drawn (e.g. the agency withdrew the request).
      requireState: (current) => (current.status === 5 ? undefined : notRequested(dossier, current)),
    },
  );
  return { newAppointmentAt, rule, receiptPdf, receiptLabel };
}
