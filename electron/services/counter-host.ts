/**
 * The composition root of the main-side services, shared by Electron main and the web host: both serve
 * exactly these handlers for the IPC contract.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import { sha256Hex } from '../../shared/util/bytes';
import { guardCapturedFile } from '../../shared/capture/import-guard';
import type { IpcHandlers, SignedDigest, SignerRole, SignerStatus } from '../../shared/ipc/contract';
import { checkCentralTransport, defaultConfigFile, demoConfig, loadHostConfig, publicConfig, revocationFetchPolicy, type HostConfig } from './config';
import { deviceSessionFor, type DeviceSession } from './device';
import { diskSpaceOf, type DiskSpace } from './disk-space';
import { openDatabaseLedger, type DatabaseLedger } from './database-ledger';
import { openDossierSpool, type DossierSpool } from './dossier-spool';
import { loadOrCreateDataKey } from './data-key';
import type { CredentialCipher } from './credential-cipher';
import type { KeyStore } from './signing/keystore';
import { openKeyStore } from './signing/open-keystore';
import { defaultIdleLockMinutes, SigningGuard, signingLogFile, type SigningLogLine } from './signing/signing-guard';
import { ensureDemoPki } from './signing/demo-pki';
import { RevocationService } from './signing/revocation';
import { loadTrustAnchors } from './signing/trust-store';
import { createTsaClient } from './signing/tsa-client';
import { openCaptureService, type CaptureService } from './capture';
import { AuditLog } from './audit/audit-log';
import { auditRecordOfSigningLine, clerkFromKeystores } from './audit/audit-sources';
import { openPageProcessor, type PageProcessor } from './imaging/page-processing';
import { enrollmentHandlers, startPresetEnrollment } from './enrollment-handlers';
import { runDoctor } from './doctor/run-doctor';
import { startCounterUpdates, type CounterUpdatesOptions } from './updates/counter-updates';
import { writeSupportBundle } from './diagnostics/write-support-bundle';

export interface CounterHost {
  readonly config: HostConfig;
  readonly handlers: IpcHandlers;
  /** Locks every key and ends every signing session: the Electron shell calls it on screen lock and suspend. */
  lockSigners(reason: 'screen-lock' | 'suspend'): Promise<void>;
  /** Stops scan jobs and the clean-up/OCR workers (a page being read would otherwise keep the process alive). */
  close(): Promise<void>;
}

export interface CounterHostOptions {
  readonly dataDir: string;
  /** Overrides the configured central (the demo launcher starts one on a free port). */
  readonly centralUrl?: string;
  /**
   * The demo was asked for explicitly (`motcua demo`, `motcua host --demo`): a missing configuration becomes
   * the demo one and an `http://` central on loopback is accepted. Otherwise both are refused (issue 17).
   */
  readonly demo?: boolean;
  /** The configuration file (default `<dataDir>/config.json`). */
  readonly configFile?: string;
  /**
   * Where the renderer's IndexedDB lives, for `storage:disk-free` (Electron: its userData folder, which may
   * differ from dataDir). Default: dataDir.
   */
  readonly storageDir?: string;
  /** Seals the device credential with the OS key store (the Electron shell's safeStorage); none in plain Node. */
  readonly credentialCipher?: CredentialCipher;
  /** The clock of the signing guard and certificate checks (tests move it to reach the idle lock). */
  readonly now?: () => Date;
  /** Updates from the central (the Electron shell of a packaged app only: updates/counter-updates.ts). */
  readonly updates?: Pick<CounterUpdatesOptions, 'appVersion' | 'idleSeconds' | 'install' | 'onState'>;
}

