/**
 * Issue 19, item 3: the catalog and calendar live in the database (`reference_versions`, migration 9), not in
 * a central's data directory. Two centrals on one PostgreSQL database: a replacement PUT on one is served by
 * the other at once, with the same ETag (read from the database, not a process's memory), every version kept
 * with who published it and when it was replaced. And an older central's `<dataDir>/reference/<kind>.json` is
 * imported once at start (embedded PGlite: the same code path), then the database decides.
 */
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledCatalog } from '../../shared/domain/catalog-demo';
import { builtInOfficialCalendars } from '../../shared/domain/working-calendar';
import { referenceDocumentSchema, type ReferenceKind } from '../../shared/sync/protocol';
import { adminCall, centralFetch, startCentralProcess, type CentralProcess } from '../support/central-process';
import { createTestSchema, postgresMissing, testPostgresUrl, type TestSchema } from '../support/postgres';
import { skipWithout } from '../support/requirements';
import { pathFor } from '../../shared/sync/api-contract';

async function getReference(target: { url: string; credential?: string }, kind: ReferenceKind, etag?: string) {
  const res = await centralFetch(target, pathFor('reference', { kind }), { headers: etag ? { 'if-none-match': etag } : {} });
  return { status: res.status, etag: res.headers.get('etag'), doc: res.status === 200 ? referenceDocumentSchema.parse(await res.json()) : undefined };
}

const withPostgres = !skipWithout('PostgreSQL', postgresMissing);

describe.runIf(withPostgres)('two centrals on one PostgreSQL database', () => {
  let schema: TestSchema;
  let centralA: CentralProcess;
  let centralB: CentralProcess;
  /** The device enrolled through A; B knows it too (one database). */
  let onA: { url: string; credential: string };
  let onB: { url: string; credential: string };

  beforeAll(async () => {
    schema = await createTestSchema(testPostgresUrl ?? '');
    centralA = await startCentralProcess({ args: ['--database', schema.url, '--instance-name', 'central-a'] });
    // B enrolls nothing of its own: the device of A is in the shared database.
    centralB = await startCentralProcess({ args: ['--database', schema.url, '--instance-name', 'central-b'], enroll: false });
    const credential = centralA.credential ?? '';
    onA = { url: centralA.url, credential };
    onB = { url: centralB.url, credential };
  }, 180_000);

  afterAll(async () => {
    await centralA?.stop();
    await centralB?.stop();
    await schema?.drop();
  });

  it('serves on B, at once and with the same ETag, the catalog the back office replaced through A', async () => {
    const before = await getReference(onB, 'catalog');
    expect(before.status).toBe(200);
    expect(before.etag).toBe((await getReference(onA, 'catalog')).etag);

    const smaller = bundledCatalog.slice(0, 2);
    const put = await adminCall(centralA, 'PUT', pathFor('adminReference', { kind: 'catalog' }), smaller);
    expect(put.status).toBe(200);
    const published = put.body as { version: string; publishedAt: string };

    // B's copy of the old version is stale now: asked with the old ETag, B answers the new data, not 304.
    const onBAfter = await getReference(onB, 'catalog', before.etag ?? '');
    expect(onBAfter.status).toBe(200);
    expect(onBAfter.etag).toBe(`"${published.version}"`);
    expect(onBAfter.doc?.version).toBe(published.version);
    expect(onBAfter.doc?.publishedAt).toBe(published.publishedAt);
    expect((onBAfter.doc?.data as Array<{ code: string }>).map((p) => p.code)).toEqual(smaller.map((p) => p.code));
    // And with the new ETag, B (and A) answer 304.
    expect((await getReference(onB, 'catalog', onBAfter.etag ?? '')).status).toBe(304);
    expect((await getReference(onA, 'catalog', onBAfter.etag ?? '')).status).toBe(304);

    // A second replacement through B reaches A the same way (the cache of each process follows the database).
    const calendarBefore = await getReference(onA, 'calendar');
    const amended = builtInOfficialCalendars.map((year) => ({ ...year, source: `${year.source} (bản của sở)` }));
    const calendarPut = await adminCall(centralB, 'PUT', pathFor('adminReference', { kind: 'calendar' }), amended);
    expect(calendarPut.status).toBe(200);
    const calendarOnA = await getReference(onA, 'calendar', calendarBefore.etag ?? '');
    expect(calendarOnA.status).toBe(200);
    expect(calendarOnA.etag).toBe(`"${(calendarPut.body as { version: string }).version}"`);
    expect(calendarOnA.etag).not.toBe(calendarBefore.etag);
  });

  it('keeps every version with who published it and when a later one replaced it', async () => {
    const third = bundledCatalog.slice(0, 3);
    expect((await adminCall(centralB, 'PUT', pathFor('adminReference', { kind: 'catalog' }), third)).status).toBe(200);
    // The same data again changes nothing: no new version, the first publication stands.
    expect((await adminCall(centralA, 'PUT', pathFor('adminReference', { kind: 'catalog' }), third)).status).toBe(200);

    const client = new pg.Client({ connectionString: schema.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ version: string; published_by: string; replaced_at: Date | null }>(
        `SELECT version, published_by, replaced_at FROM reference_versions WHERE kind = 'catalog' ORDER BY id`,
      );
      expect(rows).toHaveLength(2);
      expect(rows[0]?.published_by).toMatch(/via central-a$/);
      expect(rows[0]?.replaced_at).toBeInstanceOf(Date);
      expect(rows[1]?.published_by).toMatch(/via central-b$/);
      expect(rows[1]?.replaced_at).toBeNull();
      const current = await getReference(onA, 'catalog');
      expect(current.doc?.version).toBe(rows[1]?.version);
    } finally {
      await client.end();
    }
  });
});

