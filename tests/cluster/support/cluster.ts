/**
 * The cluster test's infrastructure as the scenarios see it: where tests/cluster/run.sh put Ceph and PostgreSQL
 * (environment), the ports of everything, the S3 buckets, the centrals started in cluster mode, and the handles a
 * scenario pulls: kill or restart the S3 gateway, crash the PostgreSQL primary and promote the standby.
 *
 * Ports are fixed (loopback, chosen away from a developer's Ceph on 6789/7480 and PostgreSQL on 5432, and what is
 * (re)started during the run below the ephemeral range, run.sh says why); the shell scripts use the same defaults
 * and run.sh exports them, so both sides read one set of numbers.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  CreateBucketCommand,
  GetBucketLifecycleConfigurationCommand,
  PutBucketLifecycleConfigurationCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { startCentralProcess, type CentralProcess } from '../../support/central-process';
import { pathFor } from '../../../shared/sync/api-contract';

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const infraDir = path.resolve(here, '..', 'infra');

const numberFromEnv = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);

/** Set by run.sh; without it the scenarios skip (outside CI) with the reason. */
export const clusterRoot = process.env.MOTCUA_CLUSTER_ROOT || undefined;
export const clusterMissing = clusterRoot
  ? undefined
  : 'MOTCUA_CLUSTER_ROOT is not set: run `npm run test:cluster` (tests/cluster/run.sh installs and starts Ceph RGW, PostgreSQL and HAProxy first)';

export const ports = {
  rgw: numberFromEnv('RGW_PORT', 7490),
  pgPrimary: numberFromEnv('PRIMARY_PORT', 55442),
  pgStandby: numberFromEnv('STANDBY_PORT', 55443),
  pgPrimaryCheck: numberFromEnv('PRIMARY_CHECK_PORT', 24462),
  pgStandbyCheck: numberFromEnv('STANDBY_CHECK_PORT', 24463),
  /** HAProxy: the counters' entry. */
  balancer: numberFromEnv('MOTCUA_CLUSTER_BALANCER_PORT', 24480),
  /** Central number `n` (1–3) behind the balancer: fixed, because HAProxy is configured before they start. */
  central: (n: number): number => numberFromEnv('MOTCUA_CLUSTER_BALANCER_PORT', 24480) + n,
  /** HAProxy: the PostgreSQL route the test and the extra centrals use. */
  pgShared: numberFromEnv('MOTCUA_CLUSTER_PG_ROUTE_PORT', 24440),
  /** HAProxy: central number `n`'s own PostgreSQL route (so that it alone can be cut off). */
  pgOwn: (n: number): number => numberFromEnv('MOTCUA_CLUSTER_PG_ROUTE_PORT', 24440) + 10 + n,
} as const;

const cephDir = process.env.CEPH_DIR ?? path.join(clusterRoot ?? '/tmp/motcua-cluster', 'ceph');
const pgDir = process.env.PG_DIR ?? path.join(clusterRoot ?? '/tmp/motcua-cluster', 'pg');

export const balancerUrl = `http://127.0.0.1:${ports.balancer}`;
/** The centrals' connection string through `port`; `database` other than `motcua` for a run that wants its own rows. */
export const databaseUrl = (port: number, database = 'motcua'): string => `postgres://motcua:motcua@127.0.0.1:${port}/${database}`;

/** The S3 user ceph-up.sh creates (fixed test keys; the gateway listens on loopback only). */
export const s3Settings = {
  endpoint: `http://127.0.0.1:${ports.rgw}`,
  region: 'us-east-1',
  accessKeyId: process.env.S3_ACCESS_KEY ?? 'MOTCUATESTACCESSKEY1',
  secretAccessKey: process.env.S3_SECRET_KEY ?? 'motcuatestsecretkey0000000000000000000001',
  filesBucket: 'motcua-files',
  uploadsBucket: 'motcua-uploads',
} as const;

/** Where stored files and tus uploads in progress go: the scenarios' pair by default, another pair for a run of its own. */
export interface ClusterBuckets {
  readonly filesBucket: string;
  readonly uploadsBucket: string;
}

/** Path-style (a gateway on an IP has no bucket host names); checksums only where the API requires them (RGW 16). */
export function s3Client(): S3Client {
  return new S3Client({
    endpoint: s3Settings.endpoint,
    region: s3Settings.region,
    forcePathStyle: true,
    credentials: { accessKeyId: s3Settings.accessKeyId, secretAccessKey: s3Settings.secretAccessKey },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/** Days after which the gateway aborts a multipart upload nobody completed: the backstop behind the central's sweep. */
const abandonedMultipartDays = 7;

/**
 * The two buckets, and on the uploads bucket the lifecycle rule that aborts incomplete multipart uploads — what a
 * province's storage team sets once. Resolves with the rule ids read back from the gateway.
 */
export async function createBuckets(s3: S3Client, buckets: ClusterBuckets = s3Settings): Promise<string[]> {
  await s3.send(new CreateBucketCommand({ Bucket: buckets.filesBucket }));
  await s3.send(new CreateBucketCommand({ Bucket: buckets.uploadsBucket }));
  await s3.send(
    new PutBucketLifecycleConfigurationCommand({
      Bucket: buckets.uploadsBucket,
      LifecycleConfiguration: {
        Rules: [{ ID: 'abort-abandoned-tus-multipart', Status: 'Enabled', Filter: { Prefix: '' }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: abandonedMultipartDays } }],
      },
    }),
  );
  const rules = await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: buckets.uploadsBucket }));
  return (rules.Rules ?? []).map((rule) => `${rule.ID} (abort after ${rule.AbortIncompleteMultipartUpload?.DaysAfterInitiation} d)`);
}

