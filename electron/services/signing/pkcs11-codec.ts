/**
 * Pure conversions around PKCS#11: the token's PIN flags to the clerk's PIN state, PKCS#11 return values
 * to AppError codes, the DigestInfo CKM_RSA_PKCS signs, and the raw r‖s of CKM_ECDSA to the DER
 * ECDSA-Sig-Value CMS carries. No native code here, so all of it is unit-tested on plain numbers.
 */
import { AppError } from '../../../shared/errors';
import type { PinState } from '../../../shared/ipc/contract';

/** CK_TOKEN_INFO flags (PKCS#11 v2.40 §3.2). */
export const CKF_USER_PIN_COUNT_LOW = 0x0001_0000;
export const CKF_USER_PIN_FINAL_TRY = 0x0002_0000;
export const CKF_USER_PIN_LOCKED = 0x0004_0000;

/** The most severe state the flags report. SoftHSM2 never sets the count flags (it does not count tries). */
export function pinStateFromFlags(flags: number): PinState {
  if (flags & CKF_USER_PIN_LOCKED) return 'locked';
  if (flags & CKF_USER_PIN_FINAL_TRY) return 'final-try';
  if (flags & CKF_USER_PIN_COUNT_LOW) return 'count-low';
  return 'ok';
}

/** CK_RV values (PKCS#11 v2.40 §5.1) that decide what the clerk is told. */
export const CKR = {
  SLOT_ID_INVALID: 0x03,
  DEVICE_ERROR: 0x30,
  DEVICE_REMOVED: 0x32,
  PIN_INCORRECT: 0xa0,
  PIN_INVALID: 0xa1,
  PIN_LEN_RANGE: 0xa2,
  PIN_EXPIRED: 0xa3,
  PIN_LOCKED: 0xa4,
  SESSION_CLOSED: 0xb0,
  SESSION_HANDLE_INVALID: 0xb3,
  TOKEN_NOT_PRESENT: 0xe0,
  TOKEN_NOT_RECOGNIZED: 0xe1,
  USER_ALREADY_LOGGED_IN: 0x100,
  USER_NOT_LOGGED_IN: 0x101,
  CRYPTOKI_ALREADY_INITIALIZED: 0x191,
} as const;

const tokenGone: ReadonlySet<number> = new Set([
  CKR.SLOT_ID_INVALID,
  CKR.DEVICE_ERROR,
  CKR.DEVICE_REMOVED,
  CKR.SESSION_CLOSED,
  CKR.SESSION_HANDLE_INVALID,
  CKR.TOKEN_NOT_PRESENT,
  CKR.TOKEN_NOT_RECOGNIZED,
]);

/**
 * The AppError for a failed PKCS#11 call. `pinState` is what the token reports after the failure (the
 * count flags change with each wrong PIN).
 */
export function appErrorFromCkr(ckr: number, name: string, context: { tokenLabel: string; pinState?: PinState }): AppError {
  if (ckr === CKR.PIN_INCORRECT || ckr === CKR.PIN_INVALID || ckr === CKR.PIN_LEN_RANGE) {
    if (context.pinState === 'locked') return new AppError('SIGNER_PIN_LOCKED', { token: context.tokenLabel });
    return new AppError('SIGNER_WRONG_PIN', { token: context.tokenLabel, pinState: context.pinState ?? 'ok' });
  }
  if (ckr === CKR.PIN_LOCKED || ckr === CKR.PIN_EXPIRED) return new AppError('SIGNER_PIN_LOCKED', { token: context.tokenLabel });
  if (tokenGone.has(ckr)) return new AppError('SIGNER_TOKEN_ABSENT', { token: context.tokenLabel, reason: name });
  // The token was reset (unplugged and plugged back in): the login is gone, the PIN must be entered again.
  if (ckr === CKR.USER_NOT_LOGGED_IN) return new AppError('SIGNER_LOCKED', { token: context.tokenLabel });
  return new AppError('INTERNAL', { message: `PKCS#11 ${name} (0x${ckr.toString(16)})` });
}

/** DigestInfo prefix for SHA-256 (RFC 8017 §9.2 note 1). CKM_RSA_PKCS pads and signs exactly these bytes. */
const SHA256_DIGEST_INFO_PREFIX = Uint8Array.from([0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20]);

export function sha256DigestInfo(digest: Uint8Array): Uint8Array {
  if (digest.length !== 32) throw new Error('A SHA-256 digest is 32 bytes');
  const out = new Uint8Array(SHA256_DIGEST_INFO_PREFIX.length + 32);
  out.set(SHA256_DIGEST_INFO_PREFIX);
  out.set(digest, SHA256_DIGEST_INFO_PREFIX.length);
  return out;
}

/**
 * CKM_ECDSA returns r‖s, each as wide as the curve order (PKCS#11 v2.40 §2.3.1); CMS wants
 * ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER } (RFC 5480 / RFC 5753) in DER.
 */
export function ecdsaRawToDer(raw: Uint8Array): Uint8Array {
  if (raw.length === 0 || raw.length % 2 !== 0) throw new Error(`An ECDSA r‖s signature has an even, non-zero length (got ${raw.length})`);
  const half = raw.length / 2;
  const body = [...derInteger(raw.subarray(0, half)), ...derInteger(raw.subarray(half))];
  return Uint8Array.from([0x30, ...derLength(body.length), ...body]);
}

function derInteger(unsigned: Uint8Array): number[] {
  let start = 0;
  while (start < unsigned.length - 1 && unsigned[start] === 0) start++;
  const digits = [...unsigned.subarray(start)];
  // A set top bit would read as negative: DER adds one zero byte in front.
  if ((digits[0] ?? 0) & 0x80) digits.unshift(0);
  return [0x02, ...derLength(digits.length), ...digits];
}

function derLength(length: number): number[] {
  if (length < 0x80) return [length];
  const bytes: number[] = [];
  for (let n = length; n > 0; n >>= 8) bytes.unshift(n & 0xff);
  return [0x80 | bytes.length, ...bytes];
}

export function toHexString(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function fromHexString(hex: string): Uint8Array {
  const clean = hex.replace(/[\s:]/g, '');
  if (!/^([0-9a-fA-F]{2})*$/.test(clean)) throw new Error(`Not a hex string: ${hex}`);
  return Uint8Array.from(clean.match(/../g) ?? [], (pair) => parseInt(pair, 16));
}
