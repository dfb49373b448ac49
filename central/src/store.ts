/**
 * The central's database behind a small interface. The SQL is plain PostgreSQL: the embedded PGlite and a
 * PostgreSQL server (db.ts) run the same schema and queries.
 */
import type { DeviceRecord, DossierStatus, ResultFileRef, StatusChange } from '../../shared/sync/protocol';
import { openDatabase, type Queryable, type SqlDatabase } from './db';
import { migrations, migrationsTableSql } from './migrations';
import { CentralHttpError } from './http-errors';
import { SqlAuditStore } from './audit';
import { SqlReleaseStore } from './releases';
import { SqlFleetStore } from './fleet';
import { SqlReferenceStore } from './reference';
import { nextBlock, type CodeLease } from '../../shared/domain/code-lease';

export interface StoredFile {
  readonly sha256: string;
  readonly componentCode: string;
  readonly name: string;
  readonly size: number;
  /** A key of the file storage, e.g. `files/<sha256>.pdf`. */
  readonly storagePath: string;
}

export interface NewDossier {
  readonly id: string;
  readonly code: string;
  readonly unitCode: string;
  /** The deciding agency (DonViXuLy), kept apart from the receiving unit. */
  readonly decidingAgency?: { readonly code?: string; readonly name: string };
  /** The device that committed it. */
  readonly deviceId?: string;
  /** The code the counter sent (a provisional TAM-… number, or one already taken) when `code` is the central's replacement. */
  readonly provisionalCode?: string;
  readonly contentHash: string;
  /** The commit as received (JSON-serialisable). */
  readonly record: unknown;
  readonly counterReceivedAt: string;
  readonly appointmentAt: string;
  /** Central clock, ISO 8601. */
  readonly centralReceivedAt: string;
  readonly files: readonly StoredFile[];
  /** The feed entry "received" (status 2) written in the same transaction. */
  readonly received: NewStatusChange;
}

export interface DossierHead {
  readonly id: string;
  readonly centralId: string;
  /** The dossier code on record (official; the central's own when the counter sent a provisional one). */
  readonly code: string | null;
  readonly contentHash: string;
  /** ISO 8601 (UTC). */
  readonly centralReceivedAt: string;
}

export interface StoredDossier extends DossierHead {
  readonly unitCode: string;
  readonly status: DossierStatus;
  readonly appointmentAt: string | null;
  readonly record: unknown;
  readonly counterReceivedAt: string | null;
  readonly files: readonly StoredFile[];
}

type InsertOutcome =
  /** This call created the dossier. */
  | { readonly inserted: true; readonly dossier: DossierHead }
  /** A dossier with this id already existed (possibly committed concurrently); nothing was written. */
  | { readonly inserted: false; readonly dossier: DossierHead };

/** A feed entry before it has its `seq`. */
export interface NewStatusChange {
  readonly status: DossierStatus;
  readonly at: string;
  readonly actor: string;
  readonly department: string;
  readonly note: string;
  readonly supplementItems: readonly string[];
  readonly newAppointmentAt?: string;
  readonly resultFiles: readonly ResultFileRef[];
  readonly source: 'commit' | 'admin' | 'counter';
}

export interface StoredResultFile extends ResultFileRef {
  readonly storagePath: string;
}

interface StoredCounterEvent {
  readonly eventId: string;
  readonly dossierId: string;
  readonly contentHash: string;
  readonly seq: number;
}

/** What `decide` sees of the dossier, read under its row lock. */
export interface DossierUnderLock {
  readonly status: DossierStatus;
  readonly appointmentAt: string | null;
  /** Apology letters (extensions, Art. 19.6) the counters already reported for this dossier. */
  readonly apologiesIssued: number;
}

/** Everything one status change writes, in one transaction. */
interface StatusChangeWrite {
  readonly dossierId: string;
  /** Decides the change from the dossier's current status; throws to refuse (nothing is written). */
  readonly decide: (current: DossierUnderLock) => NewStatusChange;
  /** Supplement files that become part of the dossier. */
  readonly addedFiles?: readonly StoredFile[];
  readonly resultFiles?: readonly StoredResultFile[];
  /** The counter event this change answers (idempotency key). */
  readonly event?: { readonly eventId: string; readonly kind: string; readonly contentHash: string; readonly body: unknown };
}

type StatusChangeOutcome =
  | { readonly written: true; readonly change: StatusChange }
  /** The event id was already recorded (a concurrent repeat); nothing was written. */
  | { readonly written: false; readonly event: StoredCounterEvent };

