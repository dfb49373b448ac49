/**
 * The one IPC contract. Main's handlers, the preload bridge, the web host and the renderer's client are
 * all derived from this map: add a channel here and the compiler lists every place that must follow.
 * Requests are parsed with these schemas in main (and the web host) before any handler runs.
 */
import { z } from 'zod';
import { revocationEvidenceSchema } from '../cms/revocation-evidence';
import { legalBasisSchema } from '../domain/legal-basis';
import { receptionDutiesSchema } from '../domain/reception-duties';
import { timeLimitRulesConfigSchema } from '../domain/time-limit-rules';
import { copySignatureRecordSchema } from '../domain/copy-signature';
import { digitizationRecordSchema } from '../domain/digitization';
import { copySignerSchema } from '../domain/procedure';
import { codeLeaseSchema } from '../domain/code-lease';
import { MAX_SEQUENCE } from '../domain/dossier-code';
import { applicantSchema, dossierCodeSchema, dossierIdSchema, sha256HexSchema, unitCodeSchema } from '../domain/dossier';
import { counterEventSchema, deviceCredentialSchema, deviceRecordSchema } from '../sync/protocol';
import { doctorReportSchema } from '../doctor/report';
import { auditBreakReasons, rendererAuditRecordSchema } from '../audit/chain';
import { defaultDeadlineThresholds, deadlineThresholdsSchema } from '../domain/deadline';
import { errorCodes, type WireError } from '../errors';
import { captureDeviceSchema, capturedPageInfoSchema, jobStateSchema, pageOriginSchema, scanSettingsSchema } from '../capture/capture';
import { imagingConfigSchema, processingResultSchema, processingWantSchema } from '../imaging/processing';
import type { IpcChannelName } from './channels';

// Any Uint8Array (not only ArrayBuffer-backed ones): what pdf-lib, forge and hashes hand around.
const bytes = z.custom<Uint8Array>((value) => value instanceof Uint8Array, 'expected bytes');
const empty = z.object({}).strict();

/**
 * Retention of personal data on the counter (docs/storage.md "Retention"). No legal text sets these periods
 * (UNCONFIRMED for a given province): they are settings with defaults chosen for a shared counter PC.
 * - `filesDaysAfterAck`: days after the central acknowledged a dossier (or a supplement) before its
 *   scanned/signed files' bytes are deleted from this PC. 0, the default, deletes them at the first sync pass
 *   after the acknowledgement: the central holds the authoritative copy. At most a year.
 * - `dossiersDaysAfterClose` (issue 17): days after the central holds a closed status (result returned,
 *   stopped, withdrawn, not accepted) before the dossier is minimised to code, procedure, dates, status and a
 *   masked name. Default 30: a month to answer "was it collected, by whom" at the counter. At most a year.
 * - `applicantsDaysUnseen` (issue 17): days a returning-applicant entry stays after the applicant was last
 *   seen. Default 90. At most a year.
 */
export const defaultRetention = { filesDaysAfterAck: 0, dossiersDaysAfterClose: 30, applicantsDaysUnseen: 90 } as const;
export const retentionConfigSchema = z
  .object({
    filesDaysAfterAck: z.number().int().min(0).max(365).default(defaultRetention.filesDaysAfterAck),
    dossiersDaysAfterClose: z.number().int().min(0).max(365).default(defaultRetention.dossiersDaysAfterClose),
    applicantsDaysUnseen: z.number().int().min(0).max(365).default(defaultRetention.applicantsDaysUnseen),
  })
  .strict()
  .default(defaultRetention);

/** The counter database as the renderer sees it: its identity (syncMeta `database.identity`) and size. */
const ledgerDatabaseSchema = z
  .object({ databaseId: z.string().min(1).max(100), createdAt: z.string().min(1).max(40), dossiersHeld: z.number().int().nonnegative() })
  .strict();
export type LedgerDatabase = z.infer<typeof ledgerDatabaseSchema>;

/**
 * The last dossier sequence number one counter used on one Vietnam day, for one agency identifier (the code's
 * prefix) — or, keyed `TAM-<unit code>`, the last provisional number it gave (issue 15).
 */
