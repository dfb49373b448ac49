/**
 * The sync engine over a slow link: the counter (real queue + engine in Chromium) sends a backlog of
 * dossiers to the central through a veth pair shaped with `tc … tbf` to 2 Mbit/s (a weak 3G/4G uplink).
 *
 *   1. backlog: goodput (file bytes acknowledged per second) divided by the link rate — goal ≥ 0.9;
 *   2. one dossier sent without a drop (the baseline), one with the link cut mid-upload for a few seconds,
 *      one with the link cut and the open connections broken: bytes re-sent — goal ≤ one upload chunk.
 *
 * Run (root): npm run bench:sync-link -- [--dossiers 6] [--dossier-mb 5] [--rate-kbit 2000] [--chunk-kb 1024] [--drop-s 5]
 * The full size is --dossiers 200 (≈ 70 minutes at 2 Mbit/s). Results: bench/results/sync-link.json.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFaultCentral } from '../tests/fault/harness/central';
import { buildCounterPage, counterPageDist, startFaultCounter, type EngineSettings, type FaultCounterBrowser, type OutboxView } from '../tests/fault/harness/counter';
import { makeFixtureDossier, type FixtureDossier } from '../tests/fault/harness/fixtures';
import { startGateway, type Gateway } from '../tests/fault/harness/gateway';
import { createNetLink, netnsUnavailableReason, type NetLink } from '../tests/fault/harness/netns';
import { createRng } from '../tests/fault/harness/rng';
import { enrollTestDevice } from '../tests/support/central-process';

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
}

const dossierCount = option('dossiers', 6);
const dossierMb = option('dossier-mb', 5);
const rateKbit = option('rate-kbit', 2000);
const chunkKb = option('chunk-kb', 1024);
const dropS = option('drop-s', 5);

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Set by SIGINT/SIGTERM: the waits throw, so `finally` still removes the namespace, the central and Chromium. */
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => (interrupted = true));

/** Rows the central refused for good, or refused the device itself: waiting longer would only measure the retries. */
function refusals(rows: readonly OutboxView[]): string[] {
  return rows.filter((r) => r.state === 'failed' || r.lastError?.startsWith('DEVICE_')).map((r) => `${r.dossierId} ${r.state} ${r.lastError ?? ''}`);
}

/** Polls once a second (one read of the outbox); resolves with the counter-clock time of the last acknowledgement. */
async function waitAcknowledged(counter: FaultCounterBrowser, ids: readonly string[], limitMs: number, onPoll?: (rows: readonly OutboxView[]) => Promise<void>): Promise<number> {
  const wanted = new Set(ids);
  const deadline = Date.now() + limitMs;
  while (Date.now() < deadline) {
    if (interrupted) throw new Error('interrupted');
    const rows = (await counter.outbox()).filter((r) => wanted.has(r.dossierId));
    const refused = refusals(rows);
    if (refused.length > 0) throw new Error(`the central refused: ${refused.slice(0, 5).join('; ')}`);
    const acked = rows.filter((r) => r.state === 'acknowledged');
    if (acked.length === ids.length) return Math.max(...acked.map((r) => Date.parse(r.acknowledgedAt ?? new Date().toISOString())));
    await onPoll?.(rows);
    await sleep(1_000);
  }
  throw new Error(`not acknowledged within ${limitMs / 1000} s`);
}

interface Spread {
  readonly median: number;
  readonly p95: number;
}

function spread(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { median: at(0.5), p95: at(0.95) };
}

/**
 * Seconds per dossier from the counter's own sync log: `upload` from its last `state:uploading` to
 * `state:committing` (both files), `commit` from there to `state:acknowledged` (the central's checks).
 */
