/**
 * The central as a cluster (issue 19, item 4): three instances in cluster mode behind HAProxy round-robin, on one
 * Ceph RGW (S3) and a PostgreSQL primary + synchronous standby reached through HAProxy. tests/cluster/run.sh brings
 * Ceph and PostgreSQL up from nothing and down after; this file starts HAProxy and the centrals and runs the
 * scenarios, in order, each ending with the common check of support/verify.ts (nothing lost, nothing duplicated,
 * every object re-hashed identical, the feed complete and in order) over everything acknowledged so far.
 *
 * The scenarios share one cluster and run in sequence; the order matters only at the end: the PostgreSQL
 * fail-over leaves no standby, and the sweep runs last with instances of its own (a short upload age would expire
 * the other scenarios' uploads in progress).
 */
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ListMultipartUploadsCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../shared/util/bytes';
import { enrollTestDevice, makeCommit, makeSignedPdf, putCommit } from '../support/central-process';
import { skipWithout } from '../support/requirements';
import {
  balancerUrl,
  clusterAdminToken,
  clusterMissing,
  clusterRoot,
  crashPrimary,
  createBuckets,
  databaseUrl,
  killGateway,
  ports,
  promoteStandby,
  readiness,
  s3Client,
  s3Settings,
  startClusterCentral,
  startGateway,
  waitForReadiness,
  type ClusterCentral,
} from './support/cluster';
import { type Haproxy, pgRouteName } from './support/haproxy';
import { startClusterStack, type ClusterStack } from './support/stack';
import { slowPatch, tusCreate, tusHead, tusPatch, tusUploadViaBalancer, type DeviceAuth, type SlowPatchEnd } from './support/tus';
import { verifyCluster, type ExpectedDossier, type VerifyReport } from './support/verify';

const MiB = 1024 * 1024;
/** Dossiers in the round-robin batch (E_DOSSIERS of the exploration): 12 here, more with the variable. */
const batchDossiers = Number(process.env.MOTCUA_CLUSTER_BATCH ?? 12);
/**
 * The batch's tus chunk: 1 MiB, the counter's chunk today (renderer/src/sync/engine.ts). With round-robin every
 * PATCH of a file lands on another instance — the hardest case for the shared lock — and each is below S3's 5 MiB
 * part minimum, the case @tus/s3-store buffers as `<id>.part` between requests.
 */
const batchChunkBytes = Number(process.env.MOTCUA_CLUSTER_CHUNK_MIB ?? 1) * MiB;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const seconds = (ms: number): string => (ms / 1000).toFixed(1);

// ------------------------------------------------------------------------------------------------------------
// Run state: what was acknowledged (must be there), what was sent without an answer (may be there).

const expected: ExpectedDossier[] = [];
const mayExist = new Set<string>();
/** False once the fail-over scenario promoted the standby (there is no standby left to check). */
let standbyAlive = true;

interface ScenarioResult {
  readonly name: string;
  readonly ok: boolean;
  readonly ms: number;
  readonly details: Record<string, unknown>;
  readonly check?: VerifyReport;
  readonly error?: string;
}
const results: ScenarioResult[] = [];

let s3: S3Client;
let haproxy: Haproxy;
let stack: ClusterStack | undefined;
let device: DeviceAuth;
const centrals: ClusterCentral[] = [];
const c = (n: 1 | 2 | 3): ClusterCentral => {
  const central = centrals[n - 1];
  if (!central) throw new Error(`c${n} is not running`);
  return central;
};
let setupDetails: Record<string, unknown> = {};

async function check(): Promise<VerifyReport> {
  return verifyCluster({
    databases: [{ name: 'primary', url: databaseUrl(ports.pgShared) }, ...(standbyAlive ? [{ name: 'standby', url: databaseUrl(ports.pgStandby) }] : [])],
    s3,
    filesBucket: s3Settings.filesBucket,
    feed: { url: balancerUrl, credential: device.credential },
    expected,
    mayExist,
  });
}

