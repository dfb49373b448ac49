import { resolve } from 'node:path';
import { defineConfig } from 'vite';

/** Builds the fault-injection counter page (tests/fault/counter-page/dist): real renderer code, no React. */
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  logLevel: 'warn',
  build: {
    outDir: resolve(import.meta.dirname, 'dist'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 4096,
  },
});
