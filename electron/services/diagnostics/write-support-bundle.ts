/**
 * The support bundle as the IT screen asks for it (issue 16, item 7: `diagnostics:support-bundle`): built as
 * `motcua support-bundle` builds it, written owner-only into `<data>/support/`, and only its path and size go back
 * to the renderer. IT copies the file from there (the data folder is the counter account's own).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import packageJson from '../../../package.json' with { type: 'json' };
import { buildSupportBundle } from './support-bundle';

export async function writeSupportBundle(opts: { dataDir: string; configFile: string; now: Date; doctorReport: () => Promise<unknown> }): Promise<{ file: string; bytes: number }> {
  const bundle = await buildSupportBundle({ dataDir: opts.dataDir, configFile: opts.configFile, appVersion: packageJson.version, now: () => opts.now, doctorReport: opts.doctorReport });
  const dir = path.join(opts.dataDir, 'support');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, `motcua-ho-tro-${opts.now.toISOString().slice(0, 19).replace(/[:T]/g, '-')}.zip`);
  await writeFile(file, bundle, { mode: 0o600 });
  return { file, bytes: bundle.byteLength };
}
