/**
 * Where the sheet of paper is in a scan: a flatbed scans its whole glass (A4 on a letter-size bed, or a small
 * ID card) and the uncovered area comes out dark (black lid) or grey. Rows and columns that are mostly
 * paper-bright are the sheet; the rest is cropped away.
 */
import { histogram, percentile, type GrayImage } from './gray';

export interface SheetBounds {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
  /** False when the sheet fills the scan (nothing worth cropping). */
  readonly cropped: boolean;
}

export interface SheetOptions {
  /** A pixel belongs to the paper when it is at most this many levels darker than the paper. Default 45. */
  readonly paperTolerance?: number;
  /** A row/column is on the sheet when this share of it is paper. Default 0.5. */
  readonly minPaperShare?: number;
}

export function findSheet(image: GrayImage, options: SheetOptions = {}): SheetBounds {
  const paper = percentile(histogram(image), 0.9);
  const bright = paper - (options.paperTolerance ?? 45);
  const minShare = options.minPaperShare ?? 0.5;
  const rowPaper = new Float64Array(image.height);
  const columnPaper = new Float64Array(image.width);
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      if ((image.data[y * image.width + x] ?? 0) >= bright) {
        rowPaper[y] = (rowPaper[y] ?? 0) + 1;
        columnPaper[x] = (columnPaper[x] ?? 0) + 1;
      }
    }
  }
  const rows = span(rowPaper, image.width * minShare);
  const columns = span(columnPaper, image.height * minShare);
  if (!rows || !columns) return { left: 0, top: 0, width: image.width, height: image.height, cropped: false };
  const width = columns[1] - columns[0] + 1;
  const height = rows[1] - rows[0] + 1;
  // Less than 2 % off on every side is a scanner's edge shadow, not a background worth cropping.
  const cropped = width < image.width * 0.98 || height < image.height * 0.98;
  return cropped ? { left: columns[0], top: rows[0], width, height, cropped } : { left: 0, top: 0, width: image.width, height: image.height, cropped: false };
}

/** First and last index whose count reaches `minimum`. */
function span(counts: Float64Array, minimum: number): [number, number] | null {
  let first = -1;
  let last = -1;
  for (let i = 0; i < counts.length; i++) {
    if ((counts[i] ?? 0) >= minimum) {
      if (first < 0) first = i;
      last = i;
    }
  }
  return first < 0 ? null : [first, last];
}
