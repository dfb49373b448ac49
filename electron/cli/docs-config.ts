/**
 * `npm run docs:config`: writes docs/configuration.md from the configuration schema (config-reference.ts).
 * Not a `motcua` command: a step for whoever changes the schema.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { renderConfigurationReference } from '../services/config-reference';

const target = path.resolve(import.meta.dirname, '..', '..', 'docs', 'configuration.md');
await writeFile(target, renderConfigurationReference(), 'utf8');
console.log(`written ${path.relative(process.cwd(), target)}`);
