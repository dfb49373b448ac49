/**
 * A USB barcode reader in keyboard mode ("wedge") types the QR text far faster than a person and ends with
 * Enter, into whatever field has the focus — not only the QR field. The characters are taken from the
 * text-insertion events (`beforeinput`), not from key codes: a card's Vietnamese letters reach the page as
 * inserted text (Alt+numpad codes, Unicode keyboard mode), with no key code of their own. A run of at least
 * `minLength` characters, each within `maxGapMs` of the previous, closed by Enter just as fast, that looks
 * like a CCCD QR, is a reading: handed over with the field it landed in and that field's value before the
 * run, so the caller can put the field back.
 */
import { looksLikeCccdQr } from '../../../../shared/domain/cccd';

export interface WedgeReading {
  readonly text: string;
  /** The input the characters were typed into, and its value before the run began. */
  readonly target: HTMLInputElement | HTMLTextAreaElement | null;
  readonly valueBefore: string;
}

export interface WedgeOptions {
  /** People type ≥ 80 ms apart; readers ≤ 20 ms. Default 50 ms (a busy PC delays events). */
  readonly maxGapMs?: number;
  /** Shorter runs are not a card (a CCCD QR is ~80–150 characters). Default 40. */
  readonly minLength?: number;
}

interface At {
  readonly timeStamp: number;
  readonly target: EventTarget | null;
}

export class WedgeDetector {
  private text = '';
  private last = -Infinity;
  private target: HTMLInputElement | HTMLTextAreaElement | null = null;
  private valueBefore = '';
  private readonly maxGapMs: number;
  private readonly minLength: number;

  constructor(options: WedgeOptions = {}) {
    this.maxGapMs = options.maxGapMs ?? 50;
    this.minLength = options.minLength ?? 40;
  }

  /** Feed every `beforeinput` (capture phase): text typed into a field. */
  input(event: At & { readonly data: string | null; readonly inputType: string }): void {
    if (event.inputType !== 'insertText' || !event.data) {
      this.reset();
      return;
    }
    if (event.timeStamp - this.last > this.maxGapMs) {
      this.text = '';
      // Duck-typed (a text field has a string value) so the detector also runs in unit tests without a DOM.
      const target = event.target as { value?: unknown; tagName?: unknown } | null;
      this.target = target && typeof target.value === 'string' && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA') ? (target as HTMLInputElement) : null;
      // beforeinput comes before the insertion: the field still holds what was there before the run.
      this.valueBefore = this.target?.value ?? '';
    }
    this.text += event.data;
    this.last = event.timeStamp;
  }

  /** Feed every keydown (capture phase); returns a reading when this Enter closes one. */
  key(event: At & { readonly key: string; readonly ctrlKey?: boolean; readonly metaKey?: boolean }): WedgeReading | null {
    if (event.key === 'Enter') {
      const run = this.text;
      const fast = event.timeStamp - this.last <= this.maxGapMs;
      const reading = fast && run.length >= this.minLength && looksLikeCccdQr(run) ? { text: run, target: this.target, valueBefore: this.valueBefore } : null;
      this.reset();
      return reading;
    }
    // Character keys arrive again as input; Shift/Alt (capitals, '|', Alt+numpad codes) are part of a reader's
    // typing. A shortcut or an editing key (Backspace, Tab, arrows) ends the run.
    const modifierOnly = event.key === 'Shift' || event.key === 'Alt' || event.key === 'AltGraph' || /^\d$/.test(event.key);
    if (event.ctrlKey || event.metaKey || (event.key.length !== 1 && !modifierOnly)) this.reset();
    return null;
  }

  private reset(): void {
    this.text = '';
    this.last = -Infinity;
    this.target = null;
    this.valueBefore = '';
  }
}
