/**
 * What the counter's window may do, decided from two facts: whether this is the packaged app (an installed
 * counter) and whether IT asked for diagnostics for this launch. Pure, so it is tested in Node; electron/main
 * passes the result to `new BrowserWindow` and `Menu.setApplicationMenu` (issue 16 item 2).
 *
 * - Packaged: no application menu (its default carries Reload, Toggle DevTools and their shortcuts, e.g.
 *   Ctrl+Shift+I) and `devTools: false`, so neither a shortcut nor a stray call opens them.
 * - Diagnostics (`MOTCUA_DIAGNOSTICS=1` in the environment of that one launch, set by IT from its own prompt,
 *   docs/deployment.md): DevTools and the default menu come back, and main writes that it happened to the
 *   security log. It is a convenience gate, not a boundary against the Windows user who owns a per-user install;
 *   that boundary is the kiosk account (Shell Launcher, AppLocker).
 * - Development (`npm start`): as diagnostics.
 */
const diagnosticsEnvVar = 'MOTCUA_DIAGNOSTICS';

export interface LaunchFacts {
  /** `app.isPackaged`. */
  readonly packaged: boolean;
  /** IT asked for diagnostics for this launch (`diagnosticsRequested`). */
  readonly diagnostics: boolean;
}

/** Only the exact value "1": a variable left over with "0" or "false" must not open DevTools. */
export function diagnosticsRequested(env: Readonly<Record<string, string | undefined>>): boolean {
  return env[diagnosticsEnvVar] === '1';
}

/** Whether DevTools may open in this launch. */
export function devToolsAllowed(facts: LaunchFacts): boolean {
  return !facts.packaged || facts.diagnostics;
}

/** The application menu: none in an installed counter, Electron's default (with its developer shortcuts) otherwise. */
export function applicationMenuFor(facts: LaunchFacts): 'none' | 'electron-default' {
  return devToolsAllowed(facts) ? 'electron-default' : 'none';
}

/** The `webPreferences` of the counter's window: the sandboxed, isolated renderer, DevTools per `devToolsAllowed`. */
export function webPreferencesFor(facts: LaunchFacts, preloadPath: string) {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
    devTools: devToolsAllowed(facts),
  } as const;
}