const ledgerCodeSchema = z
  .object({
    unitCode: z.union([unitCodeSchema, z.string().max(40).regex(/^TAM-/).refine((key) => unitCodeSchema.safeParse(key.slice(4)).success)]),
    day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    counterNo: z.number().int().min(1).max(9),
    lastUsed: z.number().int().min(1).max(MAX_SEQUENCE),
  })
  .strict();
export type LedgerCodeRecord = z.infer<typeof ledgerCodeSchema>;

const databaseLedgerViewSchema = z.object({
  databaseId: z.string(),
  databaseCreatedAt: z.string(),
  firstSeenAt: z.string(),
  dossiersHeldMost: z.number().int().nonnegative(),
  updatedAt: z.string(),
  /** The database on record has been given at least one dossier number (it may have held a dossier since). */
  issuedCodes: z.boolean(),
  resets: z.array(z.object({ acceptedAt: z.string(), previousDatabaseId: z.string(), previousDossiersHeldMost: z.number().int().nonnegative() })),
});
export type DatabaseLedgerView = z.infer<typeof databaseLedgerViewSchema>;

/** first: nothing on record yet; same; replaced: another database; shrank: the same one with fewer dossiers. */
const ledgerVerdictSchema = z.enum(['first', 'same', 'replaced', 'shrank']);
export type LedgerVerdict = z.infer<typeof ledgerVerdictSchema>;

/**
 * A dossier as the renderer saves it (StoredDossier), checked again in main before it goes into the spool —
 * main's copy of every accepted dossier until the central confirms it (electron/services/dossier-spool.ts).
 */
const isoTimeSchema = z.string().min(10).max(40);
export const spooledDossierSchema = z
  .object({
    id: dossierIdSchema,
    code: dossierCodeSchema,
    codePrefix: unitCodeSchema.optional(),
    provisionalCode: dossierCodeSchema.optional(),
    procedure: z.object({ code: z.string().min(1).max(50), name: z.string().min(1).max(500) }).strict(),
    applicant: applicantSchema,
    unit: z.object({ code: unitCodeSchema, name: z.string().min(1).max(300) }).strict(),
    counterNo: z.number().int().min(1).max(9),
    receivedAt: isoTimeSchema,
    appointmentAt: isoTimeSchema,
    components: z
      .array(
        z
          .object({ code: z.string().min(1).max(50), name: z.string().min(1).max(500), required: z.boolean(), fileIds: z.array(z.string().min(1).max(100)).max(200) })
          .strict(),
      )
      .min(1)
      .max(100),
    createdAt: isoTimeSchema,
    clerk: z.string().min(1).max(200).optional(),
    completionRounds: z.number().int().nonnegative().max(100).optional(),
    legalBasis: legalBasisSchema.optional(),
    receptionDuties: receptionDutiesSchema.optional(),
    /** The certificates that signed its copies (issue 15); absent on older dossiers. */
    copySignatures: z.array(copySignatureRecordSchema).max(10).optional(),
    /** The paper page counts the clerk confirmed (Circular 01/2023 Art. 8.2); absent on older dossiers. */
    digitization: digitizationRecordSchema.optional(),
  })
  .strict();

/** A file's metadata as saved with the dossier (StoredFile without its chunk layout). */
export const spooledFileMetaSchema = z
  .object({
    id: z.string().min(1).max(100),
    dossierId: dossierIdSchema,
    componentCode: z.string().min(1).max(50),
    name: z.string().min(1).max(500),
    mediaType: z.literal('application/pdf'),
    size: z.number().int().positive(),
    sha256: sha256HexSchema,
    pageCount: z.number().int().positive().max(10_000),
    revocationEvidence: z.array(revocationEvidenceSchema).max(20).optional(),
  })
  .strict();

/** Largest spooled file and dossier: the same bounds as a page import (a dossier is a few signed PDFs). */
const spoolLimits = { fileBytes: 64 * 1024 * 1024, dossierBytes: 256 * 1024 * 1024, files: 200 } as const;

