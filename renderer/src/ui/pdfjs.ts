import * as pdfjs from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';

// The worker is one of the app's own files (the CSP's worker-src 'self'); set once for every user of pdf.js.
pdfjs.GlobalWorkerOptions.workerSrc = workerUrl;

export { pdfjs };
