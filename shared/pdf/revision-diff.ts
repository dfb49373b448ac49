/**
 * What changed in a PDF after each signature: every later incremental revision, read through its
 * cross-reference section (incremental.ts), with the objects it added, modified or deleted and how much
 * each matters to someone relying on the earlier signature (signature machinery, annotations, content).
 * Part of the PDF verifier (verify-pdf.ts); never throws — an unreadable revision counts as 'content'.
 */
import { PDFArray, PDFDict, PDFName, PDFRawStream, PDFRef, type PDFObject } from 'pdf-lib';
import { RawPdf, revisionEnds, type ObjectLocation, type XrefEntry } from './incremental';
import { latin1 } from './signature-scan';

/** What a later revision's object is, coarsely. */
type ChangeKind =
  | 'signature' // a signature or document-timestamp dictionary, its appearance, or validation data (/DSS)
  | 'signature-field' // a signature field / widget
  | 'annotation' // any other annotation or form field widget, and its appearance
  | 'page' // a page or the page tree, a page's content stream, a page's /Annots array
  | 'catalog' // the document catalog, the AcroForm or its /Fields array
  | 'metadata' // the /Info dictionary or an XMP metadata stream
  | 'structure' // cross-reference streams and object streams (containers)
  | 'other';

/** How much a change matters to someone relying on the earlier signature, from least to most. */
export type ChangeLevel = 'signatures-only' | 'annotations' | 'content';

interface ChangedObject {
  readonly objectNumber: number;
  readonly generation: number;
  readonly change: 'added' | 'modified' | 'deleted';
  readonly kind: ChangeKind;
  /**
   * signatures-only: signature machinery (also a page or catalog whose only change is the list of
   * annotations or fields); annotations: annotations or form fields; content: the pages, their content,
   * the page tree, or anything else.
   */
  readonly level: ChangeLevel;
}

export interface RevisionChanges {
  /** 1-based revision number (revision 1 is the original file). */
  readonly revision: number;
  /** Byte offsets of the revision in the file: [start, end). */
  readonly start: number;
  readonly end: number;
  /** false when its cross-reference section could not be read (then level is 'content': nothing is known). */
  readonly readable: boolean;
  readonly objects: readonly ChangedObject[];
  readonly level: ChangeLevel | 'none';
}

export interface RevisionAnalysis {
  /** Offsets where revisions end (just past each %%EOF). */
  readonly ends: readonly number[];
  /** Revisions 2…n (and a trailing unterminated segment, if any), in file order. */
  readonly later: readonly RevisionChanges[];
}

const LEVEL_ORDER: readonly ChangeLevel[] = ['signatures-only', 'annotations', 'content'];
export const maxLevel = (levels: Iterable<ChangeLevel>): ChangeLevel | null => {
  let best = -1;
  for (const level of levels) best = Math.max(best, LEVEL_ORDER.indexOf(level));
  return LEVEL_ORDER[best] ?? null;
};

const ANNOTATION_SUBTYPES = new Set([
  'Text', 'Link', 'FreeText', 'Line', 'Square', 'Circle', 'Polygon', 'PolyLine', 'Highlight', 'Underline', 'Squiggly',
  'StrikeOut', 'Stamp', 'Caret', 'Ink', 'Popup', 'FileAttachment', 'Sound', 'Movie', 'Widget', 'Screen', 'PrinterMark',
  'TrapNet', 'Watermark', '3D', 'Redact', 'RichMedia', 'Projection',
]);

export function analyseRevisions(pdf: Uint8Array): RevisionAnalysis {
  const ends = revisionEnds(pdf);
  const later: RevisionChanges[] = [];
  const raw = new RawPdf(pdf);
  for (let k = 1; k < ends.length; k++) {
    const [start, stop] = [ends[k - 1] ?? 0, ends[k] ?? 0];
    try {
      later.push(revisionChanges(raw, k + 1, start, stop));
    } catch {
      // A broken /Prev chain or object: say nothing is known rather than fail the whole report.
      later.push({ revision: k + 1, start, end: stop, readable: false, objects: [], level: 'content' });
    }
  }
  const lastEnd = ends[ends.length - 1] ?? 0;
  if (ends.length > 0 && /\S/.test(latin1(pdf.subarray(lastEnd)))) {
    // Bytes after the last %%EOF that do not form a complete revision: nothing can be said about them.
    later.push({ revision: ends.length + 1, start: lastEnd, end: pdf.length, readable: false, objects: [], level: 'content' });
  }
  return { ends, later };
}

