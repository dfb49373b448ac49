/**
 * The Electron shell: a thin, privileged host. It creates the locked-down window, serves the renderer
 * from the app:// scheme with the CSP, and answers the IPC contract with the main-side services. Every
 * rule it applies is a small pure function in electron/services/security, tested in Node.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, net, powerMonitor, protocol, session, type BrowserWindowConstructorOptions, type IpcMainInvokeEvent } from 'electron';
import { appendFile, mkdir } from 'node:fs/promises';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { AppError } from '../../shared/errors';
import { describeError } from '../../shared/i18n/error-messages';
import { ipcChannelNames } from '../../shared/ipc/channels';
import { dispatchIpc } from '../../shared/ipc/dispatch';
import type { IpcHandlers, IpcResult } from '../../shared/ipc/contract';
import { openCounterHost } from '../services/counter-host';
import { printContents } from '../services/printing';
import { safeStorageCipher } from './safe-storage-cipher';
import { startCrashReports } from './crash-reports';
import { contentSecurityPolicy } from '../services/security/csp';
import { appOrigin, isAllowedNavigation, isTrustedSender } from '../services/security/navigation';
import { isAllowedPermission } from '../services/security/permissions';
import { resolveInside } from '../services/security/paths';
import { createSenderRefusalLog } from '../services/security/sender-refusals';
import { applicationMenuFor, diagnosticsRequested, webPreferencesFor, type LaunchFacts } from '../services/security/window-policy';
import { counterDataDir } from '../services/data-location';
import { applyInstallerPreset } from '../services/installer-preset';
import { KioskExitGate, KioskPinEntry, kioskWindowOptions } from '../services/kiosk';
import { launchModeFrom } from '../services/launch-mode';
import { moveLegacyCounterData } from '../services/legacy-data';

const rendererDir = path.join(import.meta.dirname, '../renderer');
const preloadPath = path.join(import.meta.dirname, '../preload/index.cjs');
// The CLI built beside main (electron/cli/build-cli.mjs), run by `<app> --cli …` (launch-mode.ts).
const cliEntry = path.join(import.meta.dirname, '../cli/motcua.js');

const launch = launchModeFrom(process.argv);
const launchFacts: LaunchFacts = { packaged: app.isPackaged, diagnostics: diagnosticsRequested(process.env) };
// One data folder for the installer, the CLI and the app (data-location.ts): Chromium's IndexedDB goes there too,
// so `MOTCUA_DATA_DIR` (the demo, IT) moves everything together. Must be set before the app is ready.
const dataDir = counterDataDir();
// A counter updated from a version that kept everything in Electron's default userData keeps its queue: moved
// here before Chromium opens anything (legacy-data.ts). The CLI never moves data.
const legacyMove = launch.kind === 'app' && !process.env.MOTCUA_DATA_DIR ? moveLegacyCounterData(app.getPath('userData'), dataDir) : { state: 'nothing' as const };
app.setPath('userData', dataDir);
const securityLog = path.join(dataDir, 'logs', 'security.log');

function appendLogLine(file: string, line: string): void {
  void mkdir(path.dirname(file), { recursive: true })
    .then(() => appendFile(file, `${line}\n`, 'utf8'))
    .catch((err: unknown) => console.error(`motcua: could not write ${file}`, err));
}

protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

function senderFrame(event: IpcMainInvokeEvent): { url: string; isTopFrame: boolean } | null {
  const frame = event.senderFrame;
  return frame ? { url: frame.url, isTopFrame: frame.parent === null } : null;
}

/**
 * Runs a verified update installer silently (NSIS `/S`; `--updated --force-run` as electron-updater passes them:
 * start the app again afterwards) and quits, so the installer can replace the files.
 */
function runInstallerAndQuit(file: string): Promise<void> {
  spawn(file, ['/S', '--updated', '--force-run'], { detached: true, stdio: 'ignore' }).unref();
  app.quit();
  return Promise.resolve();
}

