/**
 * The counter's local database: the offline queue of accepted dossiers, and what the counter keeps around
 * them. The row types are grouped by topic; the schema versions (tables, indexes, upgrades) are in
 * schema-versions.ts, which is append-only.
 */
import Dexie from 'dexie';
import type { DexieOptions, Table } from 'dexie';
import type { Applicant, DossierId } from '../../../shared/domain/dossier';
import type { LegalBasis } from '../../../shared/domain/legal-basis';
import type { ReceptionDuties } from '../../../shared/domain/reception-duties';
import type { CopySignatureRecord } from '../../../shared/domain/copy-signature';
import type { DigitizationRecord, NotePair } from '../../../shared/domain/digitization';
import type { WireError } from '../../../shared/errors';
import type { CommitAck, CounterEvent, CounterEventAck, DossierStatus, ReferenceKind, StatusChange } from '../../../shared/sync/protocol';
import type { RevocationEvidence } from '../../../shared/cms/revocation-evidence';
import { queueDerivedTables } from './derived';
import { encryptionMiddleware, type DataKeys, type EncryptionOptions } from './encryption';
import type { OcrPage } from '../../../shared/imaging/processing';
import { declareSchemaVersions } from './schema-versions';

// ── Names and sizes

export const counterDatabaseName = 'motcua-counter';

/** Bytes of a file are stored in pieces of this size, so no file becomes one huge IndexedDB value. */
export const fileChunkSize = 4 * 1024 * 1024;

// ── Accepted dossiers and their files (a dossier record never changes once saved)

interface StoredComponent {
  readonly code: string;
  readonly name: string;
  readonly required: boolean;
  readonly fileIds: readonly string[];
}

/** The dossier as the clerk accepted it. Immutable once saved. */
export interface StoredDossier {
  readonly id: DossierId;
  readonly code: string;
  readonly procedure: { readonly code: string; readonly name: string };
  readonly applicant: Applicant;
  readonly unit: { readonly code: string; readonly name: string };
  readonly counterNo: number;
  /** ISO 8601 with +07:00. */
  readonly receivedAt: string;
  /** ISO 8601 with +07:00. */
  readonly appointmentAt: string;
  readonly components: readonly StoredComponent[];
  /** ISO 8601 UTC (`toISOString()`), so the index sorts by time. */
  readonly createdAt: string;
  /**
   * The clerk who received it (issue 6; not indexed, so no schema version): the per-clerk indicators group
   * by it. Dossiers from before it was recorded group under "Quầy <n>".
   */
  readonly clerk?: string;
  /** The completion (Mẫu 02) rounds before acceptance, when the dossier was first incomplete. */
  readonly completionRounds?: number;
  /**
   * The legal texts it was received under (shared/domain/legal-basis.ts; not indexed, so no schema version).
   * Absent on dossiers from before the field: those are 2018 dossiers (`legalBasisOf`).
   */
  readonly legalBasis?: LegalBasis;
  /**
   * The clerk's reception duties (Decree 118 Art. 17.1.a–b: VNeID check, reused documents; not indexed, so no
   * schema version). Absent on dossiers from before it was recorded: the export then says "0".
   */
  readonly receptionDuties?: ReceptionDuties;
  /** The certificates that signed its copies, by component (issue 15; not indexed). Absent on older dossiers. */
  readonly copySignatures?: readonly CopySignatureRecord[];
  /** The paper page counts the clerk confirmed per component (Circular 01/2023 Art. 8.2; not indexed). */
  readonly digitization?: DigitizationRecord;
  /**
   * Issue 15: the identifier its official code begins with (the deciding agency's, or the receiving unit's),
   * kept so a provisional `TAM-…` code can be replaced by the central with the right prefix. Absent: the unit's.
   */
  readonly codePrefix?: string;
  /** Issue 15: the provisional number it carried before the central gave its official `code` (reprint the receipt). */
  readonly provisionalCode?: string;
  /**
   * Issue 17: set (ISO UTC) when the retention step minimised the record (renderer/src/db/retention.ts): the
   * applicant is then only a masked name (shared/domain/minimisation.ts), every other personal field empty.
   * "Immutable once saved" holds for everything else. Not indexed.
   */
  readonly minimisedAt?: string;
}