/** The back office's token, the same on every instance (cluster mode takes it from the environment only). */
export const clusterAdminToken = 'cluster-test-admin-token-0123456789abcdef';

export interface ClusterCentral {
  readonly name: string;
  readonly process: CentralProcess;
  readonly url: string;
}

export interface ClusterCentralOptions {
  /** `--instance-name`, shown in its logs and readiness answer. */
  readonly name: string;
  /** Default 0: the OS picks (a central not behind the balancer). */
  readonly port?: number;
  /** The HAProxy route its database connections take. */
  readonly pgPort: number;
  /** Extra arguments, e.g. `['--upload-lock', 'memory']` (the negative control) or a short upload age (the sweep). */
  readonly args?: readonly string[];
  /** Default `motcua` (the scenarios'). */
  readonly database?: string;
  /** Default the scenarios' pair (`s3Settings`). */
  readonly buckets?: ClusterBuckets;
  /** Where counters reach the cluster (tus `Location`s); default the balancer. */
  readonly publicUrl?: string;
}

/** One central in cluster mode, per the shared contract of issue 19 (`--cluster`, PostgreSQL, S3, public URL). */
export async function startClusterCentral(opts: ClusterCentralOptions): Promise<ClusterCentral> {
  const central = await startCentralProcess({
    enroll: false,
    port: opts.port ?? 0,
    env: {
      MOTCUA_CENTRAL_ADMIN_TOKEN: clusterAdminToken,
      MOTCUA_CENTRAL_S3_ACCESS_KEY_ID: s3Settings.accessKeyId,
      MOTCUA_CENTRAL_S3_SECRET_ACCESS_KEY: s3Settings.secretAccessKey,
    },
    args: [
      '--cluster',
      '--instance-name',
      opts.name,
      '--database',
      databaseUrl(opts.pgPort, opts.database),
      '--storage',
      's3',
      '--s3-endpoint',
      s3Settings.endpoint,
      '--s3-region',
      s3Settings.region,
      '--s3-files-bucket',
      (opts.buckets ?? s3Settings).filesBucket,
      '--s3-uploads-bucket',
      (opts.buckets ?? s3Settings).uploadsBucket,
      '--public-url',
      opts.publicUrl ?? balancerUrl,
      // One test device sends every scenario's uploads; the per-device brake is per process and not under test here.
      '--max-uploads-per-device',
      '64',
      ...(opts.args ?? []),
    ],
  });
  return {
    name: opts.name,
    process: central,
    get url() {
      return central.url;
    },
  };
}

/** GET /api/v1/ready on one instance: the status and the parsed body (the shared contract's shape). */
export async function readiness(url: string): Promise<{ status: number; body: unknown }> {
  try {
    const res = await fetch(new URL(pathFor('ready'), url), { signal: AbortSignal.timeout(5_000) });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text) as unknown;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body };
  } catch (err) {
    return { status: 0, body: err instanceof Error ? err.message : String(err) };
  }
}

/** Polls readiness until it answers `status`; resolves with the time it took and the last body. */
export async function waitForReadiness(url: string, status: number, timeoutMs = 30_000): Promise<{ ms: number; body: unknown }> {
  const started = performance.now();
  for (;;) {
    const answer = await readiness(url);
    if (answer.status === status) return { ms: Math.round(performance.now() - started), body: answer.body };
    if (performance.now() - started > timeoutMs) throw new Error(`${url}${pathFor('ready')} answered ${answer.status} ${JSON.stringify(answer.body)}, not ${status}, for ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

// ------------------------------------------------------------------------------------------------------------
// The S3 gateway

async function rgwPid(): Promise<number | undefined> {
  const text = await readFile(path.join(cephDir, 'pids', 'rgw.a.pid'), 'utf8').catch(() => undefined);
  return text ? Number(text.trim()) : undefined;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** SIGKILLs radosgw (by the pid ceph-up.sh recorded) and waits until it is gone. */
export async function killGateway(): Promise<void> {
  const pid = await rgwPid();
  if (pid === undefined || !alive(pid)) throw new Error('radosgw is not running');
  process.kill(pid, 'SIGKILL');
  while (alive(pid)) await new Promise((resolve) => setTimeout(resolve, 50));
}

/** Starts radosgw again on the existing cluster; resolves once it answers, with the time it took. */
export async function startGateway(): Promise<number> {
  const started = performance.now();
  await run(path.join(infraDir, 'ceph-up.sh'), ['--rgw-only'], { env: { ...process.env, CEPH_DIR: cephDir, RGW_PORT: String(ports.rgw) } });
  return Math.round(performance.now() - started);
}

// ------------------------------------------------------------------------------------------------------------
// PostgreSQL

async function pgBin(): Promise<string> {
  const { stdout } = await run('bash', ['-c', 'ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1']);
  return stdout.trim();
}

const asPostgres = async (tool: string, args: readonly string[]): Promise<void> => {
  await run('runuser', ['-u', 'postgres', '--', path.join(await pgBin(), tool), ...args]);
};

/** A power cut of the primary: `pg_ctl stop -m immediate` (no shutdown checkpoint, clients cut mid-transaction). */
export function crashPrimary(): Promise<void> {
  return asPostgres('pg_ctl', ['-D', path.join(pgDir, 'primary'), '-m', 'immediate', 'stop']);
}

/** What Patroni does after the leader key expires: promote the synchronous standby; resolves with the time it took. */
export async function promoteStandby(): Promise<number> {
  const started = performance.now();
  await asPostgres('pg_ctl', ['-D', path.join(pgDir, 'standby'), '-w', 'promote']);
  return Math.round(performance.now() - started);
}
