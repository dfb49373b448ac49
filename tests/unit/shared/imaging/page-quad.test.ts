import { beforeAll, describe, expect, it } from 'vitest';
import type { GrayImage } from '../../../../shared/imaging';
import { findPageQuad } from '../../../../shared/imaging/page-quad';
import { a4OutputSize, applyHomography, homographyFromQuads, warpPerspective, type Quad, type RgbaImage } from '../../../../shared/imaging/perspective';
import { imageMagickGray, rasterisePage, textPagesPdf, vietnameseText } from '../../../support/page-images';

// A real text page (pdf-lib + pdftoppm) "photographed" by ImageMagick's perspective distortion onto a dark desk
// of 800×600: the corners are where we told ImageMagick to put them, so the detector is checked against truth.
const dpi = 60;
let pdf: Uint8Array;
let flat: GrayImage;

const rgba = (g: GrayImage): RgbaImage => {
  const data = new Uint8ClampedArray(g.width * g.height * 4);
  g.data.forEach((v, i) => data.set([v, v, v, 255], i * 4));
  return { width: g.width, height: g.height, data };
};

async function photograph(corners: Quad, extra: readonly string[] = []): Promise<GrayImage> {
  const { width: w, height: h } = flat;
  const pairs = [
    [0, 0],
    [w, 0],
    [w, h],
    [0, h],
  ].map(([x, y], i) => `${x},${y} ${corners[i]?.x},${corners[i]?.y}`);
  return rasterisePage(pdf, dpi, ['-background', 'rgb(58,50,44)', '-virtual-pixel', 'background', '-define', 'distort:viewport=800x600+0+0', '-distort', 'Perspective', pairs.join('  '), ...extra]);
}

/** Pearson correlation of the warped page's grey with the original's (inside an 8 px margin). */
function correlation(warped: RgbaImage, original: (x: number, y: number) => number): number {
  const a: number[] = [];
  const b: number[] = [];
  for (let y = 8; y < flat.height - 8; y++) {
    for (let x = 8; x < flat.width - 8; x++) {
      a.push(warped.data[(y * flat.width + x) * 4] ?? 0);
      b.push(original(x, y));
    }
  }
  const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
  const ma = mean(a);
  const mb = mean(b);
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  a.forEach((x, i) => {
    const y = b[i] ?? 0;
    sab += (x - ma) * (y - mb);
    saa += (x - ma) ** 2;
    sbb += (y - mb) ** 2;
  });
  return sab / Math.sqrt(saa * sbb);
}

const distance = (a: { x: number; y: number }, b: { x: number; y: number }) => Math.hypot(a.x - b.x, a.y - b.y);

beforeAll(async () => {
  pdf = await textPagesPdf(await vietnameseText(), 1, 12);
  flat = await rasterisePage(pdf, dpi);
});

describe('homography', () => {
  it('maps the four corners exactly and an inner point consistently', () => {
    const from: Quad = [
      { x: 0, y: 0 },
      { x: 100, y: 0 },
      { x: 100, y: 140 },
      { x: 0, y: 140 },
    ];
    const to: Quad = [
      { x: 12, y: 30 },
      { x: 210, y: 8 },
      { x: 230, y: 300 },
      { x: 5, y: 270 },
    ];
    const h = homographyFromQuads(from, to);
    from.forEach((p, i) => {
      expect(distance(applyHomography(h, p), to[i] ?? p)).toBeLessThan(1e-6);
    });
    const back = homographyFromQuads(to, from);
    const inner = applyHomography(h, { x: 37, y: 91 });
    expect(distance(applyHomography(back, inner), { x: 37, y: 91 })).toBeLessThan(1e-6);
  });

  it('refuses three corners on a line', () => {
    const line: Quad = [
      { x: 0, y: 0 },
      { x: 1, y: 1 },
      { x: 2, y: 2 },
      { x: 0, y: 5 },
    ];
    expect(() => homographyFromQuads(line, line.map((p) => ({ x: p.x * 2, y: p.y })) as unknown as Quad)).toThrow(RangeError);
  });

  it('sizes the flattened sheet as A4 at the asked resolution, portrait or landscape', () => {
    const portrait: Quad = [
      { x: 0, y: 0 },
      { x: 210, y: 0 },
      { x: 210, y: 297 },
      { x: 0, y: 297 },
    ];
    expect(a4OutputSize(portrait, 200)).toEqual({ width: 1654, height: 2339 });
    const landscape: Quad = [
      { x: 0, y: 0 },
      { x: 297, y: 0 },
      { x: 297, y: 210 },
      { x: 0, y: 210 },
    ];
    expect(a4OutputSize(landscape, 200)).toEqual({ width: 2339, height: 1654 });
  });
});

