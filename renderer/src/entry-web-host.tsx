// Composition root in plain Chromium: main-side services are served by the web host over HTTP.
import './platform/no-eval';
import { createHttpBridge } from './platform/http-bridge';
import { browserPagePrinter } from './platform/page-printer';
import { startApp } from './app/start';

// Printing: the browser's own window.print() (the web host cannot print a browser's page from the server).
void startApp(createHttpBridge(window.location.origin + '/'), () => browserPagePrinter());
