import * as pdfjs from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';

// The worker is one of the app's own files (the CSP's worker-src 'self'); set once for every user of pdf.js.
// No eval option: pdf.js 5.7 dropped its `isEvalSupported` path (fonts are drawn without generated code),
// and the CSP has no 'unsafe-eval' should a future version bring one back. XFA stays off (the default).
pdfjs.GlobalWorkerOptions.workerSrc = workerUrl;

export { pdfjs };