describe('page corners in a photographed page (ImageMagick perspective)', () => {
  const cases: Record<string, Quad> = {
    'leaning back (keystone)': [
      { x: 260, y: 70 },
      { x: 545, y: 75 },
      { x: 610, y: 560 },
      { x: 190, y: 555 },
    ],
    'turned 12° and tilted': [
      { x: 300, y: 40 },
      { x: 620, y: 105 },
      { x: 540, y: 575 },
      { x: 195, y: 500 },
    ],
    'from the left, strongly': [
      { x: 150, y: 120 },
      { x: 480, y: 30 },
      { x: 500, y: 590 },
      { x: 170, y: 470 },
    ],
  };

  it.each(Object.entries(cases))('%s: corners within 2 px, and the flattened page matches the original', async (_name, corners) => {
    const photo = await photograph(corners, ['-attenuate', '0.3', '+noise', 'Gaussian']);
    const found = findPageQuad(photo);
    expect(found).not.toBeNull();
    found?.corners.forEach((p, i) => {
      expect(distance(p, corners[i] ?? p)).toBeLessThanOrEqual(2);
    });

    // Flatten it back to the original page size: upright, straight, and the same text where it was.
    const warped = warpPerspective(rgba(photo), found?.corners ?? corners, flat.width, flat.height);
    const upright = correlation(warped, (x, y) => flat.data[y * flat.width + x] ?? 0);
    const upsideDown = correlation(warped, (x, y) => flat.data[(flat.height - 1 - y) * flat.width + (flat.width - 1 - x)] ?? 0);
    // Measured 0.77–0.79 upright (the photo is a third of the resolution, with noise) against ~0.03 upside down.
    expect(upright).toBeGreaterThan(0.6);
    expect(upsideDown).toBeLessThan(0.3);
  });

  it('finds nothing on an empty desk or when the paper fills the frame', async () => {
    expect(findPageQuad(await imageMagickGray(['-size', '800x600', 'xc:rgb(58,50,44)', '-attenuate', '0.5', '+noise', 'Gaussian']))).toBeNull();
    expect(findPageQuad(await imageMagickGray(['-size', '800x600', 'xc:white']))).toBeNull();
  });
});

describe('JFIF density of a flattened page', () => {
  it('writes 200 dpi into an existing JFIF header, or adds one', async () => {
    const { withJfifDensity } = await import('../../../../shared/imaging/jfif-density');
    const { probeSourceFile } = await import('../../../../shared/pdf/image-probe');
    const sharp = (await import('sharp')).default;
    const withHeader = new Uint8Array(await sharp({ create: { width: 40, height: 60, channels: 3, background: '#fff' } }).jpeg().toBuffer());
    expect(await probeSourceFile(withJfifDensity(withHeader, 200), 'a.jpg')).toMatchObject({ dpi: { x: 200, y: 200 } });
    // The same picture without its APP0 segment (SOI, then straight to the next marker).
    const app0Length = ((withHeader[4] ?? 0) << 8) | (withHeader[5] ?? 0);
    const bare = new Uint8Array([0xff, 0xd8, ...withHeader.subarray(4 + app0Length)]);
    expect(await probeSourceFile(withJfifDensity(bare, 200), 'b.jpg')).toMatchObject({ dpi: { x: 200, y: 200 } });
  });
});
