/**
 * The counter's data folder when a command is given no `--data`: today the CLI's historical default
 * (`.motcua-data/counter` under the current folder). The one place `enroll`, `config` and `doctor` ask, so the
 * machine-wide data location (issue 16 item 9, made by the packaging work) replaces it in one line.
 */
import path from 'node:path';

export function defaultCounterDataDir(): string {
  return path.resolve('.motcua-data/counter');
}
