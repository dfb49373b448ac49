/**
 * A PostgreSQL server for tests: `MOTCUA_TEST_POSTGRES_URL` (set by `.ci/run`, which installs and starts
 * one). Each caller gets its own schema (via the connection's search_path), dropped by `drop()`, so test
 * files and helpers running side by side never see each other's tables.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const testPostgresUrl = process.env.MOTCUA_TEST_POSTGRES_URL || undefined;

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
