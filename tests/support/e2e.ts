/// <reference lib="dom" />
/** Small helpers the end-to-end specs share: screenshots of what the clerk sees, and tiny PDFs. */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { PDFDocument, StandardFonts } from 'pdf-lib';

export const screensDir = path.resolve('test-results/screens');

/**
 * A full-page screenshot under test-results/screens/<name>.png, to be looked at. Bars that stick to the bottom
 * of the window (the components step's decisions) are drawn where they sit in the page: in a picture of the
 * whole page a bar stuck at the window's edge would cut through the middle of it.
 */
export async function shot(page: Page, name: string): Promise<void> {
  await mkdir(screensDir, { recursive: true });
  // Through the CSSOM: the app's CSP forbids inline style sheets (Playwright's `style` option is one).
  const stick = (on: boolean) =>
    page.evaluate((sticky) => {
      document.querySelectorAll<HTMLElement>('.sticky-actions').forEach((bar) => {
        bar.style.position = sticky ? '' : 'static';
      });
    }, on);
  await stick(false);
  try {
    await page.screenshot({ path: path.join(screensDir, `${name}.png`), fullPage: true });
  } finally {
    await stick(true);
  }
}

/** What the window shows (no scrolling), under test-results/screens/<name>.png. */
export async function windowShot(page: Page, name: string): Promise<void> {
  await mkdir(screensDir, { recursive: true });
  await page.screenshot({ path: path.join(screensDir, `${name}.png`) });
}

/** A one-page A4 PDF with a line of text, as a citizen's digital document. */
export async function onePagePdf(text: string): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([595, 842]);
  page.drawText(text, { x: 72, y: 700, size: 14, font: await doc.embedFont(StandardFonts.Helvetica) });
  return Buffer.from(await doc.save());
}
