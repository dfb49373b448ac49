/**
 * Clean-up of one scanned page, on the privileged side where a real codec (libvips through sharp) runs:
 * decode once for a small grey analysis copy (about 100 dpi), decide with shared/imaging (sheet, orientation,
 * skew, blank), then one decode → crop → turn → straighten → whiten the paper → JPEG pass at full resolution.
 * One page at a time: a dossier's worth of decoded bitmaps is never held.
 */
import sharp, { type Sharp } from 'sharp';
import { AppError } from '../../../shared/errors';
import { detectBlank, estimateOrientation, estimateSkew, findSheet, grayImage, type GrayImage } from '../../../shared/imaging';
import { histogram, percentile, rotateQuarter, rotateSmall } from '../../../shared/imaging/gray';
import { minimumDpi } from '../../../shared/pdf/assemble';
import { guardCapturedFile, maxPagePixels } from '../../../shared/capture/import-guard';

const analysisDpi = 100;

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

export async function cleanPage(bytes: Uint8Array, name: string, options: CleanupOptions = {}): Promise<CleanedPage> {
  // The same header check every captured page passes (empty, unknown type, truncated, bomb), before decoding.
  const header = await guardCapturedFile(bytes, name);
  if (header.mediaType === 'application/pdf') throw new AppError('FILE_UNSUPPORTED_TYPE', { name });
  // Scanners that write no resolution are assumed to scan at the legal minimum.
  const dpi = header.dpi && header.dpi >= 50 ? header.dpi : minimumDpi;
  const scale = Math.min(1, analysisDpi / dpi);
  let gray: GrayImage;
  try {
    const source = sharp(bytes, { limitInputPixels: maxPagePixels, failOn: 'error' }).rotate(); // EXIF orientation applied
    gray = await analysisCopy(source, (await source.metadata()).autoOrient.width, scale);
  } catch (cause) {
    throw new AppError('FILE_CORRUPT_IMAGE', { name }, { cause });
  }

  const sheet = options.cropToSheet === false ? null : findSheet(gray);
  if (sheet?.cropped) gray = crop(gray, sheet.left, sheet.top, sheet.width, sheet.height);
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
  const paperLevel = Math.max(96, percentile(levels, 0.5) - 12);
  const inkLevel = Math.min(paperLevel - 64, percentile(levels, 0.02));
  const gain = 255 / (paperLevel - inkLevel);

  let pipeline = sharp(bytes, { limitInputPixels: maxPagePixels }).rotate();
  if (sheet?.cropped) {
    pipeline = pipeline.extract({
      left: Math.round(sheet.left / scale),
      top: Math.round(sheet.top / scale),
      width: Math.round(sheet.width / scale),
      height: Math.round(sheet.height / scale),
    });
  }
  // sharp turns clockwise for positive angles; an estimated skew of +a (content turned counter-clockwise) needs +a.
  if (quarterTurns) pipeline = sharp(await pipeline.toBuffer()).rotate(quarterTurns * 90);
  if (straighten) {
    // Turning enlarges the canvas; cut it back to the sheet's own size so the page stays at 100 % scale.
    const turned = await pipeline.raw().toBuffer({ resolveWithObject: true });
    const straightened = await sharp(turned.data, { raw: turned.info }).rotate(straighten, { background: '#ffffff' }).raw().toBuffer({ resolveWithObject: true });
    const width = Math.min(turned.info.width, straightened.info.width);
    const height = Math.min(turned.info.height, straightened.info.height);
    pipeline = sharp(straightened.data, { raw: straightened.info }).extract({
      left: Math.floor((straightened.info.width - width) / 2),
      top: Math.floor((straightened.info.height - height) / 2),
      width,
      height,
    });
  }
  const linear = pipeline.linear(gain, -gain * inkLevel);
  const levelled = options.despeckle ? linear.median(3) : linear;

  // mozjpeg (trellis quantisation) makes text pages a third smaller than plain libjpeg at the same look, at
  // about 0.2–0.5 s a page: one encode, and a second at `minQuality` only for a page far over the target.
  // Quantisation table 3 (tuned on images of text-like detail) gave 14 % fewer bytes than the standard table
  // at quality 40 with the same OCR error rate (docs/imaging.md).
  const targetBytes = options.targetBytes ?? 200 * 1024;
  const raw = await levelled.raw().toBuffer({ resolveWithObject: true });
  const encode = async (quality: number) =>
    sharp(raw.data, { raw: raw.info }).withMetadata({ density: dpi }).jpeg({ quality, mozjpeg: true, chromaSubsampling: '4:2:0', quantisationTable: 3 }).toBuffer();
  let quality = options.startQuality ?? 40;
  let jpeg = await encode(quality);
  const minQuality = options.minQuality ?? 32;
  if (jpeg.byteLength > targetBytes * 1.25 && quality > minQuality) {
    quality = minQuality;
    jpeg = await encode(quality);
  }
  return {
    jpeg: new Uint8Array(jpeg.buffer, jpeg.byteOffset, jpeg.byteLength),
    widthPx: raw.info.width,
    heightPx: raw.info.height,
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
