/**
 * Every failure the clerk may see has a code. The code crosses IPC and HTTP; the Vietnamese (and English)
 * wording lives in shared/i18n so the app and the CLI say the same thing.
 *
 * Codes are grouped by topic, not by when they were added: a new code goes into its topic's section. The
 * order carries no meaning (the wire carries the name), so moving a code within the list is safe.
 */
export const errorCodes = [
  // ── The app itself: unexpected failures, the IPC contract, the counter's configuration, the web host
  'INTERNAL',
  'IPC_BAD_REQUEST',
  'IPC_FORBIDDEN_SENDER',
  'CONFIG_INVALID',
  'CONFIG_MISSING',
  'CONFIG_CENTRAL_NOT_HTTPS',
  'CONFIG_KEY_UNKNOWN',
  'CONFIG_VALUE_INVALID',
  'WEB_HOST_TOKEN_INVALID',
  'WEB_HOST_REQUEST_TOO_LARGE',
  'WEB_HOST_SERVER_ERROR',
  'WEB_HOST_UNREACHABLE',

  // ── Files a clerk brings in (imports, a citizen's PDF)
  'FILE_EMPTY',
  'FILE_CORRUPT_IMAGE',
  'FILE_UNSUPPORTED_TYPE',
  /** The same, for files imported into the page workspace (which also takes TIFF). */
  'FILE_UNSUPPORTED_PAGE_TYPE',
  'FILE_CORRUPT_PDF',
  'FILE_ENCRYPTED_PDF',
  /** A decompression bomb in a citizen's PDF. */
  'FILE_PDF_TOO_EXPANDED',

  // ── Capture: scanners, the hot folder, page import, the camera; page clean-up and OCR
  'CAPTURE_TOOL_MISSING',
  'CAPTURE_DEVICE_NOT_FOUND',
  'CAPTURE_DEVICE_NOT_LISTED',
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
  'CAMERA_UNAVAILABLE',
  'CAMERA_DENIED',
  'IMAGING_PAGE_BELOW_MIN_DPI',
  'IMAGING_CLEANUP_FAILED',
  'IMAGING_OCR_FAILED',

  // ── The applicant: personal number, tax code, the CCCD's QR code
  'PERSONAL_NUMBER_INVALID',
  'PERSONAL_NUMBER_MISMATCH',
  'TAX_CODE_INVALID',
  'CCCD_QR_INVALID',
  'CCCD_QR_NOT_FOUND',

  // ── The dossier: procedure, components, status, stopping, digitized copies, results, reprints
  'PROCEDURE_UNKNOWN',
  'DOSSIER_REQUIRED_COMPONENT_MISSING',
  'DOSSIER_INVALID',
  'DOSSIER_STATUS_TRANSITION_INVALID',
  'DOSSIER_ALREADY_STOPPED',
  'DOSSIER_STOP_NOT_ALLOWED',
  'DIGITIZATION_PAGE_COUNT_MISMATCH',
  'DIGITIZATION_NOTE_PAIR_INVALID',
  'RESULT_FILE_MISMATCH',
  'RESULT_FILE_TOO_LARGE',
  'REPRINT_NEEDS_CENTRAL',
  'REPRINT_NOT_AT_CENTRAL',
  'REPRINT_NOT_KEPT',

  // ── Dossier codes (Decree 118/2025 Art. 28): unit and agency identifiers, sequences, leased blocks
  'UNIT_CODE_INVALID',
  'AGENCY_ID_INVALID',
  'DOSSIER_CODE_INVALID',
  'DOSSIER_SEQUENCE_EXHAUSTED',
  'CODE_LEASE_REFUSED',

  // ── Calendar and time limits: working calendar, lunar dates, appointment rules, supplement, extension
  'CALENDAR_DATA_INVALID',
  'CALENDAR_YEAR_OUT_OF_RANGE',
  'LUNAR_DATE_INVALID',
  'WORKING_RULES_INVALID',
  'SUPPLEMENT_NOT_REQUESTED',
  'SUPPLEMENT_NO_FILES',
  'SUPPLEMENT_WINDOW_CLOSED',
  'EXTENSION_ALREADY_USED',
  'EXTENSION_TOO_LATE',
  'EXTENSION_DATE_INVALID',
  'EXTENSION_REASON_REQUIRED',

  // ── Signing keys: key stores, PKCS#11 tokens, signing sessions
  'SIGNER_LOCKED',
  'SIGNER_WRONG_PASSWORD',
  'SIGNER_NO_KEY',
  'SIGNER_KEYSTORE_MISSING',
  'SIGNER_KEYSTORE_CORRUPT',
  'SIGNER_NOT_CONFIGURED',
  'SIGNER_WRONG_PIN',
  'SIGNER_PIN_LOCKED',
  'SIGNER_TOKEN_ABSENT',
  'SIGNER_LIBRARY_MISSING',
  'SIGNING_SESSION_REQUIRED',
  'SIGNING_SESSION_EXHAUSTED',

  // ── Certificates and revocation (CRL/OCSP fetches included)
  'CERT_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_BAD_KEY_USAGE',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REVOCATION_STALE',
  'CERT_REVOCATION_UNKNOWN',
  'CERT_REVOCATION_DATA_INVALID',
  'REVOCATION_CHAIN_UNTRUSTED',
  'REVOCATION_URL_REFUSED',
  'REVOCATION_ADDRESS_REFUSED',
  'REVOCATION_REDIRECT_REFUSED',
  'REVOCATION_ANSWER_TOO_LARGE',

  // ── Signed PDFs: signatures, the visible stamp, second signatures, RFC 3161 time-stamps
  'SIGNATURE_PLACEHOLDER_TOO_SMALL',
  'PDF_ALREADY_SIGNED',
  'SIGNATURE_APPEARANCE_INVALID',
  'PDF_INCREMENTAL_UNSUPPORTED',
  'SIGNATURE_NOT_FOUND',
  'SIGNATURE_ALREADY_TIMESTAMPED',
  'SIGNATURE_TIMESTAMP_BREAKS_LATER_SIGNATURE',
  'TSA_UNREACHABLE',
  'TSA_REJECTED',
  'TSA_BAD_RESPONSE',

  // ── The counter's storage: disk, IndexedDB, the ledger that notices a replaced database, main's spool,
  //    encryption at rest, file bytes deleted after the central's acknowledgement
  'STORAGE_FULL',
  'STORAGE_FAILED',
  'STORAGE_SPACE_LOW',
  'STORAGE_OPEN_FAILED',
  'STORAGE_DAMAGED',
  'STORAGE_DATABASE_REPLACED',
  'STORAGE_LEDGER_DAMAGED',
  'SPOOL_FAILED',
  'SPOOL_DAMAGED',
  'DATA_KEY_UNAVAILABLE',
  'DATA_KEY_MISMATCH',
  'FILE_PURGED',

  // ── Printing a produced form
  'PRINT_RENDER_FAILED',
  'PRINT_FAILED',
  'PRINTER_NOT_FOUND',
  'PRINT_UNAVAILABLE',

  // ── Sync with the central, as the counter sees it
  'CENTRAL_UNREACHABLE',
  'CENTRAL_NOT_A_CENTRAL',
  'CENTRAL_SERVER_ERROR',
  'CENTRAL_REJECTED',
  'CENTRAL_CONFLICT',
  'CENTRAL_NOT_FOUND',
  'CENTRAL_CODE_AMBIGUOUS',
  'CENTRAL_FILE_HASH_MISMATCH',
  'CENTRAL_SIGNATURE_INVALID',
  'CENTRAL_UPLOAD_INCOMPLETE',
  'CENTRAL_UPLOAD_STALLED',
  'CENTRAL_UPLOADS_BUSY',
  'CENTRAL_RATE_LIMITED',
  'REFERENCE_DATA_INVALID',

  // ── Devices and enrollment: the counter's credential, the central's device checks, the admin
  'DEVICE_CREDENTIAL_SEALED',
  'DEVICE_UNAUTHENTICATED',
  'DEVICE_REVOKED',
  'DEVICE_FORBIDDEN',
  'DEVICE_UNIT_MISMATCH',
  'ENROLLMENT_CODE_INVALID',
  'ENROLLMENT_CODE_EXPIRED',
  'ENROLLMENT_CODE_USED',
  'ENROLLMENT_CODE_UNKNOWN',
  'ENROLLMENT_UNIT_MISMATCH',
  'ENROLLMENT_COUNTER_TAKEN',
  'ENROLLMENT_CENTRAL_UNREACHABLE',
  'ENROLLMENT_CLOCK_SKEW',
  'ENROLLMENT_ALREADY_ENROLLED',
  'ADMIN_UNAUTHENTICATED',

  // ── The central's own settings: TLS, admin token, trust, cluster, upload lock, storage on disk or S3
  'CENTRAL_TLS_FILE_UNREADABLE',
  'CENTRAL_TLS_INVALID',
  'CENTRAL_ADMIN_TOKEN_FILE_UNSAFE',
  'CENTRAL_ADMIN_TOKEN_ON_COMMAND_LINE',
  'CENTRAL_TRUST_REQUIRED',
  'CENTRAL_CLUSTER_DATABASE_REQUIRED',
  'CENTRAL_CLUSTER_S3_REQUIRED',
  'CENTRAL_CLUSTER_ADMIN_TOKEN_REQUIRED',
  'CENTRAL_CLUSTER_PUBLIC_URL_REQUIRED',
  'CENTRAL_PUBLIC_URL_INVALID',
  'CENTRAL_PUBLIC_URL_WITHOUT_CLUSTER',
  'CENTRAL_INSTANCE_NAME_INVALID',
  'CENTRAL_UPLOAD_LOCK_NEEDS_POSTGRES',
  'CENTRAL_UPLOAD_LOCK_MEMORY_IN_CLUSTER',
  'CENTRAL_STORAGE_INVALID',
  'CENTRAL_S3_SETTING_MISSING',
  'CENTRAL_S3_UNREACHABLE',
  'CENTRAL_S3_BUCKET_MISSING',
  'CENTRAL_S3_ACCESS_DENIED',

  // ── The audit log
  'AUDIT_CHAIN_BROKEN',
  'AUDIT_LOG_UNAVAILABLE',

  // ── Counter updates served by the central
  'RELEASE_CONFLICT',
  'RELEASE_FILE_MISSING',
  'RELEASE_FILE_MISMATCH',
  'UPDATE_MANIFEST_INVALID',
  'UPDATE_SIGNATURE_INVALID',
  'UPDATE_FILE_INVALID',
  'UPDATE_DOWNLOAD_FAILED',
  'COUNTER_UPDATE_REQUIRED',
] as const;

// ── The error itself and its wire form (IPC, HTTP, worker messages)

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