interface ChangesPage {
  readonly changes: StatusChange[];
  readonly hasMore: boolean;
}

interface NewEnrollmentCode {
  readonly codeHash: string;
  readonly unit: { readonly code: string; readonly name: string };
  readonly counterNo: number;
  readonly issuedAt: string;
  readonly expiresAt: string;
}

type EnrollOutcome =
  | { readonly enrolled: true; readonly device: DeviceRecord }
  | { readonly enrolled: false; readonly reason: 'unknown' | 'used' | 'expired' }
  /** Another PC not revoked holds this unit's counter number: two would issue the same dossier codes. */
  | { readonly enrolled: false; readonly reason: 'counter-taken'; readonly holder: DeviceRecord }
  /** The installer said another unit or counter (issue 16): the code is left unused. */
  | { readonly enrolled: false; readonly reason: 'unit-mismatch'; readonly code: { readonly unit: { readonly code: string; readonly name: string }; readonly counterNo: number } };

export interface CentralStore {
  readonly kind: SqlDatabase['kind'];
  /** The counters' audit logs, verified on receipt (audit.ts). */
  readonly audit: SqlAuditStore;
  /** Counter releases and the update policy (releases.ts). */
  readonly releases: SqlReleaseStore;
  /** Issue 16: the counters' latest reports and their crash reports (fleet.ts). */
  readonly fleet: SqlFleetStore;
  /** Issue 19: the catalog and calendar versions published by the back office (reference.ts). */
  readonly reference: SqlReferenceStore;
  /** Issue 19: `SELECT 1` — the readiness probe's database check (cluster/readiness.ts). */
  ping(): Promise<void>;
  insertEnrollmentCode(code: NewEnrollmentCode): Promise<void>;
  /** Uses the code (once, before it expires) and creates the device, in one transaction. */
  enrollDevice(opts: { codeHash: string; deviceId: string; deviceName: string; credentialHash: string; at: string; expect?: { unitCode?: string; counterNo?: number } }): Promise<EnrollOutcome>;
  findDeviceByCredentialHash(credentialHash: string): Promise<DeviceRecord | undefined>;
  listDevices(): Promise<DeviceRecord[]>;
  /** The device (not revoked) enrolled for this unit's counter number, if any. */
  activeDeviceFor(unitCode: string, counterNo: number): Promise<DeviceRecord | undefined>;
  /**
   * Issue 15: leases the next block of `size` numbers of `agencyId`'s sequence on `day` (YYYY-MM-DD) to a device
   * or to the central itself, above every block leased before (one transaction, table locked).
   */
  leaseCodeBlock(opts: { agencyId: string; day: string; size: number; deviceId?: string; at: string }): Promise<CodeLease>;
  /** The most dossiers `deviceId` received for `agencyId` on one day since `sinceDay` (its codes' prefix and day). */
  peakDailyCodes(deviceId: string, agencyId: string, sinceDay: string): Promise<number>;
  /** Every block leased for (agency, day), lowest first, with its holder (audit, tests). */
  codeLeasesOf(agencyId: string, day: string): Promise<Array<CodeLease & { holder: 'device' | 'central'; deviceId: string | null }>>;
  /** Marks the device revoked (the first revocation time is kept); undefined when unknown. */
  revokeDevice(deviceId: string, at: string): Promise<DeviceRecord | undefined>;
  findDossier(id: string): Promise<StoredDossier | undefined>;
  /**
   * The dossier id for a dossier code (unique: migration 5), or for the provisional TAM-… number it replaced.
   * Throws 409 CENTRAL_CODE_AMBIGUOUS when a provisional number was replaced on more than one dossier.
   */
  findDossierIdByCode(code: string): Promise<string | undefined>;
  /** The device whose leased block holds number `sequence` of (agency, day YYYY-MM-DD); null for the central's own; undefined if no lease. */
  codeLeaseHolderOf(agencyId: string, day: string, sequence: number): Promise<{ deviceId: string | null } | undefined>;
  /** Dossiers whose code migration 5 cleared (a duplicate): the code they had, to issue them a new one. */
  dossiersWithClearedCode(): Promise<Array<{ id: string; formerCode: string; counterReceivedAt: string }>>;
  /** Gives a dossier whose code was cleared its new official code (only while its code is still NULL). */
  setClearedDossierCode(id: string, code: string): Promise<boolean>;
  /** Inserts the dossier, its files and its "received" feed entry in one transaction; an existing id is left untouched. */
  insertDossier(dossier: NewDossier): Promise<InsertOutcome>;
  /** Feed entries after `after`, oldest first; only `unitCode`'s when given. */
  listChanges(opts: { after: number; limit: number; unitCode?: string }): Promise<ChangesPage>;
  /** The processing history of one dossier, oldest first. */
  historyOf(dossierId: string): Promise<StatusChange[]>;
  writeStatusChange(write: StatusChangeWrite): Promise<StatusChangeOutcome>;
  findCounterEvent(eventId: string): Promise<StoredCounterEvent | undefined>;
  /** The counter events of a dossier as received, oldest first. */
  eventsOf(dossierId: string): Promise<unknown[]>;
  findResultFile(dossierId: string, sha256: string): Promise<StoredResultFile | undefined>;
  /** True when dossier `dossierId` holds a received file with this SHA-256 (its commit or a supplement). */
  hasDossierFile(dossierId: string, sha256: string): Promise<boolean>;
  /** Of these stored-object keys, those a received or result file refers to (the orphan job, storage/orphans.ts). */
  referencedStorageKeys(keys: readonly string[]): Promise<Set<string>>;
  close(): Promise<void>;
}

