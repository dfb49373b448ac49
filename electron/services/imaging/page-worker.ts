/**
 * The worker thread that cleans pages. cleanPage's decisions (sheet, skew, orientation, blank) are plain
 * JavaScript over a ~1 MB grey copy and take hundreds of milliseconds a page: here they never hold up the
 * thread that answers IPC. Requests come one at a time (the client queues them), so this thread holds one
 * page's bitmap at most; the client may run two such workers side by side.
 */
import { parentPort, workerData } from 'node:worker_threads';
import sharp from 'sharp';
import { toWireError } from '../../../shared/errors';
import { cleanPage } from './page-pipeline';
import type { PageWorkerRequest, PageWorkerResponse, PageWorkerSettings } from './page-worker-protocol';

const port = parentPort;
if (!port) throw new Error('page-worker must run as a worker thread');
const settings = workerData as PageWorkerSettings | undefined;
// libvips' thread pool is the process's; each worker's copy of sharp resets it to 1 on load (glibc), so it is set
// again here. No operation cache: no page is decoded twice the same way, and the cache only holds memory.
sharp.concurrency(settings?.vipsThreads ?? 1);
sharp.cache(false);

port.on('message', (request: PageWorkerRequest) => {
  void cleanPage(request.bytes, request.name, request.options).then(
    (page) => {
      // sharp's output Buffer may sit in memory Node will not transfer (Node 22+ throws DataCloneError): copy it
      // once into an ArrayBuffer of its own, then hand that over without a second copy.
      const jpeg = new Uint8Array(page.jpeg);
      const response: PageWorkerResponse = { id: request.id, ok: true, page: { ...page, jpeg } };
      port.postMessage(response, [jpeg.buffer]);
    },
    (err: unknown) => {
      const response: PageWorkerResponse = { id: request.id, ok: false, error: toWireError(err) };
      port.postMessage(response);
    },
  );
});
