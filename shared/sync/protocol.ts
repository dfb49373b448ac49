/**
 * The counter ↔ central protocol: one module, used by both sides, with the strictest rules.
 * The messages only: which route carries which (method, path, credential) is the API contract, api-contract.ts.
 */
import { z } from 'zod';
import { applicantSchema, dossierCodeSchema, dossierIdSchema, officialDossierCodeSchema, sha256HexSchema, unitCodeSchema } from '../domain/dossier';
import { receptionDutiesSchema } from '../domain/reception-duties';
import { codeLeaseSchema, leaseDaySchema } from '../domain/code-lease';
import { errorCodes } from '../errors';
import { revocationEvidenceSchema } from '../cms/revocation-evidence';
import { legalBasisSchema } from '../domain/legal-basis';
import { notificationChannelSchema } from '../domain/time-limit-rules';
import { copySignatureRecordSchema } from '../domain/copy-signature';
import { digitizationRecordSchema } from '../domain/digitization';

export const protocolVersion = 1;

/** The health answer is the probe's known response: a captive portal's 200 page does not parse as this. */
export const healthSchema = z.object({
  service: z.literal('motcua-central'),
  protocolVersion: z.number().int(),
  time: z.iso.datetime({ offset: true }),
});
export type Health = z.infer<typeof healthSchema>;

/** One readiness check: `not-checked` when the storage has no probe. */
const readinessCheckSchema = z.enum(['ok', 'failed', 'timeout', 'not-checked']);
export type ReadinessCheck = z.infer<typeof readinessCheckSchema>;

/** `GET /api/v1/ready`: 200 with `ready: true`, else 503 with the check that failed (central/src/cluster/readiness.ts). */
export const readinessSchema = z.object({
  ready: z.boolean(),
  /** The central instance that answered (`--instance-name`, default `<hostname>-<pid>`). */
  instance: z.string().min(1),
  checks: z.object({ database: readinessCheckSchema, storage: readinessCheckSchema }),
});
export type Readiness = z.infer<typeof readinessSchema>;

/** tus Upload-Metadata keys the counter sends with each file. */
export const uploadMetadataSchema = z.object({
  dossierId: dossierIdSchema,
  sha256: sha256HexSchema,
  filename: z.string().min(1).max(255),
  filetype: z.literal('application/pdf'),
});
export type UploadMetadata = z.infer<typeof uploadMetadataSchema>;

const committedFileSchema = z.object({
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
  /** The agency that decides (DonViXuLy), kept apart from the receiving unit: procedures are accepted regardless of administrative boundary. */
  decidingAgency: z.object({ code: z.string().min(1).max(64).optional(), name: z.string().min(1).max(300) }).optional(),
  counterNo: z.number().int().min(1).max(99),
  /**
   * Issue 15: the identifier the official code begins with (the deciding agency's, or the receiving unit's for
   * inter-connected groups). Needed only with a provisional `code`; absent: the receiving unit's.
   */
  codePrefix: unitCodeSchema.optional(),
  procedure: z.object({ code: z.string().min(1).max(32), name: z.string().min(1).max(500) }),
  applicant: applicantSchema,
  /** Counter clock, ISO 8601 with offset. The central records its own time beside it. */
  receivedAt: z.iso.datetime({ offset: true }),
  appointmentAt: z.iso.datetime({ offset: true }),
  /** Decree 118 Art. 17.1.a–b: the VNeID check and reused documents (absent from counters before issue 15). */
  receptionDuties: receptionDutiesSchema.optional(),
  // One stored copy per content: the same file twice in one dossier is a counter bug, refused up front.
  files: z
    .array(committedFileSchema)
    .min(1)
    .max(500)
    .refine((files) => new Set(files.map((f) => f.sha256)).size === files.length, 'each file appears once (unique sha256)'),
  /** Issue 15: the certificates that signed the copies, and the paper page counts the clerk confirmed (absent from older counters). */
  copySignatures: z.array(copySignatureRecordSchema).max(10).optional(),
  digitization: digitizationRecordSchema.optional(),
});
export type DossierCommit = z.infer<typeof dossierCommitSchema>;

