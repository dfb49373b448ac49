/**
 * `motcua demo` (what `npm start` runs): the reference central in this process, then the Electron app
 * pointed at it, with demo configuration and the demo PKI. Quits the central when the app closes.
 * `motcua demo --check-electron` only makes sure the Electron binary is there (npm start runs it before the build).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { startDemoCentral } from './demo-central';

const electronNotAvailable = [
  'Không có Electron trên máy này: Electron tải chương trình của nó từ Internet ở lần chạy đầu, và việc tải không thành công.',
  'Electron is not available here: it downloads its binary from the internet on first start, and that failed.',
  '',
  'Chạy cùng ứng dụng trong Chromium (không cần Electron) / run the same app in Chromium instead:',
  '  npm run start:chromium      → mở địa chỉ nó in ra / open the address it prints (http://127.0.0.1:5173/#token=…)',
  'Hoặc thử lại khi có Internet / or try again with internet access: npm start',
].join('\n');

/**
 * The Electron executable, downloaded once by the electron package's own installer. Resolved here rather than
 * through `require('electron')`, which throws a bare stack trace when the download fails.
 */
function electronBinary(): string | undefined {
  const packageDir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  const located = (): string | undefined => {
    const pathFile = path.join(packageDir, 'path.txt');
    if (!existsSync(pathFile)) return undefined;
    const binary = path.join(process.env.ELECTRON_OVERRIDE_DIST_PATH ?? path.join(packageDir, 'dist'), readFileSync(pathFile, 'utf8'));
    return existsSync(binary) ? binary : undefined;
  };
  const found = located();
  if (found) return found;
  console.log('motcua: đang tải Electron / downloading Electron…');
  const download = spawnSync(process.execPath, [path.join(packageDir, 'install.js')], { stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8', timeout: 10 * 60_000 });
  if (download.status !== 0) {
    const reason = download.stderr.trim().split('\n').find((line) => /error|ENOTFOUND|ECONN|ETIMEDOUT|EAI_AGAIN/i.test(line));
    if (reason) console.error(`  (${reason.trim().slice(0, 200)})`);
    return undefined;
  }
  return located();
}

export async function run(args: string[]): Promise<number> {
  const binary = electronBinary();
  if (!binary) {
    console.error(electronNotAvailable);
    return 1;
  }
  if (args.includes('--check-electron')) return 0;

  const dataDir = path.resolve('.motcua-data/counter');
  const central = await startDemoCentral(dataDir);
  console.log(`motcua: trung tâm cục bộ tại ${central.url}`);
  const child = spawn(binary, ['.'], {
    stdio: 'inherit',
    // MOTCUA_DEMO: the demo is asked for, so a missing configuration becomes the demo one (electron/main).
    env: { ...process.env, MOTCUA_CENTRAL_URL: central.url, MOTCUA_DATA_DIR: dataDir, MOTCUA_DEMO: '1' },
  });
  const code = await new Promise<number>((resolve) => child.on('close', (exitCode) => resolve(exitCode ?? 1)));
  await central.close();
  return code;
}
