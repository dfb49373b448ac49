/**
 * The counter's data folder when a command is given no `--data`: the app's own (services/data-location.ts),
 * which the installer and the app agree on, so what `enroll`, `config` and `doctor` touch is what the app reads.
 */
import { counterDataDir } from '../services/data-location';

export function defaultCounterDataDir(): string {
  return counterDataDir();
}