export async function openCounterHost(options: CounterHostOptions): Promise<CounterHost> {
  const pkiDir = path.join(options.dataDir, 'pki');
  const configFile = options.configFile ?? defaultConfigFile(options.dataDir);
  // Issue 16: an installer's preset code is traded before the configuration is read for use (the code then
  // leaves the file); a failure is shown on the first-start screen, never stops the host.
  const presetEnrollment = options.demo ? undefined : startPresetEnrollment({ configFile, configDir: options.dataDir, ...(options.credentialCipher ? { cipher: options.credentialCipher } : {}), ...(options.now ? { now: options.now } : {}) });
  const loaded = await loadHostConfig(options.dataDir, options.demo ? () => demoConfig(pkiDir) : undefined, configFile);
  const config: HostConfig = options.centralUrl ? { ...loaded, centralUrl: options.centralUrl } : loaded;
  // Checked on the address actually used, an override included, before anything is opened.
  checkCentralTransport(config.centralUrl, { allowHttpCentral: config.allowHttpCentral, demo: options.demo === true, file: configFile });
  // The demo key store is generated on first run; a real deployment points its key stores elsewhere.
  const usesDemoPki = config.signers.some((s) => s.keystore.kind === 'pkcs12' && path.resolve(path.dirname(s.keystore.path)) === path.resolve(pkiDir));
  if (usesDemoPki) await ensureDemoPki(pkiDir);
  const keystores = new Map<SignerRole, KeyStore>(await Promise.all(config.signers.map(async (s) => [s.role, await openKeyStore(s.keystore)] as const)));
  const trustAnchorsDer = [
    ...(config.trust.anchorsDir ? (await loadTrustAnchors(config.trust.anchorsDir)).anchorsDer : []),
    ...(usesDemoPki ? [new Uint8Array(await readFile(path.join(pkiDir, 'root-ca.der')))] : []),
  ];
  const revocation = new RevocationService({ dataDir: options.dataDir, fetchPolicy: revocationFetchPolicy(config.trust) });
  const deviceSession = () => deviceSessionFor(options.dataDir, config.centralUrl, options.credentialCipher);
  const imaging = openPageProcessor(config.imaging);
  const capture = openCaptureService(config.capture, imaging);
  const storageDir = options.storageDir ?? options.dataDir;
  const now = options.now ?? (() => new Date());
  const audit = new AuditLog({ dataDir: options.dataDir, now, clerk: () => clerkFromKeystores(keystores) });
  // A configuration changed between two starts (IT edited the file loaded above) is an action the log must show.
  await audit.recordConfiguration(sha256Hex(await readFile(configFile)));
  const signingLog = signingLogFile(options.dataDir);
  // Every signing-guard line (session, signature, lock) is also an audit entry, written before the signature.
  const signing = signingGuardFor(config, keystores, async (line) => {
    await signingLog(line);
    await audit.record(auditRecordOfSigningLine(line));
  }, now);
  // Read (or made) once; a key store that refuses is reported on each use, never answered with a new key.
  let dataKeyLoad: Promise<Uint8Array> | undefined;
  const dataKey = (): Promise<Uint8Array> => {
    dataKeyLoad ??= loadOrCreateDataKey(options.dataDir, options.credentialCipher).catch((err: unknown) => {
      dataKeyLoad = undefined;
      throw err;
    });
    return dataKeyLoad.then((key) => key.slice());
  };
  // The idle lock also happens when nobody calls: a key left open at lunch locks by itself.
  const idleTimer = setInterval(() => void signing.enforceIdle().catch(() => undefined), 30_000);
  idleTimer.unref();
  const spool = openDossierSpool(options.dataDir, { dataKey });
  const updates = options.updates ? startCounterUpdates({ ...options.updates, config, dataDir: options.dataDir, deviceSession, signing, spool }) : null;
  return {
    config,
    handlers: {
      ...createIpcHandlers({ config, keystores, trustAnchorsDer, revocation, deviceSession, capture, imaging, diskSpace: () => diskSpaceOf(storageDir), ledger: openDatabaseLedger(options.dataDir), spool, dataKey, signing, audit, now }),
      ...enrollmentHandlers({ config, configDir: options.dataDir, demo: options.demo === true, ...(presetEnrollment ? { preset: presetEnrollment } : {}), ...(options.credentialCipher ? { cipher: options.credentialCipher } : {}), ...(options.now ? { now: options.now } : {}) }),
      'doctor:report': () => runDoctor({ dataDir: options.dataDir, configFile, ...(options.credentialCipher ? { cipher: options.credentialCipher } : {}), ...(options.now ? { now: options.now } : {}) }),
      'diagnostics:support-bundle': () =>
        writeSupportBundle({
          dataDir: options.dataDir,
          configFile,
          now: now(),
          doctorReport: () => runDoctor({ dataDir: options.dataDir, configFile, ...(options.credentialCipher ? { cipher: options.credentialCipher } : {}), ...(options.now ? { now: options.now } : {}) }),
        }),
    },
    lockSigners: (reason) => signing.lockAll(reason),
    close: async () => {
      clearInterval(idleTimer);
      updates?.stop();
      capture.close();
      await imaging.close();
    },
  };
}

