/**
 * The central as a separate process inside the link's network namespace, optionally with its data
 * directory on a small tmpfs (so the disk can be filled). Killable with SIGKILL and restartable on the same
 * address, port and data.
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, open, rm, statfs } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { centralPaths, healthSchema } from '../../../shared/sync/protocol';
import { getTestPki } from '../../support/pki';
import type { NetLink } from './netns';

const run = promisify(execFile);
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const listeningLine = /motcua-central listening on (http:\/\/\S+)/;

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

/** Processes and mounts still there if the test dies: killed (each by its own pid) and unmounted on exit. */
const liveChildren = new Set<ChildProcess>();
const liveMounts = new Set<string>();
process.once('exit', () => {
  for (const child of liveChildren) child.kill('SIGKILL');
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
  await mkdir(dataDir);
  if (opts.tmpfsMb !== undefined) {
    await run('mount', ['-t', 'tmpfs', '-o', `size=${opts.tmpfsMb}m,mode=0700`, 'tmpfs', dataDir]);
    liveMounts.add(dataDir);
  }
  const ballast = path.join(dataDir, 'ballast.bin');
  const trust = (await getTestPki()).rootCaPemPath;

  const adminToken = `mca_fault_${randomBytes(24).toString('base64url')}`;
  let port = 0;
  let url = '';
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let log = '';

  const launch = async (): Promise<void> => {
    const args = [
      ...link.exec,
      process.execPath,
      path.join(repoRoot, 'electron', 'cli', 'bin.mjs'),
      'central',
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
    ];
    // `ip netns exec` execs the program: the pid we hold is the central's own.
    const proc = spawn(args[0] ?? 'ip', args.slice(1), { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, MOTCUA_CENTRAL_ADMIN_TOKEN: adminToken } });
    child = proc;
    liveChildren.add(proc);
    exited = new Promise((resolve) =>
      proc.once('exit', () => {
        liveChildren.delete(proc);
        resolve();
      }),
    );
    let onUrl: (u: string) => void = () => undefined;
    const urlSeen = new Promise<string>((resolve) => (onUrl = resolve));
    const collect = (chunk: Buffer): void => {
      log = (log + chunk.toString('utf8')).slice(-200_000);
      const match = listeningLine.exec(log);
      if (match?.[1]) onUrl(match[1]);
    };
    proc.stdout?.on('data', collect);
    proc.stderr?.on('data', collect);
    const failed = new Promise<never>((_, reject) => {
      const timer = setTimeout(() => reject(new Error(`central did not start within 60 s:\n${log.slice(-4000)}`)), 60_000);
      void exited.then(() => {
        clearTimeout(timer);
        reject(new Error(`central exited (code ${proc.exitCode}, signal ${proc.signalCode}) before it was ready:\n${log.slice(-4000)}`));
      });
    });
    try {
      const seen = await Promise.race([urlSeen, failed]);
      url = seen;
      port = Number(new URL(seen).port);
      await Promise.race([waitForHealth(seen), failed]);
    } catch (err) {
      proc.kill('SIGKILL');
      await exited;
      throw err;
    }
    // Forget the startup line so the next launch's line is the one matched.
    log = log.replace(listeningLine, 'motcua-central was listening on $1');
  };

  const kill = async (signal: NodeJS.Signals = 'SIGKILL'): Promise<void> => {
    const proc = child;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    proc.kill(signal);
    await exited;
  };

  const handle: FaultCentral = {
    get url() {
      return url;
    },
    dataDir,
    adminToken,
    running: () => child !== undefined && child.exitCode === null && child.signalCode === null,
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
      const handle = await open(`${ballast}.rest`, 'w');
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
    output: () => log,
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

async function waitForHealth(url: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(new URL(centralPaths.health, url), { signal: AbortSignal.timeout(2_000) });
      if (res.ok && healthSchema.safeParse(await res.json()).success) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`central at ${url} not healthy within 60 s`);
}
