/**
 * Measured upload throughput, for the "time left" estimate: bytes the central confirmed over the last
 * `windowMs`, divided by the time they took. Only time spent sending counts — a pause while offline does
 * not drag the figure down, and the last figure is kept until new bytes move.
 */
export interface ThroughputMeter {
  /** Bytes the central just confirmed. */
  record(bytes: number): void;
  /** Bytes per second, or undefined before enough was measured. */
  bytesPerSecond(): number | undefined;
}

export function createThroughputMeter(now: () => number, windowMs = 30_000): ThroughputMeter {
  const samples: { at: number; bytes: number }[] = [];
  let sendingSince: number | undefined;
  let last: number | undefined;

  return {
    record(bytes) {
      const at = now();
      // A gap longer than the window is a pause, not slow sending: measure from here again.
      const previous = samples.at(-1);
      if (sendingSince === undefined || (previous && at - previous.at > windowMs)) {
        samples.length = 0;
        sendingSince = at;
      }
      samples.push({ at, bytes });
      while (samples.length > 0 && (samples[0]?.at ?? at) < at - windowMs) samples.shift();
      const from = Math.max(sendingSince, at - windowMs);
      const span = at - from;
      // The first sample's bytes were sent before it arrived: it only starts the clock.
      const total = samples.reduce((sum, s) => sum + (s.at > from ? s.bytes : 0), 0);
      if (span >= 1_000 && total > 0) last = total / (span / 1_000);
    },
    bytesPerSecond: () => last,
  };
}
