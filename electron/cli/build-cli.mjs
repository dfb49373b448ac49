#!/usr/bin/env node
// Builds the `motcua` CLI as JavaScript into out/cli/ (run by `npm run build`), so it ships inside the packaged
// app (`files: out/**`) and runs through the app's own executable (`<app> --cli …`) or plain Node — no tsx, no
// TypeScript at run time. npm packages stay outside the bundle (the app's node_modules: the same versions main
// uses). The worker threads are entries of their own and every chunk sits beside them, because the code that
// starts a worker finds it as `./pkcs11-worker.js` / `./page-worker.js` next to itself (pkcs11-client.ts,
// page-cleaner.ts).
//
// The counter app's CLI only (run.ts → motcua.ts's counterCommands): the central and the demo are a checkout's
// (development-commands.ts). A build that pulls in any file of central/ fails, naming the chain of imports
// (issue 18 item 7: the central's server stack does not ship to counter PCs).
import { cp } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Builds into `outDir` (default out/cli); returns the path of the entry, `motcua.js`, and esbuild's metafile
 * (inputs and the npm packages left outside the bundle).
 */
export async function buildCli({ outDir = path.join(repoRoot, 'out', 'cli') } = {}) {
  const { metafile } = await build({
    absWorkingDir: repoRoot,
    entryPoints: {
      motcua: 'electron/cli/run.ts',
      'pkcs11-worker': 'electron/services/signing/pkcs11-worker.ts',
      'page-worker': 'electron/services/imaging/page-worker.ts',
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
    metafile: true,
  });
  refuseCentralFiles(metafile);
  // `form` and `sign --appearance copy` draw with the receipt font; the built CLI finds it beside itself (font-dir.ts).
  await cp(path.join(repoRoot, 'shared', 'assets', 'fonts'), path.join(outDir, 'fonts'), { recursive: true });
  return { entry: path.join(outDir, 'motcua.js'), metafile };
}

/** Throws if any input of the bundle lies in central/, with the imports that led there. */
export function refuseCentralFiles(metafile) {
  const central = Object.keys(metafile.inputs).filter((file) => file.startsWith('central/'));
  if (!central.length) return;
  const importers = (file) => Object.entries(metafile.inputs).filter(([, input]) => input.imports.some((i) => i.path === file)).map(([name]) => name);
  const chain = [central[0]];
  for (let from = importers(central[0])[0]; from && !chain.includes(from); from = importers(from)[0]) chain.unshift(from);
  throw new Error(`the counter's CLI must not carry the central, but it imports ${central.length} file(s) of central/: ${chain.join(' → ')}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { entry } = await buildCli();
  console.log(`motcua CLI built: ${path.relative(repoRoot, entry)}`);
}
