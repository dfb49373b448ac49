// Composition root inside Electron: main is reached through the preload's bridge.
import type { MotcuaBridge } from '../../shared/ipc/contract';
import { startApp } from './app/start';

declare global {
  interface Window {
    readonly motcua: MotcuaBridge;
  }
}

void startApp(window.motcua);
