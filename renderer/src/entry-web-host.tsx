// Composition root in plain Chromium: main-side services are served by the web host over HTTP.
import './platform/no-eval';
import { AppError } from '../../shared/errors';
import { describeError } from '../../shared/i18n/error-messages';
import { createHttpBridge, readLaunchToken } from './platform/http-bridge';
import { uiEn } from './i18n/ui-en';
import { uiVi } from './i18n/ui-vi';
import { browserPagePrinter } from './platform/page-printer';
import { startApp } from './app/start';

// The launch token (issue 17): read from the address once, then sent as a header on every call to the host.
const token = readLaunchToken(window.location, window.history, window.sessionStorage);

// Printing: the browser's own window.print() (the web host cannot print a browser's page from the server).
startApp(createHttpBridge(window.location.origin + '/', token ? { token } : {}), () => browserPagePrinter()).catch((err: unknown) => {
  // Before the configuration is read there is no locale: say it in both languages (opened without the token,
  // the host stopped…), rather than leave a blank page.
  const root = document.getElementById('root');
  // Failures after the app drew itself are the app's to show; this page is only for a start that never got there.
  if (!root || root.childElementCount > 0) return;
  const lines = err instanceof AppError ? [describeError('vi', err.code, err.details), describeError('en', err.code, err.details)] : [String(err)];
  const box = document.createElement('main');
  box.setAttribute('role', 'alert');
  box.dataset['testid'] = 'start-failure';
  box.className = 'app-main storage-failure';
  const heading = document.createElement('h1');
  heading.textContent = `${uiVi.webHostStart.failed} · ${uiEn.webHostStart.failed}`;
  box.append(heading);
  for (const line of lines) {
    const paragraph = document.createElement('p');
    paragraph.className = 'error';
    paragraph.textContent = line;
    box.append(paragraph);
  }
  root.replaceChildren(box);
});
