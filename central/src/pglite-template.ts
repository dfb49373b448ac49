/**
 * A new embedded database copied from a template instead of made by `initdb`. PGlite's `initdb` takes 4–15 s on
 * a counter-class machine; copying a freshly initialised, cleanly closed data directory and opening it takes
 * under half a second. The first central on a machine that finds no template initialises one (the bare cluster,
 * no schema: migrations still run on top), keeps it, and copies it; every later new data directory — a second
 * central, a restored one, each test's — starts from the copy.
 *
 * The template is a cache, never a source of truth: a missing or unusable one means `initdb`, a failed write
 * only a slower next start. It is keyed by PGlite's version, so an upgrade never opens an older cluster.
 */
import { readFileSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';

/** Environment variable naming the template directory (tests point every central of a run at one). */
export const pgliteTemplateEnv = 'MOTCUA_PGLITE_TEMPLATE';

/** PGlite's version, from the package.json above its entry point (the package does not export that file). */
function pgliteVersion(): string {
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const packageJson = path.join(entry.slice(0, entry.lastIndexOf(`${path.sep}dist${path.sep}`)), 'package.json');
  const { version } = JSON.parse(readFileSync(packageJson, 'utf8')) as { version?: unknown };
  return typeof version === 'string' ? version : 'unknown';
}

/** `MOTCUA_PGLITE_TEMPLATE`, else `<user cache>/motcua/pglite-<version>`. */
export function defaultPgliteTemplatePath(env: NodeJS.ProcessEnv = process.env): string {
  const named = env[pgliteTemplateEnv];
  if (named) return path.resolve(named);
  const cacheRoot = env.XDG_CACHE_HOME || (process.platform === 'win32' ? (env.LOCALAPPDATA ?? os.tmpdir()) : path.join(os.homedir(), '.cache'));
  return path.join(cacheRoot, 'motcua', `pglite-${pgliteVersion()}`);
}

/** PGlite has initialised a directory that holds PG_VERSION; an empty or absent one is new. */
async function isInitialised(dataDir: string): Promise<boolean> {
  try {
    return (await readdir(dataDir)).includes('PG_VERSION');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

export interface OpenedPglite {
  readonly db: PGlite;
  /** How the cluster came to be: opened as it was, copied from the template, or initialised (template made). */
  readonly origin: 'existing' | 'template' | 'initdb';
}

/**
 * Opens `dataDir`, copying the template at `templatePath` into it when it is new (and making the template
 * first when there is none). Never fails because of the template: without a usable one, `initdb` runs in place.
 */
export async function openPgliteWithTemplate(dataDir: string, templatePath: string): Promise<OpenedPglite> {
  if (await isInitialised(dataDir)) return { db: await PGlite.create({ dataDir }), origin: 'existing' };
  const template = await ensurePgliteTemplate(templatePath).catch((err: unknown) => {
    console.warn(`motcua-central: could not make the database template ${templatePath}: ${err instanceof Error ? err.message : String(err)}`);
    return 'unusable' as const;
  });
  const origin = template === 'made' ? 'initdb' : 'template';
  if (template !== 'unusable') {
    try {
      await copyTree(templatePath, dataDir);
      return { db: await PGlite.create({ dataDir }), origin };
    } catch (err) {
      console.warn(`motcua-central: the database template ${templatePath} could not be used (${err instanceof Error ? err.message : String(err)}); initialising instead`);
      await rm(dataDir, { recursive: true, force: true });
      await mkdir(dataDir, { recursive: true });
    }
  }
  return { db: await PGlite.create({ dataDir }), origin: 'initdb' };
}

/**
 * Copies a directory tree, every directory's files at once. Node's `fs.cp` takes 0.6–1.2 s for the template's
 * ~1,000 files (a stat and checks per file); this takes 50–80 ms, close to `cp -a`.
 */
async function copyTree(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true });
  const entries = await readdir(from, { withFileTypes: true });
  await Promise.all(
    entries.map((entry) => (entry.isDirectory() ? copyTree(path.join(from, entry.name), path.join(to, entry.name)) : copyFile(path.join(from, entry.name), path.join(to, entry.name)))),
  );
}

/**
 * Makes the template unless it is there: a cluster initialised in a staging directory beside `templatePath`,
 * closed cleanly and renamed into place, so that a reader sees a whole template or none; two centrals racing
 * both succeed, one rename wins.
 */
export async function ensurePgliteTemplate(templatePath: string): Promise<'found' | 'made'> {
  if (await isInitialised(templatePath)) return 'found';
  const parent = path.dirname(templatePath);
  await mkdir(parent, { recursive: true });
  const staging = await mkdtemp(path.join(parent, `${path.basename(templatePath)}.staging-`));
  try {
    const db = await PGlite.create({ dataDir: staging });
    await db.close();
    await rename(staging, templatePath);
  } catch (err) {
    if (!(await isInitialised(templatePath))) throw err;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return 'made';
}
