/**
 * The check every captured or imported file passes before anything decodes it: recognised by its bytes,
 * structurally whole, not a decompression bomb, not an encrypted PDF. Each refusal is an AppError naming the
 * file, so one bad page is reported and the others carry on.
 */
import { AppError } from '../errors';
import { probeSourceFile } from '../pdf/image-probe';
import type { CapturedPageInfo } from './capture';
import type { TiffPageProbe } from './tiff-probe';

/**
 * 100 megapixels: an A3 sheet at 600 dpi is 70 MP, A4 at 600 dpi 35 MP. Decoding 30000 × 30000 pixels would
 * need 2.7 GB of RGB — such a header is refused before any decoder sees it.
 */
export const maxPagePixels = 100_000_000;
/** No side longer than this (A0's long side at 600 dpi is about 28 000 px; no counter scans that). */
const maxPageSidePx = 20_000;

export async function guardCapturedFile(bytes: Uint8Array, name: string): Promise<CapturedPageInfo> {
  const probe = await probeSourceFile(bytes, name);
  if (probe.kind === 'pdf') return { mediaType: 'application/pdf', dpi: null, widthPx: 0, heightPx: 0, pageCount: probe.pageCount };
  const { widthPx, heightPx } = probe;
  if (widthPx * heightPx > maxPagePixels || widthPx > maxPageSidePx || heightPx > maxPageSidePx) {
    throw new AppError('CAPTURE_IMAGE_TOO_LARGE', { name, widthPx, heightPx });
  }
  // A JPEG that stops before its end marker is a file still being written or a broken transfer: a
  // scanner never means to send half a page.
  if (probe.kind === 'jpeg' && probe.missingEndOfImage) throw new AppError('CAPTURE_IMAGE_TRUNCATED', { name });
  const dpi = probe.dpi ? Math.round(Math.min(probe.dpi.x, probe.dpi.y) * 10) / 10 : null;
  return { mediaType: probe.kind === 'jpeg' ? 'image/jpeg' : 'image/png', dpi, widthPx, heightPx, pageCount: 1 };
}

/** How a page of a multi-page file is named to the clerk: `hoso.tif (trang 3)`. */
export function pageFileName(name: string, index: number, pageCount: number): string {
  return pageCount > 1 ? `${name} (trang ${index + 1})` : name;
}

/**
 * The same limits for one page of a TIFF, from its headers (`probeTiff`), before the page is decoded: a
 * bomb or a cut-off page is refused on its own, the file's other pages go on.
 */
export function guardTiffPage(page: TiffPageProbe, name: string): void {
  const { widthPx, heightPx } = page;
  if (widthPx * heightPx > maxPagePixels || widthPx > maxPageSidePx || heightPx > maxPageSidePx) {
    throw new AppError('CAPTURE_IMAGE_TOO_LARGE', { name, widthPx, heightPx });
  }
  if (page.truncated) throw new AppError('CAPTURE_IMAGE_TRUNCATED', { name });
}
