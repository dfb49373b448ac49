/**
 * PAdES signing of a PDF built with pdf-lib: add an invisible signature field whose dictionary reserves
 * a fixed-size /Contents, save once, fill /ByteRange in place, hash the two ranges, sign, and write the
 * CMS into /Contents without changing a single other byte.
 *
 * The placeholder is written here (not with @signpdf/placeholder-pdf-lib) because: /Reason, /Name and
 * /Location must carry Vietnamese text, which needs UTF-16BE hex strings (that package writes PDFString.of,
 * which mangles non-Latin-1 text); it requires /ContactInfo and an appearance we do not need; and its
 * /ByteRange placeholder must then be found and rewritten anyway. Writing the dictionary ourselves keeps
 * the byte layout fully known — and free of Buffer, so this runs unchanged in the renderer.
 *
 * Never load and save a signed PDF with pdf-lib again: it rewrites the file and breaks the signature.
 */
import { EncryptedPDFError, PDFArray, PDFDict, PDFDocument, PDFHexString, PDFInvalidObject, PDFName, PDFNumber, PDFString } from 'pdf-lib';
import { AppError } from '../errors';
import { buildPadesCms, buildSignedAttributes, type DigestSigner } from '../cms/pades';
import { sha256, sha256Portable, toHex, type Sha256Digest } from '../util/bytes';

/** 16 KiB: room for the CMS (~3–6 KB with a chain) plus an RFC 3161 timestamp token added later. */
export const DEFAULT_PLACEHOLDER_BYTES = 16_384;

export interface PrepareOptions {
  readonly reason: string;
  readonly location: string;
  readonly signerName: string;
  /** Written as /M: the claimed signing time (PAdES keeps it out of the CMS). */
  readonly signingTime: Date;
  /** Bytes reserved for the DER CMS; /Contents holds twice as many hex characters. */
  readonly placeholderBytes?: number;
  /** How to hash the signed byte ranges (default: portable JS; callers pass a native digest). */
  readonly digest?: Sha256Digest;
}

export interface PreparedPdf {
  /** The whole PDF with /ByteRange filled and /Contents still zeros. */
  readonly bytes: Uint8Array;
  readonly byteRange: readonly [number, number, number, number];
  /** SHA-256 over bytes[0..a+b) and bytes[c..c+d): what the CMS messageDigest must equal. */
  readonly contentDigest: Uint8Array;
}

const BYTE_RANGE_MARKER = '/ByteRange [0 /MotcuaByteRangePlaceholder__________________]';
const latin1 = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));

