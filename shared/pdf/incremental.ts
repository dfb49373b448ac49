/**
 * Incremental updates: reading a PDF's revisions through its cross-reference sections, and appending a
 * second (third, …) signature without touching a byte of what is already there.
 *
 * pdf-lib cannot save incrementally, so the update is written here: every original byte is kept, then
 * come the new and changed objects (the signature dictionary with its /Contents placeholder, a widget
 * annotation that is also the field, the first page with the widget added to /Annots, the AcroForm — or
 * the catalog, when the AcroForm is inline — with the field added to /Fields), a classic xref section
 * listing just those objects, and a trailer with /Prev pointing at the previous xref. Changed objects are
 * parsed with pdf-lib's object parser and written back with only the needed entries changed: the other
 * entries keep their values (their spelling may be normalised, e.g. spacing).
 *
 * Only files whose last cross-reference section is a classic table are extended (our own PDFs are saved
 * with `useObjectStreams: false`). A file ending in a cross-reference stream is refused with
 * PDF_INCREMENTAL_UNSUPPORTED: its update would have to be a cross-reference stream too.
 *
 * Hand-written on purpose (reviewed in issue 18): no maintained JS library writes incremental PDF updates,
 * and coverage checks need the raw byte offsets a full loader (pdf-lib, pdf.js) hides.
 */
import {
  PDFArray,
  PDFContext,
  PDFDict,
  PDFHexString,
  PDFName,
  PDFNumber,
  PDFObjectParser,
  PDFRawStream,
  PDFRef,
  PDFString,
  PDFXRefStreamParser,
  decodePDFRawStream,
} from 'pdf-lib';
import type { PDFObject } from 'pdf-lib';
import type { DigestSigner } from '../cms/pades';
import { AppError } from '../errors';
import { fillByteRange, latin1, placeholderBytesOf, signatureDictionaryText, signPrepared, type PrepareOptions } from './sign-pdf';

// ---------------------------------------------------------------------------------------------------
// Reading cross-reference sections and objects

export type ObjectLocation =
  | { readonly kind: 'offset'; readonly offset: number; readonly generation: number }
  | { readonly kind: 'compressed'; readonly stream: number; readonly index: number }
  | { readonly kind: 'free' };

export interface XrefEntry {
  readonly objectNumber: number;
  readonly location: ObjectLocation;
}

export interface XrefSection {
  /** Offset of the section ("xref" keyword, or the xref stream object). */
  readonly offset: number;
  readonly kind: 'table' | 'stream';
  readonly entries: readonly XrefEntry[];
  readonly trailer: PDFDict;
  readonly prev: number | null;
  /** Hybrid files: a table whose trailer names an additional xref stream (/XRefStm). */
  readonly xrefStream: number | null;
}

const text = (bytes: Uint8Array): string => {
  let out = '';
  for (let i = 0; i < bytes.length; i += 8192) out += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return out;
};

/** A read-only view of a PDF's raw structure: xref sections, objects by location, trailers. */
export class RawPdf {
  readonly context = PDFContext.create();
  private readonly sections = new Map<number, XrefSection>();
  private readonly objects = new Map<string, PDFObject | null>();
  private readonly objectStreams = new Map<number, Map<number, number> | null>();

  constructor(readonly bytes: Uint8Array) {}

  /** The offset given by the last `startxref` before `end` (exclusive), or null. */
  startxrefBefore(end: number): number | null {
    const tailText = text(this.bytes.subarray(Math.max(0, end - 2048), end));
    const at = tailText.lastIndexOf('startxref');
    if (at < 0) return null;
    const m = /^startxref\s+(\d+)/.exec(tailText.slice(at));
    return m ? Number(m[1]) : null;
  }

  /** Parses the cross-reference section at `offset` (cached). Throws on anything unreadable. */
  section(offset: number): XrefSection {
    const cached = this.sections.get(offset);
    if (cached) return cached;
    const head = text(this.bytes.subarray(offset, offset + 64));
    const section = head.startsWith('xref') ? this.readTable(offset) : this.readStreamSection(offset);
    this.sections.set(offset, section);
    return section;
  }

