import { beforeAll, describe, expect, it } from 'vitest';
import { detectBlank, estimateOrientation, estimateSkew, findSheet } from '../../../../shared/imaging';
import { imageMagickGray, rasterisePage, textPagesPdf, vietnameseText } from '../../../support/page-images';

// Pages are rendered at 100 dpi: the resolution the app analyses at (the 200 dpi page is shrunk first).
const dpi = 100;
let page: Uint8Array;

beforeAll(async () => {
  page = await textPagesPdf(await vietnameseText(), 1, 40);
});

describe('deskew (a real text page turned by ImageMagick)', () => {
  // ImageMagick's -rotate turns clockwise; a content turned clockwise by a has skew -a.
  it.each([-7.3, -2.5, -0.8, 0, 0.4, 1.7, 4.2, 11.6])('recovers %f° within 0.3°', async (clockwise) => {
    const image = await rasterisePage(page, dpi, ['-background', 'white', '-rotate', String(clockwise)]);
    const estimate = estimateSkew(image);
    expect(Math.abs(estimate.angleDegrees - -clockwise)).toBeLessThanOrEqual(0.3);
    expect(estimate.inkPixels).toBeGreaterThan(1000);
  });

  it('recovers the angle on a noisy scan (speckle and grey paper)', async () => {
    const image = await rasterisePage(page, dpi, ['-background', 'rgb(235,232,225)', '-rotate', '3.1', '-attenuate', '0.4', '+noise', 'Gaussian']);
    expect(Math.abs(estimateSkew(image).angleDegrees - -3.1)).toBeLessThanOrEqual(0.3);
  });

  it('gives 0 with no evidence on a blank page instead of a random angle', async () => {
    const blank = await imageMagickGray(['-size', '827x1169', 'xc:white']);
    expect(estimateSkew(blank)).toMatchObject({ angleDegrees: 0, inkPixels: 0 });
  });
});

describe('blank-page detection', () => {
  it('flags an empty sheet with scanner noise and an edge shadow as blank', async () => {
    const image = await imageMagickGray([
      '-size', '827x1169', 'xc:rgb(238,236,230)', '-attenuate', '0.3', '+noise', 'Gaussian',
      '-fill', 'rgb(60,60,60)', '-draw', 'rectangle 0,0 12,1168', '-colorspace', 'Gray',
    ]);
    const verdict = detectBlank(image);
    expect(verdict.blank).toBe(true);
  });

  it('does not flag a page with a single short line of text', async () => {
    const oneLine = await textPagesPdf('Xác nhận', 1, 0, { fill: false });
    const verdict = detectBlank(await rasterisePage(oneLine, dpi));
    // "Trang 1" and one word: very little ink, but ink.
    expect(verdict.blank).toBe(false);
    expect(verdict.inkShare).toBeLessThan(0.005);
  });

  it('does not flag a full text page', async () => {
    const verdict = detectBlank(await rasterisePage(page, dpi));
    expect(verdict.blank).toBe(false);
    expect(verdict.inkShare).toBeGreaterThan(0.01);
  });
});

describe('orientation', () => {
  it.each([
    [0, 0],
    [90, 3],
    [180, 2],
    [270, 1],
  ])('a page turned %i° clockwise needs %i quarter turns clockwise', async (turned, expected) => {
    const image = await rasterisePage(page, dpi, ['-rotate', String(turned)]);
    const estimate = estimateOrientation(image);
    // Opposite turns of 90° both read as "sideways"; the upright vote then settles which.
    expect(estimate.quarterTurns).toBe(expected);
    expect(estimate.lines).toBeGreaterThan(10);
    expect(estimate.agreement).toBeGreaterThan(0.7);
  });
});

describe('sheet bounds', () => {
  it('finds an A5 sheet scanned on a black-lid flatbed', async () => {
    const image = await imageMagickGray([
      '-size', '850x1170', 'xc:rgb(25,25,25)',
      '-fill', 'rgb(240,238,232)', '-draw', 'rectangle 40,60 623,886', '-colorspace', 'Gray',
    ]);
    const bounds = findSheet(image);
    expect(bounds.cropped).toBe(true);
    expect(Math.abs(bounds.left - 40)).toBeLessThanOrEqual(2);
    expect(Math.abs(bounds.top - 60)).toBeLessThanOrEqual(2);
    expect(Math.abs(bounds.width - 584)).toBeLessThanOrEqual(3);
    expect(Math.abs(bounds.height - 827)).toBeLessThanOrEqual(3);
  });

  it('finds the crooked outline of a sheet lying 4° askew on a grey lid, corners within 2 px', async () => {
    const corners = [
      { x: 120, y: 80 },
      { x: 700, y: 120.6 },
      { x: 640.7, y: 968 },
      { x: 60.7, y: 927.4 },
    ];
    const image = await imageMagickGray([
      '-size', '800x1050', 'xc:rgb(140,140,140)',
      '-fill', 'rgb(240,238,232)', '-draw', `polygon ${corners.map((c) => `${c.x},${c.y}`).join(' ')}`, '-colorspace', 'Gray',
    ]);
    const sheet = findSheet(image);
    expect(sheet.cropped).toBe(true);
    sheet.corners.forEach((found, i) => {
      expect(Math.abs(found.x - (corners[i]?.x ?? 0))).toBeLessThanOrEqual(2);
      expect(Math.abs(found.y - (corners[i]?.y ?? 0))).toBeLessThanOrEqual(2);
    });
  });

  it('crops a band of 5 px (0.4 %) at the top of a text page, which the old 2 % rule left', async () => {
    const image = await rasterisePage(page, dpi, ['-background', 'black', '-gravity', 'north', '-splice', '0x5']);
    const sheet = findSheet(image);
    expect(sheet).toMatchObject({ cropped: true, top: 5, left: 0, width: image.width, height: image.height - 5 });
  });

  it('leaves a page that fills the scan alone', async () => {
    expect(findSheet(await rasterisePage(page, dpi)).cropped).toBe(false);
  });
});
