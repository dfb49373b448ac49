/**
 * One dossier component (e.g. "Giấy chứng nhận quyền sử dụng đất") becomes one PDF: one page per scanned
 * image, pages of source PDFs copied in. Decree 30/2020 (Appendix I, II) wants the electronic copy in colour,
 * at least 200 dpi, at 100 % scale — so a page is exactly as large as the paper it was scanned from
 * (pixels ÷ dpi), colour is never dropped, and JPEG data goes in untouched (DCTDecode: no decode, no
 * re-encode, no quality loss, and the cheapest path by far). Plain grey and RGB PNG data goes in untouched
 * too (FlateDecode with the PNG predictor); other PNGs are decoded and re-compressed by pdf-lib.
 *
 * Signing comes after this step and on these bytes: nothing may rewrite the PDF after it is signed.
 */
import { concatTransformationMatrix, drawObject, popGraphicsState, pushGraphicsState, PDFDocument, PDFName } from 'pdf-lib';
import type { PDFRef } from 'pdf-lib';
import { AppError } from '../errors';
import fontkit from '@pdf-lib/fontkit';
import type { PDFFont } from 'pdf-lib';
import type { OcrPage } from '../imaging/processing';
import { subsetFontName } from './forms/layout';
import { drawTextLayer } from './text-layer';
import { saveCopyingStreamsNatively } from './sign-pdf';
import { detectSourceKind, loadSourcePdf, pngImageData, probeJpeg, probePng } from './image-probe';
import type { Dpi, JpegProbe, PngProbe } from './image-probe';

export interface SourceFile {
  readonly name: string;
  readonly bytes: Uint8Array;
  /** A quarter-turn the clerk gave the page (clockwise), on top of any EXIF orientation. Images only. */
  readonly rotation?: QuarterTurn;
  /** OCR words of this image, drawn as invisible text when `ComponentPdfMeta.textFont` is given. */
  readonly textLayer?: OcrPage;
}

export type QuarterTurn = 0 | 90 | 180 | 270;

export interface ComponentPdfMeta {
  readonly title: string;
  readonly subject?: string;
  /** Written as both creation and modification date, so the same input gives the same bytes. */
  readonly creationDate: Date;
  /** TrueType bytes of a font with Vietnamese glyphs for OCR text layers (embedded as a subset when used). */
  readonly textFont?: Uint8Array;
}

/** Decree 30/2020: electronic copies of paper documents are scanned at 200 dpi or more. */
export const minimumDpi = 200;

const pdfCreator = 'motcua-kiosk';
const pdfProducer = 'motcua-kiosk (pdf-lib)';

/** A4 in PDF points (1 pt = 1/72 in): 210 × 297 mm. */
const a4LongSidePt = (297 / 25.4) * 72;
/**
 * A declared resolution that would make the page larger than this (A2's long side, 594 mm) is not a scan's:
 * phone cameras write 72 dpi into 4000-pixel photos. Such images are sized like images with no resolution.
 */
const largestPlausiblePagePt = (594 / 25.4) * 72;

/**
 * How the page size was decided: from the resolution in the file, by assuming the image is an A4 sheet
 * (no usable resolution), or taken from a source PDF page.
 */
type PageSizeBasis = 'declared-dpi' | 'assumed-a4' | 'source-pdf';

interface AssembledPage {
  /** 1-based page number in the assembled PDF. */
  readonly pageNumber: number;
  readonly sourceName: string;
  readonly sourceKind: 'jpeg' | 'png' | 'pdf';
  readonly widthPt: number;
  readonly heightPt: number;
  readonly sizeBasis: PageSizeBasis;
  /** Effective resolution of the image on the page (the lower axis); null for pages copied from a PDF. */
  readonly dpi: number | null;
  /** The source declared a resolution that was ignored as implausible (see largestPlausiblePagePt). */
  readonly ignoredDpi?: number;
  /** A JPEG that stops before its end marker: the page may be incomplete. */
  readonly incompleteImage?: boolean;
}

interface LowResolutionPage {
  readonly pageNumber: number;
  readonly sourceName: string;
  readonly dpi: number;
}

