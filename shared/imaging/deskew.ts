/**
 * Skew of a scanned text page, by the projection-profile method: when the page is turned so that its text
 * lines are horizontal, the ink piles up into a few rows, and the sum of squared row counts is largest.
 * A coarse search over ±maxDegrees is refined around the best angle.
 */
import { inkThreshold, type GrayImage } from './gray';

export interface SkewEstimate {
  /**
   * Degrees the CONTENT is turned counter-clockwise on the page (positive = text lines rise to the right).
   * Rotating the image clockwise by this angle straightens it.
   */
  readonly angleDegrees: number;
  /** How much better the best angle scores than the page left as it is (1 = no evidence of skew). */
  readonly confidence: number;
  /** Ink pixels the estimate was based on; few means the angle is a guess (e.g. a photo or a blank page). */
  readonly inkPixels: number;
}

export interface SkewOptions {
  readonly maxDegrees?: number;
  readonly coarseStepDegrees?: number;
  readonly fineStepDegrees?: number;
  /** At most this many ink pixels are used (evenly sampled) — keeps the search cheap on dense pages. */
  readonly maxSamples?: number;
}

function inkCoordinates(image: GrayImage, maxSamples: number): { xs: Float64Array; ys: Float64Array } {
  const threshold = inkThreshold(image);
  let count = 0;
  for (const value of image.data) if (value <= threshold) count++;
  const stride = Math.max(1, Math.ceil(count / maxSamples));
  const size = Math.ceil(count / stride);
  const xs = new Float64Array(size);
  const ys = new Float64Array(size);
  let seen = 0;
  let kept = 0;
  const cx = image.width / 2;
  const cy = image.height / 2;
  for (let y = 0; y < image.height; y++) {
    const row = y * image.width;
    for (let x = 0; x < image.width; x++) {
      if ((image.data[row + x] ?? 255) > threshold) continue;
      if (seen++ % stride !== 0 || kept >= size) continue;
      xs[kept] = x - cx;
      ys[kept] = y - cy;
      kept++;
    }
  }
  return { xs: xs.subarray(0, kept), ys: ys.subarray(0, kept) };
}

/** Sum of squared counts of the ink projected onto rows of a page turned by `degrees`. */
function profileScore(xs: Float64Array, ys: Float64Array, degrees: number, bins: Float64Array, offset: number): number {
  const radians = (degrees * Math.PI) / 180;
  const sin = Math.sin(radians);
  const cos = Math.cos(radians);
  bins.fill(0);
  for (let i = 0; i < xs.length; i++) {
    // Row of the point once the content is turned back clockwise by `degrees`.
    const row = Math.round((ys[i] ?? 0) * cos + (xs[i] ?? 0) * sin) + offset;
    if (row >= 0 && row < bins.length) bins[row] = (bins[row] ?? 0) + 1;
  }
  let score = 0;
  for (const n of bins) score += n * n;
  return score;
}

export function estimateSkew(image: GrayImage, options: SkewOptions = {}): SkewEstimate {
  const maxDegrees = options.maxDegrees ?? 15;
  const coarseStep = options.coarseStepDegrees ?? 0.5;
  const fineStep = options.fineStepDegrees ?? 0.05;
  const { xs, ys } = inkCoordinates(image, options.maxSamples ?? 60_000);
  if (xs.length < 50) return { angleDegrees: 0, confidence: 1, inkPixels: xs.length };
  const diagonal = Math.ceil(Math.hypot(image.width, image.height));
  const bins = new Float64Array(diagonal + 2);
  const offset = Math.floor(diagonal / 2) + 1;
  const scoreAt = (degrees: number) => profileScore(xs, ys, degrees, bins, offset);

  let best = 0;
  let bestScore = scoreAt(0);
  const level = bestScore;
  for (let degrees = -maxDegrees; degrees <= maxDegrees + 1e-9; degrees += coarseStep) {
    const score = scoreAt(degrees);
    if (score > bestScore) {
      bestScore = score;
      best = degrees;
    }
  }
  const centre = best;
  for (let degrees = centre - coarseStep; degrees <= centre + coarseStep + 1e-9; degrees += fineStep) {
    const score = scoreAt(degrees);
    if (score > bestScore) {
      bestScore = score;
      best = degrees;
    }
  }
  return { angleDegrees: Math.round(best * 100) / 100, confidence: level > 0 ? bestScore / level : 1, inkPixels: xs.length };
}
