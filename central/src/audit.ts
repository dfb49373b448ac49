/**
 * The central's copy of each counter's audit log (issue 17, finding 9), verified on receipt.
 *
 * A device sends its entries in seq order (shared/audit/chain.ts). An entry the central already holds must come
 * back identical (a repeat is accepted; other content = edited after it was synced). A new entry must follow
 * the stored head: the next seq, its `prevHash` the stored head's hash, its `hash` recomputed. Anything else is
 * a BREAK, recorded for the device (kept, never dropped: the back office lists them) and answered as
 * AUDIT_CHAIN_BROKEN. After a break nothing more of that request is stored, but the rest is still checked so
 * one request reports every edit, gap and reorder it shows.
 */
import {
  auditEntryHash,
  auditEntrySchema,
  auditUploadSchema,
  genesisHash,
  type AuditBreak,
  type AuditBreakReason,
  type AuditEntry,
  type AuditUploadAck,
} from '../../shared/audit/chain';
import { sha256Hex } from '../../shared/util/bytes';
import type { Queryable, SqlDatabase } from './db';
import { CentralHttpError, zodDetails } from './http-errors';

/** Kept of a broken line as received: enough to see what was sent, bounded so a break cannot fill the disk. */
const maxKeptLineChars = 4096;

export interface StoredAuditBreak extends AuditBreak {
  readonly deviceId: string;
  readonly detectedAt: string;
  /** The line as received (JSON, cut at 4 KiB). */
  readonly received: string;
}

export interface AuditState {
  readonly deviceId: string;
  readonly entries: number;
  readonly head: { readonly seq: number; readonly hash: string; readonly at: string } | null;
  readonly breaks: readonly StoredAuditBreak[];
}

export class SqlAuditStore {
  constructor(private readonly db: SqlDatabase) {}

  /** Verifies and stores one request's entries for `deviceId`, in one transaction (one writer per table). */
  async receive(deviceId: string, body: unknown, at: string): Promise<AuditUploadAck> {
    const parsed = auditUploadSchema.safeParse(body);
    if (!parsed.success) throw new CentralHttpError(400, 'CENTRAL_REJECTED', zodDetails(parsed.error));
    return this.db.transaction(async (tx) => {
      await tx.query(`LOCK TABLE audit_entries IN EXCLUSIVE MODE`);
      const headRow = (await tx.query<{ seq: number; hash: string }>(`SELECT seq, hash FROM audit_entries WHERE device_id = $1 ORDER BY seq DESC LIMIT 1`, [deviceId])).rows[0];
      const storedSeq = headRow ? Number(headRow.seq) : 0;
      let head = headRow ? { seq: storedSeq, hash: headRow.hash } : null;
      let appending = true;
      let previous: { seq: number; hash: string } | null = null;
      const breaks: AuditBreak[] = [];
      const broken = async (seq: number, reason: AuditBreakReason, raw: unknown, inNewPart: boolean) => {
        breaks.push({ seq, reason });
        if (inNewPart) appending = false;
        await recordBreak(tx, deviceId, seq, reason, raw, at);
      };

      for (const raw of parsed.data.entries) {
        const checked = auditEntrySchema.safeParse(raw);
        if (!checked.success) {
          await broken(seqOf(raw) ?? (previous?.seq ?? storedSeq) + 1, 'malformed', raw, true);
          previous = null;
          continue;
        }
        const entry = checked.data as AuditEntry;
        const inNewPart = entry.seq > storedSeq;
        const last = previous;
        previous = { seq: entry.seq, hash: entry.hash };
        // Within one request, seqs follow each other: a step back is a reorder, a jump a deletion.
        if (last && entry.seq !== last.seq + 1) {
          await broken(entry.seq <= last.seq ? entry.seq : last.seq + 1, entry.seq <= last.seq ? 'out-of-order' : 'missing', raw, inNewPart);
          continue;
        }
        if (!inNewPart) {
          const stored = (await tx.query<{ hash: string }>(`SELECT hash FROM audit_entries WHERE device_id = $1 AND seq = $2`, [deviceId, entry.seq])).rows[0];
          if (!stored || stored.hash !== entry.hash || auditEntryHash(entry) !== entry.hash) await broken(entry.seq, 'edited-after-sync', raw, false);
          continue;
        }
        if (auditEntryHash(entry) !== entry.hash) {
          await broken(entry.seq, 'hash-mismatch', raw, true);
          continue;
        }
        if (!appending) {
          // Nothing more is stored, but the link to the line before is still checked.
          if (last && entry.prevHash !== last.hash) await broken(entry.seq, 'prev-hash-mismatch', raw, true);
          continue;
        }
        const headSeq = head?.seq ?? 0;
        if (entry.seq > headSeq + 1) {
          await broken(headSeq + 1, 'missing', raw, true);
          continue;
        }
        if (entry.prevHash !== (head?.hash ?? genesisHash)) {
          await broken(entry.seq, 'prev-hash-mismatch', raw, true);
          continue;
        }
        await tx.query(
          `INSERT INTO audit_entries (device_id, seq, hash, prev_hash, action, at, entry, received_at) VALUES ($1, $2, $3, $4, $5, $6::timestamptz, $7::jsonb, $8::timestamptz)`,
          [deviceId, entry.seq, entry.hash, entry.prevHash, entry.action, entry.at, JSON.stringify(entry), at],
        );
        head = { seq: entry.seq, hash: entry.hash };
      }
      return { acceptedThrough: head?.seq ?? 0, breaks };
    });
  }