  /** Where object `objectNumber` lives as of the section at `sectionOffset` (following /Prev). */
  locate(objectNumber: number, sectionOffset: number): ObjectLocation | null {
    const visited = new Set<number>();
    for (let at: number | null = sectionOffset; at !== null && !visited.has(at); ) {
      visited.add(at);
      const section = this.section(at);
      const found = section.entries.find((e) => e.objectNumber === objectNumber);
      if (found) return found.location;
      if (section.xrefStream !== null) {
        const hybrid = this.section(section.xrefStream).entries.find((e) => e.objectNumber === objectNumber);
        if (hybrid) return hybrid.location;
      }
      at = section.prev;
    }
    return null;
  }

  /** The object at a location (parsed once), or null if it cannot be read. */
  objectAt(location: ObjectLocation): PDFObject | null {
    if (location.kind === 'free') return null;
    const key = location.kind === 'offset' ? `o${location.offset}` : `c${location.stream}.${location.index}`;
    if (this.objects.has(key)) return this.objects.get(key) ?? null;
    let value: PDFObject | null;
    try {
      value = location.kind === 'offset' ? this.parseIndirectObject(location.offset).value : this.parseCompressed(location.stream, location.index);
    } catch {
      value = null;
    }
    this.objects.set(key, value);
    return value;
  }

  /** Resolves a reference (or returns a direct value) as of the section at `sectionOffset`. */
  resolve(value: PDFObject | undefined, sectionOffset: number): PDFObject | undefined {
    if (!(value instanceof PDFRef)) return value;
    const location = this.locate(value.objectNumber, sectionOffset);
    return location ? (this.objectAt(location) ?? undefined) : undefined;
  }

  /** "N G obj" at `offset`: the object's number, generation, value, and where its value starts. */
  parseIndirectObject(offset: number): { objectNumber: number; generation: number; value: PDFObject; valueStart: number } {
    const head = text(this.bytes.subarray(offset, offset + 48));
    const m = /^\s*(\d+)\s+(\d+)\s+obj/.exec(head);
    if (!m) throw new Error(`no object at offset ${offset}`);
    const valueStart = offset + m[0].length;
    const value = PDFObjectParser.forBytes(this.bytes.subarray(valueStart), this.context).parseObject();
    return { objectNumber: Number(m[1]), generation: Number(m[2]), value, valueStart };
  }

  private readTable(offset: number): XrefSection {
    // xref, then subsections "first count" each followed by `count` 20-byte entries, then "trailer".
    const trailerAt = text(this.bytes.subarray(offset, Math.min(this.bytes.length, offset + 64 * 1024 * 1024))).indexOf('trailer');
    if (trailerAt < 0) throw new Error('xref table without trailer');
    const body = text(this.bytes.subarray(offset + 4, offset + trailerAt));
    const tokens = body.trim().split(/\s+/);
    const entries: XrefEntry[] = [];
    for (let i = 0; i + 1 < tokens.length; ) {
      const first = Number(tokens[i]);
      const count = Number(tokens[i + 1]);
      if (!Number.isInteger(first) || !Number.isInteger(count)) throw new Error('bad xref subsection');
      i += 2;
      for (let n = 0; n < count; n++, i += 3) {
        const field1 = Number(tokens[i]);
        const generation = Number(tokens[i + 1]);
        const type = tokens[i + 2];
        if (type !== 'n' && type !== 'f') throw new Error('bad xref entry');
        entries.push({ objectNumber: first + n, location: type === 'n' ? { kind: 'offset', offset: field1, generation } : { kind: 'free' } });
      }
    }
    const trailer = PDFObjectParser.forBytes(this.bytes.subarray(offset + trailerAt + 'trailer'.length), this.context).parseObject();
    if (!(trailer instanceof PDFDict)) throw new Error('trailer is not a dictionary');
    return { offset, kind: 'table', entries, trailer, prev: numberOf(trailer.get(PDFName.of('Prev'))), xrefStream: numberOf(trailer.get(PDFName.of('XRefStm'))) };
  }

