/** Messages between the central's thread and its signature worker threads (pool.ts, worker.ts). */
import type { SignatureCheck } from '../commit';

export interface SignatureWorkerData {
  /** DER certificates the signing chains must end in (the central's `--trust`). */
  readonly trustAnchorsDer: readonly Uint8Array[];
}

export interface SignatureWorkerRequest {
  readonly id: number;
  /** The PDF's bytes (a copy, transferred: the worker owns it). */
  readonly pdf: Uint8Array;
}

export type SignatureWorkerResponse =
  | { readonly id: number; readonly check: SignatureCheck }
  /** The verifier threw (a file it cannot read): its message, as the commit reports it. */
  | { readonly id: number; readonly error: string };