export interface ComponentPdf {
  readonly pdf: PDFDocument;
  readonly pageCount: number;
  readonly pages: readonly AssembledPage[];
  /** Pages whose image is below minimumDpi. The UI warns; whether to refuse is a later policy. */
  readonly lowResolutionPages: readonly LowResolutionPage[];
}

export interface ComponentPdfBytes extends Omit<ComponentPdf, 'pdf'> {
  readonly bytes: Uint8Array;
}

export async function assembleComponentPdf(files: readonly SourceFile[], meta: ComponentPdfMeta): Promise<ComponentPdf> {
  const pdf = await PDFDocument.create({ updateMetadata: false });
  const pages: AssembledPage[] = [];
  let textFont: PDFFont | null = null;
  const textFontFor = async (fontBytes: Uint8Array): Promise<PDFFont> => {
    if (!textFont) {
      pdf.registerFontkit(fontkit);
      textFont = await pdf.embedFont(fontBytes, { subset: true, customName: subsetFontName(fontBytes, meta.title) });
    }
    return textFont;
  };

  for (const file of files) {
    // Recognised by magic bytes; a PDF is parsed once (here), images are probed without decoding.
    if (file.bytes.length === 0) throw new AppError('FILE_EMPTY', { name: file.name });
    const kind = detectSourceKind(file.bytes);
    if (kind === null) throw new AppError('FILE_UNSUPPORTED_TYPE', { name: file.name });
    if (kind === 'pdf') {
      const source = await loadSourcePdf(file.bytes, file.name);
      let copied;
      try {
        copied = await pdf.copyPages(source, source.getPageIndices());
      } catch (cause) {
        throw new AppError('FILE_CORRUPT_PDF', { name: file.name }, { cause });
      }
      for (const page of copied) {
        pdf.addPage(page);
        const { width, height } = page.getSize();
        // A /Rotate of 90 or 270 shows the page turned: report the size as seen.
        const turned = page.getRotation().angle % 180 !== 0;
        pages.push({
          pageNumber: pages.length + 1,
          sourceName: file.name,
          sourceKind: 'pdf',
          widthPt: turned ? height : width,
          heightPt: turned ? width : height,
          sizeBasis: 'source-pdf',
          dpi: null,
        });
      }
      continue;
    }

    const probe = kind === 'jpeg' ? probeJpeg(file.bytes, file.name) : probePng(file.bytes, file.name);
    if (probe.kind === 'jpeg' && !pdfReadableJpeg(probe)) {
      throw new AppError('FILE_UNSUPPORTED_TYPE', { name: file.name, reason: `${probe.codingProcess} JPEG, ${probe.bitsPerComponent} bits` });
    }
    const image = await embedImage(pdf, file, probe);
    // The image data is embedded untouched; a turn is only a different placement matrix and page size.
    const orientation = rotateOrientation(probe.kind === 'jpeg' ? probe.orientation : 1, file.rotation ?? 0);
    const layout = imagePageLayout(probe, orientation);
    const page = pdf.addPage([layout.widthPt, layout.heightPt]);
    const imageName = page.node.newXObject('Image', image.ref);
    // Draw the unit-square image with the EXIF orientation applied, filling the page exactly.
    const matrix = orientationMatrix(orientation, layout.widthPt, layout.heightPt);
    page.pushOperators(pushGraphicsState(), concatTransformationMatrix(...matrix), drawObject(imageName), popGraphicsState());
    // The words were read from these very pixels (stored orientation); the same matrix places them.
    if (file.textLayer && meta.textFont && orientationOf(probe) === 1) drawTextLayer(page, file.textLayer, probe, matrix, await textFontFor(meta.textFont));
    pages.push({
      pageNumber: pages.length + 1,
      sourceName: file.name,
      sourceKind: probe.kind,
      widthPt: layout.widthPt,
      heightPt: layout.heightPt,
      sizeBasis: layout.sizeBasis,
      dpi: Math.round(layout.dpi * 10) / 10,
      ...(layout.ignoredDpi !== undefined ? { ignoredDpi: layout.ignoredDpi } : {}),
      ...(probe.kind === 'jpeg' && probe.missingEndOfImage ? { incompleteImage: true } : {}),
    });
  }

  setMetadata(pdf, meta);
  const lowResolutionPages = pages.flatMap((p) => (p.dpi !== null && p.dpi < minimumDpi - 0.5 ? [{ pageNumber: p.pageNumber, sourceName: p.sourceName, dpi: p.dpi }] : []));
  return { pdf, pageCount: pdf.getPageCount(), pages, lowResolutionPages };
}

