/**
 * The reference central as a real separate process, for integration and end-to-end tests: started through
 * the app's CLI (`node electron/cli/bin.mjs central …`), killable with SIGKILL, restartable on the same port
 * and data directory.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { get as httpsGet } from 'node:https';
import os from 'node:os';
import type { TLSSocket } from 'node:tls';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { Upload } from 'tus-js-client';
import { Pkcs12KeyStore } from '../../electron/services/signing/pkcs12-keystore';
import { signPdf } from '../../shared/pdf/sign-pdf';
import {
  adminEnrollmentCodeResponseSchema,
  enrollResponseSchema,
  healthSchema,
  protocolVersion,
  type EnrollResponse,
} from '../../shared/sync/protocol';
import { sha256Hex } from '../../shared/util/bytes';
import { getTestPki } from './pki';
import { stopProcess } from './stop-process';
import { centralCliEnv, recordCentralStart } from './test-run';
import { pathFor, tusEndpointPath } from '../../shared/sync/api-contract';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface CentralProcessOptions {
  /** Default: a fresh temp directory, removed by `stop()`. */
  readonly dataDir?: string;
  /** Default 0: the OS picks; restarts reuse the port it picked. */
  readonly port?: number;
  /** Trust anchors: PEM/DER files or directories. Default: the test PKI's root. */
  readonly trust?: string | readonly string[];
  /** Extra environment, e.g. `{ MOTCUA_CENTRAL_FAULTS: 'commit-500=1' }`. */
  readonly env?: Record<string, string>;
  /** Options for node itself, before the script, e.g. `['--cpu-prof', '--cpu-prof-dir', dir]` (bench profiling). */
  readonly nodeArgs?: readonly string[];
  /** Extra CLI arguments, e.g. `['--max-upload-mb', '1']`. */
  readonly args?: readonly string[];
  /** How long to wait for /health; default 60 s (a first PGlite start creates its database). */
  readonly startTimeoutMs?: number;
  /** Enroll a device of `testUnit`, counter 1, whose credential `credential` holds (default true). */
  readonly enroll?: boolean;
  /** PEM of the CA the central's TLS certificate chains to (a central started with `--tls-cert`): the health probe trusts it. */
  readonly tlsCa?: string;
  /**
   * Run the app's own `motcua central` (electron/cli/bin.mjs, through tsx) instead of the tests' entry with the
   * fault hooks: to show what a production central does with them. Slower to start.
   */
  readonly productionCli?: boolean;
}

/** The unit `makeCommit` uses; the default device is enrolled for it. */
export const testUnit = { code: '000.00.01.H22', name: 'UBND xã Thử Nghiệm' } as const;
/** The counter number of the device `startCentralProcess` enrolls for itself (`credential`). */
export const ownDeviceCounter = 9;

export interface CentralProcess {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** The back office's token (`MOTCUA_CENTRAL_ADMIN_TOKEN`, random per helper). */
  readonly adminToken: string;
  /** The default device's credential (unit `testUnit`, counter 1), unless started with `enroll: false`. */
  readonly credential: string | undefined;
  readonly port: number;
  readonly dataDir: string;
  readonly pid: number | undefined;
  /** Everything the process printed (stdout + stderr), for failure messages. */
  output(): string;
  /** Sends `signal` (default SIGKILL) and waits for the process to exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts the central again on the same port and data directory (killing it first if still running). */
  restart(opts?: { env?: Record<string, string> }): Promise<CentralProcess>;
  /** SIGTERM, wait, and remove the data directory if this helper created it. */
  stop(): Promise<void>;
}

/**
 * What runs `motcua central` with the test hooks (after `node`): the run's bundle of it (test-run.ts), else the
 * tests' entry through tsx — a test file run outside the runners' global set-up still works, only slower to start.
 */
export function centralCommandLine(): string[] {
  const bundled = process.env[centralCliEnv];
  if (bundled && existsSync(bundled)) return [bundled];
  return [path.join(repoRoot, 'tests', 'support', 'central-test-bin.mjs')];
}

