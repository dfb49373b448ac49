/**
 * Clean-up of scans with dark over-scan bands (issue 14, finding 7): an ADF that reads past the sheet, or a grey
 * lid around a crooked sheet. A band is a long, straight, dark edge: left in the analysis copy it outweighs the
 * text lines in the skew estimate and, narrower than the sheet finder's old 2 % rule, was not cropped — the
 * page came out crooked with black bars.
 *
 * Every page here carries four solid squares just outside its text block (tests/support/page-images.ts,
 * `cornerMarks`). They are the independent measure: found in the cleaned page by their shape, their centres
 * give its remaining skew, and their distance to the page's edges tells that no content was cut off and that
 * no band was kept (the sheet's own margin, 30 pt, is what should remain).
 */
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { cleanPage } from '../../electron/services/imaging/page-pipeline';
import { grayImage, type GrayImage } from '../../shared/imaging';
import { cornerMarks, imageMagickJpeg, overscanPageJpeg, textPagesPdf, vietnameseText, type OverscanLook } from '../support/page-images';

const dpi = 200;
const pointToPx = dpi / 72;
const markPx = cornerMarks.size * pointToPx;
/** The sheet's margin outside each mark, in the page's pixels (top, right, bottom, left). */
const marginPx = (() => {
  const [topLeft, , bottomRight] = cornerMarks.at;
  return {
    top: (cornerMarks.page.height - topLeft.y) * pointToPx,
    right: (cornerMarks.page.width - bottomRight.x - cornerMarks.size) * pointToPx,
    bottom: (bottomRight.y - cornerMarks.size) * pointToPx,
    left: topLeft.x * pointToPx,
  };
})();

let pdf: Uint8Array;
beforeAll(async () => {
  pdf = await textPagesPdf(await vietnameseText(), 1, 120, { cornerMarks: true });
});

