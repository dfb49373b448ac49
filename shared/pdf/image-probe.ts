/**
 * What a source file is, recognised by its bytes (never by its name), and the facts page assembly needs:
 * pixel size, colour, resolution. A file the clerk picked may be anything — a scan, a phone photo, a PDF,
 * a .docx renamed .jpg — so every structure is bounds-checked and every failure is an AppError naming the file.
 */
import { PDFDocument } from 'pdf-lib';
import { guardPdfInflation } from './inflate-guard';
import { AppError } from '../errors';

/** Resolution in pixels per inch along each axis. */
export interface Dpi {
  readonly x: number;
  readonly y: number;
}

export interface JpegProbe {
  readonly kind: 'jpeg';
  readonly widthPx: number;
  readonly heightPx: number;
  /** 1 = grey, 3 = YCbCr/RGB, 4 = CMYK/YCCK. */
  readonly components: number;
  readonly bitsPerComponent: number;
  readonly progressive: boolean;
  /** The coding process named by the frame marker. PDF readers decode 8-bit Huffman JPEG (baseline,
   * extended, progressive); arithmetic, lossless and hierarchical JPEG often fail to display. */
  readonly codingProcess: JpegCodingProcess;
  readonly dpi: Dpi | null;
  readonly dpiSource: 'jfif' | 'exif' | null;
  /** EXIF orientation 1–8 (1 when absent): how the stored pixels must be turned to be seen upright. */
  readonly orientation: number;
  /** The data ends before the EOI marker. Viewers show what was decoded; the bottom of the page may be grey. */
  readonly missingEndOfImage: boolean;
}

type JpegCodingProcess = 'baseline' | 'extended' | 'progressive' | 'lossless' | 'hierarchical' | 'arithmetic';

export interface PngProbe {
  readonly kind: 'png';
  readonly widthPx: number;
  readonly heightPx: number;
  readonly bitDepth: number;
  /** PNG colour type: 0 grey, 2 RGB, 3 palette, 4 grey+alpha, 6 RGBA. */
  readonly colourType: number;
  readonly interlaced: boolean;
  readonly dpi: Dpi | null;
}

interface PdfProbe {
  readonly kind: 'pdf';
  readonly pageCount: number;
}

export type SourceProbe = JpegProbe | PngProbe | PdfProbe;
export type SourceKind = SourceProbe['kind'];

const pngSignature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] as const;
const pdfHeader = [0x25, 0x50, 0x44, 0x46, 0x2d] as const; // "%PDF-"
/** PDF readers accept the header anywhere in the first 1024 bytes (some producers prepend junk). */
const pdfHeaderWindow = 1024;

/** The kind of file by its magic bytes, or null when it is none we accept. */
export function detectSourceKind(bytes: Uint8Array): SourceKind | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (startsWith(bytes, pngSignature, 0)) return 'png';
  if (findPdfHeader(bytes) >= 0) return 'pdf';
  return null;
}

/**
 * Recognise and check a source file. Async because a PDF is parsed (pdf-lib) to count its pages;
 * images are checked synchronously (see probeJpeg / probePng).
 */
export async function probeSourceFile(bytes: Uint8Array, name: string): Promise<SourceProbe> {
  if (bytes.length === 0) throw new AppError('FILE_EMPTY', { name });
  switch (detectSourceKind(bytes)) {
    case 'jpeg':
      return probeJpeg(bytes, name);
    case 'png':
      return probePng(bytes, name);
    case 'pdf':
      // Before pdf-lib parses it: pdf-lib inflates object streams with no limit (inflate-guard.ts).
      guardPdfInflation(bytes, name);
      return { kind: 'pdf', pageCount: (await loadSourcePdf(bytes, name)).getPageCount() };
    case null:
      throw new AppError('FILE_UNSUPPORTED_TYPE', { name });
  }
}

/**
 * Load a source PDF for reading, refusing encrypted and unreadable files. pdf-lib cannot decrypt, so even a
 * PDF encrypted only with an owner password would copy as garbage: it is refused too.
 */
export async function loadSourcePdf(bytes: Uint8Array, name: string): Promise<PDFDocument> {
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(bytes, { ignoreEncryption: true, updateMetadata: false });
  } catch (cause) {
    throw new AppError('FILE_CORRUPT_PDF', { name }, { cause });
  }
  if (doc.isEncrypted) throw new AppError('FILE_ENCRYPTED_PDF', { name });
  let pageCount: number;
  try {
    // Walks the page tree: a file with a header but no usable catalog fails here, not at load.
    pageCount = doc.getPages().length;
  } catch (cause) {
    throw new AppError('FILE_CORRUPT_PDF', { name }, { cause });
  }
  if (pageCount === 0) throw new AppError('FILE_CORRUPT_PDF', { name, reason: 'no pages' });
  return doc;
}