/** The app's `motcua central` as a user runs it (no test hooks). */
function productionCentralCommandLine(): string[] {
  return [path.join(repoRoot, 'electron', 'cli', 'bin.mjs'), 'central'];
}

const listeningLine = /motcua-central listening on (https?:\/\/\S+)/;

/** Centrals still running: killed if the test process exits without stopping them (no orphans). */
const liveChildren = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of liveChildren) child.kill('SIGKILL');
});

/** One central process at a time, started by `command(port)`, restartable on the port it first got. */
export interface CentralRunner {
  readonly url: string;
  readonly port: number;
  readonly pid: number | undefined;
  readonly running: () => boolean;
  /** Everything the process printed (stdout + stderr, the last 200 kB). */
  readonly output: () => string;
  /** Starts the process and waits until /health answers the central's shape (or it exits, or times out). */
  readonly launch: () => Promise<void>;
  /** Sends `signal` (default SIGKILL) and waits for the process to exit. */
  readonly kill: (signal?: NodeJS.Signals) => Promise<void>;
}

export interface CentralRunnerOptions {
  /** Program and arguments; `port` is 0 the first time, then the port the central reported. */
  readonly command: (port: number) => readonly string[];
  readonly env?: () => Record<string, string>;
  readonly initialPort?: number;
  /** Default 60 s (a first PGlite start creates its database). */
  readonly startTimeoutMs?: number;
  /** PEM of the CA an HTTPS central's certificate chains to, for the health probe. */
  readonly tlsCa?: string;
}

/** Shared by the integration tests' central and the fault suite's (which wraps the command in `ip netns exec`). */
export function centralRunner(opts: CentralRunnerOptions): CentralRunner {
  let port = opts.initialPort ?? 0;
  let url = '';
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let log = '';
  const alive = () => child !== undefined && child.exitCode === null && child.signalCode === null;

  const launch = async (): Promise<void> => {
    const startedAt = performance.now();
    const startedBy = callingTestFile();
    const [program, ...args] = opts.command(port);
    if (!program) throw new Error('centralRunner: empty command');
    // `ip netns exec` execs the program, so the pid held is the central's own either way.
    const proc = spawn(program, args, { cwd: repoRoot, env: { ...process.env, ...opts.env?.() }, stdio: ['ignore', 'pipe', 'pipe'] });
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
    proc.stdout.on('data', collect);
    proc.stderr.on('data', collect);

    const timeoutMs = opts.startTimeoutMs ?? 60_000;
    const deadline = Date.now() + timeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const failed = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`central did not start within ${timeoutMs} ms:\n${log.slice(-4000)}`)), timeoutMs);
      void exited.then(() => reject(new Error(`central exited (code ${proc.exitCode}, signal ${proc.signalCode}) before it was ready:\n${log.slice(-4000)}`)));
    });
    try {
      url = await Promise.race([urlSeen, failed]);
      port = Number(new URL(url).port);
      await Promise.race([waitForHealth(url, () => !alive() || Date.now() > deadline, opts.tlsCa), failed]);
    } catch (err) {
      proc.kill('SIGKILL');
      await exited;
      throw err;
    } finally {
      clearTimeout(timer);
    }
    recordCentralStart({ ms: performance.now() - startedAt, by: startedBy });
    // Forget the start-up line so that the next launch's own line is the one matched.
    log = log.replace(listeningLine, 'motcua-central was listening on $1');
  };

  const kill = async (signal: NodeJS.Signals = 'SIGKILL'): Promise<void> => {
    if (child) await stopProcess(child, 'the central', signal);
    await exited;
    // The central names what kept it from stopping in time (central/src/main.ts): keep that in the test log.
    const late = /motcua-central not stopped .*/.exec(log)?.[0];
    if (late) {
      console.warn(late);
      log = log.replace('motcua-central not stopped', 'motcua-central was not stopped');
    }
  };

  return {
    get url() {
      return url;
    },
    get port() {
      return port;
    },
    get pid() {
      return child?.pid;
    },
    running: alive,
    output: () => log,
    launch,
    kill,
  };
}

