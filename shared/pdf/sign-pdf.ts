/**
 * PAdES signing of a PDF built with pdf-lib: optionally draw the Decree 30 copy stamp (stamp.ts), add a
 * signature field (invisible, or on the stamp's rectangle) whose dictionary reserves
 * a fixed-size /Contents, save once, fill /ByteRange in place, hash the two ranges, sign, and write the
 * CMS into /Contents without changing a single other byte.
 *
 * The placeholder is written here (not with @signpdf/placeholder-pdf-lib) because: /Reason, /Name and
 * /Location must carry Vietnamese text, which needs UTF-16BE hex strings (that package writes PDFString.of,
 * which mangles non-Latin-1 text); it requires /ContactInfo and an appearance we do not need; and its
 * /ByteRange placeholder must then be found and rewritten anyway. Writing the dictionary ourselves keeps
 * the byte layout fully known — and free of Buffer, so this runs unchanged in the renderer.
 *
 * Never load and save a signed PDF with pdf-lib again: it rewrites the file and breaks the signature. A
 * further signature goes through incremental.ts (appendSignature), which reuses signatureDictionaryText,
 * fillByteRange and signPrepared from here.
 */
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFInvalidObject, PDFName, PDFNumber, PDFRawStream, PDFString, type SaveOptions } from 'pdf-lib';
import { AppError } from '../errors';
import { buildPadesCms, buildSignedAttributes, type DigestSigner } from '../cms/pades';
import { sha256, sha256Portable, type Sha256Digest } from '../util/bytes';
import type { FormFonts } from './fonts';
import { drawCopyStamp, drawSignatureBox, type CopyForm, type StampRect } from './stamp';
import { loadSourcePdf } from './image-probe';

/** 16 KiB: room for the CMS (~3–6 KB with a chain) plus an RFC 3161 timestamp token added later. */
export const DEFAULT_PLACEHOLDER_BYTES = 16_384;

/** What the signature looks like on the page. */
export type SignatureAppearance =
  | {
      /** The Decree 30/2020 stamp of a digitized copy, top-right of page 1 (see stamp.ts). */
      readonly kind: 'copy-stamp';
      readonly copyForm: CopyForm;
      readonly organisationName: string;
      readonly fonts: FormFonts;
    }
  | {
      /** The clerk's personal signature: a small box naming the signer and the time (see stamp.ts). */
      readonly kind: 'signature-box';
      readonly signerName: string;
      readonly fonts: FormFonts;
    }
  | { readonly kind: 'none' };

export interface PrepareOptions {
  readonly reason: string;
  readonly location: string;
  readonly signerName: string;
  /** Written as /M: the claimed signing time (PAdES keeps it out of the CMS); also the stamp's time. */
  readonly signingTime: Date;
  /** Bytes reserved for the DER CMS; /Contents holds twice as many hex characters. */
  readonly placeholderBytes?: number;
  /** How to hash the signed byte ranges (default: portable JS; callers pass a native digest). */
  readonly digest?: Sha256Digest;
  /** Default `{ kind: 'none' }`: an invisible signature. */
  readonly appearance?: SignatureAppearance;
}

export interface PreparedPdf {
  /** The whole PDF with /ByteRange filled and /Contents still zeros. */
  readonly bytes: Uint8Array;
  readonly byteRange: readonly [number, number, number, number];
  /** SHA-256 over bytes[0..a+b) and bytes[c..c+d): what the CMS messageDigest must equal. */
  readonly contentDigest: Uint8Array;
}

const BYTE_RANGE_MARKER = '/ByteRange [0 /MotcuaByteRangePlaceholder__________________]';
export const latin1 = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));

export function placeholderBytesOf(opts: Pick<PrepareOptions, 'placeholderBytes'>): number {
  const placeholderBytes = opts.placeholderBytes ?? DEFAULT_PLACEHOLDER_BYTES;
  if (!Number.isInteger(placeholderBytes) || placeholderBytes < 1024) throw new Error('placeholderBytes must be an integer ≥ 1024');
  return placeholderBytes;
}

/**
 * The text of the signature dictionary (`<< … >>`) with a /ByteRange marker and a zeroed /Contents.
 * Written as raw bytes so its layout is known after it is placed in the file (pdf-lib cannot move it into
 * an object stream, and the incremental writer copies it verbatim).
 */
