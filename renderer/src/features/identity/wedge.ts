/**
 * A USB barcode reader in keyboard mode ("wedge") types the QR text far faster than a person and ends with
 * Enter, into whatever field has the focus — not only the QR field. The characters are taken from the
 * text-insertion events (`beforeinput`), not from key codes: a card's Vietnamese letters reach the page as
 * inserted text (Alt+numpad codes, Unicode keyboard mode), with no key code of their own. A run of characters
 * without a pause, closed by Enter, holding a card QR (from its 12 digits on, at least `minLength` long,
 * typed at a median gap a person cannot reach) is a reading: handed over with the field it landed in and what
 * that field held before the card's characters, so the caller can put the field back. The median, not every
 * gap, so that a busy PC delaying a few events does not lose the reading.
 *
 * A busy PC can slow a reader past any timing threshold, so the content counts too: Enter in a field whose
 * text up to the caret ends in a whole, valid card QR (it parses, the number agrees with the birth date and
 * gender, it reaches the issue date) is a reading at any speed. A name, an address or a hand-typed 12-digit
 * number never parses as one. Checked on Enter only: half-typed, the text already parses (six fields, half an
 * address). A QR pasted by the clerk (Ctrl+V) then Enter is read too: it is the card's text however it came,
 * never a name, and the QR field reads a paste on Enter the same way. Timing is tried first, so a damaged code
 * from a fast reader still gets its error message; one typed slowly is not recognised and stays as typed.
 */
import { looksLikeCccdQr, parseCccdQr } from '../../../../shared/domain/cccd';

export interface WedgeReading {
  readonly text: string;
  /** The input the characters were typed into, and its value before the run began. */
  readonly target: TextField | null;
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

type TextField = HTMLInputElement | HTMLTextAreaElement;

/** Duck-typed (a text field has a string value) so the detector also runs in unit tests without a DOM. */
function textField(target: EventTarget | null): TextField | null {
  const t = target as { value?: unknown; tagName?: unknown } | null;
  return t && typeof t.value === 'string' && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA') ? (t as TextField) : null;
}

/** A whole card QR: it parses, checks out, and reaches the issue date (a truncated text stops short of it). */
function isWholeCard(text: string): boolean {
  try {
    return parseCccdQr(text).issuedDate !== undefined;
  } catch {
    return false;
  }
}

/**
 * The field's text ending at the caret (where typing and pasting leave it) in a whole card QR, as a reading
 * with the field's value around it. Null when the field holds no such text.
 */
function cardInField(field: TextField | null): WedgeReading | null {
  if (!field) return null;
  const value = field.value;
  // selectionStart is null for field types without a caret (email, number): the text then ends the value.
  const caret = field.selectionStart ?? value.length;
  const head = value.slice(0, caret);
  for (const match of head.matchAll(new RegExp(cardStart, 'g'))) {
    const text = head.slice(match.index);
    if (isWholeCard(text)) return { text, target: field, valueBefore: head.slice(0, match.index) + value.slice(caret) };
  }
  return null;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? (sorted[Math.floor(sorted.length / 2)] ?? 0) : Infinity;
}

export class WedgeDetector {
  private chars: string[] = [];
  private times: number[] = [];
  private target: TextField | null = null;
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
      this.target = textField(event.target);
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
   * at reader speed) is taken; failing that, a whole card QR ending at the caret of the field Enter was
   * pressed in, however slowly it came.
   */
  key(event: At & { readonly key: string; readonly ctrlKey?: boolean; readonly metaKey?: boolean }): WedgeReading | null {
    if (event.key === 'Enter') {
      const reading = (event.timeStamp - this.last <= this.maxPauseMs ? this.reading() : null) ?? cardInField(textField(event.target));
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
