/**
 * Accepting a dossier: code → one PDF per component → PAdES signature (the key stays in main; only the
 * digest crosses) → one Dexie transaction with the outbox row → the receipt. Nothing is saved unless
 * every component was built and signed, so a failure leaves no half dossier behind.
 */
import type { Applicant, DossierId } from '../../../../shared/domain/dossier';
import type { Procedure } from '../../../../shared/domain/procedure';
import { computeAppointment, formatTimeLimit, toVietnamIso } from '../../../../shared/domain/appointment';
import type { CounterConfig, SignerStatus } from '../../../../shared/ipc/contract';
import { assembleComponentPdf } from '../../../../shared/pdf/assemble';
import { signPdf } from '../../../../shared/pdf/sign-pdf';
import type { DigestSigner } from '../../../../shared/cms/pades';
import { buildReceiptPdf } from '../../../../shared/pdf/receipt';
import { AppError } from '../../../../shared/errors';
import type { CounterDatabase, StoredDossier } from '../../db/database';
import { saveAcceptedDossier, type NewFile } from '../../db/dossiers';
import { allocateDossierCode } from '../../db/sequences';
import type { MainClient } from '../../platform/main-client';
import { webCryptoSha256, webCryptoSha256Hex } from '../../platform/hash';
import type { ReceiptFonts } from '../../app/fonts';
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

export interface AcceptInput {
  readonly procedure: Procedure;
  readonly applicant: Applicant;
  readonly attachments: AttachmentsByComponent;
  readonly config: CounterConfig;
  readonly signer: Extract<SignerStatus, { state: 'unlocked' }>;
}

export interface AcceptDeps {
  readonly db: CounterDatabase;
  readonly main: MainClient;
  readonly fonts: () => Promise<ReceiptFonts>;
  readonly now?: () => Date;
}

/** "UBND xã Demo" → "Xã Demo": the place in the receipt's place-and-date line. */
function placeOf(unitName: string): string {
  const place = unitName.replace(/^(UBND|Ủy ban nhân dân)\s+/iu, '');
  return place.charAt(0).toLocaleUpperCase('vi') + place.slice(1);
}

export async function acceptDossier(input: AcceptInput, deps: AcceptDeps, onProgress: (p: AcceptProgress) => void): Promise<AcceptedDossier> {
  const { procedure, applicant, attachments, config } = input;
  const now = deps.now ?? (() => new Date());
  for (const component of procedure.components) {
    if (component.required && !(attachments[component.code]?.length ?? 0)) throw new AppError('DOSSIER_REQUIRED_COMPONENT_MISSING', { name: component.name });
  }

  onProgress({ step: 'code' });
  const receivedAt = now();
  const code = await allocateDossierCode(deps.db, { unitCode: config.unit.code, counterNo: config.counterNo }, receivedAt);
  const id = crypto.randomUUID() as DossierId;
  const appointmentAt = computeAppointment(receivedAt, procedure.timeLimit);

  const signer: DigestSigner = {
    chainDer: input.signer.certificate.chainDer,
    signDigest: (digest) => deps.main.call('signer:sign-digest', { algorithm: 'sha256', digest }),
  };

  const present = procedure.components.filter((c) => (attachments[c.code]?.length ?? 0) > 0);
  const files: NewFile[] = [];
  for (const [index, component] of present.entries()) {
    const sources = attachments[component.code] ?? [];
    onProgress({ step: 'assemble', name: component.name, index, total: present.length });
    const assembled = await assembleComponentPdf(
      sources.map((a) => ({ name: a.name, bytes: a.bytes })),
      { title: `${component.name} — ${code}`, subject: procedure.name, creationDate: receivedAt },
    );
    onProgress({ step: 'sign', name: component.name, index, total: present.length });
    const signed = await signPdf(assembled.pdf, signer, {
      reason: 'SAO Y',
      location: config.unit.name,
      signerName: config.organisationName,
      signingTime: now(),
      digest: webCryptoSha256,
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
  };
  onProgress({ step: 'save' });
  await saveAcceptedDossier(deps.db, dossier, files);

  onProgress({ step: 'receipt' });
  const receiptPdf = await buildReceiptPdf(
    {
      unitName: config.unit.name,
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
    },
    await deps.fonts(),
  );
  return { dossier, receiptPdf };
}
