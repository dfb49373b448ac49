/**
 * Accepting a dossier: code → one PDF per component → PAdES signature (the key stays in main; only the
 * digest crosses) → one Dexie transaction with the outbox row → the receipt. Nothing is saved unless
 * every component was built and signed, so a failure leaves no half dossier behind.
 */
import type { Applicant, DossierId } from '../../../../shared/domain/dossier';
import type { Procedure } from '../../../../shared/domain/procedure';
import { dossierCodePrefix } from '../../../../shared/domain/code-prefix';
import { CURRENT_LEGAL_BASIS } from '../../../../shared/domain/legal-basis';
import type { ReceptionDuties } from '../../../../shared/domain/reception-duties';
import { defaultWorkingRules, formatTimeLimit, toVietnamIso } from '../../../../shared/domain/appointment';
import { appointmentForReceipt, defaultReceptionSchedule } from '../../../../shared/domain/time-limit-rules';
import { createWorkingCalendar, type WorkingCalendar } from '../../../../shared/domain/working-calendar';
import type { CertificateSummary, CounterConfig, LedgerCodeRecord, SignerRole, SignerStatus } from '../../../../shared/ipc/contract';
import { copySignatureRecords, copySignerOf, type CopySigningPolicy } from '../../../../shared/domain/copy-signature';
import { assertPageCountsConfirmed, type DigitizationRecord, type PageCountConfirmation } from '../../../../shared/domain/digitization';
import { assembleComponentPdf } from '../../../../shared/pdf/assemble';
import { signPdf, type PrepareOptions } from '../../../../shared/pdf/sign-pdf';
import type { DigestSigner } from '../../../../shared/cms/pades';
import type { RevocationEvidence } from '../../../../shared/cms/revocation-evidence';
import { buildReceiptPdf, componentKindNames } from '../../../../shared/pdf/receipt';
import { editionOf } from '../../../../shared/pdf/forms/edition';
import { AppError } from '../../../../shared/errors';
import type { CounterDatabase, StoredDossier } from '../../db/database';
import type { NewFile } from '../../db/dossiers';
import { saveAcceptedDossierSpooled } from '../../db/dossier-spool';
import { allocateDossierCode } from '../../db/sequences';
import { assertRoomForDossier, type StorageSpace } from '../../db/storage-space';
import type { MainClient } from '../../platform/main-client';
import { webCryptoSha256, webCryptoSha256Hex } from '../../platform/hash';
import type { ReceiptFonts } from '../../app/fonts';
import { formUnit, placeOf } from '../../app/clerk';
import { recordPrintedForm } from '../../db/counter-desk';
import type { AttachmentsByComponent } from './ComponentsStep';

export type AcceptProgress =
  | { readonly step: 'code' }
  | { readonly step: 'assemble' | 'sign'; readonly name: string; readonly index: number; readonly total: number }
  | { readonly step: 'save' }
  | { readonly step: 'receipt' };

export interface AcceptedDossier {
  readonly dossier: StoredDossier;
  readonly receiptPdf: Uint8Array;
  /**
   * The result is returned at once (`procedure.resultAtOnce`, "trả ngay"): the receipt is given only if the
   * applicant asks (Decree 118/2025 Art. 17.4), so the screen offers it instead of printing it first.
   */
  readonly immediateResult: boolean;
}

/** A configured signer the clerk has unlocked, in signing order (organisation first). */
export interface UnlockedSigner {
  readonly role: SignerRole;
  readonly status: Extract<SignerStatus, { state: 'unlocked' }>;
}

export interface AcceptInput {
  readonly procedure: Procedure;
  readonly applicant: Applicant;
  readonly attachments: AttachmentsByComponent;
  readonly config: CounterConfig;
  /** The signers the dossier needs (`signersNeeded`), unlocked. */
  readonly signers: readonly UnlockedSigner[];
  /** Whose certificate signs each component's copy (the clerk's personal one unless the component says otherwise). */
  readonly copySigning: CopySigningPolicy;
  /** The paper page counts the clerk confirmed for the present components (Circular 01/2023 Art. 8.2). */
  readonly pageCounts?: readonly PageCountConfirmation[];
  /** Who is at the counter (recorded on the dossier for the per-clerk indicators). */
  readonly clerk?: string;
  /** The VNeID check and the reused documents (Decree 118 Art. 17.1.a–b), kept on the dossier. */
  readonly receptionDuties?: ReceptionDuties;
  /** The dossier was first asked to complete: its pending record closes with this acceptance. */
  readonly pending?: { readonly id: string; readonly rounds: number };
}

