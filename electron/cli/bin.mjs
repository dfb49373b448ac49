#!/usr/bin/env node
// `motcua` entry point: runs the TypeScript CLI through tsx, so the CLI is the same code as the app.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./motcua.ts');
process.exitCode = await main(process.argv.slice(2));
