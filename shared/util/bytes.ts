import { base64, hex } from '@scure/base';
import { sha256 } from '@noble/hashes/sha2.js';

export const toBase64 = (bytes: Uint8Array): string => base64.encode(bytes);
export const fromBase64 = (text: string): Uint8Array => base64.decode(text);
export const toHex = (bytes: Uint8Array): string => hex.encode(bytes);
export const fromHex = (text: string): Uint8Array => hex.decode(text.toLowerCase());

/** SHA-256 as lowercase hex: the form file hashes take everywhere (outbox, protocol, central). */
export function sha256Hex(bytes: Uint8Array): string {
  return hex.encode(sha256(bytes));
}

export { sha256 };
