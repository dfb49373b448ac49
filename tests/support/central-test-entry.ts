/**
 * `motcua central` as the tests start it: the same command, with the fault-injection hooks turned on
 * (`--faults`, `--fault-control`, `MOTCUA_CENTRAL_FAULTS`, `MOTCUA_CENTRAL_FAULT_CONTROL`). The app's CLI never
 * passes `testHooks`, so a production central ignores those (issue 17, finding 10). Bundled once per test run
 * (test-run.ts); without the bundle, central-test-bin.mjs runs it through tsx.
 */
import { run as runCentralCommand } from '../../electron/cli/commands/central';

export function run(args: string[]): Promise<number> {
  return runCentralCommand(args, { testHooks: true });
}