async function phaseTimes(counter: FaultCounterBrowser, ids: readonly string[]): Promise<{ upload: Spread; commit: Spread; maxAttempts: number }> {
  const upload: number[] = [];
  const commit: number[] = [];
  let maxAttempts = 0;
  for (const id of ids) {
    const times = new Map<string, number>();
    let attempts = 0;
    for (const line of await counter.syncLog(id)) {
      const [at, , event] = line.split(' ');
      if (!at || !event) continue;
      if (event === 'state:uploading') attempts++;
      times.set(event, Date.parse(at));
    }
    maxAttempts = Math.max(maxAttempts, attempts);
    const up = times.get('state:uploading');
    const committing = times.get('state:committing');
    const acked = times.get('state:acknowledged');
    if (up !== undefined && committing !== undefined) upload.push((committing - up) / 1000);
    if (committing !== undefined && acked !== undefined) commit.push((acked - committing) / 1000);
  }
  return { upload: spread(upload), commit: spread(commit), maxAttempts };
}

const dossierBytes = (d: FixtureDossier): number => d.files.reduce((s, f) => s + f.size, 0);

interface SingleRun {
  readonly fileBytes: number;
  readonly patchBodyBytes: number;
  readonly linkTxBytes: number;
  readonly seconds: number;
}

/** Sends one dossier; `during` runs once the upload is under way (e.g. cuts the link). */
async function sendOne(counter: FaultCounterBrowser, gateway: Gateway, link: NetLink, dossier: FixtureDossier, during?: () => Promise<void>): Promise<SingleRun> {
  const patchBefore = gateway.bodyBytes().patch;
  const txBefore = await link.txBytes();
  const t0 = Date.now();
  await counter.seed([dossier.spec]);
  if (during) {
    // Cut when ~40 % of the dossier has gone out: mid-upload, mid-chunk.
    while (gateway.bodyBytes().patch - patchBefore < dossierBytes(dossier) * 0.4) {
      if (interrupted) throw new Error('interrupted');
      await sleep(20);
    }
    await during();
  }
  const ackAt = await waitAcknowledged(counter, [dossier.spec.id], 30 * 60_000);
  return {
    fileBytes: dossierBytes(dossier),
    patchBodyBytes: gateway.bodyBytes().patch - patchBefore,
    linkTxBytes: (await link.txBytes()) - txBefore,
    seconds: (ackAt - t0) / 1000,
  };
}

