#!/usr/bin/env node
// The tests' `motcua central` (central-test-entry.ts) through tsx, when the run's bundle of it is absent.
import { register } from 'tsx/esm/api';

register();
const { run } = await import('./central-test-entry.ts');
process.exitCode = await run(process.argv.slice(2));
