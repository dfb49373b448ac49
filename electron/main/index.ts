/**
 * The Electron shell: a thin, privileged host. It creates the locked-down window, serves the renderer
 * from the app:// scheme with the CSP, and answers the IPC contract with the main-side services. Every
 * rule it applies is a small pure function in electron/services/security, tested in Node.
 */
import { app, BrowserWindow, dialog, ipcMain, net, powerMonitor, protocol, session, type IpcMainInvokeEvent } from 'electron';
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

const rendererDir = path.join(import.meta.dirname, '../renderer');
const preloadPath = path.join(import.meta.dirname, '../preload/index.cjs');

protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

function senderFrame(event: IpcMainInvokeEvent): { url: string; isTopFrame: boolean } | null {
  const frame = event.senderFrame;
  return frame ? { url: frame.url, isTopFrame: frame.parent === null } : null;
}

async function start(): Promise<void> {
  const dataDir = process.env.MOTCUA_DATA_DIR ?? app.getPath('userData');
  // The renderer's IndexedDB is under userData even when MOTCUA_DATA_DIR moves the host's own files.
  // Only `motcua demo` (npm start) sets MOTCUA_DEMO: an installed counter without its config.json stops with
  // CONFIG_MISSING naming the file instead of starting as a demo counter (issue 17).
  const host = await openCounterHost({
    dataDir,
    demo: process.env.MOTCUA_DEMO === '1',
    storageDir: app.getPath('userData'),
    credentialCipher: safeStorageCipher,
    ...(process.env.MOTCUA_CENTRAL_URL ? { centralUrl: process.env.MOTCUA_CENTRAL_URL } : {}),
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

  for (const channel of ipcChannelNames) {
    ipcMain.handle(channel, async (event, payload: unknown): Promise<IpcResult<unknown>> => {
      if (!isTrustedSender(senderFrame(event))) return { ok: false, error: { code: 'IPC_FORBIDDEN_SENDER', details: {} } };
      // `print:page` prints the window that asked (its page holds the form laid out for print), so its
      // handler is bound to the sender here; every other channel is the shared host's.
      const handlers: IpcHandlers = channel === 'print:page' ? { ...host.handlers, 'print:page': () => printContents(event.sender, host.config.printing) } : host.handlers;
      return dispatchIpc(handlers, channel, payload, (name, err) => console.error(`[ipc] ${name} failed`, err));
    });
  }

  const window = new BrowserWindow({
    width: 1366,
    height: 860,
    show: false,
    title: 'Một cửa — Tiếp nhận hồ sơ',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      spellcheck: false,
    },
  });
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

// One counter app per user account: a second copy (the icon double-clicked twice) would open the same
// IndexedDB from another process and draw dossier numbers from the same sequence. It only brings the first
// window forward.
if (!app.requestSingleInstanceLock()) {
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
