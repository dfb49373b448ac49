/**
 * The counter ↔ central protocol: one module, used by both sides, with the strictest rules.
 * Paths are relative to the central's base URL.
 */
import { z } from 'zod';
import { applicantSchema, dossierCodeSchema, dossierIdSchema, sha256HexSchema, unitCodeSchema } from '../domain/dossier';
import { errorCodes } from '../errors';
import { revocationEvidenceSchema } from '../cms/revocation-evidence';

export const protocolVersion = 1;

export const centralPaths = {
  health: '/api/v1/health',
  /** tus 1.0.0 resumable uploads (creation, HEAD/PATCH resume). */
  uploads: '/api/v1/uploads/',
  commit: (dossierId: string) => `/api/v1/dossiers/${encodeURIComponent(dossierId)}`,
  dossier: (dossierId: string) => `/api/v1/dossiers/${encodeURIComponent(dossierId)}`,
  file: (dossierId: string, sha256: string) => `/api/v1/dossiers/${encodeURIComponent(dossierId)}/files/${sha256}`,
} as const;

/** The health answer is the probe's known response: a captive portal's 200 page does not parse as this. */
export const healthSchema = z.object({
  service: z.literal('motcua-central'),
  protocolVersion: z.number().int(),
  time: z.iso.datetime({ offset: true }),
});
export type Health = z.infer<typeof healthSchema>;

/** tus Upload-Metadata keys the counter sends with each file. */
export const uploadMetadataSchema = z.object({
  dossierId: dossierIdSchema,
  sha256: sha256HexSchema,
  filename: z.string().min(1).max(255),
  filetype: z.literal('application/pdf'),
});
export type UploadMetadata = z.infer<typeof uploadMetadataSchema>;

export const committedFileSchema = z.object({
  componentCode: z.string().min(1).max(64),
  name: z.string().min(1).max(255),
  mediaType: z.literal('application/pdf'),
  size: z.number().int().positive(),
  sha256: sha256HexSchema,
  /** The tus upload URL (absolute) or its id: where the central finds the bytes. */
  uploadUrl: z.string().min(1).max(2048),
  pageCount: z.number().int().positive(),
  /** Revocation evidence each signer's certificate had when it signed this file (may be empty offline). */
  revocationEvidence: z.array(revocationEvidenceSchema).max(10).default([]),
});
export type CommittedFile = z.infer<typeof committedFileSchema>;

/** The dossier record a counter commits once all its files are uploaded. Idempotent by `id`. */
export const dossierCommitSchema = z.object({
  protocolVersion: z.literal(protocolVersion),
  id: dossierIdSchema,
  code: dossierCodeSchema,
  receivingUnit: z.object({ code: unitCodeSchema, name: z.string().min(1).max(300) }),
  counterNo: z.number().int().min(1).max(99),
  procedure: z.object({ code: z.string().min(1).max(32), name: z.string().min(1).max(500) }),
  applicant: applicantSchema,
  /** Counter clock, ISO 8601 with offset. The central records its own time beside it. */
  receivedAt: z.iso.datetime({ offset: true }),
  appointmentAt: z.iso.datetime({ offset: true }),
  // One stored copy per content: the same file twice in one dossier is a counter bug, refused up front.
  files: z
    .array(committedFileSchema)
    .min(1)
    .max(500)
    .refine((files) => new Set(files.map((f) => f.sha256)).size === files.length, 'each file appears once (unique sha256)'),
});
export type DossierCommit = z.infer<typeof dossierCommitSchema>;

export const commitAckSchema = z.object({
  dossierId: dossierIdSchema,
  centralId: z.string().min(1),
  /** Central clock when it first accepted this dossier (ISO 8601). */
  receivedAt: z.iso.datetime({ offset: true }),
  /** True when this answer repeats the first one (the commit had already succeeded). */
  duplicate: z.boolean(),
});
export type CommitAck = z.infer<typeof commitAckSchema>;

/** Every error body from the central. `code` is one of the shared error codes. */
export const centralErrorSchema = z.object({
  error: z.enum(errorCodes),
  details: z.record(z.string(), z.union([z.string(), z.number()])).default({}),
});
export type CentralError = z.infer<typeof centralErrorSchema>;
