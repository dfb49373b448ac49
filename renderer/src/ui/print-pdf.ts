/**
 * Printing a produced PDF without a frame or a plugin: the CSP forbids frames (`frame-src 'none'`) and the
 * locked-down window loads no PDF viewer. pdf.js draws each page at print resolution, the pictures go into a
 * print-only container in the app's own document (styles.css hides everything else in print media, one A4
 * sheet per page), and the platform prints the page: main's webContents.print() in Electron, window.print()
 * in a browser.
 */
import { AppError } from '../../../shared/errors';
import type { PagePrinter, PagePrintResult } from '../platform/page-printer';
import { pdfjs } from './pdfjs';
import { printSheetFor, type PrintSheet } from './print-sheet';

export type PrintStage = { readonly stage: 'drawing'; readonly page: number; readonly pages: number } | { readonly stage: 'sending' };

export interface PrintPdfOptions {
  readonly printer: PagePrinter;
  /** What the clerk calls the document ("Mẫu 02 — …"), for error messages. */
  readonly label: string;
  readonly onStage?: (stage: PrintStage) => void;
}

// One print at a time: there is one print container, and a second job waits for the first.
let queue: Promise<unknown> = Promise.resolve();
// A browser print whose `afterprint` has not come yet keeps its sheets in place until it does, or until the next job.
let lingering: (() => void) | null = null;

export function printPdf(bytes: Uint8Array, options: PrintPdfOptions): Promise<PagePrintResult> {
  const job = queue.then(() => runPrint(bytes, options));
  queue = job.catch(() => undefined);
  return job;
}

async function runPrint(bytes: Uint8Array, { printer, label, onStage }: PrintPdfOptions): Promise<PagePrintResult> {
  lingering?.();
  const images = await drawSheets(bytes, label, onStage);
  const container = document.createElement('div');
  container.className = 'print-job';
  container.setAttribute('aria-hidden', 'true');
  for (const { sheet, image } of images) {
    const box = document.createElement('div');
    box.className = `print-sheet print-sheet-${sheet.orientation}`;
    box.append(image);
    container.append(box);
  }
  let cleaned = false;
  const cleanup = () => {
    if (cleaned) return;
    cleaned = true;
    window.removeEventListener('afterprint', cleanup);
    container.remove();
    document.documentElement.classList.remove('print-active');
    for (const { image } of images) URL.revokeObjectURL(image.src);
    if (lingering === cleanup) lingering = null;
  };
  let afterprintSeen = false;
  const seen = () => {
    afterprintSeen = true;
  };
  document.body.append(container);
  document.documentElement.classList.add('print-active');
  window.addEventListener('afterprint', seen, { once: true });
  onStage?.({ stage: 'sending' });
  try {
    // One frame so the sheets are laid out before the print snapshot is taken.
    await new Promise((resolve) => requestAnimationFrame(resolve));
    return await printer.print();
  } catch (err) {
    cleanup();
    throw err instanceof AppError ? err : new AppError('PRINT_FAILED', { reason: err instanceof Error ? err.message : String(err) });
  } finally {
    window.removeEventListener('afterprint', seen);
    if (!cleaned) {
      if (!printer.waitsForAfterprint || afterprintSeen) cleanup();
      else {
        lingering = cleanup;
        window.addEventListener('afterprint', cleanup, { once: true });
      }
    }
  }
}

/** Every page as a decoded picture at print resolution; a page that cannot be drawn fails the whole print. */
async function drawSheets(bytes: Uint8Array, label: string, onStage: PrintPdfOptions['onStage']): Promise<{ sheet: PrintSheet; image: HTMLImageElement }[]> {
  const drawn: { sheet: PrintSheet; image: HTMLImageElement }[] = [];
  let pageNo = 1;
  // pdf.js takes ownership of the buffer it is given: hand it a copy.
  const task = pdfjs.getDocument({ data: bytes.slice() });
  try {
    const doc = await task.promise;
    for (; pageNo <= doc.numPages; pageNo++) {
      onStage?.({ stage: 'drawing', page: pageNo, pages: doc.numPages });
      const page = await doc.getPage(pageNo);
      const natural = page.getViewport({ scale: 1 });
      const sheet = printSheetFor(natural.width, natural.height);
      const viewport = page.getViewport({ scale: sheet.scale });
      const canvas = document.createElement('canvas');
      canvas.width = sheet.width;
      canvas.height = sheet.height;
      await page.render({ canvas, viewport }).promise;
      page.cleanup();
      const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
      // Let the canvas's pixels go now: a register of many pages would otherwise hold them all at once.
      canvas.width = 0;
      canvas.height = 0;
      if (!blob) throw new Error('canvas gave no image');
      const image = new Image();
      image.alt = '';
      image.src = URL.createObjectURL(blob);
      drawn.push({ sheet, image });
      // Printed only once decoded: a picture still loading would print as a blank sheet.
      await image.decode();
    }
    return drawn;
  } catch (err) {
    for (const { image } of drawn) URL.revokeObjectURL(image.src);
    throw new AppError('PRINT_RENDER_FAILED', { page: pageNo, label, issue: err instanceof Error ? err.message : String(err) });
  } finally {
    void task.destroy();
  }
}
