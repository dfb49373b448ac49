/**
 * Reference data the counters pull and keep as their last good copy: the procedure catalog, the yearly
 * working calendar and the trust anchors. Each has a version (hash of its canonical content) sent as the
 * ETag. An administrator may replace the catalog or calendar (admin PUT / `motcua central reference`):
 * the new data is validated with the same schemas the counter uses, and only a valid copy replaces the
 * current one.
 *
 * Issue 19: a replacement lives in the database (`reference_versions`, migration 9), so every central on one
 * PostgreSQL database serves it from the moment it is committed; the embedded PGlite runs the same code. Each
 * GET reads the current version from the database (one indexed row, no data) — the ETag is never a process's
 * memory. The data of a version is cached per process by that version: a version is a content hash, so a
 * cached copy can never be stale for its own ETag, and nothing needs invalidating. (A cache invalidated by
 * LISTEN/NOTIFY would save that one small query, but needs a dedicated connection per process, breaks behind
 * PgBouncer in transaction mode, and a notification missed while reconnecting would serve stale data silently.)
 *
 * The trust anchors are not stored: they come from each central's `--trust` configuration.
 */
import { createHash } from 'node:crypto';
import { readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { bundledCatalog } from '../../shared/domain/catalog-demo';
import { procedureSchema } from '../../shared/domain/procedure';
import { builtInOfficialCalendars, parseYearCalendars } from '../../shared/domain/working-calendar';
import { AppError } from '../../shared/errors';
import type { ReferenceDocument, ReferenceKind } from '../../shared/sync/protocol';
import { canonicalJson } from './content-hash';
import type { SqlDatabase } from './db';
import { CentralHttpError, zodDetails } from './http-errors';

/** The kinds an administrator may replace (trust anchors come from the central's `--trust` configuration). */
export const replaceableKinds = ['catalog', 'calendar'] as const;
export type ReplaceableKind = (typeof replaceableKinds)[number];

const catalogSchema = z
  .array(procedureSchema)
  .min(1)
  .refine((list) => new Set(list.map((p) => p.code)).size === list.length, 'each procedure code appears once');

/** Validates `data` for `kind`; the normalised data, or REFERENCE_DATA_INVALID naming the first problem. */
function validateReference(kind: ReplaceableKind, data: unknown): unknown {
  if (kind === 'catalog') {
    const parsed = catalogSchema.safeParse(data);
    if (!parsed.success) {
      const [key, message] = Object.entries(zodDetails(parsed.error))[0] ?? ['(root)', 'invalid'];
      throw new CentralHttpError(400, 'REFERENCE_DATA_INVALID', { kind, issue: `${key}: ${message}` });
    }
    return parsed.data;
  }
  try {
    return parseYearCalendars(data);
  } catch (err) {
    const issue = err instanceof AppError ? String(err.details.issue ?? err.code) : String(err);
    throw new CentralHttpError(400, 'REFERENCE_DATA_INVALID', { kind, issue });
  }
}

function versionOf(data: unknown): string {
  return createHash('sha256')
    .update(canonicalJson(JSON.parse(JSON.stringify(data)) as never))
    .digest('hex')
    .slice(0, 32);
}

/** True when an `If-None-Match` header names `version` (or is `*`). */
export function matchesEtag(ifNoneMatch: string | undefined, version: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((tag) => {
    const t = tag.trim().replace(/^W\//, '');
    return t === '*' || t === `"${version}"`;
  });
}

const iso = (value: Date | string): string => (value instanceof Date ? value : new Date(value)).toISOString();

interface VersionRow {
  version: string;
  published_at: Date | string;
}

/** `reference_versions` (migration 9): every version published, the current one being the row not replaced. */
export class SqlReferenceStore {
  constructor(private readonly db: SqlDatabase) {}

  /** The current version of `kind` (without its data), or undefined when none was ever published. */
  async currentVersion(kind: ReplaceableKind): Promise<{ version: string; publishedAt: string } | undefined> {
    const { rows } = await this.db.query<VersionRow>(`SELECT version, published_at FROM reference_versions WHERE kind = $1 AND replaced_at IS NULL`, [kind]);
    const row = rows[0];
    return row ? { version: row.version, publishedAt: iso(row.published_at) } : undefined;
  }

  /** The current version of `kind` with its data. */
  async current(kind: ReplaceableKind): Promise<{ version: string; publishedAt: string; data: unknown } | undefined> {
    const { rows } = await this.db.query<VersionRow & { data: unknown }>(
      `SELECT version, published_at, data FROM reference_versions WHERE kind = $1 AND replaced_at IS NULL`,
      [kind],
    );
    const row = rows[0];
    return row ? { version: row.version, publishedAt: iso(row.published_at), data: row.data } : undefined;
  }

  /**
   * Makes `data` (validated, of content hash `version`) the current `kind`, the previous one marked replaced.
   * Publishing the current version again changes nothing (the first publication's time and author stay).
   * Serialised per kind across every central on the database (advisory transaction lock).
   */
  async publish(kind: ReplaceableKind, version: string, data: unknown, at: string, by: string): Promise<{ version: string; publishedAt: string }> {
    return this.db.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`motcua:reference:${kind}`]);
      const { rows } = await tx.query<VersionRow>(`SELECT version, published_at FROM reference_versions WHERE kind = $1 AND replaced_at IS NULL`, [kind]);
      const current = rows[0];
      if (current?.version === version) return { version, publishedAt: iso(current.published_at) };
      await tx.query(`UPDATE reference_versions SET replaced_at = $2::timestamptz WHERE kind = $1 AND replaced_at IS NULL`, [kind, at]);
      await tx.query(
        `INSERT INTO reference_versions (kind, version, data, published_at, published_by) VALUES ($1, $2, $3::jsonb, $4::timestamptz, $5)`,
        [kind, version, JSON.stringify(data), at, by],
      );
      return { version, publishedAt: at };
    });
  }

  /**
   * Publishes `data` only if no version of `kind` was ever published (the one-time import of an older central's
   * file); false when one was. Atomic against other centrals starting at the same time.
   */
  async publishIfNone(kind: ReplaceableKind, version: string, data: unknown, at: string, by: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`motcua:reference:${kind}`]);
      const { rows } = await tx.query(`SELECT 1 FROM reference_versions WHERE kind = $1 LIMIT 1`, [kind]);
      if (rows.length > 0) return false;
      await tx.query(
        `INSERT INTO reference_versions (kind, version, data, published_at, published_by) VALUES ($1, $2, $3::jsonb, $4::timestamptz, $5)`,
        [kind, version, JSON.stringify(data), at, by],
      );
      return true;
    });
  }
}

