/**
 * The dossier code (mã hồ sơ, domain.md §4): `<unit code>-YYMMDD-XXXX`, e.g. `000.17.22.H56-210531-0001`.
 * The date is the day received in Vietnam time; XXXX is the unit's sequence of dossiers that day.
 *
 * Offline counters and the shared sequence
 * ----------------------------------------
 * All counters of one unit share the sequence, and a counter must be able to number dossiers while it
 * cannot reach the central (or any other counter). So the sequence space of a day is split into fixed
 * blocks, one per counter number (1–9, `CounterConfig.counterNo`):
 *
 *   counter k owns [(k − 1)·1000 + 1, k·1000 − 1]   → counter 1: 0001–0999, counter 2: 1001–1999, … 9: 8001–8999
 *
 * Why two counters can never produce the same code while offline: the unit code and the date are the
 * same for both, so two codes differ exactly when their sequences differ. The blocks are disjoint
 * intervals, a counter draws only from its own block, and within its block it only moves forward
 * (`nextSequence` from the last number it used that day). No message between counters is needed.
 * The first digit of XXXX also tells which counter received the dossier (k − 1).
 *
 * What this relies on and its limits (a later issue revisits the scheme):
 * - Counter numbers are unique within a unit (enrollment must enforce it).
 * - The caller keeps "last used" per Vietnam day (`dossierCodeDay`) and stores it in the same
 *   transaction as the dossier, so a restart never re-issues a number. A clock set back to a day
 *   already used would, without that record, collide with the counter's own earlier codes.
 * - At most 999 dossiers per counter per day, at most 9 counters per unit. Numbers x000 and 9001–9999
 *   are never issued by counters (free for e.g. centrally-numbered online dossiers — UNCONFIRMED use).
 */
import { AppError } from '../errors';
import { dossierCodeSchema, unitCodeSchema } from './dossier';
import { calendarDayOf, toVietnamDateTime } from './time';

export const MIN_COUNTER_NO = 1;
export const MAX_COUNTER_NO = 9;
/** Size of a counter's block stride; the block holds `BLOCK_STRIDE - 1` numbers. */
const BLOCK_STRIDE = 1000;

export interface SequenceRange {
  readonly first: number;
  readonly last: number;
}

export interface ParsedDossierCode {
  readonly unitCode: string;
  /** Day received (Vietnam), full year. */
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly sequence: number;
  /** The counter whose block holds this sequence, or undefined for numbers no counter issues. */
  readonly counterNo: number | undefined;
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** `YYMMDD` of the day `receivedAt` falls on in Vietnam: the key under which a day's sequence runs. */
export function dossierCodeDay(receivedAt: Date): string {
  const t = toVietnamDateTime(receivedAt);
  return `${pad2(t.year % 100)}${pad2(t.month)}${pad2(t.day)}`;
}

export function formatDossierCode(unitCode: string, receivedAt: Date, sequence: number): string {
  if (!unitCodeSchema.safeParse(unitCode).success) throw new AppError('UNIT_CODE_INVALID', { unitCode });
  if (!Number.isInteger(sequence) || sequence < 1 || sequence > 9999) {
    throw new AppError('DOSSIER_CODE_INVALID', { code: `${unitCode}-${dossierCodeDay(receivedAt)}-${sequence}` });
  }
  const code = `${unitCode}-${dossierCodeDay(receivedAt)}-${String(sequence).padStart(4, '0')}`;
  // The unit-code and sequence checks above already guarantee this; keep the two definitions in step.
  if (!dossierCodeSchema.safeParse(code).success) throw new AppError('DOSSIER_CODE_INVALID', { code });
  return code;
}

export function parseDossierCode(code: string): ParsedDossierCode {
  const normalized = code.trim();
  const invalid = (): AppError => new AppError('DOSSIER_CODE_INVALID', { code });
  if (!dossierCodeSchema.safeParse(normalized).success) throw invalid();
  const match = /^(.+)-(\d{2})(\d{2})(\d{2})-(\d{4})$/.exec(normalized);
  if (!match) throw invalid();
  const [, unitCode = '', yy = '', mm = '', dd = '', seq = ''] = match;
  const year = 2000 + Number(yy);
  const month = Number(mm);
  const day = Number(dd);
  const sequence = Number(seq);
  // Reject impossible dates (e.g. 310230) by a round trip through the calendar.
  const dayIndex = Math.floor(Date.UTC(year, month - 1, day) / 86_400_000);
  const check = calendarDayOf(dayIndex);
  if (month < 1 || month > 12 || check.year !== year || check.month !== month || check.day !== day) throw invalid();
  if (sequence < 1) throw invalid();
  return { unitCode, year, month, day, sequence, counterNo: counterOfSequence(sequence) };
}

function assertCounterNo(counterNo: number): void {
  if (!Number.isInteger(counterNo) || counterNo < MIN_COUNTER_NO || counterNo > MAX_COUNTER_NO) {
    // CounterConfig's schema already limits counterNo to 1–9: reaching this is a programming error.
    throw new AppError('INTERNAL', { message: `counter number must be ${MIN_COUNTER_NO}–${MAX_COUNTER_NO}`, counterNo });
  }
}

/** The block of daily sequence numbers counter `counterNo` (1–9) may issue. */
export function counterSequenceRange(counterNo: number): SequenceRange {
  assertCounterNo(counterNo);
  return { first: (counterNo - 1) * BLOCK_STRIDE + 1, last: counterNo * BLOCK_STRIDE - 1 };
}

/** Which counter's block holds `sequence`, if any. */
export function counterOfSequence(sequence: number): number | undefined {
  const counterNo = Math.floor(sequence / BLOCK_STRIDE) + 1;
  if (sequence % BLOCK_STRIDE === 0 || counterNo > MAX_COUNTER_NO) return undefined;
  return counterNo;
}

/**
 * The next sequence number for this counter today. `lastUsed` is the last number this counter issued on
 * the same Vietnam day (undefined for the day's first dossier).
 */
export function nextSequence(lastUsed: number | undefined, counterNo: number): number {
  const { first, last } = counterSequenceRange(counterNo);
  if (lastUsed === undefined) return first;
  if (lastUsed === last) {
    throw new AppError('DOSSIER_SEQUENCE_EXHAUSTED', { counterNo, first, last, capacity: last - first + 1 });
  }
  if (!Number.isInteger(lastUsed) || lastUsed < first || lastUsed > last) {
    // A number from another counter's block means the stored state is wrong; issuing from it could collide.
    throw new AppError('INTERNAL', { message: 'last used dossier sequence is outside this counter\'s block', counterNo, lastUsed });
  }
  return lastUsed + 1;
}