export interface AcceptDeps {
  readonly db: CounterDatabase;
  readonly main: MainClient;
  readonly fonts: () => Promise<ReceiptFonts>;
  readonly now?: () => Date;
  /** Free space before saving (STORAGE_SPACE_LOW when critical); absent in tests without a StorageManager. */
  readonly storageSpace?: () => Promise<StorageSpace | undefined>;
  /** The working calendar in force (the central's last good copy); the built-in one when absent. */
  readonly calendar?: WorkingCalendar;
  /** Tells main's database ledger each dossier number used (absent in tests without a host). */
  readonly recordCode?: (used: LedgerCodeRecord) => Promise<void>;
}

/** The visible copy stamp (Decree 30) when configured, else an invisible signature. */
async function signatureAppearanceFor(config: CounterConfig, fonts: () => Promise<ReceiptFonts>): Promise<PrepareOptions['appearance']> {
  const { signatureAppearance } = config;
  return signatureAppearance.kind === 'copy-stamp'
    ? { kind: 'copy-stamp', copyForm: signatureAppearance.copyForm, organisationName: config.organisationName, fonts: await fonts() }
    : { kind: 'none' };
}

export interface CopySigners {
  /** The signer of one component's copy, by `role`; `component` is what main's signing session counts. */
  readonly signerFor: (role: SignerRole, component: string) => { digest: DigestSigner; certificate: CertificateSummary };
  readonly takeEvidence: () => RevocationEvidence[];
  /** Opens main's signing session for this dossier: only the announced components are signed, each once. */
  readonly openSession: (dossierId: string, plan: readonly { readonly component: string; readonly role: SignerRole }[]) => Promise<void>;
  /** Ends it (signing done, or the acceptance failed); harmless when none is open or main already closed it. */
  readonly closeSession: (outcome: 'done' | 'failed') => Promise<void>;
}

/**
 * One signer per certificate role, through main, inside a signing session (issue 17). `takeEvidence` returns
 * the revocation evidence gathered since its last call (call it before signing a file, and after, to keep the
 * evidence with the file).
 */
export function copySignersFor(signers: readonly UnlockedSigner[], main: MainClient): CopySigners {
  let evidence: RevocationEvidence[] = [];
  let sessionId: string | null = null;
  const openSession = async (dossierId: string, plan: readonly { readonly component: string; readonly role: SignerRole }[]) => {
    sessionId = (await main.call('signer:session-open', { dossierId, signatures: plan.map(({ component, role }) => ({ component, role })) })).sessionId;
  };
  const closeSession = async (outcome: 'done' | 'failed') => {
    const open = sessionId;
    sessionId = null;
    // Main also closes sessions on every lock; a failed close leaves nothing that can sign.
    if (open) await main.call('signer:session-close', { sessionId: open, outcome }).catch(() => undefined);
  };
  const signerFor = (role: SignerRole, component: string) => {
    const unlocked = signers.find((s) => s.role === role);
    if (!unlocked) throw new AppError('SIGNER_NOT_CONFIGURED', { role });
    const digest: DigestSigner = {
      chainDer: unlocked.status.certificate.chainDer,
      signDigest: async (d) => {
        if (!sessionId) throw new AppError('SIGNING_SESSION_REQUIRED');
        const { revocationEvidence, ...signature } = await main.call('signer:sign-digest', { role, algorithm: 'sha256', digest: d, sessionId, component });
        evidence.push(...revocationEvidence);
        return signature;
      },
    };
    return { digest, certificate: unlocked.status.certificate };
  };
  const takeEvidence = () => {
    const taken = evidence;
    evidence = [];
    return taken;
  };
  return { signerFor, takeEvidence, openSession, closeSession };
}

/**
 * How a component's copy is signed. The organisation's copy signature keeps the Decree 30 stamp ("SAO Y"…)
 * when configured; the clerk's personal signature (Decree 118/2025 Art. 17.1.c) carries no copy form — a small
 * box naming the certificate's holder and the time, or nothing.
 */
