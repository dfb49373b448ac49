/** Messages between main and the page clean-up worker (page-worker.ts). */
import type { WireError } from '../../../shared/errors';
import type { CleanedPage, CleanupOptions } from './page-pipeline';

/** Given to each worker when it starts (workerData). */
export interface PageWorkerSettings {
  readonly vipsThreads: number;
}

export interface PageWorkerRequest {
  readonly id: number;
  readonly bytes: Uint8Array;
  readonly name: string;
  readonly options: CleanupOptions;
}

export type PageWorkerResponse = { readonly id: number; readonly ok: true; readonly page: CleanedPage } | { readonly id: number; readonly ok: false; readonly error: WireError };