/** Runs one scenario, then the common check; records and prints its result and wall time either way. */
async function scenario(name: string, body: () => Promise<Record<string, unknown>>): Promise<void> {
  const started = performance.now();
  let details: Record<string, unknown> = {};
  try {
    details = await body();
    const report = await check();
    const ms = Math.round(performance.now() - started);
    results.push({ name, ok: true, ms, details, check: report });
    console.log(
      `[cluster] PASS ${name} (${seconds(ms)} s) ${JSON.stringify(details)}\n` +
        `[cluster]      check: ${report.dossiers} dossiers, ${report.objects} objects re-hashed (${report.rehashedMiB} MiB), feed ${report.feedEntries} entries in order (${seconds(report.ms)} s)`,
    );
  } catch (err) {
    const ms = Math.round(performance.now() - started);
    const error = err instanceof Error ? err.message : String(err);
    results.push({ name, ok: false, ms, details, error });
    console.log(`[cluster] FAIL ${name} (${seconds(ms)} s) ${JSON.stringify(details)}\n${error}`);
    for (const central of centrals) {
      const ready = await readiness(central.url);
      console.log(`[cluster] ${central.name} (pid ${central.process.pid}) readiness now: ${ready.status} ${JSON.stringify(ready.body)}; last output:\n${central.process.output().slice(-4000)}`);
    }
    throw err;
  }
}

const pdf = (paddingBytes: number): Promise<Uint8Array> => makeSignedPdf({ paddingBytes, text: `cluster ${randomUUID()}` });

interface UploadedFile {
  readonly bytes: Uint8Array;
  readonly uploadUrl: string;
}

const commitBody = (dossierId: string, files: readonly UploadedFile[]): Record<string, unknown> =>
  makeCommit(dossierId, files.map((f, i) => ({ bytes: f.bytes, uploadUrl: f.uploadUrl, componentCode: `TP${i + 1}`, name: `thanh-phan-${i + 1}.pdf` })));

const acknowledged = (status: number): boolean => status === 201 || status === 200;

function expectDossier(dossierId: string, files: readonly UploadedFile[], scenarioName: string): void {
  expected.push({ dossierId, scenario: scenarioName, files: files.map((f) => ({ sha256: sha256Hex(f.bytes), size: f.bytes.byteLength })) });
}

/**
 * PUT the commit through `via` until it is acknowledged, as a counter's sync engine does: a 5xx or a cut connection
 * is retried with the same body; anything else ends it. Resolves with the final status and how many tries.
 */
async function commitUntilAcknowledged(via: string, dossierId: string, body: unknown, deadlineMs = 120_000): Promise<{ status: number; tries: number; answer: unknown }> {
  mayExist.add(dossierId);
  const deadline = performance.now() + deadlineMs;
  for (let tries = 1; ; tries++) {
    const answer = await putCommit({ url: via, credential: device.credential }, dossierId, body).catch((err: unknown) => ({
      status: 0,
      body: err instanceof Error ? err.message : String(err),
    }));
    if (answer.status !== 0 && answer.status < 500) return { status: answer.status, tries, answer: answer.body };
    if (performance.now() > deadline) return { status: answer.status, tries, answer: answer.body };
    await sleep(500);
  }
}

/** Uploads through the balancer and commits, retrying like a counter; the dossier is expected once acknowledged. */
async function sendDossierViaBalancer(
  scenarioName: string,
  files: readonly Uint8Array[],
  opts: { chunkSize: number; onProgress?: (delta: number) => void; onRetry?: () => void },
): Promise<{ dossierId: string; status: number; commitTries: number }> {
  const dossierId = randomUUID();
  mayExist.add(dossierId);
  const uploaded: UploadedFile[] = [];
  for (const bytes of files) {
    let last = 0;
    const uploadUrl = await tusUploadViaBalancer(balancerUrl, device, bytes, {
      dossierId,
      chunkSize: opts.chunkSize,
      onProgress: (acknowledgedBytes) => {
        opts.onProgress?.(Math.max(0, acknowledgedBytes - last));
        last = Math.max(last, acknowledgedBytes);
      },
      ...(opts.onRetry ? { onRetry: opts.onRetry } : {}),
    });
    uploaded.push({ bytes, uploadUrl });
  }
  const commit = await commitUntilAcknowledged(balancerUrl, dossierId, commitBody(dossierId, uploaded));
  if (acknowledged(commit.status)) expectDossier(dossierId, uploaded, scenarioName);
  return { dossierId, status: commit.status, commitTries: commit.tries };
}

// ------------------------------------------------------------------------------------------------------------
// The stalled-PATCH take-over, shared by scenario C and its negative control.

