/**
 * Legibility of a cleaned page measured against the truth: SSIM (structural similarity, Wang et al. 2004) of
 * the cleaned page's grey image against the clean render of the same source page.
 *
 * The cleaned page is cropped and straightened from a crooked scan, so it is not pixel-aligned with the
 * render: it is registered first, by translation only — once for the whole page (on 4× reduced copies), then
 * tile by tile (±4 px), which also absorbs what is left of the skew (0.1° moves a 290 px tile's far edge by
 * 0.5 px). Alignment is to the whole pixel, so even a perfect copy resampled by a sub-pixel rotation scores
 * below 1: the figures compare encoders and settings on the same pages, they are not an absolute scale.
 *
 * SSIM per pixel over a 7×7 box window (as scikit-image's default), constants K1 = 0.01, K2 = 0.03 for 8-bit;
 * a page's score is the mean over the tiles that hold ink in the source (white margins would score 1 and
 * flatter every setting alike). Written here because no npm SSIM package registers images.
 */
import type { GrayImage } from '../../shared/imaging';

const window = 7;
const c1 = (0.01 * 255) ** 2;
const c2 = (0.03 * 255) ** 2;

function reduce4(image: GrayImage): GrayImage {
  const width = Math.floor(image.width / 4);
  const height = Math.floor(image.height / 4);
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let dy = 0; dy < 4; dy++) for (let dx = 0; dx < 4; dx++) sum += image.data[(y * 4 + dy) * image.width + x * 4 + dx] ?? 0;
      data[y * width + x] = sum >> 4;
    }
  }
  return { width, height, data };
}

/** Mean absolute difference of `a`'s rectangle against `b` shifted by (dx, dy), sampled every `step` px. */
function difference(a: GrayImage, b: GrayImage, x0: number, y0: number, w: number, h: number, dx: number, dy: number, step: number): number {
  let sum = 0;
  let n = 0;
  for (let y = y0; y < y0 + h; y += step) {
    const by = y + dy;
    if (by < 0 || by >= b.height) continue;
    for (let x = x0; x < x0 + w; x += step) {
      const bx = x + dx;
      if (bx < 0 || bx >= b.width) continue;
      sum += Math.abs((a.data[y * a.width + x] ?? 0) - (b.data[by * b.width + bx] ?? 0));
      n++;
    }
  }
  return n > w * h * 0.5 / (step * step) ? sum / n : Infinity;
}

function bestShift(a: GrayImage, b: GrayImage, x0: number, y0: number, w: number, h: number, cx: number, cy: number, radius: number, step: number): [number, number] {
  let best: [number, number] = [cx, cy];
  let bestDiff = Infinity;
  for (let dy = cy - radius; dy <= cy + radius; dy++) {
    for (let dx = cx - radius; dx <= cx + radius; dx++) {
      const diff = difference(a, b, x0, y0, w, h, dx, dy, step);
      if (diff < bestDiff) {
        bestDiff = diff;
        best = [dx, dy];
      }
    }
  }
  return best;
}

