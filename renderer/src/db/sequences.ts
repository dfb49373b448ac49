/**
 * Dossier codes: `<unit code>-YYMMDD-XXXX`. Counters of one unit share the day's sequence, so each counter
 * draws from its own range (shared/domain/dossier-code.ts) and remembers here the last number it used.
 */
import { counterSequenceRange, formatDossierCode, nextSequence } from '../../../shared/domain/dossier-code';
import { toVietnamIso } from '../../../shared/domain/time';
import type { LedgerCodeRecord } from '../../../shared/ipc/contract';
import type { CounterDatabase } from './database';
import { toStorageError } from './storage-errors';

export interface CounterIdentity {
  readonly unitCode: string;
  readonly counterNo: number;
}

/** The Vietnam calendar day of an instant, `YYYY-MM-DD` (never the machine's time zone). */
export function vietnamDayKey(instant: Date): string {
  return toVietnamIso(instant).slice(0, 10);
}

/**
 * Takes the next dossier code for this counter on the Vietnam day of `now`. The read and the write of the
 * sequence row happen in one transaction, so two tabs or a double click never get the same number.
 * Errors from the range rules (a counter that used up its range) pass through unchanged. `record`, when
 * given, is told the number once it is committed (main's ledger: a replacement database never reuses it);
 * if it fails, the number stays used and the error reaches the caller.
 */
export async function allocateDossierCode(db: CounterDatabase, counter: CounterIdentity, now: Date, record?: (used: LedgerCodeRecord) => Promise<void>): Promise<string> {
  const day = vietnamDayKey(now);
  // Validates the counter number before touching the database.
  counterSequenceRange(counter.counterNo);
  let sequence: number;
  try {
    sequence = await db.transaction('rw', db.sequences, async () => {
      const key: [string, string, number] = [counter.unitCode, day, counter.counterNo];
      const row = await db.sequences.get(key);
      const next = nextSequence(row?.lastUsed, counter.counterNo);
      await db.sequences.put({ unitCode: counter.unitCode, day, counterNo: counter.counterNo, lastUsed: next, updatedAt: now.toISOString() });
      return next;
    });
  } catch (err) {
    throw toStorageError(err, { unitCode: counter.unitCode });
  }
  await record?.({ unitCode: counter.unitCode, day, counterNo: counter.counterNo, lastUsed: sequence });
  return formatDossierCode(counter.unitCode, now, sequence);
}
