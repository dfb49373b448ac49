/**
 * Electron's safeStorage as the device credential's cipher (DPAPI on Windows, the Keychain on macOS,
 * libsecret/kwallet on Linux). Usable only after the app's `ready` event.
 *
 * Not run in this repository's tests (no Electron binary can be downloaded here): it is type-checked against
 * Electron's own declarations, and device.ts is tested through the same port with a fake cipher.
 */
import { safeStorage } from 'electron';
import type { CredentialCipher } from '../services/credential-cipher';

export const safeStorageCipher: CredentialCipher = {
  kind: 'electron-safe-storage',
  available() {
    if (!safeStorage.isEncryptionAvailable()) return false;
    // On Linux without a keyring Electron falls back to a fixed, built-in password: obfuscation, not
    // protection. Keep the plain 0600 file there rather than pretend.
    return process.platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== 'basic_text';
  },
  encrypt: (plainText) => new Uint8Array(safeStorage.encryptString(plainText)),
  decrypt: (sealed) => safeStorage.decryptString(Buffer.from(sealed)),
};
