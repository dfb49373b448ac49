/**
 * When the counter checks, downloads and installs updates (issue 16, item 5), as plain code with its inputs
 * injected, so it is tested in Node; main gives it the clock, the clerk's idle time (Electron's powerMonitor),
 * whether a signing session is open, whether dossiers are being sent, and how to run the installer.
 *
 * One `tick()` does at most one step: check when due, download what was offered (resuming), install once
 * {@link decideInstall} allows. A failure is kept as the state's `error` and the next tick tries again; nothing
 * here ever blocks the clerk or the sync.
 */
import { toWireError, type WireError } from '../../../shared/errors';
import type { UpdateManifest } from '../../../shared/updates/release';
import { decideInstall, type DownloadOptions, type UpdateCheck } from './update-client';

export type UpdateState =
  | { readonly phase: 'idle'; readonly checkedAt?: string; readonly error?: WireError }
  | { readonly phase: 'downloading'; readonly version: string; readonly required: boolean; readonly received: number; readonly total: number; readonly error?: WireError }
  | { readonly phase: 'ready'; readonly version: string; readonly required: boolean; readonly waitingFor: 'signing' | 'sending' | 'clerk-active' | 'ready' }
  | { readonly phase: 'installing'; readonly version: string };

export interface UpdateSchedulerDeps {
  readonly client: {
    check(): Promise<UpdateCheck>;
    download(manifest: UpdateManifest, file: string, options?: DownloadOptions): Promise<string>;
  };
  readonly now: () => number;
  /** Seconds since the clerk last touched keyboard or mouse. */
  readonly idleSeconds: () => number;
  readonly signingSessionOpen: () => boolean;
  /** Dossiers (or events) are being uploaded right now: the download waits. */
  readonly sending: () => boolean;
  /** Runs the verified installer (silently) and quits; resolves only if that failed to start. */
  readonly install: (file: string, version: string) => Promise<void>;
  readonly checkIntervalMs?: number;
  readonly minIdleMs?: number;
  readonly bytesPerSecond?: number;
  readonly onState?: (state: UpdateState) => void;
}

export class UpdateScheduler {
  readonly #deps: UpdateSchedulerDeps;
  #state: UpdateState = { phase: 'idle' };
  #nextCheckAt = 0;
  #offer: { manifest: UpdateManifest; file: string; required: boolean } | undefined;
  #downloaded: string | undefined;
  #busy = false;

  constructor(deps: UpdateSchedulerDeps) {
    this.#deps = deps;
  }

  get state(): UpdateState {
    return this.#state;
  }

  #set(state: UpdateState): void {
    this.#state = state;
    this.#deps.onState?.(state);
  }

  /** One step; overlapping calls are ignored (a long download spans many timer ticks). */
  async tick(): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    try {
      await this.#step();
    } finally {
      this.#busy = false;
    }
  }

  async #step(): Promise<void> {
    const now = this.#deps.now();
    if (!this.#offer && now >= this.#nextCheckAt) {
      this.#nextCheckAt = now + (this.#deps.checkIntervalMs ?? 60 * 60_000);
      try {
        const check = await this.#deps.client.check();
        if (check.state === 'current') {
          this.#set({ phase: 'idle', checkedAt: new Date(now).toISOString() });
          return;
        }
        this.#offer = { manifest: check.manifest, file: check.file, required: check.required };
      } catch (err) {
        this.#set({ phase: 'idle', checkedAt: new Date(now).toISOString(), error: toWireError(err) });
        return;
      }
    }
    const offer = this.#offer;
    if (!offer) return;
    const { version } = offer.manifest;
    if (!this.#downloaded) {
      const total = offer.manifest.files[0]?.size ?? 0;
      this.#set({ phase: 'downloading', version, required: offer.required, received: 0, total });
      try {
        this.#downloaded = await this.#deps.client.download(offer.manifest, offer.file, {
          yieldWhile: this.#deps.sending,
          ...(this.#deps.bytesPerSecond ? { bytesPerSecond: this.#deps.bytesPerSecond } : {}),
          onProgress: (received) => this.#set({ phase: 'downloading', version, required: offer.required, received, total }),
        });
      } catch (err) {
        const error = toWireError(err);
        // A file that failed its check is gone: ask the central again at the next check.
        if (error.code === 'UPDATE_FILE_INVALID') this.#offer = undefined;
        this.#set({ phase: 'downloading', version, required: offer.required, received: 0, total, error });
        return;
      }
    }
    const decision = decideInstall(
      { downloaded: true, idleMs: this.#deps.idleSeconds() * 1000, signingSessionOpen: this.#deps.signingSessionOpen(), sending: this.#deps.sending() },
      this.#deps.minIdleMs,
    );
    if (!decision.install) {
      this.#set({ phase: 'ready', version, required: offer.required, waitingFor: decision.reason === 'not-downloaded' ? 'ready' : decision.reason });
      return;
    }
    this.#set({ phase: 'installing', version });
    await this.#deps.install(this.#downloaded, version);
  }
}
