/**
 * The raw scan of a PDF for its signature dictionaries (/ByteRange + /Contents), their /SubFilter and /M,
 * with the byte offsets coverage is about. Hand-written on purpose: pdf-lib's loader is async, re-parses
 * the whole document and hides the offsets; this reads only the dictionaries around each /ByteRange, with a
 * tiny object parser (no streams). Part of the PDF verifier (verify-pdf.ts).
 */
import { fromHex } from '../util/bytes';

export interface FoundSignature {
  readonly byteRange: readonly number[];
  /** Offsets of the /Contents hex string, '<' included, '>' excluded... +1 (i.e. [start, end)). */
  readonly contents: { readonly start: number; readonly end: number; readonly hex: string } | null;
  readonly subFilter: string | null;
  readonly signingTime: string | null;
}

export function findSignatureDictionaries(pdf: Uint8Array): FoundSignature[] {
  const results: FoundSignature[] = [];
  const seen = new Set<string>();
  const key = ascii('/ByteRange');
  for (let at = indexOf(pdf, key, 0); at >= 0; at = indexOf(pdf, key, at + key.length)) {
    const dict = enclosingDictionary(pdf, at);
    const byteRangeValue = dict?.entries.get('ByteRange') ?? parseValueAt(pdf, at + key.length)?.value;
    if (!byteRangeValue || byteRangeValue.kind !== 'array') continue;
    const byteRange = byteRangeValue.items.map((item) => (item.kind === 'number' ? item.value : Number.NaN));
    if (byteRange.some((n) => !Number.isInteger(n))) continue;
    const id = byteRange.join(' ');
    if (seen.has(id)) continue;
    seen.add(id);

    const contentsValue = dict?.entries.get('Contents');
    const contents =
      contentsValue?.kind === 'hexString'
        ? { start: contentsValue.start, end: contentsValue.end, hex: contentsValue.hex }
        : contentsFromGap(pdf, byteRange);
    const subFilter = dict?.entries.get('SubFilter');
    const signingTime = dict?.entries.get('M');
    results.push({
      byteRange,
      contents,
      subFilter: subFilter?.kind === 'name' ? subFilter.value : null,
      signingTime: signingTime?.kind === 'string' || signingTime?.kind === 'hexString' ? parsePdfDate(signingTime.text) : null,
    });
  }
  return results;
}

/** Fallback when the dictionary cannot be parsed: take the gap between the ranges if it is a hex string. */
function contentsFromGap(pdf: Uint8Array, [, b, c]: readonly number[]): FoundSignature['contents'] {
  if (b === undefined || c === undefined || c <= b || c > pdf.length) return null;
  if (pdf[b] !== 0x3c || pdf[c - 1] !== 0x3e) return null;
  const hex = latin1(pdf.subarray(b + 1, c - 1));
  return /^[0-9a-fA-F\s]*$/.test(hex) ? { start: b, end: c, hex } : null;
}

/** Parses the indirect object around `at` and returns the (possibly nested) dictionary holding that key. */
function enclosingDictionary(pdf: Uint8Array, at: number): Extract<PdfValue, { kind: 'dict' }> | null {
  const objStart = lastObjHeader(pdf, at);
  if (objStart < 0) return null;
  const parsed = parseValueAt(pdf, objStart);
  if (!parsed || parsed.end <= at) return null;
  return findDictWithKeyAt(parsed.value, at);
}

function findDictWithKeyAt(value: PdfValue, at: number): Extract<PdfValue, { kind: 'dict' }> | null {
  if (value.kind === 'dict') {
    if (value.keyOffsets.get('ByteRange') === at) return value;
    for (const v of value.entries.values()) {
      const found = findDictWithKeyAt(v, at);
      if (found) return found;
    }
  } else if (value.kind === 'array') {
    for (const v of value.items) {
      const found = findDictWithKeyAt(v, at);
      if (found) return found;
    }
  }
  return null;
}

