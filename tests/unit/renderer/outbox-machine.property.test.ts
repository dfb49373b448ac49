// The outbox-item state machine (renderer/src/sync/outbox-machine.ts) against a model of the counter and the
// central: items (dossiers and counter events) are driven through the machine's `next` by any sequence of the
// central's answers (2xx, 4xx, 5xx, timeouts — some after the central committed —, 426, lost uploads), crashes
// at any step (the driver forgets everything but the rows, which are read back as the engine does) and stops,
// in any order of items. Then the link becomes healthy and the scheduler's rule (a pending item is tried once
// due) runs until nothing is pending. Checked: never lost (every item ends acknowledged or failed, and failed
// only after the central refused it), never duplicated (the central records each item once; every
// acknowledgement names the same central id), never stuck (the healthy phase ends within a bound).
// Failures print fast-check's seed and path; FC_SEED replays another seed.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CounterEventState, OutboxState } from '../../../renderer/src/db/database';
import { canTake, dossierStateNames, eventItemState, eventStateNames, finalItemStates, IllegalTransition, inputOfFailure, isPending, next, outboxTransitions, pendingItemStates } from '../../../renderer/src/sync/outbox-machine';
import type { OutboxItemInput, OutboxItemState } from '../../../renderer/src/sync/outbox-machine';

const seed = Number(process.env.FC_SEED ?? 18_05);

type Kind = 'dossier' | 'event';
type Answer = '2xx' | '4xx' | '5xx' | 'timeout' | 'timeout-after-commit' | '426' | 'upload-lost';

type Command =
  | { readonly op: 'step'; readonly item: number; readonly answer: Answer }
  | { readonly op: 'requeue'; readonly item: number }
  | { readonly op: 'crash' }
  | { readonly op: 'stop' }
  | { readonly op: 'tick' };

/** What the counter keeps across a crash: the row, with the state name its kind stores. */
interface Row {
  readonly kind: Kind;
  stored: OutboxState | CounterEventState;
  nextAttemptAt: number;
  /** The central id from the acknowledgement, once there is one. */
  centralId?: string;
  /** The central answered it with a 4xx refusal (set from the answer, not from the machine): the only way to 'failed'. */
  refused: boolean;
}

/** The central: commits idempotent by item id; uploads it holds (and may lose before the commit). */
interface Central {
  readonly records: Map<number, string>;
  readonly creations: Map<number, number>;
  readonly uploads: Set<number>;
}

const stateOf = (row: Row): OutboxItemState => (row.kind === 'dossier' ? (row.stored as OutboxState) : eventItemState(row.stored as CounterEventState));
const storedName = (kind: Kind, state: OutboxItemState): OutboxState | CounterEventState => (kind === 'dossier' ? dossierStateNames[state] : eventStateNames[state]);

/** The simple model the table must agree with, written from the rules, not from the table. */
function modelNext(state: OutboxItemState, input: OutboxItemInput): OutboxItemState | 'illegal' {
  if (state === 'failed') return input === 'restart' ? 'failed' : input === 'requeued' ? 'waiting' : 'illegal';
  if (state === 'acknowledged') return input === 'restart' || input === 'acknowledged' ? 'acknowledged' : 'illegal';
  switch (input) {
    case 'restart':
      return state;
    case 'retryable':
    case 'held-back':
    case 'interrupted':
      return 'waiting';
    case 'released':
      return state === 'waiting' ? 'waiting' : 'illegal';
    case 'refused':
      return 'failed';
    case 'attempt-started':
      return 'uploading';
    case 'uploaded':
      return state === 'uploading' ? 'committing' : 'illegal';
    case 'acknowledged':
      return state === 'committing' ? 'acknowledged' : 'illegal';
    case 'requeued':
      // Only a failed item is sent again by the clerk.
      return 'illegal';
  }
}

class Simulation {
  readonly rows: Row[];
  readonly central: Central = { records: new Map(), creations: new Map(), uploads: new Set() };
  /**
   * The driver's memory (lost at a crash): which step of its attempt an item is at, and its state — an event's
   * row stores one 'sending' for uploading and committing, as the engine's event pipeline keeps it in memory.
   */
  inFlight = new Map<number, { phase: 'upload' | 'commit'; state: OutboxItemState }>();
  clock = 0;
  nextCentralId = 1;

