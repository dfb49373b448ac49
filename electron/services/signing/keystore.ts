/**
 * The key store port: what main needs from any place a signing key lives (a PKCS#12 file, a PKCS#11 token).
 * The key never leaves the implementation; only a digest goes in and a signature comes out.
 */
import type { DigestSignature, SignerStatus } from '../../../shared/ipc/contract';

export interface KeyStore {
  status(): SignerStatus | Promise<SignerStatus>;
  /** The PKCS#12 password or the token's user PIN; used once, never stored. */
  unlock(secret: string): Promise<SignerStatus>;
  lock(): SignerStatus | Promise<SignerStatus>;
  signDigest(digest: Uint8Array): Promise<DigestSignature>;
  /** Signer certificate first, then its issuers; empty while locked. */
  readonly chainDer: readonly Uint8Array[];
}