/** File metadata only — the bytes live in `fileChunks`, out of the way of live queries. */
export interface StoredFile {
  readonly id: string;
  readonly dossierId: DossierId;
  readonly componentCode: string;
  readonly name: string;
  readonly mediaType: 'application/pdf';
  readonly size: number;
  /** Lowercase hex. */
  readonly sha256: string;
  readonly pageCount: number;
  /**
   * The CRL/OCSP answers each signer's certificate had when it signed this file (Circular 15/2025). Not
   * indexed, so adding it needed no schema version.
   */
  readonly revocationEvidence?: readonly RevocationEvidence[];
  /** The chunk size the bytes were cut at (kept per file so a later change of `fileChunkSize` is harmless). */
  readonly chunkSize: number;
  readonly chunkCount: number;
  /**
   * Counter clock (ISO UTC) when the central confirmed it holds this file: the dossier's commit or the
   * supplement event that carried it was acknowledged. Kept after the purge, for the record.
   */
  readonly confirmedAt?: string;
  /**
   * Set with `confirmedAt` and removed by the purge: indexed (version 7), and absent from every other row, so
   * the retention step reads only the files still waiting to be purged, however long the history.
   */
  readonly awaitingPurgeSince?: string;
  /**
   * Set when the bytes were deleted by the retention step (docs/storage.md): the metadata stays, `fileChunks`
   * holds nothing for it any more, and reading it gives FILE_PURGED, not STORAGE_DAMAGED.
   */
  readonly purgedAt?: string;
}

export interface StoredFileChunk {
  readonly fileId: string;
  readonly index: number;
  readonly data: Uint8Array;
}

// ── Dossier numbers: the daily sequence and the blocks the central leased

export interface SequenceRow {
  readonly unitCode: string;
  /** Vietnam calendar day, `YYYY-MM-DD`. */
  readonly day: string;
  readonly counterNo: number;
  readonly lastUsed: number;
  readonly updatedAt: string;
}

/** Issue 15: a block of dossier numbers the central leased to this counter (shared/domain/code-lease.ts). */
export interface CodeLeaseRow {
  readonly agencyId: string;
  /** Vietnam calendar day, `YYYY-MM-DD`. */
  readonly day: string;
  readonly first: number;
  readonly last: number;
  readonly receivedAt: string;
}

// ── The dossier after acceptance: its status, the central's status feed, result documents

/**
 * The mutable life of a dossier after acceptance (StoredDossier itself never changes): its national status,
 * the appointment as it stands now, completion rounds and the return. One row per dossier.
 */
export interface DossierStateRow {
  readonly dossierId: DossierId;
  /** National status code (TrangThaiHoSo, the national portal's 1–10: shared/sync/protocol.ts); 2 once accepted at the counter. */
  readonly status: DossierStatus;
  /** ISO 8601 with offset: the appointment now in force (moved by completion pauses and apologies). */
  readonly appointmentAt: string;
  /** Completion (supplement) rounds requested so far; more than one counts as late (docs/indicators.md). */
  readonly supplementRounds: number;
  /** Set while the clock is paused waiting for the applicant (status 5): ISO 8601 of the request. */
  readonly pausedSince?: string;
  /** The last feed entry applied (the central's `seq`). */
  readonly lastChangeSeq?: number;
  /** Status 10: who collected the result and how. */
  readonly returned?: { readonly at: string; readonly receivedBy: string; readonly method: 'counter' | 'post' };
  /** Status 8: stopped at the applicant's request (Decree 118 Art. 21), ISO 8601 times. Not indexed. */
  readonly stopped?: { readonly at: string; readonly requestedAt: string; readonly reason: string };
  /** ISO UTC; indexed so the board can show recent activity first. */
  readonly updatedAt: string;
  /**
   * Issue 17 (version 10, sparse index): counter clock when the central was known to hold a closed status
   * (shared/domain/minimisation.ts `closedStatuses`): set in the transaction that stores the acknowledgement
   * or the feed entry, removed by the minimisation. Only dossiers waiting to be minimised carry it.
   */
  readonly minimiseDueSince?: string;
}

/** A status change received from the central's feed, kept as the processing history (QuaTrinhXuLy). */
export type StatusChangeRow = StatusChange;

type ResultFileState = 'waiting' | 'downloaded' | 'failed';

/**
 * A result document the deciding agency attached to status 9 (from the feed's `resultFiles`), fetched ahead
 * of time so the clerk can show and print it when the link is down. Metadata only — the desk watches this
 * table; the bytes are in `resultFileChunks`. Deleted once the central has acknowledged the return (10).
 */
