/**
 * The name a minimised dossier keeps (issue 17, finding 8; docs/storage.md "Retention"): enough for a clerk
 * to tell two dossiers of the same day apart on the desk, not enough to identify the citizen.
 *
 * Rule: the first word (the family name in Vietnamese order: Nguyễn, Trần, …) is kept whole, every later word
 * is cut to its initial and a dot — "Nguyễn Văn Dũng" → "Nguyễn V. D.". A single-word name keeps only its
 * initial ("Dũng" → "D."), since that word alone would be the whole name. Organisation names go through the
 * same rule ("Công ty TNHH An Phát" → "Công T. T. A. P."): the holder's name is masked whatever it is.
 * Control and format characters (bidi overrides) are dropped first, so the mask is plain text.
 */
import type { DossierStatus } from '../sync/protocol';
import { holderName, type Applicant } from './dossier';

// Cc (controls) and Cf (format: bidi overrides, zero-width joiners): never part of a name on paper.
const invisible = /[\p{Cc}\p{Cf}]/gu;

/** The first letter of `word` as a person writes it (NFC, so "Đ" or "Ư" stays one letter). */
function initialOf(word: string): string {
  const first = Array.from(word.normalize('NFC'))[0] ?? '';
  return first.toLocaleUpperCase('vi');
}

/** The masked form of a full name; '' for an empty or blank one. */
export function maskPersonName(fullName: string): string {
  const words = fullName.replace(invisible, '').normalize('NFC').trim().split(/\s+/u).filter((w) => w.length > 0);
  if (words.length === 0) return '';
  if (words.length === 1) return `${initialOf(words[0] ?? '')}.`;
  const [family, ...rest] = words;
  return [family, ...rest.map((w) => `${initialOf(w)}.`)].join(' ');
}

/** True when `name` is already a mask (`maskPersonName` of it gives it back): masking twice changes nothing. */
export function isMaskedName(name: string): boolean {
  return name.length > 0 && maskPersonName(name) === name;
}

/**
 * Statuses after which the counter has nothing more to do for the citizen: not accepted (3), withdrawn (7),
 * stopped (8), result returned (10). Once the central holds such a status, the dossier is minimised on the
 * counter after the grace period.
 */
export const closedStatuses: readonly DossierStatus[] = [3, 7, 8, 10];

export function isClosedStatus(status: DossierStatus): boolean {
  return closedStatuses.includes(status);
}

/**
 * What a minimised dossier keeps of its applicant: the holder's masked name as `fullName`, every other field
 * empty (the type stays `Applicant`, so the desk, the board and the register read it as before; nothing
 * personal is left to print). The organisation and the represented person are gone: the holder's name,
 * masked, is all the desk shows.
 */
export function minimisedApplicant(applicant: Applicant): Applicant {
  // The mask is idempotent, so minimising a minimised record changes nothing.
  return { fullName: maskPersonName(holderName(applicant)), idNumber: '', phone: '', address: '' };
}
