/**
 * A USB barcode reader in keyboard mode ("wedge") types the QR text far faster than a person and ends with
 * Enter. It may do so into whatever field has the focus, not only the QR field. This detector watches key
 * presses on a form: a run of at least `minLength` characters, each within `maxGapMs` of the previous and
 * closed by Enter, that looks like a CCCD QR, is a reading — handed over with the field it landed in and
 * that field's value before the run, so the caller can put the field back.
 */
import { looksLikeCccdQr } from '../../../../shared/domain/cccd';

export interface WedgeReading {
  readonly text: string;
  /** The input the characters were typed into, and its value before the run began. */
  readonly target: HTMLInputElement | HTMLTextAreaElement | null;
  readonly valueBefore: string;
}

export interface WedgeOptions {
  /** People type ≥ 80 ms apart; readers ≤ 20 ms. Default 35 ms. */
  readonly maxGapMs?: number;
  /** Shorter runs are not a card (a CCCD QR is ~80–150 characters). Default 40. */
  readonly minLength?: number;
}

export class WedgeDetector {
  private text = '';
  private last = -Infinity;
  private target: HTMLInputElement | HTMLTextAreaElement | null = null;
  private valueBefore = '';
  private readonly maxGapMs: number;
  private readonly minLength: number;

  constructor(options: WedgeOptions = {}) {
    this.maxGapMs = options.maxGapMs ?? 35;
    this.minLength = options.minLength ?? 40;
  }

  /** Feed every keydown (capture phase); returns a reading when this Enter closes one. */
  key(event: { key: string; timeStamp: number; target: EventTarget | null; ctrlKey?: boolean; altKey?: boolean; metaKey?: boolean }): WedgeReading | null {
    const gap = event.timeStamp - this.last;
    if (event.key === 'Enter') {
      const run = this.text;
      const reading = gap <= this.maxGapMs && run.length >= this.minLength && looksLikeCccdQr(run) ? { text: run, target: this.target, valueBefore: this.valueBefore } : null;
      this.reset();
      return reading;
    }
    if (event.key.length !== 1 || event.ctrlKey || event.altKey || event.metaKey) {
      // Shift is pressed between characters by readers ('|', capitals); anything else ends a run.
      if (event.key !== 'Shift') this.reset();
      return null;
    }
    if (gap > this.maxGapMs) {
      this.text = '';
      // Duck-typed (a text field has a string value) so the detector also runs in unit tests without a DOM.
      const target = event.target as { value?: unknown; tagName?: unknown } | null;
      this.target = target && typeof target.value === 'string' && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA') ? (target as HTMLInputElement) : null;
      this.valueBefore = this.target?.value ?? '';
    }
    this.text += event.key;
    this.last = event.timeStamp;
    return null;
  }

  private reset(): void {
    this.text = '';
    this.last = -Infinity;
    this.target = null;
    this.valueBefore = '';
  }
}
