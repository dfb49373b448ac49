/**
 * How the app's own executable was started: as the counter app, or as the `motcua` CLI (`<app>.exe --cli …`),
 * which ships inside the packaged app as built JavaScript (out/cli/motcua.js, electron/cli/build-cli.mjs) and runs
 * in main without a window — ELECTRON_RUN_AS_NODE stays off (the runAsNode fuse). Pure, tested in Node.
 *
 * `--cli` may come after switches Chromium or a shortcut added (`electron . --cli …` in development puts the app
 * folder first); everything after it is the CLI's. A `--` right after `--cli` is dropped: `motcua.cmd` passes
 * `--cli -- %*` so that Chromium stops reading switches there and leaves the CLI's own `--options` alone.
 */
export type LaunchMode = { readonly kind: 'app' } | { readonly kind: 'cli'; readonly args: readonly string[] };

const cliSwitch = '--cli';

export function launchModeFrom(argv: readonly string[]): LaunchMode {
  // argv[0] is the executable itself and never a switch.
  const at = argv.indexOf(cliSwitch, 1);
  if (at < 0) return { kind: 'app' };
  const rest = argv.slice(at + 1);
  return { kind: 'cli', args: rest[0] === '--' ? rest.slice(1) : rest };
}