export async function preparePdfForSigning(pdf: Uint8Array | PDFDocument, opts: PrepareOptions): Promise<PreparedPdf> {
  const placeholderBytes = opts.placeholderBytes ?? DEFAULT_PLACEHOLDER_BYTES;
  if (!Number.isInteger(placeholderBytes) || placeholderBytes < 1024) throw new Error('placeholderBytes must be an integer ≥ 1024');
  const doc = pdf instanceof PDFDocument ? pdf : await loadPdf(pdf);
  if (hasSignature(doc)) throw new AppError('PDF_ALREADY_SIGNED');

  const page = doc.getPages()[0];
  if (!page) throw new AppError('FILE_CORRUPT_PDF', { name: '', reason: 'no pages' });

  // The signature dictionary is written as raw bytes so its layout is known after save (and pdf-lib
  // cannot move it into an object stream).
  const sigDictText = [
    '<<',
    '/Type /Sig',
    '/Filter /Adobe.PPKLite',
    '/SubFilter /ETSI.CAdES.detached',
    BYTE_RANGE_MARKER,
    `/Contents <${'0'.repeat(placeholderBytes * 2)}>`,
    `/M ${serialize(PDFString.fromDate(opts.signingTime))}`,
    `/Name ${serialize(PDFHexString.fromText(opts.signerName))}`,
    `/Reason ${serialize(PDFHexString.fromText(opts.reason))}`,
    `/Location ${serialize(PDFHexString.fromText(opts.location))}`,
    '/Prop_Build << /App << /Name /Motcua >> >>',
    '>>',
  ].join('\n');
  const sigRef = doc.context.register(PDFInvalidObject.of(latin1(sigDictText)));

  const fieldName = uniqueFieldName(doc);
  const widget = doc.context.obj({
    Type: 'Annot',
    Subtype: 'Widget',
    FT: 'Sig',
    Rect: [0, 0, 0, 0], // invisible signature: the visible stamp is part of the page content already
    V: sigRef,
    T: PDFString.of(fieldName),
    F: 4 | 128, // Print | Locked
    P: page.ref,
  });
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

  const bytes = await doc.save({ useObjectStreams: false });

  const markerAt = lastIndexOf(bytes, latin1(BYTE_RANGE_MARKER));
  if (markerAt < 0) throw new Error('Signature dictionary not found after save');
  const contentsStart = indexOf(bytes, latin1('/Contents <'), markerAt) + '/Contents '.length;
  const contentsEnd = contentsStart + placeholderBytes * 2 + 2; // just past '>'
  if (bytes[contentsStart] !== 0x3c || bytes[contentsEnd - 1] !== 0x3e) throw new Error('Unexpected /Contents layout');

  const byteRange = [0, contentsStart, contentsEnd, bytes.length - contentsEnd] as const;
  // Same width as the marker: padding with spaces keeps every offset in the file unchanged.
  const filled = `/ByteRange [${byteRange.join(' ')}`;
  if (filled.length + 1 > BYTE_RANGE_MARKER.length) throw new Error('PDF too large for the /ByteRange placeholder');
  bytes.set(latin1(filled.padEnd(BYTE_RANGE_MARKER.length - 1, ' ') + ']'), markerAt);

  const [a, b, c, d] = byteRange;
  const contentDigest = await (opts.digest ?? sha256Portable)([bytes.subarray(a, a + b), bytes.subarray(c, c + d)]);
  return { bytes, byteRange, contentDigest };
}

/** Writes the DER CMS as hex into the reserved /Contents. Returns a new array; the input is not changed. */
export function embedCms(prepared: PreparedPdf, cms: Uint8Array): Uint8Array {
  const [, contentsStart, contentsEnd] = prepared.byteRange;
  const capacityHexChars = contentsEnd - contentsStart - 2;
  const hexText = toHex(cms);
  if (hexText.length > capacityHexChars) {
    throw new AppError('SIGNATURE_PLACEHOLDER_TOO_SMALL', { needed: cms.length, available: capacityHexChars / 2 });
  }
  if (prepared.bytes[contentsStart] !== 0x3c || prepared.bytes[contentsEnd - 1] !== 0x3e) {
    throw new Error('byteRange does not frame the /Contents hex string');
  }
  const out = prepared.bytes.slice();
  out.set(latin1(hexText), contentsStart + 1); // the rest stays '0' padding, ignored by DER parsers
  return out;
}

/** prepare → signed attributes → SHA-256 → signer.signDigest → CMS → embed. */
export async function signPdf(pdf: Uint8Array | PDFDocument, signer: DigestSigner, opts: PrepareOptions): Promise<Uint8Array> {
  const signerCertDer = signer.chainDer[0];
  if (!signerCertDer) throw new AppError('SIGNER_NO_KEY');
  const prepared = await preparePdfForSigning(pdf, opts);
  const signedAttributesDer = buildSignedAttributes({ contentDigest: prepared.contentDigest, signerCertDer });
  const signature = await signer.signDigest(sha256(signedAttributesDer));
  const cms = buildPadesCms({ signedAttributesDer, signature, chainDer: signer.chainDer });
  return embedCms(prepared, cms);
}


async function loadPdf(bytes: Uint8Array): Promise<PDFDocument> {
  try {
    return await PDFDocument.load(bytes, { updateMetadata: false });
  } catch (err) {
    if (err instanceof EncryptedPDFError) throw new AppError('FILE_ENCRYPTED_PDF', { name: '' }, { cause: err });
    throw new AppError('FILE_CORRUPT_PDF', { name: '' }, { cause: err });
  }
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
