/**
 * The dossier code (mã hồ sơ, Decree 118/2025 Art. 28): `<agency id>-YYMMDD-XXXX`, e.g. `G12.18.92-260305-0042`.
 * The agency id is the electronic identifier (Decision 20/2020/QĐ-TTg) of the agency that DECIDES the dossier
 * (the receiving One-Stop Division's for an inter-connected group: code-prefix.ts); the date is the day received
 * in Vietnam time; XXXX is that agency's sequence of dossiers that day, at least 4 digits, more when needed.
 * Circular 04/2025 Art. 23 adds `MX1X2.Y1Y2Y3.Z1Z2-YYMMDD-AAXXXX` for nationally centralised services;
 * parseDossierCode reads it (AA: see below). docs/dossier-code.md has the whole scheme.
 *
 * Who issues the numbers: the law gives it to the provincial system (the central). The central leases each
 * counter blocks of an (agency, day)'s sequence in advance (code-lease.ts); a counter with no leased number
 * left while offline issues a provisional `TAM-…` number (formatProvisionalCode) that the central replaces.
 *
 * The old scheme (Circular 01/2018 era, QCVN 102 unit codes like `000.17.22.H56`): fixed blocks of 999 per
 * counter number 1–9 (counter k: (k−1)·1000+1 … k·1000−1). It is kept only to READ old codes
 * (`counterOfSequence`, `counterSequenceRange`); nothing allocates from it any more.
 *
 * AA in Circular 04's `AAXXXX` (UNCONFIRMED: no copy of the article's text was found): read here as two
 * capital letters before the digits. Two digits there could not be told apart from a longer sequence, so a
 * code like `G12.345.67-260305-123456` is read as sequence 123456 with no series.
 */
import { AppError } from '../errors';
import {
  AGENCY_ID_MAX_LENGTH,
  decision20AgencyIdRegex,
  officialDossierCodeRegex,
  provisionalDossierCodeRegex,
  qcvnUnitCodeRegex,
  SEQUENCE_MAX_DIGITS,
} from './dossier';
import { calendarDayOf, toVietnamDateTime } from './time';

const MIN_COUNTER_NO = 1;
const MAX_COUNTER_NO = 9;
/** Size of a counter's block stride; the block holds `BLOCK_STRIDE - 1` numbers. */
const BLOCK_STRIDE = 1000;

export interface SequenceRange {
  readonly first: number;
  readonly last: number;
}

/** Largest sequence a code can carry (SEQUENCE_MAX_DIGITS digits). */
export const MAX_SEQUENCE = 10 ** SEQUENCE_MAX_DIGITS - 1;

export type AgencyIdForm = 'decision-20' | 'qcvn-102';

