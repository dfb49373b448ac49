/**
 * docs/configuration.md is generated from the schema the app parses config.json with, and stays so: a field
 * added without an explanation, an explanation left for a field that is gone, or a doc not regenerated fails
 * here. build/default-config.example.json (shipped beside the app) is a current, complete, valid configuration
 * with production-safe settings — the old one had the legacy `signer` key and none of the later sections.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hostConfigSchema, parseHostConfig } from '../../../electron/services/config';
import { configFieldNotes, configFields, renderConfigurationReference } from '../../../electron/services/config-reference';

const repoRoot = path.resolve(import.meta.dirname, '..', '..', '..');

describe('configuration reference', () => {
  it('explains every field of the schema, and only those', () => {
    const paths = configFields()
      .map((f) => f.path)
      .filter((p) => !p.endsWith('[]'));
    expect(paths.filter((p) => !(p in configFieldNotes))).toEqual([]);
    expect(Object.keys(configFieldNotes).filter((p) => !paths.includes(p))).toEqual([]);
  });

  it('docs/configuration.md is what `npm run docs:config` writes today', () => {
    const onDisk = readFileSync(path.join(repoRoot, 'docs/configuration.md'), 'utf8');
    expect(onDisk, 'docs/configuration.md is stale: run `npm run docs:config`').toBe(renderConfigurationReference());
  });

  it('names each field with its default and limits from the schema', () => {
    const doc = renderConfigurationReference();
    expect(doc).toMatch(/\| `counterNo` \| integer \| bắt buộc \| ≥ 1, ≤ 9 \|/);
    expect(doc).toMatch(/\| `trust\.maxRevocationAgeHours` \| number \| mặc định `72` \|/);
    expect(doc).toContain('`signers[].keystore{kind=pkcs11}.tokenLabel`');
  });
});

describe('build/default-config.example.json', () => {
  const text = readFileSync(path.join(repoRoot, 'build/default-config.example.json'), 'utf8');
  const raw = JSON.parse(text) as Record<string, unknown>;

  it('is valid as it stands, with the current keys only (no legacy `signer`)', () => {
    expect(() => parseHostConfig('default-config.example.json', text)).not.toThrow();
    expect(raw).not.toHaveProperty('signer');
  });

  it('shows every section of the configuration except the test-only switches', () => {
    const sections = Object.keys((hostConfigSchema as unknown as { out: { shape: Record<string, unknown> } }).out.shape);
    const omitted = sections.filter((s) => !(s in raw));
    // kiosk: off unless IT sets a PIN; timeLimits: the documented defaults; encryptionAtRest: benchmarks only;
    // timestamping: derived, not a field of the file; enrollment: a one-time code the installer writes and the app removes.
    expect(omitted.sort()).toEqual(['encryptionAtRest', 'enrollment', 'kiosk', 'timeLimits', 'timestamping'].filter((s) => sections.includes(s)).sort());
  });

  it('is production-safe: HTTPS central, revocation required, no lab switches', () => {
    const config = parseHostConfig('default-config.example.json', text);
    expect(new URL(config.centralUrl).protocol).toBe('https:');
    expect(config.trust.requireRevocation).toBe(true);
    expect(config.allowHttpCentral).toBe(false);
    expect(config.trust.revocationFetch?.allowPrivateNetworks ?? false).toBe(false);
  });
});
