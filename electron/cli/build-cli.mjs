#!/usr/bin/env node
// Builds the `motcua` CLI as JavaScript into out/cli/ (run by `npm run build`), so it ships inside the packaged
// app (`files: out/**`) and runs through the app's own executable (`<app> --cli …`) or plain Node — no tsx, no
// TypeScript at run time. npm packages stay outside the bundle (the app's node_modules: the same versions main
// uses). The worker threads are entries of their own and every chunk sits beside them, because the code that
// starts a worker finds it as `./pkcs11-worker.js` / `./page-worker.js` / `./signature-worker.js` next to itself
// (pkcs11-client.ts, page-cleaner.ts, central/src/signatures/pool.ts).
import { cp } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Builds into `outDir` (default out/cli); returns the path of the entry, `motcua.js`. */
export async function buildCli({ outDir = path.join(repoRoot, 'out', 'cli') } = {}) {
  await build({
    absWorkingDir: repoRoot,
    entryPoints: {
      motcua: 'electron/cli/run.ts',
      'pkcs11-worker': 'electron/services/signing/pkcs11-worker.ts',
      'page-worker': 'electron/services/imaging/page-worker.ts',
      'signature-worker': 'central/src/signatures/worker.ts',
    },
    outdir: outDir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    packages: 'external',
    chunkNames: '[name]-[hash]',
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  // `form` and `sign --appearance copy` draw with the receipt font; the built CLI finds it beside itself (font-dir.ts).
  await cp(path.join(repoRoot, 'shared', 'assets', 'fonts'), path.join(outDir, 'fonts'), { recursive: true });
  return path.join(outDir, 'motcua.js');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const entry = await buildCli();
  console.log(`motcua CLI built: ${path.relative(repoRoot, entry)}`);
}
