/**
 * Clean-up of one scanned page, on the privileged side where a real codec (libvips through sharp) runs:
 * decode once for a small grey analysis copy (about 100 dpi), decide with shared/imaging (sheet, orientation,
 * skew, blank), then one decode → crop → turn → straighten → whiten the paper → JPEG pass at full resolution.
 * One page at a time: a dossier's worth of decoded bitmaps is never held.
 */
import sharp, { type Sharp } from 'sharp';
import { AppError } from '../../../shared/errors';
import { detectBlank, estimateOrientation, estimateSkew, findSheet, grayImage, whitenOutside, type GrayImage, type SheetBounds } from '../../../shared/imaging';
import { histogram, percentile, rotateQuarter, rotateSmall } from '../../../shared/imaging/gray';
import type { Point, Quad } from '../../../shared/imaging/perspective';
import { minimumDpi } from '../../../shared/pdf/assemble';
import { guardCapturedFile, maxPagePixels } from '../../../shared/capture/import-guard';

const analysisDpi = 100;
const defaultQuality = 26;
const defaultMinQuality = 22;
const defaultPaperMargin = 30;
/** Analysis pixels inside a crooked sheet's outline also whitened: the paper's edge is often a shadow line. */
const edgeInset = 2;

export interface CleanupOptions {
  /** Straighten pages skewed by more than this (degrees). Default 0.2. */
  readonly minSkewDegrees?: number;
  readonly deskew?: boolean;
  readonly autoOrient?: boolean;
  readonly cropToSheet?: boolean;
  readonly detectBlank?: boolean;
  /** Target bytes for a page: a page well over it is encoded again at `minQuality`. */
  readonly targetBytes?: number;
  readonly startQuality?: number;
  readonly minQuality?: number;
  /**
   * 3×3 median against dust and speckle. Off by default: on the bench's pages it softened the strokes enough to
   * raise tesseract's error rate from 0.14 % to 0.56 % and cost a third of a page's time (docs/imaging.md).
   */
  readonly despeckle?: boolean;
  /**
   * Grey levels below the paper's median brightness that still become white. Default 30: the scanner's noise
   * on the paper goes (12 left a third of the paper speckled), faint ink stays (docs/imaging.md).
   */
  readonly paperMargin?: number;
}

export interface CleanedPage {
  readonly jpeg: Uint8Array;
  readonly widthPx: number;
  readonly heightPx: number;
  readonly dpi: number;
  readonly quality: number;
  readonly skewDegrees: number;
  readonly quarterTurns: 0 | 1 | 2 | 3;
  readonly cropped: boolean;
  readonly blank: boolean;
  readonly inkShare: number;
  /** Below Decree 30's 200 dpi: the caller applies the warn-or-block policy. */
  readonly belowMinimumDpi: boolean;
}

