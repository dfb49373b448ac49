/**
 * Accepting a dossier: code → one PDF per component → PAdES signature (the key stays in main; only the
 * digest crosses) → one Dexie transaction with the outbox row → the receipt. Nothing is saved unless
 * every component was built and signed, so a failure leaves no half dossier behind.
 */
import type { Applicant, DossierId } from '../../../../shared/domain/dossier';
import type { Procedure } from '../../../../shared/domain/procedure';
import { dossierCodePrefix } from '../../../../shared/domain/code-prefix';
import { CURRENT_LEGAL_BASIS } from '../../../../shared/domain/legal-basis';
import { computeAppointment, defaultWorkingRules, formatTimeLimit, toVietnamIso } from '../../../../shared/domain/appointment';
import { createWorkingCalendar, type WorkingCalendar } from '../../../../shared/domain/working-calendar';
import type { CounterConfig, LedgerCodeRecord, SignerRole, SignerStatus } from '../../../../shared/ipc/contract';
import { assembleComponentPdf } from '../../../../shared/pdf/assemble';
import type { PDFDocument } from 'pdf-lib';
import { signPdf, type PrepareOptions } from '../../../../shared/pdf/sign-pdf';
import { appendSignature } from '../../../../shared/pdf/incremental';
import type { DigestSigner } from '../../../../shared/cms/pades';
import type { RevocationEvidence } from '../../../../shared/cms/revocation-evidence';
import { buildReceiptPdf } from '../../../../shared/pdf/receipt';
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
  readonly signers: readonly UnlockedSigner[];
  /** Who is at the counter (recorded on the dossier for the per-clerk indicators). */
  readonly clerk?: string;
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

/**
 * The first signer signs the assembled PDF; each later one (the clerk's personal certificate) adds an
 * incremental update that keeps the earlier signature valid.
 */
export async function signWithEach(pdf: PDFDocument, first: DigestSigner, later: readonly DigestSigner[], options: PrepareOptions): Promise<Uint8Array> {
  let signed = await signPdf(pdf, first, options);
  // Later signatures are invisible: the Decree 30 stamp names the organisation that signed first.
  for (const signer of later) signed = await appendSignature(signed, signer, { ...options, appearance: { kind: 'none' }, signingTime: new Date() });
  return signed;
}


/**
 * Each signer signs through main: only the digest goes out; the signature and the revocation evidence
 * main checked the certificate against come back. `takeEvidence` returns the evidence gathered since its
 * last call (call it before signing a file, and after, to keep the evidence with the file it signed).
 */
export function digestSignersFor(signers: readonly UnlockedSigner[], main: MainClient): { firstSigner: DigestSigner; laterSigners: DigestSigner[]; takeEvidence: () => RevocationEvidence[] } {
  let evidence: RevocationEvidence[] = [];
  const digestSigners: DigestSigner[] = signers.map(({ role, status }) => ({
    chainDer: status.certificate.chainDer,
    signDigest: async (digest) => {
      const { revocationEvidence, ...signature } = await main.call('signer:sign-digest', { role, algorithm: 'sha256', digest });
      evidence.push(...revocationEvidence);
      return signature;
    },
  }));
  const [firstSigner, ...laterSigners] = digestSigners;
  if (!firstSigner) throw new AppError('SIGNER_NOT_CONFIGURED', { role: 'organisation' });
  const takeEvidence = () => {
    const taken = evidence;
    evidence = [];
    return taken;
  };
  return { firstSigner, laterSigners, takeEvidence };
}

/** The visible copy stamp (Decree 30) when configured, else an invisible signature. */
export async function signatureAppearanceFor(config: CounterConfig, fonts: () => Promise<ReceiptFonts>): Promise<PrepareOptions['appearance']> {
  const { signatureAppearance } = config;
  return signatureAppearance.kind === 'copy-stamp'
    ? { kind: 'copy-stamp', copyForm: signatureAppearance.copyForm, organisationName: config.organisationName, fonts: await fonts() }
    : { kind: 'none' };
}

export async function acceptDossier(input: AcceptInput, deps: AcceptDeps, onProgress: (p: AcceptProgress) => void): Promise<AcceptedDossier> {
  const { procedure, applicant, attachments, config } = input;
  const now = deps.now ?? (() => new Date());
  for (const component of procedure.components) {
    if (component.required && !(attachments[component.code]?.length ?? 0)) throw new AppError('DOSSIER_REQUIRED_COMPONENT_MISSING', { name: component.name });
  }

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
  const appointmentAt = computeAppointment(receivedAt, procedure.timeLimit, { ...defaultWorkingRules, isNonWorkingDay: (day) => calendar.isNonWorkingDay(day) });

  const { firstSigner, laterSigners, takeEvidence } = digestSignersFor(input.signers, deps.main);
  const present = procedure.components.filter((c) => (attachments[c.code]?.length ?? 0) > 0);
  const appearance = await signatureAppearanceFor(config, deps.fonts);
  const files: NewFile[] = [];
  for (const [index, component] of present.entries()) {
    const sources = attachments[component.code] ?? [];
    onProgress({ step: 'assemble', name: component.name, index, total: present.length });
    const assembled = await assembleComponentPdf(
      sources.map((a) => ({ name: a.name, bytes: a.bytes, ...(a.rotation ? { rotation: a.rotation } : {}), ...(a.textLayer ? { textLayer: a.textLayer } : {}) })),
      // OCR words that were ready in time go in before signing (covered by the signature); the rest never do.
      { title: `${component.name} — ${code}`, subject: procedure.name, creationDate: receivedAt, ...(sources.some((a) => a.textLayer) ? { textFont: (await deps.fonts()).regular } : {}) },
    );
    onProgress({ step: 'sign', name: component.name, index, total: present.length });
    takeEvidence();
    const signed = await signWithEach(assembled.pdf, firstSigner, laterSigners, {
      reason: config.signatureAppearance.copyForm,
      location: config.unit.name,
      signerName: config.organisationName,
      signingTime: now(),
      digest: webCryptoSha256,
      appearance,
    });
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
      // The same heading as Mẫu 02–06 (the organisation's full name, not the unit's short name).
      unitName: formUnit(config).unitName,
      place: placeOf(config.unit.name),
      dossierCode: code,
      applicant,
      procedureName: procedure.name,
      components: present.map((c) => c.name),
      sets: 1,
      timeLimitText: formatTimeLimit(procedure.timeLimit),
      receivedAt,
      appointmentAt,
      resultDelivery: 'counter',
      // Under "NGƯỜI TIẾP NHẬN HỒ SƠ", as on Mẫu 02–04: the clerk's name, else the counter.
      clerkName: input.clerk ?? `Quầy ${config.counterNo}`,
    },
    await deps.fonts(),
  );
  // Kept for reprints from the dossier's history. The dossier is already saved: a failure here only
  // loses the history entry, so it must not fail the acceptance.
  await recordPrintedForm(deps.db, { formId: 'mau01', label: `Mẫu 01 — ${code}`, dossierId: id, pdf: receiptPdf, clerk: input.clerk ?? `Quầy ${config.counterNo}` }).catch(() => undefined);
  return { dossier, receiptPdf };
}
