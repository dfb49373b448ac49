/**
 * The counter side of the fault suite: Debian's Chromium with a persistent profile (so IndexedDB outlives
 * a kill), on the counter page (tests/fault/counter-page), which runs the app's Dexie queue and sync engine.
 *
 * Counter-side setup lives here and in counter-page/main.ts ONLY: launch, seed dossiers, start sync, kill,
 * relaunch. Device enrollment (a credential for the engine) or a worker-hosted engine plug in here.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium, type BrowserContext, type Page } from '@playwright/test';
import type { EngineSettings, OutboxView, SeedSpec } from '../counter-page/main';

const run = promisify(execFile);
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const counterPageDir = path.join(repoRoot, 'tests', 'fault', 'counter-page');
export const counterPageDist = path.join(counterPageDir, 'dist');

export type { EngineSettings, OutboxView, SeedSpec };

/** Builds the counter page with vite (once per run). */
export async function buildCounterPage(): Promise<void> {
  await run(process.execPath, [path.join(repoRoot, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', path.join(counterPageDir, 'vite.config.ts')], {
    cwd: repoRoot,
    maxBuffer: 16 * 1024 * 1024,
  });
}

export interface FaultCounterBrowser {
  /** Accepts dossiers; resolves with the ids stored (throws if the counter dies meanwhile). */
  seed(specs: readonly SeedSpec[]): Promise<string[]>;
  outbox(): Promise<OutboxView[]>;
  dossierIds(): Promise<string[]>;
  syncLog(dossierId: string): Promise<string[]>;
  /** SIGKILL to the browser and every process of its profile, each by pid. */
  kill(): Promise<void>;
  /** Launches Chromium again on the same profile and resumes syncing. */
  relaunch(): Promise<void>;
  alive(): boolean;
  close(): Promise<void>;
}

export interface FaultCounterOptions {
  /** The gateway's URL: the page and the central's API come from there. */
  readonly origin: string;
  readonly engine: EngineSettings;
}

/** Pids of the processes started with this profile directory; the browser itself is the one without `--type=`. */
async function profileProcesses(userDataDir: string): Promise<{ pid: number; main: boolean }[]> {
  const found: { pid: number; main: boolean }[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    const args = cmdline.split('\0');
    if (!args.some((a) => a === `--user-data-dir=${userDataDir}`)) continue;
    found.push({ pid: Number(entry), main: !args.some((a) => a.startsWith('--type=')) });
  }
  return found;
}

export async function startFaultCounter(opts: FaultCounterOptions): Promise<FaultCounterBrowser> {
  const userDataDir = await mkdtemp(path.join(os.tmpdir(), 'motcua-fault-counter-'));
  let context: BrowserContext | undefined;
  let page: Page | undefined;
  let isAlive = false;

  const launch = async (): Promise<void> => {
    await killLeftovers();
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-sync', '--disable-component-update', '--no-first-run', '--disable-quic'],
    });
    isAlive = true;
    context.on('close', () => {
      isAlive = false;
    });
    page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`${opts.origin}/counter/index.html`);
    await page.waitForFunction(() => document.title === 'ready');
    await page.evaluate((settings) => window.faultCounter.startSync(settings), opts.engine);
  };

  const current = (): Page => {
    if (!page || !isAlive) throw new Error('the counter is not running');
    return page;
  };

  const sigkill = (pid: number): void => {
    try {
      process.kill(pid, 'SIGKILL');
    } catch (err) {
      // Gone between reading /proc and the signal: that is what we wanted.
      if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
    }
  };

  /**
   * Until no process of this profile is left. A survivor would still hold the profile's IndexedDB while
   * the next launch opens it: two browsers on one profile is not a power cut. (A half-done kill was suspected
   * for a counter database found reset in a 1,000-fault run; the reset recurred without one — docs/fault-injection.md.)
   */
  const killLeftovers = async (): Promise<void> => {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const left = await profileProcesses(userDataDir);
      if (left.length === 0) return;
      if (Date.now() > deadline) throw new Error(`processes of the counter profile survive SIGKILL: ${left.map((p) => p.pid).join(', ')}`);
      for (const p of left) sigkill(p.pid);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  const kill = async (): Promise<void> => {
    const processes = await profileProcesses(userDataDir);
    // The browser first (its death is the power cut), then any child that outlived it.
    for (const p of processes.filter((x) => x.main)) sigkill(p.pid);
    for (const p of processes.filter((x) => !x.main)) sigkill(p.pid);
    isAlive = false;
    const ctx = context;
    context = undefined;
    page = undefined;
    // Playwright notices the pipe closing; do not wait forever for its bookkeeping.
    if (ctx) await Promise.race([ctx.close().catch(() => undefined), new Promise((r) => setTimeout(r, 5_000))]);
  };

  await launch();
  return {
    seed: (specs) => current().evaluate((s) => window.faultCounter.seed(s), specs),
    outbox: () => current().evaluate(() => window.faultCounter.outbox()),
    dossierIds: () => current().evaluate(() => window.faultCounter.dossierIds()),
    syncLog: (id) => current().evaluate((d) => window.faultCounter.syncLog(d), id),
    kill,
    async relaunch() {
      if (isAlive) await kill();
      await launch();
    },
    alive: () => isAlive,
    async close() {
      await context?.close().catch(() => undefined);
      isAlive = false;
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}
