/**
 * Where the CLI finds the receipt fonts (Liberation Serif) for `form` and `sign --appearance copy`: beside the
 * built CLI (out/cli/fonts, copied by build-cli.mjs, so the CLI inside the packaged app has them), else in the
 * repository (shared/assets/fonts, the CLI run through tsx).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FONT_ASSET_DIR, fontFiles } from '../../shared/pdf/fonts';

export function cliFontDir(moduleUrl: string): string {
  const beside = fileURLToPath(new URL('./fonts/', moduleUrl));
  if (existsSync(path.join(beside, fontFiles.regular))) return beside;
  // electron/cli/commands/<command>.ts → the repository root.
  return path.resolve(path.dirname(fileURLToPath(moduleUrl)), '..', '..', '..', FONT_ASSET_DIR);
}