/** Channels the composition root serves itself (they need the data folder and the configuration file, not the services below). */
type HostOwnChannels = 'enrollment:status' | 'enrollment:enroll' | 'doctor:report' | 'diagnostics:support-bundle';

interface HandlerDeps {
  readonly config: HostConfig;
  readonly keystores: ReadonlyMap<SignerRole, KeyStore>;
  readonly trustAnchorsDer: readonly Uint8Array[];
  readonly revocation: RevocationService;
  /** This PC's device credential for the configured central (device.ts); absent = not enrolled. */
  readonly deviceSession?: () => Promise<DeviceSession | null>;
  readonly capture: CaptureService;
  /** Free space of the volume holding the renderer's storage (disk-space.ts). */
  readonly diskSpace: () => Promise<DiskSpace>;
  /** Which counter database this PC uses (database-ledger.ts), kept beside the host's other files. */
  readonly ledger: DatabaseLedger;
  /** Main's copy of accepted dossiers until the central confirms them (dossier-spool.ts). */
  readonly spool: DossierSpool;
  /** This PC's data key (data-key.ts), for `storage:data-key`; absent: the renderer is told none is available. */
  readonly dataKey?: () => Promise<Uint8Array>;
  /** Clean-up and OCR of pages (absent in tests that do not need it: every page then reports 'unknown'). */
  readonly imaging?: PageProcessor;
  /** Auto-lock and signing sessions (signing-guard.ts). Default: one from the configuration, logging to nowhere. */
  readonly signing?: SigningGuard;
  /** The clerk-accountability log (audit/audit-log.ts); absent in tests that do not need it (the audit channels then fail). */
  readonly audit?: AuditLog;
  readonly now?: () => Date;
}

/** The guard of these key stores, with the configured idle time (default 15 minutes). */
function signingGuardFor(config: HostConfig, keystores: ReadonlyMap<SignerRole, KeyStore>, log: (line: SigningLogLine) => Promise<void>, now: () => Date = () => new Date()): SigningGuard {
  return new SigningGuard({
    idleLockMs: (config.signing?.idleLockMinutes ?? defaultIdleLockMinutes) * 60_000,
    now,
    log,
    lockAll: async () => {
      for (const store of keystores.values()) await store.lock();
    },
  });
}

