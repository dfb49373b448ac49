import { describe, expect, it } from 'vitest';
import { WedgeDetector } from '../../../renderer/src/features/identity/wedge';

const card = '001190012345|123456789|Nguyễn Thị Ánh Tuyết|15031990|Nữ|Thôn Đông, xã Demo, tỉnh Hưng Yên|01072021';
const field = { tagName: 'INPUT', value: 'Nguy' } as unknown as EventTarget;

/** Feeds text as a reader would (Shift keydown for '|', then inserted text) `gapMs` apart, then Enter. */
function type(detector: WedgeDetector, text: string, gapMs: number, start = 1000) {
  let t = start;
  for (const data of text) {
    if (data === '|') detector.key({ key: 'Shift', timeStamp: t, target: field });
    detector.key({ key: data, timeStamp: t, target: field });
    detector.input({ data, inputType: 'insertText', timeStamp: t, target: field });
    t += gapMs;
  }
  return detector.key({ key: 'Enter', timeStamp: t, target: field });
}

describe('keyboard-wedge burst detection', () => {
  it('takes a fast run that looks like a card QR, Vietnamese letters included, with the field and its value before the run', () => {
    const reading = type(new WedgeDetector(), card, 8);
    expect(reading).toMatchObject({ text: card, valueBefore: 'Nguy' });
    expect(reading?.target).toBe(field);
  });

  it('timing alone does not take the same text typed at human speed (this field never holds it: see the content tests below)', () => {
    expect(type(new WedgeDetector(), card, 120)).toBeNull();
  });

  it('ignores a fast run that is not a card (a product barcode and some text)', () => {
    expect(type(new WedgeDetector(), '8934567890123 và vài chữ nữa cho đủ bốn mươi ký tự', 5)).toBeNull();
  });

  it('keys typed by hand just before the reader stay in the field; only the card part is taken', () => {
    const detector = new WedgeDetector();
    detector.input({ data: 'a', inputType: 'insertText', timeStamp: 0, target: field });
    detector.input({ data: 'b', inputType: 'insertText', timeStamp: 150, target: field });
    expect(type(detector, card, 6, 300)).toMatchObject({ text: card, valueBefore: 'Nguyab' });
  });

  it('a few slow events (a busy PC) do not lose the reading', () => {
    const detector = new WedgeDetector();
    let t = 0;
    [...card].forEach((data, i) => detector.input({ data, inputType: 'insertText', timeStamp: (t += i % 10 === 0 ? 120 : 4), target: field }));
    expect(detector.key({ key: 'Enter', timeStamp: t + 5, target: field })?.text).toBe(card);
  });

  it('a shortcut or a paste in the middle ends the run', () => {
    const detector = new WedgeDetector();
    let t = 0;
    for (const data of card.slice(0, 30)) detector.input({ data, inputType: 'insertText', timeStamp: (t += 5), target: field });
    detector.key({ key: 'v', ctrlKey: true, timeStamp: (t += 5), target: field });
    for (const data of card.slice(30)) detector.input({ data, inputType: 'insertText', timeStamp: (t += 5), target: field });
    expect(detector.key({ key: 'Enter', timeStamp: t + 5, target: field })).toBeNull();
    const pasted = new WedgeDetector();
    pasted.input({ data: card, inputType: 'insertFromPaste', timeStamp: 0, target: field });
    expect(pasted.key({ key: 'Enter', timeStamp: 5, target: field })).toBeNull();
  });
});

/** A text input as the browser keeps it: each insertion lands at the caret, after its beforeinput. */
function textInput(value = '') {
  return { tagName: 'INPUT', value, selectionStart: value.length as number | null };
}

/**
 * Types text into `input` as a slow reader on a busy PC, or a person, would: `gaps(i)` ms before character i,
 * each character's keydown, beforeinput and insertion at the caret; then Enter.
 */
