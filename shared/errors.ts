/**
 * Every failure the clerk may see has a code. The code crosses IPC and HTTP; the Vietnamese (and English)
 * wording lives in shared/i18n so the app and the CLI say the same thing.
 */
export const errorCodes = [
  // input files
  'FILE_EMPTY',
  'FILE_CORRUPT_IMAGE',
  'FILE_UNSUPPORTED_TYPE',
  /** The same, for files imported into the page workspace (which also takes TIFF). */
  'FILE_UNSUPPORTED_PAGE_TYPE',
  'FILE_CORRUPT_PDF',
  'FILE_ENCRYPTED_PDF',
  // signing
  'SIGNER_LOCKED',
  'SIGNER_WRONG_PASSWORD',
  'SIGNER_NO_KEY',
  'SIGNER_KEYSTORE_MISSING',
  'SIGNER_NOT_CONFIGURED',
  'CERT_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_BAD_KEY_USAGE',
  'SIGNATURE_PLACEHOLDER_TOO_SMALL',
  // dossier
  'DOSSIER_REQUIRED_COMPONENT_MISSING',
  'DOSSIER_INVALID',
  'PROCEDURE_UNKNOWN',
  // storage
  'STORAGE_FULL',
  'STORAGE_FAILED',
  // central / sync
  'CENTRAL_UNREACHABLE',
  'CENTRAL_NOT_A_CENTRAL',
  'CENTRAL_SERVER_ERROR',
  'CENTRAL_REJECTED',
  'CENTRAL_CONFLICT',
  'CENTRAL_FILE_HASH_MISMATCH',
  'CENTRAL_SIGNATURE_INVALID',
  'CENTRAL_UPLOAD_INCOMPLETE',
  // ipc
  'IPC_BAD_REQUEST',
  'IPC_FORBIDDEN_SENDER',
  'INTERNAL',
  // local queue
  'STORAGE_DAMAGED',
  'CENTRAL_UPLOAD_STALLED',
  'DEVICE_CREDENTIAL_SEALED',
  // dossier code and appointment
  'UNIT_CODE_INVALID',
  'DOSSIER_CODE_INVALID',
  'DOSSIER_SEQUENCE_EXHAUSTED',
  'WORKING_RULES_INVALID',
  // reference central
  'CENTRAL_NOT_FOUND',
  // signing
  'SIGNER_KEYSTORE_CORRUPT',
  'PDF_ALREADY_SIGNED',
  // PKCS#11 tokens
  'SIGNER_WRONG_PIN',
  'SIGNER_PIN_LOCKED',
  'SIGNER_TOKEN_ABSENT',
  'SIGNER_LIBRARY_MISSING',
  // certificate checks and revocation
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REVOCATION_STALE',
  'CERT_REVOCATION_UNKNOWN',
  'CERT_REVOCATION_DATA_INVALID',
  // RFC 3161 timestamps added later
  'TSA_UNREACHABLE',
  'TSA_REJECTED',
  'TSA_BAD_RESPONSE',
  'SIGNATURE_NOT_FOUND',
  'SIGNATURE_ALREADY_TIMESTAMPED',
  'SIGNATURE_TIMESTAMP_BREAKS_LATER_SIGNATURE',
  // visible stamp and second signatures
  'SIGNATURE_APPEARANCE_INVALID',
  'PDF_INCREMENTAL_UNSUPPORTED',
  // applicant identity
  'PERSONAL_NUMBER_INVALID',
  'PERSONAL_NUMBER_MISMATCH',
  'TAX_CODE_INVALID',
  'CCCD_QR_INVALID',
  // Vietnamese working calendar
  'CALENDAR_DATA_INVALID',
  'CALENDAR_YEAR_OUT_OF_RANGE',
  'LUNAR_DATE_INVALID',
  // devices, status feed, back office, reference data (helper "central", issue 5)
  'DEVICE_UNAUTHENTICATED',
  'DEVICE_REVOKED',
  'DEVICE_FORBIDDEN',
  'DEVICE_UNIT_MISMATCH',
  'ENROLLMENT_CODE_INVALID',
  'ENROLLMENT_COUNTER_TAKEN',
  'ADMIN_UNAUTHENTICATED',
  'DOSSIER_STATUS_TRANSITION_INVALID',
  'REFERENCE_DATA_INVALID',
  // counter sync: storage space, local database
  'STORAGE_SPACE_LOW',
  'STORAGE_OPEN_FAILED',
  // scanners, hot folder and page import
  'CAPTURE_TOOL_MISSING',
  'CAPTURE_DEVICE_NOT_FOUND',
  'CAPTURE_DEVICE_BUSY',
  'CAPTURE_FEEDER_EMPTY',
  'CAPTURE_PAPER_JAM',
  'CAPTURE_COVER_OPEN',
  'CAPTURE_DEVICE_LOST',
  'CAPTURE_SCANNER_ERROR',
  'CAPTURE_SCANNER_UNREACHABLE',
  'CAPTURE_JOB_CANCELLED',
  'CAPTURE_JOB_UNKNOWN',
  'CAPTURE_NOT_SUPPORTED_HERE',
  'CAPTURE_IMAGE_TOO_LARGE',
  'CAPTURE_IMAGE_TRUNCATED',
  'CAPTURE_HOT_FOLDER_UNREADABLE',
  // supplement received at the desk
  'SUPPLEMENT_NOT_REQUESTED',
  'SUPPLEMENT_NO_FILES',
  'CONFIG_INVALID',
  // page clean-up and OCR in the workspace
  'IMAGING_PAGE_BELOW_MIN_DPI',
  'IMAGING_CLEANUP_FAILED',
  'IMAGING_OCR_FAILED',
  // helper "camera": document camera / webcam and the CCCD QR read from images and camera frames
  'CAMERA_UNAVAILABLE',
  'CAMERA_DENIED',
  'CCCD_QR_NOT_FOUND',
  // result documents (status 9) fetched ahead of time for the desk
  'RESULT_FILE_MISMATCH',
  'RESULT_FILE_TOO_LARGE',
  // retention: the counter deleted a file's bytes after the central confirmed it
  'FILE_PURGED',
  // the ledger outside IndexedDB that notices a replaced counter database
  'STORAGE_DATABASE_REPLACED',
  'STORAGE_LEDGER_DAMAGED',
  // main's copy of accepted dossiers outside IndexedDB, kept until the central confirms them
  'SPOOL_FAILED',
  'SPOOL_DAMAGED',
  // printing a produced form (ui/print-pdf.ts, electron/services/printing.ts)
  'PRINT_RENDER_FAILED',
  'PRINT_FAILED',
  'PRINTER_NOT_FOUND',
  'PRINT_UNAVAILABLE',
  // Issue 15 — forms and stopping a dossier (shared/domain/dossier-stop.ts)
  'DOSSIER_ALREADY_STOPPED',
  'DOSSIER_STOP_NOT_ALLOWED',
  // Issue 15 — time limits, extension (Art. 19.5–19.6 of Decree 118/2025)
  'EXTENSION_ALREADY_USED',
  'EXTENSION_TOO_LATE',
  'EXTENSION_DATE_INVALID',
  'EXTENSION_REASON_REQUIRED',
  'SUPPLEMENT_WINDOW_CLOSED',
  // Issue 15 — who signs the digitized copy, and the digitization checks (Circular 01/2023 Art. 8.2)
  'DIGITIZATION_PAGE_COUNT_MISMATCH',
  'DIGITIZATION_NOTE_PAIR_INVALID',
  // Issue 15 — dossier codes (Decree 118/2025 Art. 28): agency identifiers, leased number blocks, provisional numbers
  'AGENCY_ID_INVALID',
  'CODE_LEASE_REFUSED',
  // Issue 17 — revocation fetches (SSRF) and capture device ids
  'REVOCATION_CHAIN_UNTRUSTED',
  'REVOCATION_URL_REFUSED',
  'REVOCATION_ADDRESS_REFUSED',
  'REVOCATION_REDIRECT_REFUSED',
  'REVOCATION_ANSWER_TOO_LARGE',
  'CAPTURE_DEVICE_NOT_LISTED',
  // Issue 17 — central under slow or flooding clients (central/src/rate-limit.ts)
  'CENTRAL_RATE_LIMITED',
  // Issue 17 — cross-unit dossier codes (finding 1): a lookup by a provisional number that names several dossiers
  'CENTRAL_CODE_AMBIGUOUS',
  // Issue 17 — signing sessions and the key auto-lock (electron/services/signing/signing-guard.ts)
  'SIGNING_SESSION_REQUIRED',
  'SIGNING_SESSION_EXHAUSTED',
  // Issue 17 — input hardening (finding 10): decompression bombs in a citizen's PDF
  'FILE_PDF_TOO_EXPANDED',
  // Issue 17 — the central's TLS, admin token sources, explicit demo trust, uploads in progress per device
  'CENTRAL_TLS_FILE_UNREADABLE',
  'CENTRAL_TLS_INVALID',
  'CENTRAL_ADMIN_TOKEN_FILE_UNSAFE',
  'CENTRAL_ADMIN_TOKEN_ON_COMMAND_LINE',
  'CENTRAL_TRUST_REQUIRED',
  'CENTRAL_UPLOADS_BUSY',
  // Issue 17 — minimisation and retention on the counter (renderer/src/db/retention.ts, features/desk/reprint.ts)
  'REPRINT_NEEDS_CENTRAL',
  'REPRINT_NOT_AT_CENTRAL',
  'REPRINT_NOT_KEPT',
  // Issue 17 — web host access and the counter's configuration checks (electron/web-host/server.ts, http-bridge.ts, config.ts)
  'WEB_HOST_TOKEN_INVALID',
  'WEB_HOST_REQUEST_TOO_LARGE',
  'WEB_HOST_SERVER_ERROR',
  'WEB_HOST_UNREACHABLE',
  'CONFIG_MISSING',
  'CONFIG_CENTRAL_NOT_HTTPS',
  // Issue 17 — audit log (shared/audit/chain.ts, central/src/audit.ts)
  'AUDIT_CHAIN_BROKEN',
  'AUDIT_LOG_UNAVAILABLE',
  // Issue 17 — encryption at rest on the counter (renderer/src/db/encryption.ts, electron/services/data-key.ts)
  'DATA_KEY_UNAVAILABLE',
  'DATA_KEY_MISMATCH',
  // Issue 16 — enrollment for installers, `motcua config`, `motcua doctor` (electron/services/enrollment.ts, counter-config-file.ts, doctor/)
  'ENROLLMENT_CODE_EXPIRED',
  'ENROLLMENT_CODE_USED',
  'ENROLLMENT_CODE_UNKNOWN',
  'ENROLLMENT_UNIT_MISMATCH',
  'ENROLLMENT_CENTRAL_UNREACHABLE',
  'ENROLLMENT_CLOCK_SKEW',
  'ENROLLMENT_ALREADY_ENROLLED',
  'CONFIG_KEY_UNKNOWN',
  'CONFIG_VALUE_INVALID',
  // Issue 16 — counter updates served by the central (shared/updates/release.ts, central/src/releases.ts, electron/services/updates/)
  'RELEASE_CONFLICT',
  'RELEASE_FILE_MISSING',
  'RELEASE_FILE_MISMATCH',
  'UPDATE_MANIFEST_INVALID',
  'UPDATE_SIGNATURE_INVALID',
  'UPDATE_FILE_INVALID',
  'UPDATE_DOWNLOAD_FAILED',
  'COUNTER_UPDATE_REQUIRED',
  // Issue 19 — the tus upload lock shared through PostgreSQL (central/src/cluster/upload-lock.ts)
  'CENTRAL_UPLOAD_LOCK_NEEDS_POSTGRES',
  'CENTRAL_UPLOAD_LOCK_MEMORY_IN_CLUSTER',
  // Issue 19 — cluster settings of the central (central/src/cluster/settings.ts)
  'CENTRAL_CLUSTER_DATABASE_REQUIRED',
  'CENTRAL_CLUSTER_S3_REQUIRED',
  'CENTRAL_CLUSTER_ADMIN_TOKEN_REQUIRED',
  'CENTRAL_CLUSTER_PUBLIC_URL_REQUIRED',
  'CENTRAL_PUBLIC_URL_INVALID',
  'CENTRAL_PUBLIC_URL_WITHOUT_CLUSTER',
  'CENTRAL_INSTANCE_NAME_INVALID',
  // Issue 19 — the central's storage on disk or S3 (central/src/storage/)
  'CENTRAL_STORAGE_INVALID',
  'CENTRAL_S3_SETTING_MISSING',
  'CENTRAL_S3_UNREACHABLE',
  'CENTRAL_S3_BUCKET_MISSING',
  'CENTRAL_S3_ACCESS_DENIED',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export type ErrorDetails = Readonly<Record<string, string | number>>;

/** A failure with a code the UI can translate. `details` fill the message's placeholders. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails;

  constructor(code: ErrorCode, details: ErrorDetails = {}, options?: { cause?: unknown }) {
    super(`${code}${Object.keys(details).length ? ' ' + JSON.stringify(details) : ''}`, options);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (errorCodes as readonly string[]).includes(value);
}

/** The serialisable form of an AppError, as it crosses IPC and HTTP. */
export interface WireError {
  readonly code: ErrorCode;
  readonly details: ErrorDetails;
}

export function toWireError(err: unknown): WireError {
  if (err instanceof AppError) return { code: err.code, details: err.details };
  return { code: 'INTERNAL', details: { message: err instanceof Error ? err.message : String(err) } };
}

/**
 * Back from the wire (IPC, a worker's message, an HTTP body): the sender's error as an AppError. A code this side
 * does not know (a newer peer) becomes INTERNAL and keeps the code it had, so the log still says what happened.
 */
export function fromWireError(wire: { readonly code: string; readonly details?: ErrorDetails }): AppError {
  const details = wire.details ?? {};
  return isErrorCode(wire.code) ? new AppError(wire.code, details) : new AppError('INTERNAL', { ...details, unknownCode: wire.code });
}