function createIpcHandlers({ config, keystores, trustAnchorsDer, revocation, deviceSession, capture, imaging, diskSpace, ledger, spool, dataKey, audit, now = () => new Date(), signing = signingGuardFor(config, keystores, () => Promise.resolve(), now) }: HandlerDeps): Omit<IpcHandlers, HostOwnChannels> {
  const policy = { maxRevocationAgeMs: config.trust.maxRevocationAgeHours * 3_600_000, requireRevocation: config.trust.requireRevocation };
  const keystore = (role: SignerRole): KeyStore => {
    const found = keystores.get(role);
    if (!found) throw new AppError('SIGNER_NOT_CONFIGURED', { role });
    return found;
  };

  /** Chain, validity, key usage and revocation, from cached evidence (works offline). Throws the first problem. */
  const checkCertificate = async (store: KeyStore) => {
    const check = await revocation.check(store.chainDer, trustAnchorsDer, now(), policy);
    const [problem] = check.problems;
    if (problem) throw new AppError(problem.code, problem.details);
    return check;
  };

  return {
    'config:get': () => Promise.resolve(publicConfig(config)),
    'device:session': async () => (deviceSession ? await deviceSession() : null),
    'storage:disk-free': () => diskSpace(),
    'storage:data-key': async () => {
      if (!dataKey) throw new AppError('DATA_KEY_UNAVAILABLE', { reason: 'this host keeps no data key' });
      return { key: await dataKey() };
    },
    ...ledgerHandlers(ledger),
    ...spoolHandlers(spool),
    'signer:list': async () => {
      // An idle key shows as locked before the clerk sees it (the timer may not have fired yet).
      await signing.enforceIdle();
      return Promise.all(config.signers.map(async ({ role }) => ({ role, status: await keystore(role).status() })));
    },
    async 'signer:unlock'({ role, secret }): Promise<SignerStatus> {
      // A second key opened after the idle time must not revive the first one's clock: lock first.
      await signing.enforceIdle();
      const store = keystore(role);
      const status = await store.unlock(secret);
      // Unlocking is the moment the clerk is at the counter: fetch fresh CRL/OCSP if the network allows,
      // then refuse now (not at the first signature) a certificate that cannot be used.
      await revocation.refresh(store.chainDer, trustAnchorsDer);
      try {
        await checkCertificate(store);
      } catch (err) {
        await store.lock();
        throw err;
      }
      signing.touch();
      await audit?.record({ action: 'key-unlocked', details: { role } });
      return status;
    },
    'signer:lock': async ({ role }) => {
      const store = keystore(role);
      const status = await store.lock();
      await signing.noteLock('clerk', role);
      return status;
    },
    'signer:session-open': async ({ dossierId, signatures }) => {
      // A key that idled out is locked now, and a locked key fails here, before the dossier signs anything.
      await signing.enforceIdle();
      for (const role of new Set(signatures.map((s) => s.role))) {
        if ((await keystore(role).status()).state === 'locked') throw new AppError('SIGNER_LOCKED', { role });
      }
      return { sessionId: await signing.open(dossierId, signatures) };
    },
    'signer:session-close': async ({ sessionId, outcome }) => {
      await signing.close(sessionId, outcome);
      return {};
    },
    async 'signer:sign-digest'({ role, digest, sessionId, component }): Promise<SignedDigest> {
      await signing.enforceIdle();
      const store = keystore(role);
      // Counted and logged before anything else: outside a session nothing is even checked, let alone signed.
      await signing.claim(sessionId, component, role, digest);
      const check = await checkCertificate(store);
      const signature = await store.signDigest(digest);
      signing.touch();
      return { ...signature, revocationEvidence: check.revocation.evidence ? [check.revocation.evidence] : [] };
    },
    async 'tsa:request'({ query }) {
      if (!config.tsa) throw new AppError('TSA_UNREACHABLE', { reason: 'no TSA configured' });
      return { reply: await createTsaClient({ url: config.tsa.url, timeoutMs: config.tsa.timeoutSeconds * 1000 })(query) };
    },
    async 'trust:revocation'({ chainDer }) {
      // A citizen's PDF names the addresses: refusals (untrusted chain, private address…) are shown, not thrown.
      const problems = (await revocation.refresh(chainDer, trustAnchorsDer)).flatMap((o) => o.problems);
      const { status, source, thisUpdate, producedAt } = (await revocation.check(chainDer, trustAnchorsDer, now(), { ...policy, requireRevocation: false })).revocation;
      return { status, ...(source ? { source } : {}), ...(thisUpdate ? { thisUpdate } : {}), ...(producedAt ? { producedAt } : {}), ...(problems.length ? { problems: problems.slice(0, 20) } : {}) };
    },
    'trust:anchors': () => Promise.resolve({ anchorsDer: [...trustAnchorsDer] }),
    'capture:devices': () => capture.listDevices(),
    'capture:start': ({ deviceId, settings }) => Promise.resolve(capture.start(deviceId, settings)),
    'capture:poll': ({ jobId, since, waitMs }) => capture.poll(jobId, since, waitMs),
    'capture:import': ({ files }) => Promise.resolve(capture.importFiles(files)),
    'capture:cancel': ({ jobId }) => Promise.resolve(capture.cancel(jobId)),
    'imaging:submit': async ({ bytes, name }) => {
      if (!imaging?.enabled) return { processingId: null };
      const info = await guardCapturedFile(bytes, name);
      if (info.mediaType === 'application/pdf') return { processingId: null };
      return { processingId: imaging.submit(bytes, name, info) };
    },
    'imaging:results': async ({ pages, waitMs }) =>
      imaging ? { results: await imaging.results(pages, waitMs), expectedMs: imaging.expectedOcrMs(pages.map((p) => p.id)) } : { results: pages.map((p) => ({ id: p.id, state: 'unknown' as const })) },
    // Printing needs the sender's window: Electron main answers this channel itself (electron/main/index.ts).
    // Here (the web host, tests) there is no window to print, and the browser prints its page with window.print().
    'print:page': () => Promise.reject(new AppError('PRINT_UNAVAILABLE', { reason: 'no window' })),
    ...auditHandlers(audit),
  };
}

