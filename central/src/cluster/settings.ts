/**
 * Cluster mode (issue 19, item 3; the shared contract of issue 19): `--cluster` says several centrals serve the
 * same counters behind a load balancer, sharing one PostgreSQL database and one S3 store. Such an instance must
 * hold nothing of its own that another instance would need, so cluster mode refuses to start without:
 * - `--database postgres://…` (PGlite is one process's database);
 * - `--storage s3` (files on one machine's disk are not the others');
 * - the admin token from `MOTCUA_CENTRAL_ADMIN_TOKEN` or `--admin-token-file` (not one generated into this
 *   instance's data directory, which the others would not know);
 * - `--public-url`: the address counters reach the cluster at. Upload `Location`s and export links are built
 *   from it, not from the request's `Host` (which names whichever instance or proxy hop the request came through).
 * Each missing one is reported, all at once, in Vietnamese and English.
 *
 * `--instance-name` (default `<hostname>-<pid>`) names the instance in logs and in the readiness answer.
 */
import { hostname } from 'node:os';
import { AppError } from '../../../shared/errors';

export interface ClusterSettings {
  /** This instance's name in logs and readiness. */
  readonly instanceName: string;
  /** The counters' base URL of the cluster, without a trailing slash (`https://motcua.example.gov.vn`, maybe with a path). */
  readonly publicUrl: string;
}

export interface ClusterInput {
  /** `--cluster` / `MOTCUA_CENTRAL_CLUSTER=1`. */
  readonly cluster: boolean;
  /** `--database` or `MOTCUA_CENTRAL_DATABASE_URL`. */
  readonly databaseUrl: string | undefined;
  /** `--storage` (issue 19, item 1). */
  readonly storage: 'disk' | 's3';
  /** `MOTCUA_CENTRAL_ADMIN_TOKEN` is set. */
  readonly adminTokenFromEnvironment: boolean;
  /** `--admin-token-file`. */
  readonly adminTokenFile: string | undefined;
  /** `--public-url` / `MOTCUA_CENTRAL_PUBLIC_URL`. */
  readonly publicUrl: string | undefined;
  /** `--instance-name` / `MOTCUA_CENTRAL_INSTANCE`. */
  readonly instanceName: string | undefined;
}

export type ResolvedCluster =
  | { readonly ok: true; readonly instanceName: string; readonly cluster: ClusterSettings | undefined }
  | { readonly ok: false; readonly problems: readonly AppError[] };

/** `<hostname>-<pid>`: unique among instances on one host, and says which machine. */
export function defaultInstanceName(): string {
  return `${hostname()}-${process.pid}`;
}

const instanceNamePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

/** 127.0.0.0/8, ::1 and `localhost`: an address that never leaves the machine (a test cluster on loopback). */
function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * The public base URL, normalised (no trailing slash), or CENTRAL_PUBLIC_URL_INVALID. HTTPS, like the counters'
 * own rule for the central's address (electron/services/config.ts); plain HTTP only on loopback.
 */
export function parsePublicUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new AppError('CENTRAL_PUBLIC_URL_INVALID', { url: text, reason: 'not a URL' });
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new AppError('CENTRAL_PUBLIC_URL_INVALID', { url: text, reason: 'no user, query or fragment' });
  }
  if (!(url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname)))) {
    throw new AppError('CENTRAL_PUBLIC_URL_INVALID', { url: text, reason: 'https only (http only on loopback)' });
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** `base` + an absolute API path: a base with a path prefix keeps it (`new URL(path, base)` would drop it). */
export function publicLink(base: string, pathname: string): string {
  return `${base.replace(/\/+$/, '')}${pathname}`;
}

/** Checks the cluster settings together; every problem found, not just the first. */
export function resolveClusterSettings(input: ClusterInput): ResolvedCluster {
  const problems: AppError[] = [];
  const instanceName = input.instanceName ?? defaultInstanceName();
  if (!instanceNamePattern.test(instanceName)) problems.push(new AppError('CENTRAL_INSTANCE_NAME_INVALID', { name: instanceName }));
  let publicUrl: string | undefined;
  if (input.publicUrl !== undefined) {
    try {
      publicUrl = parsePublicUrl(input.publicUrl);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      problems.push(err);
    }
  }
  if (!input.cluster) {
    if (input.publicUrl !== undefined) problems.push(new AppError('CENTRAL_PUBLIC_URL_WITHOUT_CLUSTER'));
    return problems.length ? { ok: false, problems } : { ok: true, instanceName, cluster: undefined };
  }
  if (!input.databaseUrl) problems.push(new AppError('CENTRAL_CLUSTER_DATABASE_REQUIRED'));
  if (input.storage !== 's3') problems.push(new AppError('CENTRAL_CLUSTER_S3_REQUIRED'));
  if (!input.adminTokenFromEnvironment && !input.adminTokenFile) problems.push(new AppError('CENTRAL_CLUSTER_ADMIN_TOKEN_REQUIRED'));
  if (input.publicUrl === undefined) problems.push(new AppError('CENTRAL_CLUSTER_PUBLIC_URL_REQUIRED'));
  if (problems.length || publicUrl === undefined) return { ok: false, problems };
  return { ok: true, instanceName, cluster: { instanceName, publicUrl } };
}