// ---------------------------------------------------------------------------------------------- JPEG

/** Start-of-frame markers that carry the frame header (not DHT C4, JPG C8, DAC CC). */
const startOfFrameMarkers: ReadonlyMap<number, JpegCodingProcess> = new Map([
  [0xc0, 'baseline'],
  [0xc1, 'extended'],
  [0xc2, 'progressive'],
  [0xc3, 'lossless'],
  [0xc5, 'hierarchical'],
  [0xc6, 'hierarchical'],
  [0xc7, 'hierarchical'],
  [0xc9, 'arithmetic'],
  [0xca, 'arithmetic'],
  [0xcb, 'arithmetic'],
  [0xcd, 'arithmetic'],
  [0xce, 'arithmetic'],
  [0xcf, 'arithmetic'],
] as const);
const progressiveMarkers = new Set([0xc2, 0xc6, 0xca, 0xce]);

/**
 * Walk the JPEG marker segments (ITU T.81 B.1): every length must fit in the file, a frame header must come
 * before the first scan, and the entropy-coded data is skipped marker by marker up to EOI. A file that stops
 * inside the entropy-coded data is accepted with `missingEndOfImage`; one that stops inside a header is not.
 */
export function probeJpeg(bytes: Uint8Array, name: string): JpegProbe {
  const corrupt = (reason: string): AppError => new AppError('FILE_CORRUPT_IMAGE', { name, reason });
  if (bytes.length === 0) throw new AppError('FILE_EMPTY', { name });
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) throw new AppError('FILE_UNSUPPORTED_TYPE', { name });

  let frame: { widthPx: number; heightPx: number; components: number; bitsPerComponent: number; progressive: boolean; codingProcess: JpegCodingProcess } | null = null;
  let jfifDpi: Dpi | null = null;
  let exif: { dpi: Dpi | null; orientation: number } | null = null;
  let pos = 2;
  let sawScan = false;

  for (;;) {
    if (pos >= bytes.length) {
      if (!sawScan) throw corrupt('ends before the image data');
      return finish(true);
    }
    if (bytes[pos] !== 0xff) throw corrupt(`no marker at byte ${pos}`);
    // Any number of 0xFF fill bytes may precede a marker code.
    while (pos < bytes.length && bytes[pos] === 0xff) pos++;
    if (pos >= bytes.length) throw corrupt('ends inside a marker');
    const marker = bytes[pos++] ?? 0;
    if (marker === 0xd9) return finish(false); // EOI
    if (marker === 0xd8 || marker === 0x00) throw corrupt(`unexpected marker 0xFF${hex2(marker)} at byte ${pos - 2}`);
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) continue; // RSTn, TEM: no length

    if (pos + 2 > bytes.length) throw corrupt('segment length cut off');
    const length = readU16(bytes, pos);
    if (length < 2 || pos + length > bytes.length) throw corrupt(`segment 0xFF${hex2(marker)} runs past the end of the file`);
    const body = bytes.subarray(pos + 2, pos + length);
    pos += length;

    const codingProcess = startOfFrameMarkers.get(marker);
    if (codingProcess) {
      if (frame) throw corrupt('two frame headers');
      if (body.length < 6) throw corrupt('frame header too short');
      const components = body[5] ?? 0;
      if (body.length < 6 + components * 3) throw corrupt('frame header too short');
      frame = {
        bitsPerComponent: body[0] ?? 0,
        heightPx: readU16(body, 1),
        widthPx: readU16(body, 3),
        components,
        progressive: progressiveMarkers.has(marker),
        codingProcess,
      };
      if (frame.widthPx === 0) throw corrupt('zero width');
      // Height 0 means "defined by a DNL marker later": legal but unsupported by PDF readers in practice.
      if (frame.heightPx === 0) throw corrupt('height defined by DNL');
      if (![1, 3, 4].includes(components)) throw corrupt(`${components} colour components`);
    } else if (marker === 0xe0 && jfifDpi === null) {
      jfifDpi = readJfifDensity(body);
    } else if (marker === 0xe1 && exif === null) {
      exif = readExif(body);
    } else if (marker === 0xda) {
      if (!frame) throw corrupt('image data before the frame header');
      sawScan = true;
      pos = skipEntropyCodedData(bytes, pos);
    }
  }

  function finish(missingEndOfImage: boolean): JpegProbe {
    if (!frame) throw corrupt('no frame header');
    const dpi = jfifDpi ?? exif?.dpi ?? null;
    return {
      kind: 'jpeg',
      ...frame,
      dpi,
      dpiSource: jfifDpi ? 'jfif' : dpi ? 'exif' : null,
      orientation: exif?.orientation ?? 1,
      missingEndOfImage,
    };
  }
}