interface DossierRow {
  id: string;
  central_id: string;
  code: string | null;
  unit_code: string;
  status: number;
  appointment_at: Date | string | null;
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

interface ChangeRow {
  seq: number | string;
  dossier_id: string;
  dossier_code: string | null;
  status: number;
  at: Date | string;
  actor: string;
  department: string;
  note: string;
  supplement_items: unknown;
  new_appointment_at: Date | string | null;
  result_files: unknown;
}

const toIso = (value: Date | string): string => new Date(value).toISOString();
/** jsonb comes back parsed from PGlite and from pg; a text fallback costs nothing. */
const fromJson = <T>(value: unknown): T => (typeof value === 'string' ? (JSON.parse(value) as T) : (value as T));

function toHead(row: Pick<DossierRow, 'id' | 'central_id' | 'code' | 'content_hash' | 'central_received_at'>): DossierHead {
  return { id: row.id, centralId: row.central_id, code: row.code, contentHash: row.content_hash, centralReceivedAt: toIso(row.central_received_at) };
}

function toFile(row: FileRow): StoredFile {
  return { sha256: row.sha256, componentCode: row.component_code, name: row.name, size: Number(row.size), storagePath: row.storage_path };
}

function toChange(row: ChangeRow): StatusChange {
  return {
    seq: Number(row.seq),
    dossierId: row.dossier_id as StatusChange['dossierId'],
    dossierCode: (row.dossier_code ?? ''),
    status: row.status as DossierStatus,
    at: toIso(row.at),
    actor: row.actor,
    department: row.department,
    note: row.note,
    supplementItems: fromJson<string[]>(row.supplement_items),
    ...(row.new_appointment_at === null ? {} : { newAppointmentAt: toIso(row.new_appointment_at) }),
    resultFiles: fromJson<ResultFileRef[]>(row.result_files),
  };
}

const dossierColumns = `id, central_id, code, unit_code, status, appointment_at, content_hash, record, counter_received_at, central_received_at`;
const selectHeadSql = `SELECT id, central_id, code, content_hash, central_received_at FROM dossiers WHERE id = $1`;
const changeColumns = `c.seq, c.dossier_id, d.code AS dossier_code, c.status, c.at, c.actor, c.department, c.note,
  c.supplement_items, c.new_appointment_at, c.result_files`;

/**
 * The central id comes from a sequence: `TW-<year in Vietnam>-<8 digits>`. A sequence value consumed by a
 * losing concurrent insert or by a crash is skipped, so ids may have gaps; they never repeat.
 */
const insertDossierSql = `
  INSERT INTO dossiers (id, central_id, code, content_hash, record, counter_received_at, central_received_at, unit_code, status, appointment_at,
                        deciding_agency, device_id, provisional_code)
  VALUES (
    $1,
    'TW-' || to_char($6::timestamptz AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY') || '-'
          || lpad(nextval('central_id_seq')::text, 8, '0'),
    $2, $3, $4::jsonb, $5::timestamptz, $6::timestamptz, $7, 2, $8::timestamptz, $9::jsonb, $10::uuid, $11
  )
  ON CONFLICT (id) DO NOTHING
  RETURNING id, central_id, code, content_hash, central_received_at
`;

const insertFileSql = `
  INSERT INTO dossier_files (dossier_id, sha256, component_code, name, size, storage_path, event_id)
  VALUES ($1, $2, $3, $4, $5, $6, $7)
  ON CONFLICT (dossier_id, sha256) DO NOTHING
`;

async function applyMigrations(db: SqlDatabase): Promise<void> {
  await db.exec(migrationsTableSql);
  const applied = await db.query<{ version: number }>(`SELECT version FROM schema_migrations`);
  const done = new Set(applied.rows.map((r) => r.version));
  for (const migration of migrations) {
    if (done.has(migration.version)) continue;
    await db.transaction(async (tx) => {
      // Two centrals starting on one PostgreSQL database: the second waits, then finds the migration done.
      await tx.query(`SELECT pg_advisory_xact_lock(7365126)`);
      const again = await tx.query(`SELECT 1 FROM schema_migrations WHERE version = $1`, [migration.version]);
      if (again.rows.length) return;
      for (const statement of splitStatements(migration.sql)) await tx.query(statement);
      await tx.query(`INSERT INTO schema_migrations (version, name) VALUES ($1, $2)`, [migration.version, migration.name]);
    });
  }
}

/** Migrations hold no `;` inside literals or bodies, so a split on `;` at line ends is exact. */
function splitStatements(sql: string): string[] {
  return sql
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.replace(/^\s*--.*$/gm, '').trim())
    .filter((s) => s.length > 0);
}