async function start(): Promise<void> {
  if (applicationMenuFor(launchFacts) === 'none') Menu.setApplicationMenu(null);
  if (launchFacts.packaged && launchFacts.diagnostics) appendLogLine(securityLog, `${new Date().toISOString()} diagnostics: DevTools enabled for this launch (MOTCUA_DIAGNOSTICS=1)`);
  if (legacyMove.state === 'moved') appendLogLine(path.join(dataDir, 'logs', 'first-start.log'), `${new Date().toISOString()} legacy userData moved here: ${legacyMove.entries} entries${legacyMove.leftBehind.length ? `, left behind: ${legacyMove.leftBehind.join(', ')}` : ''}`);
  // A silent install's preset becomes config.json and an enrolled device, once (installer-preset.ts).
  const firstStart = await applyInstallerPreset({ dataDir, cipher: safeStorageCipher });
  if (firstStart.preset !== 'none' || firstStart.enrollment.state !== 'none') {
    const { enrollment } = firstStart;
    const outcome = enrollment.state === 'refused' ? `refused ${enrollment.error.message}` : enrollment.state === 'enrolled' && enrollment.mismatch ? `enrolled MISMATCH ${enrollment.mismatch}` : enrollment.state;
    appendLogLine(path.join(dataDir, 'logs', 'first-start.log'), `${new Date().toISOString()} preset=${firstStart.preset} enrollment=${outcome}`);
  }
  // Only `motcua demo` (npm start) sets MOTCUA_DEMO: an installed counter without its config.json stops with
  // CONFIG_MISSING naming the file instead of starting as a demo counter (issue 17).
  const host = await openCounterHost({
    dataDir,
    demo: process.env.MOTCUA_DEMO === '1',
    storageDir: dataDir,
    credentialCipher: safeStorageCipher,
    ...(process.env.MOTCUA_CENTRAL_URL ? { centralUrl: process.env.MOTCUA_CENTRAL_URL } : {}),
    // Issue 16: updates from the central, for an installed app only (a development run has no installer to replace).
    ...(app.isPackaged ? { updates: { appVersion: app.getVersion(), idleSeconds: () => powerMonitor.getSystemIdleTime(), install: runInstallerAndQuit } } : {}),
  });
  await startCrashReports(host);
  const csp = contentSecurityPolicy(host.config.centralUrl);
  // A page still being read by OCR must not keep the app alive after its window closed.
  app.once('will-quit', () => void host.close());
  // A clerk who walks away locks the screen (or the PC sleeps): the signing keys lock with it (issue 17).
  powerMonitor.on('lock-screen', () => void host.lockSigners('screen-lock').catch(() => undefined));
  powerMonitor.on('suspend', () => void host.lockSigners('suspend').catch(() => undefined));

  protocol.handle('app', async (request) => {
    const file = resolveInside(rendererDir, new URL(request.url).pathname);
    if (!file) return new Response('Not found', { status: 404 });
    const response = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', csp);
    return new Response(response.body, { status: response.status, headers });
  });

  // The camera (video only) for the app's own pages; every other permission is denied.
  session.defaultSession.setPermissionRequestHandler((contents, permission, callback, details) => {
    const mediaTypes = 'mediaTypes' in details ? (details.mediaTypes ?? []) : [];
    callback(isAllowedPermission({ permission, url: details.requestingUrl ?? contents?.getURL() ?? '', mediaTypes }));
  });
  session.defaultSession.setPermissionCheckHandler((contents, permission, requestingOrigin, details) => {
    const mediaType = details.mediaType;
    return isAllowedPermission({ permission, url: details.requestingUrl ?? requestingOrigin ?? contents?.getURL() ?? '', ...(mediaType ? { mediaTypes: [mediaType] } : {}) });
  });

  const logRefusedSender = createSenderRefusalLog({ write: (line) => appendLogLine(securityLog, line) });
  for (const channel of ipcChannelNames) {
    ipcMain.handle(channel, async (event, payload: unknown): Promise<IpcResult<unknown>> => {
      const frame = senderFrame(event);
      if (!isTrustedSender(frame)) {
        logRefusedSender({ channel, url: frame?.url ?? null, isTopFrame: frame?.isTopFrame ?? false });
        return { ok: false, error: { code: 'IPC_FORBIDDEN_SENDER', details: {} } };
      }
      // `print:page` prints the window that asked (its page holds the form laid out for print), so its
      // handler is bound to the sender here; every other channel is the shared host's.
      const handlers: IpcHandlers = channel === 'print:page' ? { ...host.handlers, 'print:page': () => printContents(event.sender, host.config.printing) } : host.handlers;
      return dispatchIpc(handlers, channel, payload, (name, err) => console.error(`[ipc] ${name} failed`, err));
    });
  }

  const windowOptions = {
    width: 1366,
    height: 860,
    show: false,
    title: 'Một cửa — Tiếp nhận hồ sơ',
    webPreferences: webPreferencesFor(launchFacts, preloadPath),
    ...kioskWindowOptions(host.config.kiosk),
  } satisfies BrowserWindowConstructorOptions;
  const window = new BrowserWindow(windowOptions);
  // Kiosk mode: the window does not close and the app does not quit until IT's PIN opened the gate (kiosk.ts).
  const exitGate = new KioskExitGate(host.config.kiosk);
  if (exitGate.enabled) {
    window.on('close', (event) => {
      if (!exitGate.quitAllowed()) event.preventDefault();
    });
    app.on('before-quit', (event) => {
      if (!exitGate.quitAllowed()) event.preventDefault();
    });
    // IT's way out: Ctrl+Alt+Shift+Q, the PIN typed blind, Enter (KioskPinEntry); the page never sees the keys.
    const pinEntry = new KioskPinEntry();
    window.webContents.on('before-input-event', (event, input) => {
      const outcome = pinEntry.onKey(input, Date.now());
      if (outcome.consume) event.preventDefault();
      if (outcome.submitted === undefined) return;
      void exitGate.tryPin(outcome.submitted).then(async (verdict) => {
        appendLogLine(securityLog, `${new Date().toISOString()} kiosk-exit ${verdict}`);
        if (verdict === 'unlocked') return app.quit();
        const message = verdict === 'locked' ? 'Nhập sai quá nhiều lần: tạm khóa 5 phút.\nToo many wrong PINs: locked for 5 minutes.' : 'Sai mã PIN thoát kiosk.\nWrong kiosk exit PIN.';
        await dialog.showMessageBox(window, { type: 'warning', title: 'Một cửa', message });
      });
    });
  }
  window.once('ready-to-show', () => window.show());
  await window.loadURL(`${appOrigin}/index.html`);
}