export interface ParsedDossierCode {
  /** The prefix: the deciding agency's identifier (or, in old codes, the receiving unit's QCVN code). */
  readonly agencyId: string;
  readonly agencyIdForm: AgencyIdForm;
  /** Circular 04/2025's AA (two letters), when the code has one. */
  readonly series: string | undefined;
  /** Day received (Vietnam), full year. */
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly sequence: number;
  /** Old codes only (QCVN unit code): the counter whose fixed block holds this sequence, if any. */
  readonly counterNo: number | undefined;
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** `YYMMDD` of the day `receivedAt` falls on in Vietnam: the key under which a day's sequence runs. */
export function dossierCodeDay(receivedAt: Date): string {
  const t = toVietnamDateTime(receivedAt);
  return `${pad2(t.year % 100)}${pad2(t.month)}${pad2(t.day)}`;
}

/** Which form an agency identifier has; throws AGENCY_ID_INVALID (with the reason) for anything else. */
export function agencyIdFormOf(agencyId: string): AgencyIdForm {
  const invalid = (reason: string): AppError => new AppError('AGENCY_ID_INVALID', { agencyId, reason });
  if (agencyId.length === 0) throw invalid('trống');
  if (agencyId.length > AGENCY_ID_MAX_LENGTH) throw invalid(`dài ${agencyId.length} ký tự, quá ${AGENCY_ID_MAX_LENGTH}`);
  if (qcvnUnitCodeRegex.test(agencyId)) return 'qcvn-102';
  if (decision20AgencyIdRegex.test(agencyId)) return 'decision-20';
  const [firstGroup = ''] = agencyId.split('.');
  if (!/^[A-Y]\d{2}$/.test(firstGroup)) throw invalid(`nhóm đầu "${firstGroup}" phải là một chữ cái A–Y và hai chữ số`);
  throw invalid('các nhóm sau nhóm đầu phải là chữ số, cách nhau bằng một dấu chấm');
}

const formatSequence = (sequence: number): string => String(sequence).padStart(4, '0');

/** An official code. `agencyId` is checked (AGENCY_ID_INVALID); the sequence is 1…MAX_SEQUENCE. */
export function formatDossierCode(agencyId: string, receivedAt: Date, sequence: number): string {
  agencyIdFormOf(agencyId);
  if (!Number.isInteger(sequence) || sequence < 1 || sequence > MAX_SEQUENCE) {
    throw new AppError('DOSSIER_CODE_INVALID', { code: `${agencyId}-${dossierCodeDay(receivedAt)}-${sequence}` });
  }
  const code = `${agencyId}-${dossierCodeDay(receivedAt)}-${formatSequence(sequence)}`;
  // The checks above already guarantee this; keep the two definitions in step.
  if (!officialDossierCodeRegex.test(code)) throw new AppError('DOSSIER_CODE_INVALID', { code });
  return code;
}

/**
 * A provisional number: `TAM-<receiving unit>-Q<counter>-YYMMDD-XXXX`. The receiving unit and counter number
 * (unique within a unit, enforced at enrollment) keep two counters' provisional numbers apart; XXXX is the
 * counter's own count of provisional numbers that day.
 */
export function formatProvisionalCode(receivingUnit: string, counterNo: number, receivedAt: Date, sequence: number): string {
  agencyIdFormOf(receivingUnit);
  const code = `TAM-${receivingUnit}-Q${counterNo}-${dossierCodeDay(receivedAt)}-${formatSequence(sequence)}`;
  if (!Number.isInteger(sequence) || sequence < 1 || !provisionalDossierCodeRegex.test(code)) throw new AppError('DOSSIER_CODE_INVALID', { code });
  return code;
}

export const isProvisionalDossierCode = (code: string): boolean => provisionalDossierCodeRegex.test(code.trim());

/** Reads an official code (either agency-id form, with or without Circular 04's AA). */
export function parseDossierCode(code: string): ParsedDossierCode {
  const normalized = code.trim();
  const invalid = (): AppError => new AppError('DOSSIER_CODE_INVALID', { code });
  if (!officialDossierCodeRegex.test(normalized)) throw invalid();
  const match = /^(.+)-(\d{2})(\d{2})(\d{2})-([A-Z]{2})?(\d+)$/.exec(normalized);
  if (!match) throw invalid();
  const [, agencyId = '', yy = '', mm = '', dd = '', series, seq = ''] = match;
  if (agencyId.length > AGENCY_ID_MAX_LENGTH) throw invalid();
  const agencyIdForm = agencyIdFormOf(agencyId);
  const year = 2000 + Number(yy);
  const month = Number(mm);
  const day = Number(dd);
  const sequence = Number(seq);
  // Reject impossible dates (e.g. 310230) by a round trip through the calendar.
  const dayIndex = Math.floor(Date.UTC(year, month - 1, day) / 86_400_000);
  const check = calendarDayOf(dayIndex);
  if (month < 1 || month > 12 || check.year !== year || check.month !== month || check.day !== day) throw invalid();
  if (sequence < 1) throw invalid();
  const counterNo = agencyIdForm === 'qcvn-102' && series === undefined ? counterOfSequence(sequence) : undefined;
  return { agencyId, agencyIdForm, series, year, month, day, sequence, counterNo };
}

function assertCounterNo(counterNo: number): void {
  if (!Number.isInteger(counterNo) || counterNo < MIN_COUNTER_NO || counterNo > MAX_COUNTER_NO) {
    // CounterConfig's schema already limits counterNo to 1–9: reaching this is a programming error.
    throw new AppError('INTERNAL', { message: `counter number must be ${MIN_COUNTER_NO}–${MAX_COUNTER_NO}`, counterNo });
  }
}

/** Old scheme, for reading old codes: the fixed block counter `counterNo` (1–9) issued from. */
export function counterSequenceRange(counterNo: number): SequenceRange {
  assertCounterNo(counterNo);
  return { first: (counterNo - 1) * BLOCK_STRIDE + 1, last: counterNo * BLOCK_STRIDE - 1 };
}

/** Old scheme, for reading old codes: which counter's fixed block holds `sequence`, if any. */
export function counterOfSequence(sequence: number): number | undefined {
  const counterNo = Math.floor(sequence / BLOCK_STRIDE) + 1;
  if (sequence % BLOCK_STRIDE === 0 || counterNo > MAX_COUNTER_NO) return undefined;
  return counterNo;
}

/**
 * Old scheme (kept for its tests and for reading; allocation now draws from leases, code-lease.ts): the next
 * sequence number for this counter today. `lastUsed` is the last number this counter issued on
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
