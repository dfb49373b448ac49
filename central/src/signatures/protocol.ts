/** The central's signature worker threads' one operation (pool.ts calls it, worker.ts serves it; shared/rpc.ts). */
import type { SignatureCheck } from '../commit';

export interface SignatureWorkerData {
  /** DER certificates the signing chains must end in (the central's `--trust`). */
  readonly trustAnchorsDer: readonly Uint8Array[];
}

export interface SignatureWorkerApi {
  /** The PDF's bytes (a copy, transferred: the worker owns it); the verifier throwing (a file it cannot read) rejects with its message. */
  readonly verify: { readonly request: { readonly pdf: Uint8Array }; readonly result: SignatureCheck };
}