export function signatureDictionaryText(opts: PrepareOptions): string {
  return [
    '<<',
    '/Type /Sig',
    '/Filter /Adobe.PPKLite',
    '/SubFilter /ETSI.CAdES.detached',
    BYTE_RANGE_MARKER,
    `/Contents <${'0'.repeat(placeholderBytesOf(opts) * 2)}>`,
    `/M ${serialize(PDFString.fromDate(opts.signingTime))}`,
    `/Name ${serialize(PDFHexString.fromText(opts.signerName))}`,
    `/Reason ${serialize(PDFHexString.fromText(opts.reason))}`,
    `/Location ${serialize(PDFHexString.fromText(opts.location))}`,
    '/Prop_Build << /App << /Name /Motcua >> >>',
    '>>',
  ].join('\n');
}

export async function preparePdfForSigning(pdf: Uint8Array | PDFDocument, opts: PrepareOptions): Promise<PreparedPdf> {
  placeholderBytesOf(opts);
  // The same loader as file import: encryption is detected after parsing (pdf-lib's own error comes only
  // for files it can parse before reaching the encryption dictionary), damage reported as FILE_CORRUPT_PDF.
  const doc = pdf instanceof PDFDocument ? pdf : await loadSourcePdf(pdf.buffer instanceof ArrayBuffer ? new SlicesAsViews(pdf.buffer, pdf.byteOffset, pdf.length) : pdf, '');
  if (hasSignature(doc)) throw new AppError('PDF_ALREADY_SIGNED');

  const page = doc.getPages()[0];
  if (!page) throw new AppError('FILE_CORRUPT_PDF', { name: '', reason: 'no pages' });

  const appearance = opts.appearance ?? { kind: 'none' };
  // The stamp is page content, drawn before the placeholder so it is inside the signed bytes.
  let rect: StampRect = [0, 0, 0, 0]; // invisible signature
  if (appearance.kind === 'copy-stamp') {
    rect = await drawCopyStamp(doc, { copyForm: appearance.copyForm, organisationName: appearance.organisationName, signingTime: opts.signingTime, fonts: appearance.fonts });
  } else if (appearance.kind === 'signature-box') {
    rect = await drawSignatureBox(doc, { signerName: appearance.signerName, signingTime: opts.signingTime, fonts: appearance.fonts });
  }

  const sigRef = doc.context.register(PDFInvalidObject.of(latin1(signatureDictionaryText(opts))));
  const fieldName = uniqueFieldName(doc);
  const widget = doc.context.obj({
    Type: 'Annot',
    Subtype: 'Widget',
    FT: 'Sig',
    Rect: [...rect],
    V: sigRef,
    T: PDFString.of(fieldName),
    F: 4 | 128, // Print | Locked
    P: page.ref,
  });
  if (appearance.kind !== 'none') {
    // A visible widget needs an appearance; the stamp is already on the page, so this one is empty.
    const empty = doc.context.stream('', { Type: 'XObject', Subtype: 'Form', BBox: [0, 0, rect[2] - rect[0], rect[3] - rect[1]] });
    widget.set(PDFName.of('AP'), doc.context.obj({ N: doc.context.register(empty) }));
  }
  const widgetRef = doc.context.register(widget);

  const annots = page.node.lookupMaybe(PDFName.of('Annots'), PDFArray);
  if (annots) annots.push(widgetRef);
  else page.node.set(PDFName.of('Annots'), doc.context.obj([widgetRef]));

  let acroForm = doc.catalog.lookupMaybe(PDFName.of('AcroForm'), PDFDict);
  if (!acroForm) {
    acroForm = doc.context.obj({ Fields: [] });
    doc.catalog.set(PDFName.of('AcroForm'), doc.context.register(acroForm));
  }
  const fields = acroForm.lookupMaybe(PDFName.of('Fields'), PDFArray);
  if (fields) fields.push(widgetRef);
  else acroForm.set(PDFName.of('Fields'), doc.context.obj([widgetRef]));
  const flags = acroForm.lookupMaybe(PDFName.of('SigFlags'), PDFNumber)?.asNumber() ?? 0;
  acroForm.set(PDFName.of('SigFlags'), PDFNumber.of(flags | 1 | 2)); // SignaturesExist | AppendOnly

  const bytes = await saveCopyingStreamsNatively(doc);
  return fillByteRange(bytes, opts);
}

/**
 * The PDF bytes as given, except that slice() returns a view instead of a copy. pdf-lib's parser slices
 * every stream's contents out of the file (ByteStream.slice → Uint8Array.slice): for a 50 MB dossier that
 * was 50 MB of new memory and ~35 ms CPU per signature, only for the save to copy it once more. The
 * document made from these bytes lives only inside preparePdfForSigning and is never changed in place
 * (pdf-lib writes new streams; raw stream contents are read-only to it), so views are enough — provided
 * the caller does not change its bytes while signPdf runs, which no caller does. (Bytes on a
 * SharedArrayBuffer are loaded as they are.)
 */
