/**
 * What one test run shares across its workers and spawned processes, prepared once by the runners' global
 * set-up (vitest, Playwright, the fault suite): a run folder, the PGlite template every new central database is
 * loaded from (instead of PGlite's `initdb` in each spawned central), and the central start-up times, written by
 * each worker and summed up at the end.
 *
 * Only environment variables cross into workers and spawned centrals: `MOTCUA_TEST_RUN_DIR` and
 * `MOTCUA_PGLITE_TEMPLATE`, set before the workers start.
 */
import { appendFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ensurePgliteTemplate, pgliteTemplateEnv } from '../../central/src/pglite-template';

const runDirEnv = 'MOTCUA_TEST_RUN_DIR';
const startsFile = 'central-starts.jsonl';

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
  await ensurePgliteTemplate(templatePath);
  console.log(`[${runner}] PGlite template ready in ${((performance.now() - started) / 1000).toFixed(1)} s: ${templatePath}`);
  process.env[runDirEnv] = runDir;
  process.env[pgliteTemplateEnv] = templatePath;
  return async () => {
    console.log(`[${runner}] ${formatCentralStarts(await readCentralStarts(runDir))}`);
    await rm(runDir, { recursive: true, force: true });
  };
}

/** Called by the central helpers after each start that reached /health. */
export function recordCentralStart(start: CentralStart): void {
  const runDir = process.env[runDirEnv];
  if (!runDir) return;
  // One short line per append: concurrent workers' lines do not interleave.
  appendFileSync(path.join(runDir, startsFile), `${JSON.stringify(start)}\n`);
}

export async function readCentralStarts(runDir: string): Promise<CentralStart[]> {
  const text = await readFile(path.join(runDir, startsFile), 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as CentralStart);
}

export function formatCentralStarts(starts: readonly CentralStart[]): string {
  if (starts.length === 0) return 'central start-up: no central was started';
  const sorted = [...starts].sort((a, b) => a.ms - b.ms);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]?.ms ?? 0;
  const worst = sorted.at(-1);
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  return `central start-up: ${starts.length} starts, median ${s(at(0.5))}, p90 ${s(at(0.9))}, worst ${s(worst?.ms ?? 0)} (${worst?.by ?? '?'})`;
}
