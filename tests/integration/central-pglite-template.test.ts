// A new central database is copied from a template of a freshly initialised PGlite cluster instead of running
// PGlite's initdb each time (central/src/pglite-template.ts). The template is a cache: a damaged or unwritable
// one must cost time, never a start.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openPglite } from '../../central/src/db';
import { openPgliteWithTemplate } from '../../central/src/pglite-template';
import { openStore } from '../../central/src/store';
import { migrations } from '../../central/src/migrations';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'motcua-pglite-template-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('PGlite template', () => {
  it('makes the template on the first new database, copies it for the next, and opens an existing one as it is', async () => {
    const template = path.join(root, 'cache', 'pglite');
    const first = await openPgliteWithTemplate(path.join(root, 'a'), template);
    expect(first.origin).toBe('initdb');
    await first.db.exec(`CREATE TABLE only_in_a (x int)`);
    await first.db.close();

    const second = await openPgliteWithTemplate(path.join(root, 'b'), template);
    expect(second.origin).toBe('template');
    // A copy of the bare cluster, not of the first database: what was written there is not here.
    const tables = await second.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'only_in_a'`);
    expect(tables.rows).toEqual([{ n: 0 }]);
    await second.db.close();

    const again = await openPgliteWithTemplate(path.join(root, 'a'), template);
    expect(again.origin).toBe('existing');
    expect((await again.db.query(`SELECT * FROM only_in_a`)).rows).toEqual([]);
    await again.db.close();
  });

  it('a central store on a database from the template has every migration', async () => {
    const template = path.join(root, 'cache', 'pglite');
    const store = await openStore(await openPglite(path.join(root, 'store', 'db'), template));
    await store.close();
    const db = await openPglite(path.join(root, 'store', 'db'), template);
    try {
      const { rows } = await db.query<{ version: number }>(`SELECT version FROM schema_migrations ORDER BY version`);
      expect(rows.map((r) => r.version)).toEqual(migrations.map((m) => m.version));
    } finally {
      await db.close();
    }
  });

  it('a damaged template is set aside: the database is initialised instead, with a warning', async () => {
    const template = path.join(root, 'damaged');
    await mkdir(path.join(template, 'base'), { recursive: true });
    await writeFile(path.join(template, 'PG_VERSION'), 'not a cluster\n');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const opened = await openPgliteWithTemplate(path.join(root, 'c'), template);
      expect(opened.origin).toBe('initdb');
      expect((await opened.db.query<{ one: number }>(`SELECT 1 AS one`)).rows).toEqual([{ one: 1 }]);
      await opened.db.close();
      expect(warn.mock.calls.flat().join(' ')).toContain('could not be used');
    } finally {
      warn.mockRestore();
    }
  });

  it('a template that cannot be written still lets the database start', async () => {
    // A regular file where the cache folder should be: no one, root included, can create the template under it.
    const notAFolder = path.join(root, 'not-a-folder');
    await writeFile(notAFolder, '');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const opened = await openPgliteWithTemplate(path.join(root, 'd'), path.join(notAFolder, 'pglite'));
      expect(opened.origin).toBe('initdb');
      await opened.db.close();
      expect(warn.mock.calls.flat().join(' ')).toContain('could not make the database template');
    } finally {
      warn.mockRestore();
    }
  });
});