async function insertChange(q: Queryable, dossierId: string, unitCode: string, change: NewStatusChange): Promise<number> {
  // Serialises feed writers: `seq` order is then commit order (see migration 2). Readers are not blocked.
  await q.query(`LOCK TABLE status_changes IN EXCLUSIVE MODE`);
  const inserted = await q.query<{ seq: number | string }>(
    `INSERT INTO status_changes (dossier_id, unit_code, status, at, actor, department, note, supplement_items, new_appointment_at, result_files, source)
     VALUES ($1, $2, $3, $4::timestamptz, $5, $6, $7, $8::jsonb, $9::timestamptz, $10::jsonb, $11)
     RETURNING seq`,
    [
      dossierId,
      unitCode,
      change.status,
      change.at,
      change.actor,
      change.department,
      change.note,
      JSON.stringify(change.supplementItems),
      change.newAppointmentAt ?? null,
      JSON.stringify(change.resultFiles),
      change.source,
    ],
  );
  const seq = inserted.rows[0]?.seq;
  if (seq === undefined) throw new Error('status change insert returned no seq');
  return Number(seq);
}

class SqlCentralStore implements CentralStore {
  constructor(private readonly db: SqlDatabase) {}

  get kind(): SqlDatabase['kind'] {
    return this.db.kind;
  }

  get audit(): SqlAuditStore {
    return new SqlAuditStore(this.db);
  }

  get releases(): SqlReleaseStore {
    return new SqlReleaseStore(this.db);
  }

  get fleet(): SqlFleetStore {
    return new SqlFleetStore(this.db);
  }

  get reference(): SqlReferenceStore {
    return new SqlReferenceStore(this.db);
  }

  async ping(): Promise<void> {
    await this.db.query('SELECT 1');
  }