export interface ResultFileRow {
  readonly dossierId: DossierId;
  /** Lowercase hex, as the central declared it: the downloaded bytes must match it. */
  readonly sha256: string;
  readonly name: string;
  readonly mediaType: 'application/pdf';
  /** Declared size in bytes. */
  readonly size: number;
  /** The feed entry (status 9) that announced it. */
  readonly seq: number;
  /** waiting: not fetched yet (or retrying); downloaded: bytes stored and verified; failed: refused (mismatch, too large, not found). */
  readonly state: ResultFileState;
  readonly attempts: number;
  /** Epoch milliseconds (counter clock): not tried before this. */
  readonly nextAttemptAt: number;
  readonly lastError?: WireError;
  /** Set once downloaded: how the bytes were cut (like `StoredFile`). */
  readonly chunkSize?: number;
  readonly chunkCount?: number;
  /** ISO UTC. */
  readonly downloadedAt?: string;
  readonly updatedAt: string;
}

/** The bytes of a downloaded result document, in pieces of at most `fileChunkSize`. Never watched. */
export interface ResultFileChunkRow {
  readonly dossierId: DossierId;
  readonly sha256: string;
  readonly index: number;
  readonly data: Uint8Array;
}

// ── Sending to the central: the outbox, counter events, reference data, sync bookkeeping and log

export const outboxStates = ['waiting', 'uploading', 'committing', 'acknowledged', 'failed'] as const;
export type OutboxState = (typeof outboxStates)[number];

export interface FileUploadProgress {
  /** The tus upload URL once the central created the upload: resuming after a restart starts here. */
  readonly uploadUrl?: string;
  readonly bytesSent: number;
  readonly size: number;
}

export interface OutboxRow {
  readonly dossierId: DossierId;
  readonly state: OutboxState;
  readonly attempts: number;
  /** Epoch milliseconds (counter clock): the row is not tried before this. */
  readonly nextAttemptAt: number;
  readonly lastError?: WireError;
  /** Upload progress per file, keyed by the file's SHA-256 hex. */
  readonly uploads: Readonly<Record<string, FileUploadProgress>>;
  readonly bytesTotal: number;
  readonly ack?: CommitAck;
  /** Central clock when it accepted the dossier (from the ack). */
  readonly centralReceivedAt?: string;
  /** Counter clock when the ack arrived. */
  readonly acknowledgedAt?: string;
  /** ISO UTC; the queue is worked oldest first. */
  readonly queuedAt: string;
  readonly updatedAt: string;
}

export type CounterEventState = 'waiting' | 'sending' | 'acknowledged' | 'failed';

/** A counter → central event (return, supplement, apology) waiting to be sent; idempotent by `eventId`. */
export interface CounterEventRow {
  readonly eventId: string;
  readonly dossierId: DossierId;
  readonly state: CounterEventState;
  readonly event: CounterEvent;
  readonly attempts: number;
  /** Epoch milliseconds (counter clock). */
  readonly nextAttemptAt: number;
  readonly lastError?: WireError;
  readonly ack?: CounterEventAck;
  /** ISO UTC. */
  readonly queuedAt: string;
  /**
   * supplement-received: tus progress of its files, keyed by SHA-256 (as in the outbox), so a restart resumes
   * them. Added by the sync engine; not indexed, so no schema version.
   */
  readonly uploads?: Readonly<Record<string, FileUploadProgress>>;
  /** Counter clock (ISO) when the central's ack arrived. */
  readonly acknowledgedAt?: string;
  /** ISO UTC of the last change by the sync engine. */
  readonly updatedAt?: string;
}

/** The last good copy of a piece of reference data pulled from the central. */
export interface ReferenceRow {
  readonly kind: ReferenceKind;
  readonly version: string;
  readonly publishedAt: string;
  /** Already validated with the kind's schema before it replaced the previous copy. */
  readonly data: unknown;
  /** ISO UTC, counter clock. */
  readonly fetchedAt: string;
}

/** Small sync bookkeeping values: the feed cursor, the last clock comparison with the central, … */
export interface SyncMetaRow {
  readonly key: string;
  readonly value: unknown;
}

export type SyncLogLevel = 'info' | 'warn' | 'error';

export interface SyncLogEntry {
  readonly id?: number;
  readonly at: string;
  readonly level: SyncLogLevel;
  readonly dossierId?: DossierId;
  readonly event: string;
  readonly details: Readonly<Record<string, string | number | boolean>>;
}

// ── Before acceptance: dossiers in progress, printed forms, the page workspace

/** An attached file kept with a dossier that is not accepted yet (bytes inline: one visit's scans). */
export interface PendingAttachment {
  readonly componentCode: string;
  readonly name: string;
  readonly bytes: Uint8Array;
}

