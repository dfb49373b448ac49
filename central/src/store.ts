/**
 * The central's database behind a small interface. The SQL is plain PostgreSQL so that a PostgreSQL server
 * (a later issue adds `pg`) can take over from the embedded PGlite with the same schema and queries.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { migrations, migrationsTableSql } from './migrations';

export interface StoredFile {
  readonly sha256: string;
  readonly componentCode: string;
  readonly name: string;
  readonly size: number;
  /** Relative to the data directory, e.g. `files/<sha256>.pdf`. */
  readonly storagePath: string;
}

export interface NewDossier {
  readonly id: string;
  readonly code: string;
  readonly contentHash: string;
  /** The commit as received (JSON-serialisable). */
  readonly record: unknown;
  readonly counterReceivedAt: string;
  /** Central clock, ISO 8601. */
  readonly centralReceivedAt: string;
  readonly files: readonly StoredFile[];
}

export interface DossierHead {
  readonly id: string;
  readonly centralId: string;
  readonly contentHash: string;
  /** ISO 8601 (UTC). */
  readonly centralReceivedAt: string;
}

export interface StoredDossier extends DossierHead {
  readonly code: string | null;
  readonly record: unknown;
  readonly counterReceivedAt: string | null;
  readonly files: readonly StoredFile[];
}

export type InsertOutcome =
  /** This call created the dossier. */
  | { readonly inserted: true; readonly dossier: DossierHead }
  /** A dossier with this id already existed (possibly committed concurrently); nothing was written. */
  | { readonly inserted: false; readonly dossier: DossierHead };

export interface CentralStore {
  findDossier(id: string): Promise<StoredDossier | undefined>;
  /** Inserts the dossier and its files in one transaction; an existing id is left untouched. */
  insertDossier(dossier: NewDossier): Promise<InsertOutcome>;
  close(): Promise<void>;
}

/** The minimal query surface both PGlite and its transactions offer. */
interface Queryable {
  query<T>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>;
}

interface DossierRow {
  id: string;
  central_id: string;
  code: string | null;
  content_hash: string;
  record: unknown;
  counter_received_at: Date | string | null;
  central_received_at: Date | string;
}

interface FileRow {
  sha256: string;
  component_code: string;
  name: string;
  size: number | string | bigint;
  storage_path: string;
}

const toIso = (value: Date | string): string => new Date(value).toISOString();

function toHead(row: Pick<DossierRow, 'id' | 'central_id' | 'content_hash' | 'central_received_at'>): DossierHead {
  return {
    id: row.id,
    centralId: row.central_id,
    contentHash: row.content_hash,
    centralReceivedAt: toIso(row.central_received_at),
  };
}

function toFile(row: FileRow): StoredFile {
  return {
    sha256: row.sha256,
    componentCode: row.component_code,
    name: row.name,
    size: Number(row.size),
    storagePath: row.storage_path,
  };
}

const selectHeadSql = `SELECT id, central_id, content_hash, central_received_at FROM dossiers WHERE id = $1`;

/**
 * The central id comes from a sequence: `TW-<year in Vietnam>-<8 digits>`. A sequence value consumed by a
 * losing concurrent insert or by a crash is skipped, so ids may have gaps; they never repeat.
 */
const insertDossierSql = `
  INSERT INTO dossiers (id, central_id, code, content_hash, record, counter_received_at, central_received_at)
  VALUES (
    $1,
    'TW-' || to_char($6::timestamptz AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY') || '-'
          || lpad(nextval('central_id_seq')::text, 8, '0'),
    $2, $3, $4::jsonb, $5::timestamptz, $6::timestamptz
  )
  ON CONFLICT (id) DO NOTHING
  RETURNING id, central_id, content_hash, central_received_at
`;

const insertFileSql = `
  INSERT INTO dossier_files (dossier_id, sha256, component_code, name, size, storage_path)
  VALUES ($1, $2, $3, $4, $5, $6)
`;