export const commitAckSchema = z.object({
  dossierId: dossierIdSchema,
  centralId: z.string().min(1),
  /** Central clock when it first accepted this dossier (ISO 8601). */
  receivedAt: z.iso.datetime({ offset: true }),
  /** True when this answer repeats the first one (the commit had already succeeded). */
  duplicate: z.boolean(),
  /**
   * Issue 15: the dossier's official code. Differs from the committed one only when that was a provisional
   * `TAM-…` number: the counter then stores this code and asks the clerk to reprint the receipt.
   */
  code: officialDossierCodeSchema.optional(),
});
export type CommitAck = z.infer<typeof commitAckSchema>;

/** Every error body from the central. `code` is one of the shared error codes. */
export const centralErrorSchema = z.object({
  error: z.enum(errorCodes),
  details: z.record(z.string(), z.union([z.string(), z.number()])).default({}),
});
export type CentralError = z.infer<typeof centralErrorSchema>;

// ---------------------------------------------------------------------------------------------------------
// Issue 5: devices, status feed, reference data, back-office. Both sides import these; change them together.
// ---------------------------------------------------------------------------------------------------------

/** Every call except health and enroll carries `Authorization: Bearer <credential>` (tus uploads too). */
export const deviceCredentialSchema = z.string().regex(/^mcd_[A-Za-z0-9_-]{43}$/, 'device credential');

export const enrollRequestSchema = z.object({
  /** One-time code issued at the central (`motcua central enroll-code`), e.g. `K7QF-2M9D-XC4T`. */
  enrollmentCode: z.string().regex(/^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/),
  /** What the installer calls this PC, for the central's device list. */
  deviceName: z.string().trim().min(1).max(100),
  /**
   * What the installer says this PC is (issue 16): the central refuses a code issued for another unit or
   * counter BEFORE using it up (ENROLLMENT_UNIT_MISMATCH), so the right PC can still use it. Absent: no check.
   */
  expect: z.object({ unitCode: unitCodeSchema.optional(), counterNo: z.number().int().min(1).max(9).optional() }).strict().optional(),
});

export const deviceRecordSchema = z.object({
  deviceId: z.uuid(),
  deviceName: z.string(),
  unit: z.object({ code: unitCodeSchema, name: z.string().min(1).max(300) }),
  /** The counter number inside the unit: part of the offline-safe dossier-code scheme. */
  counterNo: z.number().int().min(1).max(9),
  enrolledAt: z.iso.datetime({ offset: true }),
  revokedAt: z.iso.datetime({ offset: true }).nullable(),
});
export type DeviceRecord = z.infer<typeof deviceRecordSchema>;

export const enrollResponseSchema = z.object({
  device: deviceRecordSchema,
  /** Shown once; the central keeps only its SHA-256. */
  credential: deviceCredentialSchema,
});
export type EnrollResponse = z.infer<typeof enrollResponseSchema>;

/** National dossier status codes (TrangThaiHoSo of the national one-stop data model; docs/central-api.md). */
const dossierStatusCodes = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] as const;
const dossierStatusSchema = z.union(dossierStatusCodes.map((code) => z.literal(code)) as [
  z.ZodLiteral<1>, z.ZodLiteral<2>, z.ZodLiteral<3>, z.ZodLiteral<4>, z.ZodLiteral<5>,
  z.ZodLiteral<6>, z.ZodLiteral<7>, z.ZodLiteral<8>, z.ZodLiteral<9>, z.ZodLiteral<10>,
]);
export type DossierStatus = z.infer<typeof dossierStatusSchema>;

/** The statuses' official Vietnamese names (TrangThaiHoSo): on forms, notes and the board. */
export const dossierStatusNames: Readonly<Record<DossierStatus, string>> = {
  1: 'Mới đăng ký',
  2: 'Được tiếp nhận',
  3: 'Không được tiếp nhận',
  4: 'Đang xử lý',
  5: 'Yêu cầu bổ sung giấy tờ',
  6: 'Yêu cầu thực hiện nghĩa vụ tài chính',
  7: 'Công dân yêu cầu rút hồ sơ',
  8: 'Dừng xử lý',
  9: 'Đã xử lý xong',
  10: 'Đã trả kết quả',
};

const resultFileRefSchema = z.object({
  name: z.string().min(1).max(255),
  mediaType: z.literal('application/pdf'),
  size: z.number().int().positive(),
  sha256: sha256HexSchema,
});
export type ResultFileRef = z.infer<typeof resultFileRefSchema>;

