/**
 * Digitization checks of Circular 01/2023/TT-VPCP Art. 8.2 (applied to reception by Circular 03/2025 Art. 5):
 * one image per input page, and a page carrying a sticky note (giấy ghi chú đính kèm) photographed twice —
 * with the note and without it. So a component's copy has as many images as the paper has pages, plus one
 * per such page; the clerk confirms the paper's page count and a difference must be acknowledged, never
 * passed silently.
 *
 * The two shots of a noted page are a pair: they count as one input page, stay side by side (with the note
 * first), and move, go to a component and are deleted together.
 */
import { z } from 'zod';
import { AppError } from '../errors';

type NoteShot = 'with-note' | 'without-note';

/** Marks one of the two shots of a page with a sticky note; both shots carry the same `id`. */
export interface NotePair {
  readonly id: string;
  readonly shot: NoteShot;
}

/** An image (or a multi-page file) as the count sees it. */
export interface CountedImage {
  readonly id: string;
  /** Pages it holds: 1 for a scanned or photographed page, n for a picked PDF. */
  readonly pageCount: number;
  readonly notePair?: NotePair | undefined;
}

export interface PageCount {
  /** Images that go into the copy (a picked PDF counts its pages). */
  readonly images: number;
  /** Complete pairs (both shots present): each adds one image but no input page. */
  readonly notePairs: number;
  /** The paper pages those images stand for. */
  readonly inputPages: number;
}

export function countPages(images: readonly CountedImage[]): PageCount {
  const withNote = new Set(images.filter((i) => i.notePair?.shot === 'with-note').map((i) => i.notePair?.id));
  // A shot whose partner is missing (deleted before pairs were kept together, or another component) is a page of its own.
  const notePairs = images.filter((i) => i.notePair?.shot === 'without-note' && withNote.has(i.notePair.id)).length;
  const total = images.reduce((n, i) => n + i.pageCount, 0);
  return { images: total, notePairs, inputPages: total - notePairs };
}

/** The paper page count the clerk confirmed for one component, against what was captured. */
const pageCountConfirmationSchema = z
  .object({
    code: z.string().min(1).max(64),
    images: z.number().int().nonnegative().max(10_000),
    notePairs: z.number().int().nonnegative().max(10_000),
    inputPages: z.number().int().nonnegative().max(10_000),
    /** What the clerk counted on the paper (defaults to `inputPages` in the form). */
    paperPages: z.number().int().nonnegative().max(10_000),
    /** The clerk saw the difference and accepted the copy anyway (false when the counts agree). */
    mismatchAcknowledged: z.boolean(),
  })
  .strict();
export type PageCountConfirmation = z.infer<typeof pageCountConfirmationSchema>;

/** Stored on the dossier: when the counts were confirmed, and each present component's counts. */
export const digitizationRecordSchema = z
  .object({ confirmedAt: z.string().min(10).max(40), components: z.array(pageCountConfirmationSchema).max(100) })
  .strict();
export type DigitizationRecord = z.infer<typeof digitizationRecordSchema>;

export function pageCountMatches(c: Pick<PageCountConfirmation, 'inputPages' | 'paperPages'>): boolean {
  return c.inputPages === c.paperPages;
}

/** Refuses a copy whose page count differs from the paper unless the clerk acknowledged it. */
export function assertPageCountsConfirmed(components: readonly (PageCountConfirmation & { readonly name: string })[]): void {
  for (const c of components) {
    if (!pageCountMatches(c) && !c.mismatchAcknowledged) {
      throw new AppError('DIGITIZATION_PAGE_COUNT_MISMATCH', { component: c.name, inputPages: c.inputPages, paperPages: c.paperPages });
    }
  }
}

/** The ids plus the other shot of every pair among them (what is deleted or moved together). */
export function withNotePartners<T extends { readonly id: string; readonly notePair?: NotePair | undefined }>(pages: readonly T[], ids: readonly string[]): string[] {
  const chosen = new Set(ids);
  const pairIds = new Set(pages.filter((p) => chosen.has(p.id) && p.notePair).map((p) => p.notePair?.id));
  for (const p of pages) if (p.notePair && pairIds.has(p.notePair.id)) chosen.add(p.id);
  return [...chosen];
}

/**
 * Which two pages "pair with the next page" joins: the page and the one after it in the same strip, both
 * single images not already in a pair. Null when that is not possible.
 */
export function nextPagePair<T extends { readonly id: string; readonly pageCount: number; readonly notePair?: NotePair | undefined }>(strip: readonly T[], pageId: string): { readonly withNote: T; readonly withoutNote: T } | null {
  const at = strip.findIndex((p) => p.id === pageId);
  const withNote = strip[at];
  const withoutNote = strip[at + 1];
  if (at < 0 || !withNote || !withoutNote) return null;
  if (withNote.notePair || withoutNote.notePair || withNote.pageCount !== 1 || withoutNote.pageCount !== 1) return null;
  return { withNote, withoutNote };
}

/** `count` order values strictly between `previous` and `next` (either may be absent: an end of the list). */
export function ordersBetween(previous: number | undefined, next: number | undefined, count: number): number[] {
  if (previous === undefined && next === undefined) return Array.from({ length: count }, (_, i) => i + 1);
  if (previous === undefined) return Array.from({ length: count }, (_, i) => (next ?? 0) - count + i);
  if (next === undefined) return Array.from({ length: count }, (_, i) => previous + i + 1);
  const step = (next - previous) / (count + 1);
  return Array.from({ length: count }, (_, i) => previous + step * (i + 1));
}

/** What the clerk entered for one component: the paper's page count, and the difference they acknowledged. */
export interface PaperPageEntry {
  /** Absent: the clerk did not change it, so it is the captured count. */
  readonly paperPages?: number | undefined;
  /** The counts the clerk saw when acknowledging; an acknowledgement holds only while both stay the same. */
  readonly acknowledged?: { readonly inputPages: number; readonly paperPages: number } | undefined;
}

export function pageCountConfirmation(code: string, counted: PageCount, entry: PaperPageEntry = {}): PageCountConfirmation {
  const paperPages = entry.paperPages ?? counted.inputPages;
  const mismatch = paperPages !== counted.inputPages;
  // A page scanned or deleted after the acknowledgement changes the counts: the clerk must look again.
  const acknowledged = mismatch && entry.acknowledged?.inputPages === counted.inputPages && entry.acknowledged.paperPages === paperPages;
  return { code, ...counted, paperPages, mismatchAcknowledged: acknowledged };
}
