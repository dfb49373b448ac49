import type { Procedure } from './procedure';

/**
 * Lower-case, without Vietnamese diacritics and with đ/Đ folded to d: "Đăng ký" and "dang ky" match.
 * NFD splits the tone and vowel marks from their letters; đ is a letter of its own, not a mark.
 */
export function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').replace(/[đĐ]/g, 'd').toLowerCase().replace(/\s+/g, ' ').trim();
}

export interface SearchOptions {
  /** Codes the clerk has starred; among equally good matches they come first. */
  readonly favourites?: Iterable<string>;
}

/** How well a procedure matches; higher is better, 0 means no match. */
const Rank = { None: 0, Words: 1, CodePrefix: 2, NamePrefix: 3, ExactName: 4, ExactCode: 5 } as const;
type Rank = (typeof Rank)[keyof typeof Rank];

function rank(procedure: Procedure, foldedQuery: string, words: readonly string[]): Rank {
  if (procedure.code === foldedQuery) return Rank.ExactCode;
  const name = fold(procedure.name);
  if (name === foldedQuery) return Rank.ExactName;
  if (name.startsWith(foldedQuery)) return Rank.NamePrefix;
  if (/^[\d.]+$/.test(foldedQuery) && procedure.code.startsWith(foldedQuery)) return Rank.CodePrefix;
  const haystack = `${procedure.code} ${name} ${fold(procedure.field)}`;
  const tokens = haystack.split(/[\s,;()/.:-]+/).filter(Boolean);
  // Every query word must start some word of the entry ("khai s" finds "khai sinh"), or occur in it.
  return words.every((w) => tokens.some((t) => t.startsWith(w)) || haystack.includes(w)) ? Rank.Words : Rank.None;
}

/**
 * The procedures that match what the clerk typed, best first: exact code, then the whole name, then name prefix, then code
 * prefix, then entries containing every word. Diacritics and case are ignored. Among equals, favourites
 * come first, then the catalog order. An empty query lists the whole catalog, favourites first.
 */
export function searchProcedures(catalog: readonly Procedure[], query: string, options: SearchOptions = {}): Procedure[] {
  const favourites = new Set(options.favourites ?? []);
  const foldedQuery = fold(query);
  const words = foldedQuery.split(' ').filter(Boolean);
  const scored: { procedure: Procedure; rank: number; favourite: boolean; index: number }[] = [];
  catalog.forEach((procedure, index) => {
    const r = foldedQuery === '' ? Rank.Words : rank(procedure, foldedQuery, words);
    if (r !== Rank.None) scored.push({ procedure, rank: r, favourite: favourites.has(procedure.code), index });
  });
  scored.sort((a, b) => b.rank - a.rank || Number(b.favourite) - Number(a.favourite) || a.index - b.index);
  return scored.map((s) => s.procedure);
}
