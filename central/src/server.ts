/**
 * The reference central service: health probe, tus uploads, dossier commit, and read-back for tests and IT.
 * `startCentral` is the composition root: the database, file storage and signature checker are chosen here.
 */
import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import type { Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { availableParallelism, hostname } from 'node:os';
import path from 'node:path';
import pLimit from 'p-limit';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { counterEventSchema, protocolVersion, referenceKinds, type CentralError, type Health, type ReferenceKind } from '../../shared/sync/protocol';
import { adminPathPrefix, pathFor, uploadsPrefix } from '../../shared/sync/api-contract';
import { contractRoutes, enforceContract } from './routes';
import { adminTokenEnv, bearerToken, loadAdminToken, tokenMatches, type AdminToken } from './admin-token';
import { grantCodeLeases, reissueClearedCodes } from './code-leases';
import { ackOf, commitDossier, type SignatureVerifier } from './commit';
import { authenticateDevice, enroll, issueEnrollmentCode } from './devices';
import { Faults, faultPlanSchema, type FaultPlan } from './faults';
import { toDongBoHoSoMC } from './export';
import { buildOpenApi } from './openapi';
import type { CentralStorageConfig } from './storage/config';
import { openStorage } from './storage/open-storage';
import { CentralHttpError, zodDetails } from './http-errors';
import { matchesEtag, ReferenceData, replaceableKinds, type ReplaceableKind } from './reference';
import { applyAdminStatus, applyCounterEvent, listChanges, parseCounterEvent, resolveDossier } from './status';
import { isUuid, openStore, type CentralStore } from './store';
import { openDatabase } from './db';
import { runExclusive } from './cluster/elect';
import { removeOrphanObjects, scheduleOrphanRemoval } from './storage/orphans';
import { createUploadLocker, type UploadLockKind } from './cluster/upload-lock';
import { auditEntriesQuerySchema } from '../../shared/audit/chain';
import { DEFAULT_RATE_LIMITS, rateLimiter, type RateLimits } from './rate-limit';
import { makeOwnerOnly, OWNER_ONLY_DIR_MODE } from './data-modes';
import type { TlsMaterial } from './tls';
import { DEFAULT_MAX_UPLOADS_IN_PROGRESS_PER_DEVICE, mountUploads } from './uploads';
import { DEFAULT_UPLOAD_MAX_AGE_MS, scheduleUploadSweep, sweepIntervalFor } from './upload-sweep';
import { counterVersionGate, mountReleases } from './releases';
import { counterVersionHeader, counterVersionSchema, fleetQuerySchema, maxCounterReportBytes, maxCrashReportBytes } from '../../shared/sync/fleet';
import { fleetWorkbook } from './fleet';
import { receiveCrashReport } from './crash-reports';
import { fleetPageCss, fleetPageCsp, fleetPageHtml, fleetPageScript } from './fleet-page';
import { defaultInstanceName, publicLink, type ClusterSettings } from './cluster/settings';
import { ReadinessProbe } from './cluster/readiness';
import { SignatureCheckPool } from './signatures/pool';

export const DEFAULT_MAX_UPLOAD_BYTES = 200 * 1024 * 1024;
const DEFAULT_COMMIT_CONCURRENCY = 4;
const DEFAULT_UPLOAD_IDLE_TIMEOUT_MS = 120_000;

/**
 * How long the central waits for slow or silent clients (issue 17, finding 5). A reverse proxy in front
 * (docs/scaling.md) should cut earlier; these hold when the central is reached directly.
 */
export interface ConnectionLimits {
  /** All request headers must arrive within this time of the connection's first byte (Node `headersTimeout`). */
  readonly headersTimeoutMs: number;
  /**
   * A socket with no byte in either direction for this long is closed while a request is being received (Node's
   * socket timeout). Not applied while the central works on an answer (a commit may wait its turn). A tus PATCH
   * uses `uploadIdleTimeoutMs` instead: an idle timeout, never a total one, so a slow link still uploads.
   */
  readonly idleTimeoutMs: number;
  /** A JSON body (≤ 4 MB, every route but tus uploads) must be received whole within this time. */
  readonly bodyTimeoutMs: number;
  /** An idle keep-alive connection is closed after this long. */
  readonly keepAliveTimeoutMs: number;
  /** Requests on one connection before the central closes it (0 = no limit). */
  readonly maxRequestsPerSocket: number;
  /** Open connections at once; more are closed on arrival (Node `server.maxConnections`). */
  readonly maxConnections: number;
  /** How often Node checks the headers deadline (Node `connectionsCheckingInterval`); default a quarter of it, at most 5 s. */
  readonly checkIntervalMs?: number;
}

const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = {
  headersTimeoutMs: 20_000,
  idleTimeoutMs: 30_000,
  bodyTimeoutMs: 120_000,
  keepAliveTimeoutMs: 65_000,
  maxRequestsPerSocket: 1_000,
  maxConnections: 4_096,
};

export interface StartCentralOptions {
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** 0 (the default) = any free port. */
  readonly port?: number;
  /** Holds `db/` (PGlite), `uploads/` (tus) and `files/` (received PDFs). */
  readonly dataDir: string;
  /** DER certificates the counters' signing chains must end in. */
  readonly trustAnchorsDer: readonly Uint8Array[];
  /** Largest accepted upload; default 200 MB. */
  readonly maxUploadBytes?: number;
  /**
   * Faults to inject (tests only). Never read from the environment here: only the tests' entry of the CLI
   * (tests/support/central-test-entry.ts) turns `MOTCUA_CENTRAL_FAULTS` into this option (issue 17, finding 10).
   */
  readonly faults?: FaultPlan;
  /** Expose `PUT /api/v1/test/faults` to change faults at run time (tests only, like `faults`). */
  readonly faultControl?: boolean;
  /** Serve HTTPS with this certificate and key (central/src/tls.ts); default plain HTTP (behind a TLS proxy, or a lab). */
  readonly tls?: TlsMaterial;
  /** tus uploads one device may have in progress at once; a new one beyond is refused (429 `CENTRAL_UPLOADS_BUSY`). Default 8. */
  readonly maxUploadsInProgressPerDevice?: number;
  /** pino level; default `info`. */
  readonly logLevel?: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Override the signature check (tests of the central itself); default verifyPdfSignatures. */
  readonly verifySignatures?: SignatureVerifier;
  /** PostgreSQL server (`postgres://…`); default `MOTCUA_CENTRAL_DATABASE_URL`, else the embedded PGlite in `<dataDir>/db`. */
  readonly databaseUrl?: string;
  /** The back office's token; default `MOTCUA_CENTRAL_ADMIN_TOKEN`, else `adminTokenFile`, else `<dataDir>/admin-token` (generated once). */
  readonly adminToken?: string;
  /** A file holding the back office's token (owner-only, else refused: admin-token.ts). */
  readonly adminTokenFile?: string;
  /**
   * Commits (and supplement events) checked at the same time; the rest wait their turn in arrival order.
   * Default 4. Each holds one file in memory while its signatures are checked (in a worker: `signatureWorkers`), so
   * without a bound 200 counters committing at once hold 200 files and all finish at the end together (docs/benchmarks.md).
   */
  readonly commitConcurrency?: number;
  /** A tus PATCH with no byte received for this long is cut (the client resumes); default 120 s. */
  readonly uploadIdleTimeoutMs?: number;
  /** Uploads never committed are removed after this long without a write; default 7 days (upload-sweep.ts). */
  readonly uploadMaxAgeMs?: number;
  /** Timeouts and the connection cap; each unset field takes its `DEFAULT_CONNECTION_LIMITS` value. */
  readonly connectionLimits?: Partial<ConnectionLimits>;
  /** Token buckets for enroll (per address), commit (per device) and the back office (per address). */
  readonly rateLimits?: Partial<RateLimits>;
  /**
   * Take the client address from `X-Forwarded-For` set by these proxies (fastify `trustProxy`: addresses or
   * CIDRs). Default none: behind a reverse proxy without it, every client shares the proxy's address.
   */
  readonly trustProxy?: readonly string[];
  /**
   * Issue 16: counters below this version are "outdated" in the fleet view (`--min-counter-version`); without
   * it, those below the newest version any counter reported.
   */
  readonly minCounterVersion?: string;
  /** The central's clock (tests; with `faultControl`, `PUT /api/v1/test/clock` also shifts it). Default the system clock. */
  readonly now?: () => Date;
  /**
   * Issue 19: the tus lock — `memory` (@tus/server's, one process) or `postgres` (cluster/pg-upload-lock.ts, shared by
   * every central on `databaseUrl`; then the upload sweep runs on one elected instance per round). Default `memory`.
   */
  readonly uploadLock?: UploadLockKind;
  /**
   * Issue 19: cluster mode (`--cluster`, checked by cluster/settings.ts): upload `Location`s and export links are
   * built from `publicUrl`, not from the request's Host.
   */
  readonly cluster?: ClusterSettings;
  /** This instance's name in logs and readiness when not in cluster mode; default `<hostname>-<pid>`. */
  readonly instanceName?: string;
  /**
   * Worker threads checking signatures at commit (signatures/pool.ts); default one per core. 0 = on the central's
   * own thread (a large file then stalls every other request while it is checked).
   */
  readonly signatureWorkers?: number;
  /** Issue 19: stored files and tus uploads on the data directory (default) or in two S3 buckets (storage/config.ts). */
  readonly storage?: CentralStorageConfig;
}

export interface RunningCentral {
  /** Base URL, e.g. `http://127.0.0.1:8787` (`https://` with `tls`). */
  readonly url: string;
  readonly port: number;
  readonly adminToken: AdminToken;
  /** Every route the server registered (method, fastify path, its id in shared/sync/api-contract.ts or `tus`). */
  readonly routes: readonly { readonly method: string; readonly path: string; readonly routeId?: string }[];
  /** `embedded` (PGlite) or `postgres`. */
  readonly database: CentralStore['kind'];
  /** This instance's name (logs, readiness). */
  readonly instanceName: string;
  /** Where stored files and uploads live: `disk` (the data directory) or `s3`. */
  readonly storage: CentralStorageConfig['kind'];
  /** Serves `material` to new connections from now on (open ones keep theirs); throws if started without TLS. */
  replaceTls(material: TlsMaterial): void;
  close(): Promise<void>;
}

/** The shared PAdES checker, loaded on demand (tests of the central may pass their own). */
async function defaultVerifier(trustAnchorsDer: Uint8Array[]): Promise<SignatureVerifier> {
  const { verifyPdfSignatures } = await import('../../shared/pdf/verify-pdf');
  return (pdf) => verifyPdfSignatures(pdf, { trustAnchorsDer });
}

function errorBody(code: CentralError['error'], details: CentralError['details'] = {}): CentralError {
  return { error: code, details };
}

/** Headers for the JSON API; the tus routes answer CORS themselves. */
function applyCors(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    if (request.url.startsWith(uploadsPrefix)) return;
    // The back office is called by scripts and the CLI, never by a page: no CORS, no Private Network Access
    // approval, so a web page in a clerk's browser cannot drive it (issue 17, finding 10).
    if (isAdminPath(request.url)) return;
    // Any origin: the counter's page runs from app://, file:// or a web host's localhost port. Every device route
    // wants the device's credential in the Authorization header (never a cookie), so an origin gains nothing by it.
    void reply.header('access-control-allow-origin', '*');
    void reply.header('access-control-expose-headers', 'etag');
    if (request.method === 'OPTIONS') {
      const requested = request.headers['access-control-request-headers'];
      void reply.headers({
        'access-control-allow-methods': 'GET, PUT, POST, OPTIONS',
        'access-control-allow-headers': typeof requested === 'string' && requested ? requested : 'content-type, authorization, if-none-match',
        'access-control-max-age': '600',
      });
      // Chromium's Private Network Access preflight (a page on another address calling localhost).
      if (request.headers['access-control-request-private-network'] === 'true') {
        void reply.header('access-control-allow-private-network', 'true');
      }
      await reply.code(204).send();
    }
  });
}