/** Position of the next marker after entropy-coded data (0xFF not followed by 0x00 or RSTn), or the end. */
function skipEntropyCodedData(bytes: Uint8Array, from: number): number {
  let pos = bytes.indexOf(0xff, from);
  while (pos >= 0 && pos + 1 < bytes.length) {
    const next = bytes[pos + 1] ?? 0;
    if (next !== 0x00 && next !== 0xff && !(next >= 0xd0 && next <= 0xd7)) return pos;
    pos = bytes.indexOf(0xff, pos + (next === 0xff ? 1 : 2));
  }
  return bytes.length;
}

/** JFIF APP0: "JFIF\0", version, units (0 aspect only, 1 per inch, 2 per cm), X and Y density. */
function readJfifDensity(body: Uint8Array): Dpi | null {
  if (body.length < 12 || !startsWith(body, [0x4a, 0x46, 0x49, 0x46, 0x00], 0)) return null;
  const units = body[7];
  const x = readU16(body, 8);
  const y = readU16(body, 10);
  return densityToDpi(x, y, units === 1 ? 'inch' : units === 2 ? 'cm' : null);
}

/** EXIF APP1: a TIFF structure whose IFD0 may hold XResolution, YResolution, ResolutionUnit and Orientation. */
function readExif(body: Uint8Array): { dpi: Dpi | null; orientation: number } | null {
  if (body.length < 14 || !startsWith(body, [0x45, 0x78, 0x69, 0x66, 0x00, 0x00], 0)) return null;
  const tiff = body.subarray(6);
  const little = tiff[0] === 0x49 && tiff[1] === 0x49;
  const big = tiff[0] === 0x4d && tiff[1] === 0x4d;
  if (!little && !big) return null;
  const view = new DataView(tiff.buffer, tiff.byteOffset, tiff.byteLength);
  const u16 = (at: number): number | null => (at + 2 <= tiff.length ? view.getUint16(at, little) : null);
  const u32 = (at: number): number | null => (at + 4 <= tiff.length ? view.getUint32(at, little) : null);
  const rational = (at: number): number | null => {
    const offset = u32(at);
    if (offset === null) return null;
    const numerator = u32(offset);
    const denominator = u32(offset + 4);
    return numerator !== null && denominator ? numerator / denominator : null;
  };

  const ifd = u32(4);
  const count = ifd === null ? null : u16(ifd);
  if (ifd === null || count === null) return null;
  let xRes: number | null = null;
  let yRes: number | null = null;
  let unit = 2; // TIFF default: inch
  let orientation = 1;
  for (let i = 0; i < count; i++) {
    const entry = ifd + 2 + i * 12;
    if (entry + 12 > tiff.length) break;
    const tag = u16(entry);
    const type = u16(entry + 2);
    if (tag === 0x011a && type === 5) xRes = rational(entry + 8);
    else if (tag === 0x011b && type === 5) yRes = rational(entry + 8);
    else if (tag === 0x0128 && type === 3) unit = u16(entry + 8) ?? 2;
    else if (tag === 0x0112 && type === 3) orientation = u16(entry + 8) ?? 1;
  }
  if (orientation < 1 || orientation > 8) orientation = 1;
  const dpi = xRes !== null && yRes !== null ? densityToDpi(xRes, yRes, unit === 2 ? 'inch' : unit === 3 ? 'cm' : null) : null;
  return { dpi, orientation };
}

function densityToDpi(x: number, y: number, unit: 'inch' | 'cm' | null): Dpi | null {
  if (unit === null || !(x > 0) || !(y > 0)) return null;
  const factor = unit === 'cm' ? 2.54 : 1;
  return { x: x * factor, y: y * factor };
}

// ----------------------------------------------------------------------------------------------- PNG

const validBitDepths: Readonly<Record<number, readonly number[]>> = {
  0: [1, 2, 4, 8, 16],
  2: [8, 16],
  3: [1, 2, 4, 8],
  4: [8, 16],
  6: [8, 16],
};

/**
 * Walk the PNG chunks (ISO/IEC 15948): IHDR first and well-formed, every chunk inside the file with a correct
 * CRC, at least one IDAT, and IEND. pHYs in pixels per metre gives the resolution.
 */
