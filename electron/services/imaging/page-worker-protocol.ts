/** The operation main asks of a page clean-up worker (page-worker.ts), over shared/rpc.ts. */
import type { CleanedPage, CleanupOptions } from './page-pipeline';

/** Given to each worker when it starts (workerData). */
export interface PageWorkerSettings {
  readonly vipsThreads: number;
}

export interface PageWorkerApi {
  clean: { readonly request: { readonly bytes: Uint8Array; readonly name: string; readonly options: CleanupOptions }; readonly result: CleanedPage };
}
