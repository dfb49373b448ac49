/**
 * The packaged configuration, checked without building (issue 16 "What it must show": `electron-builder --dir`
 * cannot run here without the Electron binary). Reads electron-builder.yml, checks every key against
 * electron-builder's own schema (so a misspelt key cannot be silently ignored), then each setting issue 16 asks
 * for: the per-user NSIS install that updates without UAC, the installer include that writes the preset where
 * the app reads it, an uninstall that keeps the data, the Electron fuses, code signing from the environment, the
 * CLI shipped as JavaScript with its Windows wrapper.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { counterDataDir } from '../../../electron/services/data-location';
import { installerSwitches, presetFileName, switchesFileName } from '../../../electron/services/installer-preset';
import { parseYamlSubset, type YamlValue } from '../../support/yaml-subset';

const repoRoot = path.resolve(import.meta.dirname, '..', '..', '..');
const read = (file: string) => readFileSync(path.join(repoRoot, file), 'utf8');
type Mapping = { [key: string]: YamlValue };
const config = parseYamlSubset(read('electron-builder.yml')) as Mapping;
const section = (name: string) => config[name] as Mapping;

/** electron-builder's JSON schema, from the electron-builder this repository builds with. */
function builderSchema(): { properties: Record<string, unknown>; definitions: Record<string, { properties: Record<string, unknown> }> } {
  const fromBuilder = createRequire(createRequire(import.meta.url).resolve('electron-builder'));
  return JSON.parse(readFileSync(fromBuilder.resolve('app-builder-lib/scheme.json'), 'utf8')) as ReturnType<typeof builderSchema>;
}

describe('electron-builder.yml', () => {
  it('uses only keys electron-builder knows, at the top and in every section this issue sets', () => {
    const schema = builderSchema();
    const unknown = (keys: string[], known: Record<string, unknown>) => keys.filter((k) => !Object.hasOwn(known, k));
    expect(unknown(Object.keys(config), schema.properties)).toEqual([]);
    expect(unknown(Object.keys(section('nsis')), schema.definitions.NsisOptions!.properties)).toEqual([]);
    expect(unknown(Object.keys(section('win')), schema.definitions.WindowsConfiguration!.properties)).toEqual([]);
    expect(unknown(Object.keys(section('electronFuses')), schema.definitions.FuseOptionsV1!.properties)).toEqual([]);
    expect(unknown(Object.keys(section('win').signtoolOptions as Mapping), schema.definitions.WindowsSigntoolConfiguration!.properties)).toEqual([]);
  });

  it('sets the Electron fuses: no RunAsNode, NODE_OPTIONS or --inspect; app.asar only, integrity-checked; cookies encrypted', () => {
    expect(section('electronFuses')).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false,
    });
    // Integrity validation needs the archive: asar must not be switched off.
    expect(config.asar).not.toBe(false);
  });

  it('installs per user without elevation, so a clerk on a standard account takes updates without UAC', () => {
    expect(section('win').target).toEqual(['nsis']);
    expect(section('win').requestedExecutionLevel).toBe('asInvoker');
    expect(section('nsis')).toMatchObject({ oneClick: true, perMachine: false, allowElevation: false, packElevateHelper: false });
  });

  it('keeps the data folder on uninstall', () => {
    expect(section('nsis').deleteAppDataOnUninstall).toBe(false);
    const uninstall = /!macro customUnInstall([\s\S]*?)!macroend/.exec(read('build/installer.nsh'))?.[1] ?? '';
    expect(uninstall).not.toMatch(/^\s*(RMDir|Delete)\b/im);
  });

  it('signs with a certificate from the environment, never one named in the file', () => {
    const win = section('win');
    for (const secret of ['cscLink', 'cscKeyPassword']) expect(win).not.toHaveProperty(secret);
    const signtool = win.signtoolOptions as Mapping;
    for (const secret of ['certificateFile', 'certificatePassword', 'certificateSha1']) expect(signtool).not.toHaveProperty(secret);
    expect(signtool.signingHashAlgorithms).toEqual(['sha256']);
    expect(win.verifyUpdateCodeSignature).toBe(true);
  });

  it('ships the built CLI and its Windows wrapper, and npm run build builds the CLI', () => {
    expect(config.files).toContain('out/**');
    expect(config.extraResources).toContainEqual({ from: 'build/motcua.cmd', to: 'motcua.cmd' });
    expect(config.extraResources).toContainEqual({ from: 'build/default-config.example.json', to: 'default-config.example.json' });
    const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    expect(pkg.scripts.build).toContain('node electron/cli/build-cli.mjs');
    const wrapper = read('build/motcua.cmd');
    expect(wrapper).toContain(`"%~dp0..\\${config.productName as string}.exe" --cli -- %*`);
    // Output through a file the GUI-subsystem child inherits; the wrapper returns the CLI's exit code.
    expect(wrapper).toMatch(/--cli -- %\* > "%MOTCUA_CLI_OUT%" 2>&1/);
    expect(wrapper).toContain('exit /b %MOTCUA_EXIT%');
    expect(wrapper.split('\n').slice(0, -1).every((l) => l.endsWith('\r'))).toBe(true);
  });
});

describe('build/installer.nsh', () => {
  const nsh = read('build/installer.nsh');

  it('is the include electron-builder uses', () => {
    expect(section('nsis').include).toBe('build/installer.nsh');
    expect(existsSync(path.join(repoRoot, 'build/installer.nsh'))).toBe(true);
  });

  it('writes into the folder the app reads: MOTCUA_DATA_DIR, else Local AppData\\Motcua', () => {
    expect(nsh).toContain('ReadEnvStr $R2 MOTCUA_DATA_DIR');
    const folder = /StrCpy \$R2 "(\$LOCALAPPDATA\\[^"]+)"/.exec(nsh)?.[1];
    expect(folder).toBe(counterDataDir({ platform: 'win32', env: { LOCALAPPDATA: '$LOCALAPPDATA' }, homeDir: 'C:\\Users\\x' }));
    expect(nsh).toContain(`"$R2\\${presetFileName}"`);
    expect(nsh).toContain(`"$R2\\${switchesFileName}"`);
  });

  it('passes exactly the switches the app understands, as UTF-16LE lines', () => {
    const written = [...nsh.matchAll(/!insertmacro motcuaWriteSwitch (\w+)/g)].map((m) => m[1]);
    expect(written).toEqual(Object.keys(installerSwitches));
    expect(nsh).toContain('FileWriteWord $R3 0xFEFF');
    expect(nsh).toMatch(/FileWriteUTF16LE \$R3 "\$\{NAME\}=\$R1\$\\r\$\\n"/);
  });
});
