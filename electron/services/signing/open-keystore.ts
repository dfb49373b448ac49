/** Opens the key store a signer's configuration names. Chosen here, at the composition root. */
import type { KeystoreConfig } from '../config';
import type { KeyStore } from './keystore';
import { Pkcs12KeyStore } from './pkcs12-keystore';

export function openKeyStore(config: KeystoreConfig): KeyStore {
  switch (config.kind) {
    case 'pkcs12':
      return new Pkcs12KeyStore({ path: config.path, label: config.label });
    case 'pkcs11':
      throw new Error('PKCS#11 key stores are wired in once pkcs11-keystore.ts lands');
  }
}
