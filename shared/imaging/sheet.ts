/**
 * Where the sheet of paper is in a scan: a flatbed scans its whole glass (A4 on a letter-size bed, or a small
 * ID card) and an ADF reads past the sheet's ends (over-scan); the uncovered area comes out dark (black
 * backing) or grey (lid). Those bands are found from each side inwards: in every column (row) the first run of
 * paper-bright pixels is the sheet's edge there, and a straight line fitted through these points is the
 * sheet's edge on that side — crooked when the sheet lay crooked. The four lines make the sheet's outline.
 *
 * Even a thin band must go: left in the page, a long straight dark edge outweighs the text lines in the skew
 * estimate (projection profile) and ends up as a black bar in the signed PDF.
 */
import { histogram, percentile, type GrayImage } from './gray';
import type { Point, Quad } from './perspective';

export interface SheetBounds {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
  /** False when the sheet fills the scan (nothing worth cropping). */
  readonly cropped: boolean;
  /**
   * The sheet's outline (top-left, top-right, bottom-right, bottom-left) in the image's pixel-edge coordinates;
   * may reach outside the image where the sheet itself does. The box above is its bounding box, kept inside
   * the image.
   */
  readonly corners: Quad;
}

export interface SheetOptions {
  /** A pixel belongs to the paper when it is at most this many levels darker than the paper. Default 45. */
  readonly paperTolerance?: number;
}

/** Paper-bright pixels in a row that start the sheet: fewer could be noise on a band. */
const paperRun = 3;
/** Bands thinner than this (pixels of the analysis copy, 0.25 mm at 100 dpi) are the scanner's edge, left alone. */
const minBand = 1;
/** The paper must be at least this bright (grey level) for a darker border to be a band around it. */
const minPaperLevel = 128;
/** A sheet's edge is within ±15° of the scan's axes (the skew search's range). */
const maxSlope = Math.tan((15 * Math.PI) / 180);

/** Depth (pixels from the side) of the sheet's edge: depth = a + b·t along the side, t from the side's start. */
interface EdgeLine {
  readonly a: number;
  readonly b: number;
}

const noBand: EdgeLine = { a: 0, b: 0 };

function whole(image: GrayImage): SheetBounds {
  const { width, height } = image;
  const corners: Quad = [
    { x: 0, y: 0 },
    { x: width, y: 0 },
    { x: width, y: height },
    { x: 0, y: height },
  ];
  return { left: 0, top: 0, width, height, cropped: false, corners };
}

/**
 * Depth of the first paper run along each line across the side: `depths[t]` for t = 0…length−1, or NaN where
 * the line has no paper at all.
 */
function edgeDepths(image: GrayImage, bright: number, side: 'top' | 'bottom' | 'left' | 'right'): Float64Array {
  const { width, height, data } = image;
  const across = side === 'top' || side === 'bottom';
  const length = across ? width : height;
  const depth = across ? height : width;
  const depths = new Float64Array(length).fill(Number.NaN);
  for (let t = 0; t < length; t++) {
    let run = 0;
    for (let d = 0; d < depth; d++) {
      const x = across ? t : side === 'left' ? d : width - 1 - d;
      const y = across ? (side === 'top' ? d : height - 1 - d) : t;
      if ((data[y * width + x] ?? 0) >= bright) {
        if (++run === paperRun) {
          depths[t] = d - paperRun + 1;
          break;
        }
      } else run = 0;
    }
  }
  return depths;
}

/**
 * A straight edge through the depths, robust to what is not the edge: the ends of the side (where the
 * neighbouring sides' bands or wedges reach) are skipped, and points far from the line are dropped and the line
 * fitted again (a dark picture or a hole punched at the sheet's edge). Null when there is no straight edge.
 */
function fitEdge(depths: Float64Array): EdgeLine | null {
  const from = Math.floor(depths.length * 0.15);
  const to = Math.ceil(depths.length * 0.85);
  let points: { t: number; d: number }[] = [];
  for (let t = from; t < to; t++) if (!Number.isNaN(depths[t] ?? Number.NaN)) points.push({ t, d: depths[t] ?? 0 });
  if (points.length < (to - from) * 0.5) return null;
  let line: EdgeLine = noBand;
  for (let round = 0; round < 4; round++) {
    const n = points.length;
    let st = 0;
    let sd = 0;
    for (const p of points) {
      st += p.t;
      sd += p.d;
    }
    const mt = st / n;
    const md = sd / n;
    let stt = 0;
    let std = 0;
    for (const p of points) {
      stt += (p.t - mt) ** 2;
      std += (p.t - mt) * (p.d - md);
    }
    const b = stt > 0 ? std / stt : 0;
    line = { a: md - b * mt, b };
    const residuals = points.map((p) => Math.abs(p.d - (line.a + line.b * p.t))).sort((x, y) => x - y);
    const limit = Math.max(1.5, 3 * (residuals[Math.floor(residuals.length / 2)] ?? 0));
    const kept = points.filter((p) => Math.abs(p.d - (line.a + line.b * p.t)) <= limit);
    if (kept.length === points.length || kept.length < (to - from) * 0.3) break;
    points = kept;
  }
  return Math.abs(line.b) <= maxSlope ? line : null;
}

