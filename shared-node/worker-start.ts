/**
 * How Node-side code starts a `worker_threads` worker that lives beside it, in both ways the code runs:
 * - bundled (electron-vite's main build, the CLI bundle, the tests' bundled central): the worker was built beside
 *   the bundle as `<bundledName>` with the bundle's own extension (.js or .mjs);
 * - from source under tsx (tests, development, `motcua` from a checkout): the worker is a .ts file, and tsx's
 *   loader is not carried into a worker (`execArgv: ['--import', 'tsx']` fails with "Unknown file extension
 *   .ts"), so a one-line bootstrap registers tsx's CommonJS require() hooks inside the worker, then requires it.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface WorkerStart {
  /** A file URL (bundled) or the bootstrap's source (`eval: true`). */
  readonly entry: string | URL;
  readonly eval: boolean;
}

/** `callerUrl` is the caller's `import.meta.url`; `source` is relative to it, `bundledName` has no extension. */
export function workerStartFor(callerUrl: string, worker: { readonly source: string; readonly bundledName: string }): WorkerStart {
  if (!callerUrl.endsWith('.ts')) {
    return { entry: new URL(`./${worker.bundledName}${path.extname(fileURLToPath(callerUrl))}`, callerUrl), eval: false };
  }
  const tsxCjsApi = createRequire(callerUrl).resolve('tsx/cjs/api');
  const file = fileURLToPath(new URL(worker.source, callerUrl));
  return { entry: `require(${JSON.stringify(tsxCjsApi)}).register(); require(${JSON.stringify(file)});`, eval: true };
}
