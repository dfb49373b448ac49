/**
 * The enrollment channels (issue 16): `enrollment:status` for the first-start screen and `enrollment:enroll`
 * for its button, both over the one enrollment service (enrollment.ts) that `motcua enroll` uses. The screen
 * enrolls with the configured central, unit and counter: the installer types only the code.
 */
import type { EnrollmentStatus, IpcHandlers } from '../../shared/ipc/contract';
import type { HostConfig } from './config';
import type { CredentialCipher } from './credential-cipher';
import { loadStoredDevice } from './device';
import { enrollCounter, enrollFromPreset, type PresetEnrollmentOutcome } from './enrollment';

/** Starts the preset enrollment of a first start (a no-op outcome when the file holds no code). Never rejects. */
export function startPresetEnrollment(opts: { configFile: string; configDir: string; cipher?: CredentialCipher; now?: () => Date }): Promise<PresetEnrollmentOutcome> {
  return enrollFromPreset(opts).catch((err: unknown): PresetEnrollmentOutcome => ({ kind: 'failed', error: { code: 'INTERNAL', details: { message: err instanceof Error ? err.message : String(err) } }, codeRemoved: false }));
}

export interface EnrollmentHandlerDeps {
  readonly config: HostConfig;
  readonly configDir: string;
  readonly demo: boolean;
  readonly preset?: Promise<PresetEnrollmentOutcome>;
  readonly cipher?: CredentialCipher;
  readonly now?: () => Date;
}

const sameOrigin = (a: string, b: string): boolean => new URL(a).origin === new URL(b).origin;

export function enrollmentHandlers(deps: EnrollmentHandlerDeps): Pick<IpcHandlers, 'enrollment:status' | 'enrollment:enroll'> {
  const { config } = deps;
  const status = async (): Promise<EnrollmentStatus> => {
    const preset = deps.preset ? await deps.preset : undefined;
    const stored = await loadStoredDevice(deps.configDir, deps.cipher);
    const enrolled = stored && sameOrigin(stored.centralUrl, config.centralUrl) ? stored : undefined;
    return {
      state: enrolled ? 'enrolled' : deps.demo ? 'demo' : 'not-enrolled',
      firstStartScreen: config.firstStartEnrollmentScreen ?? true,
      centralUrl: config.centralUrl,
      unit: config.unit,
      counterNo: config.counterNo,
      ...(enrolled ? { device: enrolled.device } : {}),
      ...(preset && preset.kind !== 'none'
        ? { preset: preset.kind === 'enrolled' ? { outcome: 'enrolled' as const } : { outcome: 'failed' as const, error: preset.error, codeRemoved: preset.codeRemoved } }
        : {}),
    };
  };
  return {
    'enrollment:status': status,
    'enrollment:enroll': async ({ enrollmentCode, deviceName }) => {
      await enrollCounter(
        { centralUrl: config.centralUrl, enrollmentCode, ...(deviceName ? { deviceName } : {}), expect: { unitCode: config.unit.code, counterNo: config.counterNo } },
        { configDir: deps.configDir, ...(deps.cipher ? { cipher: deps.cipher } : {}), ...(deps.now ? { now: deps.now } : {}), ...(config.maxClockSkewMinutes ? { maxClockSkewMinutes: config.maxClockSkewMinutes } : {}) },
      );
      return status();
    },
  };
}
