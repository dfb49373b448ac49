/**
 * QR codes in pictures (a scanned page, an imported photo, a camera frame) with ZXing-C++ compiled to
 * WebAssembly (npm `zxing-wasm`, reader build). The .wasm ships inside the app: Vite copies it next to the
 * bundle and `locateFile` points there — the library's default is a CDN, which an offline counter (and the
 * CSP) must never use.
 */
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';
import wasmUrl from 'zxing-wasm/reader/zxing_reader.wasm?url';
import { looksLikeCccdQr, parseCccdQr, type CccdData } from '../../../../shared/domain/cccd';
import { AppError } from '../../../../shared/errors';

prepareZXingModule({ overrides: { locateFile: (path: string, prefix: string) => (path.endsWith('.wasm') ? new URL(wasmUrl, document.baseURI).href : prefix + path) } });

/** The texts of the QR codes found (several on one page are possible: a form may carry its own). */
export async function readQrTexts(input: Blob | Uint8Array | ImageData): Promise<string[]> {
  const results = await readBarcodes(input, { formats: ['QRCode'], tryHarder: true, maxNumberOfSymbols: 4 });
  return results.filter((r) => r.isValid && r.text).map((r) => r.text);
}

/**
 * The card data from the first QR that is a CCCD. No QR at all → CCCD_QR_NOT_FOUND naming the picture; QR
 * codes that do not parse → the parser's CCCD_QR_INVALID (what is wrong with it), so the clerk knows the
 * card was seen but its code is damaged or not a card's.
 */
export function cardFromQrTexts(texts: readonly string[], name: string): CccdData {
  if (texts.length === 0) throw new AppError('CCCD_QR_NOT_FOUND', { name });
  const ordered = [...texts.filter(looksLikeCccdQr), ...texts.filter((t) => !looksLikeCccdQr(t))];
  let first: Error | undefined;
  for (const text of ordered) {
    try {
      return parseCccdQr(text);
    } catch (err) {
      first ??= err instanceof Error ? err : new Error(String(err));
    }
  }
  throw first ?? new AppError('CCCD_QR_NOT_FOUND', { name });
}

export async function readCardQr(input: Blob | Uint8Array | ImageData, name: string): Promise<CccdData> {
  return cardFromQrTexts(await readQrTexts(input), name);
}
