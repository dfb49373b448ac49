import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * Builds both renderer entry points into renderer/dist: index.html (Electron, bridge from the preload)
 * and web-host.html (any Chromium, bridge over HTTP). They differ only in their composition root.
 */
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [react()],
  build: {
    outDir: resolve(import.meta.dirname, 'dist'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 4096,
    rollupOptions: { input: { index: resolve(import.meta.dirname, 'index.html'), webHost: resolve(import.meta.dirname, 'web-host.html') } },
  },
  server: { fs: { allow: [resolve(import.meta.dirname, '..')] } },
});
