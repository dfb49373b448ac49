/**
 * Where the sheet is in a camera photo: the largest bright region (paper) on a darker background (desk,
 * document-camera base), reduced to the quadrilateral its four edges make. Perspective keeps the page's edges
 * straight, so each side is re-fitted as a line through the region's outline and the corners are the lines'
 * crossings — sub-pixel, and robust to a rounded or dog-eared corner.
 *
 * Why not OpenCV (opencv.js)? It would do this with findContours + approxPolyDP + getPerspectiveTransform,
 * but it is an ~8 MB wasm/asm bundle for three functions; this file and `perspective.ts` are ~300 lines,
 * platform-free and tested on pages ImageMagick photographs at an angle.
 */
import { histogram, otsuThreshold, type GrayImage } from './gray';
import type { Point, Quad } from './perspective';

export interface PageQuad {
  /** Top-left, top-right, bottom-right, bottom-left, in pixel-edge coordinates of the analysed image. */
  readonly corners: Quad;
  /** The sheet's share of the image area. */
  readonly areaShare: number;
}

export interface PageQuadOptions {
  /** The sheet must cover at least this share of the photo. Default 0.08. */
  readonly minAreaShare?: number;
}

function cross(o: Point, a: Point, b: Point): number {
  return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
}

/** Andrew's monotone chain; counter-clockwise in y-up terms (clockwise on screen), no repeated end point. */
function convexHull(points: Point[]): Point[] {
  const sorted = [...points].sort((a, b) => a.x - b.x || a.y - b.y);
  if (sorted.length < 3) return sorted;
  const lower: Point[] = [];
  for (const p of sorted) {
    while (lower.length >= 2 && cross(lower[lower.length - 2] as Point, lower[lower.length - 1] as Point, p) <= 0) lower.pop();
    lower.push(p);
  }
  const upper: Point[] = [];
  for (let i = sorted.length - 1; i >= 0; i--) {
    const p = sorted[i] as Point;
    while (upper.length >= 2 && cross(upper[upper.length - 2] as Point, upper[upper.length - 1] as Point, p) <= 0) upper.pop();
    upper.push(p);
  }
  return [...lower.slice(0, -1), ...upper.slice(0, -1)];
}

function polygonArea(points: readonly Point[]): number {
  let sum = 0;
  for (let i = 0; i < points.length; i++) {
    const a = points[i] as Point;
    const b = points[(i + 1) % points.length] as Point;
    sum += a.x * b.y - b.x * a.y;
  }
  return sum / 2;
}

/** The four hull vertices spanning the largest quadrilateral: for every diagonal, the farthest vertex on each side. */
function largestQuad(hull: readonly Point[]): Point[] | null {
  const n = hull.length;
  if (n < 4) return null;
  let best: Point[] | null = null;
  let bestArea = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 2; j < n; j++) {
      const a = hull[i] as Point;
      const c = hull[j] as Point;
      let left = -1;
      let leftArea = 0;
      for (let k = i + 1; k < j; k++) {
        const area = Math.abs(cross(a, c, hull[k] as Point));
        if (area > leftArea) [left, leftArea] = [k, area];
      }
      let right = -1;
      let rightArea = 0;
      for (let k = j + 1; k < n + i; k++) {
        const area = Math.abs(cross(a, c, hull[k % n] as Point));
        if (area > rightArea) [right, rightArea] = [k % n, area];
      }
      if (left < 0 || right < 0 || leftArea + rightArea <= bestArea) continue;
      bestArea = leftArea + rightArea;
      best = [a, hull[left] as Point, c, hull[right] as Point];
    }
  }
  return best;
}

interface Line {
  readonly point: Point;
  readonly direction: Point;
}

/** Total-least-squares line through points (principal axis of their scatter). */
function fitLine(points: readonly Point[]): Line | null {
  if (points.length < 5) return null;
  let mx = 0;
  let my = 0;
  for (const p of points) {
    mx += p.x;
    my += p.y;
  }
  mx /= points.length;
  my /= points.length;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (const p of points) {
    sxx += (p.x - mx) ** 2;
    sxy += (p.x - mx) * (p.y - my);
    syy += (p.y - my) ** 2;
  }
  const angle = 0.5 * Math.atan2(2 * sxy, sxx - syy);
  return { point: { x: mx, y: my }, direction: { x: Math.cos(angle), y: Math.sin(angle) } };
}

function intersect(a: Line, b: Line): Point | null {
  const det = a.direction.x * b.direction.y - a.direction.y * b.direction.x;
  if (Math.abs(det) < 1e-9) return null;
  const t = ((b.point.x - a.point.x) * b.direction.y - (b.point.y - a.point.y) * b.direction.x) / det;
  return { x: a.point.x + t * a.direction.x, y: a.point.y + t * a.direction.y };
}