function revisionChanges(raw: RawPdf, revision: number, start: number, end: number): RevisionChanges {
  const unreadable: RevisionChanges = { revision, start, end, readable: false, objects: [], level: 'content' };
  const sectionAt = raw.startxrefBefore(end);
  const previousAt = raw.startxrefBefore(start);
  if (sectionAt === null || previousAt === null || sectionAt < start) return unreadable;
  let entries: XrefEntry[];
  let trailer: PDFDict;
  try {
    const section = raw.section(sectionAt);
    trailer = section.trailer;
    entries = [...section.entries, ...(section.xrefStream !== null ? raw.section(section.xrefStream).entries : [])];
  } catch {
    return unreadable;
  }

  // The document as of this revision: its catalog, AcroForm, pages and what they point to.
  const resolve = (value: PDFObject | undefined): PDFObject | undefined => raw.resolve(value, sectionAt);
  const asDict = (value: PDFObject | null | undefined): PDFDict | null =>
    value instanceof PDFDict ? value : value instanceof PDFRawStream ? value.dict : null;
  const refNumber = (value: PDFObject | undefined): number | null => (value instanceof PDFRef ? value.objectNumber : null);
  const rootRef = trailer.get(PDFName.of('Root'));
  const catalog = asDict(resolve(rootRef));
  const acroFormEntry = catalog?.get(PDFName.of('AcroForm'));
  const acroForm = asDict(resolve(acroFormEntry));
  const roles = {
    catalog: refNumber(rootRef),
    info: refNumber(trailer.get(PDFName.of('Info'))),
    acroForm: refNumber(acroFormEntry),
    fields: refNumber(acroForm?.get(PDFName.of('Fields'))),
    pageContents: new Set<number>(),
    annotArrays: new Set<number>(),
  };
  const stack: PDFObject[] = [catalog?.get(PDFName.of('Pages')) ?? PDFName.of('None')];
  const seenNodes = new Set<number>();
  while (stack.length && seenNodes.size < 100_000) {
    const ref = stack.pop();
    if (!(ref instanceof PDFRef) || seenNodes.has(ref.objectNumber)) continue;
    seenNodes.add(ref.objectNumber);
    const node = asDict(resolve(ref));
    if (!node) continue;
    const kids = resolve(node.get(PDFName.of('Kids')));
    if (kids instanceof PDFArray) stack.push(...kids.asArray());
    const contents = node.get(PDFName.of('Contents'));
    const contentRefs = contents instanceof PDFRef ? [contents, ...arrayItems(resolve(contents))] : arrayItems(contents);
    for (const item of contentRefs) if (item instanceof PDFRef) roles.pageContents.add(item.objectNumber);
    const annots = refNumber(node.get(PDFName.of('Annots')));
    if (annots !== null) roles.annotArrays.add(annots);
  }

  // The objects this revision lists, minus those whose location did not change (full-table rewrites).
  const changes: { objectNumber: number; generation: number; change: ChangedObject['change']; now: PDFObject | null; before: PDFObject | null }[] = [];
  for (const entry of entries) {
    if (entry.objectNumber === 0) continue;
    const before = raw.locate(entry.objectNumber, previousAt);
    if (before && sameLocation(before, entry.location)) continue;
    const existed = before !== null && before.kind !== 'free';
    if (entry.location.kind === 'free' && !existed) continue;
    changes.push({
      objectNumber: entry.objectNumber,
      generation: entry.location.kind === 'offset' ? entry.location.generation : 0,
      change: entry.location.kind === 'free' ? 'deleted' : existed ? 'modified' : 'added',
      now: raw.objectAt(entry.location),
      before: existed && before ? raw.objectAt(before) : null,
    });
  }
  const changedNumbers = new Set(changes.map((c) => c.objectNumber));
  const byNumber = new Map(changes.map((c) => [c.objectNumber, c]));

  // Objects reachable (through changed objects only) from a changed signature field's or annotation's
  // appearance, or from the catalog's /DSS: they belong to that signature or annotation.
  const belongsTo = new Map<number, ChangeKind>();
  const mark = (start: PDFObject | undefined, kind: ChangeKind): void => {
    const pending: PDFObject[] = start ? [start] : [];
    while (pending.length) {
      const value = pending.pop();
      if (value instanceof PDFRef) {
        if (!changedNumbers.has(value.objectNumber) || belongsTo.has(value.objectNumber)) continue;
        belongsTo.set(value.objectNumber, kind);
        pending.push(byNumber.get(value.objectNumber)?.now ?? PDFName.of('None'));
      } else if (value instanceof PDFRawStream) pending.push(value.dict);
      else if (value instanceof PDFDict) pending.push(...value.values());
      else if (value instanceof PDFArray) pending.push(...value.asArray());
    }
  };
  for (const c of changes) {
    const dict = asDict(c.now);
    if (!dict) continue;
    const kind = dictKind(dict);
    if (kind === 'signature-field') mark(dict.get(PDFName.of('AP')), 'signature');
    else if (kind === 'annotation') mark(dict.get(PDFName.of('AP')), 'annotation');
    else if (kind === 'catalog') mark(dict.get(PDFName.of('DSS')), 'signature');
  }

  const objects = changes.map((c): ChangedObject => {
    const { kind, level } = classify(c.objectNumber, c.now, c.before);
    return { objectNumber: c.objectNumber, generation: c.generation, change: c.change, kind, level: c.change === 'deleted' ? 'content' : level };
  });
  return { revision, start, end, readable: true, objects, level: maxLevel(objects.map((o) => o.level)) ?? 'none' };

  function classify(n: number, now: PDFObject | null, before: PDFObject | null): { kind: ChangeKind; level: ChangeLevel } {
    const dict = asDict(now ?? before);
    const oldDict = asDict(before);
    if (roles.pageContents.has(n)) return { kind: 'page', level: 'content' };
    if (roles.annotArrays.has(n)) return { kind: 'page', level: onlyAdded(before, now) ? 'signatures-only' : 'annotations' };
    if (n === roles.fields) return { kind: 'catalog', level: onlyAdded(before, now) ? 'signatures-only' : 'annotations' };
    if (n === roles.acroForm) return { kind: 'catalog', level: sameExcept(oldDict, dict, ['Fields', 'SigFlags', 'DR', 'DA']) ? 'signatures-only' : 'content' };
    if (n === roles.info) return { kind: 'metadata', level: 'signatures-only' };
    const inherited = belongsTo.get(n);
    if (!dict) return inherited ? { kind: inherited, level: levelOf(inherited) } : { kind: 'other', level: 'content' };
    const kind = dictKind(dict);
    switch (kind) {
      case 'page':
        // A page whose only change is its /Annots list: the annotations themselves are judged separately.
        return { kind, level: dict.get(PDFName.of('Type')) === PDFName.of('Page') && sameExcept(oldDict, dict, ['Annots']) ? 'signatures-only' : 'content' };
      case 'catalog':
        return { kind, level: sameExcept(oldDict, dict, ['AcroForm', 'DSS', 'Metadata']) ? 'signatures-only' : 'content' };
      case 'other':
        return inherited ? { kind: inherited, level: levelOf(inherited) } : { kind, level: 'content' };
      default:
        return { kind, level: levelOf(kind) };
    }
  }
}

