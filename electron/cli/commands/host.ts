/**
 * `motcua host`: the renderer in a browser, the main-side services over HTTP. Starts an in-process
 * central too unless `--central <url>` points at one that runs elsewhere.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openCounterHost } from '../../services/counter-host';
import { startWebHost, webHostEntry } from '../../web-host/server';
import { startDemoCentral } from './demo-central';

export const defaultRendererDir = path.resolve('renderer/dist');

export async function run(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string', default: '5173' },
      central: { type: 'string' },
      data: { type: 'string', default: path.resolve('.motcua-data/counter') },
      renderer: { type: 'string', default: defaultRendererDir },
    },
  });
  if (!existsSync(path.join(values.renderer, webHostEntry))) {
    console.error(`Chưa có bản dựng giao diện ở ${values.renderer}. Hãy chạy: npm run build:renderer`);
    return 2;
  }
  const central = values.central ? undefined : await startDemoCentral(values.data);
  const centralUrl = values.central ?? central?.url;
  const counter = await openCounterHost({ dataDir: values.data, ...(centralUrl ? { centralUrl } : {}) });
  const host = await startWebHost({ rendererDir: values.renderer, handlers: counter.handlers, centralUrl: counter.config.centralUrl, port: Number(values.port) });
  console.log(`motcua web host: ${host.url}  (trung tâm: ${counter.config.centralUrl})`);
  await waitForSignal();
  await host.close();
  await counter.close();
  await central?.close();
  return 0;
}

export function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}
