/**
 * A PostgreSQL server for tests: `MOTCUA_TEST_POSTGRES_URL` (set by `.ci/run`, which installs and starts
 * one). Each caller gets its own schema (via the connection's search_path), dropped by `drop()`, so test
 * files and helpers running side by side never see each other's tables.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import type { NewDossier } from '../../central/src/store';

export const testPostgresUrl = process.env.MOTCUA_TEST_POSTGRES_URL || undefined;

/** Why the PostgreSQL tests cannot run here, or undefined (for `skipWithout`, requirements.ts). */
export const postgresMissing = testPostgresUrl ? undefined : 'MOTCUA_TEST_POSTGRES_URL is not set (.ci/run installs PostgreSQL, starts it and sets it)';

export interface TestSchema {
  /** A connection string whose search_path is the new schema. */
  readonly url: string;
  drop(): Promise<void>;
}

export async function createTestSchema(baseUrl: string): Promise<TestSchema> {
  const schema = `motcua_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE SCHEMA ${schema}`);
  } finally {
    await admin.end();
  }
  const url = new URL(baseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: baseUrl });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA ${schema} CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}

let bareDossierSeq = 0;

/**
 * A dossier with no files, ready for `store.commitDossier`: for tests and benches of the store's transactions
 * (the feed, locks), where the upload and signature checks in front of the store are not the subject.
 * Codes come from a sequence so a run of many never repeats one.
 */
export function bareDossier(unit: { code: string; name: string }): NewDossier {
  const id = randomUUID();
  const at = new Date().toISOString();
  bareDossierSeq += 1;
  return {
    id,
    code: `${unit.code}-261123-${String(bareDossierSeq % 10000).padStart(4, '0')}`,
    unitCode: unit.code,
    contentHash: id,
    record: { id, receivingUnit: unit },
    counterReceivedAt: at,
    appointmentAt: at,
    centralReceivedAt: at,
    files: [],
    received: { status: 2, at, actor: 'Quầy 1', department: unit.name, note: 'Đã tiếp nhận hồ sơ', supplementItems: [], resultFiles: [], source: 'commit' },
  };
}