async function grayOf(jpeg: Uint8Array): Promise<GrayImage> {
  const { data, info } = await sharp(jpeg).greyscale().raw().toBuffer({ resolveWithObject: true });
  return grayImage(info.width, info.height, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
}

interface Blob {
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
  readonly cx: number;
  readonly cy: number;
}

/** Dark connected regions shaped like a corner mark: about its size, nearly square and nearly solid. */
function findMarks(image: GrayImage): Blob[] {
  const { width, height, data } = image;
  const seen = new Uint8Array(width * height);
  const stack = new Int32Array(width * height);
  const marks: Blob[] = [];
  for (let start = 0; start < data.length; start++) {
    if (seen[start] || (data[start] ?? 255) >= 128) continue;
    let top = 0;
    stack[top++] = start;
    seen[start] = 1;
    let n = 0;
    let sx = 0;
    let sy = 0;
    let [minX, minY, maxX, maxY] = [width, height, -1, -1];
    while (top > 0) {
      const i = stack[--top] ?? 0;
      const x = i % width;
      const y = (i - x) / width;
      n++;
      sx += x;
      sy += y;
      [minX, minY, maxX, maxY] = [Math.min(minX, x), Math.min(minY, y), Math.max(maxX, x), Math.max(maxY, y)];
      for (const j of [x > 0 ? i - 1 : -1, x < width - 1 ? i + 1 : -1, y > 0 ? i - width : -1, y < height - 1 ? i + width : -1]) {
        if (j < 0 || seen[j] || (data[j] ?? 255) >= 128) continue;
        seen[j] = 1;
        stack[top++] = j;
      }
    }
    const w = maxX - minX + 1;
    const h = maxY - minY + 1;
    // A mark turned by up to 5° still fills 85 % of its box; glyphs fill far less and are smaller.
    if (w > markPx * 0.8 && w < markPx * 1.3 && h > markPx * 0.8 && h < markPx * 1.3 && n > w * h * 0.75) {
      marks.push({ left: minX, top: minY, right: maxX, bottom: maxY, cx: sx / n, cy: sy / n });
    }
  }
  return marks;
}

interface PageGeometry {
  /** Mean of the angles of the four sides of the marks' quadrilateral, degrees (0 = straight). */
  readonly residualSkew: number;
  /** Pixels between the marks and the page's edges, each side's smaller one. */
  readonly gaps: { top: number; right: number; bottom: number; left: number };
}

/** The cleaned page's geometry from its four marks, one in each quarter of the page; throws if any is missing. */
function measure(image: GrayImage): PageGeometry {
  const marks = findMarks(image);
  const inQuarter = (right: boolean, low: boolean) => marks.filter((m) => m.cx >= image.width / 2 === right && m.cy >= image.height / 2 === low);
  const quarters = [inQuarter(false, false), inQuarter(true, false), inQuarter(true, true), inQuarter(false, true)];
  if (quarters.some((q) => q.length !== 1)) throw new Error(`expected one mark in each corner, found ${marks.length}: ${JSON.stringify(marks)}`);
  const [tl, tr, br, bl] = quarters.map((q) => q[0]) as [Blob, Blob, Blob, Blob];
  const degrees = (radians: number) => (radians * 180) / Math.PI;
  const angles = [
    degrees(Math.atan2(tr.cy - tl.cy, tr.cx - tl.cx)),
    degrees(Math.atan2(br.cy - bl.cy, br.cx - bl.cx)),
    degrees(Math.atan2(tl.cx - bl.cx, bl.cy - tl.cy)),
    degrees(Math.atan2(tr.cx - br.cx, br.cy - tr.cy)),
  ];
  return {
    residualSkew: angles.reduce((a, b) => a + b, 0) / 4,
    gaps: {
      top: Math.min(tl.top, tr.top),
      right: image.width - 1 - Math.max(tr.right, br.right),
      bottom: image.height - 1 - Math.max(bl.bottom, br.bottom),
      left: Math.min(tl.left, bl.left),
    },
  };
}

/**
 * The darkest stretch of the page's outer 1 % on each side: the strip cut into 20 pieces along its length, the
 * lowest mean of any piece. Paper is levelled to white; a band, a wedge of lid or an edge shadow is far darker.
 */
function darkestEdgeStretch(image: GrayImage): { top: number; right: number; bottom: number; left: number } {
  const { width, height, data } = image;
  const mean = (x0: number, y0: number, x1: number, y1: number) => {
    let sum = 0;
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) sum += data[y * width + x] ?? 0;
    return sum / Math.max(1, (x1 - x0) * (y1 - y0));
  };
  const rows = Math.max(1, Math.round(height * 0.01));
  const columns = Math.max(1, Math.round(width * 0.01));
  const pieces = Array.from({ length: 20 }, (_, i) => i);
  const along = (length: number, i: number) => [Math.floor((length * i) / 20), Math.floor((length * (i + 1)) / 20)] as const;
  const lowest = (means: number[]) => Math.min(...means);
  return {
    top: lowest(pieces.map((i) => mean(along(width, i)[0], 0, along(width, i)[1], rows))),
    bottom: lowest(pieces.map((i) => mean(along(width, i)[0], height - rows, along(width, i)[1], height))),
    left: lowest(pieces.map((i) => mean(0, along(height, i)[0], columns, along(height, i)[1]))),
    right: lowest(pieces.map((i) => mean(width - columns, along(height, i)[0], width, along(height, i)[1]))),
  };
}

const describeLook = (look: OverscanLook) =>
  `${look.edge === 'sheet' ? 'crooked sheet on a lid' : 'crooked print, straight bands'}, bands ${JSON.stringify(look.bands)} of grey ${look.grey}, turned ${look.rotate}°`;

