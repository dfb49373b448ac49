/**
 * Channel names alone, without schemas: the sandboxed preload imports only this (it needs no zod).
 * contract.ts checks at compile time that its keys are exactly these names.
 */
export const ipcChannelNames = ['config:get', 'signer:list', 'signer:unlock', 'signer:lock', 'signer:session-open', 'signer:session-close', 'signer:sign-digest', 'tsa:request', 'trust:revocation', 'trust:anchors', 'device:session', 'capture:devices', 'capture:start', 'capture:poll', 'capture:import', 'capture:cancel', 'storage:disk-free', 'storage:ledger-check', 'storage:ledger-adopt', 'storage:ledger-code', 'storage:ledger-leases', 'storage:data-key', 'spool:prepare', 'spool:prepare-event', 'spool:commit', 'spool:discard', 'spool:release', 'spool:list', 'spool:read', 'spool:read-event', 'imaging:submit', 'imaging:results', 'print:page', 'audit:record', 'audit:pending', 'audit:acknowledged', 'enrollment:status', 'enrollment:enroll', 'doctor:report', 'diagnostics:support-bundle'] as const;
export type IpcChannelName = (typeof ipcChannelNames)[number];
