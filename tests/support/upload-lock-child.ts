/**
 * One process taking tus upload locks through PgUploadLocker, as one central would, driven by a test over
 * stdin/stdout in JSON lines (tests/integration/pg-upload-lock.test.ts runs two of these side by side).
 *
 * argv: <postgres url> <application name> <acquire timeout ms>
 * in:   {"op":"lock","id":"…","onRelease":"unlock"|"ignore"}  ("unlock": let go 100 ms after being asked, as tus
 *       does after draining a cancelled PATCH) | {"op":"unlock","id":"…"}
 * out:  {"event":"ready"} | {"event":"locked","id"} | {"event":"lock-failed","id","error"} |
 *       {"event":"release-requested","id"} | {"event":"unlocked","id"} | {"event":"unlock-failed","id","error"}
 */
import { createInterface } from 'node:readline';
import type { Lock } from '@tus/server';
import { PgUploadLocker } from '../../central/src/cluster/pg-upload-lock';

const [url, applicationName, timeoutText] = process.argv.slice(2);
if (!url || !applicationName) throw new Error('usage: upload-lock-child <postgres url> <application name> [acquire timeout ms]');

const say = (message: Record<string, unknown>): void => {
  process.stdout.write(`${JSON.stringify(message)}\n`);
};
const locker = new PgUploadLocker(url, {
  applicationName,
  acquireTimeoutMs: Number(timeoutText ?? 10_000),
  // Short, so a test that cuts the session sees the heartbeat too; the error event usually comes first.
  heartbeatMs: 1_000,
  log: { warn: (obj, msg) => process.stderr.write(`${msg} ${JSON.stringify(obj)}\n`), info: () => undefined },
});
const held = new Map<string, Lock>();

async function unlock(id: string): Promise<void> {
  const lock = held.get(id);
  if (!lock) return;
  held.delete(id);
  try {
    await lock.unlock();
    say({ event: 'unlocked', id });
  } catch (err) {
    say({ event: 'unlock-failed', id, error: String(err) });
  }
}

async function lock(id: string, onRelease: 'unlock' | 'ignore'): Promise<void> {
  const lock = locker.newLock(id);
  try {
    await lock.lock(new AbortController().signal, () => {
      say({ event: 'release-requested', id });
      if (onRelease === 'unlock') setTimeout(() => void unlock(id), 100);
    });
    held.set(id, lock);
    say({ event: 'locked', id });
  } catch (err) {
    say({ event: 'lock-failed', id, error: err instanceof Error ? err.message : JSON.stringify(err) });
  }
}

// Open the lock session before saying ready, so the test's timings start from a connected process.
await locker.openSession();
say({ event: 'ready' });
for await (const line of createInterface({ input: process.stdin })) {
  const command = JSON.parse(line) as { op: 'lock' | 'unlock'; id: string; onRelease?: 'unlock' | 'ignore' };
  if (command.op === 'lock') void lock(command.id, command.onRelease ?? 'ignore');
  else void unlock(command.id);
}
await locker.close();
