/**
 * The composition root of the main-side services, shared by Electron main and the web host: both serve
 * exactly these handlers for the IPC contract.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import type { IpcHandlers, SignerRole } from '../../shared/ipc/contract';
import { demoConfig, loadHostConfig, publicConfig, type HostConfig } from './config';
import type { KeyStore } from './signing/keystore';
import { openKeyStore } from './signing/open-keystore';
import { ensureDemoPki } from './signing/demo-pki';
import { loadCertificates } from './signing/cli-support';

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
  // The demo key store is generated on first run; a real deployment points its key stores elsewhere.
  const usesDemoPki = config.signers.some((s) => s.keystore.kind === 'pkcs12' && path.resolve(path.dirname(s.keystore.path)) === path.resolve(pkiDir));
  if (usesDemoPki) await ensureDemoPki(pkiDir);
  const keystores = new Map<SignerRole, KeyStore>(config.signers.map((s) => [s.role, openKeyStore(s.keystore)]));
  const trustAnchorsDer = await loadTrustAnchors(config, usesDemoPki ? path.join(pkiDir, 'root-ca.der') : undefined);
  return { config, handlers: createIpcHandlers(config, keystores, trustAnchorsDer) };
}

/** The deployment's roots: the configured directory, plus the demo root when the demo PKI is in use. */
async function loadTrustAnchors(config: HostConfig, demoRootPath: string | undefined): Promise<Uint8Array[]> {
  const anchors = config.trust.anchorsDir ? await loadCertificates(config.trust.anchorsDir) : [];
  if (demoRootPath) anchors.push(new Uint8Array(await readFile(demoRootPath)));
  return anchors;
}

export function createIpcHandlers(config: HostConfig, keystores: ReadonlyMap<SignerRole, KeyStore>, trustAnchorsDer: readonly Uint8Array[] = []): IpcHandlers {
  const keystore = (role: SignerRole): KeyStore => {
    const found = keystores.get(role);
    if (!found) throw new AppError('SIGNER_NOT_CONFIGURED', { role });
    return found;
  };
  return {
    'config:get': () => Promise.resolve(publicConfig(config)),
    'signer:list': async () => Promise.all(config.signers.map(async ({ role }) => ({ role, status: await keystore(role).status() }))),
    'signer:unlock': ({ role, secret }) => keystore(role).unlock(secret),
    'signer:lock': async ({ role }) => keystore(role).lock(),
    'signer:sign-digest': ({ role, digest }) => keystore(role).signDigest(digest),
    'trust:anchors': () => Promise.resolve({ anchorsDer: [...trustAnchorsDer] }),
  };
}
