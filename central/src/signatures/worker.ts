/**
 * A signature worker thread: checks PDFs with the shared PAdES verifier (shared/pdf/verify-pdf.ts) off the
 * central's event loop, one at a time, and answers the verdict in the shape the commit reads (commit.ts
 * `SignatureCheck`). Started by pool.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { verifyPdfSignatures } from '../../../shared/pdf/verify-pdf';
import type { SignatureWorkerData, SignatureWorkerRequest, SignatureWorkerResponse } from './protocol';

const port = parentPort;
if (!port) throw new Error('the signature worker runs only as a worker thread');
const { trustAnchorsDer } = workerData as SignatureWorkerData;

port.on('message', (request: SignatureWorkerRequest) => {
  let response: SignatureWorkerResponse;
  try {
    const report = verifyPdfSignatures(request.pdf, { trustAnchorsDer });
    // Only what the commit decides on crosses back: the full report holds certificates and revision details.
    response = {
      id: request.id,
      check: { valid: report.valid, signatures: report.signatures.map((s) => ({ problems: [...s.problems] })), problems: [...report.problems] },
    };
  } catch (err) {
    response = { id: request.id, error: err instanceof Error ? err.message : String(err) };
  }
  port.postMessage(response);
});
