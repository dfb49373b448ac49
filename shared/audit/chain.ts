/**
 * The clerk-accountability audit log (issue 17, finding 9): one hash-chained entry per action that matters.
 * Shared by the counter's main process (which writes the log), the central (which verifies what it receives)
 * and `motcua audit verify`, so all three compute the same hash over the same bytes.
 *
 * The chain: `hash` = SHA-256 (hex) of the canonical JSON of the entry without `hash` (keys sorted, no spaces);
 * `prevHash` is the previous entry's `hash`, and the first entry's is 64 zeros. Editing an entry changes its
 * hash (or, if the editor recomputed it, breaks the next entry's `prevHash`); deleting one leaves a gap in
 * `seq`; reordering puts a `seq` out of place.
 *
 * No citizen's personal data goes in: the dossier's id and code identify it, `details` holds only counts,
 * codes and outcomes (each action's schema below allows nothing else).
 */
import { z } from 'zod';
import { sha256Hex } from '../util/bytes';

export const genesisHash = '0'.repeat(64);

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 hex digest');
const shortText = z.string().min(1).max(200);
const dossierIdSchema = z.string().min(1).max(100);
const dossierCodeSchema = z.string().min(1).max(100);

/**
 * Actions the renderer reports (each with its own details): main adds seq, time, clerk and the chain — the
 * renderer can set none of them.
 */
export const rendererAuditRecordSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('dossier-accepted'), dossierId: dossierIdSchema, dossierCode: dossierCodeSchema, details: z.object({ procedureCode: shortText, files: z.number().int().nonnegative().max(1000) }).strict() }).strict(),
  z.object({ action: z.literal('dossier-refused'), dossierId: dossierIdSchema.optional(), details: z.object({ procedureCode: shortText }).strict() }).strict(),
  z.object({ action: z.literal('supplement-requested'), dossierId: dossierIdSchema.optional(), details: z.object({ procedureCode: shortText, items: z.number().int().nonnegative().max(200) }).strict() }).strict(),
  z.object({ action: z.literal('supplement-received'), dossierId: dossierIdSchema, dossierCode: dossierCodeSchema.optional(), details: z.object({ files: z.number().int().nonnegative().max(1000) }).strict() }).strict(),
  z.object({ action: z.literal('dossier-stopped'), dossierId: dossierIdSchema, dossierCode: dossierCodeSchema.optional(), details: z.object({}).strict() }).strict(),
  z.object({ action: z.literal('deadline-extended'), dossierId: dossierIdSchema, dossierCode: dossierCodeSchema.optional(), details: z.object({ newAppointmentAt: z.iso.datetime({ offset: true }) }).strict() }).strict(),
  z.object({ action: z.literal('result-returned'), dossierId: dossierIdSchema, dossierCode: dossierCodeSchema.optional(), details: z.object({ method: z.enum(['counter', 'post']) }).strict() }).strict(),
]);
export type RendererAuditRecord = z.infer<typeof rendererAuditRecordSchema>;

/** Actions only main records (the renderer cannot claim them). */
const mainAuditRecordSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('key-unlocked'), details: z.object({ role: shortText }).strict() }).strict(),
  z.object({ action: z.literal('key-locked'), details: z.object({ reason: z.enum(['idle', 'screen-lock', 'suspend', 'clerk']), role: shortText.optional() }).strict() }).strict(),
  z.object({ action: z.literal('signing-session-opened'), dossierId: dossierIdSchema, details: z.object({ sessionId: shortText, expected: z.number().int().nonnegative() }).strict() }).strict(),
  z.object({ action: z.literal('digest-signed'), dossierId: dossierIdSchema, details: z.object({ sessionId: shortText, component: shortText, role: shortText, digest: hex64 }).strict() }).strict(),
  z.object({ action: z.literal('signing-session-closed'), dossierId: dossierIdSchema, details: z.object({ sessionId: shortText, outcome: z.enum(['done', 'failed', 'locked']), signed: z.number().int().nonnegative() }).strict() }).strict(),
  z.object({ action: z.literal('config-changed'), details: z.object({ sha256: hex64, previousSha256: hex64.optional() }).strict() }).strict(),
]);
export type MainAuditRecord = z.infer<typeof mainAuditRecordSchema>;

export type AuditRecord = RendererAuditRecord | MainAuditRecord;

/**
 * Who acted: the subject CN and serial of the certificate of the clerk's open personal key, or — said
 * explicitly — nobody identified (no personal key configured, or it is locked).
 */
const auditClerkSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('certificate'), commonName: shortText, serial: z.string().min(1).max(100) }).strict(),
  z.object({ kind: z.literal('unidentified') }).strict(),
]);
export type AuditClerk = z.infer<typeof auditClerkSchema>;

const entryCore = {
  seq: z.number().int().positive(),
  at: z.iso.datetime({ offset: true }),
  clerk: auditClerkSchema,
  prevHash: hex64,
  hash: hex64,
};

/**
 * One line of the log as written and as sent to the central: an action's strict schema plus the chain fields
 * (so an unknown field anywhere is refused). Typed as `AuditEntry` by the callers (zod cannot spread tuples).
 */