describe('a replacement saved by an older central (<dataDir>/reference/*.json)', () => {
  const roots: string[] = [];
  afterAll(async () => {
    for (const root of roots) await rm(root, { recursive: true, force: true });
  });

  it('is imported into the database once at start, then replaced through the database like any other', { timeout: 180_000 }, async () => {
    const parent = await mkdtemp(path.join(os.tmpdir(), 'motcua-reference-import-'));
    roots.push(parent);
    const dataDir = path.join(parent, 'central');
    // What the central before issue 19 wrote (owner-only, as its data directory must be).
    await mkdir(path.join(dataDir, 'reference'), { recursive: true, mode: 0o700 });
    const legacy = { publishedAt: '2026-03-04T05:06:07.000Z', data: bundledCatalog.slice(0, 2) };
    await writeFile(path.join(dataDir, 'reference', 'catalog.json'), JSON.stringify(legacy), { mode: 0o600 });
    // A damaged file is reported and left alone; the built-in calendar serves.
    await writeFile(path.join(dataDir, 'reference', 'calendar.json'), '{ not json', { mode: 0o600 });

    const central = await startCentralProcess({ dataDir });
    try {
      const imported = await getReference(central, 'catalog');
      expect((imported.doc?.data as Array<{ code: string }>).map((p) => p.code)).toEqual(legacy.data.map((p) => p.code));
      expect(imported.doc?.publishedAt).toBe(legacy.publishedAt);
      expect((await getReference(central, 'calendar')).doc?.data).toEqual(builtInOfficialCalendars);
      // The imported file is renamed, so no one edits it expecting an effect; the damaged one stays as it was.
      expect((await readdir(path.join(dataDir, 'reference'))).sort()).toEqual(['calendar.json', 'catalog.json.imported']);

      // A restart finds it in the database (not in a file).
      await central.restart();
      expect((await getReference(central, 'catalog')).doc?.version).toBe(imported.doc?.version);

      // Replaced through the back office; a file put back by hand is not imported over the database's version.
      const put = await adminCall(central, 'PUT', pathFor('adminReference', { kind: 'catalog' }), bundledCatalog.slice(0, 3));
      expect(put.status).toBe(200);
      await writeFile(path.join(dataDir, 'reference', 'catalog.json'), JSON.stringify(legacy), { mode: 0o600 });
      await central.restart();
      const after = await getReference(central, 'catalog');
      expect(after.doc?.version).toBe((put.body as { version: string }).version);
      expect(after.doc?.data as unknown[]).toHaveLength(3);
      expect(central.output()).toContain('reference data file not imported: the database already has a published version');
    } finally {
      await central.stop();
    }
  });
});
