/**
 * The one place the counter's data lives on a PC — config.json, device.json, the spool, the audit log, the
 * data key and Chromium's own IndexedDB — agreed by the installer (build/installer.nsh writes the preset
 * there), the Electron shell (main sets `userData` to it before the app is ready), the web host and the CLI
 * (their default `--data`). docs/deployment.md argues the choice:
 *
 * - **per Windows user, in Local AppData** (`%LOCALAPPDATA%\Motcua`): the install is per user
 *   (`perMachine: false`) so that a clerk on a standard account can take updates without UAC, and the data key
 *   and device credential are sealed with the user's DPAPI key (safeStorage), which another account cannot
 *   open anyway. Local, not Roaming: a roaming profile must not copy a queue of scanned dossiers around.
 * - `MOTCUA_DATA_DIR` (absolute) overrides it everywhere: the demo, tests, and IT moving data to another disk.
 *
 * Plain Node: no `electron` here, so the CLI and tests resolve exactly what the app resolves.
 */
import os from 'node:os';
import path from 'node:path';

/** What the location depends on; the current process's by default, a stand-in in tests. */
export interface MachineContext {
  readonly platform: NodeJS.Platform;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly homeDir: string;
}

function currentMachine(): MachineContext {
  return { platform: process.platform, env: process.env, homeDir: os.homedir() };
}

/** The environment variable that moves the counter's data folder (absolute path). */
const dataDirEnvVar = 'MOTCUA_DATA_DIR';

/** The folder's name under the platform's per-user application data folder. */
const folderName = { win32: 'Motcua', darwin: 'Motcua', other: 'motcua' } as const;

/** The counter's data folder on this PC for this OS user (see the header for why per user). */
export function counterDataDir(machine: MachineContext = currentMachine()): string {
  const fromEnv = machine.env[dataDirEnvVar]?.trim();
  const paths = machine.platform === 'win32' ? path.win32 : path.posix;
  if (fromEnv) {
    // A relative override would mean something different for the installer, a shortcut and a scheduled task.
    if (!paths.isAbsolute(fromEnv)) throw new Error(`${dataDirEnvVar} phải là đường dẫn tuyệt đối (is not absolute): ${fromEnv}`);
    return paths.normalize(fromEnv);
  }
  switch (machine.platform) {
    case 'win32': {
      const localAppData = machine.env.LOCALAPPDATA?.trim() || path.win32.join(machine.homeDir, 'AppData', 'Local');
      return path.win32.join(localAppData, folderName.win32);
    }
    case 'darwin':
      return path.posix.join(machine.homeDir, 'Library', 'Application Support', folderName.darwin);
    default: {
      // XDG base directories: data, not configuration (the folder holds the queue, not only config.json).
      const xdgDataHome = machine.env.XDG_DATA_HOME?.trim();
      const base = xdgDataHome && path.posix.isAbsolute(xdgDataHome) ? xdgDataHome : path.posix.join(machine.homeDir, '.local', 'share');
      return path.posix.join(base, folderName.other);
    }
  }
}

/** The counter's configuration file (what electron/services/config.ts reads). */
export function counterConfigPath(machine: MachineContext = currentMachine()): string {
  return (machine.platform === 'win32' ? path.win32 : path.posix).join(counterDataDir(machine), 'config.json');
}
