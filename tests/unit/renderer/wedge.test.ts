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

  it('ignores a person typing the same text at human speed', () => {
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
