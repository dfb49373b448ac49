/**
 * 8-bit grey images and the few operations page analysis needs. Analysis works on a small grey copy of the
 * page (about 100 dpi): the decisions (skew angle, blank, orientation, sheet bounds) do not need more, and a
 * full 200 dpi colour page never has to be held as a bitmap on this side.
 */

export interface GrayImage {
  readonly width: number;
  readonly height: number;
  /** Row-major, one byte per pixel, 0 = black, 255 = white. */
  readonly data: Uint8Array;
}

export function grayImage(width: number, height: number, data: Uint8Array): GrayImage {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new RangeError(`bad image size ${width}×${height}`);
  }
  if (data.length !== width * height) throw new RangeError(`expected ${width * height} bytes, got ${data.length}`);
  return { width, height, data };
}

/** Histogram of the 256 grey levels. */
export function histogram(image: GrayImage): Uint32Array {
  const counts = new Uint32Array(256);
  for (const value of image.data) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

/** Otsu's threshold: the grey level that best separates ink from paper (pixels ≤ it are ink). */
export function otsuThreshold(counts: Uint32Array): number {
  let total = 0;
  let weightedTotal = 0;
  for (let level = 0; level < 256; level++) {
    const n = counts[level] ?? 0;
    total += n;
    weightedTotal += level * n;
  }
  let background = 0;
  let backgroundSum = 0;
  let bestLevel = 127;
  let bestVariance = -1;
  for (let level = 0; level < 256; level++) {
    background += counts[level] ?? 0;
    if (background === 0) continue;
    const foreground = total - background;
    if (foreground === 0) break;
    backgroundSum += level * (counts[level] ?? 0);
    const meanBack = backgroundSum / background;
    const meanFore = (weightedTotal - backgroundSum) / foreground;
    const variance = background * foreground * (meanBack - meanFore) ** 2;
    if (variance > bestVariance) {
      bestVariance = variance;
      bestLevel = level;
    }
  }
  return bestLevel;
}

/** The level below which a given share of pixels lies (e.g. 0.5 = median). */
export function percentile(counts: Uint32Array, share: number): number {
  let total = 0;
  for (const n of counts) total += n;
  const target = total * share;
  let seen = 0;
  for (let level = 0; level < 256; level++) {
    seen += counts[level] ?? 0;
    if (seen >= target) return level;
  }
  return 255;
}

/**
 * Ink threshold for a scanned page: Otsu's level, but never closer than 40 grey levels to the paper (the
 * median), so that an empty page's paper grain is not split into "ink" and "paper".
 */
export function inkThreshold(image: GrayImage): number {
  const counts = histogram(image);
  const paper = percentile(counts, 0.5);
  return Math.min(otsuThreshold(counts), paper - 40);
}

/** Turns the image by a multiple of 90° clockwise. */
export function rotateQuarter(image: GrayImage, quarterTurnsClockwise: number): GrayImage {
  const turns = ((quarterTurnsClockwise % 4) + 4) % 4;
  if (turns === 0) return image;
  const { width, height, data } = image;
  const outWidth = turns === 2 ? width : height;
  const outHeight = turns === 2 ? height : width;
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let ox: number;
      let oy: number;
      if (turns === 1) {
        ox = height - 1 - y;
        oy = x;
      } else if (turns === 2) {
        ox = width - 1 - x;
        oy = height - 1 - y;
      } else {
        ox = y;
        oy = width - 1 - x;
      }
      out[oy * outWidth + ox] = data[y * width + x] ?? 255;
    }
  }
  return { width: outWidth, height: outHeight, data: out };
}

/**
 * Turns the image clockwise by `degrees` about its centre (nearest neighbour, same size, white where no
 * source pixel lands). For the small analysis copy only: the page itself is turned by the codec.
 */
export function rotateSmall(image: GrayImage, degreesClockwise: number): GrayImage {
  if (degreesClockwise === 0) return image;
  const { width, height, data } = image;
  const out = new Uint8Array(width * height).fill(255);
  const radians = (degreesClockwise * Math.PI) / 180;
  const cos = Math.cos(radians);
  const sin = Math.sin(radians);
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      // Inverse mapping: where in the source does this output pixel come from (turn back counter-clockwise).
      const dx = x - cx;
      const dy = y - cy;
      const sx = Math.round(cx + dx * cos + dy * sin);
      const sy = Math.round(cy - dx * sin + dy * cos);
      if (sx >= 0 && sx < width && sy >= 0 && sy < height) out[y * width + x] = data[sy * width + sx] ?? 255;
    }
  }
  return { width, height, data: out };
}
