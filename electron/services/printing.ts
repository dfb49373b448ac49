/**
 * Printing the counter window's own page from main (`print:page`). The renderer has already laid the form's
 * pages out for print (renderer/src/ui/print-pdf.ts); main only chooses where they go: silently to the
 * printer the counter's configuration names, or through the operating system's print dialog.
 *
 * Kept free of Electron imports (the window is reached through the two methods used) so it is tested in Node.
 */
import { z } from 'zod';
import { AppError } from '../../shared/errors';
import type { PrintOutcome } from '../../shared/ipc/contract';

/**
 * `printerName`: the printer as the operating system names it (Windows: the name in "Printers & scanners",
 * or `\\server\share`; CUPS: the queue name). Set, the counter prints at once to it without a dialog — the
 * counter's most frequent output should be one click. Absent, every print opens the system's dialog.
 */
export const printingConfigSchema = z
  .object({
    printerName: z
      .string()
      .trim()
      .min(1)
      .max(256)
      // A name with control characters is a copy-paste accident, never a real printer.
      .regex(/^[^\p{Cc}]+$/u, 'no control characters')
      .optional(),
  })
  .strict()
  .default({});
export type PrintingConfig = z.output<typeof printingConfigSchema>;

/** What main needs of the sender's webContents (Electron's WebContents has both). */
export interface PrintableContents {
  print(
    options: {
      silent: boolean;
      deviceName?: string;
      printBackground: boolean;
      pageSize: 'A4';
      margins: { marginType: 'none' };
    },
    callback: (success: boolean, failureReason: string) => void,
  ): void;
  getPrintersAsync(): Promise<ReadonlyArray<{ name: string; displayName: string }>>;
}

/**
 * Prints the page once. With a configured printer it first checks the printer is known to the system: a
 * silent print to an absent printer would otherwise "succeed" into nowhere on some platforms.
 */
export async function printContents(contents: PrintableContents, config: PrintingConfig): Promise<PrintOutcome> {
  const printer = config.printerName;
  if (printer !== undefined) {
    const printers = await contents.getPrintersAsync();
    const found = printers.find((p) => p.name === printer) ?? printers.find((p) => p.displayName === printer);
    if (!found) throw new AppError('PRINTER_NOT_FOUND', { printer });
    return send(contents, { silent: true, deviceName: found.name }, printer);
  }
  return send(contents, { silent: false });
}

function send(contents: PrintableContents, target: { silent: boolean; deviceName?: string }, printer?: string): Promise<PrintOutcome> {
  return new Promise((resolve, reject) => {
    // The page's own CSS sets A4 and no margins (@page); these say the same to the print pipeline.
    contents.print({ ...target, printBackground: false, pageSize: 'A4', margins: { marginType: 'none' } }, (success, failureReason) => {
      if (success) resolve(printer === undefined ? { outcome: 'printed' } : { outcome: 'printed', printer });
      // Closing the dialog is the clerk's choice, not a failure ("Print job canceled", "cancelled" in older builds).
      else if (/cancel/i.test(failureReason)) resolve({ outcome: 'cancelled' });
      else reject(new AppError('PRINT_FAILED', { reason: failureReason || 'unknown' }));
    });
  });
}