app.on('web-contents-created', (_event, contents) => {
  contents.on('will-navigate', (event, url) => {
    if (!isAllowedNavigation(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAllowedNavigation(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
});

app.on('window-all-closed', () => app.quit());

// Chromium's own formats (number inputs, spell-check, the print dialog) follow this, not the operating
// system's language: an English Windows would otherwise show month-first dates. The app's own dates are
// dd/mm/yyyy text fields whatever this says.
app.commandLine.appendSwitch('lang', 'vi');

/** `<app> --cli …`: the `motcua` CLI in this process, no window, the command's exit code (launch-mode.ts). */
async function runCli(args: readonly string[]): Promise<void> {
  app.disableHardwareAcceleration();
  try {
    const cli = (await import(pathToFileURL(cliEntry).href)) as { main: (argv: string[]) => Promise<number> };
    app.exit(await cli.main([...args]));
  } catch (err) {
    console.error('motcua --cli:', err);
    app.exit(1);
  }
}

// One counter app per user account: a second copy (the icon double-clicked twice) would open the same
// IndexedDB from another process and draw dossier numbers from the same sequence. It only brings the first
// window forward. The CLI (`--cli`) is not the app: it takes no lock and opens no window.
if (launch.kind === 'cli') {
  void runCli(launch.args);
} else if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    const [window] = BrowserWindow.getAllWindows();
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app
    .whenReady()
    .then(start)
    .catch((err: unknown) => {
      console.error('motcua: could not start', err);
      // The installer sees what is wrong (a malformed config.json, a unit code off the QCVN format…) in Vietnamese.
      const text = err instanceof AppError ? `${describeError('vi', err.code, err.details)}\n\n${describeError('en', err.code, err.details)}` : `${err instanceof Error ? err.message : String(err)}`;
      dialog.showErrorBox('Không khởi động được ứng dụng Một cửa', text);
      app.exit(1);
    });
}
