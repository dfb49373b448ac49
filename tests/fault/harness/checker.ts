/**
 * The checker: after the faults stop, is every dossier the counter accepted at the central exactly once,
 * byte for byte, with valid signatures — and none lost or stuck?
 *
 * Two independent looks at the central: its API (each dossier and each file's bytes, re-verified here with
 * shared/pdf/verify-pdf) and its database itself (every row, to count duplicates and strangers).
 */
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { verifyPdfSignatures } from '../../../shared/pdf/verify-pdf';
import { sha256Hex } from '../../../shared/util/bytes';
import type { OutboxView } from './counter';
import type { FixtureFile } from './fixtures';
import { pathFor } from '../../../shared/sync/api-contract';

export interface CheckInput {
  /** Every dossier the counter accepted (its save resolved, or it is in the counter's database), with its files. */
  readonly accepted: ReadonlyMap<string, readonly FixtureFile[]>;
  /** Ids whose save resolved but which the counter's database does not hold. */
  readonly missingAtCounter: readonly string[];
  /**
   * The counter's ledger noticed a database reset and main's spool put back what had not reached the
   * central: a dossier then missing from the counter is lost only if the central lacks it too. Without a
   * detected reset, missing from the counter is lost.
   */
  readonly resetDetected?: boolean;
  readonly outbox: readonly OutboxView[];
  readonly centralUrl: string;
  /** The counter's device credential: the central shows a unit's dossiers only to that unit's devices. */
  readonly credential: string;
  readonly trustAnchorsDer: readonly Uint8Array[];
}

export interface CheckReport {
  readonly dossiers: number;
  readonly acknowledged: number;
  /** Accepted but absent at the central (or lost by the counter itself). */
  readonly lost: string[];
  /** Of `lost`: gone from the counter's own database, though the central holds them (a local reset, not a lost dossier at the central). */
  readonly goneFromCounterButAtCentral: string[];
  /** Central rows beyond one per accepted dossier (same code twice, or a dossier nobody accepted). */
  readonly duplicated: string[];
  /** Not acknowledged by the counter (still pending or failed) when the bound ran out. */
  readonly stuck: string[];
  readonly hashMismatches: string[];
  readonly badSignatures: string[];
  readonly filesChecked: number;
  readonly problems: string[];
}

interface CentralDossierBody {
  readonly files: ReadonlyArray<{ sha256: string; size: number; name: string }>;
}

/** The API half: needs the central running. */
export async function checkThroughApi(input: CheckInput): Promise<CheckReport> {
  const lost: string[] = input.resetDetected ? [] : [...input.missingAtCounter];
  const missing = new Set(input.missingAtCounter);
  const goneFromCounterButAtCentral: string[] = [];
  const stuck: string[] = [];
  const hashMismatches: string[] = [];
  const badSignatures: string[] = [];
  const problems: string[] = [];
  let filesChecked = 0;
  const rows = new Map(input.outbox.map((r) => [r.dossierId, r]));

  for (const [id, files] of input.accepted) {
    const row = rows.get(id);
    if (!row) {
      if (!(input.resetDetected && missing.has(id))) problems.push(`${id}: no outbox row at the counter`);
    }
    else if (row.state !== 'acknowledged') {
      stuck.push(id);
      problems.push(`${id}: counter state ${row.state} (${row.lastError ?? 'no error'}), attempts ${row.attempts}`);
    }
    const res = await fetch(new URL(pathFor('dossier', { id }), input.centralUrl), { headers: { authorization: `Bearer ${input.credential}` } });
    if (res.status === 404) {
      await res.body?.cancel();
      if (input.resetDetected || !missing.has(id)) lost.push(id);
      if (row?.state === 'acknowledged') problems.push(`${id}: ACKNOWLEDGED by the counter but absent at the central`);
      continue;
    }
    if (!res.ok) {
      problems.push(`${id}: central answered ${res.status}`);
      lost.push(id);
      continue;
    }
    if (missing.has(id)) goneFromCounterButAtCentral.push(id);
    const body = (await res.json()) as CentralDossierBody;
    const expected = new Set(files.map((f) => f.sha256));
    const held = new Set(body.files.map((f) => f.sha256));
    if (expected.size !== held.size || [...expected].some((s) => !held.has(s))) {
      hashMismatches.push(id);
      problems.push(`${id}: files at the central ${[...held].join(',')} differ from the accepted ${[...expected].join(',')}`);
    }
    for (const file of files) {
      if (!held.has(file.sha256)) continue;
      const fileRes = await fetch(new URL(pathFor('dossierFile', { id, sha256: file.sha256 }), input.centralUrl), { headers: { authorization: `Bearer ${input.credential}` } });
      const bytes = new Uint8Array(await fileRes.arrayBuffer());
      filesChecked++;
      if (!fileRes.ok || sha256Hex(bytes) !== file.sha256 || bytes.byteLength !== file.size) {
        hashMismatches.push(`${id}/${file.name}`);
        problems.push(`${id}/${file.name}: central bytes (HTTP ${fileRes.status}, ${bytes.byteLength} B) differ from the accepted file`);
        continue;
      }
      const report = verifyPdfSignatures(bytes, { trustAnchorsDer: input.trustAnchorsDer });
      if (!report.valid || report.signatures.length === 0) {
        badSignatures.push(`${id}/${file.name}`);
        problems.push(`${id}/${file.name}: signature not valid: ${[...report.problems, ...report.signatures.flatMap((s) => s.problems)].join('; ')}`);
      }
    }
  }
  const acknowledged = input.outbox.filter((r) => input.accepted.has(r.dossierId) && r.state === 'acknowledged').length;
  return { dossiers: input.accepted.size, acknowledged, lost, goneFromCounterButAtCentral, duplicated: [], stuck, hashMismatches, badSignatures, filesChecked, problems };
}

