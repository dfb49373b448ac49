/**
 * A citizen's PDF can be a decompression bomb: a few hundred kilobytes of Flate data that inflate to
 * gigabytes when pdf-lib parses an object stream or pdf.js draws a page (issue 17, finding 10). This check
 * runs on the raw bytes BEFORE either library sees them: every stream whose dictionary names FlateDecode is
 * inflated in small steps, the output counted and thrown away, and the file refused as soon as one stream
 * or the whole file passes its cap. Memory stays bounded: the input is fed 1 KiB at a time, and Deflate
 * cannot expand 1 KiB beyond about 1 MiB.
 *
 * Why a byte scan and not pdf-lib's object model: pdf-lib inflates object streams itself while loading,
 * with no limit — the very step to protect. The scan is deliberately loose: a stream it cannot read is left
 * to the parsers (which refuse a corrupt file on their own); it only ever refuses for size.
 *
 * Other expanding filters: LZWDecode and RunLengthDecode are bounded by their formats (at most a few
 * hundred to one) and rare in today's PDFs; they are not inflated here (docs/security.md).
 */
import { Unzlib } from 'fflate';
import { AppError } from '../errors';

/** One stream at most: an A3 page at 600 dpi in RGB is about 210 MB; no honest page needs more. */
export const maxPdfStreamInflatedBytes = 256 * 1024 * 1024;
/** The whole file at most: a 20-page scan in uncompressed-equivalent RGB at 300 dpi is about 530 MB. */
const maxPdfInflatedBytes = 1024 * 1024 * 1024;

const feedStep = 1024;
const streamKeyword = asciiBytes('stream');
const endStreamKeyword = asciiBytes('endstream');
const flateName = asciiBytes('/FlateDecode');
const objKeyword = asciiBytes('obj');
/** How far back from `stream` the dictionary is looked for: dictionaries of real streams are short. */
const dictionaryWindow = 2048;

export interface PdfInflateCaps {
  readonly perStream: number;
  readonly total: number;
}

export interface PdfInflateReport {
  /** Flate streams that inflated cleanly and were counted. */
  readonly streams: number;
  readonly inflatedBytes: number;
}

/**
 * Throws FILE_PDF_TOO_EXPANDED naming the file when a Flate stream, or all of them together, inflate past
 * the caps. Returns what it counted otherwise.
 */
export function guardPdfInflation(bytes: Uint8Array, name: string, caps: PdfInflateCaps = { perStream: maxPdfStreamInflatedBytes, total: maxPdfInflatedBytes }): PdfInflateReport {
  let total = 0;
  let streams = 0;
  let from = 0;
  for (;;) {
    const keyword = indexOf(bytes, streamKeyword, from);
    if (keyword < 0) break;
    from = keyword + streamKeyword.length;
    // `endstream` contains `stream`: skip it, and skip words that merely end in "stream".
    if (keyword >= 3 && startsWith(bytes, endStreamKeyword, keyword - 3)) continue;
    const dataStart = afterEndOfLine(bytes, from);
    if (dataStart < 0) continue;
    const dictionary = bytes.subarray(Math.max(0, keyword - dictionaryWindow), keyword);
    // The stream's own dictionary: after its object's `obj` keyword (nested dictionaries make `<<` unreliable).
    const dict = dictionary.subarray(Math.max(0, lastIndexOf(dictionary, objKeyword)));
    if (indexOf(dict, flateName, 0) < 0) continue;
    const end = indexOf(bytes, endStreamKeyword, dataStart);
    const data = bytes.subarray(dataStart, end < 0 ? bytes.length : end);
    const inflated = inflatedSize(data, Math.min(caps.perStream, caps.total - total) + 1);
    if (inflated === null) continue;
    if (inflated > caps.perStream) throw new AppError('FILE_PDF_TOO_EXPANDED', { name, limitMb: Math.round(caps.perStream / 1048576), scope: 'stream' });
    total += inflated;
    streams++;
    if (total > caps.total) throw new AppError('FILE_PDF_TOO_EXPANDED', { name, limitMb: Math.round(caps.total / 1048576), scope: 'file' });
    from = end < 0 ? bytes.length : end + endStreamKeyword.length;
  }
  return { streams, inflatedBytes: total };
}

/**
 * The inflated size of one zlib stream, stopping as soon as it passes `stopAbove` (then that bound is
 * returned), or null when the data is not a readable zlib stream (left to the parsers).
 */
function inflatedSize(data: Uint8Array, stopAbove: number): number | null {
  let size = 0;
  const inflater = new Unzlib((chunk) => {
    size += chunk.length;
  });
  try {
    for (let at = 0; at < data.length && size < stopAbove; at += feedStep) {
      inflater.push(data.subarray(at, Math.min(data.length, at + feedStep)), false);
    }
  } catch {
    // Trailing garbage after a complete stream still counts what came out before it.
    return size > 0 ? size : null;
  }
  return size;
}

function asciiBytes(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

function startsWith(bytes: Uint8Array, needle: Uint8Array, at: number): boolean {
  if (at < 0 || at + needle.length > bytes.length) return false;
  for (let i = 0; i < needle.length; i++) if (bytes[at + i] !== needle[i]) return false;
  return true;
}

function indexOf(bytes: Uint8Array, needle: Uint8Array, from: number): number {
  const first = needle[0];
  for (let i = bytes.indexOf(first!, from); i >= 0 && i <= bytes.length - needle.length; i = bytes.indexOf(first!, i + 1)) {
    if (startsWith(bytes, needle, i)) return i;
  }
  return -1;
}

function lastIndexOf(bytes: Uint8Array, needle: Uint8Array): number {
  for (let i = bytes.length - needle.length; i >= 0; i--) if (startsWith(bytes, needle, i)) return i;
  return -1;
}

/** The stream's data begins after CRLF or LF following the keyword (ISO 32000-1, 7.3.8.1). */
function afterEndOfLine(bytes: Uint8Array, at: number): number {
  if (bytes[at] === 0x0d && bytes[at + 1] === 0x0a) return at + 2;
  if (bytes[at] === 0x0a) return at + 1;
  if (bytes[at] === 0x0d) return at + 1;
  return -1;
}
