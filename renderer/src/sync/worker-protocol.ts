/**
 * The typed messages between the UI thread and the sync worker. The worker owns the engine (uploads,
 * hashing, IndexedDB writes); the UI only sends commands and renders snapshots. Main-process calls the
 * engine needs (time-stamping, trust anchors) and the device credential are asked of the UI thread, which
 * holds the bridge to main. Calls go both ways over one port with shared/rpc.ts; snapshots are plain messages.
 */
import type { IpcChannel } from '../../../shared/ipc/contract';
import type { RpcMessage } from '../../../shared/rpc';
import type { SyncSnapshot } from './engine';
import type { DataKeys } from '../db/encryption';
import type { CounterReport } from '../../../shared/sync/fleet';

export interface SyncWorkerInit {
  readonly centralUrl: string;
  /** A TSA is configured: signatures are time-stamped before a dossier's first upload. */
  readonly timestamping: boolean;
  /** IndexedDB database name (tests use their own). */
  readonly databaseName?: string;
  /** Ask the UI for a device credential before each request. */
  readonly credential: boolean;
  /** Days after the central's acknowledgement before a dossier's file bytes are deleted (config `retention`). */
  readonly filesDaysAfterAck?: number;
  /** Issue 17: days after a closed status reached the central before a dossier is minimised (config `retention`). */
  readonly dossiersDaysAfterClose?: number;
  /** Issue 17: days unseen before a returning-applicant entry is deleted (config `retention`). */
  readonly applicantsDaysUnseen?: number;
  /** The configured unit and counter, checked against the device the central knows (engine option `counter`). */
  readonly counter?: { readonly unitCode: string; readonly unitName: string; readonly counterNo: number };
  /** The database's non-extractable keys (encryption at rest; structured-cloned as keys, never as bytes). */
  readonly dataKeys?: DataKeys;
  /** False: new rows unsealed (config `encryptionAtRest.seal`, for measuring). Default true. */
  readonly sealAtRest?: boolean;
  /** Issue 16: the app's version and OS summary, for the version header and the report to the central (fleet view). */
  readonly report?: { readonly appVersion: string; readonly platform: CounterReport['platform'] };
}

/** What the UI asks of the worker; each call settles when the engine has done it. */
export interface SyncWorkerApi {
  init: { readonly request: SyncWorkerInit; readonly result: undefined };
  'sync-now': { readonly request: null; readonly result: undefined };
  stop: { readonly request: null; readonly result: undefined };
}

/** What the worker asks of the UI thread: a main-process call (validated again by main), the device credential. */
export interface SyncUiApi {
  'main-call': { readonly request: { readonly channel: IpcChannel; readonly request: unknown }; readonly result: unknown };
  credential: { readonly request: null; readonly result: string | undefined };
}

/** UI → worker: calls to the worker and replies to its calls. */
export type ToWorker = RpcMessage;

/** Worker → UI: the same, and a snapshot after every change. */
export type FromWorker = RpcMessage | { readonly type: 'snapshot'; readonly snapshot: SyncSnapshot };

/** What both a Worker (UI side), the worker's global scope and a MessagePort (tests) look like. */
export interface MessageEndpoint<In, Out> {
  postMessage(message: Out): void;
  addEventListener(type: 'message', listener: (event: { data: In }) => void): void;
}