/** What the database half reads: every dossier row and the file rows per dossier. */
interface CentralRows {
  readonly dossiers: ReadonlyArray<{ id: string; code: string | null }>;
  readonly fileCounts: ReadonlyArray<{ dossier_id: string; n: number }>;
}

const dossierRowsSql = 'SELECT id::text AS id, code FROM dossiers';
const fileCountsSql = 'SELECT dossier_id::text AS dossier_id, count(*)::int AS n FROM dossier_files GROUP BY dossier_id';

/**
 * The database half: reads the central's embedded PostgreSQL (PGlite) directly, with the central stopped.
 * Every accepted dossier must have exactly one row and exactly its files; no other rows may exist.
 */
export async function checkDatabase(dataDir: string, accepted: ReadonlyMap<string, readonly FixtureFile[]>, report: CheckReport): Promise<CheckReport> {
  const db = await PGlite.create({ dataDir: path.join(dataDir, 'db') });
  try {
    const dossiers = await db.query<{ id: string; code: string | null }>(dossierRowsSql);
    const files = await db.query<{ dossier_id: string; n: number }>(fileCountsSql);
    return checkRows({ dossiers: dossiers.rows, fileCounts: files.rows }, accepted, report);
  } finally {
    await db.close();
  }
}

/**
 * The same over a PostgreSQL server (the cluster's primary, and its synchronous standby, which must hold the same
 * rows): `name` prefixes each problem found.
 */
export async function checkPostgres(name: string, url: string, accepted: ReadonlyMap<string, readonly FixtureFile[]>, report: CheckReport): Promise<CheckReport> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const dossiers = await client.query<{ id: string; code: string | null }>(dossierRowsSql);
    const files = await client.query<{ dossier_id: string; n: number }>(fileCountsSql);
    const checked = checkRows({ dossiers: dossiers.rows, fileCounts: files.rows }, accepted, { ...report, duplicated: [], problems: [] });
    // A dossier the API showed but this node lacks is lost here (the standby must hold every acknowledged one).
    const present = new Set(dossiers.rows.map((r) => r.id));
    const absent = [...accepted.keys()].filter((id) => !present.has(id) && !report.lost.includes(id));
    return {
      ...report,
      lost: [...report.lost, ...absent.map((id) => `${name}: ${id}`)],
      duplicated: [...report.duplicated, ...checked.duplicated.map((d) => `${name}: ${d}`)],
      problems: [...report.problems, ...checked.problems.map((p) => `${name}: ${p}`), ...absent.map((id) => `${name}: ${id} absent from this node`)],
    };
  } finally {
    await client.end();
  }
}

function checkRows(rows: CentralRows, accepted: ReadonlyMap<string, readonly FixtureFile[]>, report: CheckReport): CheckReport {
  const duplicated = [...report.duplicated];
  const problems = [...report.problems];
  const byCode = new Map<string, number>();
  for (const row of rows.dossiers) byCode.set(row.code ?? '', (byCode.get(row.code ?? '') ?? 0) + 1);
  for (const [code, n] of byCode) {
    if (n > 1) {
      duplicated.push(code);
      problems.push(`code ${code}: ${n} rows at the central`);
    }
  }
  for (const row of rows.dossiers) {
    if (!accepted.has(row.id)) {
      duplicated.push(row.id);
      problems.push(`${row.id}: at the central but never accepted by the counter`);
    }
  }
  const fileCounts = new Map(rows.fileCounts.map((r) => [r.dossier_id, r.n]));
  for (const [id, expected] of accepted) {
    const n = fileCounts.get(id);
    if (n !== undefined && n !== expected.length) problems.push(`${id}: ${n} file rows at the central, ${expected.length} accepted`);
  }
  return { ...report, duplicated, problems };
}
