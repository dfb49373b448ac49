/**
 * The doctor's probes on this machine: each measures one thing and either returns it or throws a coded
 * AppError. Read-only: nothing is created (no data key, no spool folder, no revocation fetch).
 */
import { access, constants, readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { AppError, isErrorCode } from '../../../shared/errors';
import { centralErrorSchema, deviceRecordSchema } from '../../../shared/sync/protocol';
import { defaultConfigFile, loadHostConfig, type HostConfig, type KeystoreConfig } from '../config';
import type { CaptureConfig } from '../capture';
import { captureSources } from '../capture';
import { CaptureService } from '../capture/capture-service';
import type { CredentialCipher } from '../credential-cipher';
import { loadStoredDevice } from '../device';
import { diskSpaceOf, type DiskSpace } from '../disk-space';
import { dossierSpoolDirName, openDossierSpool } from '../dossier-spool';
import { readCentralClock } from '../enrollment';
import { listTokens } from '../signing/pkcs11-keystore';
import { findInstalledLibraries } from '../signing/pkcs11-libraries';
import type { BacklogReading, CentralHealthReading, DeviceSelfReading, ScannerReading, SignerReading, TokenReading } from './checks';
import { pathFor } from '../../../shared/sync/api-contract';

export interface DoctorProbes {
  /** This PC's clock (tests inject one two hours off). */
  now(): Date;
  loadConfig(): Promise<HostConfig>;
  centralHealth(centralUrl: string): Promise<CentralHealthReading>;
  /** Throws CENTRAL_UNREACHABLE when the central does not answer (the check then says "not checked"). */
  deviceSelf(centralUrl: string): Promise<DeviceSelfReading>;
  diskSpace(): Promise<DiskSpace>;
  scanners(capture: CaptureConfig): Promise<ScannerReading>;
  /** PKCS#11: the driver library's tokens (throws SIGNER_LIBRARY_MISSING); PKCS#12: whether the file reads. */
  signer(keystore: KeystoreConfig): Promise<SignerReading>;
  /** Fetch time of the newest CRL/OCSP answer kept on this PC; null when none. */
  revocationNewest(): Promise<Date | null>;
  /** Throws TSA_UNREACHABLE when nothing answers at the address. */
  tsa(url: string, timeoutMs: number): Promise<{ latencyMs: number }>;
  /** Main's copy of the dossiers and counter events the central has not acknowledged (dossier-spool.ts). */
  backlog(): Promise<BacklogReading>;
}

export interface MachineProbeOptions {
  readonly dataDir: string;
  readonly configFile?: string;
  readonly cipher?: CredentialCipher;
  readonly fetch?: typeof fetch;
  readonly now?: () => Date;
  /** How long to wait for the central and the TSA; default 8 s. */
  readonly timeoutMs?: number;
}

const revocationCacheSchema = z.object({ evidence: z.array(z.object({ fetchedAt: z.string() }).loose()) }).loose();

export function machineProbes(opts: MachineProbeOptions): DoctorProbes {
  const now = opts.now ?? (() => new Date());
  const doFetch = opts.fetch ?? fetch;
  const timeoutMs = opts.timeoutMs ?? 8_000;
  const configFile = opts.configFile ?? defaultConfigFile(opts.dataDir);
  return {
    now,
    loadConfig: () => loadHostConfig(opts.dataDir, undefined, configFile),
    async centralHealth(centralUrl) {
      const started = performance.now();
      const clock = await readCentralClock(centralUrl, { fetch: doFetch, now, timeoutMs });
      return { ...clock, latencyMs: Math.round(performance.now() - started) };
    },
    async deviceSelf(centralUrl) {
      const stored = await loadStoredDevice(opts.dataDir, opts.cipher);
      if (!stored) return { state: 'not-enrolled' };
      if (new URL(stored.centralUrl).origin !== new URL(centralUrl).origin) return { state: 'other-central', enrolledWith: stored.centralUrl };
      let res: Response;
      try {
        res = await doFetch(new URL(pathFor('deviceSelf'), centralUrl), { headers: { authorization: `Bearer ${stored.credential}` }, signal: AbortSignal.timeout(timeoutMs) });
      } catch (err) {
        throw new AppError('CENTRAL_UNREACHABLE', { url: centralUrl }, { cause: err });
      }
      const body = (await res.json().catch(() => undefined)) as unknown;
      if (res.ok) {
        const device = deviceRecordSchema.safeParse(body);
        if (!device.success) throw new AppError('CENTRAL_NOT_A_CENTRAL', { status: res.status });
        return { state: 'accepted', device: device.data };
      }
      const refusal = centralErrorSchema.safeParse(body);
      if (refusal.success && isErrorCode(refusal.data.error)) return { state: 'refused', error: { code: refusal.data.error, details: refusal.data.details ?? {} } };
      throw new AppError('CENTRAL_SERVER_ERROR', { status: res.status });
    },
    diskSpace: () => diskSpaceOf(opts.dataDir),
    async scanners(capture) {
      const service = new CaptureService(captureSources(capture));
      try {
        const { devices, problems } = await service.listDevices();
        return { devices: devices.map((d) => ({ id: d.id, label: d.label })), problems };
      } finally {
        service.close();
      }
    },
    async signer(keystore) {
      if (keystore.kind === 'pkcs12') {
        const readable = await access(keystore.path, constants.R_OK).then(
          () => true,
          () => false,
        );
        return { kind: 'pkcs12', path: keystore.path, readable };
      }
      const reading = async (): Promise<TokenReading> => {
        const library = keystore.library ?? (await findInstalledLibraries())[0]?.path;
        if (!library) throw new AppError('SIGNER_LIBRARY_MISSING', { library: '(không tìm thấy trình điều khiển token nào)' });
        const tokens = await listTokens(library);
        return { library, tokens: tokens.map((t) => ({ label: t.label, certificates: t.certificates.map((c) => ({ label: c.label, subject: c.subject, notAfter: c.notAfter })) })) };
      };
      return {
        kind: 'pkcs11',
        tokenLabel: keystore.tokenLabel,
        ...(keystore.keyLabel ? { keyLabel: keystore.keyLabel } : {}),
        reading: await reading().then(
          (value) => ({ ok: true as const, value }),
          (err: unknown) => ({ ok: false as const, error: err instanceof AppError ? { code: err.code, details: err.details } : { code: 'INTERNAL' as const, details: { message: String(err) } } }),
        ),
      };
    },
    async revocationNewest() {
      const dir = path.join(opts.dataDir, 'revocation');
      let names: string[];
      try {
        names = await readdir(dir);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw err;
      }
      let newest: Date | null = null;
      for (const name of names.filter((n) => n.endsWith('.json'))) {
        const parsed = revocationCacheSchema.safeParse(JSON.parse(await readFile(path.join(dir, name), 'utf8').catch(() => 'null')));
        for (const e of parsed.success ? parsed.data.evidence : []) {
          const at = new Date(e.fetchedAt);
          if (!Number.isNaN(at.getTime()) && (!newest || at > newest)) newest = at;
        }
      }
      return newest;
    },
    async tsa(url, tsaTimeoutMs) {
      // Any HTTP answer means something listens at the address; an RFC 3161 server refuses a GET, which is fine.
      const started = performance.now();
      try {
        await doFetch(url, { method: 'GET', signal: AbortSignal.timeout(Math.min(tsaTimeoutMs, timeoutMs)) });
      } catch (err) {
        throw new AppError('TSA_UNREACHABLE', { url, reason: err instanceof Error ? err.message : String(err) }, { cause: err });
      }
      return { latencyMs: Math.round(performance.now() - started) };
    },
    async backlog() {
      const root = path.join(opts.dataDir, dossierSpoolDirName);
      try {
        await stat(root);
      } catch {
        return { dossiers: 0, events: 0, oldest: null };
      }
      // Without the data key a sealed entry lists with a problem: it is still counted, its age from its folder.
      const entries = await openDossierSpool(opts.dataDir).list();
      let oldest: Date | null = null;
      for (const e of entries) {
        const created = e.createdAt ? new Date(e.createdAt) : (await stat(path.join(root, e.kind === 'event' ? `event-${e.eventId ?? ''}` : e.dossierId)).catch(() => null))?.mtime;
        if (created && !Number.isNaN(created.getTime()) && (!oldest || created < oldest)) oldest = created;
      }
      return { dossiers: entries.filter((e) => e.kind === 'dossier').length, events: entries.filter((e) => e.kind === 'event').length, oldest };
    },
  };
}
