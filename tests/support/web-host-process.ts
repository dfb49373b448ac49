/**
 * The counter's web host as a real process (`motcua host`): the built renderer plus the main-side
 * services over HTTP, pointed at a central. Each test gets its own data directory and configuration.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { z } from 'zod';
import type { hostConfigSchema, hostImagingConfigSchema } from '../../electron/services/config';
import { deviceFileName, storedDeviceSchema, type StoredDevice } from '../../electron/services/device';
import { adminEnrollmentCodeResponseSchema } from '../../shared/sync/protocol';
import { adminCall } from './central-process';
import { stopProcess } from './stop-process';
import type { captureConfigSchema } from '../../electron/services/capture';
import type { retentionConfigSchema } from '../../shared/ipc/contract';
import { registerHostDataDir } from './sealed-at-rest';
import { pathFor } from '../../shared/sync/api-contract';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface WebHostProcess {
  readonly url: string;
  readonly dataDir: string;
  /** The device credential the host was enrolled with (`enroll`), to read the central as this counter does. */
  readonly credential: string | undefined;
  stop(): Promise<void>;
}

export interface WebHostProcessOptions {
  readonly centralUrl: string;
  /** Show the first-start enrollment screen while not enrolled (issue 16); default false here (see the config). */
  readonly firstStartEnrollmentScreen?: boolean;
  /** An installer preset's enrollment code in config.json (issue 16): the host trades it on first start. */
  readonly presetEnrollmentCode?: string;
  /** The organisation's PKCS#12 key store. */
  readonly signerP12Path: string;
  /** A second, personal PKCS#12 signer: the dossier's PDFs then carry two signatures. */
  readonly personalP12Path?: string;
  /** A second, personal signer on a PKCS#11 token (SoftHSM in tests); `env` carries SOFTHSM2_CONF. */
  readonly personalToken?: { readonly library: string; readonly tokenLabel: string; readonly keyLabel: string; readonly env: Readonly<Record<string, string>> };
  /** Trust anchors (PEM/DER files): signers must chain to one; the app verifies PDFs against them. */
  readonly trustDir?: string;
  /** An RFC 3161 TSA: signatures are time-stamped before their first upload. */
  readonly tsaUrl?: string;
  /** Refuse to sign without CRL/OCSP evidence. */
  readonly requireRevocation?: boolean;
  /** Lab fetch policy for CRL/OCSP servers on loopback at these ports (the production policy refuses them). */
  readonly revocationLabPorts?: readonly number[];
  /**
   * Enroll this counter with the central before it starts (when given): a one-time code for its unit is
   * issued through the admin API, then `motcua enroll` stores the credential as an installer would.
   */
  readonly enroll?: { readonly adminToken: string } | false;
  /** Runs after enrollment, before the host starts (e.g. take the central down). */
  readonly beforeStart?: () => Promise<void>;
  /** Scanners and hot folders (the `capture` section of the configuration). */
  readonly capture?: z.input<typeof captureConfigSchema>;
  /** Page clean-up and OCR (the `imaging` section, with main's OCR engine settings); on by default, as in the app. */
  readonly imaging?: z.input<typeof hostImagingConfigSchema>;
  /**
   * Retention (the `retention` section); the app's default purges a dossier's file bytes in the pass that got
   * the central's acknowledgement. A spec that compares the counter's bytes with the central's after sync sets
   * a grace period, or it races the purge.
   */
  readonly retention?: z.input<typeof retentionConfigSchema>;
  /** Issue 17: `{ seal: false }` writes the counter database unsealed (the benchmarks' "before"). */
  readonly encryptionAtRest?: { readonly seal: boolean };
}

/** The unit every web-host test counter is configured with. */
export const webHostUnit = { code: '000.00.01.H99', name: 'UBND xã Demo' } as const;

