/**
 * A signature worker thread: checks PDFs with the shared PAdES verifier (shared/pdf/verify-pdf.ts) off the
 * central's event loop, one at a time, and answers the verdict in the shape the commit reads (commit.ts
 * `SignatureCheck`). Started by pool.ts; calls and answers through shared/rpc.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { verifyPdfSignatures } from '../../../shared/pdf/verify-pdf';
import { serveRpc } from '../../../shared/rpc';
import type { SignatureWorkerApi, SignatureWorkerData } from './protocol';

const port = parentPort;
if (!port) throw new Error('the signature worker runs only as a worker thread');
const { trustAnchorsDer } = workerData as SignatureWorkerData;

const receive = serveRpc<SignatureWorkerApi>(
  {
    verify: ({ pdf }) => {
      const report = verifyPdfSignatures(pdf, { trustAnchorsDer });
      // Only what the commit decides on crosses back: the full report holds certificates and revision details.
      return { valid: report.valid, signatures: report.signatures.map((s) => ({ problems: [...s.problems] })), problems: [...report.problems] };
    },
  },
  (message, transfer) => port.postMessage(message, [...transfer]),
);
port.on('message', receive);