const spoolFilesSchema = z
  .array(z.object({ meta: spooledFileMetaSchema, bytes: bytes.refine((b) => b.length > 0 && b.length <= spoolLimits.fileBytes, 'a file of at most 64 MiB') }).strict())
  .max(spoolLimits.files)
  .refine((files) => files.reduce((n, f) => n + f.bytes.length, 0) <= spoolLimits.dossierBytes, 'at most 256 MiB per entry');

const spoolEntrySchema = z
  .object({ dossier: spooledDossierSchema, files: spoolFilesSchema.refine((files) => files.length > 0, 'at least one file') })
  .strict()
  .refine((e) => e.files.every((f) => f.meta.dossierId === e.dossier.id && f.meta.size === f.bytes.length), 'files belong to the dossier and match their sizes');
export type SpoolEntry = z.infer<typeof spoolEntrySchema>;

/**
 * A counter event (result returned, supplement received, apology issued) as main's spool keeps it until the
 * central acknowledges it; a supplement carries the files it declares.
 */
const spoolEventEntrySchema = z
  .object({ dossierId: dossierIdSchema, event: counterEventSchema, files: spoolFilesSchema })
  .strict()
  .refine((e) => e.files.every((f) => f.meta.dossierId === e.dossierId && f.meta.size === f.bytes.length), 'files belong to the dossier and match their sizes')
  .refine(
    (e) => e.files.every((f) => e.event.kind === 'supplement-received' && e.event.files.some((d) => d.sha256 === f.meta.sha256 && d.size === f.meta.size)),
    'files are the ones the event declares',
  );
export type SpoolEventEntry = z.infer<typeof spoolEventEntrySchema>;

/**
 * prepared: written before the database transaction (the acceptance may still fail); committed: the
 * database holds it — a dossier the clerk accepted, an event the clerk recorded.
 */
const spoolStateSchema = z.enum(['prepared', 'committed']);
const spoolListingSchema = z.object({
  kind: z.enum(['dossier', 'event']),
  /** The dossier's id; for an event, the dossier it is about. */
  dossierId: z.string(),
  eventId: z.string().optional(),
  /** The dossier code; for an event, its kind. */
  code: z.string(),
  state: spoolStateSchema,
  createdAt: z.string(),
  bytes: z.number().int().nonnegative(),
  /** The entry could not be read (IT looks at the folder); it is never deleted by the app. */
  problem: z.string().optional(),
});
export type SpoolListing = z.infer<typeof spoolListingSchema>;
const spoolIdsSchema = z
  .object({ dossierIds: z.array(dossierIdSchema).max(500).default([]), eventIds: z.array(z.uuid()).max(500).default([]) })
  .strict()
  .refine((ids) => ids.dossierIds.length + ids.eventIds.length > 0, 'at least one id');

export const counterConfigSchema = z.object({
  unit: z.object({ code: unitCodeSchema, name: z.string().min(1) }),
  /** The copying organisation printed in the Decree 30 copy stamp and on forms. */
  organisationName: z.string().min(1),
  counterNo: z.number().int().min(1).max(9),
  centralUrl: z.url(),
  locale: z.enum(['vi', 'en']),
  /**
   * Decree 30/2020 copy stamp on the first signature (top-right of page 1: copy form, organisation, ISO time),
   * or an invisible signature.
   */
  /** When a dossier turns yellow and orange (share of its allowed time used); red once overdue. */
  deadlineThresholds: deadlineThresholdsSchema.default(defaultDeadlineThresholds),
  /** A time-stamp authority is configured: signatures made offline are upgraded to B-T before upload. */
  timestamping: z.boolean().default(false),
  signatureAppearance: z
    .object({ kind: z.enum(['copy-stamp', 'none']), copyForm: z.enum(['SAO Y', 'SAO LỤC', 'TRÍCH SAO']) })
    .default({ kind: 'copy-stamp', copyForm: 'SAO Y' }),
  /**
   * Who signs digitized copies (Decree 118/2025 Art. 17.1.c; docs/signing.md). `defaultSigner` signs the
   * components that name no signer of their own; absent: the clerk's personal key, or the organisation's when
   * no personal key is configured (configurations from before 2025). `signatureAppearance` above is the look of
   * the organisation's copy signature; `personalAppearance` that of the clerk's: a small box on page 1 naming
   * the signer and the time (the default), or invisible. Optional, so configurations and fixtures from before
   * it stay valid.
   */
  copySigning: z.object({ defaultSigner: copySignerSchema.optional(), personalAppearance: z.enum(['signature-box', 'none']).optional() }).strict().optional(),
  /** Page clean-up, the 200 dpi policy and the OCR text layer (docs/imaging.md). */
  imaging: imagingConfigSchema,
  retention: retentionConfigSchema,
  /**
   * Issue 15: the 2025 time-limit rules' settings (supplement window, extension notice, reception schedule,
   * 24/11 compensation); absent = `defaultTimeLimitRulesConfig` (docs/calendar.md names each UNCONFIRMED default).
   */
  timeLimits: timeLimitRulesConfigSchema.optional(),
  /**
   * Issue 17 finding 8 (docs/storage.md "Encryption at rest"): `seal: false` writes new rows of the counter
   * database unsealed — a switch for measuring the cost (the benchmarks' "before"), not for counters; sealed rows
   * are still read. Absent: sealed.
   */
  encryptionAtRest: z.object({ seal: z.boolean() }).strict().optional(),
});
export type CounterConfig = z.infer<typeof counterConfigSchema>;