/** Outline points of the side from p to q: close to the segment and away from its ends (the corners). */
function sidePoints(outline: readonly Point[], p: Point, q: Point): Point[] {
  const length = Math.hypot(q.x - p.x, q.y - p.y);
  if (length === 0) return [];
  const ux = (q.x - p.x) / length;
  const uy = (q.y - p.y) / length;
  const tolerance = Math.max(2, length * 0.012);
  return outline.filter((o) => {
    const along = (o.x - p.x) * ux + (o.y - p.y) * uy;
    const off = Math.abs(-(o.x - p.x) * uy + (o.y - p.y) * ux);
    return off <= tolerance && along > length * 0.12 && along < length * 0.88;
  });
}

/**
 * The sheet's corners in a grey photo, or null when there is no clear sheet: nothing bright enough, too
 * small, not four-sided, or the paper already fills the frame (nothing to flatten).
 */
export function findPageQuad(image: GrayImage, options: PageQuadOptions = {}): PageQuad | null {
  const { width, height, data } = image;
  const threshold = otsuThreshold(histogram(image));
  // Largest 4-connected bright region: the paper (text on it leaves holes, which the outline ignores).
  const labels = new Int32Array(width * height);
  const queue = new Int32Array(width * height);
  let bestLabel = 0;
  let bestSize = 0;
  let next = 0;
  for (let start = 0; start < data.length; start++) {
    if (labels[start] !== 0 || (data[start] ?? 0) <= threshold) continue;
    next++;
    let head = 0;
    let tail = 0;
    queue[tail++] = start;
    labels[start] = next;
    while (head < tail) {
      const i = queue[head++] as number;
      const x = i % width;
      const neighbours = [x > 0 ? i - 1 : -1, x < width - 1 ? i + 1 : -1, i >= width ? i - width : -1, i + width < data.length ? i + width : -1];
      for (const j of neighbours) {
        if (j < 0 || labels[j] !== 0 || (data[j] ?? 0) <= threshold) continue;
        labels[j] = next;
        queue[tail++] = j;
      }
    }
    if (tail > bestSize) [bestLabel, bestSize] = [next, tail];
  }
  if (bestSize < width * height * (options.minAreaShare ?? 0.08)) return null;

  // Outline samples in pixel-edge coordinates: each row's first/last paper pixel, each column's top/bottom.
  const outline: Point[] = [];
  let minX = width;
  let maxX = -1;
  let minY = height;
  let maxY = -1;
  for (let y = 0; y < height; y++) {
    let first = -1;
    let last = -1;
    for (let x = 0; x < width; x++) {
      if (labels[y * width + x] !== bestLabel) continue;
      if (first < 0) first = x;
      last = x;
    }
    if (first < 0) continue;
    outline.push({ x: first, y: y + 0.5 }, { x: last + 1, y: y + 0.5 });
    minX = Math.min(minX, first);
    maxX = Math.max(maxX, last);
    minY = Math.min(minY, y);
    maxY = y;
  }
  for (let x = minX; x <= maxX; x++) {
    let first = -1;
    let last = -1;
    for (let y = minY; y <= maxY; y++) {
      if (labels[y * width + x] !== bestLabel) continue;
      if (first < 0) first = y;
      last = y;
    }
    if (first >= 0) outline.push({ x: x + 0.5, y: first }, { x: x + 0.5, y: last + 1 });
  }
  // Paper touching every edge of the frame fills it: there is no sheet outline to straighten.
  if (minX === 0 && minY === 0 && maxX === width - 1 && maxY === height - 1) return null;

  const hull = convexHull(outline);
  const rough = largestQuad(hull);
  if (!rough) return null;
  const hullArea = Math.abs(polygonArea(hull));
  // A sheet is four-sided: its best quadrilateral covers nearly all of its hull (a blob or a hand does not).
  if (Math.abs(polygonArea(rough)) < hullArea * 0.9) return null;

  const lines = rough.map((p, i) => fitLine(sidePoints(outline, p, rough[(i + 1) % 4] as Point)));
  const refined = rough.map((p, i) => {
    const before = lines[(i + 3) % 4];
    const after = lines[i];
    const crossing = before && after ? intersect(before, after) : null;
    // A crossing far from the rough corner means a side was not straight: keep the hull vertex.
    return crossing && Math.hypot(crossing.x - p.x, crossing.y - p.y) < Math.max(6, 0.03 * Math.max(width, height)) ? crossing : p;
  });

  // Screen order top-left, top-right, bottom-right, bottom-left: clockwise on screen, starting nearest the origin.
  const clockwise = polygonArea(refined) > 0 ? refined : [...refined].reverse();
  let first = 0;
  clockwise.forEach((p, i) => {
    const f = clockwise[first] as Point;
    if (p.x + p.y < f.x + f.y) first = i;
  });
  const corners = [0, 1, 2, 3].map((k) => clockwise[(first + k) % 4] as Point) as unknown as Quad;
  return { corners, areaShare: Math.abs(polygonArea(corners)) / (width * height) };
}
