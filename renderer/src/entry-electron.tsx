// Composition root inside Electron: main is reached through the preload's bridge.
import './platform/no-eval';
import type { MotcuaBridge } from '../../shared/ipc/contract';
import { mainPagePrinter } from './platform/page-printer';
import { startApp } from './app/start';

declare global {
  interface Window {
    readonly motcua: MotcuaBridge;
  }
}

// Printing goes through main (`print:page`): it can print silently to the counter's configured printer.
void startApp(window.motcua, mainPagePrinter);