export const auditEntrySchema: z.ZodType<unknown> = z.discriminatedUnion(
  'action',
  [...rendererAuditRecordSchema.options, ...mainAuditRecordSchema.options].map((option) => option.extend(entryCore)) as unknown as [z.ZodObject, ...z.ZodObject[]],
);
export type AuditEntry = AuditRecord & { readonly seq: number; readonly at: string; readonly clerk: AuditClerk; readonly prevHash: string; readonly hash: string };
export type UnhashedAuditEntry = Omit<AuditEntry, 'hash'>;

/** JSON with object keys sorted at every level and no whitespace: the bytes that are hashed. */
function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function auditEntryHash(entry: UnhashedAuditEntry | AuditEntry): string {
  const { hash: _hash, ...rest } = entry as AuditEntry;
  void _hash;
  return sha256Hex(new TextEncoder().encode(canonicalJson(rest)));
}

/** The next entry after `previous` (or the first one): main's only way to make one. */
export function chainAuditEntry(previous: { readonly seq: number; readonly hash: string } | null, record: AuditRecord, at: string, clerk: AuditClerk): AuditEntry {
  const unhashed = { ...record, seq: (previous?.seq ?? 0) + 1, at, clerk, prevHash: previous?.hash ?? genesisHash } as UnhashedAuditEntry;
  return { ...unhashed, hash: auditEntryHash(unhashed) } as AuditEntry;
}

/** Why an entry breaks the chain. */
export type AuditBreakReason =
  /** The line is not an audit entry (truncated, not JSON, unknown action or field). */
  | 'malformed'
  /** Its `hash` is not the hash of its content: the entry was edited. */
  | 'hash-mismatch'
  /** Its `prevHash` is not the previous entry's hash: the previous entry was edited (hash recomputed) or replaced. */
  | 'prev-hash-mismatch'
  /** A `seq` is missing: an entry was deleted. */
  | 'missing'
  /** A `seq` comes after a higher one: entries were reordered or duplicated. */
  | 'out-of-order'
  /** Central only: an entry it already holds arrived with other content: edited after it was synced. */
  | 'edited-after-sync';

export const auditBreakReasons = ['malformed', 'hash-mismatch', 'prev-hash-mismatch', 'missing', 'out-of-order', 'edited-after-sync'] as const satisfies readonly AuditBreakReason[];

export interface AuditBreak {
  /** The seq where the chain breaks: the edited entry, the first missing seq, the misplaced one. */
  readonly seq: number;
  readonly reason: AuditBreakReason;
}

export type ChainCheck =
  | { readonly ok: true; readonly count: number; readonly last: { readonly seq: number; readonly hash: string } | null }
  | { readonly ok: false; readonly count: number; readonly break: AuditBreak };

/**
 * Checks entries in the order given, from `anchor` (the entry just before them; null = the log's start).
 * Stops at the first break and says where.
 */
export function verifyAuditChain(entries: readonly unknown[], anchor: { readonly seq: number; readonly hash: string } | null = null): ChainCheck {
  let previous = anchor;
  let count = 0;
  for (const raw of entries) {
    const expectedSeq = (previous?.seq ?? 0) + 1;
    const parsed = auditEntrySchema.safeParse(raw);
    if (!parsed.success) return { ok: false, count, break: { seq: seqOf(raw) ?? expectedSeq, reason: 'malformed' } };
    const entry = parsed.data as AuditEntry;
    if (entry.seq < expectedSeq) return { ok: false, count, break: { seq: entry.seq, reason: 'out-of-order' } };
    if (entry.seq > expectedSeq) return { ok: false, count, break: { seq: expectedSeq, reason: 'missing' } };
    if (auditEntryHash(entry) !== entry.hash) return { ok: false, count, break: { seq: entry.seq, reason: 'hash-mismatch' } };
    if (entry.prevHash !== (previous?.hash ?? genesisHash)) return { ok: false, count, break: { seq: entry.seq, reason: 'prev-hash-mismatch' } };
    previous = { seq: entry.seq, hash: entry.hash };
    count += 1;
  }
  return { ok: true, count, last: previous };
}

function seqOf(raw: unknown): number | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const seq = (raw as { seq?: unknown }).seq;
  return typeof seq === 'number' && Number.isInteger(seq) && seq > 0 ? seq : undefined;
}

/** Parses a JSONL log file's text; a line that is not JSON stays as its text (the check calls it malformed). */
export function parseAuditLines(text: string): unknown[] {
  return text
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line) => {
      try {
        return JSON.parse(line) as unknown;
      } catch {
        return line;
      }
    });
}

/** The sync request: unsent entries (or, after a local break, from just before it), contiguous by seq. */
export const auditUploadSchema = z.object({ entries: z.array(z.unknown()).min(1).max(500) }).strict();

/** The central's answer: what it now holds for this device, and the breaks found in this request. */
export const auditUploadAckSchema = z.object({
  /** The highest seq the central holds, verified, for this device (0 = none). */
  acceptedThrough: z.number().int().nonnegative(),
  breaks: z.array(z.object({ seq: z.number().int().positive(), reason: z.enum(auditBreakReasons) })),
});
export type AuditUploadAck = z.infer<typeof auditUploadAckSchema>;

/** The back office reads a device's entries after a seq (`motcua audit verify`). */
export const auditEntriesQuerySchema = z.object({
  after: z.coerce.number().int().nonnegative().max(2 ** 31 - 1).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
});
