/**
 * One data folder per PC user, agreed by the installer (build/installer.nsh), the shell, the web host and the
 * CLI (electron/services/data-location.ts; docs/deployment.md argues per user).
 */
import { describe, expect, it } from 'vitest';
import { counterConfigPath, counterDataDir, type MachineContext } from '../../../electron/services/data-location';

const windowsClerk: MachineContext = { platform: 'win32', env: { LOCALAPPDATA: 'C:\\Users\\quay1\\AppData\\Local', APPDATA: 'C:\\Users\\quay1\\AppData\\Roaming' }, homeDir: 'C:\\Users\\quay1' };

describe('counter data location', () => {
  it('is Local AppData\\Motcua on Windows (never the roaming profile), as the installer writes it', () => {
    expect(counterDataDir(windowsClerk)).toBe('C:\\Users\\quay1\\AppData\\Local\\Motcua');
    expect(counterConfigPath(windowsClerk)).toBe('C:\\Users\\quay1\\AppData\\Local\\Motcua\\config.json');
    // A session without LOCALAPPDATA (a service started oddly) still lands in the same folder.
    expect(counterDataDir({ ...windowsClerk, env: {} })).toBe('C:\\Users\\quay1\\AppData\\Local\\Motcua');
  });

  it('follows the XDG data folder on Linux and Application Support on macOS', () => {
    expect(counterDataDir({ platform: 'linux', env: {}, homeDir: '/home/quay1' })).toBe('/home/quay1/.local/share/motcua');
    expect(counterDataDir({ platform: 'linux', env: { XDG_DATA_HOME: '/data/quay1' }, homeDir: '/home/quay1' })).toBe('/data/quay1/motcua');
    // A relative XDG_DATA_HOME is invalid by the XDG spec and ignored.
    expect(counterDataDir({ platform: 'linux', env: { XDG_DATA_HOME: 'rel' }, homeDir: '/home/quay1' })).toBe('/home/quay1/.local/share/motcua');
    expect(counterDataDir({ platform: 'darwin', env: {}, homeDir: '/Users/quay1' })).toBe('/Users/quay1/Library/Application Support/Motcua');
  });

  it('is moved by an absolute MOTCUA_DATA_DIR everywhere, and refuses a relative one', () => {
    expect(counterDataDir({ ...windowsClerk, env: { ...windowsClerk.env, MOTCUA_DATA_DIR: 'D:\\Motcua\\' } })).toBe('D:\\Motcua\\');
    expect(counterConfigPath({ ...windowsClerk, env: { MOTCUA_DATA_DIR: 'D:\\Motcua' } })).toBe('D:\\Motcua\\config.json');
    expect(counterDataDir({ platform: 'linux', env: { MOTCUA_DATA_DIR: '/srv/motcua/../motcua' }, homeDir: '/home/q' })).toBe('/srv/motcua');
    expect(() => counterDataDir({ platform: 'linux', env: { MOTCUA_DATA_DIR: 'data' }, homeDir: '/home/q' })).toThrow(/MOTCUA_DATA_DIR/);
  });
});
