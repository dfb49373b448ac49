/**
 * What the status feed's writer lock costs on PostgreSQL. Feed writers take `LOCK TABLE status_changes IN
 * EXCLUSIVE MODE` so that `seq` order is commit order (a cursor never skips a row; store.ts,
 * tests/integration/central-feed-order.test.ts), which makes them one at a time across every central sharing
 * the database. Timed here with `--writers` concurrent connections, each write on its own dossier:
 *
 *   store   — CentralStore.writeStatusChange (row lock on the dossier, table lock, insert, update, commit);
 *   anchor  — the same statements in the same transactions without the table lock (what the database does
 *             when writers may overlap; NOT safe for the feed, only the yardstick).
 *
 * Run: npm run bench:feed-writers -- [--writes 2000] [--writers 10]
 * PostgreSQL: MOTCUA_TEST_POSTGRES_URL, else postgres://motcua:motcua@127.0.0.1:5432/motcua_test; a schema of its own.
 */
import { cpus, loadavg } from 'node:os';
import pg from 'pg';
import { openPostgres } from '../central/src/db';
import { openStore } from '../central/src/store';
import { bareDossier, createTestSchema } from '../tests/support/postgres';

function numberOption(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} must be a positive integer`);
  return value;
}

const writes = numberOption('writes', 2000);
const writers = numberOption('writers', 10);
const postgresUrl = process.env.MOTCUA_TEST_POSTGRES_URL || 'postgres://motcua:motcua@127.0.0.1:5432/motcua_test';
const unit = { code: '000.00.01.H22', name: 'UBND xã Thử Tải' };
const newDossier = () => bareDossier(unit);
const load = (): string => loadavg().map((l) => l.toFixed(2)).join(' ');


async function run(label: string, write: (dossierId: string) => Promise<void>, dossierIds: readonly string[]): Promise<{ perSecond: number; p50: number; p95: number }> {
  const ms: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      for (;;) {
        const n = next++;
        if (n >= writes) return;
        const t = performance.now();
        await write(dossierIds[(w + n * writers) % dossierIds.length] ?? '');
        ms.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  ms.sort((a, b) => a - b);
  const pick = (p: number) => ms[Math.min(ms.length - 1, Math.ceil((p / 100) * ms.length) - 1)] ?? Number.NaN;
  const result = { perSecond: writes / seconds, p50: pick(50), p95: pick(95) };
  console.log(`  ${label.padEnd(44)} ${writes} in ${seconds.toFixed(2)} s → ${result.perSecond.toFixed(0).padStart(6)}/s  p50 ${result.p50.toFixed(1)} ms  p95 ${result.p95.toFixed(1)} ms`);
  return result;
}

async function main(): Promise<void> {
  const schema = await createTestSchema(postgresUrl);
  const store = await openStore(await openPostgres(schema.url, { maxConnections: writers }));
  const pool = new pg.Pool({ connectionString: schema.url, max: writers });
  try {
    const settings = await pool.query<{ name: string; setting: string }>(
      `SELECT name, setting FROM pg_settings WHERE name IN ('server_version', 'fsync', 'synchronous_commit', 'commit_delay') ORDER BY name`,
    );
    console.log(`feed-writers: ${writes} feed writes from ${writers} connections; ${settings.rows.map((r) => `${r.name}=${r.setting}`).join(', ')}`);
    // Enough dossiers that no two writers wait on the same dossier row: only the feed is shared.
    const dossiers = Array.from({ length: writers * 4 }, () => newDossier());
    for (const d of dossiers) await store.insertDossier(d);
    const ids = dossiers.map((d) => d.id);
    console.log(`${cpus().length} CPUs, load average ${load()}`);

    const change = () => ({ status: 4 as const, at: new Date().toISOString(), actor: 'Cán bộ', department: '', note: 'Đang xử lý', supplementItems: [], resultFiles: [], source: 'admin' as const });
    const anchor = await run('anchor: same transactions, no feed lock', async (dossierId) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await client.query(`SELECT status FROM dossiers WHERE id = $1 FOR UPDATE`, [dossierId]);
        const c = change();
        await client.query(
          `INSERT INTO status_changes (dossier_id, unit_code, status, at, actor, department, note, supplement_items, new_appointment_at, result_files, source)
           VALUES ($1, $2, $3, $4::timestamptz, $5, $6, $7, '[]'::jsonb, NULL, '[]'::jsonb, $8) RETURNING seq`,
          [dossierId, unit.code, c.status, c.at, c.actor, c.department, c.note, c.source],
        );
        await client.query(`UPDATE dossiers SET status = 4 WHERE id = $1`, [dossierId]);
        await client.query('COMMIT');
      } finally {
        client.release();
      }
    }, ids);
    const locked = await run('store: writeStatusChange (feed lock)', async (dossierId) => {
      await store.writeStatusChange({ dossierId, decide: change });
    }, ids);
    console.log(`  the feed lock: ${(anchor.perSecond / locked.perSecond).toFixed(2)}× fewer writes per second than without it; load average ${load()}`);
  } finally {
    await pool.end();
    await store.close();
    await schema.drop();
  }
}

await main();
