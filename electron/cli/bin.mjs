#!/usr/bin/env node
// `motcua` entry point of a checkout: runs the TypeScript CLI through tsx, so the CLI is the same code as the app,
// with the commands only a checkout has (the central, the demo: development-commands.ts).
import { register } from 'tsx/esm/api';

register();
const [{ main }, { checkoutCommands }] = await Promise.all([import('./motcua.ts'), import('./development-commands.ts')]);
process.exitCode = await main(process.argv.slice(2), checkoutCommands);
