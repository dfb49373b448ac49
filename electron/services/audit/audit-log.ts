/**
 * The counter's audit log (issue 17, finding 9): `<dataDir>/audit-log.jsonl`, owner-only, append-only, one
 * hash-chained entry per line (shared/audit/chain.ts). Main is the only writer: appends are serialised in one
 * queue and each is flushed (fsync) before the action is answered, so an entry the clerk's action depended on
 * survives a power cut. Which entries the central has confirmed is kept apart, in `audit-sent.json`.
 *
 * What the log can and cannot prove is in docs/audit-log.md.
 */
import { mkdir, open, readFile, stat, truncate } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { auditEntrySchema, chainAuditEntry, parseAuditLines, verifyAuditChain, type AuditClerk, type AuditEntry, type AuditRecord, type ChainCheck } from '../../../shared/audit/chain';
import { flushFolder, writeFileDurably } from '../../../shared-node/durable-file';

export const auditLogFileName = 'audit-log.jsonl';
const sentFileName = 'audit-sent.json';
const sentSchema = z.object({ seq: z.number().int().nonnegative(), hash: z.string().optional() });

export interface AuditLogOptions {
  readonly dataDir: string;
  readonly now?: () => Date;
  /** Who is acting now (the open personal key's certificate, else nobody identified). */
  readonly clerk?: () => Promise<AuditClerk>;
}

export interface PendingAuditEntries {
  /** Lines to send, in file order, from the first unsent one (or from just before a local break). */
  readonly entries: readonly unknown[];
  /** The line index after the last one given: where the same pass asks again. */
  readonly next: number;
  /** The file's own check: a break found here is re-sent so the central compares it with what it holds. */
  readonly localCheck: ChainCheck;
}

export class AuditLog {
  readonly file: string;
  readonly #sentFile: string;
  readonly #now: () => Date;
  readonly #clerk: () => Promise<AuditClerk>;
  /** The last entry written (null before the first); loaded from the file on the first append. */
  #head: { seq: number; hash: string } | null | undefined;
  /** One writer: every append waits for the previous one. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: AuditLogOptions) {
    this.file = path.join(options.dataDir, auditLogFileName);
    this.#sentFile = path.join(options.dataDir, sentFileName);
    this.#now = options.now ?? (() => new Date());
    this.#clerk = options.clerk ?? (() => Promise.resolve({ kind: 'unidentified' }));
  }

  /** Appends one entry (main fills seq, time, clerk and the chain) and answers once it is on disk. */
  record(record: AuditRecord): Promise<AuditEntry> {
    const append = this.#queue.then(async () => {
      const head = this.#head === undefined ? await this.#loadHead() : this.#head;
      const entry = chainAuditEntry(head, record, this.#now().toISOString(), await this.#clerk());
      await appendDurably(this.file, JSON.stringify(entry) + '\n');
      this.#head = { seq: entry.seq, hash: entry.hash };
      return entry;
    });
    // A failed append must not block the ones after it; the caller still sees the failure.
    this.#queue = append.catch(() => undefined);
    return append;
  }

  /**
   * Records a configuration change: `sha256` is the configuration file's digest now, compared with the one the
   * last `config-changed` entry holds (the first start records the first configuration).
   */
  async recordConfiguration(sha256: string): Promise<AuditEntry | null> {
    let previous: string | undefined;
    for (const line of await this.#lines()) {
      const parsed = auditEntrySchema.safeParse(line);
      const entry = parsed.success ? (parsed.data as AuditEntry) : undefined;
      if (entry?.action === 'config-changed') previous = entry.details.sha256;
    }
    if (previous === sha256) return null;
    return this.record({ action: 'config-changed', details: { sha256, ...(previous ? { previousSha256: previous } : {}) } });
  }

  /**
   * Unsent lines, at most `limit`, from line index `from` when a pass already sent those before it. Verifies the
   * whole file first: after a break, sends from just before it; when the last entry the central confirmed is no
   * longer in the file as it was (lines removed, or rewritten with every hash recomputed), sends it all again.
   */
  async pending(limit: number, from = 0): Promise<PendingAuditEntries> {
    const lines = await this.#lines();
    const localCheck = verifyAuditChain(lines);
    const sent = await this.#sent();
    const confirmed = sent.seq > 0 ? auditEntrySchema.safeParse(lines[sent.seq - 1]) : undefined;
    const anchorIntact = !confirmed || (confirmed.success && (confirmed.data as AuditEntry).seq === sent.seq && (sent.hash === undefined || (confirmed.data as AuditEntry).hash === sent.hash));
    // Before a break the line at index i is seq i + 1. The line before the break is sent again too: an editor who
    // recomputed its hash broke only the next line's prevHash; the central compares both with its copies.
    const unsent = !anchorIntact ? 0 : localCheck.ok ? sent.seq : Math.min(sent.seq, Math.max(0, localCheck.count - 1));
    const start = Math.max(from, unsent);
    const entries = lines.slice(start, start + limit);
    return { entries, next: start + entries.length, localCheck };
  }

  /** The central holds everything up to `seq`: never moves back. The entry's hash is kept to notice a rewrite. */
  async acknowledge(seq: number): Promise<void> {
    const work = this.#queue.then(async () => {
      if (seq <= (await this.sentThrough())) return;
      const parsed = auditEntrySchema.safeParse((await this.#lines())[seq - 1]);
      const entry = parsed.success ? (parsed.data as AuditEntry) : undefined;
      await writeFileDurably(this.#sentFile, JSON.stringify({ seq, ...(entry?.seq === seq ? { hash: entry.hash } : {}) }));
    });
    this.#queue = work.catch(() => undefined);
    await work;
  }

  async sentThrough(): Promise<number> {
    return (await this.#sent()).seq;
  }

  async #sent(): Promise<{ seq: number; hash?: string }> {
    try {
      const { seq, hash } = sentSchema.parse(JSON.parse(await readFile(this.#sentFile, 'utf8')));
      return { seq, ...(hash ? { hash } : {}) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { seq: 0 };
      throw err;
    }
  }

  async #lines(): Promise<unknown[]> {
    try {
      return parseAuditLines(await readFile(this.file, 'utf8'));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
  }

  /**
   * The chain continues from the last entry in the file. A last line without its newline is an append a power
   * cut tore: it was never answered, so it is cut off rather than chained to.
   */
  async #loadHead(): Promise<{ seq: number; hash: string } | null> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    if (text.length > 0 && !text.endsWith('\n')) {
      const whole = text.slice(0, text.lastIndexOf('\n') + 1);
      await truncate(this.file, Buffer.byteLength(whole, 'utf8'));
      text = whole;
    }
    const lines = parseAuditLines(text);
    for (let i = lines.length - 1; i >= 0; i--) {
      const parsed = auditEntrySchema.safeParse(lines[i]);
      if (parsed.success) {
        const entry = parsed.data as AuditEntry;
        return { seq: entry.seq, hash: entry.hash };
      }
    }
    return null;
  }
}

/** Appends and flushes; a new file is created owner-only and its folder flushed so the file itself survives. */
async function appendDurably(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const existed = await stat(file).then(
    () => true,
    () => false,
  );
  const handle = await open(file, 'a', 0o600);
  try {
    await handle.appendFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  if (!existed) await flushFolder(path.dirname(file));
}