export function probePng(bytes: Uint8Array, name: string): PngProbe {
  const corrupt = (reason: string): AppError => new AppError('FILE_CORRUPT_IMAGE', { name, reason });
  if (bytes.length === 0) throw new AppError('FILE_EMPTY', { name });
  if (!startsWith(bytes, pngSignature, 0)) throw new AppError('FILE_UNSUPPORTED_TYPE', { name });

  let header: { widthPx: number; heightPx: number; bitDepth: number; colourType: number; interlaced: boolean } | null = null;
  let dpi: Dpi | null = null;
  let sawImageData = false;
  let sawPalette = false;
  let pos: number = pngSignature.length;

  for (;;) {
    if (pos + 8 > bytes.length) throw corrupt(sawImageData ? 'no IEND chunk (file cut off)' : 'ends before the image data');
    const length = readU32(bytes, pos);
    const type = String.fromCharCode(...bytes.subarray(pos + 4, pos + 8));
    if (!/^[A-Za-z]{4}$/.test(type)) throw corrupt(`bad chunk type at byte ${pos}`);
    const end = pos + 12 + length;
    if (length > 0x7fffffff || end > bytes.length) throw corrupt(`chunk ${type} runs past the end of the file`);
    const body = bytes.subarray(pos + 8, pos + 8 + length);
    if (crc32(bytes.subarray(pos + 4, pos + 8 + length)) !== readU32(bytes, pos + 8 + length)) throw corrupt(`chunk ${type} has a bad CRC`);

    if (header === null && type !== 'IHDR') throw corrupt('IHDR is not the first chunk');
    switch (type) {
      case 'IHDR': {
        if (header !== null || length !== 13) throw corrupt('bad IHDR');
        const bitDepth = body[8] ?? 0;
        const colourType = body[9] ?? 0;
        header = { widthPx: readU32(body, 0), heightPx: readU32(body, 4), bitDepth, colourType, interlaced: body[12] === 1 };
        if (header.widthPx === 0 || header.heightPx === 0) throw corrupt('zero width or height');
        if (!validBitDepths[colourType]?.includes(bitDepth)) throw corrupt(`colour type ${colourType} with bit depth ${bitDepth}`);
        if (body[10] !== 0 || body[11] !== 0 || (body[12] ?? 2) > 1) throw corrupt('unknown compression, filter or interlace method');
        break;
      }
      case 'PLTE':
        sawPalette = true;
        break;
      case 'pHYs':
        if (length === 9 && body[8] === 1) {
          // Unit 1 = metre; unit 0 only gives the aspect ratio.
          dpi = densityToDpi(readU32(body, 0) * 0.0254, readU32(body, 4) * 0.0254, 'inch');
        }
        break;
      case 'IDAT':
        sawImageData = true;
        break;
      case 'IEND': {
        if (!header || !sawImageData) throw corrupt('no image data');
        if (header.colourType === 3 && !sawPalette) throw corrupt('palette image without PLTE');
        return { kind: 'png', ...header, dpi };
      }
      default:
        break;
    }
    pos = end;
  }
}

/**
 * The zlib stream of a PNG: the IDAT chunk bodies joined. With the PNG predictor (/DecodeParms /Predictor 15)
 * a PDF reader decodes it directly (PDF 32000-1 7.4.4.4), so the pixels need not be decoded and re-compressed.
 * Call after probePng has checked the structure.
 */
export function pngImageData(bytes: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [];
  let total = 0;
  for (let pos = pngSignature.length; pos + 12 <= bytes.length; ) {
    const length = readU32(bytes, pos);
    const type = String.fromCharCode(...bytes.subarray(pos + 4, pos + 8));
    if (type === 'IDAT') {
      parts.push(bytes.subarray(pos + 8, pos + 8 + length));
      total += length;
    }
    if (type === 'IEND') break;
    pos += 12 + length;
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

// --------------------------------------------------------------------------------------------- bytes

function findPdfHeader(bytes: Uint8Array): number {
  const limit = Math.min(bytes.length - pdfHeader.length, pdfHeaderWindow);
  for (let i = 0; i <= limit; i++) if (startsWith(bytes, pdfHeader, i)) return i;
  return -1;
}

function startsWith(bytes: Uint8Array, prefix: readonly number[], at: number): boolean {
  if (at + prefix.length > bytes.length) return false;
  return prefix.every((b, i) => bytes[at + i] === b);
}

function readU16(bytes: Uint8Array, at: number): number {
  return ((bytes[at] ?? 0) << 8) | (bytes[at + 1] ?? 0);
}

function readU32(bytes: Uint8Array, at: number): number {
  return (((bytes[at] ?? 0) << 24) | ((bytes[at + 1] ?? 0) << 16) | ((bytes[at + 2] ?? 0) << 8) | (bytes[at + 3] ?? 0)) >>> 0;
}

function hex2(n: number): string {
  return n.toString(16).toUpperCase().padStart(2, '0');
}

let crcTable: Uint32Array | null = null;

/** CRC-32 (ISO 3309, polynomial 0xEDB88320) as PNG uses it over chunk type and data. */
function crc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = (crcTable[(crc ^ (bytes[i] ?? 0)) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
