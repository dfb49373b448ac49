/**
 * Command-line runner of the central: `tsx central/src/main.ts --trust <pem> [--port 8787] …`. The app's CLI
 * (`motcua central`, electron/cli/commands/central.ts) wraps this and adds `--demo` (the demo PKI root).
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { AppError } from '../../shared/errors';
import { describeError } from '../../shared/i18n/error-messages';
import { requireOwnerOnlyData, restrictUmask } from './data-modes';
import { parseFaultPlan, type FaultPlan } from './faults';
import type { BucketLimit, RateLimitedRoute, RateLimits } from './rate-limit';
import { DEFAULT_MAX_UPLOAD_BYTES, startCentral, type ConnectionLimits, type StartCentralOptions } from './server';
import { loadTlsMaterial, type TlsFiles } from './tls';
import { loadTrustAnchors } from './trust';
import { chooseUploadLock, isUploadLockKind, uploadLockEnv } from './cluster/upload-lock';
import { resolveClusterSettings } from './cluster/settings';
import { adminTokenEnv } from './admin-token';
import { storageConfigFrom } from './storage/config';

export const centralUsage = `Cách dùng: central [--port 8787] [--host 127.0.0.1] [--data <thư mục>] [--trust <thư mục hoặc tệp PEM>]...
  [--tls-cert <tệp PEM> --tls-key <tệp PEM>] [--admin-token-file <tệp>] [--max-uploads-per-device 8]
  [--max-upload-mb 200] [--upload-max-age-hours 168] [--commit-concurrency 4]
  [--upload-idle-timeout-s 120] [--log-level info]
  [--database postgres://…] [--storage disk|s3 --s3-endpoint <url> [--s3-region us-east-1]
  [--s3-files-bucket motcua-files] [--s3-uploads-bucket motcua-uploads]] [--headers-timeout-s 20] [--idle-timeout-s 30] [--body-timeout-s 120]
  [--keep-alive-timeout-s 65] [--max-connections 4096] [--max-requests-per-socket 1000]
  [--rate-limit enroll=30/0.5,commit=60/2,admin=300/30] [--trust-proxy <địa chỉ hoặc CIDR>]...
  [--min-counter-version <x.y.z>] [--upload-lock memory|postgres]
  [--cluster --public-url https://… [--instance-name <tên>]] [--signature-workers <số luồng>]`;

/** `--…-s` options in seconds → `ConnectionLimits` fields in milliseconds (or plain counts). */
const limitOptions = {
  'headers-timeout-s': ['headersTimeoutMs', 1000],
  'idle-timeout-s': ['idleTimeoutMs', 1000],
  'body-timeout-s': ['bodyTimeoutMs', 1000],
  'keep-alive-timeout-s': ['keepAliveTimeoutMs', 1000],
  'max-connections': ['maxConnections', 1],
  'max-requests-per-socket': ['maxRequestsPerSocket', 1],
} as const satisfies Record<string, readonly [keyof ConnectionLimits, number]>;

/** `enroll=30/0.5,commit=60/2` → bucket limits; undefined if malformed. */
export function parseRateLimits(text: string): Partial<RateLimits> | undefined {
  const limits: Partial<Record<RateLimitedRoute, BucketLimit>> = {};
  for (const item of text.split(',').map((part) => part.trim()).filter(Boolean)) {
    const match = /^(enroll|commit|admin)=(\d+)\/(\d+(?:\.\d+)?)$/.exec(item);
    if (!match) return undefined;
    const burst = Number(match[2]);
    const perSecond = Number(match[3]);
    if (!(burst >= 1 && perSecond > 0)) return undefined;
    limits[match[1] as RateLimitedRoute] = { burst, perSecond };
  }
  return limits;
}

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
type LogLevel = NonNullable<StartCentralOptions['logLevel']>;