export async function startCentralProcess(opts: CentralProcessOptions = {}): Promise<CentralProcess> {
  const ownsDataDir = !opts.dataDir;
  const dataDir = opts.dataDir ?? (await mkdtemp(path.join(os.tmpdir(), 'motcua-central-')));
  const trust = opts.trust === undefined ? [(await getTestPki()).rootCaPemPath] : typeof opts.trust === 'string' ? [opts.trust] : [...opts.trust];

  const adminToken = opts.env?.MOTCUA_CENTRAL_ADMIN_TOKEN ?? `test-admin-${randomBytes(16).toString('hex')}`;
  let env = { MOTCUA_CENTRAL_ADMIN_TOKEN: adminToken, ...opts.env };
  const runner = centralRunner({
    initialPort: opts.port ?? 0,
    command: (port) => [
      process.execPath,
      ...(opts.nodeArgs ?? []),
      ...(opts.productionCli ? productionCentralCommandLine() : centralCommandLine()),
      '--port',
      String(port),
      '--host',
      '127.0.0.1',
      '--data',
      dataDir,
      '--log-level',
      'warn',
      ...trust.flatMap((t) => ['--trust', t]),
      ...(opts.args ?? []),
    ],
    env: () => env,
    ...(opts.startTimeoutMs !== undefined ? { startTimeoutMs: opts.startTimeoutMs } : {}),
    ...(opts.tlsCa !== undefined ? { tlsCa: opts.tlsCa } : {}),
  });
  const { launch, kill } = runner;

  const handle: CentralProcess = {
    get url() {
      return runner.url;
    },
    get port() {
      return runner.port;
    },
    adminToken,
    credential: undefined as string | undefined,
    dataDir,
    get pid() {
      return runner.pid;
    },
    output: () => runner.output(),
    kill,
    async restart(restartOpts) {
      await kill('SIGTERM');
      if (restartOpts?.env) env = { ...env, ...restartOpts.env };
      await launch();
      return handle;
    },
    async stop() {
      await kill('SIGTERM');
      if (ownsDataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };

  try {
    await launch();
    // Counter 9: the central holds one PC per counter number, and tests enroll their own counters from 1.
    if (opts.enroll !== false) (handle as { credential: string | undefined }).credential = (await enrollTestDevice(handle, { counterNo: ownDeviceCounter, deviceName: 'Máy thử nghiệm (central-process)' })).credential;
  } catch (err) {
    await kill('SIGKILL');
    if (ownsDataDir) await rm(dataDir, { recursive: true, force: true });
    throw err;
  }
  return handle;
}

/** Issues a one-time code through the admin API and enrolls a device with it. */
export async function enrollTestDevice(
  central: Pick<CentralProcess, 'url' | 'adminToken'>,
  opts: { unit?: { code: string; name: string }; counterNo?: number; deviceName?: string } = {},
): Promise<EnrollResponse> {
  const issued = await adminCall(central, 'POST', pathFor('adminEnrollmentCodes'), { unit: opts.unit ?? testUnit, counterNo: opts.counterNo ?? 1 });
  if (issued.status !== 201) throw new Error(`enrollment code refused: ${issued.status} ${JSON.stringify(issued.body)}`);
  const { enrollmentCode } = adminEnrollmentCodeResponseSchema.parse(issued.body);
  const res = await fetch(new URL(pathFor('enroll'), central.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ enrollmentCode, deviceName: opts.deviceName ?? 'Máy thử nghiệm' }),
  });
  if (res.status !== 201) throw new Error(`enrollment refused: ${res.status} ${await res.text()}`);
  return enrollResponseSchema.parse(await res.json());
}

/** The test file (outside tests/support) on the caller's stack, to name the slowest start in the summary. */
function callingTestFile(): string {
  const frames = new Error().stack?.split('\n') ?? [];
  for (const frame of frames) {
    const match = /(tests\/(?!support\/)[\w./-]+\.ts)/.exec(frame);
    if (match?.[1]) return match[1];
  }
  return 'unknown';
}

