/** Opens the key store a signer's configuration names. Chosen here, at the composition root. */
import { AppError } from '../../../shared/errors';
import type { KeystoreConfig } from '../config';
import type { KeyStore } from './keystore';
import { Pkcs11KeyStore } from './pkcs11-keystore';
import { findInstalledLibraries } from './pkcs11-libraries';
import { Pkcs12KeyStore } from './pkcs12-keystore';

export async function openKeyStore(config: KeystoreConfig): Promise<KeyStore> {
  switch (config.kind) {
    case 'pkcs12':
      return new Pkcs12KeyStore({ path: config.path, label: config.label });
    case 'pkcs11': {
      // No library configured: the first installed driver from the table of Vietnamese CAs' drivers.
      const library = config.library ?? (await findInstalledLibraries())[0]?.path;
      if (!library) throw new AppError('SIGNER_LIBRARY_MISSING', { library: '(không tìm thấy trình điều khiển token nào)' });
      return new Pkcs11KeyStore({ library, tokenLabel: config.tokenLabel, label: config.label, ...(config.keyLabel ? { keyLabel: config.keyLabel } : {}) });
    }
  }
}
