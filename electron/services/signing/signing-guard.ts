/**
 * What stands between an unlocked key and whoever can reach the IPC/HTTP channels (issue 17, finding 3):
 *
 * - an idle auto-lock: every key store is locked after `idleLockMs` without an unlock or a signature, and on
 *   screen lock or suspend (the Electron shell calls `lockAll`);
 * - signing sessions: a digest is signed only inside a session opened for one dossier, for the components it
 *   announced (each once, by the role announced), until the session is closed (acceptance done or failed);
 * - a log: one append-only JSON line per session opened/closed, per signature (dossier id, component, digest,
 *   signer role, time) and per lock, so what main signed can be counted afterwards.
 */
import { randomUUID } from 'node:crypto';
import { appendFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../../shared/errors';
import type { SignerRole } from '../../../shared/ipc/contract';

/** Used when the configuration names no idle time: long enough for one intake, short enough for a lunch break. */
export const defaultIdleLockMinutes = 15;

export interface PlannedSignature {
  readonly component: string;
  readonly role: SignerRole;
}

export type SigningLogLine =
  | { readonly event: 'session-open'; readonly at: string; readonly sessionId: string; readonly dossierId: string; readonly expected: number }
  | { readonly event: 'sign'; readonly at: string; readonly sessionId: string; readonly dossierId: string; readonly component: string; readonly role: SignerRole; readonly digest: string }
  | { readonly event: 'session-close'; readonly at: string; readonly sessionId: string; readonly dossierId: string; readonly outcome: 'done' | 'failed' | 'locked'; readonly signed: number }
  | { readonly event: 'lock'; readonly at: string; readonly reason: LockReason; readonly role?: SignerRole };

export type LockReason = 'idle' | 'screen-lock' | 'suspend' | 'clerk';

export interface SigningGuardOptions {
  readonly idleLockMs: number;
  readonly now: () => Date;
  /** Locks every key store (the guard never holds keys itself). */
  readonly lockAll: () => Promise<void>;
  readonly log: (line: SigningLogLine) => Promise<void>;
}

interface OpenSession {
  readonly dossierId: string;
  /** What is still to be signed; a signature removes its entry. */
  readonly remaining: PlannedSignature[];
  signed: number;
}

export class SigningGuard {
  readonly #options: SigningGuardOptions;
  readonly #sessions = new Map<string, OpenSession>();
  #lastUse: number | null = null;

  constructor(options: SigningGuardOptions) {
    this.#options = options;
  }

  /** Signing sessions open now (a dossier being signed): an update must not restart the app under them. */
  get openSessions(): number {
    return this.#sessions.size;
  }

  /** An unlock or a signature: the idle time counts again from now. */
  touch(): void {
    this.#lastUse = this.#options.now().getTime();
  }

  /** Locks everything when the keys have been idle too long. Called before every signer call and by a timer. */
  async enforceIdle(): Promise<void> {
    if (this.#lastUse === null) return;
    if (this.#options.now().getTime() - this.#lastUse < this.#options.idleLockMs) return;
    await this.lockAll('idle');
  }

  /** Locks every key and closes every session (nothing half signed survives a lock). */
  async lockAll(reason: LockReason): Promise<void> {
    this.#lastUse = null;
    for (const sessionId of [...this.#sessions.keys()]) await this.close(sessionId, 'locked');
    await this.#options.lockAll();
    await this.noteLock(reason);
  }

  /** Logs a lock made elsewhere (the clerk's lock button locks one key through its store). */
  async noteLock(reason: LockReason, role?: SignerRole): Promise<void> {
    await this.#options.log({ event: 'lock', at: this.#at(), reason, ...(role ? { role } : {}) });
  }

  async open(dossierId: string, signatures: readonly PlannedSignature[]): Promise<string> {
    const sessionId = randomUUID();
    this.#sessions.set(sessionId, { dossierId, remaining: [...signatures], signed: 0 });
    await this.#options.log({ event: 'session-open', at: this.#at(), sessionId, dossierId, expected: signatures.length });
    return sessionId;
  }

  /**
   * Claims one planned signature before the key is used: refused outside an open session, for a component
   * (or role) the session did not announce, or once it was signed. Logged before the signature is made, so a
   * signature can never exist without its line.
   */
  async claim(sessionId: string, component: string, role: SignerRole, digest: Uint8Array): Promise<void> {
    const session = this.#sessions.get(sessionId);
    if (!session) throw new AppError('SIGNING_SESSION_REQUIRED');
    const index = session.remaining.findIndex((p) => p.component === component && p.role === role);
    if (index < 0) throw new AppError('SIGNING_SESSION_EXHAUSTED', { component, expected: session.signed + session.remaining.length });
    session.remaining.splice(index, 1);
    session.signed += 1;
    await this.#options.log({ event: 'sign', at: this.#at(), sessionId, dossierId: session.dossierId, component, role, digest: Buffer.from(digest).toString('hex') });
  }

  async close(sessionId: string, outcome: 'done' | 'failed' | 'locked'): Promise<void> {
    const session = this.#sessions.get(sessionId);
    // Closing twice (a failure after a lock) is harmless.
    if (!session) return;
    this.#sessions.delete(sessionId);
    await this.#options.log({ event: 'session-close', at: this.#at(), sessionId, dossierId: session.dossierId, outcome, signed: session.signed });
  }

  #at(): string {
    return this.#options.now().toISOString();
  }
}

/** Appends each line to `<dataDir>/signing-log.jsonl` (created owner-only; never rewritten). */
export function signingLogFile(dataDir: string): (line: SigningLogLine) => Promise<void> {
  const file = path.join(dataDir, 'signing-log.jsonl');
  return async (line) => {
    await mkdir(dataDir, { recursive: true });
    await appendFile(file, JSON.stringify(line) + '\n', { encoding: 'utf8', mode: 0o600, flag: 'a' });
  };
}
