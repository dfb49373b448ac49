/**
 * `npm run bench:central-start`: how long the reference central takes from spawn to a healthy /health on a new
 * data directory — what every integration and end-to-end test pays, and an installer's first start — in the
 * ways it can start:
 *
 *   initdb      the CLI through tsx, PGlite initialising the cluster (no usable template; the old way)
 *   template    the CLI through tsx, the cluster copied from the PGlite template (central/src/pglite-template.ts)
 *   bundled     the run's esbuild bundle of `motcua central` with the template (what the tests use)
 *
 * Anchor, measured in the same run: a bare `node -e 0` spawned and awaited. Each way runs once untimed, then
 * `--reps` times (default 5), alternating, so that a load change hits all of them alike.
 */
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { pgliteTemplateEnv } from '../central/src/pglite-template';
import { startCentralProcess } from '../tests/support/central-process';
import { centralCliEnv, prepareTestRun } from '../tests/support/test-run';

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const repsArg = process.argv.indexOf('--reps');
const reps = repsArg > 0 ? Number(process.argv[repsArg + 1]) : 5;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

async function timeCentralStart(): Promise<number> {
  const started = performance.now();
  const central = await startCentralProcess({ enroll: false });
  const ms = performance.now() - started;
  await central.stop();
  return ms;
}

async function main(): Promise<void> {
  const finish = await prepareTestRun('bench');
  const template = process.env[pgliteTemplateEnv] ?? '';
  const bundle = process.env[centralCliEnv] ?? '';
  // A regular file where the template's folder would be: PGlite must initialise every time (and says so once).
  const noTemplate = path.join(path.dirname(template), 'not-a-folder', 'pglite');
  await writeFile(path.dirname(noTemplate), '');

  const ways: Record<string, () => Promise<number>> = {
    'anchor: node -e 0': async () => {
      const started = performance.now();
      await run(process.execPath, ['-e', '0']);
      return performance.now() - started;
    },
    initdb: () => withEnv({ [pgliteTemplateEnv]: noTemplate, [centralCliEnv]: '' }, timeCentralStart),
    template: () => withEnv({ [pgliteTemplateEnv]: template, [centralCliEnv]: '' }, timeCentralStart),
    bundled: () => withEnv({ [pgliteTemplateEnv]: template, [centralCliEnv]: bundle }, timeCentralStart),
  };
  const samples = new Map<string, number[]>(Object.keys(ways).map((name) => [name, []]));
  const silenced = console.warn;
  console.warn = () => undefined; // the "could not make the template" warning of every initdb start
  try {
    for (let rep = -1; rep < reps; rep++) {
      for (const [name, way] of Object.entries(ways)) {
        const ms = await way();
        if (rep >= 0) samples.get(name)?.push(ms);
      }
    }
  } finally {
    console.warn = silenced;
  }
  await finish();

  const anchor = median(samples.get('anchor: node -e 0') ?? []);
  console.log(`\ncentral start on a new data directory, spawn → healthy /health (${reps} reps, ${cpus().length} cores, load ${loadavg()[0]?.toFixed(2)}, Node ${process.version})`);
  console.log('way'.padEnd(20), 'median ms'.padStart(10), 'min'.padStart(8), 'max'.padStart(8), '× anchor'.padStart(9));
  const rows = [...samples].map(([name, xs]) => ({ name, median: median(xs), min: Math.min(...xs), max: Math.max(...xs), ratio: median(xs) / anchor }));
  for (const r of rows) console.log(r.name.padEnd(20), r.median.toFixed(0).padStart(10), r.min.toFixed(0).padStart(8), r.max.toFixed(0).padStart(8), r.ratio.toFixed(1).padStart(9));
  await mkdir(path.join(here, 'results'), { recursive: true });
  await writeFile(path.join(here, 'results', `central-start-${Date.now()}.json`), JSON.stringify({ reps, node: process.version, load: loadavg(), rows }, null, 2));
}

async function withEnv<T>(env: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

await main();