async function analysisCopy(input: Sharp, width: number, scale: number): Promise<GrayImage> {
  const { data, info } = await input
    .clone()
    .greyscale()
    .resize({ width: Math.max(1, Math.round(width * scale)), kernel: 'linear' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return grayImage(info.width, info.height, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
}

function crop(image: GrayImage, left: number, top: number, width: number, height: number): GrayImage {
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) data.set(image.data.subarray((top + y) * image.width + left, (top + y) * image.width + left + width), y * width);
  return grayImage(width, height, data);
}

/** The sheet found on the analysis copy, in the page's own pixels (kept inside the page against rounding). */
function fullResolutionRegion(sheet: SheetBounds, scale: number, size: { width: number; height: number }) {
  const left = Math.min(size.width - 1, Math.max(0, Math.round(sheet.left / scale)));
  const top = Math.min(size.height - 1, Math.max(0, Math.round(sheet.top / scale)));
  return {
    left,
    top,
    width: Math.max(1, Math.min(size.width - left, Math.round(sheet.width / scale))),
    height: Math.max(1, Math.min(size.height - top, Math.round(sheet.height / scale))),
  };
}

/** True when the sheet's outline is its bounding box (straight edges): cropping alone removes the bands. */
function isBox(sheet: SheetBounds): boolean {
  const box = [
    [sheet.left, sheet.top],
    [sheet.left + sheet.width, sheet.top],
    [sheet.left + sheet.width, sheet.top + sheet.height],
    [sheet.left, sheet.top + sheet.height],
  ];
  return sheet.corners.every((c, i) => Math.abs(c.x - (box[i]?.[0] ?? 0)) <= 1 && Math.abs(c.y - (box[i]?.[1] ?? 0)) <= 1);
}

/**
 * Where a crooked sheet's outline lands once its bounding box (`width` × `height`, the region) is turned
 * clockwise by `degrees` about its centre onto libvips' enlarged canvas (`canvas`): its corners in canvas pixels.
 */
function turnedOutline(corners: readonly Point[], width: number, height: number, degrees: number, canvas: { width: number; height: number }): Point[] {
  const radians = (degrees * Math.PI) / 180;
  const cos = Math.cos(radians);
  const sin = Math.sin(radians);
  return corners.map(({ x, y }) => {
    const dx = x - width / 2;
    const dy = y - height / 2;
    return { x: canvas.width / 2 + dx * cos - dy * sin, y: canvas.height / 2 + dx * sin + dy * cos };
  });
}

/** One byte a pixel, 255 outside the (convex, clockwise) outline shrunk by `inset`, 0 on the sheet. */
function outsideMask(outline: readonly Point[], width: number, height: number, inset: number): Uint8Array {
  const inside = whitenOutside(grayImage(width, height, new Uint8Array(width * height)), outline as unknown as Quad, { x: 0, y: 0 }, inset);
  return inside.data;
}

/**
 * For a crooked sheet (`corners` on the analysis copy, `scale` its size to the page's): after its bounding box
 * `area` is turned by `degrees`, the page is cut where the turned outline's sides cross the middle of each
 * side (the sheet itself once its edges are straight), and a mask covers what is outside the outline.
 */
function crookedCut(corners: Quad, scale: number, area: { left: number; top: number; width: number; height: number }, degrees: number) {
  const radians = (degrees * Math.PI) / 180;
  const cos = Math.abs(Math.cos(radians));
  const sin = Math.abs(Math.sin(radians));
  // libvips' canvas: the rounded bounding box for a non-right angle, the exact turn for quarter turns.
  const canvas =
    degrees % 90
      ? { width: Math.round(area.width * cos + area.height * sin), height: Math.round(area.width * sin + area.height * cos) }
      : Math.round(degrees / 90) % 2
        ? { width: area.height, height: area.width }
        : { width: area.width, height: area.height };
  const local = corners.map((c) => ({ x: c.x / scale - area.left, y: c.y / scale - area.top }));
  const outline = turnedOutline(local, area.width, area.height, degrees, canvas);
  const xs = outline.map((p) => p.x).sort((a, b) => a - b);
  const ys = outline.map((p) => p.y).sort((a, b) => a - b);
  const left = Math.max(0, Math.ceil(((xs[0] ?? 0) + (xs[1] ?? 0)) / 2));
  const top = Math.max(0, Math.ceil(((ys[0] ?? 0) + (ys[1] ?? 0)) / 2));
  const right = Math.min(canvas.width, Math.floor(((xs[2] ?? 0) + (xs[3] ?? 0)) / 2));
  const bottom = Math.min(canvas.height, Math.floor(((ys[2] ?? 0) + (ys[3] ?? 0)) / 2));
  const cutArea = { left: Math.min(left, canvas.width - 1), top: Math.min(top, canvas.height - 1), width: Math.max(1, right - left), height: Math.max(1, bottom - top) };
  const shifted = outline.map((p) => ({ x: p.x - cutArea.left, y: p.y - cutArea.top }));
  return { area: cutArea, mask: outsideMask(shifted, cutArea.width, cutArea.height, edgeInset / scale) };
}

export async function cleanPage(bytes: Uint8Array, name: string, options: CleanupOptions = {}): Promise<CleanedPage> {
  // The same header check every captured page passes (empty, unknown type, truncated, bomb), before decoding.
  const header = await guardCapturedFile(bytes, name);
  if (header.mediaType === 'application/pdf') throw new AppError('FILE_UNSUPPORTED_TYPE', { name });
  // Scanners that write no resolution are assumed to scan at the legal minimum.
  const dpi = header.dpi && header.dpi >= 50 ? header.dpi : minimumDpi;
  const scale = Math.min(1, analysisDpi / dpi);
  let gray: GrayImage;
  let size: { width: number; height: number };
  try {
    // The grey copy is decoded straight at about half size (libjpeg's shrink-on-load), EXIF orientation applied.
    const source = sharp(bytes, { limitInputPixels: maxPagePixels, failOn: 'error' }).autoOrient();
    size = (await source.metadata()).autoOrient;
    gray = await analysisCopy(source, size.width, scale);
  } catch (cause) {
    throw new AppError('FILE_CORRUPT_IMAGE', { name }, { cause });
  }

  const sheet = options.cropToSheet === false ? null : findSheet(gray);
  // A crooked sheet's bounding box still holds wedges of band or lid at its corners: they are whitened here,
  // so the analysis sees only the paper, and masked white on the page below.
  const crooked = sheet?.cropped && !isBox(sheet) ? sheet : null;
  if (sheet?.cropped) gray = crop(gray, sheet.left, sheet.top, sheet.width, sheet.height);
  if (crooked) gray = whitenOutside(gray, crooked.corners, { x: crooked.left, y: crooked.top }, edgeInset);
  // Skew first (text lines are found on a crooked page), then which way up on the straightened copy; a
  // sideways page is straightened again once turned, since its first skew estimate saw no text lines.
  let skew = options.deskew === false ? 0 : estimateSkew(gray).angleDegrees;
  const orientation = options.autoOrient === false ? null : estimateOrientation(rotateSmall(gray, skew));
  const quarterTurns = orientation && orientation.lines >= 3 && orientation.agreement >= 0.7 ? orientation.quarterTurns : 0;
  if (quarterTurns) {
    gray = rotateQuarter(gray, quarterTurns);
    if (options.deskew !== false) skew = estimateSkew(gray).angleDegrees;
  }
  const straighten = Math.abs(skew) >= (options.minSkewDegrees ?? 0.2) ? skew : 0;
  gray = rotateSmall(gray, straighten);
  const blank = options.detectBlank === false ? { blank: false, inkShare: 0 } : detectBlank(gray);
  // Levels: the paper's grain (a little below its median brightness) to white, the ink to black. Scanner
  // paper comes out light grey and noisy, which costs contrast and most of a JPEG's bytes.
  const levels = histogram(gray);
  const paperLevel = Math.max(96, percentile(levels, 0.5) - (options.paperMargin ?? defaultPaperMargin));
  const inkLevel = Math.min(paperLevel - 64, percentile(levels, 0.02));
  const gain = 255 / (paperLevel - inkLevel);

  // One libvips pipeline at full resolution, no bitmap handed back to JavaScript: decode → crop to the sheet →
  // one turn (quarter turns and skew together) → cut back to the sheet's size → levels → JPEG.
  const region = sheet?.cropped ? fullResolutionRegion(sheet, scale, size) : null;
  const fullWidth = region?.width ?? size.width;
  const fullHeight = region?.height ?? size.height;
  // sharp turns clockwise for positive angles; an estimated skew of +a (content turned counter-clockwise) needs +a.
  const angle = quarterTurns * 90 + straighten;
  const cut = crooked && region ? crookedCut(crooked.corners, scale, region, angle) : null;
  const pipeline = () => {
    let page = sharp(bytes, { limitInputPixels: maxPagePixels }).autoOrient();
    if (region) page = page.extract(region);
    if (cut) {
      if (angle) page = page.rotate(angle, { background: '#ffffff' });
      page = page.extract(cut.area);
    } else if (angle) {
      page = page.rotate(angle, { background: '#ffffff' });
      if (straighten) {
        // Turning by a non-right angle enlarges the canvas (libvips: the rounded bounding box); cut it back to the
        // sheet's own size, centred, so the page stays at 100 % scale.
        const [width, height] = quarterTurns % 2 ? [fullHeight, fullWidth] : [fullWidth, fullHeight];
        const radians = (angle * Math.PI) / 180;
        const cos = Math.abs(Math.cos(radians));
        const sin = Math.abs(Math.sin(radians));
        const canvasWidth = Math.round(fullWidth * cos + fullHeight * sin);
        const canvasHeight = Math.round(fullWidth * sin + fullHeight * cos);
        page = page.extract({ left: Math.floor((canvasWidth - width) / 2), top: Math.floor((canvasHeight - height) / 2), width, height });
      }
    }
    const levelled = page.linear(gain, -gain * inkLevel);
    const cleaned = options.despeckle ? levelled.median(3) : levelled;
    // OR with 255 outside the sheet: what is left of the band or lid becomes paper-white (after the levels).
    return cut ? cleaned.boolean(Buffer.from(cut.mask.buffer, cut.mask.byteOffset, cut.mask.byteLength), 'or', { raw: { width: cut.area.width, height: cut.area.height, channels: 1 } }) : cleaned;
  };

  // mozjpeg (trellis quantisation, optimised progressive scans) makes text pages a third smaller than
  // libjpeg-turbo at the same SSIM, at ~0.25 s a page — most of a page's time, and worth it (docs/imaging.md).
  // Quantisation table 3 (tuned on images of text-like detail) gave 14 % fewer bytes than the standard table.
  // A page well over the target (dense small print) is encoded once more at `minQuality`.
  const targetBytes = options.targetBytes ?? 200 * 1024;
  const encode = (quality: number) =>
    pipeline().withMetadata({ density: dpi }).jpeg({ quality, mozjpeg: true, chromaSubsampling: '4:2:0', quantisationTable: 3 }).toBuffer({ resolveWithObject: true });
  let quality = options.startQuality ?? defaultQuality;
  let encoded = await encode(quality);
  const minQuality = options.minQuality ?? defaultMinQuality;
  if (encoded.data.byteLength > targetBytes * 1.1 && quality > minQuality) {
    quality = minQuality;
    encoded = await encode(quality);
  }
  const { data: jpeg, info } = encoded;
  return {
    jpeg: new Uint8Array(jpeg.buffer, jpeg.byteOffset, jpeg.byteLength),
    widthPx: info.width,
    heightPx: info.height,
    dpi,
    quality,
    skewDegrees: straighten,
    quarterTurns,
    cropped: sheet?.cropped ?? false,
    blank: blank.blank,
    inkShare: blank.inkShare,
    belowMinimumDpi: dpi < minimumDpi,
  };
}
