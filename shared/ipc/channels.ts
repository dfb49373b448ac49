/**
 * Channel names alone, without schemas: the sandboxed preload imports only this (it needs no zod).
 * contract.ts checks at compile time that its keys are exactly these names.
 */
export const ipcChannelNames = ['config:get', 'signer:list', 'signer:unlock', 'signer:lock', 'signer:session-open', 'signer:session-close', 'signer:sign-digest', 'tsa:request', 'trust:revocation', 'trust:anchors', 'device:session', 'capture:devices', 'capture:start', 'capture:poll', 'capture:import', 'capture:cancel', 'storage:disk-free', 'storage:ledger-check', 'storage:ledger-adopt', 'storage:ledger-code', 'storage:ledger-leases', 'storage:data-key', 'spool:prepare', 'spool:prepare-event', 'spool:commit', 'spool:discard', 'spool:release', 'spool:list', 'spool:read', 'spool:read-event', 'imaging:submit', 'imaging:results', 'print:page', 'audit:record', 'audit:pending', 'audit:acknowledged', 'enrollment:status', 'enrollment:enroll', 'doctor:report', 'diagnostics:support-bundle'] as const;
export type IpcChannelName = (typeof ipcChannelNames)[number];

/** One value per channel, keyed by the channel's name. */
export type PerChannel<F> = { readonly [C in IpcChannelName]: F };

/**
 * A bridge built from the name list above, one function per channel: it can neither miss a channel nor carry
 * an extra one, so typing the result as `MotcuaBridge` is a real check, not a cast (the preload, the web
 * host's HTTP bridge). The one cast is here, where the keys are the list itself.
 */
export function perChannel<F>(callFor: (channel: IpcChannelName) => F): PerChannel<F> {
  return Object.fromEntries(ipcChannelNames.map((channel) => [channel, callFor(channel)])) as Record<IpcChannelName, F>;
}
