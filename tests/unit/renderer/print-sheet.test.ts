// The sheet each PDF page prints on (renderer/src/ui/print-sheet.ts): A4 in the page's orientation, the
// picture drawn at 200 dpi of that sheet, other sizes fitted without distortion.
import { describe, expect, it } from 'vitest';
import { printDpi, printSheetFor } from '../../../renderer/src/ui/print-sheet';

const a4 = { width: 595.28, height: 841.89 };

describe('printSheetFor', () => {
  it('draws an A4 portrait form at 200 dpi: 1654 × 2339 pixels', () => {
    const sheet = printSheetFor(a4.width, a4.height);
    expect(printDpi).toBe(200);
    expect(sheet).toMatchObject({ orientation: 'portrait', width: 1654, height: 2339 });
    expect(sheet.scale).toBeCloseTo(200 / 72, 3);
  });

  it('puts a landscape page (the Mẫu 06 register) on a landscape sheet', () => {
    expect(printSheetFor(a4.height, a4.width)).toMatchObject({ orientation: 'landscape', width: 2339, height: 1654 });
  });

  it('fits other sizes inside A4 keeping their proportions', () => {
    const letter = printSheetFor(612, 792);
    expect(letter.orientation).toBe('portrait');
    expect(letter.width).toBe(1654);
    expect(letter.height).toBeLessThanOrEqual(2339);
    expect(letter.width / letter.height).toBeCloseTo(612 / 792, 2);
    // An A3 drawing among the result documents: scaled down, never a 3300-pixel canvas per page.
    const a3 = printSheetFor(841.89, 1190.55);
    expect(a3).toMatchObject({ orientation: 'portrait', width: 1654 });
    expect(Math.abs(a3.height - 2339)).toBeLessThanOrEqual(1);
  });

  it('refuses a page without a size', () => {
    expect(() => printSheetFor(0, 842)).toThrow();
    expect(() => printSheetFor(Number.NaN, 842)).toThrow();
  });
});