/** Assemble and serialise. Object streams off: a classic xref table, readable by every validator and
 * PDF 1.4 reader (object streams need PDF 1.5). To sign, pass `assembleComponentPdf(...).pdf` to the signer
 * instead, which saves once with its placeholder. */
export async function assembleComponentPdfBytes(files: readonly SourceFile[], meta: ComponentPdfMeta): Promise<ComponentPdfBytes> {
  const { pdf, ...rest } = await assembleComponentPdf(files, meta);
  // pdf-lib's save, byte for byte, with the scanned pages' large streams copied natively (sign-pdf.ts).
  const bytes = await saveCopyingStreamsNatively(pdf, { updateFieldAppearances: false });
  return { bytes, ...rest };
}

interface ImagePageLayout {
  readonly widthPt: number;
  readonly heightPt: number;
  readonly sizeBasis: 'declared-dpi' | 'assumed-a4';
  readonly dpi: number;
  readonly ignoredDpi?: number;
}

/** Page size at 100 % scale from the declared resolution, or A4 (longer side 297 mm) when there is none. */
function imagePageLayout(probe: JpegProbe | PngProbe, orientation: number = probe.kind === 'jpeg' ? probe.orientation : 1): ImagePageLayout {
  // Orientations 5–8 turn the image a quarter: the page's width comes from the stored height.
  const turned = orientation >= 5;
  const widthPx = turned ? probe.heightPx : probe.widthPx;
  const heightPx = turned ? probe.widthPx : probe.heightPx;
  const dpi: Dpi | null = probe.dpi && turned ? { x: probe.dpi.y, y: probe.dpi.x } : probe.dpi;

  if (dpi) {
    const widthPt = (widthPx / dpi.x) * 72;
    const heightPt = (heightPx / dpi.y) * 72;
    if (Math.max(widthPt, heightPt) <= largestPlausiblePagePt) {
      return { widthPt, heightPt, sizeBasis: 'declared-dpi', dpi: Math.min(dpi.x, dpi.y) };
    }
  }
  const longSidePx = Math.max(widthPx, heightPx);
  const pointsPerPixel = a4LongSidePt / longSidePx;
  return {
    widthPt: widthPx * pointsPerPixel,
    heightPt: heightPx * pointsPerPixel,
    sizeBasis: 'assumed-a4',
    dpi: 72 / pointsPerPixel,
    ...(dpi ? { ignoredDpi: Math.min(dpi.x, dpi.y) } : {}),
  };
}

/** EXIF orientation as (mirrored first?, then turned clockwise by): 2, 4, 5, 7 are mirrored horizontally first. */
const orientationParts: Readonly<Record<number, readonly [boolean, QuarterTurn]>> = {
  1: [false, 0],
  6: [false, 90],
  3: [false, 180],
  8: [false, 270],
  2: [true, 0],
  7: [true, 90],
  4: [true, 180],
  5: [true, 270],
};

/** The EXIF orientation that shows an image as `orientation` does, then turned `turn` degrees clockwise. */
export function rotateOrientation(orientation: number, turn: QuarterTurn): number {
  const [mirrored, rotation] = orientationParts[orientation] ?? [false, 0];
  const total = (rotation + turn) % 360;
  const found = Object.entries(orientationParts).find(([, [m, r]]) => m === mirrored && r === total);
  return found ? Number(found[0]) : 1;
}

/**
 * The matrix that maps the image's unit square onto a width × height page with the EXIF orientation applied
 * (1 upright, 2 mirrored, 3 turned 180°, 4 flipped, 5 transposed, 6 turned 90° clockwise, 7 transversed,
 * 8 turned 90° anticlockwise). In the unit square, v = 1 is the top row of the stored pixels.
 */
