/**
 * Dossier codes on the counter (Decree 118/2025 Art. 28; shared/domain/code-lease.ts): `<agency id>-YYMMDD-XXXX`
 * with XXXX drawn from the blocks the central leased this counter for that (agency, day), in increasing order.
 * With no leased number left (offline, a new agency, a clock set to a day without a lease) the counter gives a
 * provisional `TAM-<unit>-Q<counter>-YYMMDD-XXXX` number; the central replaces it when the dossier is committed.
 *
 * `sequences` keeps, per (agency id, day, counter), the last number used — and, under the key `TAM-<unit>`, the
 * last provisional number. Main's ledger keeps the same (and the leases), so a replaced database never reuses
 * a number. A lease arriving late for a day already numbered is used only above the last number used.
 */
import Dexie from 'dexie';
import type { CodeLease } from '../../../shared/domain/code-lease';
import { nextLeasedNumber, unusedInLeases } from '../../../shared/domain/code-lease';
import { agencyIdFormOf, formatDossierCode, formatProvisionalCode } from '../../../shared/domain/dossier-code';
import { toVietnamIso } from '../../../shared/domain/time';
import type { LedgerCodeRecord } from '../../../shared/ipc/contract';
import type { CodeLeaseRow, CounterDatabase } from './database';
import { toStorageError } from './storage-errors';

export interface CounterIdentity {
  /** The receiving unit's identifier (the counter's configuration). */
  readonly unitCode: string;
  readonly counterNo: number;
  /** The identifier the code begins with (code-prefix.ts); default the receiving unit's. */
  readonly agencyId?: string;
}

/** The Vietnam calendar day of an instant, `YYYY-MM-DD` (never the machine's time zone). */
export function vietnamDayKey(instant: Date): string {
  return toVietnamIso(instant).slice(0, 10);
}

/** The `sequences` key under which a counter counts its provisional numbers. */
const provisionalSequenceKey = (unitCode: string): string => `TAM-${unitCode}`;

/** The leased blocks of one (agency, day), lowest first. */
export function leasesFor(db: CounterDatabase, agencyId: string, day: string): Promise<CodeLeaseRow[]> {
  return db.codeLeases.where('[agencyId+day+first]').between([agencyId, day, Dexie.minKey], [agencyId, day, Dexie.maxKey]).toArray();
}

/**
 * Takes the next dossier code for this counter on the Vietnam day of `now`: the next leased number, else a
 * provisional one. The read and the write of the sequence row happen in one transaction, so two tabs or a
 * double click never get the same number. `record`, when given, is told the number once it is committed
 * (main's ledger: a replacement database never reuses it); if it fails, the number stays used and the error
 * reaches the caller.
 */
export async function allocateDossierCode(db: CounterDatabase, counter: CounterIdentity, now: Date, record?: (used: LedgerCodeRecord) => Promise<void>): Promise<string> {
  const day = vietnamDayKey(now);
  const agencyId = counter.agencyId ?? counter.unitCode;
  // Checked before touching the database: a malformed identifier is refused with its reason.
  agencyIdFormOf(agencyId);
  agencyIdFormOf(counter.unitCode);
  let used: LedgerCodeRecord;
  try {
    used = await db.transaction('rw', db.sequences, db.codeLeases, async () => {
      const row = await db.sequences.get([agencyId, day, counter.counterNo]);
      const leased = nextLeasedNumber(await leasesFor(db, agencyId, day), row?.lastUsed);
      const key = leased === undefined ? provisionalSequenceKey(counter.unitCode) : agencyId;
      const lastUsed = leased ?? ((await db.sequences.get([key, day, counter.counterNo]))?.lastUsed ?? 0) + 1;
      await db.sequences.put({ unitCode: key, day, counterNo: counter.counterNo, lastUsed, updatedAt: now.toISOString() });
      return { unitCode: key, day, counterNo: counter.counterNo, lastUsed };
    });
  } catch (err) {
    throw toStorageError(err, { unitCode: agencyId });
  }
  await record?.(used);
  return used.unitCode === agencyId ? formatDossierCode(agencyId, now, used.lastUsed) : formatProvisionalCode(counter.unitCode, counter.counterNo, now, used.lastUsed);
}

/** Keeps blocks the central leased (a repeat is harmless: the key is the block's first number). */
export async function storeCodeLeases(db: CounterDatabase, leases: readonly CodeLease[], now: Date): Promise<void> {
  if (leases.length === 0) return;
  await db.codeLeases.bulkPut(leases.map((l) => ({ agencyId: l.agencyId, day: l.day, first: l.first, last: l.last, receivedAt: now.toISOString() })));
}

/** How many leased numbers this counter still holds for (agency, day). */
export async function unusedLeasedNumbers(db: CounterDatabase, counterNo: number, agencyId: string, day: string): Promise<number> {
  return db.transaction('r', db.sequences, db.codeLeases, async () => {
    const row = await db.sequences.get([agencyId, day, counterNo]);
    return unusedInLeases(await leasesFor(db, agencyId, day), row?.lastUsed);
  });
}
