/**
 * The OCR text layer: each recognised word as invisible text (render mode 3, PDF 32000-1 §9.3.6) over the
 * scanned image, so a reader can search and copy while the page looks exactly like the scan. Drawn in the
 * image's own pixel space (the same placement matrix as the image, then one pixel = one unit), so the clerk's
 * rotation and the page's size carry over without extra arithmetic. Each word is stretched (Tz) to its box.
 */
import { beginText, concatTransformationMatrix, endText, popGraphicsState, pushGraphicsState, setCharacterSqueeze, setFontAndSize, setTextMatrix, setTextRenderingMode, showText, TextRenderingMode } from 'pdf-lib';
import type { PDFFont, PDFName, PDFOperator, PDFPage } from 'pdf-lib';
import type { OcrPage } from '../imaging/processing';

/** Font size as a share of the line box's height (the box spans ascenders to descenders). */
const sizeOfLineHeight = 0.8;
/** The baseline sits this share of the line box above its bottom (descenders below it). */
const baselineOfLineHeight = 0.2;

/**
 * Operators that draw `ocr`'s words invisibly over an image placed with `imageMatrix` (the unit square → the
 * page). Returns [] when the words belong to an image of another size than `imageSize`.
 */
function textLayerOperators(ocr: OcrPage, imageSize: { widthPx: number; heightPx: number }, imageMatrix: readonly [number, number, number, number, number, number], font: PDFFont, fontName: PDFName): PDFOperator[] {
  if (ocr.widthPx !== imageSize.widthPx || ocr.heightPx !== imageSize.heightPx || ocr.words.length === 0) return [];
  const { widthPx: w, heightPx: h } = ocr;
  const ops: PDFOperator[] = [pushGraphicsState(), concatTransformationMatrix(...imageMatrix), concatTransformationMatrix(1 / w, 0, 0, 1 / h, 0, 0), beginText(), setTextRenderingMode(TextRenderingMode.Invisible)];
  for (const word of ocr.words) {
    const lineHeight = word.y1 - word.y0;
    const boxWidth = word.x1 - word.x0;
    if (lineHeight <= 0 || boxWidth <= 0) continue;
    const size = lineHeight * sizeOfLineHeight;
    const natural = font.widthOfTextAtSize(word.text, size);
    if (natural <= 0) continue;
    ops.push(
      setFontAndSize(fontName, size),
      setCharacterSqueeze((boxWidth / natural) * 100),
      // Pixel rows count down from the top; PDF's y goes up from the bottom.
      setTextMatrix(1, 0, 0, 1, word.x0, h - word.y1 + lineHeight * baselineOfLineHeight),
      showText(font.encodeText(word.text)),
    );
  }
  ops.push(endText(), popGraphicsState());
  return ops;
}

/** Draws the layer on a page (the font resource is added to the page). */
export function drawTextLayer(page: PDFPage, ocr: OcrPage, imageSize: { widthPx: number; heightPx: number }, imageMatrix: readonly [number, number, number, number, number, number], font: PDFFont): void {
  const fontName = page.node.newFontDictionary(font.name, font.ref);
  const ops = textLayerOperators(ocr, imageSize, imageMatrix, font, fontName);
  if (ops.length) page.pushOperators(...ops);
}
