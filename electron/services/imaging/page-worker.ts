/**
 * The worker thread that cleans pages. cleanPage's decisions (sheet, skew, orientation, blank) are plain
 * JavaScript over a ~1 MB grey copy and take hundreds of milliseconds a page: here they never hold up the
 * thread that answers IPC. Requests come one at a time (the client queues them), so this thread holds one
 * page's bitmap at most; the client may run two such workers side by side.
 */
import { parentPort, workerData } from 'node:worker_threads';
import sharp from 'sharp';
import { serveRpc, withTransfer } from '../../../shared/rpc';
import { cleanPage } from './page-pipeline';
import type { PageWorkerApi, PageWorkerSettings } from './page-worker-protocol';

const port = parentPort;
if (!port) throw new Error('page-worker must run as a worker thread');
const settings = workerData as PageWorkerSettings | undefined;
// libvips' thread pool is the process's; each worker's copy of sharp resets it to 1 on load (glibc), so it is set
// again here. No operation cache: no page is decoded twice the same way, and the cache only holds memory.
sharp.concurrency(settings?.vipsThreads ?? 1);
sharp.cache(false);

const receive = serveRpc<PageWorkerApi>(
  {
    async clean({ bytes, name, options }) {
      const page = await cleanPage(bytes, name, options);
      // sharp's output Buffer may sit in memory Node will not transfer (Node 22+ throws DataCloneError): copy it
      // once into an ArrayBuffer of its own, then hand that over without a second copy.
      const jpeg = new Uint8Array(page.jpeg);
      return withTransfer({ ...page, jpeg }, [jpeg.buffer]);
    },
  },
  (message, transfer) => port.postMessage(message, transfer),
);
port.on('message', receive);