  constructor(kinds: readonly Kind[]) {
    this.rows = kinds.map((kind) => ({ kind, stored: 'waiting', nextAttemptAt: 0, refused: false }));
  }

  private apply(i: number, input: OutboxItemInput): void {
    const row = this.rows[i];
    if (!row) throw new Error(`no item ${i}`);
    const attempt = this.inFlight.get(i);
    const from = attempt?.state ?? stateOf(row);
    const to = next(from, input);
    expect(to, `${from} on ${input}`).toBe(modelNext(from, input));
    row.stored = storedName(row.kind, to);
    if (attempt) attempt.state = to;
  }

  private fail(i: number, outcome: 'retry' | 'terminal', code: string): void {
    const row = this.rows[i];
    if (!row) return;
    const input = inputOfFailure(outcome, code);
    this.apply(i, input);
    // Back-off: due a few ticks later, however often it failed.
    if (input !== 'refused') row.nextAttemptAt = this.clock + 1 + (i % 3);
    this.inFlight.delete(i);
  }

  /** The central's commit: the first one records a new id, later ones answer with the same (duplicate). */
  private commitAtCentral(i: number): string {
    const known = this.central.records.get(i);
    if (known) return known;
    const id = `c${this.nextCentralId++}`;
    this.central.records.set(i, id);
    this.central.creations.set(i, (this.central.creations.get(i) ?? 0) + 1);
    return id;
  }

  step(i: number, answer: Answer): void {
    const row = this.rows[i];
    if (!row) return;
    const state = stateOf(row);
    const phase = this.inFlight.get(i)?.phase;
    if (phase === undefined) {
      // The scheduler's rule: a pending item is taken once due; others are left alone.
      if (!isPending(state) || row.nextAttemptAt > this.clock) return;
      this.apply(i, 'attempt-started');
      this.inFlight.set(i, { phase: 'upload', state: stateOf(row) });
      return;
    }
    if (phase === 'upload') {
      switch (answer) {
        case '2xx':
          this.central.uploads.add(i);
          this.apply(i, 'uploaded');
          this.inFlight.set(i, { phase: 'commit', state: 'committing' });
          return;
        case 'upload-lost':
          this.central.uploads.delete(i);
          return this.fail(i, 'retry', 'CENTRAL_UPLOAD_INCOMPLETE');
        case '4xx':
          row.refused = true;
          return this.fail(i, 'terminal', 'CENTRAL_REJECTED');
        case '426':
          return this.fail(i, 'retry', 'COUNTER_UPDATE_REQUIRED');
        case '5xx':
          return this.fail(i, 'retry', 'CENTRAL_SERVER_ERROR');
        case 'timeout':
        case 'timeout-after-commit':
          return this.fail(i, 'retry', 'CENTRAL_UNREACHABLE');
      }
    }
    // The commit. Bytes the central lost before it: it says so, and the next attempt uploads again.
    if (!this.central.uploads.has(i) && !this.central.records.has(i)) return this.fail(i, 'retry', 'CENTRAL_UPLOAD_INCOMPLETE');
    switch (answer) {
      case '2xx':
      case 'upload-lost': {
        const centralId = this.commitAtCentral(i);
        this.apply(i, 'acknowledged');
        expect(row.centralId ?? centralId, 'an acknowledgement names the central id already known').toBe(centralId);
        row.centralId = centralId;
        this.inFlight.delete(i);
        return;
      }
      case 'timeout-after-commit':
        // The central committed; its answer never came.
        this.commitAtCentral(i);
        return this.fail(i, 'retry', 'CENTRAL_UNREACHABLE');
      case 'timeout':
        return this.fail(i, 'retry', 'CENTRAL_UNREACHABLE');
      case '5xx':
        return this.fail(i, 'retry', 'CENTRAL_SERVER_ERROR');
      case '426':
        return this.fail(i, 'retry', 'COUNTER_UPDATE_REQUIRED');
      case '4xx':
        // A commit the central already holds is answered again, never refused (idempotent by id).
        if (this.central.records.has(i)) return this.step(i, '2xx');
        row.refused = true;
        return this.fail(i, 'terminal', 'CENTRAL_CONFLICT');
    }
  }