/**
 * The largest result document a counter downloads. Results are decisions and
 * certificates of a few MB (the back office sends them inside a 4 MB JSON body today); a larger declared
 * or served file is refused (RESULT_FILE_TOO_LARGE) rather than filling a commune PC's disk.
 */
export const maxResultFileBytes = 50 * 1024 * 1024;

/** One entry of the processing history (QuaTrinhXuLy), as the central records it. */
export const statusChangeSchema = z.object({
  /** Position in the central's feed; the counter's cursor is the last `seq` it stored. */
  seq: z.number().int().positive(),
  dossierId: dossierIdSchema,
  dossierCode: dossierCodeSchema,
  status: dossierStatusSchema,
  /** Central clock, ISO 8601 (ThoiDiemXuLy). */
  at: z.iso.datetime({ offset: true }),
  /** NguoiXuLy / PhongBanXuLy. */
  actor: z.string().min(1).max(200),
  department: z.string().max(200).default(''),
  /** NoiDungXuLy: free text shown to the clerk. */
  note: z.string().max(2000).default(''),
  /** Status 5: what the applicant must add, one item per line of Mẫu 02. */
  supplementItems: z.array(z.string().min(1).max(500)).max(50).default([]),
  /** A new appointment set by the deciding agency (e.g. after a delay). */
  newAppointmentAt: z.iso.datetime({ offset: true }).optional(),
  /** Status 9: result documents the counter may download and print. */
  resultFiles: z.array(resultFileRefSchema).max(50).default([]),
});
export type StatusChange = z.infer<typeof statusChangeSchema>;

/** `GET /api/v1/changes?after=<cursor>&limit=<n>` (query strings arrive as text, hence the coercion). */
export const changesQuerySchema = z.object({
  after: z.coerce.number().int().nonnegative().default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

export const changesResponseSchema = z.object({
  changes: z.array(statusChangeSchema),
  /** Pass back as `after`; equal to the last change's seq, or the request's `after` when empty. */
  cursor: z.number().int().nonnegative(),
  hasMore: z.boolean(),
  /** Central clock at the answer: the counter records it to measure clock skew. */
  serverTime: z.iso.datetime({ offset: true }),
});
export type ChangesResponse = z.infer<typeof changesResponseSchema>;

/** Reference data the counter pulls and keeps (last good copy) — each versioned by the central. */
export const referenceKinds = ['catalog', 'calendar', 'trust-anchors'] as const;
export type ReferenceKind = (typeof referenceKinds)[number];

export const referenceDocumentSchema = z.object({
  kind: z.enum(referenceKinds),
  /** Opaque, changes whenever the data changes (also sent as the ETag). */
  version: z.string().min(1).max(100),
  publishedAt: z.iso.datetime({ offset: true }),
  /**
   * catalog: Procedure[] (shared/domain/procedure.ts); calendar: the yearly calendar file
   * (shared/domain/working-calendar.ts parseYearCalendars); trust-anchors: { certificatesDerBase64: string[] }.
   * Validated by the counter with those schemas before it replaces its last good copy.
   */
  data: z.unknown(),
});
export type ReferenceDocument = z.infer<typeof referenceDocumentSchema>;

/** Back office: move a dossier along the national statuses (admin API and `motcua central status`). */
export const adminStatusRequestSchema = z.object({
  status: dossierStatusSchema,
  actor: z.string().min(1).max(200),
  department: z.string().max(200).default(''),
  note: z.string().max(2000).default(''),
  supplementItems: z.array(z.string().min(1).max(500)).max(50).default([]),
  newAppointmentAt: z.iso.datetime({ offset: true }).optional(),
  /** Status 9: result PDFs, base64 (small: decisions, certificates). */
  resultFiles: z.array(z.object({ name: z.string().min(1).max(255), contentBase64: z.string().min(1) })).max(20).default([]),
});

/**
 * What the counter reports after the commit (PUT, idempotent by `eventId`: a repeat gets the first answer).
 * The central turns each into a status change in the feed, so every counter of the unit sees it.
 */
export const counterEventSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('supplement-received'),
    eventId: z.uuid(),
    at: z.iso.datetime({ offset: true }),
    clerk: z.string().min(1).max(200),
    /** Files added in this completion round, uploaded by tus first (as in the commit). */
    files: z.array(committedFileSchema).min(1).max(200),
    /** The new appointment: moved by the time the clock was paused (2018), or restarted (2025, Art. 19.5). */
    newAppointmentAt: z.iso.datetime({ offset: true }),
  }),
  z.object({
    kind: z.literal('result-returned'),
    eventId: z.uuid(),
    at: z.iso.datetime({ offset: true }),
    clerk: z.string().min(1).max(200),
    /** Who collected the result and how (HinhThuc): at the counter or by post. */
    receivedBy: z.string().min(1).max(200),
    method: z.enum(['counter', 'post']),
  }),
  z.object({
    kind: z.literal('apology-issued'),
    eventId: z.uuid(),
    at: z.iso.datetime({ offset: true }),
    clerk: z.string().min(1).max(200),
    reason: z.string().min(1).max(2000),
    newAppointmentAt: z.iso.datetime({ offset: true }),
    // Issue 15 (Decree 118/2025 Art. 19.6): the rules the dossier was received under — absent means 2018, as
    // everywhere (legalBasisOf); under 2025 the central accepts one extension per dossier — and how the
    // applicant was told (no notification service yet: the channel the clerk used is recorded).
    legalBasis: legalBasisSchema.optional(),
    notifiedVia: notificationChannelSchema.optional(),
  }),
  /**
   * The applicant asked to stop the dossier (Decree 118/2025 Art. 21) and the counter issued the notice
   * (Mẫu 05, 2025 set). The central sets status 8 "Dừng xử lý" (shared/domain/dossier-stop.ts says why 8).
   */
  z.object({
    kind: z.literal('dossier-stopped'),
    eventId: z.uuid(),
    at: z.iso.datetime({ offset: true }),
    clerk: z.string().min(1).max(200),
    /** When the applicant made the request (may be before `at`, e.g. a letter received earlier). */
    requestedAt: z.iso.datetime({ offset: true }),
    reason: z.string().min(1).max(2000),
  }),
]);
export type CounterEvent = z.infer<typeof counterEventSchema>;

