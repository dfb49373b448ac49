/**
 * Clock skew. The counter stamps dossiers with its own clock (receipt time, appointment); a PC whose clock
 * is far off misleads the citizen. At each contact the central's time is compared with the counter's and
 * the last reading is kept in `syncMeta` (key `clock`), beside the receipt times kept in the outbox ack.
 */
export const clockMetaKey = 'clock';

export interface ClockReading {
  /** The central's clock as it answered (ISO). */
  readonly centralTime: string;
  /** The counter's clock at the midpoint of the request (ISO). */
  readonly counterTime: string;
  /** Central minus counter, milliseconds. Positive: the counter is behind. */
  readonly offsetMs: number;
  /** Round trip of the request: the reading is uncertain by half of it. */
  readonly roundTripMs: number;
}

/** The central stamped its time somewhere between our send and receive: compare with the midpoint. */
export function measureOffset(centralTime: string, sentAt: number, receivedAt: number): ClockReading | undefined {
  const central = Date.parse(centralTime);
  if (Number.isNaN(central)) return undefined;
  const midpoint = (sentAt + receivedAt) / 2;
  return { centralTime, counterTime: new Date(midpoint).toISOString(), offsetMs: Math.round(central - midpoint), roundTripMs: Math.max(0, receivedAt - sentAt) };
}
