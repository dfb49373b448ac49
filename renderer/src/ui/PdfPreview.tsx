import { useEffect, useRef, useState } from 'react';
import { pdfjs } from './pdfjs';

/**
 * Renders the first pages of a PDF into `target` as canvases, each page scaled to `width` CSS pixels.
 * pdf.js gives the same picture in Electron and in any Chromium, whose built-in viewer is a plugin the
 * locked-down window does not load. Returns a cleanup that stops rendering.
 */
function renderPages(bytes: Uint8Array, target: HTMLElement, opts: { maxPages: number; width: number; className: string }, onError: () => void, onDrawn: () => void = () => {}): () => void {
  let cancelled = false;
  // pdf.js takes ownership of the buffer it is given: hand it a copy.
  const task = pdfjs.getDocument({ data: bytes.slice() });
  (async () => {
    const doc = await task.promise;
    target.replaceChildren();
    for (let n = 1; n <= Math.min(doc.numPages, opts.maxPages) && !cancelled; n++) {
      const page = await doc.getPage(n);
      const natural = page.getViewport({ scale: 1 });
      const viewport = page.getViewport({ scale: (opts.width * window.devicePixelRatio) / natural.width });
      const canvas = document.createElement('canvas');
      canvas.width = Math.round(viewport.width);
      canvas.height = Math.round(viewport.height);
      canvas.className = opts.className;
      target.append(canvas);
      await page.render({ canvas, viewport }).promise;
    }
    if (!cancelled) onDrawn();
  })().catch(() => {
    if (!cancelled) onError();
  });
  return () => {
    cancelled = true;
    void task.destroy();
  };
}

/** A readable preview of a document (the receipt): the first `maxPages` pages. */
export function PdfPreview({ bytes, maxPages, label }: { bytes: Uint8Array; maxPages: number; label: string }) {
  const container = useRef<HTMLDivElement>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (!container.current) return;
    return renderPages(bytes, container.current, { maxPages, width: 780, className: 'pdf-page' }, () => setFailed(true));
  }, [bytes, maxPages]);
  return failed ? null : <div className="pdf-preview" ref={container} role="img" aria-label={label} />;
}

/** The first page of an attached PDF, thumbnail-sized; "PDF" when it cannot be drawn. */
export function PdfThumbnail({ bytes, label }: { bytes: Uint8Array; label: string }) {
  const container = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<'drawing' | 'drawn' | 'failed'>('drawing');
  useEffect(() => {
    if (!container.current) return;
    setState('drawing');
    return renderPages(bytes, container.current, { maxPages: 1, width: 110, className: 'pdf-thumb' }, () => setState('failed'), () => setState('drawn'));
  }, [bytes]);
  if (state === 'failed') return <div className="pdf-icon">PDF</div>;
  // Until pdf.js has drawn the page (its worker starts on first use), a labelled placeholder instead of an
  // empty tile that looks like a blank page.
  return (
    <div className="pdf-thumb-frame" role="img" aria-label={label}>
      {state === 'drawing' && <div className="pdf-icon pdf-drawing">PDF…</div>}
      <div ref={container} />
    </div>
  );
}