  async findDossier(id: string): Promise<StoredDossier | undefined> {
    if (!isUuid(id)) return undefined;
    const dossiers = await this.db.query<DossierRow>(`SELECT ${dossierColumns} FROM dossiers WHERE id = $1`, [id]);
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
      unitCode: row.unit_code,
      status: row.status as DossierStatus,
      appointmentAt: row.appointment_at === null ? null : toIso(row.appointment_at),
      record: fromJson(row.record),
      counterReceivedAt: row.counter_received_at === null ? null : toIso(row.counter_received_at),
      files: files.rows.map(toFile),
    };
  }

  async findDossierIdByCode(code: string): Promise<string | undefined> {
    const found = await this.db.query<{ id: string }>(`SELECT id FROM dossiers WHERE code = $1`, [code]);
    if (found.rows[0] || !code.startsWith('TAM-')) return found.rows[0]?.id;
    // Issue 15: the provisional number on the applicant's first receipt still finds the dossier — if it names
    // one (a counter restored from an old image could have given the same number twice).
    const provisional = await this.db.query<{ id: string }>(`SELECT id FROM dossiers WHERE provisional_code = $1 ORDER BY central_received_at LIMIT 6`, [code]);
    if (provisional.rows.length > 1) {
      throw new CentralHttpError(409, 'CENTRAL_CODE_AMBIGUOUS', { code, dossierIds: provisional.rows.map((row) => row.id).join(', ') });
    }
    return provisional.rows[0]?.id;
  }

  async codeLeaseHolderOf(agencyId: string, day: string, sequence: number): Promise<{ deviceId: string | null } | undefined> {
    const rows = await this.db.query<{ device_id: string | null }>(
      `SELECT device_id FROM code_leases WHERE agency_id = $1 AND day = $2::date AND first_seq <= $3 AND last_seq >= $3 LIMIT 1`,
      [agencyId, day, sequence],
    );
    const row = rows.rows[0];
    return row === undefined ? undefined : { deviceId: row.device_id };
  }

  async dossiersWithClearedCode(): Promise<Array<{ id: string; formerCode: string; counterReceivedAt: string }>> {
    const rows = await this.db.query<{ id: string; provisional_code: string; counter_received_at: Date | string | null; central_received_at: Date | string }>(
      `SELECT id, provisional_code, counter_received_at, central_received_at FROM dossiers
        WHERE code IS NULL AND provisional_code IS NOT NULL ORDER BY central_received_at, id`,
    );
    return rows.rows.map((row) => ({ id: row.id, formerCode: row.provisional_code, counterReceivedAt: toIso(row.counter_received_at ?? row.central_received_at) }));
  }

  async setClearedDossierCode(id: string, code: string): Promise<boolean> {
    const updated = await this.db.query<{ id: string }>(`UPDATE dossiers SET code = $2 WHERE id = $1 AND code IS NULL RETURNING id`, [id, code]);
    return updated.rows.length === 1;
  }

  async insertDossier(dossier: NewDossier): Promise<InsertOutcome> {
    return this.db.transaction(async (q): Promise<InsertOutcome> => {
      const created = await q.query<DossierRow>(insertDossierSql, [
        dossier.id,
        dossier.code,
        dossier.contentHash,
        JSON.stringify(dossier.record),
        dossier.counterReceivedAt,
        dossier.centralReceivedAt,
        dossier.unitCode,
        dossier.appointmentAt,
        dossier.decidingAgency === undefined ? null : JSON.stringify(dossier.decidingAgency),
        dossier.deviceId ?? null,
        dossier.provisionalCode ?? null,
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
        await q.query(insertFileSql, [dossier.id, file.sha256, file.componentCode, file.name, file.size, file.storagePath, null]);
      }
      await insertChange(q, dossier.id, dossier.unitCode, dossier.received);
      return { inserted: true, dossier: toHead(row) };
    });
  }

  async listChanges(opts: { after: number; limit: number; unitCode?: string }): Promise<ChangesPage> {
    const params: unknown[] = [opts.after, opts.limit + 1];
    let unitFilter = '';
    if (opts.unitCode !== undefined) {
      params.push(opts.unitCode);
      unitFilter = 'AND c.unit_code = $3';
    }
    const rows = await this.db.query<ChangeRow>(
      `SELECT ${changeColumns} FROM status_changes c JOIN dossiers d ON d.id = c.dossier_id
        WHERE c.seq > $1 ${unitFilter} ORDER BY c.seq LIMIT $2`,
      params,
    );
    const changes = rows.rows.slice(0, opts.limit).map(toChange);
    return { changes, hasMore: rows.rows.length > opts.limit };
  }

  async historyOf(dossierId: string): Promise<StatusChange[]> {
    const rows = await this.db.query<ChangeRow>(
      `SELECT ${changeColumns} FROM status_changes c JOIN dossiers d ON d.id = c.dossier_id WHERE c.dossier_id = $1 ORDER BY c.seq`,
      [dossierId],
    );
    return rows.rows.map(toChange);
  }

  async writeStatusChange(write: StatusChangeWrite): Promise<StatusChangeOutcome> {
    return this.db.transaction(async (q): Promise<StatusChangeOutcome> => {
      const locked = await q.query<Pick<DossierRow, 'status' | 'appointment_at' | 'unit_code' | 'code'>>(
        `SELECT status, appointment_at, unit_code, code FROM dossiers WHERE id = $1 FOR UPDATE`,
        [write.dossierId],
      );
      const dossier = locked.rows[0];
      if (!dossier) throw new Error(`dossier ${write.dossierId} vanished`);
      if (write.event) {
        // Checked under the dossier's row lock: a concurrent repeat of this event waits here, then finds it.
        const seen = await this.eventIn(q, write.event.eventId);
        if (seen) return { written: false, event: seen };
      }
      const apologies = await q.query<{ n: number | string }>(`SELECT count(*) AS n FROM counter_events WHERE dossier_id = $1 AND kind = 'apology-issued'`, [write.dossierId]);
      const change = write.decide({
        status: dossier.status as DossierStatus,
        appointmentAt: dossier.appointment_at === null ? null : toIso(dossier.appointment_at),
        apologiesIssued: Number(apologies.rows[0]?.n ?? 0),
      });
      for (const file of write.addedFiles ?? []) {
        await q.query(insertFileSql, [write.dossierId, file.sha256, file.componentCode, file.name, file.size, file.storagePath, write.event?.eventId ?? null]);
      }
      for (const file of write.resultFiles ?? []) {
        await q.query(
          `INSERT INTO result_files (dossier_id, sha256, name, size, storage_path) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (dossier_id, sha256) DO NOTHING`,
          [write.dossierId, file.sha256, file.name, file.size, file.storagePath],
        );
      }
      await q.query(`UPDATE dossiers SET status = $2, appointment_at = coalesce($3::timestamptz, appointment_at) WHERE id = $1`, [
        write.dossierId,
        change.status,
        change.newAppointmentAt ?? null,
      ]);
      // Last but the event row (which needs the seq): the feed lock it takes is held until the commit.
      const seq = await insertChange(q, write.dossierId, dossier.unit_code, change);
      if (write.event) {
        await q.query(
          `INSERT INTO counter_events (event_id, dossier_id, kind, content_hash, seq, received_at, body)
           VALUES ($1, $2, $3, $4, $5, now(), $6::jsonb)`,
          [write.event.eventId, write.dossierId, write.event.kind, write.event.contentHash, seq, JSON.stringify(write.event.body)],
        );
      }
      return {
        written: true,
        change: toChange({
          seq,
          dossier_id: write.dossierId,
          dossier_code: dossier.code,
          status: change.status,
          at: change.at,
          actor: change.actor,
          department: change.department,
          note: change.note,
          supplement_items: change.supplementItems,
          new_appointment_at: change.newAppointmentAt ?? null,
          result_files: change.resultFiles,
        }),
      };
    });
  }

  private async eventIn(q: Queryable, eventId: string): Promise<StoredCounterEvent | undefined> {
    const rows = await q.query<{ event_id: string; dossier_id: string; content_hash: string; seq: number | string }>(
      `SELECT event_id, dossier_id, content_hash, seq FROM counter_events WHERE event_id = $1`,
      [eventId],
    );
    const row = rows.rows[0];
    return row && { eventId: row.event_id, dossierId: row.dossier_id, contentHash: row.content_hash, seq: Number(row.seq) };
  }

  findCounterEvent(eventId: string): Promise<StoredCounterEvent | undefined> {
    if (!isUuid(eventId)) return Promise.resolve(undefined);
    return this.eventIn(this.db, eventId);
  }

  async eventsOf(dossierId: string): Promise<unknown[]> {
    const rows = await this.db.query<{ body: unknown }>(`SELECT e.body FROM counter_events e WHERE e.dossier_id = $1 ORDER BY e.seq`, [dossierId]);
    return rows.rows.map((r) => fromJson(r.body));
  }

  async findResultFile(dossierId: string, sha256: string): Promise<StoredResultFile | undefined> {
    if (!isUuid(dossierId)) return undefined;
    const rows = await this.db.query<{ sha256: string; name: string; size: number | string; storage_path: string }>(
      `SELECT sha256, name, size, storage_path FROM result_files WHERE dossier_id = $1 AND sha256 = $2`,
      [dossierId, sha256],
    );
    const row = rows.rows[0];
    return row && { sha256: row.sha256, name: row.name, size: Number(row.size), mediaType: 'application/pdf', storagePath: row.storage_path };
  }

  async hasDossierFile(dossierId: string, sha256: string): Promise<boolean> {
    if (!isUuid(dossierId)) return false;
    const rows = await this.db.query(`SELECT 1 FROM dossier_files WHERE dossier_id = $1 AND sha256 = $2`, [dossierId, sha256]);
    return rows.rows.length > 0;
  }

  async referencedStorageKeys(keys: readonly string[]): Promise<Set<string>> {
    // By SHA-256 (indexed on dossier_files), then by the exact key: the same hash may be stored under files/ and results/.
    const hashes = [...new Set(keys.map((key) => /([0-9a-f]{64})\.pdf$/.exec(key)?.[1]).filter((h): h is string => h !== undefined))];
    if (hashes.length === 0) return new Set();
    const rows = await this.db.query<{ storage_path: string }>(
      `SELECT storage_path FROM dossier_files WHERE sha256 = ANY($1::text[])
       UNION SELECT storage_path FROM result_files WHERE sha256 = ANY($1::text[])`,
      [hashes],
    );
    const wanted = new Set(keys);
    return new Set(rows.rows.map((row) => row.storage_path).filter((key) => wanted.has(key)));
  }

  async insertEnrollmentCode(code: NewEnrollmentCode): Promise<void> {
    await this.db.query(
      `INSERT INTO enrollment_codes (code_hash, unit_code, unit_name, counter_no, issued_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)`,
      [code.codeHash, code.unit.code, code.unit.name, code.counterNo, code.issuedAt, code.expiresAt],
    );
  }

  async enrollDevice(opts: { codeHash: string; deviceId: string; deviceName: string; credentialHash: string; at: string; expect?: { unitCode?: string; counterNo?: number } }): Promise<EnrollOutcome> {
    return this.db.transaction(async (q): Promise<EnrollOutcome> => {
      // The row lock makes the code single-use even when two installers send it at the same moment.
      const rows = await q.query<{ unit_code: string; unit_name: string; counter_no: number; expires_at: Date | string; used_at: Date | string | null }>(
        `SELECT unit_code, unit_name, counter_no, expires_at, used_at FROM enrollment_codes WHERE code_hash = $1 FOR UPDATE`,
        [opts.codeHash],
      );
      const code = rows.rows[0];
      if (!code) return { enrolled: false, reason: 'unknown' };
      if (code.used_at !== null) return { enrolled: false, reason: 'used' };
      if (new Date(code.expires_at).getTime() <= new Date(opts.at).getTime()) return { enrolled: false, reason: 'expired' };
      if ((opts.expect?.unitCode !== undefined && opts.expect.unitCode !== code.unit_code) || (opts.expect?.counterNo !== undefined && opts.expect.counterNo !== code.counter_no)) {
        return { enrolled: false, reason: 'unit-mismatch', code: { unit: { code: code.unit_code, name: code.unit_name }, counterNo: code.counter_no } };
      }
      // One PC per counter number of a unit: the number picks the PC's range of dossier codes. The advisory
      // lock serialises two enrollments of the same counter (two codes, two installers, any central instance).
      await q.query(`SELECT pg_advisory_xact_lock(hashtext($1), $2)`, [code.unit_code, code.counter_no]);
      const holders = await q.query<DeviceRow>(`SELECT ${deviceColumns} FROM devices WHERE unit_code = $1 AND counter_no = $2 AND revoked_at IS NULL LIMIT 1`, [code.unit_code, code.counter_no]);
      const holder = holders.rows[0];
      if (holder) return { enrolled: false, reason: 'counter-taken', holder: toDevice(holder) };
      await q.query(
        `INSERT INTO devices (id, name, unit_code, unit_name, counter_no, credential_hash, enrolled_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [opts.deviceId, opts.deviceName, code.unit_code, code.unit_name, code.counter_no, opts.credentialHash, opts.at],
      );
      await q.query(`UPDATE enrollment_codes SET used_at = $2, device_id = $3 WHERE code_hash = $1`, [opts.codeHash, opts.at, opts.deviceId]);
      return {
        enrolled: true,
        device: toDevice({ id: opts.deviceId, name: opts.deviceName, unit_code: code.unit_code, unit_name: code.unit_name, counter_no: code.counter_no, enrolled_at: opts.at, revoked_at: null }),
      };
    });
  }

  async activeDeviceFor(unitCode: string, counterNo: number): Promise<DeviceRecord | undefined> {
    const rows = await this.db.query<DeviceRow>(`SELECT ${deviceColumns} FROM devices WHERE unit_code = $1 AND counter_no = $2 AND revoked_at IS NULL ORDER BY enrolled_at LIMIT 1`, [unitCode, counterNo]);
    return rows.rows[0] && toDevice(rows.rows[0]);
  }

  async findDeviceByCredentialHash(credentialHash: string): Promise<DeviceRecord | undefined> {
    const rows = await this.db.query<DeviceRow>(`SELECT ${deviceColumns} FROM devices WHERE credential_hash = $1`, [credentialHash]);
    return rows.rows[0] && toDevice(rows.rows[0]);
  }

  async listDevices(): Promise<DeviceRecord[]> {
    const rows = await this.db.query<DeviceRow>(`SELECT ${deviceColumns} FROM devices ORDER BY unit_code, counter_no, enrolled_at`);
    return rows.rows.map(toDevice);
  }

  async revokeDevice(deviceId: string, at: string): Promise<DeviceRecord | undefined> {
    if (!isUuid(deviceId)) return undefined;
    const rows = await this.db.query<DeviceRow>(
      `UPDATE devices SET revoked_at = coalesce(revoked_at, $2::timestamptz) WHERE id = $1 RETURNING ${deviceColumns}`,
      [deviceId, at],
    );
    return rows.rows[0] && toDevice(rows.rows[0]);
  }

  async leaseCodeBlock(opts: { agencyId: string; day: string; size: number; deviceId?: string; at: string }): Promise<CodeLease> {
    return this.db.transaction(async (q) => {
      // Serialises lease writers (readers are not blocked): the next block starts above the highest leased.
      await q.query(`LOCK TABLE code_leases IN EXCLUSIVE MODE`);
      const top = await q.query<{ top: number | string | null }>(`SELECT max(last_seq) AS top FROM code_leases WHERE agency_id = $1 AND day = $2::date`, [
        opts.agencyId,
        opts.day,
      ]);
      const highest = top.rows[0]?.top;
      const block = nextBlock(opts.agencyId, highest === null || highest === undefined ? undefined : Number(highest), opts.size);
      await q.query(
        `INSERT INTO code_leases (agency_id, day, first_seq, last_seq, holder, device_id, leased_at) VALUES ($1, $2::date, $3, $4, $5, $6::uuid, $7::timestamptz)`,
        [opts.agencyId, opts.day, block.first, block.last, opts.deviceId === undefined ? 'central' : 'device', opts.deviceId ?? null, opts.at],
      );
      return { agencyId: opts.agencyId, day: opts.day, first: block.first, last: block.last };
    });
  }

  async peakDailyCodes(deviceId: string, agencyId: string, sinceDay: string): Promise<number> {
    // Codes are `<agency id>-YYMMDD-…`: the prefix and the day come from the code itself.
    const found = await this.db.query<{ peak: number | string | null }>(
      `SELECT max(n) AS peak FROM (
         SELECT count(*) AS n FROM dossiers
          WHERE device_id = $1::uuid AND split_part(code, '-', 1) = $2
            AND (central_received_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date >= $3::date
          GROUP BY split_part(code, '-', 2)
       ) AS per_day`,
      [deviceId, agencyId, sinceDay],
    );
    return Number(found.rows[0]?.peak ?? 0);
  }

  async codeLeasesOf(agencyId: string, day: string): Promise<Array<CodeLease & { holder: 'device' | 'central'; deviceId: string | null }>> {
    const found = await this.db.query<{ first_seq: number; last_seq: number; holder: 'device' | 'central'; device_id: string | null }>(
      `SELECT first_seq, last_seq, holder, device_id FROM code_leases WHERE agency_id = $1 AND day = $2::date ORDER BY first_seq`,
      [agencyId, day],
    );
    return found.rows.map((r) => ({ agencyId, day, first: Number(r.first_seq), last: Number(r.last_seq), holder: r.holder, deviceId: r.device_id }));
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}

export interface DeviceRow {
  id: string;
  name: string;
  unit_code: string;
  unit_name: string;
  counter_no: number;
  enrolled_at: Date | string;
  revoked_at: Date | string | null;
}
const deviceColumns = `id, name, unit_code, unit_name, counter_no, enrolled_at, revoked_at`;

function toDevice(row: DeviceRow): DeviceRecord {
  return {
    deviceId: row.id,
    deviceName: row.name,
    unit: { code: row.unit_code, name: row.unit_name },
    counterNo: row.counter_no,
    enrolledAt: toIso(row.enrolled_at),
    revokedAt: row.revoked_at === null ? null : toIso(row.revoked_at),
  };
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A malformed id would make PostgreSQL's uuid cast fail; it simply matches nothing. */
export const isUuid = (value: string): boolean => uuidPattern.test(value);

/** The store on an open database, its schema brought up to date. */
export async function openStore(db: SqlDatabase): Promise<CentralStore> {
  try {
    await applyMigrations(db);
  } catch (err) {
    await db.close();
    throw err;
  }
  return new SqlCentralStore(db);
}

/** The store on the configured database (PostgreSQL URL, else the embedded PGlite in `dbDir`). */
export async function openCentralStore(opts: { databaseUrl?: string; dbDir: string }): Promise<CentralStore> {
  return openStore(await openDatabase(opts));
}