const certificateSummarySchema = z.object({
  subject: z.string(),
  issuer: z.string(),
  /** CN and O of the subject, for the clerk ("Nguyễn Văn A — UBND xã Demo" rather than a raw DN). */
  subjectCommonName: z.string().nullable(),
  subjectOrganisation: z.string().nullable(),
  issuerCommonName: z.string().nullable(),
  serialNumber: z.string(),
  notBefore: z.iso.datetime(),
  notAfter: z.iso.datetime(),
  /** DER of the signer certificate first, then its issuers (no root needed). */
  chainDer: z.array(bytes).min(1),
  keyAlgorithm: z.enum(['rsa', 'ec']),
});
export type CertificateSummary = z.infer<typeof certificateSummarySchema>;

/**
 * A token's user-PIN state as the token reports it (PKCS#11 CKF_USER_PIN_* flags): the clerk is told before
 * the last try. A PKCS#12 file has no such state.
 */
const pinStateSchema = z.enum(['ok', 'count-low', 'final-try', 'locked']);
export type PinState = z.infer<typeof pinStateSchema>;

/**
 * Who signs is deployment configuration: the centre's organisational certificate, the clerk's personal one,
 * or both on the same PDF (organisation first, the personal signature as an incremental update).
 */
export const signerRoleSchema = z.enum(['organisation', 'personal']);
export type SignerRole = z.infer<typeof signerRoleSchema>;

const keystoreFields = {
  keystoreLabel: z.string(),
  keystoreKind: z.enum(['pkcs12', 'pkcs11']).optional(),
  pinState: pinStateSchema.optional(),
};

const signerStatusSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('locked'), ...keystoreFields }),
  z.object({ state: z.literal('unlocked'), ...keystoreFields, certificate: certificateSummarySchema }),
]);
export type SignerStatus = z.infer<typeof signerStatusSchema>;

/** A signing session's id, as main handed it out (a random UUID). */
const signingSessionIdSchema = z.uuid();
/** A component code of a procedure (or a supplement's), as the dossier records it. */
const signingComponentSchema = z.string().min(1).max(64);
const signingSessionOpenSchema = z
  .object({
    dossierId: z.string().min(1).max(64),
    signatures: z
      .array(z.object({ component: signingComponentSchema, role: signerRoleSchema }).strict())
      .min(1)
      .max(100)
      .refine((list) => new Set(list.map((s) => `${s.component}\u0000${s.role}`)).size === list.length, 'each component and role at most once'),
  })
  .strict();

/** What a key store returns: the signature value and what it is. */
const signatureSchema = z.object({
  signature: bytes,
  /** What the signature value is, for the SignerInfo's signatureAlgorithm. */
  algorithm: z.enum(['rsa-pkcs1-v1_5-sha256', 'ecdsa-sha256']),
});
export type DigestSignature = z.infer<typeof signatureSchema>;

