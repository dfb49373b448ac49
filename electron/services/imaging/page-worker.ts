/**
 * The worker thread that cleans pages. cleanPage's decisions (sheet, skew, orientation, blank) are plain
 * JavaScript over a ~1 MB grey copy and take hundreds of milliseconds a page: here they never hold up the
 * thread that answers IPC. Requests come one at a time (the client queues them), so this thread holds one
 * page's bitmap at most.
 */
import { parentPort } from 'node:worker_threads';
import { toWireError } from '../../../shared/errors';
import { cleanPage } from './page-pipeline';
import type { PageWorkerRequest, PageWorkerResponse } from './page-worker-protocol';

const port = parentPort;
if (!port) throw new Error('page-worker must run as a worker thread');

port.on('message', (request: PageWorkerRequest) => {
  void cleanPage(request.bytes, request.name, request.options).then(
    (page) => {
      const response: PageWorkerResponse = { id: request.id, ok: true, page };
      port.postMessage(response, [page.jpeg.buffer as ArrayBuffer]);
    },
    (err: unknown) => {
      const response: PageWorkerResponse = { id: request.id, ok: false, error: toWireError(err) };
      port.postMessage(response);
    },
  );
});