/** Offset just after the nearest "N G obj" before `at`, or -1. */
function lastObjHeader(pdf: Uint8Array, at: number): number {
  const obj = ascii('obj');
  for (let i = at - obj.length; i >= 0 && at - i < 1_000_000; i--) {
    if (pdf[i] !== 0x6f || pdf[i + 1] !== 0x62 || pdf[i + 2] !== 0x6a) continue;
    if (isRegular(pdf[i - 1] ?? 0x20) && !isDigit(pdf[i - 1] ?? 0)) continue; // e.g. "endobj" ends here too
    let j = i - 1;
    while (j >= 0 && isWhite(pdf[j] ?? 0)) j--;
    const genEnd = j;
    while (j >= 0 && isDigit(pdf[j] ?? 0)) j--;
    if (j === genEnd) continue;
    const spaceEnd = j;
    while (j >= 0 && isWhite(pdf[j] ?? 0)) j--;
    if (j === spaceEnd) continue;
    const numEnd = j;
    while (j >= 0 && isDigit(pdf[j] ?? 0)) j--;
    if (j === numEnd) continue;
    return i + obj.length;
  }
  return -1;
}

type PdfValue =
  | { kind: 'dict'; entries: Map<string, PdfValue>; keyOffsets: Map<string, number> }
  | { kind: 'array'; items: PdfValue[] }
  | { kind: 'name'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'string'; text: string }
  | { kind: 'hexString'; text: string; hex: string; start: number; end: number }
  | { kind: 'other' };

