import { useEffect, useRef, useState } from 'react';
import * as pdfjs from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';

pdfjs.GlobalWorkerOptions.workerSrc = workerUrl;

/**
 * Renders PDF pages to canvases with pdf.js: a picture of what will be printed, the same in Electron and
 * in any Chromium (whose built-in viewer is a plugin the locked-down window does not load).
 */
export function PdfPreview({ bytes, maxPages, label }: { bytes: Uint8Array; maxPages: number; label: string }) {
  const container = useRef<HTMLDivElement>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let cancelled = false;
    // pdf.js takes ownership of the buffer it is given: hand it a copy.
    const task = pdfjs.getDocument({ data: bytes.slice(), isEvalSupported: false });
    (async () => {
      const doc = await task.promise;
      const target = container.current;
      if (!target || cancelled) return;
      target.replaceChildren();
      for (let n = 1; n <= Math.min(doc.numPages, maxPages); n++) {
        const page = await doc.getPage(n);
        const viewport = page.getViewport({ scale: 1.3 });
        const canvas = document.createElement('canvas');
        canvas.width = viewport.width;
        canvas.height = viewport.height;
        canvas.className = 'pdf-page';
        target.append(canvas);
        await page.render({ canvas, viewport }).promise;
        if (cancelled) return;
      }
    })().catch(() => {
      if (!cancelled) setFailed(true);
    });
    return () => {
      cancelled = true;
      void task.destroy();
    };
  }, [bytes, maxPages]);

  return failed ? null : <div className="pdf-preview" ref={container} role="img" aria-label={label} />;
}