interface TakeOver {
  readonly headStatus: number;
  readonly headMs: number;
  readonly headOffset: number;
  /** How the holder's stalled PATCH ended, if it did within 5 s of the taker's answer. */
  readonly holderEnd: SlowPatchEnd | undefined;
  /**
   * Whether the lock excluded the two: the holder's PATCH was made to end and the taker saw exactly what the holder
   * stored. Without a lock shared by the instances, the taker answers while the holder still writes.
   */
  readonly exclusive: boolean;
  readonly commitStatus: number;
}

async function takeOverStalledPatch(holder: ClusterCentral, taker: ClusterCentral, scenarioName: string): Promise<TakeOver> {
  const bytes = await pdf(3 * MiB + 4321);
  const dossierId = randomUUID();
  const uploadUrl = await tusCreate(holder.url, device, bytes, dossierId);
  const stalled = slowPatch(holder.url, device, uploadUrl, 0, bytes, { stallAfter: MiB, stepBytes: 256 * 1024, stepMs: 20 });
  try {
    while (stalled.sent() < MiB && !stalled.hasEnded()) await sleep(50);
    await sleep(1000); // the holder has read the first MiB and waits for more, holding the upload's lock
    const head = await tusHead(taker.url, device, uploadUrl);
    // The holder unlocks and then answers: allow its answer a moment to arrive after the taker's.
    const holderEnd = await Promise.race([stalled.ended, sleep(5_000).then(() => undefined)]);
    const exclusive = holderEnd !== undefined && (holderEnd.offset === undefined || holderEnd.offset === head.offset);
    // The taker finishes the file from where it found it; a still-open holder then sends the rest of its body too.
    let commitStatus = 0;
    if (head.status === 200) {
      const finished = await tusPatch(taker.url, device, uploadUrl, head.offset, bytes.subarray(head.offset)).catch(() => -1);
      if (!stalled.hasEnded()) {
        stalled.resume();
        await Promise.race([stalled.ended, sleep(15_000)]);
      }
      if (finished === bytes.byteLength) {
        const body = commitBody(dossierId, [{ bytes, uploadUrl }]);
        const commit = await commitUntilAcknowledged(balancerUrl, dossierId, body, 30_000);
        commitStatus = commit.status;
        if (acknowledged(commit.status)) expectDossier(dossierId, [{ bytes, uploadUrl }], scenarioName);
      }
    }
    return { headStatus: head.status, headMs: head.ms, headOffset: head.offset, holderEnd, exclusive, commitStatus };
  } finally {
    stalled.destroy();
  }
}

// ------------------------------------------------------------------------------------------------------------

const skip = skipWithout('the cluster (Ceph RGW, PostgreSQL primary + standby, HAProxy)', clusterMissing);

