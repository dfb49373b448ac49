/**
 * One incoming file (from a scanner, the hot folder or the clerk's file picker) as the pages it holds, each
 * checked by the import guard. JPEG, PNG and PDF are one item each, as they are; a TIFF is split into its
 * pages, each page's header checked before libvips decodes it (bomb limits per page), then encoded once —
 * grey and black-and-white pages as PNG (lossless, small for text), colour pages as JPEG quality 90 — so the
 * rest of the app (clean-up, the workspace, PDF assembly) only ever sees JPEG, PNG and PDF.
 *
 * A bad page is a `rejected` item naming the file and the page; the pages before and after it are kept.
 */
import sharp from 'sharp';
import { AppError, toWireError, type WireError } from '../../../shared/errors';
import { guardCapturedFile, guardTiffPage, maxPagePixels, pageFileName } from '../../../shared/capture/import-guard';
import { isTiff, probeTiff, type TiffPageProbe } from '../../../shared/capture/tiff-probe';
import type { CapturedPageInfo } from '../../../shared/capture/capture';

export type AcceptedItem =
  | { readonly kind: 'page'; readonly name: string; readonly bytes: Uint8Array; readonly info: CapturedPageInfo }
  | { readonly kind: 'rejected'; readonly name: string; readonly error: WireError };

export async function* acceptFile(bytes: Uint8Array, name: string): AsyncGenerator<AcceptedItem> {
  if (!isTiff(bytes)) {
    try {
      yield { kind: 'page', name, bytes, info: await guardCapturedFile(bytes, name) };
    } catch (err) {
      // The page area takes TIFF as well: its refusal says so (the supplement picker's does not).
      const refused = err instanceof AppError && err.code === 'FILE_UNSUPPORTED_TYPE' ? new AppError('FILE_UNSUPPORTED_PAGE_TYPE', err.details, { cause: err }) : err;
      yield { kind: 'rejected', name, error: toWireError(refused) };
    }
    return;
  }
  let pages: readonly TiffPageProbe[];
  let chainBroken: boolean;
  try {
    ({ pages, chainBroken } = probeTiff(bytes, name));
  } catch (err) {
    yield { kind: 'rejected', name, error: toWireError(err) };
    return;
  }
  const count = pages.length + (chainBroken ? 1 : 0);
  for (const page of pages) {
    const pageName = pageFileName(name, page.index, count);
    try {
      guardTiffPage(page, pageName);
      const converted = await tiffPageToImage(bytes, page, pageName);
      yield { kind: 'page', name: pageName, bytes: converted, info: await guardCapturedFile(converted, pageName) };
    } catch (err) {
      yield { kind: 'rejected', name: pageName, error: toWireError(err) };
    }
  }
  // The file ends where the next page should have been: what came before is kept, the clerk is told.
  if (chainBroken) yield { kind: 'rejected', name: pageFileName(name, pages.length, count), error: toWireError(new AppError('CAPTURE_IMAGE_TRUNCATED', { name: pageFileName(name, pages.length, count) })) };
}

async function tiffPageToImage(bytes: Uint8Array, page: TiffPageProbe, pageName: string): Promise<Uint8Array> {
  try {
    // limitInputPixels is a second fence behind the header check. failOn 'truncated', not stricter: libvips
    // walks every directory of the file to open any page, so with 'error' one cut-off page would make the
    // whole file unreadable; cut-off pages are refused by their headers above instead.
    const image = sharp(bytes, { page: page.index, pages: 1, limitInputPixels: maxPagePixels, failOn: 'truncated' });
    const meta = await image.metadata();
    const colour = (meta.channels ?? 3) - (meta.hasAlpha ? 1 : 0) >= 3;
    let out = image.flatten({ background: '#ffffff' });
    if (page.dpi) out = out.withDensity(page.dpi);
    const encoded = colour ? await out.jpeg({ quality: 90 }).toBuffer() : await out.greyscale().png({ compressionLevel: 6 }).toBuffer();
    return new Uint8Array(encoded.buffer, encoded.byteOffset, encoded.byteLength);
  } catch (cause) {
    throw new AppError('FILE_CORRUPT_IMAGE', { name: pageName }, { cause });
  }
}
