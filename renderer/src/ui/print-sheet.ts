/** The sheet each PDF page prints on (pure, tested in Node): ui/print-pdf.ts draws the page at this size. */

/** 200 dpi: the counter's scanning resolution too; sharp for 9-pt text, a few hundred KB of PNG per form page. */
export const printDpi = 200;

const a4Mm = { short: 210, long: 297 } as const;

export interface PrintSheet {
  readonly orientation: 'portrait' | 'landscape';
  /** pdf.js scale (picture pixels per PDF point) that fills the A4 sheet at printDpi. */
  readonly scale: number;
  /** The picture's size in pixels. */
  readonly width: number;
  readonly height: number;
}

/**
 * The A4 sheet a page of `width` × `height` points prints on, and the picture size for it: landscape
 * pages on a landscape sheet, any other size fitted inside the sheet without distortion.
 */
export function printSheetFor(width: number, height: number, dpi = printDpi): PrintSheet {
  if (!(width > 0 && height > 0)) throw new Error(`page size ${width}×${height}`);
  const orientation = width > height ? 'landscape' : 'portrait';
  const sheetPx = (mm: number) => (mm / 25.4) * dpi;
  const [sheetW, sheetH] = orientation === 'landscape' ? [sheetPx(a4Mm.long), sheetPx(a4Mm.short)] : [sheetPx(a4Mm.short), sheetPx(a4Mm.long)];
  const scale = Math.min(sheetW / width, sheetH / height);
  return { orientation, scale, width: Math.round(width * scale), height: Math.round(height * scale) };
}
