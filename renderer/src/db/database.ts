/**
 * The counter's local database: the offline queue of accepted dossiers.
 *
 * Migration policy (docs/storage.md): a shipped `version(n)` is never edited. Every change is a new
 * `version(n + 1)` with an upgrade function and a test that opens a database populated at version n.
 */
import Dexie from 'dexie';
import type { DexieOptions, Table } from 'dexie';
import type { Applicant, DossierId } from '../../../shared/domain/dossier';
import type { WireError } from '../../../shared/errors';
import type { CommitAck } from '../../../shared/sync/protocol';
import type { RevocationEvidence } from '../../../shared/cms/revocation-evidence';

export const counterDatabaseName = 'motcua-counter';

/** Bytes of a file are stored in pieces of this size, so no file becomes one huge IndexedDB value. */
export const fileChunkSize = 4 * 1024 * 1024;

export interface StoredComponent {
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
}

export interface StoredFileChunk {
  readonly fileId: string;
  readonly index: number;
  readonly data: Uint8Array;
}

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

export interface SequenceRow {
  readonly unitCode: string;
  /** Vietnam calendar day, `YYYY-MM-DD`. */
  readonly day: string;
  readonly counterNo: number;
  readonly lastUsed: number;
  readonly updatedAt: string;
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

/** Version 1 of the schema. Shipped versions are never edited (docs/storage.md). */
export const schemaV1 = {
  dossiers: 'id, createdAt, code',
  files: 'id, dossierId',
  fileChunks: '[fileId+index]',
  outbox: 'dossierId, state, nextAttemptAt, queuedAt',
  sequences: '[unitCode+day+counterNo]',
  syncLog: '++id, at, dossierId',
} as const;

export class CounterDatabase extends Dexie {
  declare readonly dossiers: Table<StoredDossier, DossierId>;
  declare readonly files: Table<StoredFile, string>;
  declare readonly fileChunks: Table<StoredFileChunk, [string, number]>;
  declare readonly outbox: Table<OutboxRow, DossierId>;
  declare readonly sequences: Table<SequenceRow, [string, string, number]>;
  declare readonly syncLog: Table<SyncLogEntry, number>;

  /** `options` lets tests and workers pass their own IndexedDB factory. */
  constructor(name: string = counterDatabaseName, options?: DexieOptions) {
    super(name, options);
    this.version(1).stores(schemaV1);
  }
}