/** The band is real when the edge lies at least `minBand` in from the side somewhere along it. */
function deepestPoint(line: EdgeLine, length: number): number {
  return Math.max(line.a, line.a + line.b * length);
}

function crossing(p: Point, q: Point, r: Point, s: Point): Point {
  // Line p→q meets line r→s (the sides are never parallel: each is within 15° of a different axis).
  const d = (q.x - p.x) * (s.y - r.y) - (q.y - p.y) * (s.x - r.x);
  const u = ((r.x - p.x) * (s.y - r.y) - (r.y - p.y) * (s.x - r.x)) / d;
  return { x: p.x + u * (q.x - p.x), y: p.y + u * (q.y - p.y) };
}

export function findSheet(image: GrayImage, options: SheetOptions = {}): SheetBounds {
  const { width, height } = image;
  const paper = percentile(histogram(image), 0.9);
  // No bright paper (a dark photograph, an all-black page): there is no sheet to tell from a band.
  if (paper < minPaperLevel) return whole(image);
  const bright = paper - (options.paperTolerance ?? 45);
  const lines = (['top', 'right', 'bottom', 'left'] as const).map((side) => {
    const length = side === 'top' || side === 'bottom' ? width : height;
    const line = fitEdge(edgeDepths(image, bright, side));
    return line && deepestPoint(line, length) >= minBand ? line : noBand;
  });
  const [top = noBand, right = noBand, bottom = noBand, left = noBand] = lines;
  if (lines.every((line) => line === noBand)) return whole(image);
  // Each side as two points in image coordinates, then the corners where neighbouring sides meet.
  const topSide = [{ x: 0, y: top.a }, { x: width, y: top.a + top.b * width }] as const;
  const bottomSide = [{ x: 0, y: height - bottom.a }, { x: width, y: height - bottom.a - bottom.b * width }] as const;
  const leftSide = [{ x: left.a, y: 0 }, { x: left.a + left.b * height, y: height }] as const;
  const rightSide = [{ x: width - right.a, y: 0 }, { x: width - right.a - right.b * height, y: height }] as const;
  const corners: Quad = [
    crossing(...topSide, ...leftSide),
    crossing(...topSide, ...rightSide),
    crossing(...bottomSide, ...rightSide),
    crossing(...bottomSide, ...leftSide),
  ];
  const xs = corners.map((c) => c.x);
  const ys = corners.map((c) => c.y);
  const x0 = Math.max(0, Math.floor(Math.min(...xs)));
  const y0 = Math.max(0, Math.floor(Math.min(...ys)));
  const x1 = Math.min(width, Math.ceil(Math.max(...xs)));
  const y1 = Math.min(height, Math.ceil(Math.max(...ys)));
  // A "sheet" of a sliver of the scan is a dark picture's light patch, not paper: keep the scan as it is.
  if (x1 - x0 < width * 0.2 || y1 - y0 < height * 0.2) return whole(image);
  return { left: x0, top: y0, width: x1 - x0, height: y1 - y0, cropped: true, corners };
}

/**
 * Paints white what lies outside the sheet (moved by `offset`, shrunk by `inset` pixels: the paper's own edge
 * is often shadowed), so that no band or wedge of lid is taken for ink.
 */
export function whitenOutside(image: GrayImage, corners: Quad, offset: Point, inset: number): GrayImage {
  const { width, height } = image;
  const data = image.data.slice();
  const quad = corners.map((c) => ({ x: c.x - offset.x, y: c.y - offset.y }));
  // Each side as a half-plane n·(c − p) ≥ inset (the quad runs clockwise on screen, so n points onto the sheet).
  const sides = quad.map((p, i) => {
    const q = quad[(i + 1) % 4] as Point;
    const length = Math.hypot(q.x - p.x, q.y - p.y) || 1;
    return { p, nx: -(q.y - p.y) / length, ny: (q.x - p.x) / length };
  });
  for (let y = 0; y < height; y++) {
    const cy = y + 0.5;
    // The pixel centres of this row on the sheet: x from `from` to `to` (inclusive), narrowed by each side.
    let from = 0;
    let to = width - 1;
    for (const { p, nx, ny } of sides) {
      const rest = inset - (cy - p.y) * ny; // needs nx·(x + 0.5 − p.x) ≥ rest
      if (Math.abs(nx) < 1e-12) {
        if (rest > 0) to = -1;
      } else if (nx > 0) from = Math.max(from, Math.ceil(p.x + rest / nx - 0.5));
      else to = Math.min(to, Math.floor(p.x + rest / nx - 0.5));
    }
    const row = y * width;
    if (to < from) data.fill(255, row, row + width);
    else {
      data.fill(255, row, row + Math.max(0, from));
      data.fill(255, row + Math.min(width, to + 1), row + width);
    }
  }
  return { width, height, data };
}
