/**
 * The entry of the built CLI (out/cli/motcua.js, electron/cli/build-cli.mjs). Run by plain Node it runs the
 * command line; imported by the Electron shell (`<app> --cli …`, electron/main) it only hands `main` over.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { main } from './motcua';

export { main };

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) process.exitCode = await main(process.argv.slice(2));
