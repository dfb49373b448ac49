/**
 * What main's dossier spool adds to each acceptance: the copy of a dossier written and flushed outside
 * IndexedDB (electron/services/dossier-spool.ts) before the database transaction, then the commit mark.
 *
 *   spool   — spool:prepare + spool:commit through the IPC contract (schema checks of the payload, then the
 *             spool writes every file with fsync, renames the folder in place and flushes the parent);
 *   anchor  — the same bytes written to new files, one fsync each, nothing else (the floor any durable copy
 *             pays on this disk);
 *   wire    — the web host's JSON/base64 encoding of the same payload (Electron's IPC clones bytes instead;
 *             timed apart so it is not mistaken for the spool's own cost).
 *
 * Run: npm run bench:spool -- [--dossiers 20] [--mb 5]
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { spoolHandlers } from '../electron/services/counter-host';
import { openDossierSpool } from '../electron/services/dossier-spool';
import { spooledDossierSchema, spooledFileMetaSchema, type IpcHandlers, type SpoolEntry } from '../shared/ipc/contract';
import { dispatchIpc } from '../shared/ipc/dispatch';
import { encodeWire } from '../shared/ipc/wire';
import { testDossierWithFiles } from '../tests/support/counter-dossier';

function numberOption(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
}

const dossiers = Math.round(numberOption('dossiers', 20));
const megabytes = numberOption('mb', 5);
const quantile = (sorted: number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
const ms = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e6;

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'motcua-spool-bench-'));
  try {
    const handlers = spoolHandlers(openDossierSpool(path.join(dir, 'host'))) as unknown as IpcHandlers;
    const call = async (channel: string, payload: unknown): Promise<void> => {
      const result = await dispatchIpc(handlers, channel, payload, () => undefined);
      if (!result.ok) throw new Error(`${channel}: ${result.error.code}`);
    };
    const total = Math.round(megabytes * 1024 * 1024);
    const timings = { spool: [] as number[], anchor: [] as number[], wire: [] as number[], release: [] as number[] };
    for (let n = 1; n <= dossiers; n++) {
      // A signed application form and a larger scanned component (incompressible, like JPEG inside PDF).
      const { dossier, files } = testDossierWithFiles(n, [randomBytes(Math.round(total * 0.1)), randomBytes(total - Math.round(total * 0.1))].map((b) => new Uint8Array(b)));
      const entry: SpoolEntry = { dossier: spooledDossierSchema.parse(dossier), files: files.map((f) => ({ meta: spooledFileMetaSchema.parse(f.meta), bytes: f.bytes })) };

      let start = process.hrtime.bigint();
      const anchorDir = path.join(dir, 'anchor', String(n));
      await mkdir(anchorDir, { recursive: true });
      for (const [i, f] of files.entries()) {
        const handle = await open(path.join(anchorDir, `${i}.pdf`), 'w');
        await handle.writeFile(f.bytes);
        await handle.sync();
        await handle.close();
      }
      timings.anchor.push(ms(start));

      start = process.hrtime.bigint();
      await call('spool:prepare', entry);
      await call('spool:commit', { dossierIds: [dossier.id] });
      timings.spool.push(ms(start));

      start = process.hrtime.bigint();
      encodeWire(entry);
      timings.wire.push(ms(start));

      start = process.hrtime.bigint();
      await call('spool:release', { dossierIds: [dossier.id] });
      timings.release.push(ms(start));
    }
    const summary = Object.fromEntries(
      Object.entries(timings).map(([name, values]) => {
        const sorted = [...values].sort((a, b) => a - b);
        return [name, { median: quantile(sorted, 0.5), p95: quantile(sorted, 0.95) }];
      }),
    ) as Record<keyof typeof timings, { median: number; p95: number }>;
    const mb = total / (1024 * 1024);
    console.log(`dossier spool — ${dossiers} dossiers of ${mb.toFixed(1)} MB (2 files), load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    console.log(`  anchor (write + fsync per file)        median ${summary.anchor.median.toFixed(1)} ms, p95 ${summary.anchor.p95.toFixed(1)} ms (${(mb / (summary.anchor.median / 1000)).toFixed(0)} MB/s)`);
    console.log(
      `  spool:prepare + spool:commit          median ${summary.spool.median.toFixed(1)} ms, p95 ${summary.spool.p95.toFixed(1)} ms (${(mb / (summary.spool.median / 1000)).toFixed(0)} MB/s) — ${(summary.spool.median / summary.anchor.median).toFixed(2)}× the anchor`,
    );
    console.log(`  web host's wire encoding (not in Electron) median ${summary.wire.median.toFixed(1)} ms`);
    console.log(`  spool:release                         median ${summary.release.median.toFixed(1)} ms`);
    await mkdir(path.join('bench', 'results'), { recursive: true });
    await writeFile(path.join('bench', 'results', `spool-${Date.now()}.json`), JSON.stringify({ dossiers, megabytes, load: loadavg(), summary }, null, 2));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