export async function copySignatureOptions(
  role: SignerRole,
  certificate: CertificateSummary,
  config: CounterConfig,
  fonts: () => Promise<ReceiptFonts>,
  signingTime: Date,
): Promise<PrepareOptions> {
  const common = { location: config.unit.name, signingTime, digest: webCryptoSha256 };
  if (role === 'organisation') return { ...common, reason: config.signatureAppearance.copyForm, signerName: config.organisationName, appearance: await signatureAppearanceFor(config, fonts) };
  const holder = certificate.subjectCommonName ?? certificate.subject;
  return {
    ...common,
    reason: 'Bản sao chụp điện tử do công chức tiếp nhận ký số (Nghị định 118/2025/NĐ-CP, Điều 17.1.c)',
    signerName: holder,
    appearance: (config.copySigning?.personalAppearance ?? 'signature-box') === 'signature-box' ? { kind: 'signature-box', signerName: holder, fonts: await fonts() } : { kind: 'none' },
  };
}

export async function acceptDossier(input: AcceptInput, deps: AcceptDeps, onProgress: (p: AcceptProgress) => void): Promise<AcceptedDossier> {
  const { procedure, applicant, attachments, config } = input;
  const now = deps.now ?? (() => new Date());
  for (const component of procedure.components) {
    if (component.required && !(attachments[component.code]?.length ?? 0)) throw new AppError('DOSSIER_REQUIRED_COMPONENT_MISSING', { name: component.name });
  }

  const present = procedure.components.filter((c) => (attachments[c.code]?.length ?? 0) > 0);
  // Before a number is drawn or anything signed: a copy whose image count differs from the paper needs the
  // clerk's acknowledgement.
  const pageCounts = present.flatMap((c) => input.pageCounts?.filter((p) => p.code === c.code).map((p) => ({ ...p, name: c.name })) ?? []);
  assertPageCountsConfirmed(pageCounts);
  const { signerFor, takeEvidence, openSession, closeSession } = copySignersFor(input.signers, deps.main);
  const roles = present.map((component) => ({ component, role: copySignerOf(component, input.copySigning) }));
  // Every needed key is known before a number is drawn (a missing one fails fast, nothing half signed).
  for (const { component, role } of roles) signerFor(role, component.code);
  // Before any work: refused while the disk is nearly full, so a dossier is never half saved.
  assertRoomForDossier(await deps.storageSpace?.());
  onProgress({ step: 'code' });
  const receivedAt = now();
  let used: LedgerCodeRecord | undefined;
  const recordCode = deps.recordCode;
  // Issue 15: the code begins with the deciding agency's identifier (or the receiving unit's, per procedure).
  const codePrefix = dossierCodePrefix(procedure, config.unit.code);
  const code = await allocateDossierCode(
    deps.db,
    { unitCode: config.unit.code, counterNo: config.counterNo, agencyId: codePrefix },
    receivedAt,
    recordCode &&
      (async (record) => {
        used = record;
        await recordCode(record);
      }),
  );
  const id = crypto.randomUUID() as DossierId;
  // Weekends, public holidays (Tết and Hùng Kings by the Vietnamese lunar calendar) and the year's published
  // days off and make-up working days (the central's calendar when the screen passes it).
  const calendar = deps.calendar ?? createWorkingCalendar();
  // The reception schedule (e.g. Saturday mornings) decides how a receipt on a day off counts (issue 15).
  const appointmentAt = appointmentForReceipt(receivedAt, procedure.timeLimit, procedure.code, config.timeLimits?.reception ?? defaultReceptionSchedule, {
    ...defaultWorkingRules,
    isNonWorkingDay: (day) => calendar.isNonWorkingDay(day),
  });

  const files: NewFile[] = [];
  const signedBy: { componentCode: string; role: SignerRole; certificate: CertificateSummary }[] = [];
  // Main signs only what this session announces: one copy per present component, by its role (issue 17).
  await openSession(id, roles.map(({ component, role }) => ({ component: component.code, role })));
  try {
    for (const [index, { component, role }] of roles.entries()) {
      const sources = attachments[component.code] ?? [];
      onProgress({ step: 'assemble', name: component.name, index, total: present.length });
      const assembled = await assembleComponentPdf(
        sources.map((a) => ({ name: a.name, bytes: a.bytes, ...(a.rotation ? { rotation: a.rotation } : {}), ...(a.textLayer ? { textLayer: a.textLayer } : {}) })),
        // OCR words that were ready in time go in before signing (covered by the signature); the rest never do.
        { title: `${component.name} — ${code}`, subject: procedure.name, creationDate: receivedAt, ...(sources.some((a) => a.textLayer) ? { textFont: (await deps.fonts()).regular } : {}) },
      );
      onProgress({ step: 'sign', name: component.name, index, total: present.length });
      takeEvidence();
      const signer = signerFor(role, component.code);
      const signed = await signPdf(assembled.pdf, signer.digest, await copySignatureOptions(role, signer.certificate, config, deps.fonts, now()));
      signedBy.push({ componentCode: component.code, role, certificate: signer.certificate });
      files.push({
        meta: {
          id: crypto.randomUUID(),
          dossierId: id,
          componentCode: component.code,
          name: `${code}_${component.code}.pdf`,
          mediaType: 'application/pdf',
          size: signed.length,
          sha256: await webCryptoSha256Hex(signed),
          pageCount: assembled.pageCount,
          revocationEvidence: takeEvidence(),
        },
        bytes: signed,
      });
    }
  } catch (err) {
    await closeSession('failed');
    throw err;
  }
  // Every copy is signed: nothing more may be signed for this dossier.
  await closeSession('done');
  const digitization: DigitizationRecord | undefined = pageCounts.length ? { confirmedAt: toVietnamIso(receivedAt), components: pageCounts.map(({ name: _name, ...c }) => c) } : undefined;

  const dossier: StoredDossier = {
    id,
    code,
    procedure: { code: procedure.code, name: procedure.name },
    applicant,
    unit: config.unit,
    counterNo: config.counterNo,
    receivedAt: toVietnamIso(receivedAt),
    appointmentAt: toVietnamIso(appointmentAt),
    components: procedure.components.map((c) => ({
      code: c.code,
      name: c.name,
      required: c.required,
      fileIds: files.filter((f) => f.meta.componentCode === c.code).map((f) => f.meta.id),
    })),
    createdAt: receivedAt.toISOString(),
    ...(input.clerk ? { clerk: input.clerk } : {}),
    ...(input.pending ? { completionRounds: input.pending.rounds } : {}),
    legalBasis: CURRENT_LEGAL_BASIS,
    ...(input.receptionDuties ? { receptionDuties: input.receptionDuties } : {}),
    copySignatures: copySignatureRecords(signedBy),
    ...(digitization ? { digitization } : {}),
    codePrefix,
  };
  onProgress({ step: 'save' });
  // Main keeps its own copy until the central confirms it: a database the browser replaces loses nothing.
  await saveAcceptedDossierSpooled(deps.db, deps.main, dossier, files, input.pending ? { pendingId: input.pending.id } : {});
  // The ledger's high mark counts this dossier now, not at the next number or start: a database replaced
  // before then is known to have held it. The number itself is already recorded, so a failure here is harmless.
  if (used && recordCode) await recordCode(used).catch(() => undefined);

  onProgress({ step: 'receipt' });
  const receiptPdf = await buildReceiptPdf(
    {
      // The same heading as Mẫu 02–07 (the organisation's full name, not the unit's short name).
      unitName: formUnit(config).unitName,
      place: placeOf(config.unit.name),
      dossierCode: code,
      applicant,
      procedureName: procedure.name,
      components: present.map((c) => ({ name: c.name, ...(c.copyType ? { kind: componentKindNames[c.copyType] } : {}), ...(c.quantity ? { quantity: c.quantity } : {}) })),
      // The body that decides, which may not be the receiving centre (receipt regardless of boundary, Art. 14.2).
      decidingAgency: procedure.agency ?? config.organisationName,
      fees: procedure.fees ?? [],
      sets: 1,
      timeLimitText: formatTimeLimit(procedure.timeLimit),
      receivedAt,
      appointmentAt,
      resultDelivery: 'counter',
      // Under "NGƯỜI TIẾP NHẬN HỒ SƠ", as on Mẫu 02–04: the clerk's name, else the counter.
      clerkName: input.clerk ?? `Quầy ${config.counterNo}`,
    },
    await deps.fonts(),
    editionOf(dossier.legalBasis ?? CURRENT_LEGAL_BASIS),
  );
  // Kept for reprints from the dossier's history. The dossier is already saved: a failure here only
  // loses the history entry, so it must not fail the acceptance.
  await recordPrintedForm(deps.db, { formId: 'mau01', label: `Mẫu 01 — ${code}`, dossierId: id, pdf: receiptPdf, clerk: input.clerk ?? `Quầy ${config.counterNo}` }).catch(() => undefined);
  return { dossier, receiptPdf, immediateResult: procedure.resultAtOnce === true };
}
