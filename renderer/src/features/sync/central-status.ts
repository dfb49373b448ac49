/**
 * What the header says about the central, from the sync engine's snapshot. Reaching the central is not
 * enough for green: it must also accept this counter (engine.ts `centralAccess`). Pure, so it is unit-tested.
 */
import type { WireError } from '../../../../shared/errors';
import type { SyncSnapshot } from '../../sync/engine';

export type CentralStatus =
  /** Before the first answer, or between the health check and the check of this counter. */
  | { readonly kind: 'checking' }
  /** Reachable, and accepting this counter. */
  | { readonly kind: 'accepting' }
  /** Reachable, but refusing this counter (not enrolled, revoked, enrolled for another unit): IT must act. */
  | { readonly kind: 'refused'; readonly error: WireError }
  /** Something answered at the central's address, with an error or not as the central. */
  | { readonly kind: 'central-error'; readonly error: WireError }
  /** Nothing answered. */
  | { readonly kind: 'offline'; readonly error?: WireError };

/** Probe failures where an answer came back: the network works, the central (or what sits at its address) does not. */
const answeredCodes: ReadonlySet<string> = new Set(['CENTRAL_SERVER_ERROR', 'CENTRAL_NOT_A_CENTRAL']);

export function centralStatus(snapshot: Pick<SyncSnapshot, 'connectivity' | 'lastProbeError' | 'centralAccess'>): CentralStatus {
  const { connectivity, lastProbeError, centralAccess } = snapshot;
  if (connectivity === 'offline') {
    if (lastProbeError && answeredCodes.has(lastProbeError.code)) return { kind: 'central-error', error: lastProbeError };
    return lastProbeError ? { kind: 'offline', error: lastProbeError } : { kind: 'offline' };
  }
  if (connectivity === 'unknown' || !centralAccess) return { kind: 'checking' };
  if (centralAccess.state === 'refused') return { kind: 'refused', error: centralAccess.error };
  if (centralAccess.state === 'failing') return { kind: 'central-error', error: centralAccess.error };
  return { kind: 'accepting' };
}

/** The shell commands IT runs to enroll this counter, with its own unit and counter number filled in. */
export function enrollCommands(config: { readonly centralUrl: string; readonly unit: { readonly code: string; readonly name: string }; readonly counterNo: number }, placeholders: { readonly code: string; readonly name: string }): { readonly issueCode: string; readonly enroll: string } {
  return {
    issueCode: `motcua central enroll-code --unit ${config.unit.code} --unit-name "${config.unit.name.replace(/"/g, '\\"')}" --counter ${config.counterNo}`,
    enroll: `motcua enroll --central ${config.centralUrl.replace(/\/+$/, '')} --code ${placeholders.code} --name ${placeholders.name}`,
  };
}

/** The id of the explanation under the header; the header's status names it as its description. */
export const centralStatusDetailId = 'central-status-detail';
