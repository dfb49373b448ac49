/**
 * `motcua kiosk-pin --pin-env <VAR>`: prints the scrypt hash of a kiosk exit PIN for `kiosk.exitPinHash` in
 * config.json (electron/services/kiosk.ts). The PIN is read from an environment variable, never from the command
 * line, where it would stay in the shell's history and the process list.
 */
import { parseArgs } from 'node:util';
import { hashKioskPin, kioskPinPattern } from '../../services/kiosk';

const usage = 'Cách dùng: motcua kiosk-pin --pin-env <BIẾN MÔI TRƯỜNG chứa mã PIN 6–12 chữ số>';

export async function run(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { 'pin-env': { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } } });
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const variable = values['pin-env'];
  if (!variable) {
    console.error(usage);
    return 2;
  }
  const pin = process.env[variable];
  if (pin === undefined || !kioskPinPattern.test(pin)) {
    console.error(`Biến môi trường ${variable} phải chứa mã PIN gồm 6–12 chữ số.\n${usage}`);
    return 2;
  }
  console.log(JSON.stringify({ kiosk: { enabled: true, exitPinHash: await hashKioskPin(pin) } }, null, 2));
  return 0;
}