async function main(): Promise<void> {
  const unavailable = await netnsUnavailableReason();
  if (unavailable) {
    console.error(`sync-link benchmark cannot run here: ${unavailable}`);
    process.exitCode = 2;
    return;
  }
  const engine: EngineSettings = {
    uploadChunkSize: chunkKb * 1024,
    backoffBaseMs: 500,
    backoffMaxMs: 5_000,
    pollIntervalMs: 1_000,
    probeTimeoutMs: 5_000,
    requestTimeoutMs: 30_000,
  };
  const work = await mkdtemp(join(tmpdir(), 'motcua-bench-link-'));
  const fixturesDir = join(work, 'fixtures');
  const rng = createRng(20261123);
  const largeBytes = Math.round(dossierMb * 1024 * 1024) - 30_000;
  console.log(`making ${dossierCount + 3} signed dossiers of ${dossierMb} MB…`);
  const dossiers: FixtureDossier[] = [];
  for (let i = 0; i < dossierCount + 3; i++) dossiers.push(await makeFixtureDossier(rng, { dir: fixturesDir, largeBytes: [largeBytes, largeBytes] }));
  const backlog = dossiers.slice(0, dossierCount);
  const [baselineDossier, dropDossier, resetDossier] = dossiers.slice(dossierCount) as [FixtureDossier, FixtureDossier, FixtureDossier];

  await buildCounterPage();
  const link = await createNetLink();
  const central = await startFaultCentral({ link });
  const gateway = await startGateway({ upstream: central.url, statics: { '/counter/': counterPageDist, '/fixtures/': fixturesDir } });
  // The central answers only enrolled devices (401 DEVICE_UNAUTHENTICATED otherwise): without a credential
  // the engine retries for ever and the link carries nothing but probes, pulls and refused upload creations.
  const device = await enrollTestDevice({ url: central.url, adminToken: central.adminToken });
  const counter = await startFaultCounter({ origin: gateway.url, engine: { ...engine, credential: device.credential } });
  try {
    await link.shape(rateKbit);
    console.log(`link shaped to ${rateKbit} kbit/s (tc tbf on ${link.hostInterface}); upload chunk ${chunkKb} KiB`);

    // 1. Backlog: from the first upload request to the last acknowledgement. The backlog is queued while the
    // link is down, as after days offline: timing the link must not time the queueing of a gigabyte too.
    await link.down();
    const seedStart = performance.now();
    await counter.seed(backlog.map((d) => d.spec));
    console.log(`backlog of ${dossierCount} dossiers queued offline in ${((performance.now() - seedStart) / 1000).toFixed(0)} s; link up`);
    const createsBefore = gateway.counts().create;
    await link.up();
    while (gateway.counts().create === createsBefore) await sleep(10);
    const startedAt = Date.now();
    const sizeOf = new Map(backlog.map((d) => [d.spec.id, dossierBytes(d)]));
    const backlogBytes = backlog.reduce((s, d) => s + dossierBytes(d), 0);
    const txAtStart = await link.txBytes();
    let report = { at: startedAt, tx: txAtStart };
    // Every ~30 s a line a partial run can be read from: what the central acknowledged and confirmed, and how
    // busy the link was over the last interval (link bytes ÷ rate: below ~0.95 the link is waiting for the code).
    const progress = async (rows: readonly OutboxView[]): Promise<void> => {
      const at = Date.now();
      if (at - report.at < 30_000) return;
      const tx = await link.txBytes();
      const acked = rows.filter((r) => r.state === 'acknowledged');
      const ackedBytes = acked.reduce((s, r) => s + (sizeOf.get(r.dossierId) ?? 0), 0);
      const confirmed = rows.reduce((s, r) => s + r.bytesSent, 0);
      const elapsed = (at - startedAt) / 1000;
      const errors = new Map<string, number>();
      for (const r of rows) if (r.state !== 'acknowledged' && r.lastError) errors.set(r.lastError, (errors.get(r.lastError) ?? 0) + 1);
      const linkBusy = ((tx - report.tx) * 8) / ((at - report.at) / 1000) / (rateKbit * 1000);
      console.log(
        `[${elapsed.toFixed(0)} s] ${acked.length}/${dossierCount} acknowledged (${(ackedBytes / 1e6).toFixed(1)} MB), ${(confirmed / 1e6).toFixed(1)} MB confirmed by the central; ` +
          `goodput so far ${((confirmed * 8) / elapsed / 1000).toFixed(0)} kbit/s = ${((confirmed * 8) / elapsed / (rateKbit * 1000)).toFixed(3)} of the link (acknowledged only: ${((ackedBytes * 8) / elapsed / (rateKbit * 1000)).toFixed(3)}); ` +
          `link busy ${linkBusy.toFixed(3)} over the last ${((at - report.at) / 1000).toFixed(0)} s; requests ${JSON.stringify(gateway.counts())}; ` +
          `rows carrying a last error ${errors.size > 0 ? JSON.stringify(Object.fromEntries(errors)) : 'none'}; load ${loadavg()[0]?.toFixed(2)}`,
      );
      report = { at, tx };
    };
    const lastAckAt = await waitAcknowledged(counter, backlog.map((d) => d.spec.id), 6 * 3600_000, progress);
    const backlogSeconds = (lastAckAt - startedAt) / 1000;
    const backlogLinkBytes = (await link.txBytes()) - txAtStart;
    const goodputBps = (backlogBytes * 8) / backlogSeconds;
    const goodputRatio = goodputBps / (rateKbit * 1000);
    console.log(`backlog: ${dossierCount} dossiers, ${(backlogBytes / 1e6).toFixed(1)} MB in ${backlogSeconds.toFixed(1)} s → goodput ${(goodputBps / 1000).toFixed(0)} kbit/s = ${goodputRatio.toFixed(3)} of the link (goal ≥ 0.9); load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    const phases = await phaseTimes(counter, backlog.map((d) => d.spec.id));
    console.log(
      `backlog phases (from the counter's sync log, median / p95 per dossier): upload ${phases.upload.median.toFixed(1)} / ${phases.upload.p95.toFixed(1)} s, ` +
        `commit ${phases.commit.median.toFixed(2)} / ${phases.commit.p95.toFixed(2)} s, attempts per dossier max ${phases.maxAttempts}; ` +
        `link bytes ${backlogLinkBytes} for ${backlogBytes} file bytes (${((backlogLinkBytes * 8) / backlogSeconds / (rateKbit * 1000)).toFixed(3)} of the link's capacity used)`,
    );

    // 2. One dossier without a drop, one with the link cut mid-upload.
    const baseline = await sendOne(counter, gateway, link, baselineDossier);
    // The cable out for a few seconds: TCP may carry the same connection on afterwards.
    const dropped = await sendOne(counter, gateway, link, dropDossier, async () => {
      await link.down();
      await sleep(dropS * 1000);
      await link.up();
    });
    // The same, and the connections broken too (a modem or NAT that forgot them): tus must resume.
    const broken = await sendOne(counter, gateway, link, resetDossier, async () => {
      await link.down();
      gateway.resetConnections();
      await sleep(dropS * 1000);
      await link.up();
    });
    const resentApp = dropped.patchBodyBytes - dropped.fileBytes;
    const extraOnLink = dropped.linkTxBytes - dropped.fileBytes - (baseline.linkTxBytes - baseline.fileBytes);
    const resentBroken = broken.patchBodyBytes - broken.fileBytes;
    const extraBroken = broken.linkTxBytes - broken.fileBytes - (baseline.linkTxBytes - baseline.fileBytes);

    const result = {
      machine: { cpus: cpus().length, loadavg: loadavg().map((l) => Number(l.toFixed(2))) },
      settings: { dossiers: dossierCount, dossierMb, rateKbit, chunkKb, dropS },
      backlog: { bytes: backlogBytes, linkBytes: backlogLinkBytes, seconds: Number(backlogSeconds.toFixed(1)), goodputKbit: Number((goodputBps / 1000).toFixed(1)), goodputRatio: Number(goodputRatio.toFixed(3)), phases },
      baseline,
      dropped,
      resentAfterDropBytes: resentApp,
      extraLinkBytesFromDrop: extraOnLink,
      broken,
      resentAfterBrokenConnectionBytes: resentBroken,
      extraLinkBytesFromBrokenConnection: extraBroken,
      chunkBytes: chunkKb * 1024,
    };
    console.log(`one dossier, no drop: ${baseline.fileBytes} file bytes, ${baseline.patchBodyBytes} PATCH body bytes, ${baseline.linkTxBytes} bytes on the link, ${baseline.seconds.toFixed(1)} s`);
    console.log(`one dossier, link down ${dropS} s at 40 %: ${dropped.patchBodyBytes} PATCH body bytes (${resentApp} re-sent by the counter), ${dropped.linkTxBytes} bytes on the link (${extraOnLink} more than without the drop), ${dropped.seconds.toFixed(1)} s`);
    console.log(`one dossier, link down ${dropS} s at 40 % and connections broken: ${broken.patchBodyBytes} PATCH body bytes (${resentBroken} re-sent by the counter), ${broken.linkTxBytes} bytes on the link (${extraBroken} more than without the drop), ${broken.seconds.toFixed(1)} s`);
    const worst = Math.max(resentApp, resentBroken);
    console.log(`re-sent after a drop: at most ${worst} B (goal ≤ one chunk = ${chunkKb * 1024} B) — ${worst <= chunkKb * 1024 ? 'met' : 'NOT met'}`);
    console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} on ${cpus().length} CPUs (a busy machine lowers goodput only through gaps between requests)`);
    const resultsDir = fileURLToPath(new URL('./results/', import.meta.url));
    await mkdir(resultsDir, { recursive: true });
    await writeFile(join(resultsDir, 'sync-link.json'), JSON.stringify(result, null, 2));
  } finally {
    await counter.close();
    await gateway.close();
    await central.stop();
    await link.destroy();
    await rm(work, { recursive: true, force: true });
  }
}

await main();
