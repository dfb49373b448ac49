/**
 * The messages between the PKCS#11 key store (main thread) and the worker thread that makes the blocking
 * PKCS#11 calls (over shared/rpc.ts). One map names every operation with its request and its result, so both ends are typed
 * from it; errors come back as AppError codes (WireError). Pure data: no pkcs11js here.
 */
import type { PinState } from '../../../shared/ipc/contract';

/** Which token and which key: the token by its label (slot numbers change between plug-ins), the key by CKA_ID (hex) or CKA_LABEL. */
export interface KeySelector {
  readonly tokenLabel: string;
  readonly keyLabel?: string;
  readonly keyId?: string;
}

export interface TokenCertificateObject {
  readonly label: string;
  /** CKA_ID as lowercase hex. */
  readonly id: string;
  readonly der: Uint8Array;
}

export interface TokenDescription {
  readonly label: string;
  readonly manufacturer: string;
  readonly model: string;
  readonly serial: string;
  readonly pinState: PinState;
  readonly certificates: readonly TokenCertificateObject[];
}

export interface LoginResult {
  readonly keyType: 'rsa' | 'ec';
  readonly keyLabel: string;
  readonly keyId: string;
  /** The certificate whose CKA_ID (or label) matches the key. */
  readonly certificateDer: Uint8Array;
  /** Every other certificate on the token (CA certificates some CAs store beside the user's). */
  readonly otherCertificatesDer: readonly Uint8Array[];
  readonly pinState: PinState;
}

export interface Pkcs11Operations {
  'list-tokens': { request: Record<string, never>; result: TokenDescription[] };
  'token-state': { request: { tokenLabel: string }; result: { pinState: PinState } };
  login: { request: KeySelector & { pin: string }; result: LoginResult };
  /** RSA: data is the DER DigestInfo (CKM_RSA_PKCS). EC: data is the bare digest (CKM_ECDSA), the result raw r‖s. */
  sign: { request: KeySelector & { mechanism: 'rsa-pkcs' | 'ecdsa'; data: Uint8Array }; result: { signature: Uint8Array } };
  logout: { request: { tokenLabel: string }; result: null };
  /** C_Finalize; the worker then exits. */
  close: { request: Record<string, never>; result: null };
}

export type Pkcs11OperationName = keyof Pkcs11Operations;

export interface Pkcs11WorkerData {
  readonly library: string;
}
