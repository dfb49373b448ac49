import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

/** Builds the Electron shell: main (ESM), the sandboxed preload (CommonJS, as sandboxing requires), the renderer. */
export default defineConfig({
  main: {
    // The PKCS#11 worker is its own entry: token calls run in a worker thread, never on main's event loop.
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve(import.meta.dirname, 'electron/main/index.ts'),
          'pkcs11-worker': resolve(import.meta.dirname, 'electron/services/signing/pkcs11-worker.ts'),
          // Page clean-up runs in a worker thread too (electron/services/imaging/page-cleaner.ts).
          'page-worker': resolve(import.meta.dirname, 'electron/services/imaging/page-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: { input: resolve(import.meta.dirname, 'electron/preload/index.ts'), output: { format: 'cjs', entryFileNames: 'index.cjs' } },
    },
  },
  renderer: {
    root: resolve(import.meta.dirname, 'renderer'),
    plugins: [react()],
    build: { outDir: resolve(import.meta.dirname, 'out/renderer'), rollupOptions: { input: resolve(import.meta.dirname, 'renderer/index.html') } },
  },
});