function typeInto(detector: WedgeDetector, input: ReturnType<typeof textInput>, text: string, gaps: (i: number) => number) {
  const target = input as unknown as EventTarget;
  let t = 1000;
  [...text].forEach((data, i) => {
    t += gaps(i);
    detector.key({ key: data, timeStamp: t, target });
    detector.input({ data, inputType: 'insertText', timeStamp: t, target });
    const caret = input.selectionStart ?? input.value.length;
    input.value = input.value.slice(0, caret) + data + input.value.slice(caret);
    input.selectionStart = caret + data.length;
  });
  return detector.key({ key: 'Enter', timeStamp: t + gaps(text.length), target });
}

describe('a card QR recognised by its content, however slowly it was typed', () => {
  it('a reader slowed to 150 ms a character still gives the reading, and the field is told what it held before', () => {
    const input = textInput('Nguy');
    const reading = typeInto(new WedgeDetector(), input, card, () => 150);
    expect(reading).toMatchObject({ text: card, valueBefore: 'Nguy' });
    expect(reading?.target).toBe(input);
  });

  it('irregular gaps with pauses up to a second do not lose it', () => {
    const gaps = [40, 150, 90, 600, 20, 1000, 310, 75];
    const input = textInput();
    expect(typeInto(new WedgeDetector(), input, card, (i) => gaps[i % gaps.length] ?? 0)).toMatchObject({ text: card, valueBefore: '' });
  });

  it('text around the caret stays: the card typed into the middle of a name leaves the name whole', () => {
    const input = textInput('Nguyễn Văn');
    input.selectionStart = 6;
    expect(typeInto(new WedgeDetector(), input, card, () => 150)).toMatchObject({ text: card, valueBefore: 'Nguyễn Văn' });
  });

  it('a pasted card QR and Enter is read the same way', () => {
    const detector = new WedgeDetector();
    const input = textInput('Trần');
    const target = input as unknown as EventTarget;
    detector.key({ key: 'v', ctrlKey: true, timeStamp: 0, target });
    detector.input({ data: card, inputType: 'insertFromPaste', timeStamp: 1, target });
    input.value += card;
    input.selectionStart = input.value.length;
    expect(detector.key({ key: 'Enter', timeStamp: 900, target })).toMatchObject({ text: card, valueBefore: 'Trần' });
  });

  it('a person typing a name, an address or a 12-digit number slowly is never a card (the card at that pace is)', () => {
    expect(typeInto(new WedgeDetector(), textInput(), card, () => 150)?.text).toBe(card);
    for (const text of ['Nguyễn Thị Ánh Tuyết', 'Thôn Đông, xã Demo, tỉnh Hưng Yên', '001190012345', '001190012345 | 0912345678']) {
      const input = textInput();
      expect(typeInto(new WedgeDetector(), input, text, () => 150)).toBeNull();
      expect(input.value).toBe(text);
    }
  });

  it('a malformed or truncated QR typed slowly is not a card (the whole one is), and the text stays as typed', () => {
    expect(typeInto(new WedgeDetector(), textInput('Trần Văn Bình '), card, () => 150)).toMatchObject({ text: card, valueBefore: 'Trần Văn Bình ' });
    const fields = card.split('|');
    const damaged = [
      // Truncated: five fields; mid-address (parses, but stops short of the issue date); mid-date.
      fields.slice(0, 5).join('|'),
      `${fields.slice(0, 5).join('|')}|Thôn Đông, xã De`,
      card.slice(0, -3),
      // The number says male, the card says Nữ; an impossible birth date.
      card.replace('001190012345', '001090012345'),
      card.replace('15031990', '31021990'),
    ];
    for (const text of damaged) {
      const input = textInput('Trần Văn Bình ');
      expect(typeInto(new WedgeDetector(), input, text, () => 150), text).toBeNull();
      expect(input.value).toBe(`Trần Văn Bình ${text}`);
    }
  });
});