describe.skipIf(skip)('the central as a cluster: three instances, Ceph RGW, PostgreSQL primary + synchronous standby, HAProxy', () => {
  beforeAll(async () => {
    const started = performance.now();
    s3 = s3Client();
    const lifecycleRules = await createBuckets(s3);
    stack = await startClusterStack({ dir: clusterRoot ?? '/tmp' });
    haproxy = stack.haproxy;
    centrals.push(...stack.centrals);
    device = { credential: (await enrollTestDevice({ url: balancerUrl, adminToken: clusterAdminToken })).credential };
    setupDetails = { lifecycleRules, ...stack.timings, totalMs: Math.round(performance.now() - started) };
    console.log(`[cluster] set-up: ${JSON.stringify(setupDetails)}`);
  });

  afterAll(async () => {
    await stack?.stop();
    const summary = { setup: setupDetails, scenarios: results };
    const dir = path.resolve(import.meta.dirname, '..', '..', 'test-results', 'cluster');
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
    console.log('[cluster] scenario                                              result   wall time');
    for (const r of results) console.log(`[cluster] ${r.name.padEnd(60)} ${r.ok ? 'PASS' : 'FAIL'}  ${seconds(r.ms).padStart(7)} s`);
  });

  it('A: an upload started on c1 continues on c2, is whole on c3 and commits through c3', () =>
    scenario('A upload across three instances', async () => {
      const bytes = await pdf(6 * MiB + 12_345); // more than one 5 MiB S3 part
      const dossierId = randomUUID();
      const uploadUrl = await tusCreate(c(1).url, device, bytes, dossierId);
      // tus's Location is the configured public URL (the balancer), whichever instance created the upload.
      expect(new URL(uploadUrl).origin).toBe(balancerUrl);
      const onC1 = await tusPatch(c(1).url, device, uploadUrl, 0, bytes.subarray(0, 2 * MiB));
      const onC2 = await tusPatch(c(2).url, device, uploadUrl, onC1, bytes.subarray(onC1));
      const headOnC3 = await tusHead(c(3).url, device, uploadUrl);
      expect([onC1, onC2, headOnC3.status, headOnC3.offset]).toEqual([2 * MiB, bytes.byteLength, 200, bytes.byteLength]);
      const commit = await commitUntilAcknowledged(c(3).url, dossierId, commitBody(dossierId, [{ bytes, uploadUrl }]));
      expect(commit.status).toBe(201);
      expectDossier(dossierId, [{ bytes, uploadUrl }], 'A');
      return { bytes: bytes.byteLength, offsets: { c1: onC1, c2: onC2, headC3: headOnC3.offset } };
    }));

  it('B: c1 SIGKILLed in the middle of a PATCH; the upload resumes on c2 from its HEAD offset', () =>
    scenario('B instance SIGKILLed mid-PATCH', async () => {
      const bytes = await pdf(6 * MiB);
      const dossierId = randomUUID();
      const uploadUrl = await tusCreate(c(1).url, device, bytes, dossierId);
      const acknowledgedBefore = await tusPatch(c(1).url, device, uploadUrl, 0, bytes.subarray(0, MiB));
      let killedAfter = 0;
      await new Promise<void>((resolve, reject) => {
        const patch = slowPatch(c(1).url, device, uploadUrl, acknowledgedBefore, bytes.subarray(acknowledgedBefore), {
          stepBytes: 128 * 1024,
          stepMs: 40,
          onSent: (sent) => {
            if (killedAfter || sent < 2 * MiB) return;
            killedAfter = sent;
            void c(1).process.kill('SIGKILL').then(resolve, reject);
          },
        });
        void patch.ended.then(() => {
          if (!killedAfter) reject(new Error('the PATCH ended before c1 was killed'));
        });
      });
      const head = await tusHead(c(2).url, device, uploadUrl);
      expect(head.status).toBe(200);
      // Never more than the client sent. It may be less than was acknowledged: @tus/s3-store keeps a PATCH shorter
      // than a part as `<id>.part`, and the next PATCH deletes it before it uploads a longer one — a kill in between
      // sends the offset back. HEAD is what a tus client resumes from, and the commit re-checks the SHA-256.
      expect(head.offset).toBeGreaterThanOrEqual(0);
      expect(head.offset).toBeLessThanOrEqual(acknowledgedBefore + killedAfter);
      const finished = await tusPatch(c(2).url, device, uploadUrl, head.offset, bytes.subarray(head.offset));
      expect(finished).toBe(bytes.byteLength);
      const commit = await commitUntilAcknowledged(c(2).url, dossierId, commitBody(dossierId, [{ bytes, uploadUrl }]));
      expect(commit.status).toBe(201);
      expectDossier(dossierId, [{ bytes, uploadUrl }], 'B');
      const restarted = performance.now();
      await c(1).process.restart();
      await haproxy.waitFor('centrals', 'c1', 'UP');
      return {
        acknowledgedBeforeKill: acknowledgedBefore,
        killedAfterBytesOfSecondPatch: killedAfter,
        headOnC2: head.offset,
        offsetWentBack: head.offset < acknowledgedBefore,
        headMs: head.ms,
        restartUntilBalancedMs: Math.round(performance.now() - restarted),
      };
    }));

  it('C: a PATCH stalled on c2 is taken over by c3: c2 lets go, c3 sees exactly what c2 stored', () =>
    scenario('C stalled PATCH taken over', async () => {
      const takeOver = await takeOverStalledPatch(c(2), c(3), 'C');
      expect(takeOver.headStatus).toBe(200);
      expect(takeOver.exclusive).toBe(true);
      // Without a release across processes the HEAD would wait for the lock's 30 s timeout.
      expect(takeOver.headMs).toBeLessThan(10_000);
      expect(takeOver.commitStatus).toBe(201);
      return { ...takeOver };
    }));

  it('negative control: with the in-memory tus lock, the same take-over is not exclusive', () =>
    scenario('negative control: in-memory lock fails C', async () => {
      // Two more instances, identical but for the lock: each only knows its own requests.
      const n1 = await startClusterCentral({ name: 'n1', pgPort: ports.pgShared, args: ['--upload-lock', 'memory'] });
      const n2 = await startClusterCentral({ name: 'n2', pgPort: ports.pgShared, args: ['--upload-lock', 'memory'] }).catch(async (err: unknown) => {
        await n1.process.stop();
        throw err;
      });
      try {
        const takeOver = await takeOverStalledPatch(n1, n2, 'negative control');
        expect(takeOver.headStatus).toBe(200);
        // n2 answered at once while n1 was still inside its PATCH: two writers on one upload.
        expect(takeOver.exclusive).toBe(false);
        expect(takeOver.holderEnd).toBeUndefined();
        // Whatever the two writers left, a commit is acknowledged only if the file hashes right (the common check
        // re-hashes it): correctness rests on the commit's SHA-256, the lock is what keeps the work from being lost.
        return { ...takeOver };
      } finally {
        await n1.process.stop();
        await n2.process.stop();
      }
    }));

  it('D: the same dossier committed through c1, c2 and c3 at once: one 201, two 200 repeats, one central id', () =>
    scenario('D same dossier via three instances at once', async () => {
      const outcomes: string[] = [];
      for (let round = 0; round < 3; round++) {
        const files = [await pdf(2 * MiB), await pdf(MiB + 777)];
        const dossierId = randomUUID();
        const uploaded: UploadedFile[] = [];
        for (const bytes of files) uploaded.push({ bytes, uploadUrl: await tusUploadViaBalancer(balancerUrl, device, bytes, { dossierId, chunkSize: 8 * MiB }) });
        // One body sent three times (makeCommit stamps the time it is called).
        const body = commitBody(dossierId, uploaded);
        mayExist.add(dossierId);
        const answers = await Promise.all([1, 2, 3].map((n) => putCommit({ url: c(n as 1 | 2 | 3).url, credential: device.credential }, dossierId, body)));
        const statuses = answers.map((a) => a.status).sort();
        const centralIds = new Set(answers.map((a) => (a.body as { centralId?: string }).centralId));
        outcomes.push(statuses.join('/'));
        expect(statuses).toEqual([200, 200, 201]);
        expect(centralIds.size).toBe(1);
        expectDossier(dossierId, uploaded, 'D');
      }
      return { outcomes };
    }));

  it(`E: ${batchDossiers} dossiers round-robin through the balancer, c2 SIGKILLed and restarted in the middle`, () =>
    scenario('E batch round-robin, one instance killed and restarted', async () => {
      const jobs: Uint8Array[] = [];
      for (let i = 0; i < batchDossiers; i++) jobs.push(await pdf(i % 2 === 0 ? 4 * MiB : 2 * MiB + 12_345));
      const totalBytes = jobs.reduce((sum, bytes) => sum + bytes.byteLength, 0);
      let acknowledgedBytes = 0;
      let tusRetries = 0;
      let killAndRestart: Promise<number> | undefined;
      const onProgress = (delta: number): void => {
        acknowledgedBytes += delta;
        if (!killAndRestart && acknowledgedBytes > totalBytes * 0.4) {
          killAndRestart = (async () => {
            await c(2).process.kill('SIGKILL');
            const killedAt = performance.now();
            await sleep(3_000);
            await c(2).process.restart();
            await haproxy.waitFor('centrals', 'c2', 'UP');
            return Math.round(performance.now() - killedAt);
          })();
        }
      };
      const started = performance.now();
      const queue = [...jobs];
      const statuses: number[] = [];
      // Three at once, as a few counters syncing together.
      await Promise.all(
        [0, 1, 2].map(async () => {
          for (let bytes = queue.shift(); bytes; bytes = queue.shift()) {
            const sent = await sendDossierViaBalancer('E', [bytes], { chunkSize: batchChunkBytes, onProgress, onRetry: () => tusRetries++ });
            statuses.push(sent.status);
          }
        }),
      );
      const wallMs = Math.round(performance.now() - started);
      expect(killAndRestart).toBeDefined();
      const c2DownUntilBalancedMs = await killAndRestart;
      expect(statuses.filter(acknowledged)).toHaveLength(batchDossiers);
      return {
        dossiers: batchDossiers,
        MiB: Number((totalBytes / MiB).toFixed(1)),
        chunkMiB: batchChunkBytes / MiB,
        wallMs,
        MiBps: Number((totalBytes / MiB / (wallMs / 1000)).toFixed(2)),
        tusRetries,
        c2DownUntilBalancedMs,
      };
    }));

  it('F: c2 cut off from PostgreSQL: it reports not ready, leaves the balancer, acknowledges nothing; it comes back when the route does', () =>
    scenario('F instance cut off from PostgreSQL', async () => {
      // A dossier uploaded beforehand, to try to commit on c2 while it is cut off.
      const pending = await pdf(MiB);
      const pendingId = randomUUID();
      const pendingUrl = await tusUploadViaBalancer(balancerUrl, device, pending, { dossierId: pendingId, chunkSize: 8 * MiB });
      const pendingBody = commitBody(pendingId, [{ bytes: pending, uploadUrl: pendingUrl }]);

      await haproxy.cutDatabaseRoute('c2');
      const notReady = await waitForReadiness(c(2).url, 503, 30_000);
      const outOfBalancerMs = await haproxy.waitFor('centrals', 'c2', 'DOWN');
      mayExist.add(pendingId);
      const onCutOff = await putCommit({ url: c(2).url, credential: device.credential }, pendingId, pendingBody).catch((err: unknown) => ({ status: 0, body: String(err) }));
      // Not acknowledged (a 5xx the counter retries), never a 201/200 it could not have recorded.
      expect(acknowledged(onCutOff.status)).toBe(false);
      const others = await Promise.all([1, 2, 3, 4].map(async () => sendDossierViaBalancer('F', [await pdf(MiB + 1)], { chunkSize: batchChunkBytes })));
      expect(others.map((o) => o.status).filter(acknowledged)).toHaveLength(4);

      await haproxy.restoreDatabaseRoute('c2');
      const readyAgain = await waitForReadiness(c(2).url, 200, 60_000);
      await haproxy.waitFor('centrals', 'c2', 'UP');
      // The same commit, now on c2 itself: its database connections (and its tus lock session) came back.
      const afterwards = await commitUntilAcknowledged(c(2).url, pendingId, pendingBody, 30_000);
      expect(afterwards.status).toBe(201);
      expectDossier(pendingId, [{ bytes: pending, uploadUrl: pendingUrl }], 'F');
      const direct = await pdf(MiB + 2);
      const directId = randomUUID();
      const directUrl = await tusCreate(c(2).url, device, direct, directId);
      expect(await tusPatch(c(2).url, device, directUrl, 0, direct)).toBe(direct.byteLength);
      const directCommit = await commitUntilAcknowledged(c(2).url, directId, commitBody(directId, [{ bytes: direct, uploadUrl: directUrl }]), 30_000);
      expect(directCommit.status).toBe(201);
      expectDossier(directId, [{ bytes: direct, uploadUrl: directUrl }], 'F');
      return {
        notReadyAfterMs: notReady.ms,
        readinessWhileCut: notReady.body,
        outOfBalancerMs,
        commitOnCutOffInstance: onCutOff.status,
        readyAgainAfterMs: readyAgain.ms,
      };
    }));

  it('G: the S3 gateway SIGKILLed and restarted in the middle of uploads: the counters resume, nothing is lost', () =>
    scenario('G RGW restarted mid-upload', async () => {
      const files = [await pdf(4 * MiB), await pdf(4 * MiB + 1), await pdf(3 * MiB)];
      const totalBytes = files.reduce((sum, bytes) => sum + bytes.byteLength, 0);
      let acknowledgedBytes = 0;
      let tusRetries = 0;
      let outage: Promise<{ readinessDuringOutage: unknown; restartMs: number; downMs: number }> | undefined;
      const onProgress = (delta: number): void => {
        acknowledgedBytes += delta;
        if (!outage && acknowledgedBytes > totalBytes * 0.3) {
          outage = (async () => {
            await killGateway();
            const killedAt = performance.now();
            const duringOutage = await waitForReadiness(c(1).url, 503, 20_000);
            await sleep(2_000);
            const restartMs = await startGateway();
            return { readinessDuringOutage: duringOutage.body, restartMs, downMs: Math.round(performance.now() - killedAt) };
          })();
        }
      };
      const sent = await Promise.all(files.map((bytes) => sendDossierViaBalancer('G', [bytes], { chunkSize: batchChunkBytes, onProgress, onRetry: () => tusRetries++ })));
      expect(outage).toBeDefined();
      const gateway = await outage;
      expect(sent.map((s) => s.status).filter(acknowledged)).toHaveLength(files.length);
      for (const n of [1, 2, 3]) await haproxy.waitFor('centrals', `c${n}`, 'UP');
      return { ...gateway, tusRetries, commitTries: sent.map((s) => s.commitTries) };
    }));

  it('H: the PostgreSQL primary crashes during commits; the standby is promoted; HAProxy routes the centrals to it; no acknowledged dossier is lost', () =>
    scenario('H primary killed, standby promoted during commits', async () => {
      const files = await Promise.all([0, 1, 2, 3].map((i) => pdf(20_000 + i)));
      let stopping = false;
      let crashedAt = 0;
      const acknowledgedAt: number[] = [];
      const workers = files.map(async (bytes) => {
        while (!stopping) {
          const sent = await sendDossierViaBalancer('H', [bytes], { chunkSize: 8 * MiB });
          if (!acknowledged(sent.status)) throw new Error(`dossier ${sent.dossierId} not acknowledged: ${sent.status} after ${sent.commitTries} tries`);
          acknowledgedAt.push(performance.now());
        }
      });
      const failover = (async () => {
        await sleep(4_000);
        await crashPrimary();
        crashedAt = performance.now();
        await sleep(1_000); // Patroni would wait for its leader key to expire (ttl 30 s by default)
        const promoteMs = await promoteStandby();
        standbyAlive = false;
        const routedMs = await haproxy.waitFor(pgRouteName('shared'), 'pg2', 'UP');
        await sleep(6_000); // commits keep coming on the promoted node
        stopping = true;
        return { promoteMs, routedToPromotedMs: routedMs };
      })();
      const [outcome] = await Promise.all([failover, ...workers]);
      const before = acknowledgedAt.filter((at) => at < crashedAt).length;
      const firstAfter = acknowledgedAt.find((at) => at > crashedAt);
      const promoted = new pg.Client({ connectionString: databaseUrl(ports.pgShared) });
      await promoted.connect();
      const inRecovery = (await promoted.query<{ r: boolean }>('SELECT pg_is_in_recovery() AS r')).rows[0]?.r;
      const port = (await promoted.query<{ port: number }>('SELECT inet_server_port() AS port')).rows[0]?.port;
      await promoted.end();
      expect(inRecovery).toBe(false);
      expect(port).toBe(ports.pgStandby);
      expect(firstAfter).toBeDefined();
      for (const n of [1, 2, 3]) await haproxy.waitFor('centrals', `c${n}`, 'UP');
      return {
        ...outcome,
        acknowledgedBeforeCrash: before,
        acknowledgedAfterCrash: acknowledgedAt.length - before,
        firstCommitAfterCrashMs: firstAfter === undefined ? undefined : Math.round(firstAfter - crashedAt),
      };
    }));

  it('I: the sweep of abandoned uploads runs on one elected instance; live and committed uploads stay', () =>
    scenario('I upload sweep, elected', async () => {
      // Their own instances: an upload idle for 10.8 s is abandoned for them (swept every 5.4 s). Not shorter: the
      // sweep does not see a PATCH in progress (@tus/s3-store deletes `.part` before it uploads the longer part),
      // and on two loaded cores a PATCH or a create-then-commit can take seconds — with a 3.6 s age, 2 runs of 6 lost
      // a live upload that way. In production the age is days.
      const sweepers: ClusterCentral[] = [];
      try {
        for (const name of ['s1', 's2', 's3']) sweepers.push(await startClusterCentral({ name, pgPort: ports.pgShared, args: ['--upload-max-age-hours', '0.003', '--log-level', 'info'] }));
        const [sweeper1, sweeper2, sweeper3] = sweepers as [ClusterCentral, ClusterCentral, ClusterCentral];
        const idOf = (uploadUrl: string): string => new URL(uploadUrl).pathname.split('/').filter(Boolean).pop() ?? '';

        const partial = await pdf(3 * MiB);
        const u1 = await tusCreate(sweeper1.url, device, partial, randomUUID());
        await tusPatch(sweeper1.url, device, u1, 0, partial.subarray(0, MiB));
        const complete = await pdf(MiB);
        const u2 = await tusCreate(sweeper2.url, device, complete, randomUUID());
        await tusPatch(sweeper2.url, device, u2, 0, complete);
        // A dossier committed through one upload, and a second upload of the same file for it (a repeat after a lost answer).
        const twice = await pdf(MiB);
        const d3 = randomUUID();
        const u3a = await tusCreate(sweeper3.url, device, twice, d3);
        await tusPatch(sweeper3.url, device, u3a, 0, twice);
        const u3b = await tusCreate(sweeper1.url, device, twice, d3);
        await tusPatch(sweeper1.url, device, u3b, 0, twice);
        const c3Commit = await commitUntilAcknowledged(balancerUrl, d3, commitBody(d3, [{ bytes: twice, uploadUrl: u3a }]));
        expect(c3Commit.status).toBe(201);
        expectDossier(d3, [{ bytes: twice, uploadUrl: u3a }], 'I');
        // One MiB a second, each PATCH on another sweeper: never idle for the whole age.
        const live = await pdf(5 * MiB);
        const d4 = randomUUID();
        const u4 = await tusCreate(sweeper2.url, device, live, d4);
        for (let offset = 0, turn = 0; offset < live.byteLength; turn++) {
          const sweeper = sweepers[turn % 3] as ClusterCentral;
          offset = await tusPatch(sweeper.url, device, u4, offset, live.subarray(offset, Math.min(live.byteLength, offset + MiB)));
          await sleep(1_000);
        }
        const c4Commit = await commitUntilAcknowledged(sweeper3.url, d4, commitBody(d4, [{ bytes: live, uploadUrl: u4 }]));
        expect(c4Commit.status).toBe(201);
        expectDossier(d4, [{ bytes: live, uploadUrl: u4 }], 'I');
        await sleep(24_000); // more than twice the age: every abandoned upload has been seen by a sweep

        const objects = ((await s3.send(new ListObjectsV2Command({ Bucket: s3Settings.uploadsBucket }))).Contents ?? []).map((o) => o.Key ?? '');
        const multipart = ((await s3.send(new ListMultipartUploadsCommand({ Bucket: s3Settings.uploadsBucket }))).Uploads ?? []).map((u) => u.Key ?? '');
        const present = (uploadUrl: string): boolean => objects.some((key) => key.startsWith(idOf(uploadUrl))) || multipart.includes(idOf(uploadUrl));
        expect(present(u1)).toBe(false);
        expect(present(u2)).toBe(false);
        expect(present(u3b)).toBe(true);
        // Who removed what, from each sweeper's log: every removed upload by exactly one instance, once.
        const removedBy = new Map<string, string[]>();
        for (const sweeper of sweepers) {
          for (const line of sweeper.process.output().split('\n')) {
            const match = /"removed":\[([^\]]*)\]/.exec(line);
            for (const id of match?.[1]?.match(/[0-9a-f]{32}/g) ?? []) removedBy.set(id, [...(removedBy.get(id) ?? []), sweeper.name]);
          }
        }
        expect(removedBy.get(idOf(u1))).toHaveLength(1);
        expect(removedBy.get(idOf(u2))).toHaveLength(1);
        const twiceRemoved = [...removedBy].filter(([, by]) => by.length > 1);
        expect(twiceRemoved).toEqual([]);
        // The gateway's own backstop for multipart uploads nobody completes (a central lost before its sweep ran).
        expect(JSON.stringify(setupDetails.lifecycleRules)).toContain('abort-abandoned-tus-multipart');
        return {
          lifecycleRules: setupDetails.lifecycleRules,
          removedBy: Object.fromEntries([idOf(u1), idOf(u2)].map((id) => [id, removedBy.get(id)])),
          keptCommittedSecondUpload: true,
          liveUploadAcrossSweepers: c4Commit.status,
          leftInUploadsBucket: { objects: objects.length, multipartUploads: multipart.length },
        };
      } catch (err) {
        for (const sweeper of sweepers) console.log(`[cluster] ${sweeper.name}'s last output:\n${sweeper.process.output().slice(-6000)}`);
        throw err;
      } finally {
        for (const sweeper of sweepers) await sweeper.process.stop();
      }
    }));
});
