/**
 * The port through which device.ts seals the device credential with the operating system's key store. The
 * Electron shell implements it with `safeStorage` (electron/main/safe-storage-cipher.ts); the CLI and the web
 * host run in plain Node, where no such store is reachable, and pass none — the file then keeps the
 * credential in clear text, protected by its 0600 mode only.
 */
export interface CredentialCipher {
  /** Written beside the sealed bytes, so a reader knows which cipher can open them. */
  readonly kind: string;
  /** False when the OS store cannot protect a secret now (no keyring, or only an obfuscating fallback). */
  available(): boolean;
  encrypt(plainText: string): Uint8Array;
  /** Throws when the bytes were not sealed by this store (another user, another PC, a damaged file). */
  decrypt(sealed: Uint8Array): string;
}