  private readStreamSection(offset: number): XrefSection {
    const { value } = this.parseIndirectObject(offset);
    if (!(value instanceof PDFRawStream) || value.dict.get(PDFName.of('Type')) !== PDFName.of('XRef')) throw new Error('not a cross-reference stream');
    const entries = PDFXRefStreamParser.forStream(value)
      .parseIntoContext()
      .map((e): XrefEntry => ({
        objectNumber: e.ref.objectNumber,
        location: e.deleted
          ? { kind: 'free' }
          : e.inObjectStream
            ? { kind: 'compressed', stream: e.offset, index: e.ref.generationNumber }
            : { kind: 'offset', offset: e.offset, generation: e.ref.generationNumber },
      }));
    return { offset, kind: 'stream', entries, trailer: value.dict, prev: numberOf(value.dict.get(PDFName.of('Prev'))), xrefStream: null };
  }

  /** Object `index` of object stream `stream` (located through the newest section that lists it). */
  private parseCompressed(streamNumber: number, index: number): PDFObject | null {
    const stream = this.objectStreamValue(streamNumber);
    if (!stream) return null;
    let offsets = this.objectStreams.get(streamNumber);
    const decoded = decodePDFRawStream(stream).decode();
    if (offsets === undefined) {
      const count = numberOf(stream.dict.get(PDFName.of('N'))) ?? 0;
      const first = numberOf(stream.dict.get(PDFName.of('First'))) ?? 0;
      const pairs = text(decoded.subarray(0, first)).trim().split(/\s+/).map(Number);
      offsets = new Map();
      for (let i = 0; i < count; i++) offsets.set(i, first + (pairs[2 * i + 1] ?? 0));
      this.objectStreams.set(streamNumber, offsets);
    }
    const at = offsets?.get(index);
    return at === undefined ? null : PDFObjectParser.forBytes(decoded.subarray(at), this.context).parseObject();
  }

  private objectStreamValue(streamNumber: number): PDFRawStream | null {
    // Object streams themselves are never compressed; find their offset in any section we have read.
    for (const section of this.sections.values()) {
      const entry = section.entries.find((e) => e.objectNumber === streamNumber && e.location.kind === 'offset');
      if (entry) {
        const value = this.objectAt(entry.location);
        return value instanceof PDFRawStream ? value : null;
      }
    }
    return null;
  }
}

function numberOf(value: PDFObject | undefined): number | null {
  return value instanceof PDFNumber ? value.asNumber() : null;
}

/**
 * Offsets just past each "%%EOF" marker (and its end-of-line) — where each revision ends. A linearized
 * file's first marker (after the first-page section) does not end a revision and is left out.
 */
export function revisionEnds(pdf: Uint8Array): number[] {
  const ends: number[] = [];
  const marker = [0x25, 0x25, 0x45, 0x4f, 0x46]; // %%EOF
  for (let i = pdf.indexOf(0x25); i >= 0 && i + marker.length <= pdf.length; i = pdf.indexOf(0x25, i + 1)) {
    if (!marker.every((b, j) => pdf[i + j] === b)) continue;
    let end = i + marker.length;
    if (pdf[end] === 0x0d) end++;
    if (pdf[end] === 0x0a) end++;
    ends.push(end);
  }
  if (ends.length > 1 && /\/Linearized\b/.test(text(pdf.subarray(0, 1024)))) ends.shift();
  return ends;
}

// ---------------------------------------------------------------------------------------------------
// Appending a signature

export interface AppendOptions extends PrepareOptions {
  /** Name of the new signature field; default the first free "SignatureN". */
  readonly fieldName?: string;
}

/**
 * Adds a signature to an already signed (or any classic-xref) PDF as an incremental update, then signs
 * the new byte range — which covers the whole file, earlier signatures included. Earlier signatures stay
 * valid: their bytes are not touched. The new signature is invisible (a stamp would change page content
 * after the first signature); draw the copy stamp with the first signature.
 */
export async function appendSignature(signedPdf: Uint8Array, signer: DigestSigner, opts: AppendOptions): Promise<Uint8Array> {
  if (!signer.chainDer[0]) throw new AppError('SIGNER_NO_KEY');
  if (opts.appearance && opts.appearance.kind !== 'none') {
    throw new AppError('SIGNATURE_APPEARANCE_INVALID', { reason: 'the visible stamp can only be drawn with the first signature' });
  }
  placeholderBytesOf(opts);
  const update = buildSignatureUpdate(signedPdf, opts);
  const prepared = await fillByteRange(update, opts);
  return signPrepared(prepared, signer);
}

