/**
 * The central as a separate process inside the link's network namespace, optionally with its data
 * directory on a small tmpfs (so the disk can be filled). Killable with SIGKILL and restartable on the same
 * address, port and data.
 */
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, open, rm, statfs } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { centralCommandLine, centralRunner } from '../../support/central-process';
import { getTestPki } from '../../support/pki';
import type { NetLink } from './netns';

const run = promisify(execFile);

export interface FaultCentral {
  /** Base URL as the counter side reaches it (through the veth pair). */
  readonly url: string;
  /** The back office's token (enrollment codes for the counter). */
  readonly adminToken: string;
  readonly dataDir: string;
  /** True while the process runs. */
  running(): boolean;
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again (same port and data); the link must be up so the health check gets through. */
  restart(): Promise<void>;
  /** Fills the tmpfs until writes fail with ENOSPC (only with `tmpfsMb`). */
  fillDisk(): Promise<void>;
  freeDisk(): Promise<void>;
  output(): string;
  /** SIGTERM, unmount, remove the data directory. */
  stop(): Promise<void>;
}

export interface FaultCentralOptions {
  readonly link: NetLink;
  /** Size of a tmpfs mounted at the data directory; undefined = plain temp directory. */
  readonly tmpfsMb?: number;
  readonly maxUploadMb?: number;
}

/** Mounts still there if the test dies: unmounted on exit (the runner kills its own processes). */
const liveMounts = new Set<string>();
process.once('exit', () => {
  for (const mount of liveMounts) {
    try {
      execFileSync('umount', ['-l', mount], { stdio: 'ignore' });
    } catch {
      // already unmounted
    }
  }
});

export async function startFaultCentral(opts: FaultCentralOptions): Promise<FaultCentral> {
  const { link } = opts;
  const root = await mkdtemp(path.join(os.tmpdir(), 'motcua-fault-central-'));
  const dataDir = path.join(root, 'data');
  // Owner-only: `motcua central` refuses a data directory others can read (issue 17).
  await mkdir(dataDir, { mode: 0o700 });
  if (opts.tmpfsMb !== undefined) {
    await run('mount', ['-t', 'tmpfs', '-o', `size=${opts.tmpfsMb}m,mode=0700`, 'tmpfs', dataDir]);
    liveMounts.add(dataDir);
  }
  const ballast = path.join(dataDir, 'ballast.bin');
  const trust = (await getTestPki()).rootCaPemPath;

  const adminToken = `mca_fault_${randomBytes(24).toString('base64url')}`;
  const runner = centralRunner({
    command: (port) => [
      ...link.exec,
      process.execPath,
      ...centralCommandLine(),
      '--host',
      link.centralAddress,
      '--port',
      String(port),
      '--data',
      dataDir,
      '--trust',
      trust,
      '--fault-control',
      '--log-level',
      'warn',
      ...(opts.maxUploadMb ? ['--max-upload-mb', String(opts.maxUploadMb)] : []),
    ],
    env: () => ({ MOTCUA_CENTRAL_ADMIN_TOKEN: adminToken }),
  });
  const { launch, kill } = runner;

  const handle: FaultCentral = {
    get url() {
      return runner.url;
    },
    dataDir,
    adminToken,
    running: () => runner.running(),
    kill,
    async restart() {
      await kill('SIGKILL');
      await launch();
    },
    async fillDisk() {
      if (opts.tmpfsMb === undefined) throw new Error('fillDisk needs a tmpfs data directory');
      const { bavail, bsize } = await statfs(dataDir);
      // Everything that is left, in one file; later writes by the central fail with ENOSPC.
      const free = Number(bavail) * Number(bsize);
      // fallocate reserves the pages without writing them: quick, and no buffer of the disk's size. tmpfs
      // keeps a little for itself, so step down until it fits, then top up byte-wise until ENOSPC.
      for (let slack = 0; slack <= 64; slack += 4) {
        const size = Math.max(0, free - slack * 1024 * 1024);
        if (await run('fallocate', ['-l', String(size), ballast]).then(() => true, () => false)) break;
      }
      // In the data directory while the central may restart: owner-only, or it would refuse to start.
      await chmod(ballast, 0o600).catch(() => undefined);
      const handle = await open(`${ballast}.rest`, 'w', 0o600);
      try {
        const block = Buffer.alloc(64 * 1024);
        for (;;) await handle.write(block);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
      } finally {
        await handle.close();
      }
    },
    async freeDisk() {
      await rm(ballast, { force: true });
      await rm(`${ballast}.rest`, { force: true });
    },
    output: () => runner.output(),
    async stop() {
      await kill('SIGTERM');
      if (opts.tmpfsMb !== undefined) await run('umount', ['-l', dataDir]).catch(() => undefined);
      liveMounts.delete(dataDir);
      await rm(root, { recursive: true, force: true });
    },
  };

  try {
    await launch();
  } catch (err) {
    if (opts.tmpfsMb !== undefined) await run('umount', ['-l', dataDir]).catch(() => undefined);
    await rm(root, { recursive: true, force: true });
    throw err;
  }
  return handle;
}