class SlicesAsViews extends Uint8Array<ArrayBuffer> {
  override slice(start = 0, end = this.length): Uint8Array<ArrayBuffer> {
    const from = start < 0 ? Math.max(0, this.length + start) : Math.min(start, this.length);
    const to = end < 0 ? Math.max(0, this.length + end) : Math.min(end, this.length);
    return new Uint8Array(this.buffer, this.byteOffset + from, Math.max(0, to - from));
  }
}

const STREAM_OPEN = latin1('\nstream\n');
const STREAM_CLOSE = latin1('\nendstream');
/** Below this a stream is left to pdf-lib's own copy: the loop only costs on scanned-page images. */
const NATIVE_COPY_MIN_BYTES = 64 * 1024;

/**
 * `doc.save({ useObjectStreams: false, ...options })`, byte for byte, minus its slowest part: pdf-lib's
 * PDFStream.copyBytesInto copies stream contents one byte at a time in a JavaScript loop, which took
 * 100–800 ms of a 50 MB dossier's signing on the shared 2-core VM (profile in docs/benchmarks.md) — more than the
 * hash. For the duration of the save, each large raw stream gets an own copyBytesInto that writes the same
 * bytes (dictionary, "\nstream\n", contents, "\nendstream", as pdf-lib 1.17 does) with one native
 * TypedArray.set; the overrides are removed afterwards, so the document is left as it was given.
 *
 * The streams are looked for when pdf-lib's save has flushed the document (its own flush, wrapped for the
 * save), not before: images added with embedJpg/embedPng (a freshly assembled dossier, assemble.ts) only
 * become streams in that flush, so looking earlier missed every scanned page. Wrapping it, rather than
 * flushing early, keeps pdf-lib's order of work (field appearances, then flush) and so its object numbers.
 */
export async function saveCopyingStreamsNatively(doc: PDFDocument, options: NativeSaveOptions = {}): Promise<Uint8Array> {
  const { onNativeCopies, ...saveOptions } = options;
  const patched: PDFRawStream[] = [];
  const flush = doc.flush.bind(doc);
  Object.defineProperty(doc, 'flush', {
    configurable: true,
    value: async (): Promise<void> => {
      await flush();
      for (const [, obj] of doc.context.enumerateIndirectObjects()) {
        if (!(obj instanceof PDFRawStream) || obj.contents.length < NATIVE_COPY_MIN_BYTES || Object.hasOwn(obj, 'copyBytesInto')) continue;
        patchCopyBytesInto(obj);
        patched.push(obj);
      }
    },
  });
  try {
    const bytes = await doc.save({ ...saveOptions, useObjectStreams: false });
    onNativeCopies?.({ streams: patched.length, bytes: patched.reduce((sum, s) => sum + s.contents.length, 0) });
    return bytes;
  } finally {
    delete (doc as { flush?: unknown }).flush;
    for (const stream of patched) delete (stream as { copyBytesInto?: unknown }).copyBytesInto;
  }
}

export interface NativeSaveOptions extends Pick<SaveOptions, 'updateFieldAppearances'> {
  /** Told how many streams (and bytes) were copied natively: for tests and benchmarks. */
  readonly onNativeCopies?: (copied: { readonly streams: number; readonly bytes: number }) => void;
}

function patchCopyBytesInto(stream: PDFRawStream): void {
  Object.defineProperty(stream, 'copyBytesInto', {
    configurable: true,
    value: (buffer: Uint8Array, offset: number): number => {
      stream.updateDict(); // /Length, as pdf-lib's own copy sets it
      let at = offset + stream.dict.copyBytesInto(buffer, offset);
      buffer.set(STREAM_OPEN, at);
      at += STREAM_OPEN.length;
      buffer.set(stream.contents, at);
      at += stream.contents.length;
      buffer.set(STREAM_CLOSE, at);
      return at + STREAM_CLOSE.length - offset;
    },
  });
}

/**
 * Finds the last signature dictionary written by signatureDictionaryText in `bytes` (a complete file),
 * writes the real /ByteRange over the marker — same width, so no offset moves — and hashes the ranges.
 * `bytes` is changed in place.
 */