/** The original bytes followed by the update, /ByteRange still a marker and /Contents zeros. */
function buildSignatureUpdate(pdf: Uint8Array, opts: AppendOptions): Uint8Array {
  const unsupported = (reason: string): AppError => new AppError('PDF_INCREMENTAL_UNSUPPORTED', { reason });
  if (!text(pdf.subarray(0, 1024)).includes('%PDF-')) {
    throw new AppError('FILE_CORRUPT_PDF', { name: '', reason: 'no %PDF- header' });
  }
  const raw = new RawPdf(pdf);
  const lastXref = raw.startxrefBefore(pdf.length);
  if (lastXref === null || lastXref >= pdf.length) throw new AppError('FILE_CORRUPT_PDF', { name: '', reason: 'no startxref' });
  let section: XrefSection;
  try {
    section = raw.section(lastXref);
  } catch (err) {
    throw new AppError('FILE_CORRUPT_PDF', { name: '', reason: 'unreadable cross-reference section' }, { cause: err });
  }
  if (section.kind !== 'table') throw unsupported('the file ends with a cross-reference stream');
  const trailer = section.trailer;
  if (trailer.has(PDFName.of('Encrypt'))) throw new AppError('FILE_ENCRYPTED_PDF', { name: '' });
  const size = numberOf(trailer.get(PDFName.of('Size')));
  const rootRef = trailer.get(PDFName.of('Root'));
  if (size === null || !(rootRef instanceof PDFRef)) throw new AppError('FILE_CORRUPT_PDF', { name: '', reason: 'trailer without /Size or /Root' });

  const at = lastXref;
  const lookup = (value: PDFObject | undefined): PDFObject | undefined => raw.resolve(value, at);
  const generationOf = (ref: PDFRef): number => {
    const location = raw.locate(ref.objectNumber, at);
    if (location?.kind !== 'offset') throw unsupported(`object ${ref.objectNumber} is in an object stream`);
    return location.generation;
  };
  const catalog = lookup(rootRef);
  if (!(catalog instanceof PDFDict)) throw new AppError('FILE_CORRUPT_PDF', { name: '', reason: 'no catalog' });

  // First page: follow /Kids[0] down the page tree.
  let pageRef: PDFRef | null = null;
  let node = lookup(catalog.get(PDFName.of('Pages')));
  for (let depth = 0; depth < 64 && node instanceof PDFDict; depth++) {
    if (node.get(PDFName.of('Type')) === PDFName.of('Page')) break;
    const kids = lookup(node.get(PDFName.of('Kids')));
    const first = kids instanceof PDFArray ? kids.get(0) : undefined;
    if (!(first instanceof PDFRef)) break;
    pageRef = first;
    node = lookup(first);
  }
  const page = node;
  if (!pageRef || !(page instanceof PDFDict) || page.get(PDFName.of('Type')) !== PDFName.of('Page')) {
    throw new AppError('FILE_CORRUPT_PDF', { name: '', reason: 'no pages' });
  }

  // Objects of the update, by number: new ones and copies of the changed ones.
  const changed = new Map<number, { generation: number; body: string }>();
  const write = (ref: PDFRef, value: PDFObject): void => {
    changed.set(ref.objectNumber, { generation: generationOf(ref), body: value.toString() });
  };
  const sigNumber = size;
  const widgetNumber = size + 1;
  const widgetRef = PDFRef.of(widgetNumber, 0);

  // AcroForm: inline in the catalog, or its own object; /Fields: inline or its own array object.
  const acroFormEntry = catalog.get(PDFName.of('AcroForm'));
  const acroForm = lookup(acroFormEntry)?.clone(raw.context);
  const form = acroForm instanceof PDFDict ? acroForm : raw.context.obj({ Fields: [] });
  const fieldNames = new Set<string>();
  const fieldsEntry = form.get(PDFName.of('Fields'));
  const fields = lookup(fieldsEntry);
  const fieldList = fields instanceof PDFArray ? fields.clone(raw.context) : raw.context.obj([]);
  for (const ref of fieldList.asArray()) {
    const field = lookup(ref);
    const name = field instanceof PDFDict ? field.get(PDFName.of('T')) : undefined;
    if (name instanceof PDFString || name instanceof PDFHexString) fieldNames.add(name.decodeText());
  }
  const fieldName = opts.fieldName ?? firstFree(fieldNames);
  if (fieldNames.has(fieldName)) throw unsupported(`a field named "${fieldName}" already exists`);
  fieldList.push(widgetRef);
  if (fieldsEntry instanceof PDFRef) write(fieldsEntry, fieldList);
  else form.set(PDFName.of('Fields'), fieldList);
  const sigFlags = numberOf(form.get(PDFName.of('SigFlags'))) ?? 0;
  form.set(PDFName.of('SigFlags'), PDFNumber.of(sigFlags | 1 | 2)); // SignaturesExist | AppendOnly
  if (acroFormEntry instanceof PDFRef) write(acroFormEntry, form);
  else {
    const newCatalog = catalog.clone(raw.context);
    newCatalog.set(PDFName.of('AcroForm'), form);
    write(rootRef, newCatalog);
  }

  // The page: the widget added to /Annots (inline array, or its own array object).
  const annotsEntry = page.get(PDFName.of('Annots'));
  const annots = lookup(annotsEntry);
  const annotList = annots instanceof PDFArray ? annots.clone(raw.context) : raw.context.obj([]);
  annotList.push(widgetRef);
  if (annotsEntry instanceof PDFRef) write(annotsEntry, annotList);
  else {
    const newPage = page.clone(raw.context);
    newPage.set(PDFName.of('Annots'), annotList);
    write(pageRef, newPage);
  }

  const widget = raw.context.obj({
    Type: 'Annot',
    Subtype: 'Widget',
    FT: 'Sig',
    Rect: [0, 0, 0, 0], // invisible
    V: PDFRef.of(sigNumber, 0),
    T: PDFHexString.fromText(fieldName),
    F: 4 | 128, // Print | Locked
    P: pageRef,
  });
  changed.set(sigNumber, { generation: 0, body: signatureDictionaryText(opts) });
  changed.set(widgetNumber, { generation: 0, body: widget.toString() });

  // Serialise: objects, xref (one subsection per run of consecutive numbers), trailer.
  const parts: string[] = [];
  const lastByte = pdf[pdf.length - 1];
  let offset = pdf.length;
  if (lastByte !== 0x0a && lastByte !== 0x0d) {
    parts.push('\n');
    offset += 1;
  }
  const offsets = new Map<number, number>();
  for (const [number, { generation, body }] of [...changed].sort(([a], [b]) => a - b)) {
    const objectText = `${number} ${generation} obj\n${body}\nendobj\n`;
    offsets.set(number, offset);
    parts.push(objectText);
    offset += objectText.length; // all ASCII: the dictionary text escapes everything else
  }
  const xrefOffset = offset;
  const numbers = [...offsets.keys()];
  const xref = ['xref'];
  for (let i = 0; i < numbers.length; ) {
    let j = i;
    while (j + 1 < numbers.length && numbers[j + 1] === (numbers[j] ?? 0) + 1) j++;
    xref.push(`${numbers[i]} ${j - i + 1}`);
    for (let k = i; k <= j; k++) {
      const number = numbers[k] ?? 0;
      xref.push(`${String(offsets.get(number)).padStart(10, '0')} ${String(changed.get(number)?.generation ?? 0).padStart(5, '0')} n\r`);
    }
    i = j + 1;
  }
  const newTrailer = raw.context.obj({ Size: widgetNumber + 1, Root: rootRef, Prev: lastXref });
  for (const key of ['Info', 'ID']) {
    const value = trailer.get(PDFName.of(key));
    if (value) newTrailer.set(PDFName.of(key), value);
  }
  parts.push(`${xref.join('\n')}\ntrailer\n${newTrailer.toString()}\nstartxref\n${xrefOffset}\n%%EOF\n`);

  const updateText = parts.join('');
  // Offsets above count characters as bytes: every character must be a single byte.
  if ([...updateText].some((c) => c.charCodeAt(0) > 0xff)) throw new Error('a character outside Latin-1 in the update');
  const appended = latin1(updateText);
  const out = new Uint8Array(pdf.length + appended.length);
  out.set(pdf, 0);
  out.set(appended, pdf.length);
  return out;
}

function firstFree(taken: ReadonlySet<string>): string {
  let n = 1;
  while (taken.has(`Signature${n}`)) n++;
  return `Signature${n}`;
}
