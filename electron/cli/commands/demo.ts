/**
 * `motcua demo` (what `npm start` runs): the reference central in this process, then the Electron app
 * pointed at it, with demo configuration and the demo PKI. Quits the central when the app closes.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { startDemoCentral } from './demo-central';

export async function run(_args: string[]): Promise<number> {
  const dataDir = path.resolve('.motcua-data/counter');
  const central = await startDemoCentral(dataDir);
  console.log(`motcua: trung tâm cục bộ tại ${central.url}`);
  // electron/cli.js fetches the Electron binary on first use, then runs it.
  const electronCli = createRequire(import.meta.url).resolve('electron/cli.js');
  const child = spawn(process.execPath, [electronCli, '.'], {
    stdio: 'inherit',
    env: { ...process.env, MOTCUA_CENTRAL_URL: central.url, MOTCUA_DATA_DIR: dataDir },
  });
  const code = await new Promise<number>((resolve) => child.on('close', (exitCode) => resolve(exitCode ?? 1)));
  await central.close();
  return code;
}