/** By the raw URL (a preflight matches no route), lower-cased and with repeated slashes folded, so a router option changed later opens no gap. */
function isAdminPath(url: string): boolean {
  const pathname = (url.split(/[?#]/, 1)[0] ?? '').toLowerCase().replace(/\/{2,}/g, '/');
  return pathname.startsWith(adminPathPrefix) || pathname === adminPathPrefix.slice(0, -1);
}

/**
 * Cuts requests whose body trickles in or stalls (issue 17, finding 5). Node's own `requestTimeout` is a total
 * for every request, which would cut a live tus chunk over a slow link, so it stays off: tus uploads get an idle
 * timeout (uploads.ts), other requests an idle timeout and a total body deadline, both lifted once the body is in.
 */
function applyBodyDeadlines(app: FastifyInstance, limits: ConnectionLimits): void {
  const deadlines = new WeakMap<FastifyRequest, NodeJS.Timeout>();
  app.addHook('onRequest', (request, _reply, done) => {
    if (request.url.startsWith(uploadsPrefix) || request.raw.complete) return done();
    const timer = setTimeout(() => {
      if (request.raw.complete) return;
      request.log.warn({ url: request.url, bodyTimeoutMs: limits.bodyTimeoutMs }, 'request body not received in time; connection closed');
      request.raw.socket.destroy();
    }, limits.bodyTimeoutMs);
    timer.unref();
    deadlines.set(request, timer);
    done();
  });
  const lift = (request: FastifyRequest): void => {
    clearTimeout(deadlines.get(request));
    deadlines.delete(request);
  };
  app.addHook('preHandler', (request, _reply, done) => {
    if (request.url.startsWith(uploadsPrefix)) return done();
    lift(request);
    // The body is in: the answer may take a while (a commit waits its turn), which is not the client's idleness.
    request.raw.socket.setTimeout(0);
    done();
  });
  // The answer is ready: a client that stops reading it (a slow-read attack on a file download) is idle again.
  // After the answer, Node's keep-alive timeout takes over the socket.
  app.addHook('onSend', (request, _reply, payload, done) => {
    if (!request.url.startsWith(uploadsPrefix)) request.raw.socket?.setTimeout(limits.idleTimeoutMs);
    done(null, payload);
  });
  app.addHook('onResponse', (request, _reply, done) => {
    lift(request);
    done();
  });
}

export async function startCentral(opts: StartCentralOptions): Promise<RunningCentral> {
  const dataDir = path.resolve(opts.dataDir);
  await mkdir(dataDir, { recursive: true, mode: OWNER_ONLY_DIR_MODE });
  const trustAnchorsDer = opts.trustAnchorsDer.map((der) => new Uint8Array(der));
  const signatureWorkers = opts.signatureWorkers ?? availableParallelism();
  const signaturePool = opts.verifySignatures || signatureWorkers === 0 ? undefined : new SignatureCheckPool({ size: signatureWorkers, trustAnchorsDer });
  const verifySignatures: SignatureVerifier =
    opts.verifySignatures ?? (signaturePool ? (pdf) => signaturePool.verify(pdf) : await defaultVerifier(trustAnchorsDer));
  const instanceName = opts.cluster?.instanceName ?? opts.instanceName ?? defaultInstanceName();
  const faults = new Faults(opts.faults);
  const storage = await openStorage(opts.storage ?? { kind: 'disk' }, dataDir);
  const { files } = storage;
  const adminToken = await loadAdminToken(dataDir, opts.adminToken ?? process.env[adminTokenEnv], opts.adminTokenFile);

  const databaseUrl = opts.databaseUrl ?? (process.env.MOTCUA_CENTRAL_DATABASE_URL || undefined);
  const uploadLockKind = opts.uploadLock ?? 'memory';
  // Checked before the database opens: a `postgres` lock without a PostgreSQL server is a configuration error.
  const uploadLock = createUploadLocker(uploadLockKind, databaseUrl, {
    applicationName: `motcua-upload-lock:${process.pid}`,
    log: { warn: (obj, msg) => app.log.warn(obj, msg), info: (obj, msg) => app.log.info(obj, msg) },
  });
  const db = await openDatabase({ dbDir: path.join(dataDir, 'db'), ...(databaseUrl ? { databaseUrl } : {}) });
  const store: CentralStore = await openStore(db);
  const limits: ConnectionLimits = { ...DEFAULT_CONNECTION_LIMITS, ...opts.connectionLimits };
  const rateLimits: RateLimits = { ...DEFAULT_RATE_LIMITS, ...opts.rateLimits };
  // Dossiers whose duplicate code migration 5 cleared get their new official code before any lookup by code.
  await reissueClearedCodes(store);
  const nodeServerOptions = {
    headersTimeout: limits.headersTimeoutMs,
    connectionsCheckingInterval: limits.checkIntervalMs ?? Math.min(5_000, Math.max(100, Math.round(limits.headersTimeoutMs / 4))),
  };
  const app = Fastify({
    // Every line names the instance (issue 19): several centrals' logs end up in one place.
    logger: { level: opts.logLevel ?? 'info', base: { pid: process.pid, hostname: hostname(), instance: instanceName } },
    bodyLimit: 4 * 1024 * 1024,
    // No total request timeout: uploads may be slow over a counter's link, and a live chunk must not be cut
    // short. Stalled and trickling requests are cut by the idle timeout and body deadlines instead.
    requestTimeout: 0,
    connectionTimeout: limits.idleTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    maxRequestsPerSocket: limits.maxRequestsPerSocket,
    // With TLS, fastify hands `https` (not `http`) to the server it creates: the timeouts go there too. Routes
    // and hooks do not care which, so the instance keeps the plain-HTTP type (the cast below).
    // A TLS handshake must finish within the headers deadline too (Node's default is 120 s): a client that opens
    // connections and never completes the handshake is cut as early as one that never sends its headers.
    ...(opts.tls
      ? { https: { ...nodeServerOptions, handshakeTimeout: limits.headersTimeoutMs, cert: opts.tls.cert, key: opts.tls.key } }
      : { http: nodeServerOptions }),
    ...(opts.trustProxy?.length ? { trustProxy: [...opts.trustProxy] } : {}),
  }) as unknown as FastifyInstance;
  app.server.headersTimeout = limits.headersTimeoutMs;
  app.server.maxConnections = limits.maxConnections;
  // An unknown error's message may name files, SQL or internals: the client gets an id, the log the details.
  const internalError = (request: FastifyRequest, err: unknown): CentralError => {
    const errorId = randomUUID();
    request.log.error({ err, errorId }, 'request failed');
    return errorBody('CENTRAL_SERVER_ERROR', { errorId });
  };

  // Every route as registered (method, path, contract id): the contract test holds the contract and the document to it.
  const routes: { method: string; path: string; routeId?: string }[] = [];
  app.addHook('onRoute', (registered) => {
    const routeId = registered.config?.routeId;
    for (const method of [registered.method].flat()) routes.push({ method, path: registered.url, ...(routeId ? { routeId } : {}) });
  });
  enforceContract(app);
  const openApi = buildOpenApi();

  let clockOffsetMs = 0;
  const now = (): Date => new Date((opts.now?.() ?? new Date()).getTime() + clockOffsetMs);
  if (opts.minCounterVersion !== undefined && !counterVersionSchema.safeParse(opts.minCounterVersion).success) {
    throw new Error(`minCounterVersion "${opts.minCounterVersion}" is not a version major.minor.patch`);
  }

  try {
    applyCors(app);
    applyBodyDeadlines(app, limits);
    // Issue 16: every counter request carries its version; one that cannot be a version is refused at once.
    app.addHook('onRequest', (request, _reply, done) => {
      const version = request.headers[counterVersionHeader];
      if (version === undefined || (typeof version === 'string' && counterVersionSchema.safeParse(version).success)) return done();
      done(new CentralHttpError(400, 'CENTRAL_REJECTED', { reason: 'counter-version-header', header: counterVersionHeader }));
    });

    app.setErrorHandler((err: FastifyError | CentralHttpError, request, reply) => {
      if (err instanceof CentralHttpError) {
        if (err.status >= 500) request.log.warn({ err }, 'commit failed');
        return reply.code(err.status).send(err.toBody());
      }
      const status = typeof err.statusCode === 'number' && err.statusCode >= 400 ? err.statusCode : 500;
      if (status >= 500) return reply.code(500).send(internalError(request, err));
      // Unparseable JSON, wrong content type, body too large…: the request is bad, not the central.
      const code = request.routeOptions.config.routeId === 'commitDossier' ? 'DOSSIER_INVALID' : 'CENTRAL_REJECTED';
      return reply.code(status).send(errorBody(code, { reason: err.code ?? 'bad-request', message: err.message }));
    });
    app.setNotFoundHandler((request, reply) =>
      reply.code(404).send(errorBody('CENTRAL_NOT_FOUND', { method: request.method, path: request.url.split('?', 1)[0] ?? '' })),
    );

    const byAddress = (request: FastifyRequest): string => `ip:${request.ip}`;
    const limitEnroll = rateLimiter('enroll', rateLimits.enroll, byAddress);
    const limitCommit = rateLimiter('commit', rateLimits.commit);
    // Keyed by address, not by the token presented: guessing tokens must not earn a fresh bucket each time.
    const limitAdmin = rateLimiter('admin', rateLimits.admin, byAddress);
    const requireAdmin = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
      await limitAdmin(request, reply);
      if (!tokenMatches(bearerToken(request.headers.authorization), adminToken.token)) throw new CentralHttpError(401, 'ADMIN_UNAUTHENTICATED', {});
    };

    // Every route from the API contract (shared/sync/api-contract.ts): method, path and the admin check come from there.
    const route = contractRoutes({ requireAdmin });
    route(app, 'openApi', async (_request, reply) => reply.header('cache-control', 'no-cache').send(openApi));

    route(app, 'health', async (_request, reply) => {
      const health: Health = { service: 'motcua-central', protocolVersion, time: new Date().toISOString() };
      return reply.header('cache-control', 'no-store').send(health);
    });

    // Issue 19: readiness for a load balancer; /health above stays liveness only.
    const readiness = new ReadinessProbe({ instance: instanceName, pingDatabase: () => store.ping(), probeStorage: () => files.probe(), log: app.log });
    route(app, 'ready', async (_request, reply) => {
      const answer = await readiness.check();
      return reply.code(answer.ready ? 200 : 503).header('cache-control', 'no-store').send(answer);
    });

    const deviceOf = (request: FastifyRequest) => authenticateDevice(store, request.headers.authorization);
    /** The dossier, if it exists and belongs to the calling device's unit; another unit's is a 404, like no dossier (issue 17). */
    const ownDossier = async (request: FastifyRequest, dossierId: string) => {
      const device = await deviceOf(request);
      const dossier = await store.findDossier(dossierId);
      if (!dossier || dossier.unitCode !== device.unit.code) throw new CentralHttpError(404, 'CENTRAL_NOT_FOUND', { dossierId });
      return { device, dossier };
    };

    const uploads = mountUploads(app, {
      storage: storage.uploads,
      maxUploadBytes: opts.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES,
      faults,
      authenticate: (authorization) => authenticateDevice(store, authorization),
      idleTimeoutMs: opts.uploadIdleTimeoutMs ?? DEFAULT_UPLOAD_IDLE_TIMEOUT_MS,
      maxInProgressPerDevice: opts.maxUploadsInProgressPerDevice ?? DEFAULT_MAX_UPLOADS_IN_PROGRESS_PER_DEVICE,
      ...(uploadLock.locker ? { locker: uploadLock.locker } : {}),
      ...(opts.cluster ? { publicUrl: opts.cluster.publicUrl } : {}),
    });

    route(app, 'enroll', async (request, reply) => reply.code(201).send(await enroll(store, request.body)), { preHandler: limitEnroll });

    // Issue 16: a counter below the minimum version sends nothing until it updates (releases.ts).
    const requireCurrentCounter = counterVersionGate(store.releases);
    route(app, 'deviceSelf', async (request, reply) => {
      const device = await deviceOf(request);
      await requireCurrentCounter(request);
      return reply.header('cache-control', 'no-store').send(device);
    });

    // Issue 16: each counter's latest report (fleet view), and its crash uploads.
    const limitReport = rateLimiter('commit', rateLimits.commit);
    route(app, 'counterReport', async (request, reply) => {
      const device = await deviceOf(request);
      const credential = bearerToken(request.headers.authorization) ?? '';
      const header = request.headers[counterVersionHeader];
      const ack = await store.fleet.receive(device, credential, request.body, typeof header === 'string' ? header : undefined, now());
      return reply.header('cache-control', 'no-store').send(ack);
    }, { preHandler: limitReport, bodyLimit: maxCounterReportBytes });
    const limitCrash = rateLimiter('enroll', rateLimits.enroll, byAddress);
    await app.register((scope, _options, registered) => {
      // Crashpad's multipart body, kept as bytes (maybe gzip): crash-reports.ts inflates and parses it.
      scope.addContentTypeParser('multipart/form-data', { parseAs: 'buffer', bodyLimit: maxCrashReportBytes }, (_request, body, done) => done(null, body));
      route<'crashReport', { Querystring: { token?: string } }>(scope, 'crashReport', async (request, reply) => {
        const header = (name: string): string | undefined => {
          const value = request.headers[name];
          return typeof value === 'string' ? value : undefined;
        };
        const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const stored = await receiveCrashReport(
          { fleet: store.fleet, dataDir, now },
          { token: request.query.token, contentType: header('content-type'), contentEncoding: header('content-encoding'), body },
        );
        request.log.warn({ crashReport: stored.id, deviceId: stored.deviceId, size: stored.size }, 'crash report received');
        // Crashpad records the answer body as the report's id.
        return reply.code(201).header('content-type', 'text/plain; charset=utf-8').send(stored.id);
      }, { preHandler: limitCrash, bodyLimit: maxCrashReportBytes });
      registered();
    });

    route(app, 'codeLeases', async (request, reply) => {
      const device = await deviceOf(request);
      return reply.header('cache-control', 'no-store').send(await grantCodeLeases(store, device, request.body));
    });

    const commitSlots = pLimit(opts.commitConcurrency ?? DEFAULT_COMMIT_CONCURRENCY);
    route(app, 'commitDossier', async (request, reply) => {
      const device = await deviceOf(request);
      await requireCurrentCounter(request);
      const answer = await commitSlots(() => commitDossier({ store, uploads, files, verifySignatures, faults, device, log: request.log }, request.params.id, request.body));
      return reply.code(answer.status).send(answer.ack);
    }, { preHandler: limitCommit });

    route(app, 'dossier', async (request, reply) => {
      const { dossier } = await ownDossier(request, request.params.id);
      return reply.header('cache-control', 'no-store').send({
        ack: ackOf(dossier, false),
        contentHash: dossier.contentHash,
        counterReceivedAt: dossier.counterReceivedAt,
        record: dossier.record,
        files: dossier.files.map(({ sha256, size, componentCode, name }) => ({ sha256, size, componentCode, name })),
      });
    });

    route(app, 'dossierFile', async (request, reply) => {
      const { dossier } = await ownDossier(request, request.params.id);
      const file = dossier.files.find((f) => f.sha256 === request.params.sha256);
      if (!file) {
        throw new CentralHttpError(404, 'CENTRAL_NOT_FOUND', { dossierId: request.params.id, sha256: request.params.sha256 });
      }
      return reply
        .headers({ 'content-type': 'application/pdf', 'content-length': String(file.size), 'cache-control': 'no-store' })
        .send(files.openRead(file.storagePath));
    });

    // Issue 19: catalog and calendar in the database, shared by every instance (reference.ts); an older central's
    // files under <dataDir>/reference/ are imported once.
    const reference = new ReferenceData(store.reference, trustAnchorsDer, app.log);
    await reference.importLegacyFiles(dataDir, instanceName);

    route(app, 'changes', async (request, reply) => {
      const device = await deviceOf(request);
      const answer = await listChanges(store, request.query, device.unit.code);
      return reply.header('cache-control', 'no-store').send(answer);
    });

    route(app, 'counterEvent', async (request, reply) => {
      const { device, dossier } = await ownDossier(request, request.params.id);
      await requireCurrentCounter(request);
      const event = parseCounterEvent(request.params.eventId, request.body);
      const answer = await commitSlots(() => applyCounterEvent({ store, uploads, files, verifySignatures, device, log: request.log }, dossier, event));
      return reply.code(answer.status).send(answer.ack);
    });

    route(app, 'resultFile', async (request, reply) => {
      await ownDossier(request, request.params.id);
      if (faults.take('result-500')) throw new CentralHttpError(500, 'CENTRAL_SERVER_ERROR', { fault: 'result-500' });
      const file = await store.findResultFile(request.params.id, request.params.sha256);
      if (!file) throw new CentralHttpError(404, 'CENTRAL_NOT_FOUND', { dossierId: request.params.id, sha256: request.params.sha256 });
      return reply
        .headers({ 'content-type': 'application/pdf', 'content-length': String(file.size), 'cache-control': 'no-store' })
        .send(files.openRead(file.storagePath));
    });

    route(app, 'reference', async (request, reply) => {
      await deviceOf(request);
      const kind = request.params.kind as ReferenceKind;
      if (!referenceKinds.includes(kind)) throw new CentralHttpError(404, 'CENTRAL_NOT_FOUND', { reference: request.params.kind });
      // The current version from the database first: an unchanged copy costs no data read.
      const version = await reference.currentVersion(kind);
      void reply.headers({ etag: `"${version}"`, 'cache-control': 'no-cache' });
      if (matchesEtag(request.headers['if-none-match'], version)) return reply.code(304).send();
      const doc = await reference.get(kind);
      // A replacement committed in between: the document read is the newer one, with its own ETag.
      return reply.header('etag', `"${doc.version}"`).send(doc);
    });

    // ------------------------------------------------------------------------------------ back office
    route(app, 'adminDossierStatus', async (request, reply) => {
      const change = await applyAdminStatus({ store, files }, request.params.id, request.body);
      return reply.code(201).send(change);
    });

    route(app, 'adminDossier', async (request, reply) => {
      const dossier = await resolveDossier(store, request.params.id);
      const history = await store.historyOf(dossier.id);
      return reply.header('cache-control', 'no-store').send({
        dossierId: dossier.id,
        centralId: dossier.centralId,
        code: dossier.code,
        unitCode: dossier.unitCode,
        status: dossier.status,
        appointmentAt: dossier.appointmentAt,
        history,
      });
    });

    route(app, 'adminEnrollmentCodes', async (request, reply) =>
      reply.code(201).send(await issueEnrollmentCode(store, request.body)),
    );

    route(app, 'adminDevices', async (_request, reply) =>
      reply.header('cache-control', 'no-store').send({ devices: await store.listDevices() }),
    );

    // "Outdated" in the fleet view: below the minimum the back office set for sending (`motcua central release
    // minimum`), else below --min-counter-version, else below the newest version any counter reported.
    const outdatedBelow = async (): Promise<{ minCounterVersion?: string }> => {
      const minimum = (await store.releases.policy()).minimumVersion ?? opts.minCounterVersion;
      return minimum ? { minCounterVersion: minimum } : {};
    };
    route(app, 'adminFleet', async (request, reply) => {
      const query = fleetQuerySchema.safeParse(request.query);
      if (!query.success) throw new CentralHttpError(400, 'CENTRAL_REJECTED', zodDetails(query.error));
      const fleet = await store.fleet.list(query.data, { now, ...(await outdatedBelow()) });
      return reply.header('cache-control', 'no-store').send(fleet);
    });
    route(app, 'adminFleetXlsx', async (request, reply) => {
      const query = fleetQuerySchema.safeParse(request.query);
      if (!query.success) throw new CentralHttpError(400, 'CENTRAL_REJECTED', zodDetails(query.error));
      const fleet = await store.fleet.list(query.data, { now, ...(await outdatedBelow()) });
      const day = fleet.generatedAt.slice(0, 10);
      return reply
        .headers({
          'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          'content-disposition': `attachment; filename="may-quay-${day}.xlsx"`,
          'cache-control': 'no-store',
        })
        .send(await fleetWorkbook(fleet, query.data));
    });
    route(app, 'adminDeviceCrashReports', async (request, reply) => {
      if (!isUuid(request.params.deviceId)) throw new CentralHttpError(404, 'CENTRAL_NOT_FOUND', { deviceId: request.params.deviceId });
      return reply.header('cache-control', 'no-store').send({ crashReports: await store.fleet.crashReportsOf(request.params.deviceId) });
    });
    // The fleet page: static, no data; the admin token is typed into it (fleet-page.ts).
    const pageHeaders = { 'content-security-policy': fleetPageCsp, 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'cache-control': 'no-cache' };
    route(app, 'fleetPage', async (_request, reply) => reply.headers({ ...pageHeaders, 'content-type': 'text/html; charset=utf-8' }).send(fleetPageHtml));
    route(app, 'fleetPageScript', async (_request, reply) => reply.headers({ ...pageHeaders, 'content-type': 'text/javascript; charset=utf-8' }).send(fleetPageScript));
    route(app, 'fleetPageStyle', async (_request, reply) => reply.headers({ ...pageHeaders, 'content-type': 'text/css; charset=utf-8' }).send(fleetPageCss));

    route(app, 'adminRevokeDevice', async (request, reply) => {
      const device = await store.revokeDevice(request.params.deviceId, new Date().toISOString());
      if (!device) throw new CentralHttpError(404, 'CENTRAL_NOT_FOUND', { deviceId: request.params.deviceId });
      return reply.send(device);
    });

    // Issue 17, finding 9: counters' audit logs, verified on receipt; breaks answered AUDIT_CHAIN_BROKEN and kept.
    // Its own buckets at the commit rate: audit batches never use up a counter's dossier commits.
    const limitAudit = rateLimiter('commit', rateLimits.commit);
    route(app, 'auditEntries', async (request, reply) => {
      const device = await deviceOf(request);
      const ack = await store.audit.receive(device.deviceId, request.body, new Date().toISOString());
      const [first] = ack.breaks;
      if (!first) return reply.header('cache-control', 'no-store').send(ack);
      return reply.code(409).send({ error: 'AUDIT_CHAIN_BROKEN', details: { seq: first.seq, reason: first.reason, breaks: ack.breaks.length }, ...ack });
    }, { preHandler: limitAudit, bodyLimit: 1024 * 1024 });
    route(app, 'adminAuditBreaks', async (_request, reply) => reply.header('cache-control', 'no-store').send({ breaks: await store.audit.breaks() }));
    route(app, 'adminAuditDevice', async (request, reply) => {
      if (!isUuid(request.params.deviceId)) throw new CentralHttpError(404, 'CENTRAL_NOT_FOUND', { deviceId: request.params.deviceId });
      return reply.header('cache-control', 'no-store').send(await store.audit.stateOf(request.params.deviceId));
    });
    route(app, 'adminAuditEntries', async (request, reply) => {
      if (!isUuid(request.params.deviceId)) throw new CentralHttpError(404, 'CENTRAL_NOT_FOUND', { deviceId: request.params.deviceId });
      const query = auditEntriesQuerySchema.safeParse(request.query);
      if (!query.success) throw new CentralHttpError(400, 'CENTRAL_REJECTED', zodDetails(query.error));
      return reply.header('cache-control', 'no-store').send({ entries: await store.audit.entries(request.params.deviceId, query.data.after, query.data.limit) });
    });

    route(app, 'adminDossierExport', async (request, reply) => {
      const dossier = await resolveDossier(store, request.params.id);
      const [history, events] = await Promise.all([store.historyOf(dossier.id), store.eventsOf(dossier.id)]);
      const exported = toDongBoHoSoMC(dossier, history, events.map((e) => counterEventSchema.parse(e)), {
        file: (sha256) => publicLink(linkBase, pathFor('dossierFile', { id: dossier.id, sha256 })),
        result: (sha256) => publicLink(linkBase, pathFor('resultFile', { id: dossier.id, sha256 })),
      });
      return reply.header('cache-control', 'no-store').send(exported);
    });

    route(app, 'adminReference', async (request, reply) => {
      const kind = request.params.kind as ReplaceableKind;
      if (!replaceableKinds.includes(kind)) throw new CentralHttpError(404, 'CENTRAL_NOT_FOUND', { reference: request.params.kind });
      const doc = await reference.replace(kind, request.body, `back office at ${request.ip} via ${instanceName}`);
      return reply.send({ kind: doc.kind, version: doc.version, publishedAt: doc.publishedAt });
    });

    // Issue 16, item 5: counter updates (installers, staged rollout, minimum version).
    mountReleases(app, { store: store.releases, dataDir, deviceOf, route });

    if (opts.faultControl) {
      route(app, 'testSetFaults', async (request, reply) => {
        const plan = faultPlanSchema.safeParse(request.body);
        if (!plan.success) throw new CentralHttpError(400, 'CENTRAL_REJECTED', zodDetails(plan.error));
        faults.set(plan.data);
        return reply.send(faults.snapshot());
      });
      route(app, 'testFaults', async (_request, reply) => reply.send(faults.snapshot()));
      route<'testSetClock', { Body: { offsetMs?: unknown } }>(app, 'testSetClock', async (request, reply) => {
        const offset = request.body.offsetMs;
        if (typeof offset !== 'number' || !Number.isSafeInteger(offset)) throw new CentralHttpError(400, 'CENTRAL_REJECTED', { reason: 'offsetMs' });
        clockOffsetMs = offset;
        return reply.send({ offsetMs: clockOffsetMs, now: now().toISOString() });
      });
    }

    // What was created above without the umask (the PGlite directory copied from its template keeps the
    // template's modes; an in-process central has the host's umask) becomes owner-only before any request.
    await makeOwnerOnly(dataDir);
    await app.listen({ host: opts.host ?? '127.0.0.1', port: opts.port ?? 0 });
  } catch (err) {
    await app.close().catch(() => undefined);
    await uploadLock.close();
    await signaturePool?.close();
    await store.close();
    storage.close();
    throw err;
  }

  // Uploads a counter never committed: swept at start and then periodically.
  const uploadMaxAgeMs = opts.uploadMaxAgeMs ?? DEFAULT_UPLOAD_MAX_AGE_MS;
  const sweep = scheduleUploadSweep({
    sweep: (sweptAt) => storage.uploads.sweep({ maxAgeMs: uploadMaxAgeMs, now: sweptAt, isCommitted: (dossierId, sha256) => store.hasDossierFile(dossierId, sha256) }),
    maxAgeMs: uploadMaxAgeMs,
    intervalMs: sweepIntervalFor(uploadMaxAgeMs),
    log: app.log,
    // Uploads shared by several centrals (the reason for a shared lock) are swept by one of them per round.
    ...(uploadLockKind === 'postgres' ? { elect: (round) => runExclusive(db, 'upload-sweep', round) } : {}),
  });
  // Stored objects no row refers to (a crash between storing and recording, a refused dossier): removed daily,
  // by one instance of a cluster (storage/orphans.ts).
  const orphans = scheduleOrphanRemoval({
    round: () => removeOrphanObjects({ files, referenced: (keys) => store.referencedStorageKeys(keys) }),
    log: app.log,
    ...(uploadLockKind === 'postgres' ? { elect: (round) => runExclusive(db, 'orphan-objects', round) } : {}),
  });

  const address = app.server.address() as AddressInfo;
  const shownHost = !opts.host || opts.host === '0.0.0.0' || opts.host === '::' ? '127.0.0.1' : opts.host;
  const url = `${opts.tls ? 'https' : 'http'}://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${address.port}`;
  // Links handed out (exports): the cluster's public address, else this process's own.
  const linkBase = opts.cluster?.publicUrl ?? url;
  let closing: Promise<void> | undefined;
  return {
    url,
    port: address.port,
    adminToken,
    routes,
    database: store.kind,
    instanceName,
    storage: files.kind,
    replaceTls(material) {
      if (!opts.tls) throw new Error('this central was started without TLS');
      (app.server as unknown as HttpsServer).setSecureContext({ cert: material.cert, key: material.key });
    },
    close() {
      closing ??= (async () => {
        await sweep.stop();
        await orphans.stop();
        await app.close();
        await uploadLock.close();
        await signaturePool?.close();
        await store.close();
        storage.close();
      })();
      return closing;
    },
  };
}
