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
  {
    version: 2,
    name: 'status feed, counter events, result files',
    // The feed's cursor is `seq`; writers take an EXCLUSIVE lock on status_changes (store.ts) so seq order is
    // commit order and a reader never skips a change committed late with a lower number.
    sql: `
      ALTER TABLE dossiers ADD COLUMN unit_code text;
      ALTER TABLE dossiers ADD COLUMN status smallint NOT NULL DEFAULT 2;
      ALTER TABLE dossiers ADD COLUMN appointment_at timestamptz;
      UPDATE dossiers
         SET unit_code = record->'receivingUnit'->>'code',
             appointment_at = (record->>'appointmentAt')::timestamptz;
      ALTER TABLE dossiers ALTER COLUMN unit_code SET NOT NULL;
      CREATE INDEX dossiers_code_idx ON dossiers (code);
      CREATE INDEX dossiers_unit_idx ON dossiers (unit_code);

      CREATE TABLE status_changes (
        seq                bigserial PRIMARY KEY,
        dossier_id         uuid NOT NULL REFERENCES dossiers (id),
        unit_code          text NOT NULL,
        status             smallint NOT NULL CHECK (status BETWEEN 1 AND 10),
        at                 timestamptz NOT NULL,
        actor              text NOT NULL,
        department         text NOT NULL DEFAULT '',
        note               text NOT NULL DEFAULT '',
        supplement_items   jsonb NOT NULL DEFAULT '[]',
        new_appointment_at timestamptz,
        result_files       jsonb NOT NULL DEFAULT '[]',
        source             text NOT NULL CHECK (source IN ('commit', 'admin', 'counter'))
      );
      CREATE INDEX status_changes_unit_seq_idx ON status_changes (unit_code, seq);
      CREATE INDEX status_changes_dossier_idx ON status_changes (dossier_id, seq);

      -- Dossiers committed before the feed existed get their "received" entry now.
      INSERT INTO status_changes (dossier_id, unit_code, status, at, actor, department, note, source)
      SELECT id, unit_code, 2, central_received_at,
             'Quầy ' || coalesce(record->>'counterNo', '?'), coalesce(record->'receivingUnit'->>'name', ''),
             'Đã tiếp nhận hồ sơ', 'commit'
        FROM dossiers ORDER BY central_received_at, id;

      CREATE TABLE counter_events (
        event_id     uuid PRIMARY KEY,
        dossier_id   uuid NOT NULL REFERENCES dossiers (id),
        kind         text NOT NULL,
        content_hash text NOT NULL,
        seq          bigint NOT NULL REFERENCES status_changes (seq),
        received_at  timestamptz NOT NULL,
        body         jsonb NOT NULL
      );

      -- Files added after the commit (supplement rounds) say which event brought them.
      ALTER TABLE dossier_files ADD COLUMN event_id uuid;

      CREATE TABLE result_files (
        dossier_id   uuid NOT NULL REFERENCES dossiers (id),
        sha256       text NOT NULL,
        name         text NOT NULL,
        size         bigint NOT NULL,
        storage_path text NOT NULL,
        PRIMARY KEY (dossier_id, sha256)
      );
    `,
  },
  {
    version: 3,
    name: 'devices, enrollment codes, deciding agency',
    // Codes and credentials are stored only as SHA-256: a copy of the database enrolls nothing.
    sql: `
      CREATE TABLE enrollment_codes (
        code_hash  text PRIMARY KEY,
        unit_code  text NOT NULL,
        unit_name  text NOT NULL,
        counter_no smallint NOT NULL,
        issued_at  timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at    timestamptz,
        device_id  uuid
      );

      CREATE TABLE devices (
        id              uuid PRIMARY KEY,
        name            text NOT NULL,
        unit_code       text NOT NULL,
        unit_name       text NOT NULL,
        counter_no      smallint NOT NULL,
        credential_hash text UNIQUE NOT NULL,
        enrolled_at     timestamptz NOT NULL,
        revoked_at      timestamptz
      );

      ALTER TABLE dossiers ADD COLUMN deciding_agency jsonb;
      ALTER TABLE dossiers ADD COLUMN device_id uuid;
    `,
  },
  {
    version: 4,
    name: 'leased blocks of dossier numbers',
    // Issue 15 (Decree 118/2025 Art. 28): every number of an (agency, day)'s sequence the central hands out, as
    // disjoint blocks — to a counter (device_id) in advance, or to the central itself (holder 'central').
    // Writers take an EXCLUSIVE lock on the table (store.ts leaseCodeBlock), so a new block always starts above
    // the highest leased. A provisional number a counter issued offline is kept beside the official code.
    sql: `
      CREATE TABLE code_leases (
        agency_id  text NOT NULL,
        day        date NOT NULL,
        first_seq  integer NOT NULL,
        last_seq   integer NOT NULL,
        holder     text NOT NULL CHECK (holder IN ('device', 'central')),
        device_id  uuid,
        leased_at  timestamptz NOT NULL,
        PRIMARY KEY (agency_id, day, first_seq),
        CHECK (first_seq >= 1 AND last_seq >= first_seq),
        CHECK ((holder = 'device') = (device_id IS NOT NULL))
      );
      CREATE INDEX code_leases_device_idx ON code_leases (device_id, agency_id, day);

      ALTER TABLE dossiers ADD COLUMN provisional_code text;
    `,
  },
  {
    version: 5,
    name: 'dossier codes unique',
    // Issue 17, finding 1: a code names one dossier. Before this, a counter could commit a code another dossier
    // held (another unit's, even) and lookups "by code" took the newest. Of each set of equal codes the first
    // received keeps it; the others keep theirs as provisional_code with code NULL, and the central issues them
    // new official codes at its next start (reissueClearedCodes, code-leases.ts). Provisional TAM-… numbers are
    // indexed too: a lookup by one must find one dossier, or say it is ambiguous.
    sql: `
      WITH ranked AS (
        SELECT id, row_number() OVER (PARTITION BY code ORDER BY central_received_at, id) AS rank
          FROM dossiers WHERE code IS NOT NULL
      )
      UPDATE dossiers d
         SET provisional_code = d.code, code = NULL
        FROM ranked r
       WHERE d.id = r.id AND r.rank > 1;
      DROP INDEX IF EXISTS dossiers_code_idx;
      CREATE UNIQUE INDEX dossiers_code_key ON dossiers (code);
      CREATE INDEX dossiers_provisional_code_idx ON dossiers (provisional_code);
    `,
  },
  {
    version: 6,
    name: 'counter audit logs',
    // Issue 17, finding 9: each counter's hash-chained audit log as the central verified it (central/src/audit.ts),
    // one row per (device, seq), and every break found — kept, with the line as received, for the back office.
    sql: `
      CREATE TABLE audit_entries (
        device_id   uuid NOT NULL,
        seq         integer NOT NULL CHECK (seq >= 1),
        hash        text NOT NULL,
        prev_hash   text NOT NULL,
        action      text NOT NULL,
        at          timestamptz NOT NULL,
        entry       jsonb NOT NULL,
        received_at timestamptz NOT NULL,
        PRIMARY KEY (device_id, seq)
      );
      CREATE TABLE audit_breaks (
        id              bigserial PRIMARY KEY,
        device_id       uuid NOT NULL,
        seq             integer NOT NULL,
        reason          text NOT NULL,
        received_sha256 text NOT NULL,
        received        text NOT NULL,
        detected_at     timestamptz NOT NULL,
        UNIQUE (device_id, seq, reason, received_sha256)
      );
    `,
  },
  {
    version: 7,
    name: 'counter reports and crash reports',
    // Issue 16: each counter's latest report (one row per device, replaced on each sync: the fleet view), with
    // the hash of its crash-upload token (crashUploadToken, shared/sync/fleet.ts), and the crash reports received.
    sql: `
      CREATE TABLE device_reports (
        device_id        uuid PRIMARY KEY,
        app_version      text NOT NULL,
        report           jsonb NOT NULL,
        received_at      timestamptz NOT NULL,
        clock_skew_ms    bigint NOT NULL,
        crash_token_hash text NOT NULL
      );
      CREATE INDEX device_reports_crash_token_idx ON device_reports (crash_token_hash);
      CREATE TABLE crash_reports (
        id           uuid PRIMARY KEY,
        device_id    uuid NOT NULL,
        received_at  timestamptz NOT NULL,
        product      text NOT NULL,
        version      text NOT NULL,
        process_type text NOT NULL,
        size         integer NOT NULL,
        storage_path text NOT NULL,
        fields       jsonb NOT NULL
      );
      CREATE INDEX crash_reports_device_idx ON crash_reports (device_id, received_at);
    `,
  },
  {
    version: 8,
    name: 'counter releases',
    // Issue 16, item 5: installers the central serves to counters (central/src/releases.ts), each with its
    // publisher signature and staged rollout, and the oldest counter version still allowed to send.
    sql: `
      CREATE TABLE releases (
        version             text PRIMARY KEY,
        file                text NOT NULL,
        sha512              text NOT NULL,
        size                bigint NOT NULL CHECK (size > 0),
        blockmap            text,
        publisher_signature text NOT NULL,
        release_date        timestamptz NOT NULL,
        rollout_percent     integer NOT NULL CHECK (rollout_percent BETWEEN 0 AND 100),
        rollout_units       text[] NOT NULL DEFAULT '{}',
        added_at            timestamptz NOT NULL
      );
      CREATE TABLE update_policy (
        id              integer PRIMARY KEY CHECK (id = 1),
        minimum_version text
      );
    `,
  },
  {
    version: 9,
    name: 'reference data versions',
    // Issue 19, item 3: the catalog and calendar an administrator published, shared by every central on the
    // database (before: <dataDir>/reference/*.json, per process). One row per published version, kept with who
    // published it and when a later one replaced it; the current one of a kind is the row not yet replaced.
    // `version` is the content hash (the ETag). No row of a kind: the central serves its built-in copy.
    sql: `
      CREATE TABLE reference_versions (
        id           bigserial PRIMARY KEY,
        kind         text NOT NULL CHECK (kind IN ('catalog', 'calendar')),
        version      text NOT NULL,
        data         jsonb NOT NULL,
        published_at timestamptz NOT NULL,
        published_by text NOT NULL,
        replaced_at  timestamptz
      );
      CREATE UNIQUE INDEX reference_versions_current_idx ON reference_versions (kind) WHERE replaced_at IS NULL;
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