  /** The app dies: only the rows remain; each is read back and takes 'restart' without changing. */
  crash(): void {
    this.inFlight = new Map();
    for (const row of this.rows) {
      const before = row.stored;
      row.stored = storedName(row.kind, next(stateOf(row), 'restart'));
      expect(row.stored).toBe(before);
    }
  }

  /** The clerk sends a failed item again ("Gửi lại"); other states do not take it. */
  requeue(i: number): void {
    const row = this.rows[i];
    if (!row || stateOf(row) !== 'failed') return;
    this.apply(i, 'requeued');
    row.nextAttemptAt = this.clock;
  }

  /** stop(): attempts in flight end as 'interrupted', back to waiting. */
  stop(): void {
    for (const i of this.inFlight.keys()) this.apply(i, 'interrupted');
    this.inFlight = new Map();
  }

  run(command: Command): void {
    this.clock++;
    if (command.op === 'step') this.step(command.item % this.rows.length, command.answer);
    else if (command.op === 'requeue') this.requeue(command.item % this.rows.length);
    else if (command.op === 'crash') this.crash();
    else if (command.op === 'stop') this.stop();
  }
}

const answerArb = fc.constantFrom<Answer>('2xx', '4xx', '5xx', 'timeout', 'timeout-after-commit', '426', 'upload-lost');
const commandArb: fc.Arbitrary<Command> = fc.oneof(
  { weight: 12, arbitrary: fc.record({ op: fc.constant('step' as const), item: fc.nat(20), answer: answerArb }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('requeue' as const), item: fc.nat(20) }) },
  { weight: 1, arbitrary: fc.constant({ op: 'crash' as const }) },
  { weight: 1, arbitrary: fc.constant({ op: 'stop' as const }) },
  { weight: 2, arbitrary: fc.constant({ op: 'tick' as const }) },
);

describe('the outbox-item state machine against a model', () => {
  it('agrees with the model on every state and input, and refuses exactly what the model calls illegal', () => {
    const inputs = [...new Set(Object.values(outboxTransitions).flatMap((t) => Object.keys(t)))] as OutboxItemInput[];
    for (const state of Object.keys(outboxTransitions) as OutboxItemState[]) {
      for (const input of inputs) {
        const expected = modelNext(state, input);
        if (expected === 'illegal') {
          expect(canTake(state, input), `${state} on ${input}`).toBe(false);
          expect(() => next(state, input)).toThrow(IllegalTransition);
        } else expect(next(state, input), `${state} on ${input}`).toBe(expected);
      }
    }
    // Both kinds' stored names read back to a state that resumes the same way.
    for (const state of pendingItemStates) expect(isPending(eventItemState(eventStateNames[state]))).toBe(true);
    for (const state of finalItemStates) expect(eventItemState(eventStateNames[state])).toBe(state);
  });

  it('never loses, duplicates or strands an item: any answers, crashes anywhere, any order', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom<Kind>('dossier', 'event'), { minLength: 1, maxLength: 6 }), fc.array(commandArb, { maxLength: 120 }), (kinds, commands) => {
        const sim = new Simulation(kinds);
        for (const command of commands) sim.run(command);

        // The link is healthy from now on; the engine keeps running passes (a crash may come first).
        sim.crash();
        const bound = 10 * sim.rows.length + 20;
        for (let round = 0; round < bound && sim.rows.some((r) => isPending(stateOf(r))); round++) {
          sim.clock += 5;
          for (let i = 0; i < sim.rows.length; i++) sim.step(i, '2xx');
        }

        sim.rows.forEach((row, i) => {
          const state = stateOf(row);
          // Never stuck, never lost: each item ends where the clerk sees it.
          expect(finalItemStates, `item ${i} (${row.kind}) ended ${state}`).toContain(state);
          // Failed only after the central's refusal; an acknowledged one is held by the central under its id.
          if (state === 'failed') expect(row.refused, `item ${i} failed without a refusal`).toBe(true);
          if (state === 'acknowledged') expect(row.centralId).toBe(sim.central.records.get(i));
          // Never duplicated: the central created each item at most once.
          expect(sim.central.creations.get(i) ?? 0).toBeLessThanOrEqual(1);
        });
      }),
      { seed, numRuns: 400, endOnFailure: true },
    );
  });
});
