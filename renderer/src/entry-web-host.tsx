// Composition root in plain Chromium: main-side services are served by the web host over HTTP.
import { createHttpBridge } from './platform/http-bridge';
import { startApp } from './app/start';

void startApp(createHttpBridge(window.location.origin + '/'));
