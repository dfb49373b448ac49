/**
 * A USB barcode reader in keyboard mode ("wedge") types the QR text far faster than a person and ends with
 * Enter, into whatever field has the focus — not only the QR field. The characters are taken from the
 * text-insertion events (`beforeinput`), not from key codes: a card's Vietnamese letters reach the page as
 * inserted text (Alt+numpad codes, Unicode keyboard mode), with no key code of their own. A run of characters
 * without a pause, closed by Enter, holding a card QR (from its 12 digits on, at least `minLength` long,
 * typed at a median gap a person cannot reach) is a reading: handed over with the field it landed in and what
 * that field held before the card's characters, so the caller can put the field back. The median, not every
 * gap, so that a busy PC delaying a few events does not lose the reading.
 */
import { looksLikeCccdQr } from '../../../../shared/domain/cccd';

export interface WedgeReading {
  readonly text: string;
  /** The input the characters were typed into, and its value before the run began. */
  readonly target: HTMLInputElement | HTMLTextAreaElement | null;
  readonly valueBefore: string;
}

export interface WedgeOptions {
  /** A pause longer than this ends a run. Default 250 ms. */
  readonly maxPauseMs?: number;
  /** Readers type a character every few ms, people every ≥ 80 ms: the run's median gap must be under this. Default 35 ms. */
  readonly maxMedianGapMs?: number;
  /** Shorter runs are not a card (a CCCD QR is ~80–150 characters). Default 40. */
  readonly minLength?: number;
}

interface At {
  readonly timeStamp: number;
  readonly target: EventTarget | null;
}

/** The first place a card's QR begins in a run: twelve digits and a separator. */
const cardStart = /\d{12}\s*[|¦]/;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? (sorted[Math.floor(sorted.length / 2)] ?? 0) : Infinity;
}

export class WedgeDetector {
  private chars: string[] = [];
  private times: number[] = [];
  private target: HTMLInputElement | HTMLTextAreaElement | null = null;
  private valueBefore = '';
  private readonly maxPauseMs: number;
  private readonly maxMedianGapMs: number;
  private readonly minLength: number;

  constructor(options: WedgeOptions = {}) {
    this.maxPauseMs = options.maxPauseMs ?? 250;
    this.maxMedianGapMs = options.maxMedianGapMs ?? 35;
    this.minLength = options.minLength ?? 40;
  }

  private get last(): number {
    return this.times.at(-1) ?? -Infinity;
  }

  /** Feed every `beforeinput` (capture phase): text typed into a field. */
  input(event: At & { readonly data: string | null; readonly inputType: string }): void {
    if (event.inputType !== 'insertText' || !event.data) {
      this.reset();
      return;
    }
    if (event.timeStamp - this.last > this.maxPauseMs) {
      this.reset();
      // Duck-typed (a text field has a string value) so the detector also runs in unit tests without a DOM.
      const target = event.target as { value?: unknown; tagName?: unknown } | null;
      this.target = target && typeof target.value === 'string' && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA') ? (target as HTMLInputElement) : null;
      // beforeinput comes before the insertion: the field still holds what was there before the run.
      this.valueBefore = this.target?.value ?? '';
    }
    for (const char of event.data) {
      this.chars.push(char);
      this.times.push(event.timeStamp);
    }
  }

  /**
   * Feed every keydown (capture phase); returns a reading when this Enter closes one. Characters a person
   * typed just before the reader fired stay in the field: only the card's part (from its 12 digits on, typed
   * at reader speed) is taken.
   */
  key(event: At & { readonly key: string; readonly ctrlKey?: boolean; readonly metaKey?: boolean }): WedgeReading | null {
    if (event.key === 'Enter') {
      const reading = event.timeStamp - this.last <= this.maxPauseMs ? this.reading() : null;
      this.reset();
      return reading;
    }
    // Character keys arrive again as input; Shift/Alt (capitals, '|', Alt+numpad codes) are part of a reader's
    // typing. A shortcut or an editing key (Backspace, Tab, arrows) ends the run.
    const modifierOnly = event.key === 'Shift' || event.key === 'Alt' || event.key === 'AltGraph';
    if (event.ctrlKey || event.metaKey || (event.key.length !== 1 && !modifierOnly)) this.reset();
    return null;
  }

  private reading(): WedgeReading | null {
    const text = this.chars.join('');
    const match = cardStart.exec(text);
    if (!match) return null;
    // Code points, not UTF-16 units: chars[] holds one entry per character.
    const from = [...text.slice(0, match.index)].length;
    const card = this.chars.slice(from).join('');
    if (card.length < this.minLength || !looksLikeCccdQr(card)) return null;
    const times = this.times.slice(from);
    const gaps = times.slice(1).map((t, i) => t - (times[i] ?? t));
    if (median(gaps) > this.maxMedianGapMs) return null;
    return { text: card, target: this.target, valueBefore: this.valueBefore + this.chars.slice(0, from).join('') };
  }

  private reset(): void {
    this.chars = [];
    this.times = [];
    this.target = null;
    this.valueBefore = '';
  }
}
