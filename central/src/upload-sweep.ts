/**
 * Expires tus uploads that were never committed: a counter that died, was replaced or gave up leaves its
 * partial (or complete but uncommitted) uploads under `<dataDir>/uploads/`. An upload is stale once nothing
 * has been written to it for `maxAgeMs` (the last PATCH, not its creation: a counter offline for days that
 * then resumes keeps its upload). @tus/file-store's own expiry counts from creation and skips complete
 * uploads, so it would cut a slow resume short and keep every abandoned complete file.
 *
 * An upload whose dossier the central holds with that very file (dossier id + SHA-256 from the upload's
 * metadata) is never touched: normally the commit removed it already, and one still here means the commit
 * stored the dossier and then could not remove it. A counter whose upload was expired gets 404 on resume or
 * 422 CENTRAL_UPLOAD_INCOMPLETE on commit, and uploads the file again — as does the rare commit that reads an
 * upload idle for the whole age at the moment the sweep removes it.
 *
 * This file sweeps the data directory; uploads kept in S3 are swept by `S3UploadStorage.sweep` with the same
 * rule (storage/s3-upload-storage.ts).
 */
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ExclusiveOutcome } from './cluster/elect';
import { uploadIdPattern } from './uploads';

export const DEFAULT_UPLOAD_MAX_AGE_MS = 7 * 24 * 3600_000;

export interface UploadSweepOptions {
  readonly uploadsDir: string;
  /** Uploads with no write for longer than this are removed. */
  readonly maxAgeMs: number;
  /** True when the central holds dossier `dossierId` with a file of this SHA-256. */
  readonly isCommitted: (dossierId: string, sha256: string) => Promise<boolean>;
  readonly now?: Date;
}

export interface UploadSweepReport {
  /** Upload ids removed. */
  readonly removed: string[];
  /** Stale by age but part of a committed dossier: left alone. */
  readonly keptCommitted: string[];
  /** Uploads still in use (written to within the age limit). */
  readonly active: number;
}

/** `<id>` holds the bytes, `<id>.json` the length and metadata (@tus/file-store's layout). */
async function lastWriteMs(files: readonly string[]): Promise<number | undefined> {
  let latest: number | undefined;
  for (const file of files) {
    const info = await stat(file).catch(() => undefined);
    if (info) latest = Math.max(latest ?? 0, info.mtimeMs);
  }
  return latest;
}

async function metadataOf(infoFile: string): Promise<{ dossierId?: string; sha256?: string }> {
  try {
    const info = JSON.parse(await readFile(infoFile, 'utf8')) as { metadata?: Record<string, unknown> };
    const { dossierId, sha256 } = info.metadata ?? {};
    return { ...(typeof dossierId === 'string' ? { dossierId } : {}), ...(typeof sha256 === 'string' ? { sha256 } : {}) };
  } catch {
    // A missing or torn info file (crash during creation): no dossier can refer to it.
    return {};
  }
}

export async function sweepStaleUploads(opts: UploadSweepOptions): Promise<UploadSweepReport> {
  const now = (opts.now ?? new Date()).getTime();
  const entries = await readdir(opts.uploadsDir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [] as string[];
    throw err;
  });
  const ids = [...new Set(entries.map((name) => name.replace(/\.json$/, '')))].filter((id) => uploadIdPattern.test(id));
  const report: UploadSweepReport = { removed: [], keptCommitted: [], active: 0 };
  for (const id of ids) {
    const dataFile = path.join(opts.uploadsDir, id);
    const infoFile = `${dataFile}.json`;
    const last = await lastWriteMs([dataFile, infoFile]);
    if (last === undefined) continue; // removed meanwhile (a commit)
    if (now - last < opts.maxAgeMs) {
      (report as { active: number }).active++;
      continue;
    }
    const { dossierId, sha256 } = await metadataOf(infoFile);
    if (dossierId && sha256 && (await opts.isCommitted(dossierId, sha256))) {
      report.keptCommitted.push(id);
      continue;
    }
    // Bytes first: an info file without bytes reads as a gone upload to @tus/file-store as well.
    await rm(dataFile, { force: true });
    await rm(infoFile, { force: true });
    report.removed.push(id);
  }
  return report;
}

/** Runs a sweep round here, or on one instance of a cluster (cluster/elect.ts `runExclusive`). */
export type SweepElection = (sweep: () => Promise<UploadSweepReport>) => Promise<ExclusiveOutcome<UploadSweepReport>>;

/**
 * Sweeps now and then every `intervalMs`; `stop()` waits for a sweep under way. With `elect`, a round another
 * instance is sweeping already (shared uploads) is skipped.
 */
export function scheduleUploadSweep(opts: {
  /** One sweep of the configured upload storage (disk or S3: `UploadStorage.sweep`). */
  readonly sweep: (now: Date) => Promise<UploadSweepReport>;
  readonly maxAgeMs: number;
  readonly intervalMs: number;
  readonly log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void; debug(obj: object, msg: string): void };
  readonly elect?: SweepElection;
}): { stop(): Promise<void> } {
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const sweep = (): void => {
    if (stopped) return;
    running = running.then(async () => {
      if (stopped) return;
      try {
        const round = (): Promise<UploadSweepReport> => opts.sweep(new Date());
        const outcome = opts.elect ? await opts.elect(round) : { ran: true as const, value: await round() };
        if (!outcome.ran) {
          opts.log.debug({}, 'upload sweep skipped: another instance is sweeping');
          return;
        }
        const report = outcome.value;
        if (report.removed.length || report.keptCommitted.length) {
          opts.log.info(
            { removed: report.removed, keptCommitted: report.keptCommitted, active: report.active, maxAgeMs: opts.maxAgeMs },
            'expired uncommitted uploads',
          );
        }
      } catch (err) {
        opts.log.warn({ err }, 'upload sweep failed');
      }
    });
  };
  sweep();
  const timer = setInterval(sweep, opts.intervalMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}

/** Often enough that an upload is gone soon after it expires, at most hourly, at least every second. */
export function sweepIntervalFor(maxAgeMs: number): number {
  return Math.min(3600_000, Math.max(1_000, Math.floor(maxAgeMs / 2)));
}
