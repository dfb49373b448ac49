/**
 * Small e2e helpers several specs share: save what the page downloads, read a PDF's text with poppler, and run
 * one sync pass from the header's "Đồng bộ ngay" button.
 */
import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, type Page } from '@playwright/test';

const run = promisify(execFile);

/** Clicks, waits for the download it starts and saves it under a fresh temporary folder; returns the path. */
export async function savedDownload(page: Page, click: () => Promise<void>): Promise<string> {
  const download = page.waitForEvent('download');
  await click();
  const file = path.join(await mkdtemp(path.join(os.tmpdir(), 'motcua-e2e-')), (await download).suggestedFilename());
  await (await download).saveAs(file);
  return file;
}

/** The PDF's text in reading layout (`pdftotext -layout`), runs of white space folded to one space. */
export async function pdfText(file: string): Promise<string> {
  const { stdout } = await run('pdftotext', ['-layout', file, '-']);
  return stdout.replace(/\s+/g, ' ');
}

/** One sync pass: waits until the button can be pressed, presses it, and waits for the pass to end. */
export async function syncNow(page: Page): Promise<void> {
  const button = page.getByTestId('sync-indicator').getByRole('button', { name: 'Đồng bộ ngay' });
  await expect(button).toBeEnabled({ timeout: 60_000 });
  await button.click();
  await expect(button).toBeEnabled({ timeout: 60_000 });
}