export function orientationMatrix(orientation: number, width: number, height: number): [number, number, number, number, number, number] {
  switch (orientation) {
    case 2:
      return [-width, 0, 0, height, width, 0];
    case 3:
      return [-width, 0, 0, -height, width, height];
    case 4:
      return [width, 0, 0, -height, 0, height];
    case 5:
      return [0, -height, -width, 0, width, height];
    case 6:
      return [0, -height, width, 0, 0, height];
    case 7:
      return [0, height, width, 0, 0, 0];
    case 8:
      return [0, height, -width, 0, width, 0];
    default:
      return [width, 0, 0, height, 0, 0];
  }
}

function orientationOf(probe: JpegProbe | PngProbe): number {
  return probe.kind === 'jpeg' ? probe.orientation : 1;
}

/** DCTDecode in PDF readers means 8-bit Huffman-coded JPEG; anything else would be embedded but not shown. */
function pdfReadableJpeg(probe: JpegProbe): boolean {
  return probe.bitsPerComponent === 8 && (probe.codingProcess === 'baseline' || probe.codingProcess === 'extended' || probe.codingProcess === 'progressive');
}

/**
 * PNG types whose compressed data a PDF can carry unchanged: grey (1/2/4/8 bit — bilevel scans stay 1 bit)
 * or 8-bit RGB, no alpha, no palette, not interlaced. Others go through pdf-lib, which decodes and
 * re-compresses them (and turns 1-bit into 8-bit RGB).
 */
function pngPassesThrough(probe: PngProbe): boolean {
  if (probe.interlaced) return false;
  if (probe.colourType === 0) return probe.bitDepth <= 8;
  return probe.colourType === 2 && probe.bitDepth === 8;
}

async function embedImage(pdf: PDFDocument, file: SourceFile, probe: JpegProbe | PngProbe): Promise<{ readonly ref: PDFRef }> {
  if (probe.kind === 'png' && pngPassesThrough(probe)) {
    const colours = probe.colourType === 2 ? 3 : 1;
    const stream = pdf.context.stream(pngImageData(file.bytes), {
      Type: 'XObject',
      Subtype: 'Image',
      Width: probe.widthPx,
      Height: probe.heightPx,
      ColorSpace: colours === 3 ? 'DeviceRGB' : 'DeviceGray',
      BitsPerComponent: probe.bitDepth,
      Filter: 'FlateDecode',
      DecodeParms: { Predictor: 15, Colors: colours, BitsPerComponent: probe.bitDepth, Columns: probe.widthPx },
    });
    return { ref: pdf.context.register(stream) };
  }
  // pdf-lib's JPEG reader builds a DataView over the whole underlying buffer: hand it bytes that start at 0.
  const bytes = file.bytes.byteOffset === 0 && file.bytes.byteLength === file.bytes.buffer.byteLength ? file.bytes : file.bytes.slice();
  try {
    return probe.kind === 'jpeg' ? await pdf.embedJpg(bytes) : await pdf.embedPng(bytes);
  } catch (cause) {
    // The probe checked the structure; this is damage inside the compressed data (e.g. a cut zlib stream).
    throw new AppError('FILE_CORRUPT_IMAGE', { name: file.name, reason: cause instanceof Error ? cause.message : 'cannot decode' }, { cause });
  }
}

function setMetadata(pdf: PDFDocument, meta: ComponentPdfMeta): void {
  pdf.setTitle(meta.title, { showInWindowTitleBar: true });
  if (meta.subject !== undefined) pdf.setSubject(meta.subject);
  pdf.setCreator(pdfCreator);
  pdf.setProducer(pdfProducer);
  pdf.setCreationDate(meta.creationDate);
  pdf.setModificationDate(meta.creationDate);
  pdf.setLanguage('vi-VN');
  // Open on the first page at whole-page zoom: the clerk and the citizen check the copy page by page.
  pdf.catalog.set(PDFName.of('PageLayout'), PDFName.of('SinglePage'));
}