export async function applyMigrations(db: PGlite): Promise<void> {
  await db.exec(migrationsTableSql);
  const applied = await db.query<{ version: number }>(`SELECT version FROM schema_migrations`);
  const done = new Set(applied.rows.map((r) => r.version));
  for (const migration of migrations) {
    if (done.has(migration.version)) continue;
    await db.transaction(async (tx) => {
      await tx.exec(migration.sql);
      await tx.query(`INSERT INTO schema_migrations (version, name) VALUES ($1, $2)`, [migration.version, migration.name]);
    });
  }
}

class SqlCentralStore implements CentralStore {
  constructor(
    private readonly db: PGlite,
    private readonly onClose: () => Promise<void>,
  ) {}

  async findDossier(id: string): Promise<StoredDossier | undefined> {
    const dossiers = await this.db.query<DossierRow>(
      `SELECT id, central_id, code, content_hash, record, counter_received_at, central_received_at
         FROM dossiers WHERE id = $1`,
      [id],
    );
    const row = dossiers.rows[0];
    if (!row) return undefined;
    const files = await this.db.query<FileRow>(
      `SELECT sha256, component_code, name, size, storage_path FROM dossier_files
        WHERE dossier_id = $1 ORDER BY component_code, name, sha256`,
      [id],
    );
    return {
      ...toHead(row),
      code: row.code,
      record: row.record,
      counterReceivedAt: row.counter_received_at === null ? null : toIso(row.counter_received_at),
      files: files.rows.map(toFile),
    };
  }

  async insertDossier(dossier: NewDossier): Promise<InsertOutcome> {
    return this.db.transaction(async (tx): Promise<InsertOutcome> => {
      const q: Queryable = tx;
      const created = await q.query<DossierRow>(insertDossierSql, [
        dossier.id,
        dossier.code,
        dossier.contentHash,
        JSON.stringify(dossier.record),
        dossier.counterReceivedAt,
        dossier.centralReceivedAt,
      ]);
      const row = created.rows[0];
      if (!row) {
        // ON CONFLICT: the row exists (perhaps committed by a concurrent identical request a moment ago).
        const existing = await q.query<DossierRow>(selectHeadSql, [dossier.id]);
        const existingRow = existing.rows[0];
        if (!existingRow) throw new Error(`dossier ${dossier.id} conflicted but cannot be read back`);
        return { inserted: false, dossier: toHead(existingRow) };
      }
      for (const file of dossier.files) {
        await q.query(insertFileSql, [dossier.id, file.sha256, file.componentCode, file.name, file.size, file.storagePath]);
      }
      return { inserted: true, dossier: toHead(row) };
    });
  }

  async close(): Promise<void> {
    await this.db.close();
    await this.onClose();
  }
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * PGlite takes no lock on its directory, and two processes writing one directory corrupt it. Hold our own
 * pid file beside it; a file left by a killed central (dead pid) is taken over.
 */
async function lockDataDir(lockPath: string): Promise<() => Promise<void>> {
  try {
    await writeFile(lockPath, String(process.pid), { flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const holder = Number.parseInt(await readFile(lockPath, 'utf8'), 10);
    if (Number.isInteger(holder) && holder !== process.pid && isProcessAlive(holder)) {
      throw new Error(`the central database ${path.dirname(lockPath)} is in use by process ${holder}`, { cause: err });
    }
    await writeFile(lockPath, String(process.pid));
  }
  return async () => {
    await rm(lockPath, { force: true });
  };
}

/** Opens (creating if needed) the embedded database in `dbDir` and brings its schema up to date. */
export async function openPgliteStore(dbDir: string): Promise<CentralStore> {
  await mkdir(dbDir, { recursive: true });
  const unlock = await lockDataDir(`${dbDir}.lock`);
  try {
    const db = await PGlite.create({ dataDir: dbDir });
    await applyMigrations(db);
    return new SqlCentralStore(db, unlock);
  } catch (err) {
    await unlock();
    throw err;
  }
}