/**
 * What main answers a signing request with: the signature, plus the CRL/OCSP answer that showed the
 * certificate not revoked when it signed (Circular 15/2025 asks the signing software to keep it) — stored
 * with the file and sent to the central. Empty when none was had (offline, no revocation data yet).
 */
const signedDigestSchema = signatureSchema.extend({ revocationEvidence: z.array(revocationEvidenceSchema) });
export type SignedDigest = z.infer<typeof signedDigestSchema>;

const wireErrorSchema = z.object({ code: z.enum(errorCodes), details: z.record(z.string(), z.union([z.string(), z.number()])) });

/** One item of a capture job: a page that passed the import guard, or a file refused with its reason. */
const captureItemSchema = z.discriminatedUnion('kind', [
  z.object({ index: z.number().int().nonnegative(), kind: z.literal('page'), bytes, info: capturedPageInfoSchema, origin: pageOriginSchema, processingId: z.string().optional() }),
  z.object({ index: z.number().int().nonnegative(), kind: z.literal('rejected'), name: z.string(), error: wireErrorSchema }),
]);

const capturePollSchema = z.object({
  jobId: z.string(),
  state: jobStateSchema,
  items: z.array(captureItemSchema),
  next: z.number().int().nonnegative(),
  error: wireErrorSchema.optional(),
  pagesSoFar: z.number().int().nonnegative(),
});

/** How a print ended: sent to a printer (named when main knows it) or cancelled in the print dialog. */
const printOutcomeSchema = z
  .object({ outcome: z.enum(['printed', 'cancelled']), printer: z.string().min(1).max(256).optional() })
  .strict();
export type PrintOutcome = z.infer<typeof printOutcomeSchema>;

/**
 * Issue 16: whether this counter holds a device credential for its configured central (the first-start screen
 * shows when `state` is 'not-enrolled'), and what the first start did with an installer's preset code.
 */
const enrollmentStatusSchema = z
  .object({
    state: z.enum(['enrolled', 'not-enrolled', 'demo']),
    /** Show the first-start screen while not enrolled (config `firstStartEnrollmentScreen`, default true). */
    firstStartScreen: z.boolean(),
    centralUrl: z.url(),
    unit: z.object({ code: z.string(), name: z.string() }),
    counterNo: z.number().int().min(1).max(9),
    device: deviceRecordSchema.optional(),
    /** The preset's code: enrolled with it, or refused (with the reason; `codeRemoved` when it left the file). */
    preset: z.object({ outcome: z.enum(['enrolled', 'failed']), error: wireErrorSchema.optional(), codeRemoved: z.boolean().optional() }).strict().optional(),
  })
  .strict();
export type EnrollmentStatus = z.infer<typeof enrollmentStatusSchema>;