export async function fillByteRange(bytes: Uint8Array, opts: Pick<PrepareOptions, 'placeholderBytes' | 'digest'>): Promise<PreparedPdf> {
  const placeholderBytes = placeholderBytesOf(opts);
  const markerAt = lastIndexOf(bytes, latin1(BYTE_RANGE_MARKER));
  if (markerAt < 0) throw new Error('Signature dictionary not found after save');
  const contentsStart = indexOf(bytes, latin1('/Contents <'), markerAt) + '/Contents '.length;
  const contentsEnd = contentsStart + placeholderBytes * 2 + 2; // just past '>'
  if (bytes[contentsStart] !== 0x3c || bytes[contentsEnd - 1] !== 0x3e) throw new Error('Unexpected /Contents layout');

  const byteRange = [0, contentsStart, contentsEnd, bytes.length - contentsEnd] as const;
  const filled = `/ByteRange [${byteRange.join(' ')}`;
  if (filled.length + 1 > BYTE_RANGE_MARKER.length) throw new Error('PDF too large for the /ByteRange placeholder');
  bytes.set(latin1(filled.padEnd(BYTE_RANGE_MARKER.length - 1, ' ') + ']'), markerAt);

  const [a, b, c, d] = byteRange;
  const contentDigest = await (opts.digest ?? sha256Portable)([bytes.subarray(a, a + b), bytes.subarray(c, c + d)]);
  return { bytes, byteRange, contentDigest };
}

/** Writes the DER CMS as hex into the reserved /Contents. Returns a new array; the input is not changed. */
export function embedCms(prepared: PreparedPdf, cms: Uint8Array): Uint8Array {
  return writeCms(prepared, cms, prepared.bytes.slice());
}

/** embedCms into `out` (prepared.bytes itself, or a copy of it); returns `out`. */
function writeCms(prepared: PreparedPdf, cms: Uint8Array, out: Uint8Array): Uint8Array {
  const [, contentsStart, contentsEnd] = prepared.byteRange;
  const capacityHexChars = contentsEnd - contentsStart - 2;
  if (cms.length * 2 > capacityHexChars) {
    throw new AppError('SIGNATURE_PLACEHOLDER_TOO_SMALL', { needed: cms.length, available: capacityHexChars / 2 });
  }
  if (prepared.bytes[contentsStart] !== 0x3c || prepared.bytes[contentsEnd - 1] !== 0x3e) {
    throw new Error('byteRange does not frame the /Contents hex string');
  }
  // Lowercase hex digits straight into the file (what toHex wrote; its generic radix codec took ~5–15 ms
  // for a 4 KB CMS in the 50 MB profile). The rest stays '0' padding, ignored by DER parsers.
  let at = contentsStart + 1;
  for (const byte of cms) {
    out[at++] = HEX_DIGITS[byte >> 4] ?? 0x30;
    out[at++] = HEX_DIGITS[byte & 0x0f] ?? 0x30;
  }
  return out;
}

const HEX_DIGITS = latin1('0123456789abcdef');

/**
 * signed attributes → SHA-256 → signer.signDigest → CMS → embed: the step every signature shares.
 * `prepared` is used up: the CMS is written into prepared.bytes, which is returned (a copy of a 50 MB file
 * here cost ~30 ms and one more large allocation for the GC; both callers made those bytes just before).
 */
export async function signPrepared(prepared: PreparedPdf, signer: DigestSigner): Promise<Uint8Array> {
  const signerCertDer = signer.chainDer[0];
  if (!signerCertDer) throw new AppError('SIGNER_NO_KEY');
  const signedAttributesDer = buildSignedAttributes({ contentDigest: prepared.contentDigest, signerCertDer });
  const signature = await signer.signDigest(sha256(signedAttributesDer));
  const cms = buildPadesCms({ signedAttributesDer, signature, chainDer: signer.chainDer });
  return writeCms(prepared, cms, prepared.bytes);
}

/** prepare → signed attributes → SHA-256 → signer.signDigest → CMS → embed. */
export async function signPdf(pdf: Uint8Array | PDFDocument, signer: DigestSigner, opts: PrepareOptions): Promise<Uint8Array> {
  if (!signer.chainDer[0]) throw new AppError('SIGNER_NO_KEY');
  const prepared = await preparePdfForSigning(pdf, opts);
  return signPrepared(prepared, signer);
}


/** Any object with a /ByteRange: a signature that re-saving would break. */
function hasSignature(doc: PDFDocument): boolean {
  const byteRange = PDFName.of('ByteRange');
  return doc.context.enumerateIndirectObjects().some(([, obj]) => obj instanceof PDFDict && obj.has(byteRange));
}

function uniqueFieldName(doc: PDFDocument): string {
  const taken = new Set(doc.getForm().getFields().map((f) => f.getName()));
  let n = 1;
  while (taken.has(`Signature${n}`)) n++;
  return `Signature${n}`;
}

function serialize(obj: PDFString | PDFHexString): string {
  const buffer = new Uint8Array(obj.sizeInBytes());
  obj.copyBytesInto(buffer, 0);
  return String.fromCharCode(...buffer);
}

function indexOf(haystack: Uint8Array, needle: Uint8Array, from = 0): number {
  outer: for (let i = from; i <= haystack.length - needle.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

function lastIndexOf(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = haystack.length - needle.length; i >= 0; i--) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}