/** One line of a completion request (Mẫu 02). */
export interface PendingCompletionItem {
  readonly componentCode: string;
  readonly component: string;
  readonly copyType: 'original' | 'certified-copy' | 'copy-with-original' | 'photocopy';
  readonly request?: string;
  readonly reason: string;
}

type PendingDossierState = 'awaiting-completion' | 'accepted' | 'refused';

/**
 * A dossier the clerk did not accept at the first visit: asked to complete (Mẫu 02), kept with what was
 * brought until the applicant returns and it is accepted — the rounds stay on the same record — or refused
 * (Mẫu 03). It has no dossier code: codes are given on acceptance only.
 */
export interface PendingDossierRow {
  readonly id: string;
  readonly state: PendingDossierState;
  readonly procedure: { readonly code: string; readonly name: string };
  readonly applicant: Applicant;
  /** Empty once accepted or refused: the accepted dossier keeps its own signed files. */
  readonly attachments: readonly PendingAttachment[];
  readonly rounds: readonly { readonly at: string; readonly clerk: string; readonly items: readonly PendingCompletionItem[] }[];
  readonly refusal?: { readonly at: string; readonly clerk: string; readonly reason: string };
  readonly acceptedDossierId?: DossierId;
  /** ISO UTC. */
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** Form numbers of both sets (mau07, the 2025 register); what a number means follows the dossier's legal basis. */
type PrintedFormId = 'mau01' | 'mau02' | 'mau03' | 'mau04' | 'mau05' | 'mau06' | 'mau07' | 'weekly-report';

/**
 * Every form the counter produced, with its exact bytes, so a reprint is the same paper — until the central
 * acknowledged the dossier (issue 17): from then on the bytes are not kept (`pdf` absent, `pdfDroppedAt` set)
 * and a reprint of the receipt is regenerated from the central's copy (renderer/src/features/desk/reprint.ts).
 */
export interface PrintedFormRow {
  readonly id: string;
  readonly formId: PrintedFormId;
  /** What the clerk sees in the history, e.g. "Mẫu 04 — 000.00.01.H22-261123-0001". */
  readonly label: string;
  readonly dossierId?: DossierId;
  readonly pendingId?: string;
  /** Absent once the central acknowledged the dossier (issue 17, not indexed). */
  readonly pdf?: Uint8Array;
  /** ISO UTC: when the bytes were dropped. */
  readonly pdfDroppedAt?: string;
  readonly clerk: string;
  /** ISO UTC. */
  readonly createdAt: string;
}

/**
 * A captured page waiting in the page workspace (before the dossier is accepted): metadata only, so the
 * workspace's live query never loads image bytes. Saved the moment the page arrives from the scanner, so a
 * crash or restart loses nothing.
 */
export interface CapturePageRow {
  readonly id: string;
  /** The workspace it belongs to (`draft`: the dossier being received at this counter). */
  readonly workspace: string;
  /** Position in the workspace; fractional values let a page move between two others without renumbering. */
  readonly order: number;
  /** The procedure component it is assigned to; null while unassigned (in the stack). */
  readonly componentCode: string | null;
  /** Clockwise quarter-turns the clerk gave it. */
  readonly rotation: 0 | 90 | 180 | 270;
  readonly name: string;
  readonly mediaType: 'image/jpeg' | 'image/png' | 'application/pdf';
  readonly dpi: number | null;
  readonly widthPx: number;
  readonly heightPx: number;
  readonly pageCount: number;
  readonly size: number;
  /** The device (`sane:test:0`, `escl:…`, `hot-folder:…`). */
  readonly deviceId: string;
  /** ISO UTC. */
  readonly capturedAt: string;
  /**
   * Clean-up and OCR in main (helper "ocr"; no index, so no schema version): absent for pages from before,
   * or when both are switched off. The stored bytes are the original until `cleanup` is 'done'.
   */
  readonly processing?: PageProcessingState;
  /** One of the two shots of a page with a sticky note (issue 15; not indexed, so no schema version). */
  readonly notePair?: NotePair;
}

export interface PageProcessingState {
  /** Main's id for this page's processing; asked with `imaging:results`. */
  readonly id: string;
  readonly cleanup: 'pending' | 'done' | 'failed' | 'off';
  readonly ocr: 'pending' | 'done' | 'failed' | 'off';
  /** Clean-up found (almost) no ink: flagged for the clerk, never deleted by the app. */
  readonly blank?: boolean;
  /** The clerk looked at the blank flag and kept the page. */
  readonly blankKept?: boolean;
  readonly skewDegrees?: number;
  readonly quarterTurns?: number;
  /** Bytes of the original, for the record. */
  readonly originalSize?: number;
}

/** A captured page's bytes, apart from its metadata (one value per page: a scan is a few hundred KB). */
export interface CapturePageBytesRow {
  readonly pageId: string;
  readonly bytes: Uint8Array;
  /** The OCR words of these bytes, once main has read them (drawn as invisible text before signing). */
  readonly ocr?: OcrPage;
}

// ── Returning applicants and the clerk's preferences

/** A returning applicant, found again by personal number, tax code or phone. */
export interface KnownApplicantRow {
  /** The holder id: tax code of an organisation, else the submitter's personal number. */
  readonly key: string;
  readonly idNumber: string;
  readonly phone: string;
  readonly applicant: Applicant;
  readonly visits: number;
  /** ISO UTC. */
  readonly lastSeenAt: string;
}

/** The clerk's own settings on this counter: name, favourite procedures, board thresholds. */
export interface CounterPrefRow {
  readonly key: string;
  readonly value: unknown;
}

// ── Kept for the queue screen, in the same transaction as the rows they come from (derived.ts)

/**
 * One row per dossier for the queue screen's search box. Everything the search needs is in the primary key
 * `[createdAt+text+dossierId]`, so a search reads keys only (one getAllKeys), never a dossier record.
 * Maintained with the dossier by `queueDerivedTables` (renderer/src/db/derived.ts).
 */
export interface DossierSearchRow {
  readonly createdAt: string;
  /** `searchTextOf(dossier)`: folded code and applicant name (renderer/src/db/search.ts). */
  readonly text: string;
  readonly dossierId: DossierId;
}

/** Running totals of the outbox that an index count cannot give (IndexedDB has no sum). */
export interface QueueTotalsRow {
  readonly key: 'outbox';
  /** Bytes still to send for the pending rows (waiting, uploading, committing). */
  readonly bytesLeft: number;
}

export class CounterDatabase extends Dexie {
  declare readonly dossiers: Table<StoredDossier, DossierId>;
  declare readonly files: Table<StoredFile, string>;
  declare readonly fileChunks: Table<StoredFileChunk, [string, number]>;
  declare readonly outbox: Table<OutboxRow, DossierId>;
  declare readonly sequences: Table<SequenceRow, [string, string, number]>;
  declare readonly syncLog: Table<SyncLogEntry, number>;
  declare readonly dossierState: Table<DossierStateRow, DossierId>;
  declare readonly statusChanges: Table<StatusChangeRow, number>;
  declare readonly counterEvents: Table<CounterEventRow, string>;
  declare readonly reference: Table<ReferenceRow, ReferenceKind>;
  declare readonly syncMeta: Table<SyncMetaRow, string>;
  declare readonly pendingDossiers: Table<PendingDossierRow, string>;
  declare readonly printedForms: Table<PrintedFormRow, string>;
  declare readonly applicants: Table<KnownApplicantRow, string>;
  declare readonly counterPrefs: Table<CounterPrefRow, string>;
  declare readonly capturePages: Table<CapturePageRow, string>;
  declare readonly capturePageBytes: Table<CapturePageBytesRow, string>;
  declare readonly dossierSearch: Table<DossierSearchRow, [string, string, DossierId]>;
  declare readonly queueTotals: Table<QueueTotalsRow, 'outbox'>;
  declare readonly resultFiles: Table<ResultFileRow, [DossierId, string]>;
  declare readonly resultFileChunks: Table<ResultFileChunkRow, [DossierId, string, number]>;
  declare readonly codeLeases: Table<CodeLeaseRow, [string, string, number]>;
  /** New rows are sealed at rest (renderer/src/db/encryption.ts). */
  readonly sealsAtRest: boolean;

  /**
   * `options` lets tests and workers pass their own IndexedDB factory. `dataKeys` (from main's data key,
   * renderer/src/db/encryption.ts) seal personal fields and file bytes at rest; without them (tests, tools)
   * rows are stored as given.
   */
  constructor(name: string = counterDatabaseName, options?: DexieOptions, dataKeys?: DataKeys, encryption: EncryptionOptions = {}) {
    super(name, options);
    declareSchemaVersions(this);
    // After the versions: the derived tables of version 5 are kept up to date on every write.
    this.use(queueDerivedTables);
    // Below every other middleware (its level), so the derived rows above are sealed too.
    if (dataKeys) this.use(encryptionMiddleware(dataKeys, encryption));
    this.sealsAtRest = dataKeys !== undefined && encryption.seal !== false;
  }
}
