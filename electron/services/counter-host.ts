/**
 * The composition root of the main-side services, shared by Electron main and the web host: both serve
 * exactly these handlers for the IPC contract.
 */
import path from 'node:path';
import type { IpcHandlers } from '../../shared/ipc/contract';
import { demoConfig, loadHostConfig, publicConfig, type HostConfig } from './config';
import { Pkcs12KeyStore } from './signing/pkcs12-keystore';
import { ensureDemoPki } from './signing/demo-pki';

export interface CounterHost {
  readonly config: HostConfig;
  readonly handlers: IpcHandlers;
}

export interface CounterHostOptions {
  readonly dataDir: string;
  /** Overrides the configured central (the demo launcher starts one on a free port). */
  readonly centralUrl?: string;
}

export async function openCounterHost(options: CounterHostOptions): Promise<CounterHost> {
  const pkiDir = path.join(options.dataDir, 'pki');
  const loaded = await loadHostConfig(options.dataDir, () => demoConfig(pkiDir));
  const config: HostConfig = options.centralUrl ? { ...loaded, centralUrl: options.centralUrl } : loaded;
  // The demo key store is generated on first run; a real deployment points signer.path elsewhere.
  if (path.resolve(path.dirname(config.signer.path)) === path.resolve(pkiDir)) await ensureDemoPki(pkiDir);
  const keystore = new Pkcs12KeyStore({ path: config.signer.path, label: config.signer.label });
  return { config, handlers: createIpcHandlers(config, keystore) };
}

export function createIpcHandlers(config: HostConfig, keystore: Pkcs12KeyStore): IpcHandlers {
  return {
    'config:get': () => Promise.resolve(publicConfig(config)),
    'signer:status': () => Promise.resolve(keystore.status()),
    'signer:unlock': ({ password }) => keystore.unlock(password),
    'signer:lock': () => Promise.resolve(keystore.lock()),
    'signer:sign-digest': ({ digest }) => keystore.signDigest(digest),
  };
}
