/** Global set-up for vitest (unit + integration, and the fault suite) and Playwright: see test-run.ts. */
import { prepareTestRun } from './test-run';

export default function setup(): Promise<() => Promise<void>> {
  return prepareTestRun(process.env.MOTCUA_TEST_RUNNER ?? (process.env.VITEST ? 'vitest' : 'playwright'));
}