/** Mean SSIM of source's rectangle against `test` shifted by (dx, dy); box window, valid positions only. */
function ssimOfTile(source: GrayImage, test: GrayImage, x0: number, y0: number, w: number, h: number, dx: number, dy: number): number {
  const half = window >> 1;
  const n = window * window;
  let total = 0;
  let count = 0;
  // Column sums over the window, slid down the rows: O(pixels) per tile.
  const sums = [new Float64Array(w), new Float64Array(w), new Float64Array(w), new Float64Array(w), new Float64Array(w)];
  const add = (y: number, sign: number) => {
    for (let x = 0; x < w; x++) {
      const s = source.data[y * source.width + x0 + x] ?? 0;
      const t = test.data[(y + dy) * test.width + x0 + x + dx] ?? 0;
      sums[0]![x]! += sign * s;
      sums[1]![x]! += sign * t;
      sums[2]![x]! += sign * s * s;
      sums[3]![x]! += sign * t * t;
      sums[4]![x]! += sign * s * t;
    }
  };
  for (let y = y0; y < y0 + window; y++) add(y, 1);
  for (let y = y0 + half; y < y0 + h - half; y++) {
    if (y > y0 + half) {
      add(y - half - 1, -1);
      add(y + half, 1);
    }
    let sx = 0, st = 0, sxx = 0, stt = 0, sxt = 0;
    for (let x = 0; x < window; x++) {
      sx += sums[0]![x]!; st += sums[1]![x]!; sxx += sums[2]![x]!; stt += sums[3]![x]!; sxt += sums[4]![x]!;
    }
    for (let x = half; x < w - half; x++) {
      if (x > half) {
        const out = x - half - 1;
        const inn = x + half;
        sx += sums[0]![inn]! - sums[0]![out]!;
        st += sums[1]![inn]! - sums[1]![out]!;
        sxx += sums[2]![inn]! - sums[2]![out]!;
        stt += sums[3]![inn]! - sums[3]![out]!;
        sxt += sums[4]![inn]! - sums[4]![out]!;
      }
      const mx = sx / n;
      const mt = st / n;
      // Sample (co)variances, as scikit-image does with its default settings.
      const vx = ((sxx - n * mx * mx) / (n - 1));
      const vt = ((stt - n * mt * mt) / (n - 1));
      const cov = ((sxt - n * mx * mt) / (n - 1));
      total += ((2 * mx * mt + c1) * (2 * cov + c2)) / ((mx * mx + mt * mt + c1) * (vx + vt + c2));
      count++;
    }
  }
  return count > 0 ? total / count : 1;
}

export interface PageSsim {
  /** Mean SSIM over the tiles of the source that hold ink. */
  readonly ssim: number;
  /** The worst such tile: a smudged or cut-off region shows here before it moves the mean. */
  readonly worstTile: number;
  readonly tiles: number;
}

/** SSIM of `test` (a cleaned page, any size) against `source` (the clean render), registered as described above. */
export function registeredSsim(source: GrayImage, test: GrayImage, { columns = 6, rows = 8 } = {}): PageSsim {
  // Whole-page offset, source → test, on 4× reduced copies around the centred guess.
  const smallSource = reduce4(source);
  const smallTest = reduce4(test);
  const guessX = Math.round((smallTest.width - smallSource.width) / 2);
  const guessY = Math.round((smallTest.height - smallSource.height) / 2);
  const reach = Math.max(12, Math.abs(guessX) + 4, Math.abs(guessY) + 4);
  const margin = Math.ceil(smallSource.width * 0.1);
  const [gx, gy] = bestShift(smallSource, smallTest, margin, margin, smallSource.width - 2 * margin, smallSource.height - 2 * margin, guessX, guessY, reach, 3);
  const tileWidth = Math.floor(source.width / columns);
  const tileHeight = Math.floor(source.height / rows);
  const scores: number[] = [];
  for (let row = 0; row < rows; row++) {
    for (let column = 0; column < columns; column++) {
      const x0 = column * tileWidth;
      const y0 = row * tileHeight;
      let ink = 0;
      for (let y = y0; y < y0 + tileHeight; y += 2) for (let x = x0; x < x0 + tileWidth; x += 2) if ((source.data[y * source.width + x] ?? 255) < 128) ink++;
      if (ink < (tileWidth * tileHeight) / 4 * 0.01) continue;
      const [dx, dy] = bestShift(source, test, x0, y0, tileWidth, tileHeight, gx * 4, gy * 4, 6, 2);
      // A tile that falls partly outside the cleaned page is scored on the part that overlaps (a few pixels of
      // white margin cut with the lid's shadow); one cut by more than a tenth (text lost) scores 0.
      const left = Math.max(x0, -dx);
      const top = Math.max(y0, -dy);
      const right = Math.min(x0 + tileWidth, test.width - dx);
      const bottom = Math.min(y0 + tileHeight, test.height - dy);
      const overlap = ((right - left) * (bottom - top)) / (tileWidth * tileHeight);
      scores.push(right - left > window && bottom - top > window && overlap >= 0.9 ? ssimOfTile(source, test, left, top, right - left, bottom - top, dx, dy) : 0);
    }
  }
  const ssim = scores.reduce((a, b) => a + b, 0) / Math.max(1, scores.length);
  return { ssim, worstTile: scores.length ? Math.min(...scores) : 1, tiles: scores.length };
}