function levelOf(kind: ChangeKind): ChangeLevel {
  return kind === 'annotation' ? 'annotations' : kind === 'page' || kind === 'other' ? 'content' : 'signatures-only';
}

function dictKind(dict: PDFDict): ChangeKind {
  const name = (key: string): string | null => {
    const value = dict.get(PDFName.of(key));
    return value instanceof PDFName ? value.decodeText() : null;
  };
  const type = name('Type');
  if (type === 'Sig' || type === 'DocTimeStamp' || dict.has(PDFName.of('ByteRange'))) return 'signature';
  if (name('FT') === 'Sig') return 'signature-field';
  if (type === 'Annot' || (ANNOTATION_SUBTYPES.has(name('Subtype') ?? '') && dict.has(PDFName.of('Rect')))) return 'annotation';
  if (type === 'Page' || type === 'Pages') return 'page';
  if (type === 'Catalog') return 'catalog';
  if (type === 'Metadata') return 'metadata';
  if (type === 'XRef' || type === 'ObjStm') return 'structure';
  return 'other';
}

function arrayItems(value: PDFObject | undefined): PDFObject[] {
  return value instanceof PDFArray ? value.asArray() : [];
}

/** The new array holds every item of the old one (items were only added). */
function onlyAdded(before: PDFObject | null, now: PDFObject | null): boolean {
  if (!(now instanceof PDFArray)) return false;
  const present = new Set(now.asArray().map((item) => item.toString()));
  return arrayItems(before ?? undefined).every((item) => present.has(item.toString()));
}

/** Both dictionaries have the same entries, ignoring `keys`. A missing old version counts as different. */
function sameExcept(before: PDFDict | null, now: PDFDict | null, keys: readonly string[]): boolean {
  if (!before || !now) return false;
  const ignored = new Set(keys);
  const entries = (dict: PDFDict): string =>
    dict
      .entries()
      .filter(([key]) => !ignored.has(key.decodeText()))
      .map(([key, value]) => `${key.toString()} ${value.toString()}`)
      .sort()
      .join('\n');
  return entries(before) === entries(now);
}

function sameLocation(a: ObjectLocation, b: ObjectLocation): boolean {
  if (a.kind === 'offset' && b.kind === 'offset') return a.offset === b.offset;
  if (a.kind === 'compressed' && b.kind === 'compressed') return a.stream === b.stream && a.index === b.index;
  return a.kind === 'free' && b.kind === 'free';
}
