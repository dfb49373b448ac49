/**
 * `motcua host`: the renderer in a browser, the main-side services over HTTP.
 * - `motcua host --demo` (what `npm run start:chromium` runs): the demo — a missing configuration becomes the
 *   demo one, and an in-process central is started unless `--central <url>` points at one that runs elsewhere.
 * - `motcua host [--config <file>] [--central <url>]`: a configured counter; no configuration file is an error
 *   naming the expected path (issue 17), and the central must be HTTPS unless the configuration is a lab's.
 * The address printed carries this launch's token in its fragment: only a page opened with it is served.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openCounterHost } from '../../services/counter-host';
import { counterDataDir } from '../../services/data-location';
import { startWebHost, webHostEntry } from '../../web-host/server';

/** Starts the demo's in-process central; only the development CLI has one (electron/cli/development-commands.ts). */
export type StartDemoCentral = (counterDataDir: string) => Promise<{ url: string; close: () => Promise<void> }>;

export const defaultRendererDir = path.resolve('renderer/dist');

/** The packaged app's `motcua host`: a configured counter only. */
export function run(args: string[]): Promise<number> {
  return runHost(args);
}

/**
 * `startDemoCentral` is given by the development CLI only: the counter's packaged CLI carries no central
 * (issue 18 item 7), so there `--demo` without `--central <url>` is refused with what to run instead.
 */
export async function runHost(args: string[], startDemoCentral?: StartDemoCentral): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string', default: '5173' },
      central: { type: 'string' },
      data: { type: 'string' },
      renderer: { type: 'string', default: defaultRendererDir },
      config: { type: 'string' },
      demo: { type: 'boolean', default: false },
    },
  });
  const demo = values.demo;
  if (demo && !values.central && !startDemoCentral) {
    console.error(
      [
        'Bản cài của máy quầy không có trung tâm cục bộ cho --demo. Chạy từ mã nguồn (npm run start:chromium), hoặc thêm --central <địa chỉ trung tâm>.',
        'The installed counter app carries no local central for --demo. Run it from a checkout (npm run start:chromium), or add --central <url>.',
      ].join('\n'),
    );
    return 2;
  }
  if (!existsSync(path.join(values.renderer, webHostEntry))) {
    console.error(`Chưa có bản dựng giao diện ở ${values.renderer}. Hãy chạy: npm run build:renderer`);
    return 2;
  }
  // A configured counter's web host reads the app's own data folder (data-location.ts); the demo keeps its own.
  const dataDir = values.data ?? (demo ? path.resolve('.motcua-data/counter') : counterDataDir());
  const central = demo && !values.central && startDemoCentral ? await startDemoCentral(dataDir) : undefined;
  const centralUrl = values.central ?? central?.url;
  const counter = await openCounterHost({ dataDir, demo, ...(values.config ? { configFile: path.resolve(values.config) } : {}), ...(centralUrl ? { centralUrl } : {}) }).catch(async (err: unknown) => {
    await central?.close();
    throw err;
  });
  const host = await startWebHost({
    rendererDir: values.renderer,
    handlers: counter.handlers,
    centralUrl: counter.config.centralUrl,
    port: Number(values.port),
    errorLogFile: path.join(dataDir, 'web-host-errors.log'),
  }).catch(async (err: unknown) => {
    await counter.close();
    await central?.close();
    throw err;
  });
  console.log(`motcua web host: ${host.url}  (trung tâm: ${counter.config.centralUrl})`);
  await waitForSignal();
  // A stop that hangs (seen in full test runs: a host that outlived SIGTERM) ends within the deadline anyway,
  // naming the step it was in and what Node still had open, so the next look at it has something to go on.
  let step = 'web host';
  const watchdog = setTimeout(() => {
    console.warn(`motcua host not stopped ${hostStopDeadlineMs / 1000} s after the stop signal (closing: ${step}; open: ${process.getActiveResourcesInfo().join(', ') || 'nothing listed'}); exiting`);
    process.exit(1);
  }, hostStopDeadlineMs).unref();
  await host.close();
  step = 'counter services';
  await counter.close();
  step = 'demo central';
  await central?.close();
  clearTimeout(watchdog);
  return 0;
}

/** How long a stop signal may take to end the web host before it exits anyway. */
const hostStopDeadlineMs = 10_000;

export function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}