export const ipcContract = {
  'config:get': { request: empty, response: counterConfigSchema },
  /** The configured signers, in signing order (organisation first). */
  'signer:list': { request: empty, response: z.array(z.object({ role: signerRoleSchema, status: signerStatusSchema })).min(1).max(2) },
  /** Opens one key store with its secret (PKCS#12 password or token PIN). The secret never leaves main. */
  'signer:unlock': { request: z.object({ role: signerRoleSchema, secret: z.string().max(1024) }).strict(), response: signerStatusSchema },
  'signer:lock': { request: z.object({ role: signerRoleSchema }).strict(), response: signerStatusSchema },
  /**
   * Opens a signing session for one dossier being accepted (or one supplement received): the components it
   * will sign, each with the role that signs it. `signer:sign-digest` is refused outside it (issue 17).
   */
  'signer:session-open': { request: signingSessionOpenSchema, response: z.object({ sessionId: signingSessionIdSchema }) },
  /** Ends a session (acceptance done or failed): no digest is signed in it any more. */
  'signer:session-close': { request: z.object({ sessionId: signingSessionIdSchema, outcome: z.enum(['done', 'failed']) }).strict(), response: empty },
  /**
   * Only the digest of the CMS signed attributes goes in; only the signature comes out. Main checks the
   * certificate (validity, key usage, chain, revocation) before every signature, and that the session was
   * opened for this component and role and has not signed it yet.
   */
  'signer:sign-digest': {
    request: z
      .object({
        role: signerRoleSchema,
        algorithm: z.literal('sha256'),
        digest: bytes.refine((d) => d.length === 32, 'SHA-256 digest is 32 bytes'),
        sessionId: signingSessionIdSchema,
        component: signingComponentSchema,
      })
      .strict(),
    response: signedDigestSchema,
  },
  /** One RFC 3161 exchange with the configured TSA (main makes the HTTP call): a TimeStampReq in, the reply out. */
  'tsa:request': { request: z.object({ query: bytes.refine((q) => q.length > 0 && q.length <= 16 * 1024, 'TimeStampReq of at most 16 KiB') }).strict(), response: z.object({ reply: bytes }) },
  /**
   * Revocation status now of a signature's certificate (signer first), from a CRL/OCSP answer main fetches
   * if the network allows, else from its cache: for the verification screen.
   */
  'trust:revocation': {
    request: z.object({ chainDer: z.array(bytes).min(1).max(10) }).strict(),
    response: z.object({
      status: z.enum(['good', 'revoked', 'unknown']),
      source: z.enum(['crl', 'ocsp']).optional(),
      thisUpdate: z.string().optional(),
      producedAt: z.string().optional(),
      /** Why CRL/OCSP was not asked (untrusted chain, refused address, redirect, oversize): shown to the clerk. */
      problems: z.array(wireErrorSchema).max(20).optional(),
    }),
  },
  /** The certificates this deployment trusts as roots (DER): for verifying PDFs in the renderer. */
  'trust:anchors': { request: empty, response: z.object({ anchorsDer: z.array(bytes) }) },
  /** This PC's enrollment at the configured central, for the sync engine's Authorization header; null = not enrolled. */
  'device:session': { request: empty, response: z.object({ centralUrl: z.url(), credential: deviceCredentialSchema }).nullable() },
  /**
   * Free and total bytes of the disk volume holding the app's data (statfs in main): the real limit of
   * IndexedDB, which Electron treats as unlimited. The renderer takes the smaller of this and its own estimate.
   */
  'storage:disk-free': { request: empty, response: z.object({ freeBytes: z.number().int().nonnegative(), totalBytes: z.number().int().nonnegative() }) },
  /**
   * The open IndexedDB against main's ledger of the database this PC has been using (a file outside
   * IndexedDB, electron/services/database-ledger.ts): 'replaced' when the browser handed the app another one,
   * 'shrank' when the same one lost dossiers.
   */
  'storage:ledger-check': { request: ledgerDatabaseSchema, response: z.object({ verdict: ledgerVerdictSchema, ledger: databaseLedgerViewSchema }) },
  /** IT accepted a replaced database: recorded in the ledger; the dossier numbers already used come back. */
  'storage:ledger-adopt': {
    request: z.object({ database: ledgerDatabaseSchema, previousDatabaseId: z.string().min(1).max(100) }).strict(),
    response: z.object({ codes: z.array(ledgerCodeSchema), leases: z.array(codeLeaseSchema).default([]) }),
  },
  /** Issue 15: blocks of dossier numbers the central leased to this counter, kept so a replacement database gets them back. */
  'storage:ledger-leases': {
    request: z.object({ leases: z.array(codeLeaseSchema).min(1).max(500) }).strict(),
    response: empty,
  },
  /**
   * A dossier number this database used, so a replacement database never issues it again; with the dossiers
   * it held just before (the ledger's high mark follows the day, not only the starts).
   */
  'storage:ledger-code': {
    request: z.object({ databaseId: z.string().min(1).max(100), code: ledgerCodeSchema, dossiersHeld: z.number().int().nonnegative().optional() }).strict(),
    response: empty,
  },
  /**
   * Issue 17 finding 8: this PC's data key (electron/services/data-key.ts, sealed by the OS key store), asked
   * once per launch by the UI thread, which imports it as non-extractable WebCrypto keys, wipes the bytes and
   * hands the keys (not the bytes) to its workers (renderer/src/db/encryption.ts). DATA_KEY_UNAVAILABLE when
   * the key store cannot open it.
   */
  'storage:data-key': { request: empty, response: z.object({ key: bytes.refine((b) => b.byteLength === 32, 'a 32-byte key') }) },
  /**
   * Main's copy of an accepted dossier outside IndexedDB (electron/services/dossier-spool.ts), written and
   * flushed BEFORE the database transaction; `spool:commit` once that transaction succeeded, `spool:discard`
   * when it failed. If the browser ever hands the app an empty database, the dossiers the central has not
   * confirmed are put back from here.
   */
  'spool:prepare': { request: spoolEntrySchema, response: empty },
  /** The same for a counter event, before its database transaction (renderer/src/db/counter-events.ts). */
  'spool:prepare-event': { request: spoolEventEntrySchema, response: empty },
  'spool:commit': { request: spoolIdsSchema, response: empty },
  /** Only prepared entries (an acceptance that failed); a committed dossier is never discarded. */
  'spool:discard': { request: spoolIdsSchema, response: empty },
  /** The central acknowledged these dossiers: main's copy (personal data) is deleted. */
  'spool:release': { request: spoolIdsSchema, response: empty },
  'spool:list': { request: empty, response: z.object({ entries: z.array(spoolListingSchema) }) },
  /** One entry, its files checked against their SHA-256 (SPOOL_DAMAGED otherwise). */
  'spool:read': { request: z.object({ dossierId: dossierIdSchema }).strict(), response: z.object({ state: spoolStateSchema, entry: spoolEntrySchema }) },
  'spool:read-event': { request: z.object({ eventId: z.uuid() }).strict(), response: z.object({ state: spoolStateSchema, entry: spoolEventEntrySchema }) },
  /** Scanners and hot folders this counter can use now; a source that could not be asked is a problem, not a failure. */
  'capture:devices': { request: empty, response: z.object({ devices: z.array(captureDeviceSchema), problems: z.array(wireErrorSchema) }) },
  /** Starts a scan job on one device; pages are fetched with capture:poll as they arrive. */
  'capture:start': { request: z.object({ deviceId: z.string().min(1).max(500), settings: scanSettingsSchema }).strict(), response: z.object({ jobId: z.string() }) },
  /** Items from `since` on (a few per answer); waits up to `waitMs` while nothing is new. */
  'capture:poll': {
    request: z.object({ jobId: z.string().min(1).max(100), since: z.number().int().nonnegative(), waitMs: z.number().int().min(0).max(5000).default(0) }).strict(),
    response: capturePollSchema,
  },
  /**
   * Files the clerk picked for the workspace (JPEG, PNG, TIFF, PDF): a job like a scan's, polled with
   * capture:poll; each file passes the import guard, a TIFF becomes one page per page.
   */
  'capture:import': {
    request: z
      .object({
        files: z
          .array(z.object({ name: z.string().min(1).max(500), bytes: bytes.refine((b) => b.length <= 64 * 1024 * 1024, 'a file of at most 64 MiB') }).strict())
          .min(1)
          .max(100)
          .refine((files) => files.reduce((n, f) => n + f.bytes.length, 0) <= 90 * 1024 * 1024, 'at most 90 MiB at once'),
      })
      .strict(),
    response: z.object({ jobId: z.string() }),
  },
  'capture:cancel': { request: z.object({ jobId: z.string().min(1).max(100) }).strict(), response: z.object({ state: jobStateSchema }) },
  /**
   * Queues one page for clean-up and OCR in main (pages from a scan job are queued by the job itself and
   * carry their `processingId`); answers at once. `processingId: null` when processing is switched off.
   */
  'imaging:submit': {
    request: z.object({ bytes: bytes.refine((b) => b.length > 0 && b.length <= 64 * 1024 * 1024, 'a page of at most 64 MiB'), name: z.string().min(1).max(500) }).strict(),
    response: z.object({ processingId: z.string().nullable() }),
  },
  /**
   * The state of pages being processed; waits up to `waitMs` while none has news. A few pages per answer.
   * `expectedMs`: main's estimate of how long until every asked page has its OCR words (issue 20: what the clerk
   * is told before signing would drop the text layer); 0 when none is waiting for OCR.
   */
  'imaging:results': {
    request: z.object({ pages: z.array(processingWantSchema).min(1).max(200), waitMs: z.number().int().min(0).max(5000).default(0) }).strict(),
    response: z.object({ results: z.array(processingResultSchema), expectedMs: z.number().nonnegative().optional() }),
  },
  /**
   * Prints the sender's own page as it is laid out for print (the renderer has put the form's pages in a
   * print-only container first: renderer/src/ui/print-pdf.ts). Silent to the configured printer when the
   * counter's configuration names one, else the operating system's print dialog. Answers once the job was
   * handed to the printer or the dialog was cancelled; a failure is PRINT_FAILED / PRINTER_NOT_FOUND.
   * Only Electron main can print a window: the web host answers PRINT_UNAVAILABLE (the browser prints itself).
   */
  'print:page': { request: empty, response: printOutcomeSchema },
  /**
   * Issue 17 (finding 9): one clerk action for the audit log (shared/audit/chain.ts). Only the action and its
   * own fields come in — an unknown action or an extra field is refused; main adds seq, time, clerk and hash.
   */
  'audit:record': { request: rendererAuditRecordSchema, response: z.object({ seq: z.number().int().positive() }) },
  /**
   * Audit entries the central has not confirmed (raw lines: the central checks them), for the sync engine; `from`
   * is the `next` of the previous answer in the same pass.
   */
  'audit:pending': {
    request: z.object({ limit: z.number().int().min(1).max(500).default(200), from: z.number().int().nonnegative().optional() }).strict(),
    response: z.object({ entries: z.array(z.unknown()).max(500), next: z.number().int().nonnegative(), localBreak: z.object({ seq: z.number().int().positive(), reason: z.enum(auditBreakReasons) }).optional() }),
  },
  /** The central holds and verified the entries up to `seq`. */
  'audit:acknowledged': { request: z.object({ seq: z.number().int().nonnegative() }).strict(), response: empty },
  /** Issue 16: enrollment state for the first-start screen (waits for a preset enrollment still under way). */
  'enrollment:status': { request: empty, response: enrollmentStatusSchema },
  /** Issue 16: the first-start screen's enrollment with the configured central, unit and counter (enrollment.ts). */
  'enrollment:enroll': {
    request: z.object({ enrollmentCode: z.string().trim().min(1).max(40), deviceName: z.string().trim().min(1).max(100).optional() }).strict(),
    response: enrollmentStatusSchema,
  },
  /** Issue 16: the doctor's report for the IT screen (Ctrl+Alt+Shift+D); the renderer adds the IndexedDB quota. */
  'doctor:report': { request: empty, response: doctorReportSchema },
  /**
   * Issue 16: the support bundle for IT (the same as `motcua support-bundle`: logs reduced to codes, configuration
   * without secrets, the doctor's report, counts — never personal data or keys), written into the data folder's
   * `support/`; the renderer learns where and how big, never the bytes.
   */
  'diagnostics:support-bundle': { request: empty, response: z.object({ file: z.string().min(1).max(1000), bytes: z.number().int().positive() }).strict() },
} as const satisfies Record<IpcChannelName, { request: z.ZodType; response: z.ZodType }>;

type IpcContract = typeof ipcContract;
export type IpcChannel = keyof IpcContract;
// Fails to compile if channels.ts lists a name the contract lacks, or the other way round.
const _sameChannels: [IpcChannel, IpcChannelName] extends [IpcChannelName, IpcChannel] ? true : never = true;
void _sameChannels;

export type IpcRequest<C extends IpcChannel> = z.input<IpcContract[C]['request']>;
export type IpcResponse<C extends IpcChannel> = z.output<IpcContract[C]['response']>;

/** What crosses the boundary: never a thrown error (Electron mangles those), always a result. */
export type IpcResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: WireError };

/** The bridge the preload exposes as the `motcua` global (and the web host serves over HTTP). */
export type MotcuaBridge = { readonly [C in IpcChannel]: (request: IpcRequest<C>) => Promise<IpcResult<IpcResponse<C>>> };

/** Main-side implementation of one channel: receives the parsed request. */
export type IpcHandlers = { readonly [C in IpcChannel]: (request: z.output<IpcContract[C]['request']>) => Promise<IpcResponse<C>> };
