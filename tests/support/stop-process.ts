/**
 * Stops a child process the tests started: `signal`, then the exit awaited — but for SIGTERM at most `graceMs`,
 * after which it is killed (SIGKILL) with a warning naming it. A process that ignores SIGTERM (a request it waits
 * for that never ends) then costs a test seconds instead of minutes, and the log says which one it was.
 */
import type { ChildProcess } from 'node:child_process';

export async function stopProcess(child: ChildProcess, name: string, signal: NodeJS.Signals = 'SIGTERM', graceMs = 15_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  if (signal === 'SIGKILL') return exited;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), graceMs)));
  try {
    if ((await Promise.race([exited.then(() => 'exited' as const), late])) === 'late') {
      console.warn(`${name} (pid ${child.pid}) did not exit within ${graceMs / 1000} s of ${signal}: killed with SIGKILL`);
      child.kill('SIGKILL');
      await exited;
    }
  } finally {
    clearTimeout(timer);
  }
}
