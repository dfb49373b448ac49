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

/**
 * SHA-256 over the concatenation of `parts`. A port: the renderer passes WebCrypto's native digest and
 * Node passes node:crypto (about 10× faster than pure JS on a 14 MB dossier); the default is @noble/hashes.
 */
export type Sha256Digest = (parts: readonly Uint8Array[]) => Promise<Uint8Array>;

export const sha256Portable: Sha256Digest = (parts) => {
  const hash = sha256.create();
  for (const part of parts) hash.update(part);
  return Promise.resolve(hash.digest());
};