const legacyFileSchema = z.object({ publishedAt: z.iso.datetime({ offset: true }), data: z.unknown() });

/** The file an older central (before issue 19) kept a replacement in: `<dataDir>/reference/<kind>.json`. */
function legacyReferenceFile(dataDir: string, kind: ReplaceableKind): string {
  return path.join(dataDir, 'reference', `${kind}.json`);
}

/** Suffix a legacy file gets once it was imported (or found superseded), so no one edits it expecting an effect. */
const importedSuffix = '.imported';

interface ReferenceLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export class ReferenceData {
  private readonly builtIn: ReadonlyMap<ReplaceableKind, ReferenceDocument>;
  private readonly trustAnchors: ReferenceDocument;
  /** The last version of each kind read from the database, by kind; valid for exactly its own version. */
  private readonly lastRead = new Map<ReplaceableKind, ReferenceDocument>();

  constructor(
    private readonly store: SqlReferenceStore,
    trustAnchorsDer: readonly Uint8Array[],
    private readonly log: ReferenceLog,
    startedAt = new Date(),
  ) {
    const publishedAt = startedAt.toISOString();
    const doc = (kind: ReferenceKind, data: unknown): ReferenceDocument => ({ kind, publishedAt, data, version: versionOf(data) });
    this.builtIn = new Map<ReplaceableKind, ReferenceDocument>([
      ['catalog', doc('catalog', bundledCatalog)],
      ['calendar', doc('calendar', builtInOfficialCalendars)],
    ]);
    this.trustAnchors = doc('trust-anchors', { certificatesDerBase64: trustAnchorsDer.map((d) => Buffer.from(d).toString('base64')) });
  }

  /**
   * Moves a replacement an older central saved in `<dataDir>/reference/<kind>.json` into the database, once: only
   * when the database has no version of that kind yet. The file is then renamed `<kind>.json.imported`. A file
   * that does not validate is reported and left alone (the built-in copy serves, as before).
   */
  async importLegacyFiles(dataDir: string, importedBy: string): Promise<void> {
    for (const kind of replaceableKinds) {
      const file = legacyReferenceFile(dataDir, kind);
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw err;
      }
      let stored: { publishedAt: string; data: unknown };
      try {
        const parsed = legacyFileSchema.parse(JSON.parse(text));
        stored = { publishedAt: parsed.publishedAt, data: validateReference(kind, parsed.data) };
      } catch (err) {
        this.log.error({ err, file }, 'reference data file is invalid; not imported (the database or built-in copy serves)');
        continue;
      }
      const imported = await this.store.publishIfNone(kind, versionOf(stored.data), stored.data, iso(stored.publishedAt), `import of ${file} by ${importedBy}`);
      if (imported) this.log.info({ file, kind }, 'reference data file imported into the database');
      else this.log.warn({ file, kind }, 'reference data file not imported: the database already has a published version');
      await rename(file, `${file}${importedSuffix}`);
    }
  }

  /** The current version of `kind` (its ETag), read from the database on each call. */
  async currentVersion(kind: ReferenceKind): Promise<string> {
    if (kind === 'trust-anchors') return this.trustAnchors.version;
    return (await this.store.currentVersion(kind))?.version ?? this.builtInDoc(kind).version;
  }

  /** The current document of `kind`. */
  async get(kind: ReferenceKind): Promise<ReferenceDocument> {
    if (kind === 'trust-anchors') return this.trustAnchors;
    const current = await this.store.currentVersion(kind);
    if (!current) return this.builtInDoc(kind);
    const known = this.lastRead.get(kind);
    if (known?.version === current.version) return known;
    // Read with its data; a replacement committed in between is simply the newer one served.
    const row = await this.store.current(kind);
    if (!row) return this.builtInDoc(kind);
    const doc: ReferenceDocument = { kind, version: row.version, publishedAt: row.publishedAt, data: row.data };
    this.lastRead.set(kind, doc);
    return doc;
  }

  /** Validates, then publishes `data` as the current `kind` for every central on the database. Invalid data changes nothing. */
  async replace(kind: ReplaceableKind, data: unknown, by: string, now = new Date()): Promise<ReferenceDocument> {
    const valid = validateReference(kind, data);
    const published = await this.store.publish(kind, versionOf(valid), valid, now.toISOString(), by);
    return { kind, version: published.version, publishedAt: published.publishedAt, data: valid };
  }

  private builtInDoc(kind: ReplaceableKind): ReferenceDocument {
    const doc = this.builtIn.get(kind);
    if (!doc) throw new Error(`no reference data ${kind}`);
    return doc;
  }
}