export const counterEventAckSchema = z.object({
  eventId: z.uuid(),
  /** The feed entry the event became. */
  seq: z.number().int().positive(),
  duplicate: z.boolean(),
});
export type CounterEventAck = z.infer<typeof counterEventAckSchema>;

// Issue 5: the back office's enrollment-code and device-list messages.
export const adminEnrollmentCodeRequestSchema = z.object({
  unit: z.object({ code: unitCodeSchema, name: z.string().trim().min(1).max(300) }),
  counterNo: z.number().int().min(1).max(9),
  /** How long the code may be used; default 72 hours. */
  validHours: z.number().positive().max(24 * 30).default(72),
});

export const adminEnrollmentCodeResponseSchema = z.object({
  /** Shown once; the central keeps only its SHA-256. */
  enrollmentCode: enrollRequestSchema.shape.enrollmentCode,
  unit: adminEnrollmentCodeRequestSchema.shape.unit,
  counterNo: z.number().int().min(1).max(9),
  expiresAt: z.iso.datetime({ offset: true }),
});
export type AdminEnrollmentCodeResponse = z.infer<typeof adminEnrollmentCodeResponseSchema>;

export const adminDevicesResponseSchema = z.object({ devices: z.array(deviceRecordSchema) });

// Issue 15: leased blocks of dossier numbers (Decree 118/2025 Art. 28; shared/domain/code-lease.ts).
export const codeLeaseRequestSchema = z
  .object({
    /** Each (agency, day) the counter wants numbers for, with how many it still holds unused there. */
    wants: z
      .array(z.object({ agencyId: unitCodeSchema, day: leaseDaySchema, unused: z.number().int().min(0) }).strict())
      .min(1)
      .max(500),
  })
  .strict();

export const codeLeaseResponseSchema = z.object({
  /** New blocks only (an (agency, day) with enough unused numbers, or a day outside the window, gets none). */
  leases: z.array(codeLeaseSchema),
  /** The days the central leases for: today (central clock, Vietnam) and `daysAhead` after it. */
  days: z.array(leaseDaySchema),
  serverTime: z.iso.datetime({ offset: true }),
});
export type CodeLeaseResponse = z.infer<typeof codeLeaseResponseSchema>;
