/**
 * Blank-page detection. A page is "blank" when almost nothing on it is ink once the edges (where scanners
 * leave shadows and punch holes) are ignored. Blank pages are flagged for the clerk, never deleted silently.
 */
import { histogram, percentile, type GrayImage } from './gray';

export interface BlankOptions {
  /** Share of the page, on each side, that is not looked at. Default 0.03 (3 %). */
  readonly marginShare?: number;
  /** A pixel is ink when it is this many grey levels darker than the paper. Default 60. */
  readonly inkContrast?: number;
  /**
   * The page is blank below this share of ink pixels. Default 0.0002 (0.02 %): a single short word on A4 is
   * about 0.04 %, scanner speckle (filtered by the neighbour rule) about 0, a lone page number about 0.016 %.
   */
  readonly maxInkShare?: number;
}

export interface BlankVerdict {
  readonly blank: boolean;
  /** Share of ink pixels inside the margins, 0–1. */
  readonly inkShare: number;
}

export function detectBlank(image: GrayImage, options: BlankOptions = {}): BlankVerdict {
  const marginShare = options.marginShare ?? 0.03;
  const contrast = options.inkContrast ?? 60;
  const maxInkShare = options.maxInkShare ?? 0.0002;
  const paper = percentile(histogram(image), 0.5);
  const threshold = paper - contrast;
  const x0 = Math.floor(image.width * marginShare);
  const y0 = Math.floor(image.height * marginShare);
  const x1 = image.width - x0;
  const y1 = image.height - y0;
  let ink = 0;
  let looked = 0;
  for (let y = y0; y < y1; y++) {
    const row = y * image.width;
    for (let x = x0; x < x1; x++) {
      looked++;
      // An isolated dark pixel is dust or sensor noise: it counts only if a neighbour on its row is dark too.
      if ((image.data[row + x] ?? 255) <= threshold && ((image.data[row + x - 1] ?? 255) <= threshold || (image.data[row + x + 1] ?? 255) <= threshold)) ink++;
    }
  }
  const inkShare = looked > 0 ? ink / looked : 0;
  return { blank: inkShare < maxInkShare, inkShare };
}
