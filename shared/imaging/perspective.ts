/**
 * Perspective flattening for a page photographed at an angle (document camera, webcam): the homography that
 * takes the sheet's four corners in the photo to the corners of an upright rectangle, and the inverse-mapped
 * bilinear warp that produces the flat page. Platform-free (plain arrays), so the renderer runs it in a
 * worker and the tests run it in Node.
 */

export interface Point {
  readonly x: number;
  readonly y: number;
}

/** Corners in order top-left, top-right, bottom-right, bottom-left (as the page reads). */
export type Quad = readonly [Point, Point, Point, Point];

/** A 3×3 projective matrix, row-major. */
export type Homography = readonly number[];

/** Colour pixels, 4 bytes each (R, G, B, A), row-major: what a canvas's ImageData holds. */
export interface RgbaImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array | Uint8ClampedArray;
}

/** Solves A·x = b (n×n, row-major) by Gaussian elimination with partial pivoting; null when singular. */
function solve(a: number[][], b: number[]): number[] | null {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i] ?? 0]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r]?.[col] ?? 0) > Math.abs(m[pivot]?.[col] ?? 0)) pivot = r;
    const pivotRow = m[pivot];
    if (!pivotRow || Math.abs(pivotRow[col] ?? 0) < 1e-12) return null;
    [m[col], m[pivot]] = [pivotRow, m[col] ?? []];
    const row = m[col] ?? [];
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const target = m[r] ?? [];
      const factor = (target[col] ?? 0) / (row[col] ?? 1);
      if (factor === 0) continue;
      for (let c = col; c <= n; c++) target[c] = (target[c] ?? 0) - factor * (row[c] ?? 0);
    }
  }
  return m.map((row, i) => (row[n] ?? 0) / (row[i] ?? 1));
}

/**
 * The homography H with H·from[i] ≃ to[i] for the four point pairs (h33 fixed to 1). Throws when three of
 * the points are collinear (no such mapping).
 */
export function homographyFromQuads(from: Quad, to: Quad): Homography {
  const a: number[][] = [];
  const b: number[] = [];
  for (let i = 0; i < 4; i++) {
    const { x, y } = from[i] as Point;
    const { x: u, y: v } = to[i] as Point;
    a.push([x, y, 1, 0, 0, 0, -u * x, -u * y]);
    b.push(u);
    a.push([0, 0, 0, x, y, 1, -v * x, -v * y]);
    b.push(v);
  }
  const h = solve(a, b);
  if (!h) throw new RangeError('degenerate quadrilateral: no perspective mapping');
  return [...h, 1];
}

export function applyHomography(h: Homography, p: Point): Point {
  const w = (h[6] ?? 0) * p.x + (h[7] ?? 0) * p.y + (h[8] ?? 1);
  return { x: ((h[0] ?? 0) * p.x + (h[1] ?? 0) * p.y + (h[2] ?? 0)) / w, y: ((h[3] ?? 0) * p.x + (h[4] ?? 0) * p.y + (h[5] ?? 0)) / w };
}

/** The rectangle a flattened page gets: A4 at `dpi`, portrait unless the quadrilateral is wider than tall. */
export function a4OutputSize(quad: Quad, dpi: number): { width: number; height: number } {
  const [tl, tr, br, bl] = quad;
  const across = (Math.hypot(tr.x - tl.x, tr.y - tl.y) + Math.hypot(br.x - bl.x, br.y - bl.y)) / 2;
  const down = (Math.hypot(bl.x - tl.x, bl.y - tl.y) + Math.hypot(br.x - tr.x, br.y - tr.y)) / 2;
  const short = Math.round((210 / 25.4) * dpi);
  const long = Math.round((297 / 25.4) * dpi);
  return across > down ? { width: long, height: short } : { width: short, height: long };
}

/**
 * The page inside `quad` (corners in `source`'s pixel-edge coordinates, TL TR BR BL) as an upright
 * `width`×`height` image. Each output pixel is mapped back into the photo and sampled bilinearly; outside
 * the photo it is white (paper), so a corner cut off by the frame does not come out black.
 */
export function warpPerspective(source: RgbaImage, quad: Quad, width: number, height: number): RgbaImage {
  if (source.data.length !== source.width * source.height * 4) throw new RangeError('source is not RGBA');
  const target: Quad = [
    { x: 0, y: 0 },
    { x: width, y: 0 },
    { x: width, y: height },
    { x: 0, y: height },
  ];
  const h = homographyFromQuads(target, quad);
  const [h0 = 0, h1 = 0, h2 = 0, h3 = 0, h4 = 0, h5 = 0, h6 = 0, h7 = 0, h8 = 1] = h;
  const out = new Uint8ClampedArray(width * height * 4);
  const src = source.data;
  const sw = source.width;
  const sh = source.height;
  for (let v = 0; v < height; v++) {
    const cy = v + 0.5;
    for (let u = 0; u < width; u++) {
      const cx = u + 0.5;
      const w = h6 * cx + h7 * cy + h8;
      // Pixel centres sit at .5 in edge coordinates: shift back to index space for interpolation.
      const x = (h0 * cx + h1 * cy + h2) / w - 0.5;
      const y = (h3 * cx + h4 * cy + h5) / w - 0.5;
      const o = (v * width + u) * 4;
      if (x < -0.5 || y < -0.5 || x > sw - 0.5 || y > sh - 0.5) {
        out[o] = 255;
        out[o + 1] = 255;
        out[o + 2] = 255;
        out[o + 3] = 255;
        continue;
      }
      const x0 = Math.max(0, Math.min(sw - 1, Math.floor(x)));
      const y0 = Math.max(0, Math.min(sh - 1, Math.floor(y)));
      const x1 = Math.min(sw - 1, x0 + 1);
      const y1 = Math.min(sh - 1, y0 + 1);
      const fx = Math.max(0, Math.min(1, x - x0));
      const fy = Math.max(0, Math.min(1, y - y0));
      const i00 = (y0 * sw + x0) * 4;
      const i10 = (y0 * sw + x1) * 4;
      const i01 = (y1 * sw + x0) * 4;
      const i11 = (y1 * sw + x1) * 4;
      for (let c = 0; c < 3; c++) {
        const top = (src[i00 + c] ?? 0) * (1 - fx) + (src[i10 + c] ?? 0) * fx;
        const bottom = (src[i01 + c] ?? 0) * (1 - fx) + (src[i11 + c] ?? 0) * fx;
        out[o + c] = top * (1 - fy) + bottom * fy;
      }
      out[o + 3] = 255;
    }
  }
  return { width, height, data: out };
}

/** The grey copy page analysis works on (Rec. 601 luma), optionally shrunk by an integer box filter. */
export function rgbaToGray(image: RgbaImage, shrink = 1): { width: number; height: number; data: Uint8Array } {
  const f = Math.max(1, Math.floor(shrink));
  const width = Math.max(1, Math.floor(image.width / f));
  const height = Math.max(1, Math.floor(image.height / f));
  const out = new Uint8Array(width * height);
  const src = image.data;
  const n = f * f;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let dy = 0; dy < f; dy++) {
        let i = ((y * f + dy) * image.width + x * f) * 4;
        for (let dx = 0; dx < f; dx++, i += 4) sum += 0.299 * (src[i] ?? 0) + 0.587 * (src[i + 1] ?? 0) + 0.114 * (src[i + 2] ?? 0);
      }
      out[y * width + x] = Math.round(sum / n);
    }
  }
  return { width, height, data: out };
}
