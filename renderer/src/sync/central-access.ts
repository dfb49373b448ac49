/**
 * Is the central there, and what does it make of this counter? The health probe (a captive portal's 200 is
 * not the central) and the device check (devices/self against the configured unit and counter), asked at the
 * start of every pass.
 */
import type { WireError } from '../../../shared/errors';
import { deviceRecordSchema, healthSchema, protocolVersion } from '../../../shared/sync/protocol';
import { centralError, isRetryableStatus, parseJson, wire } from './attempt';
import type { CentralClient } from './central-client';
import { pathFor } from '../../../shared/sync/api-contract';

/**
 * What the central, once reachable, makes of this counter (GET devices/self with its credential, each pass):
 * 'accepted'; 'refused' — not enrolled, revoked, or enrolled for another unit; 'failing' — it answered that
 * check with an error. A reachable central is not a working one: the header must not show green for either.
 */
export type CentralAccess =
  | { readonly state: 'accepted' }
  | { readonly state: 'refused'; readonly error: WireError }
  | { readonly state: 'failing'; readonly error: WireError };

/** The unit and counter this PC is configured as. */
interface ConfiguredCounter {
  readonly unitCode: string;
  readonly unitName: string;
  readonly counterNo: number;
}

export interface AccessContext {
  readonly client: CentralClient;
  readonly now: () => Date;
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
  /** The central answered: the round trip and its clock, for the link's last contact and the clock check. */
  readonly onContact: (sentAt: number, receivedAt: number, centralTime: string | undefined) => void;
}

interface ProbeResult {
  readonly ok: boolean;
  readonly error?: WireError;
}

/** The central's health endpoint: only its known answer, in our protocol version, counts as online. */
export async function probeCentral(ctx: AccessContext): Promise<ProbeResult> {
  const sentAt = ctx.now().getTime();
  let response: Response;
  try {
    response = await ctx.client.request(pathFor('health'), { timeoutMs: ctx.timeoutMs, signal: ctx.signal });
  } catch (err) {
    return { ok: false, error: wire('CENTRAL_UNREACHABLE', { reason: err instanceof Error ? err.message : String(err) }) };
  }
  const receivedAt = ctx.now().getTime();
  if (response.status >= 500) {
    await response.body?.cancel().catch(() => undefined);
    return { ok: false, error: wire('CENTRAL_SERVER_ERROR', { status: response.status }) };
  }
  const health = healthSchema.safeParse(parseJson(await response.text().catch(() => '')));
  // A captive portal answers 200 with its login page: that is not the central.
  if (!response.ok || !health.success) return { ok: false, error: wire('CENTRAL_NOT_A_CENTRAL', { status: response.status }) };
  ctx.onContact(sentAt, receivedAt, health.data.time);
  if (health.data.protocolVersion !== protocolVersion) {
    return { ok: false, error: wire('CENTRAL_NOT_A_CENTRAL', { protocolVersion: health.data.protocolVersion }) };
  }
  return { ok: true };
}

/** What the central makes of this counter: its own device record, compared with the configured unit. */
export async function checkCentralAccess(ctx: AccessContext, counter: ConfiguredCounter | undefined): Promise<CentralAccess | 'unreachable'> {
  let response: Response;
  try {
    response = await ctx.client.request(pathFor('deviceSelf'), { timeoutMs: ctx.timeoutMs, signal: ctx.signal });
  } catch {
    return 'unreachable';
  }
  const text = await response.text().catch(() => '');
  if (response.status === 401 || response.status === 403) return { state: 'refused', error: centralError(response.status, text, 'CENTRAL_REJECTED') };
  // Below the central's minimum version (issue 16): nothing is sent until the update; the dossiers wait, kept.
  if (response.status === 426) return { state: 'refused', error: centralError(response.status, text, 'COUNTER_UPDATE_REQUIRED') };
  if (isRetryableStatus(response.status)) return { state: 'failing', error: centralError(response.status, text, 'CENTRAL_SERVER_ERROR') };
  const device = deviceRecordSchema.safeParse(parseJson(text));
  if (!response.ok || !device.success) return { state: 'failing', error: wire('CENTRAL_NOT_A_CENTRAL', { status: response.status, issue: 'devices/self' }) };
  // Another counter number is as bad as another unit: this PC would draw dossier numbers from that
  // counter's range (shared/domain/dossier-code.ts), and two PCs would issue the same codes.
  if (counter && (device.data.unit.code !== counter.unitCode || device.data.counterNo !== counter.counterNo)) {
    return {
      state: 'refused',
      error: wire('DEVICE_UNIT_MISMATCH', {
        deviceUnit: device.data.unit.code,
        deviceUnitName: device.data.unit.name,
        deviceCounter: device.data.counterNo,
        unit: counter.unitCode,
        unitName: counter.unitName,
        counter: counter.counterNo,
      }),
    };
  }
  return { state: 'accepted' };
}
