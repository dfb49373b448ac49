/**
 * The central's schema, as ordered migrations in plain PostgreSQL: the embedded PGlite and a real
 * PostgreSQL server run the same statements. A migration is never edited once released; add a new one.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'dossiers and their files',
    sql: `
      CREATE SEQUENCE central_id_seq;

      CREATE TABLE dossiers (
        id                  uuid PRIMARY KEY,
        central_id          text UNIQUE NOT NULL,
        code                text,
        content_hash        text NOT NULL,
        record              jsonb NOT NULL,
        counter_received_at timestamptz,
        central_received_at timestamptz NOT NULL
      );

      CREATE TABLE dossier_files (
        dossier_id     uuid NOT NULL REFERENCES dossiers (id),
        sha256         text NOT NULL,
        component_code text NOT NULL,
        name           text NOT NULL,
        size           bigint NOT NULL,
        storage_path   text NOT NULL,
        PRIMARY KEY (dossier_id, sha256)
      );

      CREATE INDEX dossier_files_sha256_idx ON dossier_files (sha256);
    `,
  },
];

/** Creates the bookkeeping table itself; safe to run on every start. */
export const migrationsTableSql = `
  CREATE TABLE IF NOT EXISTS schema_migrations (
    version    integer PRIMARY KEY,
    name       text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  );
`;