/** Polls /health until it answers the central's exact shape. */
async function waitForHealth(url: string, givenUp: () => boolean, tlsCa?: string): Promise<void> {
  while (!givenUp()) {
    try {
      const healthUrl = new URL(pathFor('health'), url);
      if (healthUrl.protocol === 'https:') {
        const answer = await httpsGetText(healthUrl, { ...(tlsCa ? { ca: tlsCa } : {}), timeoutMs: 2_000 });
        if (answer.status === 200 && healthSchema.safeParse(JSON.parse(answer.body)).success) return;
      } else {
        const res = await fetch(healthUrl, { signal: AbortSignal.timeout(2_000) });
        if (res.ok && healthSchema.safeParse(await res.json()).success) return;
      }
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * GET over HTTPS trusting `ca` (Node's fetch takes no CA of its own without undici's Agent): the status, the
 * body, and the certificate the server presented.
 */
export function httpsGetText(
  url: URL,
  opts: { ca?: string; timeoutMs?: number } = {},
): Promise<{ status: number; body: string; peerSerial: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = httpsGet(url, { ...(opts.ca ? { ca: opts.ca } : {}), agent: false, timeout: opts.timeoutMs ?? 10_000 }, (res) => {
      const socket = res.socket as TLSSocket;
      const peerSerial = socket.getPeerCertificate().serialNumber as string | undefined;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, peerSerial }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url.href} in time`)));
    req.on('error', reject);
  });
}

// ---------------------------------------------------------------------------------------------------------
// Fixtures for talking to a central: signed PDFs, tus uploads, commits.

export interface TusUploadOptions {
  readonly dossierId: string;
  readonly filename?: string;
  /** Default: the whole file in one PATCH. */
  readonly chunkSize?: number;
  /** Resume this upload instead of creating one. */
  readonly uploadUrl?: string;
  /** Declared in the metadata; default the real SHA-256. */
  readonly sha256?: string;
  /** Called after each PATCH the central accepted. */
  readonly onChunkComplete?: (bytesAccepted: number, bytesTotal: number) => void;
  /** Called with the upload URL as soon as the central created it. */
  readonly onUploadUrl?: (url: string) => void;
}

/** Where a test talks to: a bare URL, or a central handle with the device credential its calls carry. */
export type CentralTarget = string | { readonly url: string; readonly credential?: string };

const urlOf = (target: CentralTarget): string => (typeof target === 'string' ? target : target.url);
const authHeaders = (target: CentralTarget): Record<string, string> =>
  typeof target !== 'string' && target.credential ? { authorization: `Bearer ${target.credential}` } : {};

/** fetch against the central with the target's credential. */
export function centralFetch(target: CentralTarget, pathname: string, init: RequestInit = {}): Promise<Response> {
  return fetch(new URL(pathname, urlOf(target)), { ...init, headers: { ...authHeaders(target), ...(init.headers as Record<string, string> | undefined) } });
}

/** Uploads `bytes` with tus-js-client (Node), no retries; resolves with the upload URL. */
export function tusUpload(target: CentralTarget, bytes: Uint8Array, opts: TusUploadOptions): Promise<string> {
  const centralUrl = urlOf(target);
  return new Promise<string>((resolve, reject) => {
    const upload = new Upload(Buffer.from(bytes), {
      endpoint: new URL(tusEndpointPath, centralUrl).href,
      headers: authHeaders(target),
      uploadUrl: opts.uploadUrl ?? null,
      chunkSize: opts.chunkSize ?? Number.POSITIVE_INFINITY,
      retryDelays: null,
      storeFingerprintForResuming: false,
      metadata: { dossierId: opts.dossierId, sha256: opts.sha256 ?? sha256Hex(bytes), filename: opts.filename ?? 'tep.pdf', filetype: 'application/pdf' },
      onUploadUrlAvailable: () => {
        if (upload.url) opts.onUploadUrl?.(upload.url);
      },
      onChunkComplete: (_chunk, accepted, total) => opts.onChunkComplete?.(accepted, total),
      onSuccess: () => (upload.url ? resolve(upload.url) : reject(new Error('tus upload finished without a URL'))),
      onError: reject,
    });
    upload.start();
  });
}

/** A one-page PDF padded with `paddingBytes` random bytes (an attachment), so it spans several tus chunks. */
export async function makePdf(opts: { paddingBytes?: number; text?: string } = {}): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([595, 842]);
  page.drawText(opts.text ?? 'Ho so thu nghiem', { x: 50, y: 780, size: 14, font: await doc.embedFont(StandardFonts.Helvetica) });
  if (opts.paddingBytes) await doc.attach(randomBytes(opts.paddingBytes), 'padding.bin', { mimeType: 'application/octet-stream' });
  return doc.save({ useObjectStreams: false });
}

/** A PAdES-signed PDF by the test PKI's counter signer. */
export async function makeSignedPdf(opts: { paddingBytes?: number; text?: string } = {}): Promise<Uint8Array> {
  const pki = await getTestPki();
  const signingTime = new Date();
  const keystore = new Pkcs12KeyStore({ path: pki.counterSignerP12Path, label: 'test' });
  await keystore.unlock(pki.password);
  return signPdf(await makePdf(opts), keystore, { reason: 'Tiếp nhận hồ sơ', location: 'Bộ phận Một cửa', signerName: 'Quầy 1', signingTime });
}

export interface CommitFileInput {
  readonly bytes: Uint8Array;
  readonly uploadUrl: string;
  readonly componentCode?: string;
  readonly name?: string;
  /** Declared hash; default the real one. */
  readonly sha256?: string;
}

/** A valid DossierCommit body for `id` with the given uploaded files. */
export function makeCommit(id: string, files: readonly CommitFileInput[], overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const now = new Date();
  return {
    protocolVersion,
    id,
    code: '000.00.01.H22-250101-0001',
    receivingUnit: { code: '000.00.01.H22', name: 'UBND xã Thử Nghiệm' },
    counterNo: 1,
    procedure: { code: '1.001234', name: 'Đăng ký khai sinh' },
    applicant: { fullName: 'Nguyễn Văn An', idNumber: '001203004567', phone: '0912345678', address: 'Số 1, phố Tràng Tiền, Hà Nội' },
    receivedAt: now.toISOString(),
    appointmentAt: new Date(now.getTime() + 3 * 86_400_000).toISOString(),
    files: files.map((f, i) => ({
      componentCode: f.componentCode ?? `TP${i + 1}`,
      name: f.name ?? `thanh-phan-${i + 1}.pdf`,
      mediaType: 'application/pdf',
      size: f.bytes.byteLength,
      sha256: f.sha256 ?? sha256Hex(f.bytes),
      uploadUrl: f.uploadUrl,
      pageCount: 1,
    })),
    ...overrides,
  };
}

/** PUT the commit; resolves with the status and the parsed JSON body. */
export async function putCommit(target: CentralTarget, id: string, body: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(new URL(pathFor('commitDossier', { id }), urlOf(target)), {
    method: 'PUT',
    headers: { 'content-type': 'application/json', ...authHeaders(target) },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

/** A JSON call to the back-office API with the admin token; resolves with the status and parsed body. */
export async function adminCall(
  central: Pick<CentralProcess, 'url' | 'adminToken'>,
  method: 'GET' | 'POST' | 'PUT',
  pathname: string,
  body?: unknown,
): Promise<{ status: number; body: unknown }> {
  const res = await fetch(new URL(pathname, central.url), {
    method,
    headers: { authorization: `Bearer ${central.adminToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

/** The back office moves a dossier (by id or code) to a national status, as the test clerk of the deciding unit. */
export function backOfficeStatus(central: Pick<CentralProcess, 'url' | 'adminToken'>, idOrCode: string, body: Record<string, unknown>): Promise<{ status: number; body: unknown }> {
  return adminCall(central, 'POST', pathFor('adminDossierStatus', { id: idOrCode }), { actor: 'Nguyễn Thị Xử Lý', department: 'Phòng Tư pháp', ...body });
}
