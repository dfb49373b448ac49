/** The driver table and the search for installed drivers, on a fake library folder made per test. */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultSearchDirs, findInstalledLibraries, pkcs11Libraries } from '../../../electron/services/signing/pkcs11-libraries';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'motcua-p11lib-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('pkcs11Libraries', () => {
  it('has the Windows drivers of the Vietnamese CAs and generic entries, each with its source', () => {
    const windowsNames = pkcs11Libraries.flatMap((e) => e.files.win32 ?? []);
    for (const name of ['vnpt-ca_csp11.dll', 'vnptca_p11_v10.dll', 'viettel-ca_v6.dll', 'fpt-ca.dll', 'BkavCA.dll', 'CA2_csp11.dll', 'Safe-ca_v2.dll', 'misaca_csp11_v2.dll', 'eTPKCS11.dll', 'eps2003csp11.dll']) {
      expect(windowsNames).toContain(name);
    }
    expect(pkcs11Libraries.some((e) => e.generic && e.files.linux?.includes('/usr/lib/softhsm/libsofthsm2.so'))).toBe(true);
    for (const entry of pkcs11Libraries) expect(entry.source.length).toBeGreaterThan(10);
    // Names only seen in third-party code must be marked so.
    expect(pkcs11Libraries.filter((e) => !e.generic).every((e) => !e.confirmed && e.source.includes('UNCONFIRMED'))).toBe(true);
  });

  it('searches System32 and SysWOW64 on Windows', () => {
    expect(defaultSearchDirs('win32', { SystemRoot: 'D:\\Win' })).toEqual(['D:\\Win\\System32', 'D:\\Win\\SysWOW64']);
    expect(defaultSearchDirs('linux')).toContain('/usr/lib/x86_64-linux-gnu');
  });
});

describe('findInstalledLibraries', () => {
  it('returns the configured path first, then CA drivers found in the search folders, then generic ones', async () => {
    const system32 = path.join(dir, 'System32');
    await mkdir(system32);
    await writeFile(path.join(system32, 'viettel-ca_v5.dll'), 'x');
    await writeFile(path.join(system32, 'eTPKCS11.dll'), 'x');
    const configured = path.join(dir, 'vendor', 'custom.dll');
    await mkdir(path.dirname(configured));
    await writeFile(configured, 'x');
    const found = await findInstalledLibraries({ platform: 'win32', searchDirs: [system32, path.join(dir, 'SysWOW64')], extraPaths: [configured, path.join(dir, 'missing.dll')] });
    expect(found.map((f) => [f.vendor, path.basename(f.path), f.origin])).toEqual([
      ['configured', 'custom.dll', 'configured'],
      ['Viettel-CA', 'viettel-ca_v5.dll', 'table'],
      ['SafeNet eToken (Thales), used by several CAs', 'eTPKCS11.dll', 'table'],
    ]);
  });

  it('finds SoftHSM2 where Debian installs it, and ignores folders named like a library', async () => {
    const found = await findInstalledLibraries({ platform: 'linux', searchDirs: [dir] });
    expect(found.map((f) => f.path)).toContain('/usr/lib/softhsm/libsofthsm2.so');
    await mkdir(path.join(dir, 'libcastle.so'));
    const again = await findInstalledLibraries({ platform: 'linux', searchDirs: [dir] });
    expect(again.some((f) => f.path.startsWith(dir))).toBe(false);
  });
});