export interface CentralCliDefaults {
  /** Trust anchors when no --trust is given (the app's CLI: the demo PKI, with --demo only). */
  readonly defaultTrust?: () => Promise<Uint8Array[]>;
  readonly defaultDataDir?: string;
  /**
   * Accept the fault-injection hooks: `--faults`, `--fault-control` and the `MOTCUA_CENTRAL_FAULTS` /
   * `MOTCUA_CENTRAL_FAULT_CONTROL` environment. Only the tests' entry sets it (tests/support/central-test-entry.ts);
   * `motcua central` cannot, so no option or environment makes a production central fail on purpose.
   */
  readonly testHooks?: boolean;
}

/** Environment defaults of the TLS options (a service manager's unit file may prefer them to arguments). */
const tlsCertEnv = 'MOTCUA_CENTRAL_TLS_CERT';
const tlsKeyEnv = 'MOTCUA_CENTRAL_TLS_KEY';

/** A start-up failure for the person starting the central: Vietnamese, then English, for a known error. */
function describeStartupError(err: unknown): string {
  if (err instanceof AppError) return `${describeError('vi', err.code, err.details)}\n${describeError('en', err.code, err.details)}`;
  return err instanceof Error ? err.message : String(err);
}

/** Starts the central and resolves with an exit code once it stopped on SIGINT/SIGTERM (or failed to start). */
export async function runCentralCli(args: string[], defaults: CentralCliDefaults = {}): Promise<number> {
  // A token given as an argument is visible to every user (`ps`, /proc/<pid>/cmdline): refused by name, not
  // just as an unknown option, so the message says where the token goes instead.
  if (args.some((arg) => arg === '--admin-token' || arg.startsWith('--admin-token='))) {
    console.error(describeStartupError(new AppError('CENTRAL_ADMIN_TOKEN_ON_COMMAND_LINE')));
    return 2;
  }
  let values;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      options: {
        port: { type: 'string', default: '8787' },
        host: { type: 'string', default: '127.0.0.1' },
        data: { type: 'string' },
        trust: { type: 'string', multiple: true },
        'max-upload-mb': { type: 'string' },
        'upload-max-age-hours': { type: 'string' },
        'commit-concurrency': { type: 'string' },
        // Issue 19 — the tus upload lock: `memory` (one process) or `postgres` (shared by the centrals of a cluster).
        'upload-lock': { type: 'string', default: process.env[uploadLockEnv] || undefined },
        'upload-idle-timeout-s': { type: 'string' },
        database: { type: 'string' },
        // Issue 19 — storage of files and uploads on disk or S3 (storage/config.ts; credentials only from the environment).
        storage: { type: 'string' },
        's3-endpoint': { type: 'string' },
        's3-region': { type: 'string' },
        's3-files-bucket': { type: 'string' },
        's3-uploads-bucket': { type: 'string' },
        'tls-cert': { type: 'string', default: process.env[tlsCertEnv] || undefined },
        'tls-key': { type: 'string', default: process.env[tlsKeyEnv] || undefined },
        'admin-token-file': { type: 'string' },
        'max-uploads-per-device': { type: 'string' },
        // Test hooks: parsed always, refused below unless the tests' entry started this (defaults.testHooks).
        faults: { type: 'string' },
        'fault-control': { type: 'boolean', default: false },
        'headers-timeout-s': { type: 'string' },
        'idle-timeout-s': { type: 'string' },
        'body-timeout-s': { type: 'string' },
        'keep-alive-timeout-s': { type: 'string' },
        'max-connections': { type: 'string' },
        'max-requests-per-socket': { type: 'string' },
        'rate-limit': { type: 'string' },
        'trust-proxy': { type: 'string', multiple: true },
        // Issue 16: counters below it show as outdated in the fleet view (default: below the newest reported).
        'min-counter-version': { type: 'string', default: process.env.MOTCUA_CENTRAL_MIN_COUNTER_VERSION || undefined },
        // Issue 19 — cluster settings (central/src/cluster/settings.ts): several centrals on one PostgreSQL and one
        // S3 store behind a load balancer; and the signature checks' worker threads (central/src/signatures/pool.ts).
        cluster: { type: 'boolean', default: process.env.MOTCUA_CENTRAL_CLUSTER === '1' },
        'public-url': { type: 'string', default: process.env.MOTCUA_CENTRAL_PUBLIC_URL || undefined },
        'instance-name': { type: 'string', default: process.env.MOTCUA_CENTRAL_INSTANCE || undefined },
        'signature-workers': { type: 'string', default: process.env.MOTCUA_CENTRAL_SIGNATURE_WORKERS || undefined },
        'log-level': { type: 'string', default: process.env.MOTCUA_CENTRAL_LOG_LEVEL ?? 'info' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (err) {
    console.error(`${err instanceof Error ? err.message : String(err)}\n${centralUsage}`);
    return 2;
  }
  if (!defaults.testHooks && (values.faults !== undefined || values['fault-control'])) {
    console.error(`Unknown option '${values.faults !== undefined ? '--faults' : '--fault-control'}' (test hooks are not part of motcua central)\n${centralUsage}`);
    return 2;
  }
  if (values.help) {
    console.log(centralUsage);
    return 0;
  }
  const port = Number(values.port);
  const maxUploadMb = values['max-upload-mb'] === undefined ? undefined : Number(values['max-upload-mb']);
  const uploadMaxAgeHours = values['upload-max-age-hours'] === undefined ? undefined : Number(values['upload-max-age-hours']);
  const commitConcurrency = values['commit-concurrency'] === undefined ? undefined : Number(values['commit-concurrency']);
  const uploadIdleTimeoutS = values['upload-idle-timeout-s'] === undefined ? undefined : Number(values['upload-idle-timeout-s']);
  const maxUploadsPerDevice = values['max-uploads-per-device'] === undefined ? undefined : Number(values['max-uploads-per-device']);
  const signatureWorkers = values['signature-workers'] === undefined ? undefined : Number(values['signature-workers']);
  const logLevel = values['log-level'];
  const connectionLimits: Partial<Record<keyof ConnectionLimits, number>> = {};
  let limitsValid = true;
  for (const [option, [field, scale]] of Object.entries(limitOptions)) {
    const text = values[option as keyof typeof limitOptions];
    if (text === undefined) continue;
    const value = Number(text) * scale;
    // Max requests per socket may be 0 (no limit); every other limit must be positive.
    if (!Number.isFinite(value) || value < 0 || (value === 0 && field !== 'maxRequestsPerSocket')) limitsValid = false;
    else connectionLimits[field] = Math.round(value);
  }
  const rateLimits = values['rate-limit'] === undefined ? {} : parseRateLimits(values['rate-limit']);
  if (
    !limitsValid ||
    !rateLimits ||
    !Number.isInteger(port) ||
    port < 0 ||
    port > 65535 ||
    (maxUploadMb !== undefined && !(maxUploadMb > 0)) ||
    (uploadMaxAgeHours !== undefined && !(uploadMaxAgeHours > 0)) ||
    (uploadIdleTimeoutS !== undefined && !(uploadIdleTimeoutS > 0)) ||
    (commitConcurrency !== undefined && !(Number.isInteger(commitConcurrency) && commitConcurrency > 0)) ||
    (maxUploadsPerDevice !== undefined && !(Number.isInteger(maxUploadsPerDevice) && maxUploadsPerDevice > 0)) ||
    (signatureWorkers !== undefined && !(Number.isInteger(signatureWorkers) && signatureWorkers >= 0)) ||
    !isLogLevel(logLevel) ||
    (values['upload-lock'] !== undefined && !isUploadLockKind(values['upload-lock']))
  ) {
    console.error(`Tham số không hợp lệ.\n${centralUsage}`);
    return 2;
  }

  // Issue 19: where stored files and uploads live (storage/config.ts), then what cluster mode needs, every missing
  // piece named at once (cluster/settings.ts).
  let storage;
  try {
    storage = storageConfigFrom({
      storage: values.storage,
      s3Endpoint: values['s3-endpoint'],
      s3Region: values['s3-region'],
      s3FilesBucket: values['s3-files-bucket'],
      s3UploadsBucket: values['s3-uploads-bucket'],
    });
  } catch (err) {
    console.error(`Không khởi động được hệ thống trung tâm: ${describeStartupError(err)}`);
    return 1;
  }
  const clusterSettings = resolveClusterSettings({
    cluster: values.cluster,
    databaseUrl: values.database ?? (process.env.MOTCUA_CENTRAL_DATABASE_URL || undefined),
    storage: storage.kind,
    adminTokenFromEnvironment: Boolean(process.env[adminTokenEnv]),
    adminTokenFile: values['admin-token-file'],
    publicUrl: values['public-url'],
    instanceName: values['instance-name'],
  });
  if (!clusterSettings.ok) {
    console.error(`${clusterSettings.problems.map(describeStartupError).join('\n')}\n${centralUsage}`);
    return 2;
  }

  let trustAnchorsDer: Uint8Array[];
  try {
    if (values.trust?.length) trustAnchorsDer = await loadTrustAnchors(values.trust);
    else if (defaults.defaultTrust) trustAnchorsDer = await defaults.defaultTrust();
    else {
      console.error(`${describeStartupError(new AppError('CENTRAL_TRUST_REQUIRED'))}\n${centralUsage}`);
      return 2;
    }
  } catch (err) {
    console.error(`Không đọc được chứng thư gốc tin cậy: ${err instanceof Error ? err.message : String(err)}`);
    return 2;
  }

  const certPath = values['tls-cert'];
  const keyPath = values['tls-key'];
  if ((certPath === undefined) !== (keyPath === undefined)) {
    console.error(`--tls-cert và --tls-key phải đi cùng nhau (--tls-cert and --tls-key go together).\n${centralUsage}`);
    return 2;
  }
  const tlsFiles: TlsFiles | undefined = certPath && keyPath ? { certPath, keyPath } : undefined;
  let uploadLock;
  try {
    const requested = values['upload-lock'];
    uploadLock = chooseUploadLock({ requested: isUploadLockKind(requested) ? requested : undefined, cluster: values.cluster === true, testHooks: defaults.testHooks === true });
  } catch (err) {
    console.error(`${describeStartupError(err)}\n${centralUsage}`);
    return 2;
  }
  let faults: FaultPlan | undefined;
  let faultControl = false;
  if (defaults.testHooks) {
    try {
      faults = { ...parseFaultPlan(process.env.MOTCUA_CENTRAL_FAULTS), ...parseFaultPlan(values.faults) };
    } catch (err) {
      console.error(err instanceof Error ? err.message : String(err));
      return 2;
    }
    faultControl = values['fault-control'] || process.env.MOTCUA_CENTRAL_FAULT_CONTROL === '1';
  }

  const dataDir = path.resolve(values.data ?? defaults.defaultDataDir ?? '.motcua-data/central');
  // Finding 7 of issue 17: owner-only data (data-modes.ts). The umask covers every file PGlite, tus and the file
  // store create later; existing data another user could read or change is refused, not silently tightened.
  restrictUmask();
  let central;
  try {
    await requireOwnerOnlyData(dataDir);
    const tls = tlsFiles ? await loadTlsMaterial(tlsFiles) : undefined;
    if (tls) console.log(`TLS: ${tls.subject}, serial ${tls.serialNumber}, valid until ${tls.validTo}`);
    central = await startCentral({
      host: values.host,
      port,
      dataDir,
      trustAnchorsDer,
      maxUploadBytes: maxUploadMb === undefined ? DEFAULT_MAX_UPLOAD_BYTES : Math.round(maxUploadMb * 1024 * 1024),
      ...(faults ? { faults } : {}),
      faultControl,
      ...(tls ? { tls } : {}),
      ...(values['admin-token-file'] ? { adminTokenFile: values['admin-token-file'] } : {}),
      ...(maxUploadsPerDevice === undefined ? {} : { maxUploadsInProgressPerDevice: maxUploadsPerDevice }),
      ...(commitConcurrency === undefined ? {} : { commitConcurrency }),
      ...(uploadIdleTimeoutS === undefined ? {} : { uploadIdleTimeoutMs: Math.round(uploadIdleTimeoutS * 1000) }),
      ...(uploadMaxAgeHours === undefined ? {} : { uploadMaxAgeMs: Math.round(uploadMaxAgeHours * 3600_000) }),
      ...(values.database ? { databaseUrl: values.database } : {}),
      uploadLock,
      storage,
      connectionLimits,
      rateLimits,
      ...(values['trust-proxy']?.length ? { trustProxy: values['trust-proxy'] } : {}),
      ...(values['min-counter-version'] ? { minCounterVersion: values['min-counter-version'] } : {}),
      instanceName: clusterSettings.instanceName,
      ...(clusterSettings.cluster ? { cluster: clusterSettings.cluster } : {}),
      ...(signatureWorkers === undefined ? {} : { signatureWorkers }),
      logLevel,
    });
  } catch (err) {
    console.error(`Không khởi động được hệ thống trung tâm: ${describeStartupError(err)}`);
    return 1;
  }
  // Tests and scripts read this line to learn the URL (with --port 0 the port is chosen by the OS).
  console.log(
    `motcua-central listening on ${central.url} (data: ${dataDir}, database: ${central.database}, storage: ${central.storage}, trust anchors: ${trustAnchorsDer.length}, instance: ${clusterSettings.instanceName}${clusterSettings.cluster ? `, cluster, public URL ${clusterSettings.cluster.publicUrl}` : ''})`,
  );
  if (central.adminToken.source === 'generated') {
    // Where, never what (issue 17): a log is read by more people than the token is meant for.
    console.log(`Mã quản trị (admin token) mới tạo, lưu tại ${central.adminToken.filePath} (chỉ chủ sở hữu đọc được; lệnh motcua central … đọc nó qua --data)`);
  } else if (central.adminToken.source === 'file') {
    console.log(`Mã quản trị (admin token): tệp ${central.adminToken.filePath}`);
  } else {
    console.log('Mã quản trị (admin token): biến môi trường MOTCUA_CENTRAL_ADMIN_TOKEN');
  }

  const running = central;
  // SIGHUP re-reads the certificate and key (a renewed certificate, e.g. by certbot's deploy hook): new
  // connections get it, open ones keep theirs. A pair that cannot be read or used keeps the old one.
  const reloadTls = async (files: TlsFiles): Promise<void> => {
    try {
      const tls = await loadTlsMaterial(files);
      running.replaceTls(tls);
      console.log(`motcua-central reloaded TLS: ${tls.subject}, serial ${tls.serialNumber}, valid until ${tls.validTo}`);
    } catch (err) {
      console.error(`motcua-central kept the previous TLS certificate; the reload failed: ${describeStartupError(err)}`);
    }
  };
  const onSighup = (): void => {
    if (tlsFiles) void reloadTls(tlsFiles);
  };
  if (tlsFiles) process.on('SIGHUP', onSighup);
  return new Promise<number>((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      process.off('SIGHUP', onSighup);
      console.log(`motcua-central stopping (${signal})`);
      let closed = false;
      // A close that never finishes, or a handle left open after it, must not keep a service manager's stop (or a
      // test's) waiting: past the deadline, say what is still open and exit. Unref'd: a clean stop exits first.
      setTimeout(() => {
        console.warn(
          `motcua-central not stopped ${STOP_DEADLINE_MS / 1000} s after ${signal} (${closed ? 'closed' : 'still closing'}; open: ${process.getActiveResourcesInfo().join(', ') || 'nothing listed'}); exiting`,
        );
        process.exit(closed ? 0 : 1);
      }, STOP_DEADLINE_MS).unref();
      running.close().then(
        () => {
          closed = true;
          resolve(0);
        },
        (err: unknown) => {
          console.error(err);
          resolve(1);
        },
      );
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/** How long a stop signal may take to end the process before it exits anyway. */
const STOP_DEADLINE_MS = 10_000;

function isLogLevel(value: string): value is LogLevel {
  return (logLevels as readonly string[]).includes(value);
}

// Run directly: `tsx central/src/main.ts …` (the test support's fallback when the app's CLI is absent).
if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  process.exitCode = await runCentralCli(process.argv.slice(2));
}