/** A tiny PDF object parser: enough for signature dictionaries (no streams, refs read as 'other'). */
function parseValueAt(pdf: Uint8Array, start: number): { value: PdfValue; end: number } | null {
  let pos = start;
  const skip = (): void => {
    for (;;) {
      const ch = pdf[pos];
      if (ch === undefined) return;
      if (isWhite(ch)) pos++;
      else if (ch === 0x25) while (pos < pdf.length && pdf[pos] !== 0x0a && pdf[pos] !== 0x0d) pos++;
      else return;
    }
  };
  const value = (depth: number): PdfValue => {
    if (depth > 32) throw new Error('too deep');
    skip();
    const ch = pdf[pos];
    if (ch === undefined) throw new Error('eof');
    if (ch === 0x3c && pdf[pos + 1] === 0x3c) {
      pos += 2;
      const entries = new Map<string, PdfValue>();
      const keyOffsets = new Map<string, number>();
      for (;;) {
        skip();
        if (pdf[pos] === 0x3e && pdf[pos + 1] === 0x3e) {
          pos += 2;
          return { kind: 'dict', entries, keyOffsets };
        }
        const keyAt = pos;
        const k = value(depth + 1);
        if (k.kind !== 'name') throw new Error('dict key is not a name');
        const v = value(depth + 1);
        entries.set(k.value, v);
        keyOffsets.set(k.value, keyAt);
      }
    }
    if (ch === 0x3c) {
      const s = pos;
      const close = pdf.indexOf(0x3e, pos);
      if (close < 0) throw new Error('unterminated hex string');
      pos = close + 1;
      const hex = latin1(pdf.subarray(s + 1, close));
      const clean = hex.replace(/[^0-9a-fA-F]/g, '');
      const bytes = fromHex(clean.length % 2 ? clean + '0' : clean);
      return { kind: 'hexString', hex, start: s, end: pos, text: bytes.length <= 4096 ? decodeTextString(bytes) : '' };
    }
    if (ch === 0x5b) {
      pos++;
      const items: PdfValue[] = [];
      for (;;) {
        skip();
        if (pdf[pos] === 0x5d) {
          pos++;
          return { kind: 'array', items };
        }
        items.push(value(depth + 1));
      }
    }
    if (ch === 0x2f) {
      pos++;
      const s = pos;
      while (pos < pdf.length && isRegular(pdf[pos] ?? 0x20)) pos++;
      return { kind: 'name', value: latin1(pdf.subarray(s, pos)).replace(/#([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))) };
    }
    if (ch === 0x28) return { kind: 'string', text: decodeTextString(readLiteralString()) };
    // number, keyword, or an "N G R" reference
    const s = pos;
    while (pos < pdf.length && isRegular(pdf[pos] ?? 0x20)) pos++;
    if (pos === s) throw new Error(`unexpected byte ${ch}`);
    const token = latin1(pdf.subarray(s, pos));
    if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(token)) {
      const save = pos;
      // "N G R": a reference is not a number
      const ref = /^\s+\d+\s+R(?=[\s/<>[\]()%]|$)/.exec(latin1(pdf.subarray(pos, Math.min(pdf.length, pos + 24))));
      if (ref) {
        pos = save + ref[0].length;
        return { kind: 'other' };
      }
      return { kind: 'number', value: Number(token) };
    }
    return { kind: 'other' };
  };
  const readLiteralString = (): Uint8Array => {
    pos++; // (
    const out: number[] = [];
    let nesting = 1;
    while (pos < pdf.length) {
      const ch = pdf[pos++] ?? 0;
      if (ch === 0x5c) {
        const next = pdf[pos++] ?? 0;
        const escapes: Record<number, number> = { 0x6e: 0x0a, 0x72: 0x0d, 0x74: 0x09, 0x62: 0x08, 0x66: 0x0c, 0x28: 0x28, 0x29: 0x29, 0x5c: 0x5c };
        if (next in escapes) out.push(escapes[next] ?? next);
        else if (next >= 0x30 && next <= 0x37) {
          let code = next - 0x30;
          for (let n = 0; n < 2 && (pdf[pos] ?? 0) >= 0x30 && (pdf[pos] ?? 0) <= 0x37; n++) code = code * 8 + ((pdf[pos++] ?? 0x30) - 0x30);
          out.push(code & 0xff);
        } else if (next === 0x0d) {
          if (pdf[pos] === 0x0a) pos++;
        } else if (next !== 0x0a) out.push(next);
      } else if (ch === 0x28) {
        nesting++;
        out.push(ch);
      } else if (ch === 0x29) {
        if (--nesting === 0) return Uint8Array.from(out);
        out.push(ch);
      } else out.push(ch);
    }
    throw new Error('unterminated string');
  };
  try {
    const v = value(0);
    return { value: v, end: pos };
  } catch {
    return null;
  }
}

/** PDF text string: UTF-16BE with a BOM, else PDFDocEncoding (treated as Latin-1). */
function decodeTextString(bytes: Uint8Array): string {
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    let text = '';
    for (let i = 2; i + 1 < bytes.length; i += 2) text += String.fromCharCode(((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0));
    return text;
  }
  return latin1(bytes);
}

/** "D:YYYYMMDDHHmmSSOHH'mm'" → ISO 8601 (UTC), or null. */
export function parsePdfDate(text: string): string | null {
  const m = /^(?:D:)?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?([Zz+-])?(\d{2})?'?(\d{2})?'?/.exec(text.trim());
  if (!m) return null;
  const [, y, mo = '01', d = '01', h = '00', mi = '00', s = '00', sign, oh = '00', om = '00'] = m;
  let ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  if (sign === '+' || sign === '-') ms -= (sign === '+' ? 1 : -1) * (Number(oh) * 60 + Number(om)) * 60_000;
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

// ---------------------------------------------------------------------------------------------------
// Bytes

export function ascii(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

export function latin1(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 8192) text += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return text;
}

export function indexOf(haystack: Uint8Array, needle: Uint8Array, from: number, limit = haystack.length): number {
  const first = needle[0];
  const last = Math.min(limit, haystack.length) - needle.length;
  for (let i = haystack.indexOf(first ?? 0, from); i >= 0 && i <= last; i = haystack.indexOf(first ?? 0, i + 1)) {
    let j = 1;
    while (j < needle.length && haystack[i + j] === needle[j]) j++;
    if (j === needle.length) return i;
  }
  return -1;
}

const isWhite = (ch: number): boolean => ch === 0x20 || ch === 0x0a || ch === 0x0d || ch === 0x09 || ch === 0x0c || ch === 0x00;
const isDigit = (ch: number): boolean => ch >= 0x30 && ch <= 0x39;
const isDelimiter = (ch: number): boolean => '()<>[]{}/%'.includes(String.fromCharCode(ch));
const isRegular = (ch: number): boolean => !isWhite(ch) && !isDelimiter(ch);

/** The CMS bytes of a signature's /Contents (hex, odd length padded; the DER length cuts the zero padding). */
export function contentsBytes(contents: NonNullable<FoundSignature['contents']>): Uint8Array {
  const hex = contents.hex.replace(/[^0-9a-fA-F]/g, '');
  return fromHex(hex.length % 2 ? hex + '0' : hex);
}
