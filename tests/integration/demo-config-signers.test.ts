/**
 * The demo counter (`npm start`, `motcua host` without a config) follows the 2025 default: its digitized copies
 * are signed with the demo clerk's personal certificate (Decree 118/2025 Art. 17.1.c), not the organisation's.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoConfig, parseHostConfig } from '../../electron/services/config';
import { DEMO_CLERK_CN, DEMO_P12_PASSWORD, DEMO_ROOT_CN, ensureDemoPki } from '../../electron/services/signing/demo-pki';
import { Pkcs12KeyStore } from '../../electron/services/signing/pkcs12-keystore';
import { copySignerOf, copySigningPolicy } from '../../shared/domain/copy-signature';
import { bundledCatalog } from '../../shared/domain/catalog-demo';

describe('the demo configuration and PKI', () => {
  it('configure the clerk\'s personal key as the copy signer, and that key opens and names the demo clerk', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'motcua-demo-'));
    const pki = await ensureDemoPki(path.join(dir, 'pki'));
    const config = demoConfig(pki.dir);
    // The written demo config reads back as a valid configuration.
    const reread = parseHostConfig(path.join(dir, 'config.json'), JSON.stringify(config));
    const roles = reread.signers.map((s) => s.role);
    expect(roles).toEqual(['organisation', 'personal']);

    const policy = copySigningPolicy(reread.copySigning?.defaultSigner, roles);
    expect(policy).toEqual({ defaultSigner: 'personal', legacyFallback: false });
    // A bundled procedure's components name no signer of their own: the clerk signs them.
    const birth = bundledCatalog.find((p) => p.code === '1.001193');
    expect(birth?.components.map((c) => copySignerOf(c, policy))).toEqual(birth?.components.map(() => 'personal'));

    const personal = reread.signers.find((s) => s.role === 'personal');
    if (personal?.keystore.kind !== 'pkcs12') throw new Error('the demo personal signer is a PKCS#12 file');
    expect(personal.keystore.path).toBe(pki.clerkSignerP12Path);
    const store = new Pkcs12KeyStore({ path: personal.keystore.path, label: personal.keystore.label });
    const status = await store.unlock(DEMO_P12_PASSWORD);
    if (status.state !== 'unlocked') throw new Error('unlocked');
    expect(status.certificate.subjectCommonName).toBe(DEMO_CLERK_CN);
    expect(status.certificate.issuerCommonName).toBe(DEMO_ROOT_CN);
    expect((await readFile(pki.clerkSignerP12Path)).length).toBeGreaterThan(1000);
  });
});
