#!/usr/bin/env node
// `npm run pack:contents`: the npm packages electron-builder would copy into the counter app, found the way
// electron-builder finds them (its own collector, app-builder-lib's NpmNodeModulesCollector: `npm list` of the
// production tree, hoisted) — without packing, since the Electron binary cannot be downloaded here. Prints the
// count, the size on disk and the largest packages (issue 18 item 7: the central's server stack stays out).
// The collector is an internal module of app-builder-lib: if an upgrade moves it, this script and its test fail
// loudly rather than list something else.
import { createRequire } from 'node:module';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// The collector of the electron-builder installed here, resolved from it (not a second copy at another version).
const fromElectronBuilder = createRequire(createRequire(import.meta.url).resolve('electron-builder'));
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

async function sizeOf(dir) {
  let bytes = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) bytes += await sizeOf(full);
    else if (entry.isFile()) bytes += (await stat(full)).size;
  }
  return bytes;
}

/** Every package electron-builder would pack for the app in `rootDir`: name, version, folder, bytes on disk. */
export async function packContents(rootDir = repoRoot) {
  const { NpmNodeModulesCollector } = fromElectronBuilder('app-builder-lib/out/node-module-collector/npmNodeModulesCollector');
  const { TmpDir } = fromElectronBuilder('builder-util');
  const tmp = new TmpDir('motcua-pack-contents');
  try {
    const { name } = JSON.parse(await readFile(path.join(rootDir, 'package.json'), 'utf8'));
    const { nodeModules } = await new NpmNodeModulesCollector(rootDir, tmp).getNodeModules({ packageName: name });
    const found = [];
    const walk = (modules) => {
      for (const m of modules) {
        found.push(m);
        if (m.dependencies) walk(m.dependencies);
      }
    };
    walk(nodeModules);
    return Promise.all(found.map(async (m) => ({ name: m.name, version: m.version, dir: m.dir, bytes: await sizeOf(m.dir) })));
  } finally {
    await tmp.cleanup();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const packages = await packContents();
  const mib = (bytes) => (bytes / 1048576).toFixed(1);
  const total = packages.reduce((sum, p) => sum + p.bytes, 0);
  console.log(`electron-builder would pack ${packages.length} npm packages, ${mib(total)} MiB on disk; the largest:`);
  for (const p of packages.sort((a, b) => b.bytes - a.bytes).slice(0, Number(process.argv[2] ?? 20))) console.log(`${mib(p.bytes).padStart(7)} MiB  ${p.name}@${p.version}`);
}
