/**
 * The one interface every capture source implements. A scan is an async iterable of raw files, yielded the
 * moment each is complete, so pages reach the clerk while the feeder is still running. A source that fails
 * mid-batch throws after yielding what it had: the pages already yielded are never lost.
 */
import type { CaptureDevice, CaptureSourceKind, ScanSettings } from '../../../shared/capture/capture';

/** One file as a source produced it, before the import guard. */
export interface RawPage {
  readonly name: string;
  readonly bytes: Uint8Array;
}

export interface ScanRequest {
  /** The source's own device id (without the `<kind>:` prefix). */
  readonly deviceId: string;
  readonly settings: ScanSettings;
  readonly signal: AbortSignal;
}

export interface CaptureSource {
  readonly kind: CaptureSourceKind;
  listDevices(): Promise<CaptureDevice[]>;
  scan(request: ScanRequest): AsyncIterable<RawPage>;
}

/**
 * A push-to-pull queue: a producer (a child process, a poll loop) pushes pages as they complete, the scan's
 * consumer pulls them with `for await`. `fail` delivers the error after every page pushed before it.
 */
export class PageQueue<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private ended = false;
  private error: Error | undefined = undefined;
  private wake: (() => void) | null = null;

  push(item: T): void {
    this.items.push(item);
    this.notify();
  }

  end(): void {
    this.ended = true;
    this.notify();
  }

  fail(error: unknown): void {
    this.error = error instanceof Error ? error : new Error(String(error));
    this.ended = true;
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (;;) {
      const next = this.items.shift();
      if (next !== undefined) {
        yield next;
        continue;
      }
      if (this.ended) {
        if (this.error !== undefined) throw this.error;
        return;
      }
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }
}

/** The nearest offered resolution at or above the wanted one (else the highest below). */
export function pickResolution(offered: readonly number[], wanted: number): number {
  if (offered.length === 0) return wanted;
  const sorted = [...offered].sort((a, b) => a - b);
  return sorted.find((r) => r >= wanted) ?? sorted[sorted.length - 1] ?? wanted;
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
