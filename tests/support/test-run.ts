/**
 * What one test run shares across its workers and spawned processes, prepared once by the runners' global
 * set-up (vitest, Playwright, the fault suite): a run folder; the PGlite template every new central database is
 * copied from (instead of PGlite's `initdb` in each spawned central); the central's command bundled once with
 * esbuild (a start through tsx resolves and transforms some hundred TypeScript files each time: 2.2–2.7 s against
 * 1.6–2.2 s bundled, docs/testing.md); and the central start-up times, written by each worker and summed up at
 * the end.
 *
 * Only environment variables cross into workers and spawned centrals: `MOTCUA_TEST_RUN_DIR`,
 * `MOTCUA_PGLITE_TEMPLATE` and `MOTCUA_TEST_CENTRAL_CLI`, set before the workers start.
 */
import { appendFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { ensurePgliteTemplate, pgliteTemplateEnv } from '../../central/src/pglite-template';

const runDirEnv = 'MOTCUA_TEST_RUN_DIR';
/** The bundled `motcua central` of this run (central-process.ts falls back to the CLI through tsx without it). */
export const centralCliEnv = 'MOTCUA_TEST_CENTRAL_CLI';
const startsFile = 'central-starts.jsonl';
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Bundles `tests/support/central-test-entry.ts` (the code `motcua central` runs, with the test hooks on) with
 * the repository's own code inlined and npm packages left to Node. It lives under node_modules/.cache so that those packages resolve as
 * they do for the CLI. Returns the small entry that runs it: the bundle itself is never the main module, so
 * central/src/main.ts's "run directly" check stays false inside it.
 */
async function bundleCentralCli(runId: string): Promise<{ entry: string; dir: string }> {
  const dir = path.join(repoRoot, 'node_modules', '.cache', 'motcua-test-runs', runId);
  await mkdir(dir, { recursive: true });
  const common = { bundle: true, platform: 'node', format: 'esm', target: 'node22', packages: 'external', sourcemap: 'linked', logLevel: 'warning' } as const;
  await Promise.all([
    build({ ...common, entryPoints: [path.join(repoRoot, 'tests', 'support', 'central-test-entry.ts')], outfile: path.join(dir, 'central.mjs') }),
    // The signature worker thread, found beside the bundle as `signature-worker.mjs` (central/src/signatures/pool.ts).
    build({ ...common, entryPoints: [path.join(repoRoot, 'central', 'src', 'signatures', 'worker.ts')], outfile: path.join(dir, 'signature-worker.mjs') }),
  ]);
  const entry = path.join(dir, 'motcua-central.mjs');
  await writeFile(entry, `import { run } from './central.mjs';\nprocess.exitCode = await run(process.argv.slice(2));\n`);
  return { entry, dir };
}

export interface CentralStart {
  readonly ms: number;
  /** Which test file or suite started it (for the slowest one's name). */
  readonly by: string;
}

/** Prepares the run folder and the PGlite template; returns the teardown that prints the start-up summary. */
export async function prepareTestRun(runner: string): Promise<() => Promise<void>> {
  const runDir = await mkdtemp(path.join(os.tmpdir(), 'motcua-test-run-'));
  const started = performance.now();
  const templatePath = path.join(runDir, 'pglite-template');
  const [, bundle] = await Promise.all([ensurePgliteTemplate(templatePath), bundleCentralCli(path.basename(runDir))]);
  console.log(`[${runner}] PGlite template and bundled central ready in ${((performance.now() - started) / 1000).toFixed(1)} s (${runDir})`);
  process.env[runDirEnv] = runDir;
  process.env[pgliteTemplateEnv] = templatePath;
  process.env[centralCliEnv] = bundle.entry;
  return async () => {
    console.log(`[${runner}] ${formatCentralStarts(await readCentralStarts(runDir))}`);
    await rm(runDir, { recursive: true, force: true });
    await rm(bundle.dir, { recursive: true, force: true });
  };
}

/** Called by the central helpers after each start that reached /health. */
export function recordCentralStart(start: CentralStart): void {
  const runDir = process.env[runDirEnv];
  if (!runDir) return;
  // One short line per append: concurrent workers' lines do not interleave.
  appendFileSync(path.join(runDir, startsFile), `${JSON.stringify(start)}\n`);
}

async function readCentralStarts(runDir: string): Promise<CentralStart[]> {
  const text = await readFile(path.join(runDir, startsFile), 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as CentralStart);
}

function formatCentralStarts(starts: readonly CentralStart[]): string {
  if (starts.length === 0) return 'central start-up: no central was started';
  const sorted = [...starts].sort((a, b) => a.ms - b.ms);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]?.ms ?? 0;
  const worst = sorted.at(-1);
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  return `central start-up: ${starts.length} starts, median ${s(at(0.5))}, p90 ${s(at(0.9))}, worst ${s(worst?.ms ?? 0)} (${worst?.by ?? '?'})`;
}