  async stateOf(deviceId: string): Promise<AuditState> {
    const counted = (await this.db.query<{ n: number | string }>(`SELECT count(*) AS n FROM audit_entries WHERE device_id = $1`, [deviceId])).rows[0];
    const head = (await this.db.query<{ seq: number; hash: string; at: Date | string }>(`SELECT seq, hash, at FROM audit_entries WHERE device_id = $1 ORDER BY seq DESC LIMIT 1`, [deviceId])).rows[0];
    return {
      deviceId,
      entries: Number(counted?.n ?? 0),
      head: head ? { seq: Number(head.seq), hash: head.hash, at: new Date(head.at).toISOString() } : null,
      breaks: await this.breaks(deviceId),
    };
  }

  /** Every break recorded (all devices when none is named), oldest first. */
  async breaks(deviceId?: string): Promise<StoredAuditBreak[]> {
    const rows = await this.db.query<{ device_id: string; seq: number; reason: AuditBreakReason; received: string; detected_at: Date | string }>(
      `SELECT device_id, seq, reason, received, detected_at FROM audit_breaks ${deviceId ? 'WHERE device_id = $1' : ''} ORDER BY id`,
      deviceId ? [deviceId] : [],
    );
    return rows.rows.map((r) => ({ deviceId: r.device_id, seq: Number(r.seq), reason: r.reason, received: r.received, detectedAt: new Date(r.detected_at).toISOString() }));
  }

  /** The stored entries after `after`, as received: for `motcua audit verify` to compare a counter's file with. */
  async entries(deviceId: string, after: number, limit: number): Promise<unknown[]> {
    const rows = await this.db.query<{ entry: unknown }>(`SELECT entry FROM audit_entries WHERE device_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`, [deviceId, after, limit]);
    return rows.rows.map((r) => (typeof r.entry === 'string' ? (JSON.parse(r.entry) as unknown) : r.entry));
  }
}

/**
 * A break found again (the counter re-sends the same lines) is recorded once. A seq "missing" where a break is
 * already recorded is that break seen again: the chain stopped there, and every later request finds the same gap.
 */
async function recordBreak(tx: Queryable, deviceId: string, seq: number, reason: AuditBreakReason, raw: unknown, at: string): Promise<void> {
  if (reason === 'missing') {
    const known = await tx.query(`SELECT 1 FROM audit_breaks WHERE device_id = $1 AND seq = $2 LIMIT 1`, [deviceId, seq]);
    if (known.rows.length > 0) return;
  }
  const line = (typeof raw === 'string' ? raw : JSON.stringify(raw)).slice(0, maxKeptLineChars);
  await tx.query(
    `INSERT INTO audit_breaks (device_id, seq, reason, received_sha256, received, detected_at) VALUES ($1, $2, $3, $4, $5, $6::timestamptz)
     ON CONFLICT (device_id, seq, reason, received_sha256) DO NOTHING`,
    [deviceId, seq, reason, sha256Hex(new TextEncoder().encode(line)), line, at],
  );
}

function seqOf(raw: unknown): number | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const seq = (raw as { seq?: unknown }).seq;
  return typeof seq === 'number' && Number.isInteger(seq) && seq > 0 && seq < 2 ** 31 ? seq : undefined;
}