// Band widths 0.8–12 % (0.8 % is the finding's case: too narrow for the old crop, wide enough to swamp the skew),
// on both, one or opposite sides; greys from black through dark grey to lid grey; skews within ±5°.
const looks: OverscanLook[] = [
  { edge: 'frame', bands: { top: 0.008, bottom: 0.008 }, grey: 10, rotate: 3 },
  { edge: 'frame', bands: { top: 0.01, bottom: 0.01 }, grey: 10, rotate: 3 },
  { edge: 'frame', bands: { top: 0.02, bottom: 0.02 }, grey: 0, rotate: -5 },
  { edge: 'frame', bands: { top: 0.06, bottom: 0.06 }, grey: 80, rotate: 2 },
  { edge: 'frame', bands: { top: 0.12, bottom: 0.12 }, grey: 140, rotate: -1 },
  { edge: 'frame', bands: { top: 0.02 }, grey: 150, rotate: 5 },
  { edge: 'frame', bands: { bottom: 0.06 }, grey: 20, rotate: -3 },
  { edge: 'frame', bands: { left: 0.02, right: 0.02 }, grey: 70, rotate: -3 },
  { edge: 'frame', bands: { left: 0.06 }, grey: 130, rotate: 2 },
  { edge: 'frame', bands: { right: 0.12 }, grey: 15, rotate: -5 },
  { edge: 'frame', bands: { top: 0.01, bottom: 0.01 }, grey: 140, rotate: 0 },
  { edge: 'sheet', bands: {}, grey: 140, rotate: 3 },
  { edge: 'sheet', bands: { top: 0.02, bottom: 0.02 }, grey: 10, rotate: -5 },
  { edge: 'sheet', bands: { top: 0.06, bottom: 0.06 }, grey: 80, rotate: 5 },
  { edge: 'sheet', bands: { top: 0.12, bottom: 0.12 }, grey: 150, rotate: -3 },
  { edge: 'sheet', bands: { top: 0.06 }, grey: 0, rotate: -1 },
  { edge: 'sheet', bands: { left: 0.06, right: 0.06 }, grey: 90, rotate: 2 },
  { edge: 'sheet', bands: { left: 0.02 }, grey: 120, rotate: 0 },
  { edge: 'sheet', bands: { bottom: 0.12 }, grey: 60, rotate: -5 },
];

describe('cleanPage on scans with dark over-scan bands', () => {
  it.each(looks.map((look) => [describeLook(look), look] as const))('%s: straightened, bands cropped, content kept', async (_, look) => {
    const scan = await overscanPageJpeg(pdf, look);
    const page = await cleanPage(scan, 'qua-quet.jpg');
    const image = await grayOf(page.jpeg);
    const geometry = measure(image);

    expect(Math.abs(geometry.residualSkew)).toBeLessThanOrEqual(0.5);
    expect(page.skewDegrees).toBeCloseTo(-look.rotate, 0);
    expect(page.cropped).toBe(true);
    expect(page.quarterTurns).toBe(0);
    // No band, wedge of lid or edge shadow left along any side.
    const edges = darkestEdgeStretch(image);
    for (const side of ['top', 'right', 'bottom', 'left'] as const) expect(edges[side], side).toBeGreaterThan(200);
    // The marks are whole and sit at the sheet's own margin from each edge: nothing cut off, no band kept.
    for (const side of ['top', 'right', 'bottom', 'left'] as const) {
      expect(geometry.gaps[side], side).toBeGreaterThan(marginPx[side] - 20);
      expect(geometry.gaps[side], side).toBeLessThan(marginPx[side] + 20);
    }
  });
});

describe('cleanPage on scans without bands, and on pages with no paper to find', () => {
  it.each([0, 3, -2])('a page turned %f° that fills the scan: not cropped, straightened, at the scan size', async (rotate) => {
    const scan = await overscanPageJpeg(pdf, { edge: 'frame', bands: {}, grey: 0, rotate });
    const page = await cleanPage(scan, 'khong-vien.jpg');
    const image = await grayOf(page.jpeg);
    const geometry = measure(image);
    expect(page.cropped).toBe(false);
    expect(page.skewDegrees).toBeCloseTo(-rotate, 0);
    expect(Math.abs(geometry.residualSkew)).toBeLessThanOrEqual(0.5);
    const input = await sharp(scan).metadata();
    expect([page.widthPx, page.heightPx]).toEqual([input.width, input.height]);
  });

  it('an all-black page is kept whole: not cropped, not turned, reported blank for the clerk', async () => {
    const scan = await imageMagickJpeg(['-size', '1654x2339', 'xc:rgb(8,8,8)', '-attenuate', '0.2', '+noise', 'Gaussian'], dpi);
    const page = await cleanPage(scan, 'den.jpg');
    expect(page).toMatchObject({ widthPx: 1654, heightPx: 2339, cropped: false, skewDegrees: 0, quarterTurns: 0, blank: true });
  });

  it('a dark photograph is kept whole: no part of it is taken for a band', async () => {
    const scan = await imageMagickJpeg(['-size', '1654x2339', '-seed', '14', 'plasma:grey5-grey45', '-blur', '0x3'], dpi);
    const page = await cleanPage(scan, 'anh-toi.jpg');
    expect(page).toMatchObject({ widthPx: 1654, heightPx: 2339, cropped: false, quarterTurns: 0 });
  });
});