export async function startWebHostProcess(opts: WebHostProcessOptions): Promise<WebHostProcess> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'motcua-counter-'));
  const config: z.input<typeof hostConfigSchema> = {
    unit: webHostUnit,
    organisationName: 'Ủy ban nhân dân xã Demo',
    counterNo: 1,
    centralUrl: opts.centralUrl,
    // The test centrals listen on plain HTTP on loopback: a lab setting (a production counter refuses http://).
    allowHttpCentral: true,
    // Most suites drive a counter not yet enrolled on purpose (the refused-banner tests); the first-start
    // enrollment screen (issue 16) has its own spec and asks for it.
    firstStartEnrollmentScreen: opts.firstStartEnrollmentScreen ?? false,
    ...(opts.presetEnrollmentCode ? { enrollment: { code: opts.presetEnrollmentCode, deviceName: 'Máy cài tự động' } } : {}),
    locale: 'vi',
    signers: [
      { role: 'organisation', keystore: { kind: 'pkcs12', path: opts.signerP12Path, label: 'Chứng thư số thử nghiệm' } },
      ...(opts.personalP12Path ? [{ role: 'personal' as const, keystore: { kind: 'pkcs12' as const, path: opts.personalP12Path, label: 'Chứng thư số cá nhân thử nghiệm' } }] : []),
      ...(opts.personalToken
        ? [
            {
              role: 'personal' as const,
              keystore: { kind: 'pkcs11' as const, library: opts.personalToken.library, tokenLabel: opts.personalToken.tokenLabel, keyLabel: opts.personalToken.keyLabel, label: 'USB token cá nhân (SoftHSM)' },
            },
          ]
        : []),
    ],
    ...(opts.trustDir
      ? {
          trust: {
            anchorsDir: opts.trustDir,
            ...(opts.requireRevocation ? { requireRevocation: true } : {}),
            ...(opts.revocationLabPorts ? { revocationFetch: { allowPrivateNetworks: true, allowedPorts: [80, 443, ...opts.revocationLabPorts] } } : {}),
          },
        }
      : {}),
    ...(opts.tsaUrl ? { tsa: { url: opts.tsaUrl } } : {}),
    ...(opts.capture ? { capture: opts.capture } : {}),
    ...(opts.imaging ? { imaging: opts.imaging } : {}),
    ...(opts.retention ? { retention: opts.retention } : {}),
    ...(opts.encryptionAtRest ? { encryptionAtRest: opts.encryptionAtRest } : {}),
  };
  await writeFile(path.join(dataDir, 'config.json'), JSON.stringify(config, null, 2));
  let credential: string | undefined;
  if (opts.enroll) credential = (await enrollWebHost({ centralUrl: opts.centralUrl, adminToken: opts.enroll.adminToken, dataDir })).credential;
  await opts.beforeStart?.();
  const child: ChildProcess = spawn(process.execPath, [path.join(repoRoot, 'electron/cli/bin.mjs'), 'host', '--port', '0', '--data', dataDir, '--central', opts.centralUrl], {
    cwd: repoRoot,
    env: { ...process.env, ...opts.personalToken?.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`web host did not start:\n${log}`)), 60_000);
    const collect = (chunk: Buffer) => {
      log += chunk.toString('utf8');
      const match = /motcua web host: (http:\/\/\S+)/.exec(log);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`web host exited with ${code}:\n${log}`));
    });
  });
  registerHostDataDir(url, dataDir);
  return {
    url,
    dataDir,
    credential,
    async stop() {
      await stopProcess(child, 'the web host');
      // The host's own line when its stop overran its deadline (which step, what was open): kept in the test log.
      for (const line of log.split('\n')) if (line.startsWith('motcua host not stopped')) console.warn(line);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * What an installer does: a one-time code for `unit` (default the host's own) issued through the admin API,
 * then `motcua enroll` into the host's data directory. Also works while the host runs: main reads the stored
 * credential on each request for it.
 */
export async function enrollWebHost(opts: {
  readonly centralUrl: string;
  readonly adminToken: string;
  readonly dataDir: string;
  readonly unit?: { readonly code: string; readonly name: string };
}): Promise<StoredDevice> {
  const issued = await adminCall({ url: opts.centralUrl, adminToken: opts.adminToken }, 'POST', pathFor('adminEnrollmentCodes'), { unit: opts.unit ?? webHostUnit, counterNo: 1 });
  const { enrollmentCode } = adminEnrollmentCodeResponseSchema.parse(issued.body);
  await promisify(execFile)(process.execPath, [path.join(repoRoot, 'electron/cli/bin.mjs'), 'enroll', '--central', opts.centralUrl, '--code', enrollmentCode, '--name', 'Máy thử e2e', '--data', opts.dataDir], { cwd: repoRoot });
  return storedDeviceSchema.parse(JSON.parse(await readFile(path.join(opts.dataDir, deviceFileName), 'utf8')));
}
