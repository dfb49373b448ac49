/**
 * The life of one outbox item — a dossier or a counter event (return, supplement, apology) — as data: the
 * states, the inputs the engine feeds it, and a pure `next(state, input)`. The engine writes a row only
 * through it, so dossiers and events move the same way:
 *
 *   waiting ──attempt-started──▶ uploading ──uploaded──▶ committing ──acknowledged──▶ acknowledged
 *      ▲                             │                        │
 *      ├── retryable / interrupted ◀─┴────────────────────────┤   (no answer, 5xx, 408/423/429, 401, 426,
 *      │                                                      │    a lost upload: back-off, then again)
 *      └──────────────────────────── refused ─────────────────┴──▶ failed   (the central or the stored
 *      ▲                                                                    record said no: the clerk looks)
 *      └──────────────────────────── requeued (the clerk: "Gửi lại") ─────────┘
 *
 * A crash or restart changes nothing in the rows: an item found uploading or committing is pending and is
 * started again (its uploads resume from the URLs kept in the row; the commit is idempotent by id, so a
 * commit the central took before the crash is answered with the same central id).
 *
 * A counter event's row has one 'sending' state for both uploading and committing (`eventStateNames`).
 */
import type { CounterEventState, OutboxState } from '../db/database';

export type OutboxItemState = 'waiting' | 'uploading' | 'committing' | 'acknowledged' | 'failed';

export type OutboxItemInput =
  /** The engine took the item for an attempt (also an item a crash left uploading or committing). */
  | 'attempt-started'
  /** Every file is at the central (tus); the commit goes next. */
  | 'uploaded'
  /** The central answered the commit with its acknowledgement (first time or again: same central id). */
  | 'acknowledged'
  /** 5xx, 408/423/429, no answer, a stalled or lost upload, a storage read that may work later. */
  | 'retryable'
  /** Not tried by the central: 401, 426 COUNTER_UPDATE_REQUIRED, the counter refused or out of reach. */
  | 'held-back'
  /** The central refused it (4xx), or its stored record or files are damaged: terminal, the clerk sees it. */
  | 'refused'
  /** stop() ended the attempt: back to waiting, no back-off. */
  | 'interrupted'
  /** The link (or the central's acceptance of this counter) is back: items that waited only for it are due. */
  | 'released'
  /** The app started again: the rows are what they were. */
  | 'restart'
  /** The clerk (or IT) sends a failed dossier again ("Gửi lại", renderer/src/db/queue.ts). */
  | 'requeued';

/** Items the engine still has to send; the queue's "waiting" count and the start-up check cover these. */
export const pendingItemStates: readonly OutboxItemState[] = ['waiting', 'uploading', 'committing'];

/** Ends the clerk can see: 'acknowledged' (the central holds it) or 'failed' (listed for the clerk). */
export const finalItemStates: readonly OutboxItemState[] = ['acknowledged', 'failed'];

type Table = Readonly<Record<OutboxItemState, Readonly<Partial<Record<OutboxItemInput, OutboxItemState>>>>>;

/** Every transition the engine makes; an input missing here is a bug in the engine, not a state of the world. */
export const outboxTransitions: Table = {
  waiting: {
    'attempt-started': 'uploading',
    // Before the first byte: the dossier or its files are missing or damaged, or the commit is not valid.
    refused: 'failed',
    retryable: 'waiting',
    'held-back': 'waiting',
    interrupted: 'waiting',
    released: 'waiting',
    restart: 'waiting',
  },
  uploading: {
    'attempt-started': 'uploading',
    uploaded: 'committing',
    retryable: 'waiting',
    'held-back': 'waiting',
    refused: 'failed',
    interrupted: 'waiting',
    restart: 'uploading',
  },
  committing: {
    'attempt-started': 'uploading',
    acknowledged: 'acknowledged',
    retryable: 'waiting',
    'held-back': 'waiting',
    refused: 'failed',
    interrupted: 'waiting',
    restart: 'committing',
  },
  acknowledged: { acknowledged: 'acknowledged', restart: 'acknowledged' },
  failed: { requeued: 'waiting', restart: 'failed' },
};

export class IllegalTransition extends Error {
  constructor(
    readonly state: OutboxItemState,
    readonly input: OutboxItemInput,
  ) {
    super(`outbox item: no transition from ${state} on ${input}`);
  }
}

/** The state after `input`; throws IllegalTransition for an input the state does not take. */
export function next(state: OutboxItemState, input: OutboxItemInput): OutboxItemState {
  const to = outboxTransitions[state][input];
  if (to === undefined) throw new IllegalTransition(state, input);
  return to;
}

export function canTake(state: OutboxItemState, input: OutboxItemInput): boolean {
  return outboxTransitions[state][input] !== undefined;
}

/** True while the engine still has to send the item (it is picked up by a pass once due). */
export function isPending(state: OutboxItemState): boolean {
  return pendingItemStates.includes(state);
}

/** How an attempt that did not end in an acknowledgement is fed to the machine. */
export function inputOfFailure(outcome: 'retry' | 'terminal', errorCode: string): OutboxItemInput {
  if (outcome === 'terminal') return 'refused';
  return heldBackCodes.has(errorCode) ? 'held-back' : 'retryable';
}

/** Errors that held an item back without the central trying it: the link, or the counter refused. */
export const heldBackCodes: ReadonlySet<string> = new Set(['CENTRAL_UNREACHABLE', 'CENTRAL_NOT_A_CENTRAL', 'DEVICE_UNAUTHENTICATED', 'DEVICE_REVOKED', 'DEVICE_UNIT_MISMATCH', 'CENTRAL_REJECTED', 'COUNTER_UPDATE_REQUIRED']);

/** A dossier's outbox row stores the machine's state names as they are. */
export const dossierStateNames: Readonly<Record<OutboxItemState, OutboxState>> = {
  waiting: 'waiting',
  uploading: 'uploading',
  committing: 'committing',
  acknowledged: 'acknowledged',
  failed: 'failed',
};

/** A counter event's row knows one 'sending' state for the whole attempt. */
export const eventStateNames: Readonly<Record<OutboxItemState, CounterEventState>> = {
  waiting: 'waiting',
  uploading: 'sending',
  committing: 'sending',
  acknowledged: 'acknowledged',
  failed: 'failed',
};

/** An event row read back: 'sending' is resumed as uploading (its stored upload URLs say what is left). */
export function eventItemState(stored: CounterEventState): OutboxItemState {
  return stored === 'sending' ? 'uploading' : stored;
}