/** The audit log's channels: the renderer reports its actions and drives the log's sync to the central. */
export function auditHandlers(audit: AuditLog | undefined): Pick<IpcHandlers, 'audit:record' | 'audit:pending' | 'audit:acknowledged'> {
  const log = (): AuditLog => {
    if (!audit) throw new AppError('AUDIT_LOG_UNAVAILABLE', { issue: 'no audit log on this host' });
    return audit;
  };
  return {
    'audit:record': async (record) => ({ seq: (await log().record(record)).seq }),
    'audit:pending': async ({ limit, from }) => {
      const { entries, next, localCheck } = await log().pending(limit, from);
      return { entries: [...entries], next, ...(localCheck.ok ? {} : { localBreak: localCheck.break }) };
    },
    'audit:acknowledged': async ({ seq }) => {
      await log().acknowledge(seq);
      return {};
    },
  };
}

/** The ledger's channels: also served by the fault suite's stand-in for main (tests/fault/harness/counter-main.ts). */
export function ledgerHandlers(ledger: DatabaseLedger): Pick<IpcHandlers, 'storage:ledger-check' | 'storage:ledger-adopt' | 'storage:ledger-code' | 'storage:ledger-leases'> {
  return {
    'storage:ledger-check': (database) => ledger.check(database),
    'storage:ledger-adopt': ({ database, previousDatabaseId }) => ledger.adopt(database, previousDatabaseId),
    'storage:ledger-leases': async ({ leases }) => {
      await ledger.recordLeases(leases);
      return {};
    },
    'storage:ledger-code': async ({ databaseId, code, dossiersHeld }) => {
      await ledger.recordCode(databaseId, code, dossiersHeld);
      return {};
    },
  };
}

/** The spool's channels: also served by the fault suite's stand-in for main (tests/fault/harness/counter-main.ts). */
export function spoolHandlers(
  spool: DossierSpool,
): Pick<IpcHandlers, 'spool:prepare' | 'spool:prepare-event' | 'spool:commit' | 'spool:discard' | 'spool:release' | 'spool:list' | 'spool:read' | 'spool:read-event'> {
  const done = async (work: Promise<void>) => {
    await work;
    return {};
  };
  return {
    'spool:prepare': (entry) => done(spool.prepare(entry)),
    'spool:prepare-event': (entry) => done(spool.prepareEvent(entry)),
    'spool:commit': (ids) => done(spool.commit(ids)),
    'spool:discard': (ids) => done(spool.discard(ids)),
    'spool:release': (ids) => done(spool.release(ids)),
    'spool:list': async () => ({ entries: await spool.list() }),
    'spool:read': ({ dossierId }) => spool.read(dossierId),
    'spool:read-event': ({ eventId }) => spool.readEvent(eventId),
  };
}
